"""Which command a line names: inline code, a known test runner in plain text, a shell prompt line.

A runner that is also an English word needs its subcommand ("go test", "make check", "npm run"), so
"go through" or "make sure" are not commands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_COMMAND_CHARS = 200

_PROMPT = re.compile(r"(?:\$|%|\u276f|PS>|PS [^>]{0,80}>)\s+")  # not ">": npm echoes "> pkg@1.0 test"

# Test runners and the subcommands that make them one ("go" alone is an English word, "go test" is not).
# fmt: off
_RUNNERS: dict[str, frozenset[str] | None] = {
    **dict.fromkeys(
        ("pytest", "py.test", "tox", "nox", "jest", "vitest", "mocha", "playwright", "cypress", "ctest",
         "rspec", "phpunit", "ruff", "mypy", "pyright", "flake8", "pylint", "eslint", "tsc", "biome",
         "golangci-lint", "shellcheck", "pre-commit", "./gradlew", "gradle", "mvn", "./mvnw", "bazel", "sbt",
         "xcodebuild", "nosetests", "hadolint", "actionlint", "stylelint", "isort", "gotestsum", "ginkgo"),
        None,
    ),
    "go": frozenset(("test", "vet", "build", "run")),
    "make": frozenset(
        ("test", "tests", "check", "lint", "ci", "build", "all", "verify", "e2e", "unit", "fmt")
    ),
    "python": frozenset(("-m",)),
    "python3": frozenset(("-m",)),
    "uv": frozenset(("run",)),
    "poetry": frozenset(("run",)),
    "pipenv": frozenset(("run",)),
    "npm": frozenset(("test", "run", "t", "ci", "exec")),
    "npx": None,
    "pnpm": None,
    "yarn": None,
    "bun": frozenset(("test", "run")),
    "deno": frozenset(("test", "lint", "check")),
    "cargo": frozenset(("test", "clippy", "check", "build", "fmt", "nextest")),
    "dotnet": frozenset(("test", "build")),
    "swift": frozenset(("test", "build")),
    "flutter": frozenset(("test", "analyze")),
    "dart": frozenset(("test", "analyze")),
    "mix": frozenset(("test", "format", "credo")),
    "bundle": frozenset(("exec",)),
    "php": frozenset(("artisan", "vendor/bin/phpunit")),
    "composer": frozenset(("test",)),
    "bash": frozenset(("-n", "-c", "-x", "-e")),
    "sh": frozenset(("-n", "-c", "-x", "-e")),
}
# fmt: on
_SCRIPT_SUFFIXES = {"python": ".py", "python3": ".py", "bash": ".sh", "sh": ".sh"}
# fmt: off
RUN_SUBCOMMANDS = frozenset(
    ("test", "tests", "run", "check", "lint", "build", "vet", "clippy", "fmt", "format", "exec", "ci",
     "typecheck", "unit", "e2e", "integration", "all", "verify", "analyze", "nextest", "coverage", "spec")
)
# fmt: on
_COMMAND_WORD = re.compile(r"(?:\./|\.\./)?[a-z][\w./-]{0,60}")
_ARG = re.compile(r"[\w./:=@,+%~*\[\]-]+")
# fmt: off
_SEPARATORS = (
    " — ", " \u2013 ", " -- ", " - ", " → ", " -> ", " => ", " (", ": ", "; ", ", ",
    " ✅", " ❌", " ⚠", " … ",
)
# fmt: on
# fmt: off
_COMMAND_ENDS = frozenset(
    ("pass", "passes", "passed", "passing", "fail", "fails", "failed", "failing", "ok", "green", "succeeds",
     "succeeded", "works", "worked", "and", "with", "on", "in", "locally", "after", "before", "which", "that",
     "now", "still", "is", "are", "was", "were", "to", "for")
)
# fmt: on


def has_prompt(line: str) -> bool:
    return _PROMPT.match(line) is not None


def strip_prompt(command: str) -> str:
    prompt = _PROMPT.match(command)
    return command[prompt.end() :] if prompt is not None else command


def looks_like_command(word: str) -> bool:
    return _COMMAND_WORD.fullmatch(word) is not None


def bounded(command: str | None) -> str | None:
    return command[:MAX_COMMAND_CHARS] if command else None


def code_spans(text: str) -> list[str]:
    spans: list[str] = []
    cursor = 0
    while len(spans) < 8:
        start = text.find("`", cursor)
        if start < 0:
            break
        run_end = start
        while run_end < len(text) and text[run_end] == "`":
            run_end += 1
        close = text.find(text[start:run_end], run_end)
        if close < 0:
            break
        spans.append(text[run_end:close].strip())
        cursor = close + (run_end - start)
    return spans


# A package manager's release steps: `pnpm changeset` writes a changeset file, it tests nothing.
_RELEASE_STEPS = frozenset(("changeset", "publish", "version"))


def runner_at(tokens: Sequence[str], index: int) -> bool:
    token = tokens[index].strip("(\"'").lower()
    if token not in _RUNNERS:
        return token.startswith(("./", "scripts/", "bin/")) and index == 0
    required = _RUNNERS[token]
    following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
    if required is None:
        return following.strip("`'\".,;:)") not in _RELEASE_STEPS
    suffix = _SCRIPT_SUFFIXES.get(token)
    return following in required or (suffix is not None and following.endswith(suffix))


def command_in_spans(spans: Sequence[str], runners_only: bool) -> str | None:
    for span in spans:
        tokens = strip_prompt(span).split()
        if tokens and runner_at(tokens, 0):
            return strip_prompt(span)
    if runners_only or not spans or "://" in spans[0]:
        return None
    first = strip_prompt(spans[0])
    return first if first and looks_like_command(first.split()[0]) else None


# Nouns after a runner's name that make it a thing of the project, not a command: "the jest config".
_TOOL_NOUNS = frozenset(
    {
        "config",
        "configs",
        "configuration",
        "setup",
        "settings",
        "file",
        "files",
        "plugin",
        "plugins",
        "version",
    }
)


def command_in_prose(text: str) -> str | None:
    """A runner named in plain text, with the arguments that follow it."""
    tokens = text.split()[:60]
    for index in range(len(tokens)):
        if not runner_at(tokens, index):
            continue
        if index + 1 < len(tokens) and tokens[index + 1].strip(",.;:)").lower() in _TOOL_NOUNS:
            continue  # "package.json scripts, vitest config, registries": the tool's file, no run
        if index == 0:
            return _leading_command(text)
        taken = [tokens[index].strip("(\"'")]
        for token in tokens[index + 1 : index + 12]:
            if not _ARG.fullmatch(token) or not _is_argument(token, taken[-1]):
                break
            taken.append(token)
        return " ".join(taken).rstrip(".,;:)")
    return None


def _is_argument(token: str, previous: str) -> bool:
    if token.lower() in _COMMAND_ENDS:
        return False
    if token.lower() in RUN_SUBCOMMANDS or previous.startswith("-"):
        return True
    return token.startswith("-") or any(mark in token for mark in "/.:=@*")


def _leading_command(text: str) -> str:
    """A line that starts with a runner is the command up to the first separator."""
    end = len(text)
    for separator in _SEPARATORS:
        at = text.find(separator)
        if 0 < at < end:
            end = at
    tokens = text[:end].split()
    kept = tokens[:1]
    for token in tokens[1:]:
        if token.lower() in _COMMAND_ENDS:
            break
        kept.append(token)
    return " ".join(kept).rstrip(".,;:")
