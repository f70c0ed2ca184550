"""Where a Ruby block ends, read by indentation as Ruby code is laid out: a block opened on a line at some
indentation ends at the first `end` (or `}`) after it at that same indentation. Every closing line is found
in one pass and looked up by bisection, so a file of unclosed blocks costs no more than a closed one."""

from __future__ import annotations

import bisect
import re

_CLOSER = re.compile(r"^([ \t]*)(?:end|\})\b", re.M)


class BlockEnds:
    def __init__(self, text: str) -> None:
        self.size = len(text)
        self.by_indent: dict[str, list[int]] = {}
        for c in _CLOSER.finditer(text):
            self.by_indent.setdefault(c.group(1), []).append(c.start())

    def of(self, m: re.Match[str]) -> int:
        """The end of the block opened on `m`'s line; group 1 of `m` is that line's indentation."""
        closers = self.by_indent.get(m.group(1), [])
        i = bisect.bisect_right(closers, m.end())
        return closers[i] if i < len(closers) else self.size
