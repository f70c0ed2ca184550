"""How large a path or branch glob the config accepts (matching it is `checks/globs.py`'s): a bound on its
size keeps every pattern's automaton small."""

from __future__ import annotations

import re

MAX_GLOB_LENGTH = 256
MAX_GLOB_WILDCARDS = 16  # `*`, `**`, `?` and classes in one pattern

_WILDCARD = re.compile(r"\*+|\?|\[[^\]]*\]")  # linear: no nested quantifiers


def check_glob(pattern: str) -> str | None:
    """Why a pattern is refused (too long, too many wildcards, an empty class), or None when it is fine."""
    if len(pattern) > MAX_GLOB_LENGTH:
        return f"the glob is {len(pattern):,} characters; the limit is {MAX_GLOB_LENGTH}"
    wildcards = len(_WILDCARD.findall(pattern))
    if wildcards > MAX_GLOB_WILDCARDS:
        return f"the glob has {wildcards} wildcards; the limit is {MAX_GLOB_WILDCARDS}"
    if "[]" in pattern or "[!]" in pattern:
        return "the glob has an empty character class (`[]`)"
    return None
