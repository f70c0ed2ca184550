"""Evidence parsing: `parse_evidence` on a ~1 MB body, on the test corpus and on hostile bodies, each beside
the floor: one pass that splits the body into lines and runs the fence and heading regexes on each line
(the least any line-based Markdown reading must do).

    /tmp/v/bin/python -m bench.evidence [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from checks.evidence import MAX_BODY_CHARS, parse_evidence
from checks.evidence.markdown import _ATX, _FENCE_OPEN

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "evidence_corpus"
TARGET_CHARS = 1_000_000


def floor(body: str) -> int:
    structural = 0
    for line in body.replace("\r\n", "\n").split("\n"):
        if _FENCE_OPEN.match(line) or _ATX.match(line):
            structural += 1
    return structural


def corpus() -> list[tuple[str, list[str]]]:
    cases = []
    for path in sorted(CORPUS.glob("*.md")):
        commits_path = path.with_suffix(".commits.json")
        commits = json.loads(commits_path.read_text()) if commits_path.exists() else []
        cases.append((path.read_text(encoding="utf-8"), commits))
    return cases


def chunk(i: int) -> str:
    """One realistic PR's worth of evidence: prose, nested lists, a diff, a session log, a table."""
    return f"""## Summary {i}
Make the exporter resumable (part {i}): records older than `--since` are skipped, and a checkpoint is
written every 10,000 records so an interrupted run can pick up where it stopped.

### Changes
- `export/cli.py`: parse `--since` as an ISO date; reject dates in the future
  - keep records stamped exactly at `--since`
- `export/checkpoint.py`: new, writes `{{offset, sha}}` atomically with `os.replace`
- **Docs:** README section "Resuming an export"

```diff
-def export(records, path):
+def export(records, path, since=None, checkpoint=None):
     with open(path, "w") as out:
+        if since is not None and record.day < since:
+            continue
```

## Not changed
- The export format, and the default behaviour without `--since`.

## Testing
- [x] `pytest tests/test_export.py -q -k part{i}` ✅ (42 passed)
- [x] `ruff check export` ✅
- [ ] Manual resume of a 2 GB export on staging

```console
$ pytest -q tests/test_checkpoint.py
........................................ [100%]
40 passed in 0.{i % 10}1s
```

| Command | Result |
| --- | --- |
| `mypy --strict export` | ✅ |
| `npm run e2e` | ⚠️ not run: no browser in the sandbox |

<details><summary>Benchmark output</summary>

```text
records: 1000000, elapsed: 12.{i % 10} s
```
</details>

## Risks
- A checkpoint written by an older version is ignored, so the first resumed run starts over.
<!-- reviewer hint: look at checkpoint.py first -->

"""


def big_body() -> str:
    parts: list[str] = []
    size = 0
    cases = [body for body, _ in corpus()]
    i = 0
    while size < TARGET_CHARS:
        part = chunk(i) if i % 3 else cases[i % len(cases)] + "\n\n"
        parts.append(part)
        size += len(part)
        i += 1
    body = "".join(parts)[:TARGET_CHARS]
    assert len(body) <= MAX_BODY_CHARS  # measured whole, not cut
    return body


def best(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def row(name: str, ours: float, base: float) -> str:
    return f"{name:<34} {ours * 1000:>10.1f} ms {base * 1000:>10.1f} ms {ours / base:>8.1f}x"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    body = big_body()
    cases = corpus()
    corpus_chars = sum(len(text) for text, _ in cases)
    hostile = {
        "10,000 headings (~0.3 MB)": "".join(
            f"## Testing {i}\n- `pytest -k t{i}` ✅\n" for i in range(10_000)
        ),
        "100,000 '#' on one line": "#" * 100_000,
        "500,000 '[' then 100,000 ']('": "[" * 500_000 + "](" * 100_000,
        "2,000 nested fences": "".join("`" * (3 + i) + "\n" for i in range(2000)),
        "200,000 '<!--'": "<!--" * 200_000,
    }

    print(f"python {platform.python_version()} on {platform.machine()}; min of {args.repeat} runs")
    print(f"{'input':<34} {'parse_evidence':>13} {'floor':>13} {'ratio':>9}")
    lines = body.count("\n") + 1
    label = f"1 MB body ({len(body):,} chars, {lines:,} lines)"
    print(row(label, best(lambda: parse_evidence(body), args.repeat), best(lambda: floor(body), args.repeat)))

    def parse_corpus() -> None:
        for text, commits in cases:
            parse_evidence(text, commits)

    def floor_corpus() -> None:
        for text, _ in cases:
            floor(text)

    label = f"corpus ({len(cases)} bodies, {corpus_chars:,} chars)"
    print(row(label, best(parse_corpus, args.repeat * 3), best(floor_corpus, args.repeat * 3)))
    per_body = best(parse_corpus, args.repeat * 3) / len(cases)
    for name, text in hostile.items():
        print(row(name, best(partial(parse_evidence, text), 3), best(partial(floor, text), 3)))
    print(f"corpus mean per body: {per_body * 1e6:,.0f} µs")
    unit = (CORPUS / "24-emoji-headings.md").read_text(encoding="utf-8") + "\n"
    small = best(partial(parse_evidence, unit * 100), 3)
    large = best(partial(parse_evidence, unit * 1000), 3)
    print(f"linearity: 10x the body takes {large / small:.1f}x the time (quadratic would be ~100x)")


if __name__ == "__main__":
    main()
