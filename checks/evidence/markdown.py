"""A line scanner for the Markdown of PR bodies: just enough block structure to find sections.

It reads GitHub-flavoured Markdown the way it renders: fenced code (``` and ~~~, also inside
blockquotes), ATX and setext headings, HTML headings, HTML comments (hidden), `<details>`/`<summary>`,
thematic breaks. Two things render as plain text but act as headings in PR bodies: a bold line
(`**Testing:**`) and a `Testing:` label line; both come out as level-7 headings.

One pass over the lines; every line is looked at a bounded number of times; no regex can backtrack
over a line more than linearly. Nothing here recurses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from checks.evidence.headings import label_key

_ASIDE = re.compile(r"\([^()\n]{1,80}\)\s*[:\uff1a]?")
PSEUDO_LEVEL = 7  # below every real heading: a bold or label line inside a `##` section is its content
MAX_HEADING_CHARS = 300


@dataclass(frozen=True)
class Heading:
    level: int  # 1-6 for Markdown and HTML headings, PSEUDO_LEVEL for bold, label and <summary> lines
    text: str
    line: int
    kind: str  # "atx" | "setext" | "html" | "bold" | "label" | "summary"
    inline: str = ""  # what follows a bold or label heading on its own line
    raw: str = ""  # the source, for when the heading turns out to be content

    @property
    def pseudo(self) -> bool:
        return self.level == PSEUDO_LEVEL


@dataclass(frozen=True)
class Text:
    text: str
    line: int


@dataclass(frozen=True)
class Fence:
    info: str
    lines: tuple[str, ...]
    line: int
    marker: str

    def render(self) -> str:
        opening = f"{self.marker}{self.info}"
        return "\n".join((opening, *self.lines, self.marker))


@dataclass(frozen=True)
class Break:
    line: int


@dataclass(frozen=True)
class DetailsOpen:
    line: int


@dataclass(frozen=True)
class DetailsClose:
    line: int


Item = Heading | Text | Fence | Break | DetailsOpen | DetailsClose

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_HTML_HEADING = re.compile(r" {0,3}<h([1-6])(?:\s[^<>]{0,300})?>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]{0,300}>")
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
# A template's numbered question counts too: "2. How was this tested:".
_LABEL = re.compile(r" {0,3}(?:\d{1,2}[.)][ \t]+)?([^\W\d_][\w '\u2019/&-]{0,40}?)[ \t]*[:\uff1a][ \t]*")
_BARE_TEST_LABEL = re.compile(r"([^\W\d_][\w ]{0,30}?)[ \t]*:[ \t]*")
_TEST_KEY = re.compile(r" {0,3}TEST(?:ED|S|ING)?[ \t]*=[ \t]*(\S.*)$")
# Emoji and their joiners and variation selectors: what may stand before a section's name.
_SYMBOLS = frozenset({"So", "Sk", "Mn", "Cf"})
# "*This pull request was created as a result of the following prompt from Copilot chat.*", then the prompt
# quoted
_PROMPT_PREFACE = re.compile(
    r"[*_]{0,2}this (?:pull request|pr) was (?:created|opened|made) (?:as a result of|from|based on) the"
    r" following prompt\b[^\n]{0,60}?[*_]{0,2}",
    re.IGNORECASE,
)
_DETAILS_TAGS = ("<details", "<summary", "</details")


def strip_tags(text: str) -> str:
    return _TAG.sub("", text).strip()


def strip_quotes(line: str, limit: int = 1 << 30) -> tuple[int, str]:
    """Blockquote depth of a line (up to `limit`) and the line without those markers."""
    depth, i, n = 0, 0, len(line)
    while depth < limit:
        j = i
        while j < n and j - i < 3 and line[j] == " ":
            j += 1
        if j >= n or line[j] != ">":
            break
        depth, i = depth + 1, j + 1
        if i < n and line[i] in " \t":
            i += 1
    return depth, line[i:]


@dataclass
class _OpenFence:
    char: str
    length: int
    depth: int
    info: str
    line: int
    lines: list[str] = field(default_factory=list)


class _Scanner:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.in_comment = False
        self.fence: _OpenFence | None = None
        self.paragraph = 0  # trailing Text items that form one paragraph: a setext underline's candidates
        self.paragraph_plain = False  # those lines are plain prose, so an underline makes them a heading
        self.depth = 0
        # after "…created as a result of the following prompt…", until the quote ends
        self.quoted_prompt = False

    def feed(self, raw: str, number: int) -> None:
        if self.fence is not None and self._fence_line(self.fence, raw):
            return
        if self.in_comment:
            end = raw.find("-->")
            if end < 0:
                self._end_paragraph()
                return
            self.in_comment = False
            raw = raw[end + 3 :]
        depth, line = strip_quotes(raw)
        line = self._hide_comments(line)
        if self.quoted_prompt:
            if depth > 0 or not line.strip():
                return  # the prompt the pull request was made from, quoted: the task, not the evidence
            self.quoted_prompt = False
        if depth == 0 and _PROMPT_PREFACE.fullmatch(line.strip()) is not None:
            self._emit(Break(number))
            self.quoted_prompt = True
            return
        if depth != self.depth:
            self._end_paragraph()
            self.depth = depth
        self._block(line, depth, number)

    def finish(self) -> list[Item]:
        if self.fence is not None:
            self._close_fence(self.fence)
        return self.items

    def _block(self, line: str, depth: int, number: int) -> None:
        content = line.lstrip(" ")
        if not content.strip():
            self._end_paragraph()
            self.items.append(Text("", number))
            return
        if len(line) - len(content) <= 3 and self._structure(content[0], line, depth, number):
            return
        if len(line) - len(content) <= 12 and self._indented_test_label(content, number):
            return
        self._text(line, number)

    def _indented_test_label(self, content: str, number: int) -> bool:
        """A testing section's name alone on a line, indented under a list item ("    Validation:"): bodies
        wrapped by hand open a section there as often as at the margin."""
        match = _BARE_TEST_LABEL.fullmatch(content)
        if match is None or label_key(match.group(1)) != "tests_run":
            return False
        self._emit(Heading(PSEUDO_LEVEL, match.group(1), number, "label", "", raw=content))
        return True

    def _structure(self, first: str, line: str, depth: int, number: int) -> bool:
        """Whether the line is a block other than text; dispatch on its first character to stay cheap."""
        if first in "`~":
            return self._fence_start(line, depth, number)
        if first == "#":
            return self._atx(line, number)
        if first in "=-":
            return self._setext(line) or self._thematic_break(line, number)
        if first in "*_" and (self._thematic_break(line, number) or self._bold(line, number)):
            return True
        if first == "<":
            return self._html(line, number)
        if unicodedata.category(first) in _SYMBOLS:
            return self._emoji_label(line, number)
        if first == "T" and (tested := _TEST_KEY.match(line)) is not None:
            # Chromium's `TEST=` / `TESTED=` line: what was tested, as a labelled section
            self._emit(Heading(PSEUDO_LEVEL, "Tested", number, "label", tested.group(1).strip(), raw=line))
            return True
        if ":" in line or "\uff1a" in line:
            return self._label(line, number)
        # Mid-paragraph, only a name of two or three words ("fixes #12" / "how to test" / "1. …").
        return (self.paragraph == 0 or len(line.split()) > 1) and self._bare_label(line, number)

    def _emoji_label(self, line: str, number: int) -> bool:
        """A section name after an emoji: "🔬 Measurement", "💡 **What:** …", "📊 Impact: …"."""
        rest = line.lstrip(" ")
        skipped = 0
        while rest and skipped < 12 and (rest[0] == " " or unicodedata.category(rest[0]) in _SYMBOLS):
            rest, skipped = rest[1:], skipped + 1
        if not rest or rest[0] == " " or skipped == 0:
            return False
        if rest[0] in "*_":
            return self._bold(rest, number)
        if ":" in rest or "\uff1a" in rest:
            return self._label(rest, number)
        return self.paragraph == 0 and self._bare_label(rest, number)

    def _emit(self, item: Item) -> None:
        self._end_paragraph()
        self.items.append(item)

    def _end_paragraph(self) -> None:
        self.paragraph = 0

    def _text(self, line: str, number: int) -> None:
        plain = _LIST_ITEM.match(line) is None and not line.lstrip().startswith(("|", "<"))
        self.paragraph_plain = plain if self.paragraph == 0 else self.paragraph_plain and plain
        self.paragraph += 1
        self.items.append(Text(line, number))

    def _hide_comments(self, line: str) -> str:
        if "<!--" not in line:
            return line
        kept: list[str] = []
        cursor = 0
        while True:
            start = line.find("<!--", cursor)
            if start < 0:
                kept.append(line[cursor:])
                break
            kept.append(line[cursor:start])
            end = line.find("-->", start + 4)
            if end < 0:
                self.in_comment = True
                break
            cursor = end + 3
        return "".join(kept)

    def _fence_start(self, line: str, depth: int, number: int) -> bool:
        match = _FENCE_OPEN.match(line)
        if match is None:
            return False
        marker = match.group(1)
        info = line[match.end() :].strip()
        if marker[0] == "`" and "`" in info:
            return False  # ```inline code``` on one line, not a fence
        self._end_paragraph()
        self.fence = _OpenFence(marker[0], len(marker), depth, info, number)
        return True

    def _fence_line(self, fence: _OpenFence, raw: str) -> bool:
        """Consume a line of an open fence; False when the line ends the blockquote holding the fence."""
        depth, line = strip_quotes(raw, fence.depth)
        if depth < fence.depth:
            self._close_fence(fence)
            return False
        body = line.lstrip(" ")
        closing = body.startswith(fence.char * fence.length) and not body.lstrip(fence.char).strip()
        if closing and len(line) - len(body) <= 3:
            self._close_fence(fence)
            return True
        fence.lines.append(line)
        return True

    def _close_fence(self, fence: _OpenFence) -> None:
        self.fence = None
        marker = fence.char * fence.length
        self._emit(Fence(fence.info, tuple(fence.lines), fence.line, marker))

    def _atx(self, line: str, number: int) -> bool:
        match = _ATX.match(line)
        if match is None:
            return False
        text = line[match.end() :].strip()
        if text.endswith("#"):
            unclosed = text.rstrip("#")
            if not unclosed or unclosed[-1] in " \t":
                text = unclosed.rstrip()
        level = len(match.group(1))
        self._emit(Heading(level, text[:MAX_HEADING_CHARS], number, "atx", raw=line))
        return True

    def _setext(self, line: str) -> bool:
        stripped = line.strip()
        last = self.items[-1] if self.items else None
        if (
            isinstance(last, Heading)
            and last.kind == "label"
            and not last.inline
            and stripped
            and not (stripped.strip("=") and stripped.strip("-"))
        ):
            # A plain-text heading underlined: the same heading, written as setext.
            level = 1 if stripped[0] == "=" else 2
            self.items[-1] = Heading(level, last.text, last.line, "setext", raw=last.raw)
            return True
        if self.paragraph == 0 or not self.paragraph_plain:
            return False
        if stripped.strip("=") and stripped.strip("-"):
            return False
        lines = self.items[-self.paragraph :]
        del self.items[-self.paragraph :]
        texts = [item.text.strip() for item in lines if isinstance(item, Text)]
        level = 1 if stripped[0] == "=" else 2
        heading = " ".join(texts)[:MAX_HEADING_CHARS]
        self._emit(Heading(level, heading, lines[0].line, "setext", raw="\n".join(texts)))
        return True

    def _thematic_break(self, line: str, number: int) -> bool:
        compact = line.replace(" ", "").replace("\t", "")
        if len(compact) < 3 or compact[0] not in "-*_" or compact.strip(compact[0]):
            return False
        self._emit(Break(number))
        return True

    def _html(self, line: str, number: int) -> bool:
        match = _HTML_HEADING.match(line)
        if match is not None:
            close = line.lower().find("</h", match.end())
            inner = line[match.end() : close if close >= 0 else len(line)]
            text = strip_tags(inner)[:MAX_HEADING_CHARS]
            self._emit(Heading(int(match.group(1)), text, number, "html", raw=line))
            return True
        return self._details(line, number)

    def _details(self, line: str, number: int) -> bool:
        lower = line.lower()
        nexts = [lower.find(tag) for tag in _DETAILS_TAGS]
        found = False
        while True:
            candidates = [at for at in nexts if at >= 0]
            if not candidates:
                return found
            at = min(candidates)
            which = nexts.index(at)
            found = True
            cursor = self._details_tag(which, at, line, lower, number)
            nexts = [
                lower.find(tag, cursor) if 0 <= nxt < cursor else nxt
                for tag, nxt in zip(_DETAILS_TAGS, nexts, strict=True)
            ]

    def _details_tag(self, which: int, at: int, line: str, lower: str, number: int) -> int:
        """Emit the tag found at `at`; the position after what it consumed."""
        if which == 0:
            self._emit(DetailsOpen(number))
            return at + len(_DETAILS_TAGS[0])
        if which == 2:
            self._emit(DetailsClose(number))
            return at + len(_DETAILS_TAGS[2])
        start = lower.find(">", at)
        if start < 0:
            return len(line)
        end = lower.find("</summary", start)
        inner = line[start + 1 : end if end >= 0 else len(line)]
        self._emit(Heading(PSEUDO_LEVEL, strip_tags(inner)[:MAX_HEADING_CHARS], number, "summary", raw=line))
        return end + len("</summary") if end >= 0 else len(line)

    def _bold(self, line: str, number: int) -> bool:
        stripped = line.strip()
        marker = stripped[:2]
        if marker not in ("**", "__"):
            return False
        end = stripped.find(marker, 2)
        if end < 3 or end > 2 + MAX_HEADING_CHARS:
            return False
        label = stripped[2:end].strip(" *_")
        after = stripped[end + 2 :].strip()
        if label.endswith((":", "\uff1a")):
            label, inline = label[:-1].rstrip(), after
        elif after.startswith((":", "\uff1a")):
            inline = after[1:].strip()
        elif not after or _ASIDE.fullmatch(after):
            inline = ""  # "**known limitations** (surfaced during review)": the label and an aside on it
        else:
            return False
        if not label:
            return False
        self._emit(Heading(PSEUDO_LEVEL, label, number, "bold", inline, raw=line))
        return True

    def _bare_label(self, line: str, number: int) -> bool:
        """A plain-text heading: a short line, alone at a paragraph's start, that is just a section name
        ("Validation", "Test plan"), as bodies written without Markdown head their sections."""
        label = line.strip()
        if not label or len(label) > 40 or len(label.split()) > 3 or not label[0].isalpha():
            return False
        if label.endswith((".", ",", ";")) or label.count(")") > label.count("("):
            return (
                False  # "drift risk)." ends a sentence that wrapped onto its own line: no name of a section
            )
        if label_key(label) is None:
            return False
        self._emit(Heading(PSEUDO_LEVEL, label, number, "label", "", raw=line))
        return True

    def _label(self, line: str, number: int) -> bool:
        match = _LABEL.match(line)
        if match is None or len(match.group(1).split()) > 4:
            return False
        label = match.group(1).strip()
        if label_key(label) is None:
            return False
        self._emit(Heading(PSEUDO_LEVEL, label, number, "label", line[match.end() :].strip(), raw=line))
        return True


# Review bots write their own summary of the diff into the body between markers (Cursor Bugbot's "Low Risk"
# note, CodeRabbit's release notes, Ellipsis' `[!IMPORTANT]` digest): nobody who made the change said it, so
# it is no evidence. A start marker without its end hides nothing.
_BOT_BLOCKS = (
    ("<!-- CURSOR_SUMMARY -->", "<!-- /CURSOR_SUMMARY -->"),
    ("<!-- This is an auto-generated comment", "<!-- end of auto-generated comment"),
    ("<!-- ELLIPSIS_HIDDEN -->", "<!-- ELLIPSIS_HIDDEN -->"),
)


def without_bot_blocks(lines: list[str]) -> list[str]:
    """`lines` with each review bot's block blanked (line numbers kept); every line is looked at once per
    kind of block."""
    if not any("<!--" in line for line in lines):
        return lines
    out = list(lines)
    for start, end in _BOT_BLOCKS:
        i = 0
        while i < len(out):
            if start not in out[i]:
                i += 1
                continue
            close = next((j for j in range(i + 1, len(out)) if end in out[j]), None)
            if close is None:
                break  # no end below this start, nor below any later one
            out[i : close + 1] = [""] * (close + 1 - i)
            i = close + 1
    return out


def scan(body: str) -> list[Item]:
    """The block items of a Markdown body, in order; line numbers are 1-based."""
    scanner = _Scanner()
    for number, line in enumerate(without_bot_blocks(body.split("\n")), start=1):
        scanner.feed(line, number)
    return scanner.finish()
