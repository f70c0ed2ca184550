"""Test claims: which commands a PR says it ran, and with what result (see `results` for how).

Lines are read as Markdown renders them: a paragraph or list item wrapped over several lines is one line.
A line of a tests section is a claim when it carries a checkbox, a ✅/❌ mark, a result word ("pass",
"fails", "not run") or a command that names a run (a known test runner, a prompt line; a file or an
identifier in inline code is not one); sentences stating different results are one claim each. A fenced
shell session gives one claim per command, its result read from the output lines that follow it or its
`# comment`. In prose outside a tests section, only strong statements count ("all tests pass", "tested
locally", "ran `pytest`", "the example now runs correctly"); a clause that states the fix ("Fixes the crash")
is not one, and a spaced dash ends a clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from checks.evidence.commands import (
    RUN_SUBCOMMANDS,
    bounded,
    code_spans,
    command_in_prose,
    command_in_spans,
    has_prompt,
    looks_like_command,
    runner_at,
    strip_prompt,
)
from checks.evidence.content import is_footer, is_template
from checks.evidence.markdown import Fence, Text
from checks.evidence.model import TestClaim
from checks.evidence.results import (
    FAIL_MARKS,
    PASS_MARKS,
    WARN_MARKS,
    line_result,
    marked,
    output_result,
    partly_passed,
    says_failed,
    strip_marks,
    without_purpose,
)

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
    says_nothing = checkbox is None and result == "unknown" and not marked(stripped, WARN_MARKS)
    if says_nothing and (command is None or not names_a_run(command)):
        return None  # a file, an identifier, a table cell: named, not run
    return TestClaim(bounded(command), result, written[:MAX_CLAIM_TEXT])


def claims_from_line(line: str, runners_only: bool = False) -> list[TestClaim]:
    """The claims of one line: one, or one per result when its sentences state different ones
    ("Typecheck passes. The e2e suite was not run.")."""
    claim = claim_from_line(line, runners_only)
    if claim is not None and claim.result == "passed" and partly_passed(line[:MAX_LINE_CHARS].lower()):
        return [claim, TestClaim(None, "failed", claim.text)]
    sentences = _SENTENCE_END.split(line.strip()[:MAX_LINE_CHARS], maxsplit=_MAX_SENTENCES)
    if claim is None or len(sentences) < 2:
        return [] if claim is None else [claim]
    box = _CHECKBOX.match(sentences[0])
    results: list[str] = []
    for index, sentence in enumerate(sentences):
        result = line_result(sentence, box.group(1) if box is not None and index == 0 else None)
        if result != "unknown" and result not in results:
            results.append(result)
    if len(results) < 2:
        return [claim]
    return [
        TestClaim(claim.command if i == 0 else None, result, claim.text) for i, result in enumerate(results)
    ]


# A sentence ends at . ! or ? before a capital (or an opening bracket or quote and a capital).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[(\[\"'*_`]?[A-Z])")
_MAX_SENTENCES = 20


def names_a_run(command: str) -> bool:
    """A command that says something was run even with no result: a known runner, a prompt line, or a
    word and a run subcommand (`just test`); not a bare file or identifier (`tests/x.py`, `productTours`)."""
    tokens = strip_prompt(command).split()
    if not tokens:
        return False
    if has_prompt(command) or runner_at(tokens, 0):
        return True
    return len(tokens) > 1 and looks_like_command(tokens[0]) and tokens[1].lower() in RUN_SUBCOMMANDS


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
            command, comment = _split_comment(strip_prompt(line.strip()))
            runs.append((command, [comment] if comment else []))
        elif runs:
            runs[-1][1].append(line)
        else:
            loose_output.append(line)
    if not runs:
        return _summary_claim(loose_output)
    return [_fence_claim(command, output, default) for command, output in runs]


_SHELL_COMMENT = re.compile(r"\s#\s")


def _split_comment(command: str) -> tuple[str, str]:
    """`pnpm test   # 164 passed`: the command, and the comment that reports its output."""
    found = _SHELL_COMMENT.search(command)
    if found is None:
        return command, ""
    return command[: found.start()].rstrip(), command[found.end() :].strip()


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


_BLOCK_START = re.compile(r"\s{0,8}(?:[-*+]\s|\d{1,9}[.)]\s|[|<>#]|`{3}|~{3}|\[[ xX]\])")


def _continues(previous: str, line: str, in_code: bool = False) -> bool:
    """Whether `line` is a soft-wrapped continuation of `previous` (one paragraph or list item when
    rendered), not a block of its own: a list item, a table row, a tag, a mark or a command line. Inside
    an open code span (`in_code`) a command is the rest of that span, so only Markdown's own blocks part."""
    if not previous.strip() or not line.strip() or previous.lstrip().startswith(("|", "<")):
        return False
    stripped = line.strip()
    if _BLOCK_START.match(line):
        return False
    if in_code:
        return True
    if has_prompt(stripped) or strip_marks(stripped) != stripped.strip("*_ "):
        return False
    tokens = stripped.split()
    return not runner_at(tokens, 0)


