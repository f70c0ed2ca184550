"""Path and branch globs with the semantics users know from .gitignore and GitHub rulesets.

`*` matches within one path segment, `**` matches across segments, `?` one character, `[...]` a class.
A pattern without a slash matches the basename anywhere (like .gitignore).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    directory = pattern.endswith("/")
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = body.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
                i += 1
            else:
                cls = body[i + 1 : end]
                if cls.startswith("!"):
                    cls = "^" + cls[1:]
                out.append("[" + cls.replace("\\", "\\\\") + "]")
                i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern naming a directory also covers everything below it.
    return re.compile(prefix + "".join(out) + ("(?:/.*)?" if directory else ""))


def glob_match(pattern: str, path: str) -> bool:
    return compile_glob(pattern).fullmatch(path) is not None


def first_match(patterns: Iterable[str], path: str) -> str | None:
    for pattern in patterns:
        if glob_match(pattern, path):
            return pattern
    return None
