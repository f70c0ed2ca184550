"""Pyramid: routes are named in one place (`config.add_route("admin.users", "/admin/users")`) and served by
views declared elsewhere (`@view_config(route_name="admin.users", permission="admin")`, a class's
`@view_defaults(...)`, `config.add_view(view, route_name=..., permission=...)`).

Each route names its views by route name as its handler (`pyramid:admin.users`); each view publishes the
permission it demands under that name, so the two meet across files. A route whose views name no permission
stays unknown (the application may set a default permission); `NO_PERMISSION_REQUIRED` opts out even of that.
"""

from __future__ import annotations

import itertools
import re

from .model import MAX_FILE_CHARS, OPTS_OUT, UNKNOWN, line_of, normalize_path
from .routes import FileRoutes, RawRoute
from .scan import balanced, keyword, split_args, strings

KEY = "pyramid:"
_ADD_ROUTE = re.compile(r"\.\s*add_route\s*\(")
# `@view_config(route_name=…)`, `@view_defaults(…)`, a project's own (`@api_config(route_name=…)`),
# `config.add_view(view, route_name=…)`: found by the keyword, the call read back from it.
_ROUTE_NAME = re.compile(r"\broute_name\s*=")
_CALL_BEFORE = re.compile(r"(?:@[ \t]*[\w.]+|\.\s*add_view)\s*\($")
MAX_CALL_BACK = 600
_VERBS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "*"})
_OPEN = re.compile(r"NO_PERMISSION_REQUIRED|__no_permission_required__")
# `{id:[A-Za-z0-9_-]{20,22}}`: a placeholder with its regex, braces and all.
_REGEX_PARAM = re.compile(r"\{(\w{1,80}):[^/]{0,200}?\}(?=/|$)")
MAX_ROUTES = 4000
MAX_VIEWS = 4000
MENTIONS = re.compile(r"\broute_name\s*=|\.add_route\s*\(")


def mentions_pyramid(text: str) -> bool:
    return MENTIONS.search(text) is not None


def _view_call(text: str, at: int) -> int:
    """Where the arguments open of the view declaration holding the `route_name=` at `at`, or -1: the nearest
    bracket before it that a decorator or `add_view` opens (past a few nested calls, `renderer=f(x)`)."""
    floor = max(0, at - MAX_CALL_BACK)
    open_at = at
    for _ in range(4):
        open_at = text.rfind("(", floor, open_at)
        if open_at < 0:
            return -1
        if _CALL_BEFORE.search(text, max(0, open_at - 200), open_at + 1) is not None:
            return open_at
    return -1


def extract_pyramid(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_pyramid(text):
        return out
    for m in itertools.islice(_ADD_ROUTE.finditer(text), MAX_ROUTES):
        args = balanced(text, m.end() - 1)
        parts = split_args(args)
        named = strings(parts[0])[:1] if parts and re.match(r"\s*['\"]", parts[0]) else []
        second = strings(parts[1])[:1] if len(parts) > 1 and re.match(r"\s*['\"]", parts[1]) else []
        held = keyword(args, "pattern") or (second[0] if second else None)
        # aiohttp's `router.add_route("GET", "/x", handler)` names a method first, Pyramid a route name.
        if not named or held is None or named[0].upper() in _VERBS or "/" in named[0]:
            continue
        name, pattern = named[0], held
        route = normalize_path(_REGEX_PARAM.sub(r"{\1}", pattern.split("*", 1)[0]))
        out.routes.append(
            RawRoute("http", "ANY", route, line_of(text, m.start()), UNKNOWN, (), "", KEY + name)
        )
    for k in itertools.islice(_ROUTE_NAME.finditer(text), MAX_VIEWS):
        open_at = _view_call(text, k.start())
        if open_at < 0:
            continue
        args = balanced(text, open_at)
        view_of = keyword(args, "route_name")
        permission = keyword(args, "permission")
        if not view_of or not permission:
            continue
        open_view = _OPEN.search(permission) is not None
        guard = f"{OPTS_OUT if open_view else ''}view permission {permission}"
        known = out.guards.setdefault(KEY + view_of, [])
        if guard not in known:
            known.append(guard)
    return out
