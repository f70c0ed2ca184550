"""Laravel `Route::` definitions, including `prefix()`/`middleware()` chains and `group()` closures."""

from __future__ import annotations

import re

from .laravel_guards import handler_of
from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, join_paths, line_of
from .roles import privileged_role
from .routes import FileRoutes, Mount, RawRoute
from .scan import MAX_CALL_CHARS, balanced, leading_string, strings

_ROUTE = re.compile(
    r"Route::(get|post|put|patch|delete|options|any|match|prefix|middleware|group|resource|apiResource)\s*\("
)
_CHAIN = re.compile(r"\s*->\s*(\w+)\s*\(")
_RESOURCE = {
    "index": ("GET", ""),
    "store": ("POST", ""),
    "show": ("GET", "{id}"),
    "update": ("PUT", "{id}"),
    "destroy": ("DELETE", "{id}"),
    "create": ("GET", "create"),
    "edit": ("GET", "{id}/edit"),
}


def _auth_middleware(args: str) -> list[str]:
    return [
        s
        for s in strings(args)
        if s.startswith(("auth", "can:", "verified", "role", "permission")) or privileged_role(s)
    ]


# A group closure spans many routes: it is read to its end, not cut like an ordinary call.
MAX_GROUP_CHARS = 200_000


def _limit(call: str) -> int:
    return MAX_GROUP_CHARS if call == "group" else MAX_CALL_CHARS


_ROUTE_FILE = re.compile(r"""['"]([\w./-]{1,200}\.php)['"]""")


def extract_laravel(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    groups: list[tuple[int, int, str, tuple[str, ...]]] = []
    for m in _ROUTE.finditer(text):
        if any(s <= m.start() < e and s == m.start() for s, e, _, _ in groups):
            continue
        prefix = "".join(p for s, e, p, _ in groups if s < m.start() < e)
        auth: tuple[str, ...] = tuple(a for s, e, _, mw in groups if s < m.start() < e for a in mw)
        calls = [(m.group(1), balanced(text, m.end() - 1, _limit(m.group(1))))]
        pos = m.end() + len(calls[0][1]) + 1
        for _ in range(10):
            c = _CHAIN.match(text, pos) if pos < len(text) else None
            if c is None:
                break
            args = balanced(text, c.end() - 1, _limit(c.group(1)))
            calls.append((c.group(1), args))
            pos = c.end() + len(args) + 1
        own_prefix = ""
        own_auth: list[str] = []
        for name, args in calls:
            if name == "prefix":
                own_prefix = join_paths(own_prefix, leading_string(args) or "")
            elif name == "middleware":
                own_auth += [f"middleware {a}" for a in _auth_middleware(args)]
            elif name == "withoutMiddleware" and _auth_middleware(args):
                auth = ()
        for name, args in calls:
            # `->group(base_path('routes/admin.php'))`: that file's routes live under this prefix and auth.
            target = _ROUTE_FILE.search(args) if name == "group" else None
            if target is not None:
                reason = "group with " + ", ".join(own_auth) if own_auth else ""
                out.mounts.append(Mount(f"php:{target.group(1)}", own_prefix, "php:", bool(own_auth), reason))
                continue
            if name == "group":
                body_start = text.find(args, m.start())
                groups.append((body_start, body_start + len(args), own_prefix, tuple(own_auth)))
        verb, args = calls[0]
        reasons = auth + tuple(own_auth)
        state = AUTHENTICATED if reasons else UNAUTHENTICATED
        route = leading_string(args)
        if verb in ("get", "post", "put", "patch", "delete", "options", "any") and route is not None:
            out.routes.append(
                RawRoute(
                    "http",
                    "ANY" if verb == "any" else verb.upper(),
                    join_paths(prefix, route),
                    line_of(text, m.start()),
                    state,
                    reasons,
                    f"php:{path}",
                    handler_of(args),
                )
            )
        elif verb == "match":
            methods = strings(args.split("]", 1)[0])
            targets = strings(args.split("]", 1)[1])[:1] if "]" in args else []
            for method in methods:
                if targets:
                    out.routes.append(
                        RawRoute(
                            "http",
                            method.upper(),
                            join_paths(prefix, targets[0]),
                            line_of(text, m.start()),
                            state,
                            reasons,
                        )
                    )
        elif verb in ("resource", "apiResource") and route is not None:
            for action, (method, suffix) in _RESOURCE.items():
                if verb == "apiResource" and action in ("create", "edit"):
                    continue
                out.routes.append(
                    RawRoute(
                        "http",
                        method,
                        join_paths(prefix, route, suffix),
                        line_of(text, m.start()),
                        state,
                        reasons,
                    )
                )
    return out
