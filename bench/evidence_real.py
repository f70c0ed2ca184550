"""Score the evidence parser against real, hand-labelled PR bodies.

Each row of the corpus TSV names a body `<id>.md` and its `<id>.meta.json` (author, labels, commits) in
--bodies. For every row this runs `app.cli check` on an empty diff with that body and compares the
"evidence" object of its JSON output with the labels:

    .venv/bin/python -m bench.evidence_real --bodies /work/corpora/evidence/bodies [--corpus bench/...tsv]

Every disagreement is listed by row and field; --misses also shows, per missed body, the sections and test
claims the parser read from it.

--command replaces `<this python> -m app.cli` (e.g. a stub script, to test the scoring itself).
"""

from __future__ import annotations

import argparse
import csv
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("what_changed", "not_changed", "tests_run", "uncertainty", "tokens")
RESULTS = ("passed", "failed", "not_run", "planned", "unknown")
FIELDS = (*SECTIONS, "test_results", "agent (all rows)", "agent (rows with a signal)")


def load_rows(corpus: Path) -> list[dict[str, str]]:
    with corpus.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def run_check(command: list[str], body: Path, meta: dict[str, Any], tmp: Path) -> dict[str, Any]:
    """Run `check` for one body; return its "evidence" object or raise ValueError saying what is wrong."""
    diff = tmp / "empty.diff"
    diff.write_text("")
    argv = [*command, "check", "--diff-file", str(diff), "--body-file", str(body), "--format", "json"]
    if meta.get("author"):
        argv += ["--author", str(meta["author"])]
    for label in meta.get("labels") or []:
        argv += ["--label", str(label)]
    if meta.get("commits"):
        commits = tmp / "commits.json"
        commits.write_text(json.dumps([str(c) for c in meta["commits"]]))
        argv += ["--commits-file", str(commits)]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    try:
        out = json.loads(proc.stdout)
    except json.JSONDecodeError:
        err = proc.stderr.strip().splitlines()[-1:] or ["no stderr"]
        raise ValueError(f"stdout is not JSON (exit {proc.returncode}): {err[0]}") from None
    if not isinstance(out, dict) or "evidence" not in out:
        raise ValueError(f'no "evidence" key in the JSON output (exit {proc.returncode})')
    ev = out["evidence"]
    if not isinstance(ev, dict) or not isinstance(ev.get("agent"), dict) or "authored" not in ev["agent"]:
        raise ValueError('"evidence.agent.authored" is missing')
    if not isinstance(ev.get("sections"), dict) or any(k not in ev["sections"] for k in SECTIONS):
        raise ValueError(f'"evidence.sections" lacks one of {", ".join(SECTIONS)}')
    if not isinstance(ev.get("tests"), list) or any(
        not isinstance(t, dict) or t.get("result") not in RESULTS for t in ev["tests"]
    ):
        raise ValueError('"evidence.tests" is not a list of {"command", "result"} with a known result')
    return ev


def label_results(value: str) -> set[str]:
    return set() if value == "none" else set(value.split("+"))


def show(results: set[str]) -> str:
    return "+".join(r for r in RESULTS if r in results) or "none"


def show_misses(disagreements: list[tuple[str, str, str, str]], evidence: dict[str, dict[str, Any]]) -> None:
    """What the parser read from each body it disagrees on: its sections and its test claims."""
    for row_id in dict.fromkeys(row_id for row_id, *_ in disagreements):
        ev = evidence[row_id]
        present = ", ".join(key for key in SECTIONS if ev["sections"][key]) or "no section"
        print(f"\n{row_id}: {present}")
        for test in ev["tests"]:
            print(f"  {test['result']:<8} {test['command']}")


def score(rows: list[dict[str, str]], evidence: dict[str, dict[str, Any]], misses: bool = False) -> int:
    agree = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    disagreements: list[tuple[str, str, str, str]] = []
    false_passed: list[str] = []

    def compare(row_id: str, field: str, label: str, got: str) -> None:
        total[field] += 1
        agree[field] += label == got
        if label != got:
            disagreements.append((row_id, field, label, got))

    for row in rows:
        ev = evidence.get(row["id"])
        if ev is None:
            continue
        for field in SECTIONS:
            compare(row["id"], field, row[field], "yes" if ev["sections"][field] else "no")
        want, got = label_results(row["test_results"]), {t["result"] for t in ev["tests"]}
        compare(row["id"], "test_results", show(want), show(got))
        if "passed" in got and "passed" not in want:
            false_passed.append(row["id"])
        is_agent, authored = row["agent"] != "human", bool(ev["agent"]["authored"])
        has_signal = row["agent_signal"] != "none"
        for field, applies in (("agent (all rows)", True), ("agent (rows with a signal)", has_signal)):
            if applies:
                total[field] += 1
                agree[field] += is_agent == authored
        if is_agent != authored:
            got_agent = f"authored={str(authored).lower()} signal={ev['agent'].get('signal')}"
            disagreements.append((row["id"], "agent", f"{row['agent']} ({row['agent_signal']})", got_agent))

    scored = sum(1 for row in rows if row["id"] in evidence)
    print(f"\n{'field':<30} {'agree/total':>12} {'%':>7}")
    for field in FIELDS:
        pct = f"{100 * agree[field] / total[field]:.1f}" if total[field] else "-"
        print(f"{field:<30} {f'{agree[field]}/{total[field]}':>12} {pct:>7}")
    print(f"{'false passed':<30} {f'{len(false_passed)}/{scored}':>12}  (tool claims passed, label does not)")
    if false_passed:
        print("  " + ", ".join(false_passed))
    if disagreements:
        print(f"\ndisagreements ({len(disagreements)}):")
        print(f"{'id':<50} {'field':<28} {'label':<26} got")
        for row_id, field, label, got in disagreements:
            print(f"{row_id:<50} {field:<28} {label:<26} {got}")
        if misses:
            show_misses(disagreements, evidence)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the evidence parser on real PR bodies.")
    parser.add_argument("--bodies", required=True, type=Path, help="directory of <id>.md and <id>.meta.json")
    parser.add_argument("--corpus", type=Path, default=ROOT / "bench" / "evidence_corpus.tsv")
    parser.add_argument("--command", help="command to run instead of `<this python> -m app.cli`")
    parser.add_argument("--misses", action="store_true", help="also show what was read from each missed body")
    args = parser.parse_args(argv)
    if not args.bodies.is_dir():
        print(f"error: bodies directory {args.bodies} does not exist", file=sys.stderr)
        return 1
    command = shlex.split(args.command) if args.command else [sys.executable, "-m", "app.cli"]
    rows = load_rows(args.corpus)
    evidence: dict[str, dict[str, Any]] = {}
    failures = 0
    for row in rows:
        body, meta_path = args.bodies / f"{row['id']}.md", args.bodies / f"{row['id']}.meta.json"
        try:
            if not body.is_file() or not meta_path.is_file():
                raise ValueError(f"missing {body.name} or {meta_path.name} in {args.bodies}")
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            with tempfile.TemporaryDirectory() as tmp:
                evidence[row["id"]] = run_check(command, body, meta, Path(tmp))
        except (ValueError, OSError, subprocess.TimeoutExpired) as exc:
            failures += 1
            print(f"FAILED {row['id']}: {exc}")
    print(f"\nscored {len(evidence)} of {len(rows)} rows ({failures} failed to produce evidence)")
    return score(rows, evidence, misses=args.misses)


if __name__ == "__main__":
    sys.exit(main())
