"""Prompt tokens under our packing vs the naive prompt (the whole diff after the same instructions).

Three generated diffs: small (one source file), medium (a feature across source, tests, docs, config),
and a 5k-line diff dominated by lockfiles, vendored code, a whitespace-only reformat and a deleted file.
For each: tokens of both prompts for the small model, their ratio, and the share of reviewable changed
lines that made it into the packed prompt. Then the offline heuristic against the real o200k counts.

    /tmp/v/bin/python -m bench.prompt [--cap 60000]
"""

from __future__ import annotations

import argparse
import json
import random
import time

from checks.diff import parse_unified_diff
from checks.prompt import build_prompt, naive_prompt
from checks.tokens import backend, count_tokens, estimate_tokens, heuristic_count
from config.model import Config

MODEL = "claude-haiku-4-5"
BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
WORDS = [
    "user",
    "order",
    "total",
    "items",
    "price",
    "account",
    "token",
    "session",
    "request",
    "response",
    "cache",
    "retry",
    "limit",
]


def _code_line(rng: random.Random, i: int) -> str:
    a, b, c = rng.sample(WORDS, 3)
    return rng.choice(
        [
            f"    {a}_{b} = compute_{c}({a}, {b}={i})",
            f"    if {a}.{b} is None or {a}.{b} > {i}:",
            f'        raise ValueError(f"{a} {b} out of range: {{{a}.{b}}}")',
            f"def {a}_{b}_{i}({c}: {b.title()}) -> {a.title()} | None:",
            f"    return {{'{a}': {a}, '{b}': {c}.{b}}}",
            f"    # {a} before {b}: the {c} must be checked first",
        ]
    )


def _file(path: str, lines: list[str], *, status: str = "modified", context: int = 3) -> str:
    """A unified diff of `path` changing `lines`, hunks of ~12 changed lines with context around."""
    out = [f"diff --git a/{path} b/{path}"]
    if status == "added":
        out += ["new file mode 100644", "--- /dev/null", f"+++ b/{path}", f"@@ -0,0 +1,{len(lines)} @@"]
        return "\n".join(out + [f"+{line}" for line in lines]) + "\n"
    if status == "removed":
        out += ["deleted file mode 100644", f"--- a/{path}", "+++ /dev/null", f"@@ -1,{len(lines)} +0,0 @@"]
        return "\n".join(out + [f"-{line}" for line in lines]) + "\n"
    out += [f"--- a/{path}", f"+++ b/{path}"]
    start = 1
    for k in range(0, len(lines), 12):
        chunk = lines[k : k + 12]
        ctx = [f" context_{start + j} = {j}" for j in range(context)]
        out.append(f"@@ -{start},{context} +{start},{context + len(chunk)} @@")
        out += ctx[: context // 2 + 1] + [f"+{line}" for line in chunk] + ctx[context // 2 + 1 :]
        start += 40
    return "\n".join(out) + "\n"


def _whitespace_reformat(path: str, n: int, rng: random.Random) -> str:
    out = [f"diff --git a/{path} b/{path}", f"--- a/{path}", f"+++ b/{path}"]
    for k in range(0, n, 10):
        out.append(f"@@ -{k * 3 + 1},5 +{k * 3 + 1},5 @@")
        lines = [_code_line(rng, k + j).strip() for j in range(5)]
        out += [f"-  {line}" for line in lines] + [f"+    {line}" for line in lines]
    return "\n".join(out) + "\n"


def _lockfile(n: int, rng: random.Random) -> list[str]:
    out = []
    for i in range(n // 4):
        name = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
        out += [
            f'    "node_modules/{name}": {{',
            f'      "version": "{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}",',
            f'      "resolved": "https://registry.npmjs.org/{name}/-/{name}-1.0.{i}.tgz",',
            f'      "integrity": "sha512-{"".join(rng.choices(BASE64, k=86))}=="',
        ]
    return out


def diffs() -> dict[str, str]:
    rng = random.Random(6)
    src = lambda n, i=0: [_code_line(rng, i + k) for k in range(n)]  # noqa: E731
    small = _file("app/orders.py", src(40))
    medium = "".join(
        [
            _file(f"app/{name}.py", src(50, i * 100))
            for i, name in enumerate(["orders", "billing", "auth/session"])
        ]
        + [_file(f"tests/test_{name}.py", src(60, 7)) for name in ("orders", "billing")]
        + [_file("app/limits.py", src(120), status="added")]
        + [
            _file(
                "docs/billing.md",
                [f"The {w} is charged once per {v}." for w, v in zip(WORDS, WORDS[3:], strict=False)],
            )
        ]
        + [_file("config/app.yml", [f"{w}: {i}" for i, w in enumerate(WORDS)])]
        + [_file("app/legacy.py", src(80), status="removed")]
    )
    large = "".join(
        [_file("package-lock.json", _lockfile(2_400, rng)), _file("yarn.lock", _lockfile(600, rng))]
        + [_file("vendor/github.com/x/y/client.go", src(500), status="added")]
        + [_whitespace_reformat("app/models.py", 300, rng)]
        + [_file("app/old_api.py", src(300), status="removed")]
        + [_file(f"app/feature_{i}.py", src(60, i * 100)) for i in range(8)]
        + [_file(f"tests/test_feature_{i}.py", src(40, i)) for i in range(4)]
    )
    return {"small": small, "medium": medium, "5k-line with lockfiles": large}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cap", type=int, default=60_000)
    args = parser.parse_args()
    ignore = Config().review.ignore_paths
    print(f"counter: {backend()}; model {MODEL}; cap {args.cap:,} tokens")
    print(
        "| diff | diff lines | naive prompt | packed prompt | ratio | reviewable lines included | pack time |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, text in diffs().items():
        summary = parse_unified_diff(text)
        naive = estimate_tokens(naive_prompt(text, title="Add limits", body="Adds limits."), MODEL)
        started = time.perf_counter()
        prompt = build_prompt(
            summary,
            model=MODEL,
            max_tokens=args.cap,
            title="Add limits",
            body="Adds limits.",
            ignore_paths=ignore,
        )
        elapsed = (time.perf_counter() - started) * 1000
        share = prompt.included_lines / prompt.reviewable_lines if prompt.reviewable_lines else 1.0
        print(
            f"| {name} | {text.count(chr(10)):,} | {naive:,} | {prompt.estimated_tokens:,} | "
            f"{prompt.estimated_tokens / naive:.2f} | {share:.0%} ({prompt.included_lines:,} of "
            f"{prompt.reviewable_lines:,}) | {elapsed:.0f} ms |"
        )
    if backend() != "heuristic":
        print()
        print("heuristic vs o200k (ratio, per diff):")
        ratios = {name: heuristic_count(text) / count_tokens(text) for name, text in diffs().items()}
        print(json.dumps({k: round(v, 3) for k, v in ratios.items()}))


if __name__ == "__main__":
    main()