def logical_lines(pieces: Iterable[Text | Fence]) -> Iterator[Text | Fence]:
    """The pieces with soft-wrapped lines joined, as Markdown renders them. A joined line keeps what
    fits in MAX_LINE_CHARS (all a claim reads); the rest of its paragraph is passed over."""
    parts: list[str] = []
    previous = ""
    first = last = size = ticks = 0  # ticks: backticks so far in the paragraph; odd, a code span is open
    for piece in pieces:
        if (
            isinstance(piece, Text)
            and parts
            and piece.line == last + 1
            and _continues(previous, piece.text, ticks % 2 == 1)
        ):
            previous = piece.text
            last = piece.line
            ticks += piece.text.count("`")
            if size < MAX_LINE_CHARS:
                parts.append(piece.text.strip())
                size += len(parts[-1]) + 1
            continue
        if parts:
            yield Text(" ".join(parts), first)
            parts = []
        if isinstance(piece, Text):
            parts, first, last, size = [piece.text.rstrip()], piece.line, piece.line, len(piece.text)
            previous = piece.text
            ticks = piece.text.count("`")
        else:
            yield piece
    if parts:
        yield Text(" ".join(parts), first)


def claims_from_pieces(pieces: Iterable[Text | Fence]) -> list[tuple[int, TestClaim]]:
    """(line, claim) of a tests section, in order. A claim line just before a block lends it its result."""
    claims: list[tuple[int, TestClaim]] = []
    last_line_claim: TestClaim | None = None
    for piece in logical_lines(pieces):
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
            found_here = claims_from_line(piece.text)
            last_line_claim = found_here[-1] if len(found_here) == 1 else None
            claims.extend((piece.line, claim) for claim in found_here)
    return claims


_PROSE_CLAIM = re.compile(
    r"\b(?:(?:all|unit|integration|e2e|existing|the)\s+)?(?:tests?|specs?|ci|test suite|checks?)\b"
    r"[^.\n]{0,40}?\b(?:pass\w*|green|fail\w*|succeed\w*)\b"
    r"|\btested\s+(?:locally|manually|on|with|against|by|in|it|this|the)\b"
    r"|\bfails?\s+(?:without|before)\s+(?:the|this)\s+(?:fix|change|patch)\b"
    r"|\b(?:test(?:ing)?|ci)\s+(?:output|results?|logs?|run)\b"
    r"|\b(?:tests?|checks?|lint\w*|builds?|validation|ci|codeql|review)\b[^\n]{0,40}?[\u2705\u274c]"
    r"|\bverified\s+(?:end[- ]to[- ]end|manually|locally|against)\b"
    r"|\bvalidated\s+(?:after|with|by|locally|manually|against|on)\b"
    r"|\b(?:tests?|specs?|checks?|test suite)\s+(?:were|was|are|have|has)(?:\s+not|n't)\s+(?:been\s+)?"
    r"(?:run|executed)\b"
    r"|\b(?:i|we)\s+(?:ran|executed)\b[^.\n]{0,60}?\b(?:tests?|specs?|test suite)\b"
    r"|\b(?:ran|running|verified|executed)\b"
    r"|\b(?:mypy|ruff|black|flake8|pylint|pyright|eslint|clippy|tsc|linters?|type[- ]?check\w*)\b"
    r"[^.\n]{0,30}?\bhappy\b"
    r"|(?<!never )(?<!not )(?<!n't )(?<!longer )\bruns\s+(?:correctly|cleanly|successfully|to completion)\b"
    # "run" opening a sentence or an item is a step ("1. Run `npm test`"); "(run `x` first)" is not
    r"|(?:^|[.!?:]\s+|^\s*(?:[-*+]|\d{1,9}[.)])\s+)run\b",
)
_WEAK_CLAIM_WORDS = ("ran", "running", "verified", "executed", "run")
_NEGATION = re.compile(r"\bnot\b|n't\b")
# "Fixes the crash - the example now runs correctly": what follows a spaced dash is said apart from the fix.
_CLAUSE_END = re.compile(f"{_SENTENCE_END.pattern}|\\s+[-\u2013\u2014]\\s+")
# Prose that says what the PR fixes describes the bug ("Fixes a flaky failure seen in CI"), not a run.
_FIX_STATEMENT = re.compile(
    r"\s{0,8}(?:[-*+]\s+)?(?:fix|fixes|fixed|resolves|resolved|closes)\b", re.IGNORECASE
)


def claims_from_prose(texts: Iterable[Text]) -> list[tuple[int, TestClaim]]:
    """(line, claim) stated in ordinary text ("Tested locally with `make test`", "All tests pass").

    Template guidance ("Please add tests and lint with `uv run ruff`") and a statement of the bug being
    fixed are not claims; neither is a failure named only as a purpose ("to avoid type-check failures").
    """
    claims: list[tuple[int, TestClaim]] = []
    for text in logical_lines(texts):
        if not isinstance(text, Text):
            continue
        stripped = text.text.strip()
        if (
            not stripped
            or len(stripped) > MAX_LINE_CHARS
            or is_footer(stripped)
            or is_template(stripped, "tests_run")
        ):
            continue
        if not marked(stripped, (*PASS_MARKS, *FAIL_MARKS)):
            sentences = _CLAUSE_END.split(stripped, maxsplit=_MAX_SENTENCES)
            stripped = " ".join(sentence for sentence in sentences if not _FIX_STATEMENT.match(sentence))
        matches = [match.group(0) for match in _PROSE_CLAIM.finditer(without_purpose(stripped.lower()))]
        if not matches:
            continue
        found = claims_from_line(stripped, runners_only=True)
        # "Tests were not run" ends on a weak word but says something definite.
        strong = any(m.split()[-1] not in _WEAK_CLAIM_WORDS or _NEGATION.search(m) for m in matches)
        if not found and strong:
            said = line_result(stripped, None)
            found = [
                TestClaim(
                    None, said if said in ("not_run", "passed") else "unknown", stripped[:MAX_CLAIM_TEXT]
                )
            ]
        claims.extend((text.line, claim) for claim in found if strong or claim.command is not None)
    return claims
