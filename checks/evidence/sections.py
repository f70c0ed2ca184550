"""From scanned items to raw sections: which lines belong under which evidence heading.

A recognized heading (any level, a bold or label line, a `<summary>`) opens a section that runs until a
heading at the same or a higher level, a thematic break (agents put their footers after one) or the end
of the `<details>` it opened. An unrecognized heading deeper than the open section is its content
("### Backend" under "## Changes"); one at the same or a higher level ends it.

Inside a `<details>` whose summary names no section, headings are content: the collapsed block is one
unit (a log, a diagram). A `<details>` holding the agent's original prompt is dropped altogether: it is
the task, not the evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from checks.evidence.headings import heading_key, normalize
from checks.evidence.markdown import Break, DetailsClose, DetailsOpen, Fence, Heading, Item, Text

MAX_DETAILS_DEPTH = 32
MAX_LOOSE_LINES = 5000
_DROPPED_SUMMARIES = ("prompt", "instructions", "task description", "original issue", "agent log")

Piece = Text | Fence


@dataclass(frozen=True)
class RawSection:
    key: str
    heading: str
    line: int
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Layout:
    sections: tuple[RawSection, ...]  # in line order; several may share a key
    preamble: tuple[Piece, ...]  # before the first heading or break
    loose: tuple[Text, ...]  # text outside every recognized section, for claims made in prose
    blocks: tuple[Fence, ...]  # fenced `agentbudget` blocks, wherever they are
    loose_headings: Mapping[int, str] = field(default_factory=dict)  # line of loose text → heading above it


@dataclass
class _Open:
    key: str | None
    level: int
    heading: str
    line: int
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class _Frame:
    mode: str = "opaque"  # "opaque" (headings are content) | "section" | "drop"
    saved: _Open | None = None
    saved_preamble: bool = False
    has_summary: bool = False


# A pull request template's own parts, which end the section above them at any level.
_TEMPLATE_PARTS = frozenset(
    {
        "checklist", "pr checklist", "pull request checklist", "screenshots", "screenshots or video",
        "screenshots or videos", "screenshot", "references", "related issues", "related issue", "related prs",
        "type of change", "types of changes", "before submitting", "who can review",
    }
)  # fmt: skip


def is_agentbudget(fence: Fence) -> bool:
    words = fence.info.lower().replace("{", " ").replace("}", " ").replace(".", " ").split()
    return bool(words) and (
        words[0] == "agentbudget" or (words[0] in ("yaml", "yml") and "agentbudget" in words)
    )


def _dropped(summary: str) -> bool:
    words = f" {normalize(summary)} "
    return any(f" {marker} " in words for marker in _DROPPED_SUMMARIES)


# A vulnerability write-up: the risk told before its remedy is the problem the change fixes, not a risk of it.
_PROBLEM_HEADINGS = frozenset({"risk", "the risk", "vulnerability", "threat"})
_REMEDY_HEADINGS = frozenset({"solution", "fix", "the fix", "mitigation", "remediation"})


class _Layouter:
    def __init__(self) -> None:
        self.sections: list[RawSection] = []
        self.preamble: list[Piece] = []
        self.loose: list[Text] = []
        self.loose_headings: dict[int, str] = {}
        self.blocks: list[Fence] = []
        self.current: _Open | None = None
        self.in_preamble = True
        self.frames: list[_Frame] = []
        self.overflow = 0  # <details> nested deeper than we track

    def layout(self, items: list[Item]) -> Layout:
        for item in items:
            self._item(item)
        self._close()
        ordered = sorted(self.sections, key=lambda section: section.line)
        return Layout(
            tuple(ordered), tuple(self.preamble), tuple(self.loose), tuple(self.blocks), self.loose_headings
        )

    def _dropping(self) -> bool:
        return any(frame.mode == "drop" for frame in self.frames)

    def _opaque(self) -> bool:
        return any(frame.mode == "opaque" for frame in self.frames)

    def _item(self, item: Item) -> None:
        if isinstance(item, DetailsOpen):
            self._details_open()
        elif isinstance(item, DetailsClose):
            self._details_close()
        elif self._dropping():
            return
        elif isinstance(item, Heading):
            self._heading(item)
        elif isinstance(item, Break):
            # a rule right under a heading underlines it (`### Description` then `---`): the section goes on
            if self.current is not None and self.current.key is not None and not self._said():
                return
            self._close()
            self.in_preamble = False
        elif isinstance(item, Fence) and is_agentbudget(item):
            self.blocks.append(item)
        else:
            self._content(item)

    def _said(self) -> bool:
        """Whether the open section holds anything but blank lines."""
        assert self.current is not None
        return any(not isinstance(p, Text) or p.text.strip() for p in self.current.pieces)

    def _content(self, piece: Piece) -> None:
        if self.current is not None and self.current.key is not None:
            self.current.pieces.append(piece)
        elif self.current is None and self.in_preamble:
            self.preamble.append(piece)
        elif isinstance(piece, Text) and len(self.loose) < MAX_LOOSE_LINES:
            self.loose.append(piece)
            if self.current is not None:
                self.loose_headings[piece.line] = self.current.heading

    def _heading(self, heading: Heading) -> None:
        if heading.kind == "summary" and self.frames and not self.frames[-1].has_summary:
            self._summary(self.frames[-1], heading)
            return
        key = None if self._opaque() else heading_key(heading.text)
        current = self.current
        if (
            current is not None
            and current.key == "uncertainty"
            and normalize(current.heading) in _PROBLEM_HEADINGS
            and normalize(heading.text) in _REMEDY_HEADINGS
        ):
            # "⚠️ Risk: …" then "🛡️ Solution: …": the risk the change removes, told as a problem and its fix
            current.key = None
        deeper = current is not None and heading.level > current.level
        if key is not None and not (deeper and current is not None and current.key == key):
            self._open(_Open(key, heading.level, heading.text, heading.line), heading.inline)
            return
        as_text = Text(heading.raw or heading.text, heading.line)
        if deeper and not self._opaque() and normalize(heading.text) in _TEMPLATE_PARTS:
            # "## Checklist" under "# Description": the template's next part, not the description's
            self._open(_Open(None, heading.level, heading.text, heading.line), "")
        elif self._opaque() or deeper:
            self._content(as_text)
        elif heading.pseudo and current is None:
            self._content(as_text)  # "**Note:** …" in running text is text
        elif current is None and self.in_preamble and not self.preamble:
            return  # a title ("# Add Devin support"): the prose under it is the opening prose
        else:
            self._open(_Open(None, heading.level, heading.text, heading.line), "")

    def _open(self, section: _Open, inline: str) -> None:
        self._close()
        self.in_preamble = False
        self.current = section
        if inline:
            self._content(Text(inline, section.line))

    def _close(self) -> None:
        current, self.current = self.current, None
        if current is not None and current.key is not None:
            self.sections.append(
                RawSection(current.key, current.heading, current.line, tuple(current.pieces))
            )

    def _summary(self, frame: _Frame, heading: Heading) -> None:
        frame.has_summary = True
        key = heading_key(heading.text)
        if _dropped(heading.text):
            frame.mode = "drop"
        elif key is not None and not self._opaque_outside(frame):
            frame.mode = "section"
            frame.saved, frame.saved_preamble = self.current, self.in_preamble
            self.current = None  # the enclosing section resumes after </details>
            self._open(_Open(key, heading.level, heading.text, heading.line), "")

    def _opaque_outside(self, frame: _Frame) -> bool:
        return any(outer.mode == "opaque" for outer in self.frames if outer is not frame)

    def _details_open(self) -> None:
        if len(self.frames) >= MAX_DETAILS_DEPTH:
            self.overflow += 1
        else:
            self.frames.append(_Frame())

    def _details_close(self) -> None:
        if self.overflow:
            self.overflow -= 1
            return
        if not self.frames:
            return
        frame = self.frames.pop()
        if frame.mode == "section":
            self._close()
            self.current, self.in_preamble = frame.saved, frame.saved_preamble


def lay_out(items: list[Item]) -> Layout:
    return _Layouter().layout(items)
