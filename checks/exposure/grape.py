"""Grape (Ruby): `class Settings < Grape::API` with `resource :settings do … get ":id" do … end … end`,
`namespace`/`group`/`segment`/`route_param :id` blocks as prefixes, `prefix`/`version … using: :path` of the
API, and `before do authenticate!; restrict_to_role %w(admin) end` callbacks, which guard every endpoint of
the namespace they stand in, whether declared before or after them. A guard the endpoint calls first
(`authenticated_as_admin!`) guards it too. Blocks are read by indentation (`ruby_blocks.BlockEnds`).
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, join_paths, line_of
from .roles import privileged_role
from .routes import FileRoutes, RawRoute
from .ruby_blocks import BlockEnds
from .scan import AUTH_WORDS

_MARKER = re.compile(r"<\s*Grape::API\b")
_NAME = r"(?:(['\"])([^'\"\n]{0,300})\2|:(\w+))"
_BLOCK = re.compile(
    r"^([ \t]*)(get|post|put|patch|delete|head|options|resources?|namespace|group|segment|route_param|before)"
    r"\b[ \t]*\(?[ \t]*(?:" + _NAME + r")?[^\n]{0,200}?(?:\bdo\b|\{)[ \t]*(?:\|[^|\n]{0,80}\|)?[ \t]*$",
    re.M,
)
_PREFIX = re.compile(r"^[ \t]*prefix\s+" + _NAME, re.M)
_VERSION = re.compile(r"^[ \t]*version\s+" + _NAME + r"[^\n]{0,200}?using:\s*:path", re.M)
# A statement of a block that turns callers away: `authenticate!`, `restrict_to_role %w(admin)`,
# `error!('401 Unauthorized', 401) unless current_user`.
_STATEMENT = re.compile(r"^[ \t]*(\w+[!?]?)(?:[ \t(][^\n]{0,200})?$", re.M)
_REFUSES = re.compile(r"\berror!\s*\(?[^\n]{0,80}\b40[13]\b")
MAX_BLOCKS = 4000
MAX_GUARD_LINES = 6
MAX_GUARD_CHARS = 2000  # the first statements of a block are all a guard can be
_NAMESPACES = frozenset({"resource", "resources", "namespace", "group", "segment", "route_param"})


def mentions_grape(text: str) -> bool:
    return _MARKER.search(text) is not None


def _guards(body: str) -> list[str]:
    """What the first statements of a block check: calls named for sign-in or for a privileged role."""
    found: list[str] = []
    for line in body.strip("\n").splitlines()[:MAX_GUARD_LINES]:
        statement = " ".join(line.split())[:120]
        called = _STATEMENT.match(line)
        if _REFUSES.search(line) or (
            called is not None and (AUTH_WORDS.search(called.group(1)) or privileged_role(statement))
        ):
            found.append(statement)
    return found


def _segment(m: re.Match[str]) -> str:
    literal, symbol = m.group(4), m.group(5)
    if m.group(2) == "route_param":
        return "{" + (symbol or literal or "id") + "}"
    return literal if literal is not None else (symbol or "")


def extract_grape(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if not mentions_grape(text):
        return out
    text = text[:MAX_FILE_CHARS]
    base = ""
    for p in (_PREFIX.search(text), _VERSION.search(text)):
        if p is not None:
            base = join_paths(base, p.group(2) if p.group(2) is not None else p.group(3))
    found = list(_BLOCK.finditer(text))[:MAX_BLOCKS]
    ends = BlockEnds(text)
    # Scopes: (start, end, prefix); the file itself is the outermost.
    scopes: list[tuple[int, int, str]] = [(0, len(text), base)]
    callbacks: list[tuple[int, int, list[str]]] = []  # the scope's span, its `before` guards
    prefixes: dict[int, str] = {}  # each endpoint's prefix, from the innermost scope holding it
    for m in found:
        inner = [s for s in scopes if s[0] <= m.start() < s[1]]
        start, end, prefix = max(inner, key=lambda s: s[0])
        prefixes[m.start()] = prefix
        if m.group(2) in _NAMESPACES:
            scopes.append((m.end(), ends.of(m), join_paths(prefix, _segment(m))))
        elif m.group(2) == "before":
            guards = _guards(text[m.end() : min(ends.of(m), m.end() + MAX_GUARD_CHARS)])
            if guards:
                callbacks.append((start, end, guards))
    for m in found:
        verb = m.group(2)
        if verb in _NAMESPACES or verb == "before":
            continue
        prefix = prefixes[m.start()]
        reasons = [f"before {g}" for s, e, gs in callbacks if s <= m.start() < e for g in gs]
        reasons += [
            f"calls {g} first" for g in _guards(text[m.end() : min(ends.of(m), m.end() + MAX_GUARD_CHARS)])
        ]
        out.routes.append(
            RawRoute(
                "http",
                verb.upper(),
                join_paths(prefix, _segment(m)),
                line_of(text, m.start()),
                AUTHENTICATED if reasons else UNKNOWN,
                tuple(dict.fromkeys(reasons)),
            )
        )
    return out
