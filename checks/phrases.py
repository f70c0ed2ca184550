"""Counted nouns, so the check run says "1 file" and "2 files"."""

from __future__ import annotations

_IRREGULAR = {"entry": "entries", "this": "these"}


def counted(n: int, noun: str) -> str:
    """`1 file`, `3 files`, `1,500 changed lines` (the last word of `noun` takes the plural)."""
    if n == 1:
        return f"1 {noun}"
    head, _, last = noun.rpartition(" ")
    plural = _IRREGULAR.get(last, last + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s"))
    return f"{n:,} {head + ' ' if head else ''}{plural}"
