"""Rebuild the PR bodies of an evidence corpus from the squash commits in repository snapshots.

The corpus files hold sources and labels, never the texts. A squash-merged pull request keeps its body as
the commit message ("Title (#123)", then the body), so for each row whose id is `owner__repo__N` this finds
the commit of pull request N in the snapshot of owner/repo (the commit named in the source, when it names
one) and writes `<id>.md` (the message without its title and trailing trailers) and `<id>.meta.json` (the
author's login where the commit shows it, and the whole message as the PR's one commit), the shape
`bench.evidence_real` reads:

    .venv/bin/python -m bench.evidence_bodies --mirrors /work/.mirror --out DIR bench/evidence_corpus_*.tsv

A rebuilt text is the commit message, which is not always the body the labeller read (a body edited after
merging, a repository's own squash format): use rebuilt bodies to compare two versions of the rules, not for
the figures of record.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from pathlib import Path

from bench.exposure_real import find_git_dir

# A trailer's key is hyphenated (`Co-authored-by:`, `Signed-off-by:`, `Change-Id:`); a closing "Note: …" line
# is the author's text, not a trailer.
_TRAILER = re.compile(r"^[A-Z][\w]*(?:-[\w]+)+: \S.*$")
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@\s]+)@users\.noreply\.github\.com$")
_BOTS = {
    "copilot": "Copilot",
    "devin-ai-integration[bot]": "devin-ai-integration[bot]",
    "google-labs-jules[bot]": "google-labs-jules[bot]",
    "cursor[bot]": "cursor[bot]",
}
_SHA_IN_SOURCE = re.compile(r"(?:squash |@|\(|commit )([0-9a-f]{7,40})\b|\b([0-9a-f]{7,40})\)?$")


def login_of(name: str, email: str) -> str | None:
    m = _NOREPLY.match(email)
    if m is not None:
        return m.group(1)
    return _BOTS.get(name.lower())


def body_of(message: str) -> str:
    """The message without its title line and without the trailers closing it."""
    lines = message.rstrip("\n").split("\n")[1:]
    while lines and (not lines[-1].strip() or _TRAILER.match(lines[-1].strip())):
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines) + "\n"


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), *args], capture_output=True, text=True, errors="replace"
    ).stdout


def find_commit(git_dir: Path, number: str, hint: str | None, subjects: list[tuple[str, str]]) -> str | None:
    if hint:
        sha = _git(git_dir, "rev-parse", "--verify", "-q", hint + "^{commit}").strip()
        if sha:
            return sha
    for pattern in (rf"\(#{number}\)\s*$", rf"#{number}\b"):
        for sha, subject in subjects:
            if re.search(pattern, subject):
                return sha
    return None


def rebuild(rows: list[dict[str, str]], mirrors: Path, out: Path) -> tuple[int, list[str]]:
    out.mkdir(parents=True, exist_ok=True)
    logs: dict[str, list[tuple[str, str]]] = {}
    written, missing = 0, []
    for row in rows:
        row_id = row["id"]
        left, _, number = row_id.rpartition("__")
        owner, _, name = left.partition("__")
        repo = f"{owner}/{name}"
        git_dir = find_git_dir(mirrors, repo) if owner and name else None
        if git_dir is None:
            missing.append(row_id)
            continue
        m = _SHA_IN_SOURCE.search(row.get("source", ""))
        hint = (m.group(1) or m.group(2)) if m else None
        if not number.isdigit():
            hint = hint or number
        if repo not in logs:
            listed = _git(git_dir, "log", "--all", "--format=%H%x09%s")
            logs[repo] = [
                (sha, subject) for sha, _, subject in (x.partition("\t") for x in listed.splitlines())
            ]
        sha = find_commit(git_dir, number, hint, logs[repo])
        if sha is None:
            missing.append(row_id)
            continue
        author, email, message = _git(git_dir, "log", "-1", "--format=%an%x00%ae%x00%B", sha).split("\x00", 2)
        (out / f"{row_id}.md").write_text(body_of(message), encoding="utf-8")
        meta = {"author": login_of(author, email), "labels": [], "commits": [message.strip()]}
        (out / f"{row_id}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
        written += 1
    return written, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild evidence corpus bodies from squash commits.")
    parser.add_argument("--mirrors", required=True, type=Path, help="directory of repository snapshots")
    parser.add_argument("--out", required=True, type=Path, help="where <id>.md and <id>.meta.json go")
    parser.add_argument("corpus", nargs="+", type=Path, help="evidence corpus TSV files")
    args = parser.parse_args(argv)
    rows = []
    for path in args.corpus:
        with path.open(encoding="utf-8", newline="") as f:
            rows += list(csv.DictReader(f, delimiter="\t"))
    written, missing = rebuild(rows, args.mirrors, args.out)
    print(f"rebuilt {written} of {len(rows)} bodies into {args.out}")
    if missing:
        print(f"not found ({len(missing)}): " + ", ".join(missing[:40]) + (" …" if len(missing) > 40 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
