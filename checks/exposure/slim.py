"""Slim: `$app->group('/admin', function (RouteCollectorProxy $group) { $group->get('/x', A::class)->add(m); })`.

A group's closure holds its routes; `->add(...)` after a route or a group's closing call adds middleware to it.
Middleware whose name says authentication or names a privileged role guards what it is added to.
"""

from __future__ import annotations

import itertools
import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, join_paths, line_of
from .routes import FileRoutes, RawRoute
from .scan import ARROW_CHAINED, AUTH_WORDS, balanced, chained_calls, leading_string

# `$group->get(`, `$app->map(['GET', 'POST'], `: a call on a Slim app or route collector.
_CALL = re.compile(r"\$(\w+)\s*->\s*(get|post|put|patch|delete|options|any|map|group)\s*\(")
MAX_ROUTES = 2000
_ACTION = re.compile(r"['\"][\\\w]*?\\?(\w+Controller):(\w+)['\"]")
MAX_CHAIN = 8


# Slim 3's group closures register on `$this`: `$app->group('/admin', function () { $this->get(…); })`.
_SLIM3_GROUP = re.compile(
    r"\$app\s*->\s*group\s*\([^()]{0,300}?function\s*\(\s*\)\s*(?:use\s*\([^()]{0,200}\)\s*)?\{\s*\$this\s*->"
)


def mentions_slim(text: str) -> bool:
    return "RouteCollectorProxy" in text or "Slim\\" in text or _SLIM3_GROUP.search(text) is not None


def _added(text: str, end: int) -> tuple[str, ...]:
    """Middleware added after the call ending at `end`: `->setName('x')->add(new Middleware\\Permissions(A))`."""
    guards: list[str] = []
    for name, args, _ in chained_calls(text, end, MAX_CHAIN, ARROW_CHAINED):
        if name == "add" and AUTH_WORDS.search(args):
            guards.append(f"middleware {' '.join(args.split())[:120]}")
        elif name not in ("add", "setName", "setArgument", "setArguments"):
            break
    return tuple(guards)


def extract_slim(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_slim(text):
        return out
    groups: list[tuple[int, int, str, tuple[str, ...]]] = []  # closure start, end, prefix, guards

    def scope(at: int) -> tuple[str, tuple[str, ...]]:
        inner = [g for g in groups if g[0] <= at < g[1]]
        if not inner:
            return "", ()
        best = max(inner, key=lambda g: g[0])
        return best[2], best[3]

    for m in itertools.islice(_CALL.finditer(text), MAX_ROUTES):
        verb = m.group(2)
        prefix, guards = scope(m.start())
        limit = 200_000 if verb == "group" else 4000
        args = balanced(text, m.end() - 1, limit)
        end = m.end() + len(args) + 1
        if verb == "group":
            sub = leading_string(args)
            if sub is None:
                continue
            groups.append((m.end(), end, join_paths(prefix, sub), guards + _added(text, end)))
            continue
        methods: list[str] = [verb.upper()]
        if verb == "map":
            listed, _, args = args.partition("]")
            methods = [x.upper() for x in re.findall(r"['\"](\w+)['\"]", listed)]
            args = args.lstrip(" ,\n")
        elif verb == "any":
            methods = ["ANY"]
        route = leading_string(args)
        if route is None or not (route == "" or route.startswith("/")):
            continue  # `$container->get('settings')`: no route
        reasons = guards + _added(text, end)
        state = AUTHENTICATED if reasons else UNKNOWN
        # `'\\App\\Admin\\ToolsController:index'`: the action, so a route moved to another path is known
        action = _ACTION.search(args)
        handler = f"php:{action.group(1)}#{action.group(2)}" if action else ""
        for method in methods:
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    join_paths(prefix, route),
                    line_of(text, m.start()),
                    state,
                    reasons,
                    handler=handler,
                )
            )
    return out
