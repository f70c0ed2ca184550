"""Score `agentbudget exposure` against real public commits labelled by hand.

    python -m bench.exposure_real --mirrors DIR [--corpus bench/exposure_corpus.tsv] [--only REPO]

Each corpus row names a repository, a commit and its first parent. The repository's
bare git directory is found under DIR (e.g. DIR/owner+name/repo); the exposure command
runs there with --base PARENT --head SHA and its `grows` is compared with `expected`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

POSITIVE_KINDS = {
    "internal_add",
    "admin_only_add",
    "auth_removed",
    "unauth_in_auth_group",
    "config_exposure",
    "binding_added",
    "mount_dashboard",
}
EXIT_USAGE = 2


@dataclass
class Row:
    repo: str
    sha: str
    parent: str
    framework: str
    kind: str
    expected: bool
    reason: str


def load_corpus(path: Path) -> list[Row]:
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Row(
                r["repo"],
                r["sha"],
                r["parent"],
                r["framework"],
                r["kind"],
                r["expected"].strip().lower() == "yes",
                r["reason"],
            )
            for r in reader
        ]


def is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def find_git_dir(mirrors: Path, repo: str) -> Path | None:
    """The bare (or .git) directory for owner/name under mirrors, whatever the nesting."""
    owner, _, name = repo.partition("/")
    candidates = [mirrors / f"{owner}+{name}", mirrors / owner / name, mirrors / f"{owner}__{name}"]
    # (GitHub names are case-insensitive: a mirror may be stored as `dotnetcore+cap` for `dotnetcore/CAP`)
    wanted = {c.name.lower() for c in candidates[::2]}
    if mirrors.is_dir() and not any(c.is_dir() for c in candidates):
        candidates += [c for c in sorted(mirrors.iterdir()) if c.name.lower() in wanted]
    for top in candidates:
        level = [top] if top.is_dir() else []
        for _depth in range(4):  # top, then up to three levels below it
            for path in level:
                if is_git_dir(path):
                    return path
            level = [c for p in level for c in sorted(p.iterdir()) if c.is_dir() and c.name != "objects"]
    return None


def run_exposure(git_dir: Path, row: Row) -> tuple[bool | None, list[dict], str]:
    """Return (grows, findings, error). grows is None when the row cannot be scored."""
    cmd = [
        sys.executable,
        "-m",
        "app.cli",
        "exposure",
        "--base",
        row.parent,
        "--head",
        row.sha,
        "--format",
        "json",
    ]
    project = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": project}
    proc = subprocess.run(cmd, cwd=git_dir, capture_output=True, text=True, env=env, timeout=600)
    if proc.returncode == EXIT_USAGE:
        return None, [], (proc.stderr or proc.stdout).strip()[-400:] or "exit 2"
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None, [], f"exit {proc.returncode}, no JSON: {(proc.stderr or proc.stdout).strip()[-400:]}"
    return bool(data.get("grows")), list(data.get("findings") or []), ""


def brief(findings: list[dict], limit: int = 4) -> str:
    parts = []
    for f in findings[:limit]:
        tag = " internal" if f.get("internal") else ""
        where = f"{f.get('file', '?')}:{f.get('line', '?')}"
        parts.append(f"{f.get('change')} {f.get('method')} {f.get('path')} [{f.get('auth')}{tag}] {where}")
    more = f" +{len(findings) - limit} more" if len(findings) > limit else ""
    return "; ".join(parts) + more if parts else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirrors", required=True, type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("bench/exposure_corpus.tsv"))
    ap.add_argument("--only", help="score only this owner/name")
    args = ap.parse_args(argv)

    rows = [r for r in load_corpus(args.corpus) if not args.only or r.repo == args.only]
    matrix: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    right = wrong = false_blocks = 0
    unscored: list[str] = []
    for row in rows:
        git_dir = find_git_dir(args.mirrors, row.repo)
        if git_dir is None:
            unscored.append(f"{row.repo} {row.sha[:10]}: no mirror under {args.mirrors}")
            continue
        grows, findings, error = run_exposure(git_dir, row)
        positive = row.expected
        ok = grows is not None and grows == positive
        col = ("TP" if ok else "FN") if positive else ("TN" if ok else "FP")
        matrix[row.kind][col] += 1
        if ok:
            right += 1
            continue
        wrong += 1
        if not positive and grows:
            false_blocks += 1
        got = "error" if grows is None else ("yes" if grows else "no")
        print(
            f"MISMATCH {row.repo} {row.sha[:10]} kind={row.kind} fw={row.framework} "
            f"expected={'yes' if positive else 'no'} got={got}"
        )
        print(f"    reason:   {row.reason}")
        print(f"    findings: {error or brief(findings)}")

    print("\nkind                   TP   FN   TN   FP")
    for kind in sorted(matrix, key=lambda k: (k not in POSITIVE_KINDS, k)):
        m = matrix[kind]
        print(f"{kind:20} {m['TP']:4} {m['FN']:4} {m['TN']:4} {m['FP']:4}")
    scored = right + wrong
    acc = f"{right / scored:.1%}" if scored else "n/a"
    print(
        f"\nscored {scored} of {len(rows)} rows; accuracy {right}/{scored} = {acc}; "
        f"false blocks (expected no, got yes) {false_blocks}"
    )
    if unscored:
        print(f"not scored ({len(unscored)}):")
        for line in unscored:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
