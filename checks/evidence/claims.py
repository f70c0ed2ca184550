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
from checks.evidence.content import LIST_MARKER, TEST_CONTENT_LEAD, is_footer, is_template, writes_tests_only
from checks.evidence.markdown import Fence, Text
from checks.evidence.model import TestClaim
from checks.evidence.results import (
    FAIL_MARKS,
    FAILURES_REDUCED,
    MEASURED,
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


_COUNTED = re.compile(
    r"\b[1-9]\d*\s+(?:tests?\s+)?(passed|failed)\b"
    # "371 passed, 1 pre-existing failure in x.test.tsx": a failure, counted
    r"|\b[1-9]\d*\s+(?:(?:pre-?existing|unrelated|known|flaky)\s+){1,2}(?:[\w/-]+\s+){0,2}?(failure)s?\b"
)
_SUITE_RATIO = re.compile(r"\bsuites?\s+(?:is|are|at)\s+[1-9]\d{0,5}\s*/\s*\d{1,6}\b")
# "- pass/fail:", "- code-related failures:": a template's field left blank, no result.
_BLANK_FIELD = re.compile(r"\s{0,8}(?:(?:[-*+]|\d{1,9}[.)])\s+)?[^:`\n]{1,60}:\s*")
_STATED = re.compile(r"\b(?:passed|passes|passing|green|succeeded|successful|failed|fails|failing|ok)\b")


def _blank_field(line: str) -> bool:
    """ "- pass/fail:" left blank; not "All green ✅:" introducing the commands that ran."""
    if _BLANK_FIELD.fullmatch(line) is None or marked(line, (*PASS_MARKS, *FAIL_MARKS)):
        return False
    return _STATED.search(line.lower()) is None


_NO_TESTING_OPTION = re.compile(
    r"\W{0,4}(?:no|not)\s+(?:testing|tests?)\s+(?:is\s+|are\s+)?(?:required|needed|necessary|applicable)\b",
    re.IGNORECASE,
)
_AUTHORS_TESTS = re.compile(
    r"(?:includes?|adds?|added|contains?|new|wrote|written|writes?)\b[^.\n]{0,40}?\btests?\b"
    r"|(?:unit\s+|new\s+)?tests?\s+(?:(?:have|has)\s+been\s+)?(?:added|written|included|updated|adjusted)\b",
    re.IGNORECASE,
)
# "[ ] Updated documentation", "[x] Changelog entry": a box of a template's tests section about the docs.
_DOCS_ONLY = re.compile(r"\b(?:docs?|documentation|changelog|readme|release\s+notes?)\b", re.IGNORECASE)
_TEST_WORD = re.compile(r"\b(?:tests?|tested|testing|specs?|ci|checks?|lint\w*|build)\b", re.IGNORECASE)
# "pass", "passes", "passing" — not a password, passphrase, passport, passkey or passthrough
# ("the two tests additionally pass a bare request": an argument handed on)
_PASS_WORD = (
    r"pass(?!word|phrase|port|key|thr)\w*(?![- ]?through)"
    r"(?!\s+(?:a|an|any|no|some)\s+(?!(?:[\w-]+\s+)?(?:tests?|suites?|ci|checks?|builds?|lint\w*|review)\b))"
)
_RAN = re.compile(rf"\b(?:{_PASS_WORD}|ran|run|runs|green|succeed\w*|fail\w*)\b", re.IGNORECASE)


def claim_from_line(line: str, runners_only: bool = False) -> TestClaim | None:
    """The claim one line of a tests section makes, if any.

    In prose (`runners_only`), inline code names identifiers more often than commands: only a known
    test runner counts as a command there.
    """
    written = line.strip()[:MAX_LINE_CHARS]
    stripped = _html_to_markdown(written)
    if not stripped or is_footer(stripped) or _blank_field(stripped):
        return None
    box = _CHECKBOX.match(stripped)
    checkbox = box.group(1) if box is not None else None
    body = stripped[box.end() :] if box is not None else _strip_list_marker(stripped)
    body = strip_marks(body.strip())
    spans = code_spans(body)
    command = command_in_spans(spans, runners_only) if spans else command_in_prose(body)
    if command is None and spans and runners_only:
        command = command_in_prose(body)
    if checkbox is not None and _AUTHORS_TESTS.match(body) and not _RAN.search(body):
        return None  # "[x] Includes tests generated by an AI agent": tests written, none said to run
    if checkbox is not None and _DOCS_ONLY.search(body) and not _TEST_WORD.search(body):
        return None  # "[ ] Updated documentation": no test at all
    if checkbox == " " and _NO_TESTING_OPTION.match(body):
        return None  # "[ ] No testing required (documentation only)": an option of the template not taken
    result = line_result(stripped, checkbox)
    says_nothing = checkbox is None and result == "unknown" and not marked(stripped, WARN_MARKS)
    if says_nothing and (command is None or not names_a_run(command)):
        return None  # a file, an identifier, a table cell: named, not run
    return TestClaim(bounded(command), result, written[:MAX_CLAIM_TEXT])


# (a pass said in words: "clean, no new failures (pre-existing … failures)" reports the failures only)
_SAYS_PASS = re.compile(r"(?i)\b(?:pass(?:es|ed|ing)?|succeed(?:s|ed)?)\b")
_BRACKETED = re.compile(r"\([^()\n]{1,300}\)")


def claims_from_line(line: str, runners_only: bool = False) -> list[TestClaim]:
    """The claims of one line: one, or one per result when its sentences state different ones
    ("Typecheck passes. The e2e suite was not run.")."""
    # "… — 10 passed. New cases: oversized boundaries skipped …": what the new tests cover is no result
    parts = _SENTENCE_END.split(line.strip()[:MAX_LINE_CHARS], maxsplit=_MAX_SENTENCES)
    if len(parts) > 1 and any(_TEST_CONTENT.search(part) for part in parts[1:]):
        line = " ".join(part for i, part in enumerate(parts) if not (i and _TEST_CONTENT.search(part)))
    claim = claim_from_line(line, runners_only)
    if claim is not None and claim.result == "passed" and partly_passed(line[:MAX_LINE_CHARS].lower()):
        return [claim, TestClaim(None, "failed", claim.text)]
    # "Suite is 1727/1731; four pre-existing failures": the passes were counted too
    if claim is not None and claim.result == "failed" and _SUITE_RATIO.search(line[:MAX_LINE_CHARS].lower()):
        return [claim, TestClaim(None, "passed", claim.text)]
    # "N passed"/"N failed", or "N pre-existing failures" (the second group: a failure)
    matches = list(_COUNTED.finditer(line[:MAX_LINE_CHARS].lower()))
    counted = [match.group(1) or "failed" for match in matches]
    # "✅ 78 unit tests pass (2 pre-existing failures unrelated to changes)": passes, and failures counted
    if claim is not None and claim.result == "passed" and any(match.group(2) for match in matches):
        return [claim, TestClaim(None, "failed", claim.text)]
    # "2566 tests pass (only the pre-existing e2e files fail)": a pass, and failures beside it in brackets
    if claim is not None and claim.result == "failed":
        capped = line[:MAX_LINE_CHARS]
        outside = _BRACKETED.sub(" ", capped)
        said = outside != capped and _SAYS_PASS.search(outside) is not None
        if said and line_result(outside, None) == "passed":
            return [TestClaim(claim.command, "passed", claim.text), TestClaim(None, "failed", claim.text)]
    if claim is not None and claim.result in counted and len(set(counted)) == 2:
        # "13 failed, 228 passed": both were seen, whichever the line ends on
        return [claim, TestClaim(None, "failed" if claim.result == "passed" else "passed", claim.text)]
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
        # "Tested locally. Please double check the logic still works": the pass word is the reviewer's step
        if results and claim.result not in results and claim.result == "passed":
            return [TestClaim(claim.command, results[0], claim.text)]
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
    marker = LIST_MARKER.match(text)
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


# A line introducing what a new test checks ("Added a test case `x` that validates:"): the items after it
# say what the test asserts ("- the fix works with …"), not how a run went.
# "Scenarios covered include empty results, successful results …": what the tests cover, not a result.
_TEST_CONTENT = re.compile(
    r"^(?:\W{0,8}(?:\*\*|__)?[\w ]{0,20}:(?:\*\*|__)?\s*)?(?:(?:test )?(?:scenarios|cases)|coverage)"
    r"(?: covered| tested)? (?:include|includes|including|covered|cover|covers)\b"
    # "New cases: furthest boundary picked …; oversized boundaries skipped …"
    r"|^\W{0,8}new (?:test )?(?:cases|scenarios)\s*:",
    re.IGNORECASE,
)


# A heading over what new tests check ("## Tests added", "New tests", "Test cases"): its items are the tests'
# assertions ("- Bash rules should not match Edit operations"), not runs.
_TEST_CONTENT_HEADING = re.compile(
    r"^\W{0,8}(?:(?:new|added)\s+(?:unit\s+|regression\s+|integration\s+)?tests?(?:\s+cases?)?"
    r"|(?:unit\s+|regression\s+)?tests?\s+(?:added|cases?\s+added|written))\W{0,8}$",
    re.IGNORECASE,
)


_BEFORE_OR_AFTER = re.compile(
    r"(?:[-*+]\s+)?(?:\*\*|__)?(?:before|after)(?:\s+(?:the|this)\s+(?:fix|change|patch))?(?:\*\*|__)?\s*:"
    r"(?:\*\*|__)?",
    re.IGNORECASE,
)


def claims_from_pieces(pieces: Iterable[Text | Fence], heading: str = "") -> list[tuple[int, TestClaim]]:
    """(line, claim) of a tests section, in order. A claim line just before a block lends it its result."""
    claims: list[tuple[int, TestClaim]] = []
    last_line_claim: TestClaim | None = None
    # inside the items of a line (or under a heading) saying what a new test checks
    listing_content = _TEST_CONTENT_HEADING.match(heading) is not None
    before_or_after = False  # after a "Before:"/"After:" line, until the block it introduces
    for piece in logical_lines(pieces):
        if isinstance(piece, Text) and piece.text.strip():
            before_or_after = _BEFORE_OR_AFTER.fullmatch(piece.text.strip()) is not None
            if before_or_after:
                continue
            item = LIST_MARKER.match(piece.text) is not None
            if listing_content and item:
                continue
            lead = piece.text.strip()
            # ("I ran the test suite to verify the fix:" introduces results, not what a test checks)
            listing_content = TEST_CONTENT_LEAD.search(lead) is not None and _RAN.search(lead) is None
            if _TEST_CONTENT.search(strip_marks(_strip_list_marker(piece.text.strip()))):
                last_line_claim = None
                continue
            if writes_tests_only(" ".join(lead.split())):
                last_line_claim = None
                continue  # "Updated `tests/test_x.py` to assert the new model name": tests changed, none run
        if isinstance(piece, Fence) and before_or_after:
            before_or_after = False
            last_line_claim = None
            continue  # "Before:" then a log: the program's output on each side of the change, no test run
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
    # "Ran the sidecar bin_test 1000 times and no failures" (before "ran" alone, a weak word)
    r"(?:^|(?<=[.!?]\s))(?:(?:i|we)\s+)?ran\b[^.\n]{0,80}?\b(?:no|zero|without(?:\s+an?)?)\s+failures?\b|"
    # (not a method of the code: "CreateService#build, always passes symbols")
    r"(?<![#.:])\b(?:(?:all|unit|integration|e2e|existing|the|manual)\s+)?"
    r"(?:tests?|testing|specs?|ci|test suites?|suites|checks?|(?:local )?builds?)\b"
    r"(?![-.]\w)"
    r"[^.\n]{0,40}?(?<!-)(?<!always )(?<!never )"
    rf"\b(?:{_PASS_WORD}|green|fail\w*|succeed\w*)\b(?!-[a-z])(?!\s+--?[a-z])"
    r"|\btested\s+(?:end[- ]to[- ]end\s+)?(?:locally|manually|on|with|against|by|in|it|this|the)\b"
    r"|\bfails?\s+(?:without|before)\s+(?:the|this)\s+(?:fix|change|patch)\b"
    r"|\b(?:test(?:ing)?|ci)\s+(?:output|results?|logs?|run)\b"
    r"|\b(?:tests?|checks?|lint\w*|builds?|validation|ci|codeql|review)\b[^\n]{0,40}?[\u2705\u274c]"
    r"|[\u2705\u274c]\s*(?:\*\*)?(?:verification|verified|testing|tests?|validation|checks?)\b"
    # a ticked step of the agent's plan that ran checks: "- [x] Run targeted backend/frontend validation"
    r"|^\s*[-*+]\s+\[x\]\s+(?:run|ran|execute|executed)\s+(?:[\w/-]+\s+){0,4}?"
    r"(?:tests?|validation|checks?|specs?|suites?|lint\w*|builds?)\b"
    # "Confirmed this works again: <a CI run>"
    r"|\bconfirmed\s+(?:that\s+)?(?:this|it)\s+(?:now\s+)?works?\b"
    # "Suite is 1727/1731; the four failures are pre-existing"
    rf"|{_SUITE_RATIO.pattern}"
    # a ticked box saying the change was tested: "- [x] tested", "- [x] Code is manually tested"
    r"|^\s*[-*+]\s+\[x\]\s+(?:[\w-]+\s+){0,4}?(?:(?:manually|locally|unit|fully|been)\s+)?tested\b"
    r"|\bverified\s+(?:end[- ]to[- ]end|manually|locally)\b"
    # "Verified passing against the local sandbox."
    r"|\bverified\s+(?:passing|working|green)\b"
    # "it reproduces the error before the fix and passes after", "For testing, I put a test video on my local
    # environment", "Reproduced on cp936 Windows 11: before, … fails; after, both round-trip"
    r"|\b(?:reproduces?|fails?|failed)\b[^.\n]{0,100}?\bbefore\s+(?:the|this)\s+(?:fix|change|patch)\b[^.\n]{0,20}?"
    r"\bpass(?:es|ed)?\s+(?:after|with)\b"
    r"|(?:^|[.!?]\s+)for\s+testing,?\s+(?:i|we)\s+\w+"
    r"|(?:^|[.!?]\s+)reproduced\s+(?:on|in|locally)\b"
    # "verified against a live cluster" ran something; "verified against a_compat.py:1562" read the source
    r"|\bverified\s+against\b(?!\s+`?[\w./-]+\.(?:py|go|ts|tsx|js|rs|java|kt|rb|php|cs|c|h|cc|cpp|md|ya?ml|json)\b)"
    # ("features I verified against the existing documentation": a text checked against another, no run)
    r"(?!\s+(?:the\s+|our\s+)?(?:existing\s+|current\s+|official\s+|upstream\s+|project(?:'s)?\s+)?"
    r"(?:documentation|docs|readme|spec(?:ification)?s?|source(?:\s+code)?|code\s*base)\b)"
    r"(?!\s+(?:the\s+)?(?:upstream\s+)?(?:source|code|docs?|documentation|specs?|implementation)\b)"
    # "Verified that `from x import y` resolves …", "Verified by building the release image and running …"
    r"|(?:^|[.!?:]\s+)verified\s+that\b"
    r"|\bverified\s+by\s+(?:building|running|deploying|starting|executing|launching|installing|booting)\b"
    # "Verified over the corpus: …", "Verified on a real account: …" opening a sentence
    r"|(?:^|[.!?:]\s+)verified\s+(?:on|over|across|in)\s+(?:a|an|the|all|every|both|each|real|\d+)\b"
    # "Verified on darwin25 / bash 3.2.57:" introducing what was seen; "Verified on macOS and Linux"
    r"|(?:^|[.!?]\s+)verified\s+(?:on|in|with)\s+[^\n:]{1,60}:[ \t]*$"
    r"|(?:^|[.!?]\s+)verified\s+on\s+(?:macos|linux|windows|ios|android|chrome|firefox|safari|ubuntu|debian)\b"
    # "Verified: a mouse click still paints nothing, Tab paints a ring."
    # ("… native wire format (verified: the streams arrive incrementally; …)")
    r"|(?:^|[.!?]\s+|\()(?:verified|confirmed):[ \t]+\S"
    r"|\bverified\s+(?:with|by|using)\s+(?:the\s+)?(?:[\w-]+\s+(?:and\s+)?){0,3}?(?:tests|test suite|specs)\b"
    # "Verified with cargo +1.71 check -p tokio …": a run of the project's tool
    r"|\b(?:verified|checked|confirmed)\s+(?:with|by running|using)\s+`?"
    r"(?:cargo|go|npm|pnpm|yarn|npx|pytest|make"
    r"|bundle|rake|mvn|gradle|dotnet|tox|nox|uv|bun|deno|mix|composer|phpunit)\b"
    # ("It is validated by the existing schema": what the code does)
    r"|(?<!\bis )(?<!\bare )(?<!\bbe )(?<!\bgets )\bvalidated\s+"
    r"(?:after|with|by|locally|manually|against|on)\b"
    r"|\b(?:tests?|specs?|checks?|test suite)\s+(?:were|was|are|have|has)(?:\s+not|n't)\s+(?:been\s+)?"
    r"(?:run|executed)\b"
    r"|\b(?:i|we)\s+(?:ran|executed)\b[^.\n]{0,60}?\b(?:tests?|specs?|test suite)\b"
    r"|\b(?:i|we)\s+(?:did|have|had)\s*n[o']?t\s+(?:yet\s+)?(?:test|tested)\b"
    # "so I could not run the typo scanner", "Mostly untested."
    r"|\b(?:i|we)\s+(?:could|can|was|were)(?:\s*not|n't)\s+(?:able\s+to\s+)?(?:run|execute)\b"
    # "I tried to run the python tests and found that these dependencies were missing"
    r"|\b(?:i|we)\s+tried\s+to\s+run\b[^.\n]{0,60}?\b(?:tests?|specs?|test suite)\b"
    # "I haven't been able to test it yet"
    r"|\b(?:i|we)\s+(?:have|had)(?:\s*not|n't)\s+(?:yet\s+)?been\s+able\s+to\s+(?:test|run|verify)\b"
    # "I am not able to test rn", "I'm unable to test this"
    r"|\b(?:i\s+am|i'm|we\s+are|we're)\s+(?:not\s+able|unable)\s+to\s+(?:test|run|verify)\b"
    # "`x.test.tsx > fetches keys` is flaky on `main` too": a failure, though not this change's
    r"|\b(?:is|are)\s+flaky\s+on\s+`?(?:main|master)\b"
    # "These tests are not failing."
    r"|\b(?:tests?|specs?|checks?)\s+(?:are|is)\s+not\s+failing\b"
    # a ticked box saying the code passes the tests: "- [x] Code passes all unit tests"
    r"|^\s*[-*+]\s+\[x\]\s+(?:[\w-]+\s+){0,3}?pass(?:es|ed)?\s+(?:all\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:tests?|checks?|specs?)\b"
    # "Test locally." as a step for the reviewer
    r"|(?:^|[.!?:]\s+|^\s*(?:[-*+]|\d{1,9}[.)])\s+)test\s+(?:it\s+|this\s+)?(?:locally|manually)\b"
    # "Suite 334 passed.", "with fastapi → 5 passed": a runner's count of passes
    r"|\b\d{1,6}\s+(?:tests?\s+|specs?\s+)?passed\b|\bsuite\b[^.\n]{0,20}?\bpass(?:ed|es)\b"
    # "… test_model_parsing and test_model_call all still pass", "12 pass with it" (the fix)
    r"|\b(?:tests?|test_\w+|suites?|specs?)\b[^.\n]{0,100}?\b(?:all|both)\s+(?:still\s+)?pass(?:es|ed)?\b"
    r"|\b\d{1,6}\s+(?:tests?\s+)?pass\s+with\s+(?:it|this|the\s+(?:fix|change|patch))\b"
    # "Test failures reduced from 10 to 1"
    rf"|{FAILURES_REDUCED}\d{{1,6}}\b"
    # "10 out of 60 seeds failed before the fix); all 60 seeds pass after the fix"
    r"|\ball\s+\d{1,6}\s+(?:seeds|runs|iterations|trials|repetitions|attempts|combinations)\s+(?:now\s+)?"
    r"pass(?:es|ed)?\b"
    # "Fix all pre-existing lint errors (0 errors after migration)"
    r"|\b(?:0|zero)\s+(?:lint\s+|type\s+)?(?:errors?|failures?)\s+(?:after|remain\w*|left)\b"
    # "got 5/5 successful runs"; "the extended pkce.test.ts passes 16/16", "16/16 green on the branch"
    r"|\b\d{1,4}\s*/\s*\d{1,4}\s+(?:successful|passing|green|clean)\s+runs?\b"
    # (every one of them: "passes 15/16" leaves one out)
    r"|\bpass(?:es|ed)\s+(?P<ran>\d{1,5})\s*/\s*(?P=ran)\b|\b(?P<all>\d{1,5})\s*/\s*(?P=all)\s+(?:green|passing|passed)\b"
    # "Measured on a LilyGo T-RGB: the low-water rose from ~6.6 KB to ~55.8 KB free", "Vitest benchmarking
    # indicates this reduces lookup time from ~35ms to ~1.2ms", "this PR worked for me"
    rf"|{MEASURED.pattern}"
    r"|\b(?:this|it|that)\s+(?:pr\s+|change\s+|fix\s+)?(?:works|worked)\s+for\s+(?:me|us)\b"
    # "Checked in the browser (Astro dev) at 360 / 390px:", "The previous run failed in Test Apiserver E2E"
    r"|(?:^|[.!?:]\s+)checked\s+in\s+(?:the\s+|a\s+)?(?:browser|simulator|emulator|chrome|firefox|safari)\b"
    r"|\b(?:the\s+)?(?:previous|last|first)\s+(?:ci\s+)?run\s+failed\b"
    r"|\b(?:is|are|was|were|mostly|largely|completely|entirely|totally|still|currently)\s+untested\b"
    # a ticked box of the author's checklist saying a check passed: "- [x] UI lint passes"
    r"|^\s*[-*+]\s+\[x\]\s+(?:[\w-]+\s+){0,3}?(?:lint\w*|builds?|type[- ]?checks?|formatting)\s+"
    rf"(?:{_PASS_WORD}|succeed\w*|is\s+green)\b"
    r"|\b(?:not\s+(?:\w+ly\s+)?)?(?:ran|running|verified|executed)\b"
    r"|\b(?:mypy|ruff|black|flake8|pylint|pyright|eslint|clippy|tsc|linters?|type[- ]?check\w*)\b"
    r"[^.\n]{0,30}?\bhappy\b"
    r"|(?<!never )(?<!not )(?<!n't )(?<!longer )(?<!re-)(?<!already )\bruns\s+"
    r"(?:correctly|cleanly|successfully|to completion)\b"
    # "All 20 locales build cleanly with zero errors"
    r"|(?<!never )(?<!not )(?<!n't )\b(?:builds?|compiles?)\s+"
    r"(?:cleanly|successfully|without\s+(?:errors?|warnings?))\b"
    # "run" opening a sentence or an item is a step ("1. Run `npm test`"); "(run `x` first)" is not
    r"|(?:^|[.!?:]\s+|^\s*(?:[-*+]|\d{1,9}[.)])\s+)run\b"
    # "`./gradlew check`, `x validate`, and `scripts/y` pass.", "The installer suite, including the release
    # path, runs green."
    r"|(?:^|[.!?]\s+)(?:`[^`\n]{1,120}`(?:,\s*(?:and\s+)?|\s+and\s+)){1,5}`[^`\n]{1,120}`\s+"
    r"(?:all\s+|both\s+)?(?:pass(?:es|ed)?|succeed(?:s|ed)?)\b"
    r"|\b(?:suites?|tests?|checks?|ci|builds?)\b[^.\n]{0,80}?\bruns?\s+green\b"
    # "this test is still flaky in CI"
    r"|\b(?:tests?|ci|builds?|checks?|specs?)\b[^.\n]{0,40}?\b(?:is|are)\s+still\s+flaky\b"
    # "テスト通過", "测试通过": tests said to pass, in Japanese or Chinese
    r"|(?:テスト|测试|測試)[^\n。，,]{0,6}?(?:通过|通過|成功|パス|合格)",
)
_TICKED = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s+")
# a ticked box of a template: "- [x] Created tests that fail without the change" (what the tests are for reads
# as a purpose, so the claim is found before purposes are cut)
_TICKED_PROVING_TESTS = re.compile(
    r"^\s*[-*+]\s+\[x\]\s+(?:created|added|wrote)\s+(?:[\w-]+\s+)?tests?\s+that\s+fail\s+without\b"
)
# "the following commands now succeed:", "These checks pass:" introduce a list of commands that passed
_INTRODUCES_PASSING = re.compile(
    r"\b(?:following|these|below|all)\s+(?:[\w-]+\s+){0,2}?(?:commands?|tests?|checks?|scripts?)\b"
    r"[^.:\n]{0,30}?\b(?:succeed(?:s|ed)?|pass(?:es|ed)?|work(?:s|ed)?|(?:ran|run|runs)\s+(?:cleanly|successfully))"
    r"\b[^.:\n]{0,20}:\s*$"
)


