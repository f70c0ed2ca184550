"""Does the evidence scanner read a PR body's structure as a CommonMark + GFM parser does?

For every body in a folder (the real-body corpus: `bench/evidence_corpus.tsv`, bodies kept outside the
repository), compare the ATX/setext headings (level, text, line) and fenced code blocks (start line)
that `checks.evidence.markdown.scan` finds with what markdown-it-py finds, and time both.

    .venv/bin/python -m bench.evidence_structure --bodies /work/corpora/evidence/bodies
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from markdown_it import MarkdownIt

from checks.evidence.markdown import Fence, Heading, scan

Mark = tuple[str, int, int, str]  # kind, line, level, text


def ours(body: str) -> set[Mark]:
    found: set[Mark] = set()
    for item in scan(body):
        if isinstance(item, Heading) and item.kind in ("atx", "setext"):
            found.add(("heading", item.line, item.level, " ".join(item.text.split())))
        elif isinstance(item, Fence):
            found.add(("fence", item.line, 0, ""))
    return found


def commonmark(parser: MarkdownIt, body: str) -> set[Mark]:
    found: set[Mark] = set()
    tokens = parser.parse(body)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.map is not None:
            line = token.map[0] + 1
            text = " ".join(tokens[i + 1].content.split())
            found.add(("heading", line, int(token.tag[1]), text))
        elif token.type == "fence" and token.map is not None:
            found.add(("fence", token.map[0] + 1, 0, ""))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=Path, required=True)
    args = parser.parse_args(argv)
    if not args.bodies.is_dir():
        print(f"no bodies folder at {args.bodies}", file=sys.stderr)
        return 1
    md = MarkdownIt("commonmark").enable("table")
    bodies = [path.read_text(encoding="utf-8") for path in sorted(args.bodies.glob("*.md"))]
    agree = total = 0
    disagreements: list[str] = []
    for path, body in zip(sorted(args.bodies.glob("*.md")), bodies, strict=True):
        a, b = ours(body), commonmark(md, body)
        total += len(a | b)
        agree += len(a & b)
        for mark in sorted(a ^ b):
            side = "scanner only" if mark in a else "markdown-it only"
            disagreements.append(f"{path.stem}: {side}: {mark[0]} line {mark[1]} {mark[3][:60]!r}")
    start = time.perf_counter()
    for body in bodies:
        scan(body)
    scanned = time.perf_counter() - start
    start = time.perf_counter()
    for body in bodies:
        md.parse(body)
    parsed = time.perf_counter() - start
    print(
        f"{len(bodies)} bodies; headings and fences found by both: {agree}/{total} "
        f"({100 * agree / max(total, 1):.1f} %)"
    )
    print(
        f"scanner {scanned * 1000:.1f} ms, markdown-it {parsed * 1000:.1f} ms (ratio {scanned / parsed:.2f})"
    )
    for line in disagreements:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
