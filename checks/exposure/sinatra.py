"""Sinatra (Ruby): `get '/x' do … end` routes, `namespace '/admin' do` blocks (sinatra-contrib), a guard
the handler calls first (`protected!`, `authorize!`, `halt 401 unless admin?`) and `before '/admin/*'`
filters that call one.
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, join_paths, line_of
from .routes import FileRoutes, RawRoute
from .ruby_blocks import BlockEnds
from .scan import AUTH_WORDS

_MARKER = re.compile(r"require\s+['\"]sinatra|Sinatra::(?:Base|Application)")
_BLOCK = re.compile(
    r"^([ \t]*)(get|post|put|patch|delete|head|options|namespace|before)\b[ \t]*\(?[ \t]*"
    r"(?:(['\"])([^'\"\n]{0,300})\3)?[^\n]{0,200}?(?:\bdo\b|\{)[ \t]*(?:\|[^|\n]{0,80}\|)?[ \t]*$",
    re.M,
)
# The first statements of a block that turn anonymous or unprivileged callers away.
_GUARD = re.compile(
    r"^[ \t]*(?:(\w+[!?]?)\s*(?:$|\(|#)|halt\s+40[13]\b[^\n]{0,80}|redirect\b[^\n]{0,80}login[^\n]{0,40})",
    re.M,
)
MAX_PREAMBLE_LINES = 3
MAX_ROUTES = 2000


def mentions_sinatra(text: str) -> bool:
    return _MARKER.search(text) is not None


def _guard(body: str) -> str | None:
    for n, line in enumerate(body.strip("\n").splitlines()):
        if n >= MAX_PREAMBLE_LINES:
            break
        g = _GUARD.match(line)
        if g is None:
            continue
        called = g.group(1) or line.strip()
        if g.group(1) is None or AUTH_WORDS.search(called) or called.rstrip("!?") in ("protected", "protect"):
            return " ".join(called.split())[:120]
    return None


def extract_sinatra(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if not mentions_sinatra(text):
        return out
    text = text[:MAX_FILE_CHARS]
    scopes: list[tuple[int, str]] = []  # namespace end, prefix
    filters: list[tuple[str, str]] = []  # before-filter path pattern, guard
    found = list(_BLOCK.finditer(text))[:MAX_ROUTES]
    ends = BlockEnds(text)
    for m in found:
        if m.group(2) == "before":
            guard = _guard(text[m.end() : ends.of(m)])
            if guard:
                filters.append((m.group(4) or "*", guard))
    for m in found:
        verb = m.group(2)
        while scopes and scopes[-1][0] <= m.start():
            scopes.pop()
        prefix = scopes[-1][1] if scopes else ""
        if verb == "namespace":
            scopes.append((ends.of(m), join_paths(prefix, m.group(4) or "")))
            continue
        if verb == "before" or m.group(4) is None or not m.group(4).startswith("/"):
            continue
        route = join_paths(prefix, m.group(4))
        reasons = [f"before filter {pattern}: {g}" for pattern, g in filters if _covers(pattern, route)]
        own = _guard(text[m.end() : ends.of(m)])
        reasons += [f"calls {own} first"] if own else []
        out.routes.append(
            RawRoute(
                "http",
                verb.upper(),
                route,
                line_of(text, m.start()),
                AUTHENTICATED if reasons else UNAUTHENTICATED,
                tuple(reasons),
            )
        )
    return out


def _covers(pattern: str, route: str) -> bool:
    if pattern in ("*", "/*"):
        return True
    base = pattern.rstrip("*").rstrip("/")
    return route == base or route.startswith(base + "/")