def ticked(line: str) -> bool:
    """A list item whose box is ticked: "- [x] Tests are passing locally"."""
    return _TICKED.match(line) is not None


_WEAK_CLAIM_WORDS = ("ran", "running", "verified", "executed", "run")
# "…, verified via `speakeasy run` with the PR spec": checked by running a named tool, a claim of its own.
_VERIFIED_BY_TOOL = re.compile(
    r"\bverified\s+(?:via|using|with|by running)\s+`[^`\n]{2,80}`"
    # "Verified by watching `~/.codex/agents` across a run: unchanged": an observation the author made
    r"|(?:^|[.!?]\s+)verified\s+by\s+(?:watching|observing|inspecting|checking|comparing|diffing|running)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\bnot\b|n't\b")
# "Fixes the crash - the example now runs correctly": what follows a spaced dash is said apart from the fix.
_CLAUSE_END = re.compile(f"{_SENTENCE_END.pattern}|\\s+[-\u2013\u2014]\\s+")
# Prose that says what the PR fixes describes the bug ("Fixes a flaky failure seen in CI"), not a run.
_FIX_STATEMENT = re.compile(
    r"\s{0,8}(?:[-*+]\s+)?(?:fix|fixes|fixed|resolves|resolved|closes)\b"
    # "**Triggered by**: [a flaky e2e failure](…)": what set the change off
    r"|\s{0,8}(?:[-*+]\s+)?(?:\*\*|__)?(?:triggered|prompted|motivated|caused)\s+by\b",
    re.IGNORECASE,
)


