"""Lua web applications on OpenResty: Lapis route tables as Kong's Admin API writes them
(`["/schemas/vaults/:name"] = { GET = function(self, db, helpers) … end }`), Lapis applications
(`app:get("/x", …)`, `app:match("name", "/x", respond_to({ … }))`) and APISIX-style router tables
(`{ methods = {"PUT"}, uris = {"/plugins/reload"}, handler = … }`, `paths = [[/apisix/admin/*]]`).

Nothing here declares who may call: auth is unknown, and a path classifies the route.
"""

from __future__ import annotations

import itertools
import re

from .model import MAX_FILE_CHARS, UNKNOWN, line_of, normalize_path
from .routes import FileRoutes, RawRoute
from .scan import balanced

_VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
# `["/path"] = {`: a table keyed by path
_PATH_KEY = re.compile(r"\[\s*(['\"])(/[^'\"\n]{0,300})\1\s*\]\s*=\s*\{")
_VERB_KEY = re.compile(r"(?<![\w.])(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD)\s*=")
# `app:get("/x", …)`, `app:match("name", "/x", …)`
_APP_CALL = re.compile(
    r"\b\w+\s*:\s*(get|post|put|patch|delete|match)\s*\(\s*(?:(['\"])[\w.-]{1,80}\2\s*,\s*)?(['\"])(/[^'\"\n]{0,300})\3"
)
# `uris = {"/a", "/b"}`, `uri = "/a"`, `paths = [[/apisix/admin/*]]`, `paths = {"/x"}`
_URIS = re.compile(
    r"(?<![\w.])(?:uris?|paths?)\s*=\s*(\{[^{}\n]{0,600}\}|\[\[[^\]\n]{0,300}\]\]|(['\"])[^'\"\n]{0,300}\2)"
)
_METHODS = re.compile(r"(?<![\w.])methods\s*=\s*\{([^{}\n]{0,200})\}")
_LUA_STRING = re.compile(r"\[\[([^\]\n]{0,300})\]\]|(['\"])([^'\"\n]{0,300})\2")
_BLOCK_OPEN = re.compile(r"--\[(=*)\[")
MAX_ROUTES = 2000
MAX_TABLE_CHARS = 20000


def _lua_strings(text: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(3) for m in _LUA_STRING.finditer(text)]


def _route(method: str, path: str, line: int) -> RawRoute:
    return RawRoute("http", method, normalize_path(path.rstrip("*")), line, UNKNOWN)


def _enclosing_table(text: str, at: int) -> tuple[int, int] | None:
    """The `{` … `}` around `at` (bounded reach): where it opens, and where it closes."""
    depth = 0
    for i in range(at - 1, max(-1, at - 2000), -1):
        c = text[i]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                body = balanced(text, i, MAX_TABLE_CHARS)
                return i, i + len(body) + 1
            depth -= 1
    return None


def _without_comments(text: str) -> str:
    """`-- a line`, `--[[ a block ]]`, `--[==[ a block ]==]` blanked (offsets and line numbers stay): comments
    never declare routes. Linear: a block left open is looked for once per level, then read as a line comment."""
    parts: list[str] = []
    unclosed: set[str] = set()
    at = 0
    while (start := text.find("--", at)) >= 0:
        block = _BLOCK_OPEN.match(text, start)
        close = "]" + block.group(1) + "]" if block else ""
        end = text.find(close, block.end()) if block and close not in unclosed else -1
        if block and end < 0:
            unclosed.add(close)
        if end >= 0:
            end += len(close)
        else:
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
        parts += (text[at:start], re.sub(r"[^\n]", " ", text[start:end]))
        at = end
    parts.append(text[at:])
    return "".join(parts)


def extract_lua(path: str, text: str) -> FileRoutes:
    text = _without_comments(text[:MAX_FILE_CHARS])
    out = FileRoutes()
    for m in itertools.islice(_PATH_KEY.finditer(text), MAX_ROUTES):
        body = balanced(text, m.end() - 1, MAX_TABLE_CHARS)
        line = line_of(text, m.start())
        for v in _VERB_KEY.finditer(body):
            # only the table's own keys: `GET = function` at its first level
            depth = body.count("{", 0, v.start()) - body.count("}", 0, v.start())
            if depth == 0:
                out.routes.append(_route(v.group(1), m.group(2), line))
    for m in itertools.islice(_APP_CALL.finditer(text), MAX_ROUTES):
        verb = m.group(1).upper()
        out.routes.append(_route("ANY" if verb == "MATCH" else verb, m.group(4), line_of(text, m.start())))
    seen: set[int] = set()
    for m in itertools.islice(_URIS.finditer(text), MAX_ROUTES):
        table = _enclosing_table(text, m.start())
        if table is None or table[0] in seen:
            continue
        seen.add(table[0])
        inside = text[table[0] : table[1]]
        if "handler" not in inside and "methods" not in inside:
            continue  # a table that only names paths (a config's allow list), no route
        methods = _METHODS.search(inside)
        verbs = [v.upper() for v in _lua_strings(methods.group(1))] if methods else []
        verbs = [v for v in verbs if v in _VERBS] or ["ANY"]
        for uri in _lua_strings(m.group(1)):
            if uri.startswith("/"):
                for verb in verbs:
                    out.routes.append(_route(verb, uri, line_of(text, m.start())))
    return out
