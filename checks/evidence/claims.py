"""Test claims: which commands a PR says it ran, and with what result (see `results` for how).

A line of a tests section is a claim when it carries a checkbox, a ✅/❌ mark, a command (inline code, a
known test runner) or a result word ("pass", "fails", "not run"). A fenced shell session gives one claim
per command, its result read from the output lines that follow it. In prose outside a tests section,
only strong statements count ("all tests pass", "tested locally", "ran `pytest`").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from checks.evidence.commands import (
    bounded,
    code_spans,
    command_in_prose,
    command_in_spans,
    has_prompt,
    looks_like_command,
    runner_at,
    strip_prompt,
)
from checks.evidence.content import is_footer
from checks.evidence.markdown import Fence, Text
from checks.evidence.model import TestClaim
from checks.evidence.results import WARN_MARKS, line_result, marked, output_result, says_failed, strip_marks

MAX_CLAIMS = 100
MAX_CLAIM_TEXT = 300
MAX_LINE_CHARS = 2000  # a claim is one line; what a longer line says past this is not read
_MAX_FENCE_LINES = 200

_CHECKBOX = re.compile(r"\s{0,8}(?:(?:[-*+]|\d{1,9}[.)])\s+)?\[([ xX])\]")
_LIST_MARKER = re.compile(r"\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+")
_CODE_TAG = re.compile(r"</?code>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,300}>")
# fmt: off
_SHELL_INFOS = frozenset(
    ("", "sh", "bash", "shell", "console", "zsh", "fish", "powershell", "pwsh", "ps1", "cmd", "bat",
     "terminal", "shell-session", "shellsession", "session")
)
# fmt: on
_OUTPUT_INFOS = frozenset(("text", "txt", "output", "log", "logs", "plaintext", "plain", "stdout"))
_OUTPUT_LINE = re.compile(
    r"(?:=+|-{3,}|PASS\b|FAIL\b|ok\s|ok$|FAILED\b|ERROR\b|Ran \d|test result:|Tests?:\s|Test Suites:"
    r"|\d+ (?:passed|failed|tests?)\b|\s|\.+$|[.FEsx]+\s*(?:\[\s*\d+%\])?$|collected \d|platform |rootdir:"
    r"|Finished |Compiling |Running |--- (?:PASS|FAIL)|#|✓|✔|✗|✘|\u00d7|√)",
)


def claim_from_line(line: str, runners_only: bool = False) -> TestClaim | None:
    """The claim one line of a tests section makes, if any.

    In prose (`runners_only`), inline code names identifiers more often than commands: only a known
    test runner counts as a command there.
    """
    written = line.strip()[:MAX_LINE_CHARS]
    stripped = _html_to_markdown(written)
    if not stripped or is_footer(stripped):
        return None
    box = _CHECKBOX.match(stripped)
    checkbox = box.group(1) if box is not None else None
    body = stripped[box.end() :] if box is not None else _strip_list_marker(stripped)
    body = strip_marks(body.strip())
    spans = code_spans(body)
    command = command_in_spans(spans, runners_only) if spans else command_in_prose(body)
    if command is None and spans and runners_only:
        command = command_in_prose(body)
    result = line_result(stripped, checkbox)
    if command is None and checkbox is None and result == "unknown" and not marked(stripped, WARN_MARKS):
        return None
    return TestClaim(bounded(command), result, written[:MAX_CLAIM_TEXT])


def _html_to_markdown(text: str) -> str:
    if "<" not in text:
        return text
    return _TAG.sub("", _CODE_TAG.sub("`", text)).strip()


def _strip_list_marker(text: str) -> str:
    marker = _LIST_MARKER.match(text)
    return text[marker.end() :] if marker is not None else text


def claims_from_fence(fence: Fence, default: str) -> list[TestClaim]:
    """Commands of a shell block, each with the result its output shows (else `default`)."""
    info = fence.info.split()[0].lower() if fence.info.split() else ""
    if info not in _SHELL_INFOS and info not in _OUTPUT_INFOS:
        return []  # a code sample, not a session
    lines = [line.rstrip() for line in fence.lines[:_MAX_FENCE_LINES] if line.strip()]
    prompted = any(has_prompt(line.lstrip()) for line in lines)
    runs: list[tuple[str, list[str]]] = []
    loose_output: list[str] = []
    for line in lines:
        if _is_command_line(line, info, prompted):
            runs.append((strip_prompt(line.strip()), []))
        elif runs:
            runs[-1][1].append(line)
        else:
            loose_output.append(line)
    if not runs:
        return _summary_claim(loose_output)
    return [_fence_claim(command, output, default) for command, output in runs]


def _is_command_line(line: str, info: str, prompted: bool) -> bool:
    stripped = line.strip()
    if prompted:
        return has_prompt(stripped)
    if info in _OUTPUT_INFOS or stripped.startswith("#") or line[:1].isspace():
        return False
    tokens = stripped.split()
    if runner_at(tokens, 0):
        return True
    if not info or _OUTPUT_LINE.match(stripped) is not None or says_failed(stripped):
        return False  # an unlabelled block is output unless a line starts with a known runner
    return looks_like_command(tokens[0])


def _fence_claim(command: str, output: list[str], default: str) -> TestClaim:
    result = output_result(output)
    return TestClaim(bounded(command), default if result == "unknown" else result, command[:MAX_CLAIM_TEXT])


def _summary_claim(output: list[str]) -> list[TestClaim]:
    result = output_result(output)
    if result == "unknown":
        return []
    line = next((line for line in reversed(output) if output_result((line,)) == result), output[-1])
    return [TestClaim(None, result, line.strip()[:MAX_CLAIM_TEXT])]


def claims_from_pieces(pieces: Iterable[Text | Fence]) -> list[tuple[int, TestClaim]]:
    """(line, claim) of a tests section, in order. A claim line just before a block lends it its result."""
    claims: list[tuple[int, TestClaim]] = []
    last_line_claim: TestClaim | None = None
    for piece in pieces:
        if isinstance(piece, Fence):
            default = "unknown"
            if last_line_claim is not None and last_line_claim.command is None:
                default = last_line_claim.result
            found = claims_from_fence(piece, default)
            if found and default != "unknown":
                claims.pop()
            claims.extend((piece.line, claim) for claim in found)
            last_line_claim = None
        elif piece.text.strip():
            last_line_claim = claim_from_line(piece.text)
            if last_line_claim is not None:
                claims.append((piece.line, last_line_claim))
    return claims


_PROSE_CLAIM = re.compile(
    r"\b(?:(?:all|unit|integration|e2e|existing|the)\s+)?(?:tests?|specs?|ci|test suite|checks?)\b"
    r"[^.\n]{0,40}?\b(?:pass\w*|green|fail\w*|succeed\w*)\b"
    r"|\btested\s+(?:locally|manually|on|with|against|by|in|it|this|the)\b"
    r"|\b(?:ran|run|running|verified|executed)\b",
)


def claims_from_prose(texts: Iterable[Text]) -> list[tuple[int, TestClaim]]:
    """(line, claim) stated in ordinary text ("Tested locally with `make test`", "All tests pass")."""
    claims: list[tuple[int, TestClaim]] = []
    for text in texts:
        stripped = text.text.strip()
        match = _PROSE_CLAIM.search(stripped.lower()) if len(stripped) <= 2000 else None
        if match is None or is_footer(stripped):
            continue
        claim = claim_from_line(stripped, runners_only=True)
        strong = match.group(0).lower().split()[0] not in ("ran", "run", "running", "verified", "executed")
        if claim is None and strong:
            claim = TestClaim(None, "unknown", stripped[:MAX_CLAIM_TEXT])
        if claim is not None and (strong or claim.command is not None):
            claims.append((text.line, claim))
    return claims