# "Add integration test for TURN auth failures": a test written, and the failures are what it covers
_ADDS_TEST = re.compile(
    r"\s{0,8}(?:[-*+]\s+)?(?:add|adds|added|adding)\s+(?:[\w-]+\s+){0,3}?tests?\s+(?:for|of|covering|that)\b",
    re.IGNORECASE,
)
_SAYS_PASS = re.compile(rf"\b(?:{_PASS_WORD}|green|succeed\w*|ran|run)\b", re.IGNORECASE)


def _adds_a_test(sentence: str) -> bool:
    return _ADDS_TEST.match(sentence) is not None and _SAYS_PASS.search(sentence) is None


def _claiming_sentences(text: str) -> str:
    """`text` without the sentences that read as could-not-run but speak of no test or run: "There was a
    bug that could not find the config file. I fixed it and tested it." describes the bug, then claims."""
    sentences = _SENTENCE_END.split(text, maxsplit=_MAX_SENTENCES)
    if len(sentences) < 2:
        return text
    kept = [
        s
        for s in sentences
        if _PROSE_CLAIM.search(without_purpose(s.lower())) or line_result(s, None) != "not_run"
    ]
    return " ".join(kept) if kept else text


def claims_from_prose(texts: Iterable[Text]) -> list[tuple[int, TestClaim]]:
    """(line, claim) stated in ordinary text ("Tested locally with `make test`", "All tests pass").

    Template guidance ("Please add tests and lint with `uv run ruff`") and a statement of the bug being
    fixed are not claims; neither is a failure named only as a purpose ("to avoid type-check failures").
    """
    claims: list[tuple[int, TestClaim]] = []
    in_passing_list = False  # after "the following commands now succeed:", until the list ends
    for text in logical_lines(texts):
        if not isinstance(text, Text):
            in_passing_list = False
            continue
        stripped = text.text.strip()
        if (
            not stripped
            or len(stripped) > MAX_LINE_CHARS
            or is_footer(stripped)
            or is_template(stripped, "tests_run")
        ):
            continue
        if in_passing_list:
            item = LIST_MARKER.match(stripped)
            command = command_in_spans(code_spans(stripped), False) if item is not None else None
            if command is not None:
                claims.append((text.line, TestClaim(bounded(command), "passed", stripped[:MAX_CLAIM_TEXT])))
                continue
            in_passing_list = False
        if _INTRODUCES_PASSING.search(stripped.lower()) is not None:
            in_passing_list = True
            continue
        if not marked(stripped, (*PASS_MARKS, *FAIL_MARKS)):
            sentences = _CLAUSE_END.split(stripped, maxsplit=_MAX_SENTENCES)
            stripped = " ".join(
                sentence
                for sentence in sentences
                if not _FIX_STATEMENT.match(sentence) and not _adds_a_test(sentence)
            )
        matches = [match.group(0) for match in _PROSE_CLAIM.finditer(without_purpose(stripped.lower()))]
        if not matches and (proving := _TICKED_PROVING_TESTS.match(stripped.lower())) is not None:
            matches = [proving.group(0)]
        if not matches:
            continue
        stripped = _claiming_sentences(stripped)
        found = claims_from_line(stripped, runners_only=True)
        # "Tests were not run" ends on a weak word but says something definite.
        strong = any(m.split()[-1] not in _WEAK_CLAIM_WORDS or _NEGATION.search(m) for m in matches)
        strong = strong or _VERIFIED_BY_TOOL.search(stripped) is not None
        if not found and strong:
            box = ticked(stripped)
            claimed = _TICKED.sub("", stripped, count=1) if box else stripped
            sentences = _SENTENCE_END.split(claimed, maxsplit=_MAX_SENTENCES)
            claiming = [x for x in sentences if _PROSE_CLAIM.search(without_purpose(x.lower()))]
            said = line_result(" ".join(claiming) if claiming else claimed, "x" if box else None)
            found = [
                TestClaim(
                    None,
                    said if said in ("not_run", "passed", "planned") else "unknown",
                    stripped[:MAX_CLAIM_TEXT],
                )
            ]
        claims.extend((text.line, claim) for claim in found if strong or claim.command is not None)
    return claims
