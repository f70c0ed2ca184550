"""Whether a section says anything: placeholders, unedited template text, agent footers.

A section "says nothing" when, once blank lines, bare HTML tags, agent footers and issue references are
set aside, every remaining line is a placeholder ("N/A", "TBD", "None", "-") or template guidance
("Describe your changes", "<describe the change>", "_Explain how you tested_").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from checks.evidence.headings import normalize

SECTION_TEXT_LIMIT = 4096
MAX_FOOTER_CHARS = 1000

# fmt: off
_PLACEHOLDERS = frozenset(
    normalize(word)
    for word in (
        "", "n/a", "na", "none", "nothing", "no", "nope", "tbd", "tba", "todo", "to do", "wip", "pending",
        "later", "coming soon", "nil", "null", "empty", "same", "same as above", "see above", "see below",
        "see title", "see description", "see commits", "see commit", "see issue", "see pr",
        "self explanatory", "self-explanatory", "title says it all", "as per title", "as titled",
        "not applicable", "no response", "none yet", "placeholder", "xxx", "tk", "fill me in", "fill in",
        "to be added", "to be determined", "will add", "will update", "test a", "test b", "lorem ipsum",
        "keine", "nichts", "entfällt", "k a", "aucun", "aucune", "rien", "néant", "sans objet", "ninguno",
        "ninguna", "nada", "no aplica", "nenhum", "nenhuma", "não se aplica", "なし", "無し", "特になし",
        "ない", "无", "無", "暂无", "没有", "不适用", "없음",
        # Copilot's PR-summary tokens, left unexpanded
        "copilot:summary", "copilot:walkthrough", "copilot:poem", "copilot:description", "copilot:all",
    )
)
# fmt: on
# fmt: off
_TEMPLATE_PHRASES = tuple(
    normalize(phrase)
    for phrase in (
        "describe your change", "describe your changes", "describe the change", "describe the changes",
        "what does this pr do", "what does this pull request do", "how has this been tested",
        "how was this tested", "please describe", "please include", "please provide", "please explain",
        "please list", "please add", "a clear and concise description", "brief description of",
        "short description of", "add a description", "describe the tests", "list any", "replace this",
        "delete this", "remove this", "write your", "description here", "goes here", "type of change",
        "fixes issue", "what kind of change", "if applicable", "lorem ipsum", "your changes here",
        "explain why", "explain how", "summarize the change", "summarise the change", "in a few bullets",
        "commands you ran", "what you deliberately", "risks open questions",
    )
)
# fmt: on
# Only verbs that real bullets rarely start with: calling real content "template" would block a PR.
_TEMPLATE_PHRASE = re.compile(" (?:" + "|".join(re.escape(phrase) for phrase in _TEMPLATE_PHRASES) + ") ")
# A template's prompt, as it opens its line: "Clearly and concisely describe the problem."
_TEMPLATE_OPENING = re.compile(
    r"(?:clearly and concisely describe|describe the (?:problem|bug)|describe your code changes"
    # "Describe here in detail how the change can be validated."
    r"|describe here\b|describe in detail how\b)\b"
)
_INSTRUCTION_VERBS = frozenset(
    (
        "please",
        "describe",
        "explain",
        "summarize",
        "summarise",
        "outline",
        "specify",
        "beschreibe",
        "beschreiben",
        "décrivez",
        "décrire",
        "describa",
        "describir",
        "descreva",
        "explique",
    )
)
_ADDRESSED = frozenset(("you", "your", "youve", "youre", "yours", "here", "below", "applicable"))
_ABOUT_THE_PR = ("this pr", "this change", "this pull request", "the change", "the changes")
# fmt: off
_FOOTER_SUBSTRINGS = (
    "co-authored-by:", "signed-off-by:", "link to devin run", "requested by:", "chatgpt.com/codex/tasks",
    "chatgpt.com/codex/cloud/tasks",
    "app.devin.ai/sessions", "written by cursor", "copilot smarter", "feedback on copilot",
    "to get sweep to", "jules.google.com", "claude.ai/code/session", "cursor.com/agents",
    "created by an ai agent",
)
# fmt: on
_GENERATED_BY = re.compile(
    r"\bgenerated (?:with|by)\b.{0,80}?\b(?:claude|codex|copilot|devin|cursor|jules|aider|sweep|openhands|"
    r"gemini|chatgpt|gpt|ai)\b",
)
LIST_MARKER = re.compile(r"\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+")
_CHECKBOX = re.compile(r"\[[ xX]\]\s*")
_TAGS_ONLY = re.compile(r"(?:<[^<>]{0,300}>\s*)+")
_ISSUE_REFS = re.compile(
    r"(?:(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|refs?|related(?: to)?|part of|see"
    r"|follow[- ]?up (?:to|of|for)|continues|continuation of|depends on|supersedes|replaces)\s*:?\s+)?"
    # "fix #X", "closes #xxx": the template's own placeholder for the number
    r"(?:[\w.-]{1,100}/[\w.-]{1,100})?#(?:\d{1,9}|[xX]{1,4}|N)"
    r"(?:[\s,;.]+(?:and\s+)?(?:[\w.-]{1,100}/[\w.-]{1,100})?#\d{1,9}){0,20}\.?",
    re.IGNORECASE,
)


_FOOTER = re.compile("|".join(re.escape(marker) for marker in _FOOTER_SUBSTRINGS))


def is_footer(line: str) -> bool:
    """A line an agent appends to every PR (attribution, session links), not evidence."""
    if len(line) > MAX_FOOTER_CHARS:
        return False
    lowered = line.lower()  # the patterns are lower-case: cheaper than re.IGNORECASE
    return _FOOTER.search(lowered) is not None or _GENERATED_BY.search(lowered) is not None


def _item_text(line: str) -> str:
    """A line without its list marker, checkbox and surrounding emphasis."""
    text = line.strip()
    marker = LIST_MARKER.match(text)
    if marker is not None:
        text = text[marker.end() :]
    box = _CHECKBOX.match(text)
    if box is not None:
        text = text[box.end() :]
    return text.strip().strip("*_").strip()


def is_placeholder(line: str) -> bool:
    text = _item_text(line)
    return (len(text) <= 60 and normalize(text) in _PLACEHOLDERS) or _NO_ANSWER.fullmatch(
        line.strip()
    ) is not None


# The boxes answering a template's question: only a ticked yes says something. "[ ] Yes [x] No" on one line
# after "Breaking change:", or a box a line ("Is this a breaking change?" then "- [ ] Yes", "- [x] No").
_NO_ANSWER = re.compile(
    r"(?i)\[ \]\s*yes\s*\[[xX]\]\s*no\.?|\[[xX]\]\s*no\s*\[ \]\s*yes\.?"
    r"|(?:[-*+]\s+)?(?:\[ \]\s*(?:yes|no)|\[x\]\s*no)\.?"
)


def _is_bracketed(text: str) -> bool:
    if text.startswith("[") and text.endswith("]"):
        return "](" not in text
    return (
        text.startswith("<") and text.endswith(">") and " " in text and "=" not in text and "</" not in text
    )


def is_template(line: str, key: str) -> bool:
    """Guidance that came with a template and was left in place."""
    text = _item_text(line)
    if _is_bracketed(text):
        return True
    words = normalize(text)
    padded = f" {words} "
    if _TEMPLATE_PHRASE.search(padded) or _TEMPLATE_OPENING.match(words):
        return True
    split = words.split()
    if split and split[0] in _INSTRUCTION_VERBS and (_ADDRESSED & set(split) or text.endswith(":")):
        return True
    if words.startswith(("if yes ", "if so ", "if not ")) and (text.endswith("?") or "please" in split):
        return True  # "If yes, what workflow does this break?": the template's follow-up question
    if key == "uncertainty" or not text.endswith("?"):
        return False  # an open question is what an uncertainty section is for
    return bool({"you", "your"} & set(split)) or any(f" {about} " in padded for about in _ABOUT_THE_PR)


# "Fixes [CW-2328](https://…)", or a link alone: a pointer to the description, not one.
_LINK_ONLY = re.compile(
    r"(?:(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?|refs?|related(?: to)?|part of|see"
    r"|follow[- ]?up (?:to|of|for)|continues|continuation of|depends on|supersedes|replaces)\s*:?\s+)?"
    r"(?:\[[^\]\n]{1,200}\]\(\s*https?://\S{1,500}\)|<?https?://\S{1,500}?>?)\.?",
    re.IGNORECASE,
)


def _is_issue_reference(line: str) -> bool:
    text = _item_text(line)
    if not 0 < len(text) <= 600:
        return False
    return _ISSUE_REFS.fullmatch(text) is not None or _LINK_ONLY.fullmatch(text) is not None


FILL_IN_MARK = "✍️ Replace this line:"
# "Related issues #", "Fixes #": a reference the template left without its number
_UNFILLED_REFERENCE = re.compile(r"[^#\n]{0,80}\s#")
# A link reference definition (`[PROF-1]: https://…`, its address on the next line when wrapped): not rendered
_LINK_DEFINITION = re.compile(r"\[[^\]\n]{1,100}\]:\s*(?:<?https?://\S{1,500}?>?)?")
_HEADING_LINE = re.compile(r"#{1,6}(?:\s|$)")


def _unwrapped(lines: list[str]) -> list[str]:
    """Lines hard-wrapped inside one paragraph or list item joined back into one line each."""
    out: list[str] = []
    in_fence = False
    for line in lines:
        stripped = line.strip()
        fence = stripped.startswith(("```", "~~~"))
        if fence or in_fence:
            in_fence = in_fence != fence
            out.append(line)
            continue
        if (
            out
            and out[-1].strip()
            and not out[-1].strip().startswith(("```", "~~~"))
            and stripped
            and not LIST_MARKER.match(stripped)
            and not _HEADING_LINE.match(stripped)
            and not stripped.startswith(("|", ">", "<"))
            and len(out[-1]) + len(stripped) < 400
        ):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(line)
    return out


# A risks or breaking-changes section answered "None" with its reason, no caveat after it: "None - the changes
# are backward compatible. Existing code will continue to work."
_NONE_BECAUSE = re.compile(
    r"(?i)(?:[-*+]\s+)?(?:\*\*|__)?none(?:\*\*|__)?\s*(?:[-\u2013\u2014:.,;]|\s+-)\s"
    r"(?![^\n]*\b(?:but|however|although|though|except|unless|might|may|could|possibly|maybe|not\s+sure|untested"
    r"|unclear|unknown|risk\w*|todo|haven'?t|hasn'?t|need\s+to|should)\b)"
    r"[^\n]{0,400}$"
)


def emptiness(lines: Iterable[str], key: str) -> str | None:
    """Why the lines say nothing, or None when they say something."""
    seen: list[str] = []
    lines = list(lines)
    if any(FILL_IN_MARK in line for line in lines):
        return "still holds the pre-filled block's line to replace"
    new_test_items = False  # the items after "New test `x` verifies:" say what it asserts
    if key == "uncertainty" and _NONE_BECAUSE.match(" ".join(line.strip() for line in lines).strip()):
        return "placeholder: none, with the reason"  # "None - the changes are backward compatible."
    if key == "tests_run":
        lines = _unwrapped(lines)  # (an item wrapped over lines is one line again)
    for line in lines:
        stripped = line.strip()
        if not stripped or is_footer(stripped) or _HEADING_LINE.match(stripped):
            continue  # a sub-heading a parent section took in with its sub-sections heads, says nothing
        if new_test_items and LIST_MARKER.match(stripped):
            continue
        new_test_items = (
            key == "tests_run" and writes_tests_only(stripped) and bool(TEST_CONTENT_LEAD.search(stripped))
        )
        if is_template(stripped, key):
            seen.append("template")
        elif _TAGS_ONLY.fullmatch(stripped):
            continue
        elif (
            _is_issue_reference(stripped)
            or _UNFILLED_REFERENCE.fullmatch(stripped)
            or _LINK_DEFINITION.fullmatch(stripped)
        ):
            seen.append("reference")
        elif is_placeholder(stripped) or (key == "tests_run" and _says_nothing_was_run(stripped)):
            seen.append(f"placeholder:{_item_text(stripped)[:40]}")
        else:
            return None
    return _reason(seen)


# In a tests section, these say that nothing was run: "NFC" (no functional change, so nothing to test), a
# label with nothing after it ("1. Pipeline test:").
_NOTHING_TO_TEST = frozenset(
    normalize(phrase)
    for phrase in (
        "nfc",
        "nfci",
        "no functional change",
        "no functional changes",
        "no functional change intended",
        "nfc no functional change",
        "non functional change",
        "no functional changes intended",
    )
)
_EMPTY_LABEL = re.compile(r"\s{0,8}(?:(?:[-*+]|\d{1,9}[.)])\s+)?[^:\n]{1,60}:\s*")


# A template's box about writing tests or docs, ticked or not ("[x] Tests added", "[ ] Updated
# documentation"): what was written, not what was run.
_WRITTEN_BOX = re.compile(
    r"\s{0,8}[-*+]\s+\[[ xX]\]\s+(?:(?:unit\s+|new\s+)?tests?\s+(?:(?:have|has)\s+been\s+)?"
    r"(?:added|written|included|updated)|(?:added|wrote|updated|included)\s+(?:new\s+|unit\s+)?tests?"
    r"|(?:updated\s+)?(?:the\s+)?(?:docs?|documentation|changelog|readme)(?:\s+(?:updated|added))?)"
    r"[\s.]*",
    re.IGNORECASE,
)


# A line introducing what a new test checks ("Added a test case `x` that validates:", "New integration test
# `x` verifies:"): the items after it say what the test asserts ("- the session passes"), not how a run went.
TEST_CONTENT_LEAD = re.compile(
    r"\btests?(?: cases?| suites?)?\b(?:`[^`\n]{0,80}`|[^.\n`]){0,160}?\b(?:(?:that|which|to)\s+)?"
    r"(?:validat|verif|check|cover|ensur|assert|test|exercis)\w*[^.\n]{0,30}:\s*$"
    r"|\b(?:scenarios|cases|tests?) (?:covered|covering)\s*:\s*$",
    re.IGNORECASE,
)
# A line saying only that tests were written ("Added `tests/test_x.py`", "- [ ] Add unit tests", "New
# integration test `x` verifies:"): writing a test is not running it.
_WRITTEN_ONLY = re.compile(
    r"\s{0,8}(?:(?:[-*+]|\d{1,9}[.)])\s+)?(?:\[[ xX]\]\s+)?(?:\*\*|__)?"
    r"(?:add|adds|added|adding|wrote|write|writes|created?|new|updated?|updates|modified|adjusted|extended)\s+"
    r"(?:an?\s+|the\s+)?"
    r"(?:(?:new|unit|integration|regression|e2e|end-to-end|snapshot|more|comprehensive|thorough|extensive"
    r"|additional|dedicated|focused|targeted|basic)\s+){0,2}"
    r"(?:tests?\b|testing\b|specs?\b|test\s+cases?\b|`[^`\n]{0,160}(?:test|spec)[^`\n]{0,160}`)[^\n]*"
    # "- **Fixed**: existing test for X now uses two agents", "- **Updated**: test mocks aligned with …": a
    # change log of the tests, none said to run
    r"|\s{0,8}(?:[-*+]\s+)?(?:\*\*|__)(?:added|fixed|updated|adjusted|changed|modified|new)(?:\*\*|__)\s*:"
    r"[^\n]*\btests?\b[^\n]*"
    # "`tests/unit/test_postprocess.py` covers each step": what a test file checks, not a run of it
    r"|\s{0,8}(?:[-*+]\s+)?`[^`\n]{0,160}(?:test|spec)[^`\n]{0,160}`\s+"
    r"(?:covers|tests|exercises|checks|verifies|asserts)\b[^\n]*"
    # "Tests: 4 new jest cases in packages/core covering …": a count of the cases written
    r"|\s{0,8}(?:[-*+]\s+)?(?:\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few)\s+"
    r"(?:new|added|additional)\s+(?:[\w-]+\s+){0,2}?(?:tests?|test\s+cases?|cases|specs?)\b[^\n]*"
    # "- Comprehensive test suite added (`test_x.py`) covering:": the suite written, told noun first
    r"|\s{0,8}(?:[-*+]\s+)?(?:(?:new|unit|integration|regression|e2e|comprehensive|thorough|extensive|additional"
    r"|dedicated|focused|targeted|basic)\s+){0,2}(?:tests?|test\s+suites?|test\s+cases?|specs?)\s+"
    r"(?:(?:were|was|have\s+been|has\s+been)\s+)?(?:added|written|created|included)\b[^\n]*"
    # "- Tests cover empty strings and valid keys": what the written tests check
    r"|\s{0,8}(?:[-*+]\s+)?(?:the\s+)?(?:new\s+)?tests?\s+"
    r"(?:cover|covers|verify|verifies|check|checks|ensure|ensures|exercise|exercises|assert|asserts)\b[^\n]*",
    re.IGNORECASE,
)
_SAYS_A_RUN = re.compile(
    r"\b(?:pass\w*|green|succeed\w*|ran|run|runs|running|fail\w*|tested|verified|confirmed|manual\w*|locally"
    r"|ci|output|results?)\b|[\u2705\u274c]",
    re.IGNORECASE,
)
# "Documentation-only changes, no functional impact.": nothing to test, said in place of a test plan.
_DOCS_ONLY_PLAN = re.compile(
    r"\s{0,8}(?:[-*+]\s+)?(?:this\s+(?:pr|change)\s+(?:is|has)\s+)?(?:docs?|documentation|comments?|docstrings?|typos?)"
    r"[- ]only(?:\s+changes?)?(?:\s*[,;.]\s*(?:with\s+)?no\s+(?:functional|behaviou?r(?:al)?|runtime)\s+"
    r"(?:impact|changes?))?\s*[.!]?\s*",
    re.IGNORECASE,
)


def writes_tests_only(line: str) -> bool:
    """The line says only that tests were written or changed ("Updated `tests/x_test.py` to assert …")."""
    return _WRITTEN_ONLY.fullmatch(line) is not None and _SAYS_A_RUN.search(line) is None


def _says_nothing_was_run(line: str) -> bool:
    if len(line) > 200:
        # (a paragraph on the tests changed runs longer than a placeholder would)
        return len(line) <= 600 and writes_tests_only(line)
    return (
        normalize(_item_text(line)) in _NOTHING_TO_TEST
        or _EMPTY_LABEL.fullmatch(line) is not None
        or _WRITTEN_BOX.fullmatch(line) is not None
        or writes_tests_only(line)
        or _DOCS_ONLY_PLAN.fullmatch(line) is not None
    )


def _reason(seen: list[str]) -> str:
    if "template" in seen:
        return "holds only the template's guidance"
    placeholders = [kind.split(":", 1)[1] for kind in seen if kind.startswith("placeholder:")]
    words = [word for word in placeholders if word]
    if words:
        return f"says only {words[0]!r}"
    if "reference" in seen:
        return "holds only an issue reference"
    return "is empty"


def display_text(lines: Iterable[str], limit: int = SECTION_TEXT_LIMIT) -> str:
    """The section as written, minus agent footers and repeated blank lines, trimmed and bounded."""
    kept: list[str] = []
    size = 0
    rest = 0  # characters past the limit: counted, not looked at
    for line in lines:
        if size > limit:
            rest += len(line) + 1
            continue
        line = line.rstrip()
        if is_footer(line) or (not line and (not kept or not kept[-1])):
            continue
        kept.append(line)
        size += len(line) + 1
    return _bounded("\n".join(kept).strip(), limit, rest)


def _bounded(text: str, limit: int, rest: int) -> str:
    if len(text) <= limit and not rest:
        return text
    cut = text.rfind("\n", limit - 512, limit)
    cut = cut if cut > 0 else min(limit, len(text))
    return f"{text[:cut].rstrip()}\n… ({len(text) - cut + rest:,} more characters not shown)"
