"""Both sides of a changed file from one side and its patch, so the base needs no second fetch.

A pull request's diff is taken against the merge base. Reversing a file's hunks on its head text gives the
file exactly as it was at the merge base — more faithful than reading it at the base branch's tip, which
may have moved on since the branch was cut, and one API call cheaper per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_INDEX = re.compile(r"^index ([0-9a-f]{7,64})\.\.([0-9a-f]{7,64})", re.M)


class PatchMismatch(ValueError):
    """The patch does not describe this text (a different revision, or a truncated patch)."""


@dataclass
class _Hunk:
    source_start: int
    source_length: int
    target_start: int
    target_length: int
    source: list[str]
    target: list[str]


def _lines(text: str) -> list[str]:
    """Lines split on "\n" only, as git counts them (not on form feeds or U+2028)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _hunks(patch: str) -> list[_Hunk]:
    hunks: list[_Hunk] = []
    # GitHub's file-list patches are stripped of their final newline; a real "no newline" has its marker.
    lines = _lines(patch if patch.endswith("\n") else patch + "\n")
    i = 0
    while i < len(lines):
        m = _HUNK.match(lines[i])
        i += 1
        if m is None:
            continue
        s_start, s_len, t_start, t_len = (
            int(m.group(1)),
            int(m.group(2) if m.group(2) is not None else 1),
            int(m.group(3)),
            int(m.group(4) if m.group(4) is not None else 1),
        )
        hunk = _Hunk(s_start, s_len, t_start, t_len, [], [])
        last: list[list[str]] = []
        while i < len(lines) and (len(hunk.source) < s_len or len(hunk.target) < t_len):
            line = lines[i]
            tag, body = line[:1], line[1:]
            if tag == "\\":  # "\ No newline at end of file" applies to the line before it
                for side in last:
                    side[-1] = side[-1].rstrip("\n")
                i += 1
                continue
            if tag == " " or line in ("\n", ""):
                text = body if tag == " " else "\n"
                hunk.source.append(text)
                hunk.target.append(text)
                last = [hunk.source, hunk.target]
            elif tag == "-":
                hunk.source.append(body)
                last = [hunk.source]
            elif tag == "+":
                hunk.target.append(body)
                last = [hunk.target]
            else:
                raise PatchMismatch(f"unexpected line in hunk: {line[:40]!r}")
            i += 1
        # A marker right after the hunk's last line belongs to it.
        if i < len(lines) and lines[i].startswith("\\"):
            for side in last:
                side[-1] = side[-1].rstrip("\n")
            i += 1
        if len(hunk.source) != s_len or len(hunk.target) != t_len:
            raise PatchMismatch("hunk shorter than its header says (truncated patch)")
        hunks.append(hunk)
    return hunks


def _same(a: list[str], b: list[str]) -> bool:
    # GitHub's file-list patches carry no "\ No newline" marker; tolerate a missing final newline.
    return len(a) == len(b) and all(x.rstrip("\n") == y.rstrip("\n") for x, y in zip(a, b, strict=True))


def reverse_patch(head_text: str | None, patch: str) -> str:
    """The base text, given the head text (None for a deleted file) and the file's unified patch."""
    head = _lines(head_text or "")
    out: list[str] = []
    pos = 0
    for hunk in _hunks(patch):
        index = hunk.target_start - 1 if hunk.target_length > 0 else hunk.target_start
        if index < pos or index + hunk.target_length > len(head):
            raise PatchMismatch("hunk outside the file")
        if not _same(head[index : index + hunk.target_length], hunk.target):
            raise PatchMismatch(f"hunk at line {hunk.target_start} does not match the file")
        out.extend(head[pos:index])
        out.extend(hunk.source)
        pos = index + hunk.target_length
    out.extend(head[pos:])
    return "".join(out)


def blob_ids(patch: str) -> tuple[str, str] | None:
    """The (base, head) blob ids of a git patch's `index` line, when it has one."""
    m = _INDEX.search(patch[:2000])
    return (m.group(1), m.group(2)) if m else None
