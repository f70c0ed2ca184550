"""Ktor's routing DSL (Kotlin): nested blocks whose paths join and whose `authenticate { }` guards them.

    routing {
        get("/") { … }
        route("/api") {
            authenticate("jwt") {
                get("/me") { … }
                withRole("admin") { post("/reindex") { … } }
            }
        }
    }

A verb block (`get("/x") { }`, `get { }`) is a route at the path of the blocks around it; `authenticate(…)`
(unless `optional = true`) and role blocks (`withRole("admin")`, `withAnyRole(…)`, a project's
`authorizedRoute(…)`) guard every route inside them.
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, join_paths, line_of
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, balanced, leading_string

MARKER = "io.ktor"
_BLOCK = re.compile(r"(?<![\w.])(\w+)\s*(\((?:[^()\n]|\([^()\n]*\)){0,300}\))?\s*\{")
_VERBS = {"get", "post", "put", "delete", "patch", "head", "options"}
_OPTIONAL = re.compile(r"optional\s*=\s*true")
MAX_BLOCKS = 5000
MAX_BLOCK_CHARS = 400_000


def mentions_ktor(text: str) -> bool:
    return MARKER in text


def extract_ktor(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if not mentions_ktor(text):
        return out
    text = text[:MAX_FILE_CHARS]
    scopes: list[tuple[int, str, tuple[str, ...]]] = []  # block end, path, guards
    for n, m in enumerate(_BLOCK.finditer(text)):
        if n >= MAX_BLOCKS:
            break
        while scopes and scopes[-1][0] <= m.start():
            scopes.pop()
        prefix, guards = (scopes[-1][1], scopes[-1][2]) if scopes else ("", ())
        name, params = m.group(1), (m.group(2) or "()")[1:-1]
        body_end = m.end() + len(balanced(text, m.end() - 1, MAX_BLOCK_CHARS))
        if name == "route":
            sub = leading_string(params)
            scopes.append((body_end, join_paths(prefix, sub or ""), guards))
        elif name == "authenticate" or (name != "route" and name not in _VERBS and AUTH_WORDS.search(name)):
            if name == "authenticate" and _OPTIONAL.search(params):
                scopes.append((body_end, prefix, guards))
                continue
            guard = f"{name}({' '.join(params.split())[:80]})"
            scopes.append((body_end, prefix, (*guards, guard)))
        elif name in _VERBS and (m.group(2) is None or leading_string(params) is not None):
            sub = leading_string(params) if m.group(2) else ""
            out.routes.append(
                RawRoute(
                    "http",
                    name.upper(),
                    join_paths(prefix, sub or ""),
                    line_of(text, m.start()),
                    AUTHENTICATED if guards else UNAUTHENTICATED,
                    guards,
                )
            )
            scopes.append((body_end, prefix, guards))
        else:
            scopes.append((body_end, prefix, guards))
    return out
