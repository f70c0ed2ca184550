"""The one place untrusted text is made safe for GitHub Markdown.

Everything that reaches GitHub from outside our own code goes through here: PR text, config values from
a PR head, model output (review body and inline comments), command text echoed in replies, error texts.
After escaping no markup, link, image, HTML tag (an unclosed `<details>`, a comment) or table structure
takes effect, and no `@mention` or `#123` reference notifies anyone.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")
_CELL = str.maketrans({"\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "`": "'", "[": "\\[", "]": "\\]"})
ZERO_WIDTH = "\u200b"


def mentions(text: str) -> str:
    """`@user` and `@org/team` stop notifying (a zero-width space after the sigil)."""
    return text.replace("@", "@" + ZERO_WIDTH)


def inline(text: str) -> str:
    """Untrusted text on one Markdown line: whitespace folded, every markup character escaped."""
    flat = " ".join(text.split())
    return mentions(_MARKUP.sub(r"\\\1", flat))


def cell(text: str) -> str:
    """Untrusted text inside a Markdown table cell, also inside a code span there: pipes and line breaks
    cannot end the cell, no tag or link opens, no mention notifies."""
    return mentions(" ".join(text.split()).translate(_CELL))


def line(text: str) -> str:
    """Untrusted text in one line of our own prose (a note): emphasis may render; no tag, link, image,
    code span, table cell break or mention can."""
    return cell(text)


def code(text: str) -> str:
    """Text inside a single-backtick code span: backticks and line breaks cannot escape it."""
    return " ".join(text.split()).replace("`", "ˋ")


def html(text: str) -> str:
    """Text whose Markdown may render (a quoted PR body) but no HTML, image or mention may."""
    return mentions(text.replace("<", "&lt;").replace("![", "!\\["))


def quote(text: str) -> str:
    """Untrusted lines as a Markdown quote, each line escaped."""
    return "\n".join("> " + inline(line) for line in text.splitlines() if line.strip())


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
