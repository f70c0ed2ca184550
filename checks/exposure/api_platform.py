"""API Platform: a resource class's operations are its routes (`#[ApiResource(operations: [new GetCollection(
uriTemplate: '/admin/users{._format}', security: 'is_granted("ROLE_ADMIN")'), new Get()])]`, or the operations
as attributes of their own: `#[Get(uriTemplate: '/books/{id}')]`).

An operation's path is its `uriTemplate` (without the `{._format}` suffix) under the resource's `routePrefix`,
else API Platform's default: the class name in plural snake case, with `/{id}` for an item. Its guard is its own
`security` expression, else the resource's; the roles it names say who passes. Without one, access is
whatever `security.yaml` says: unknown here.
"""

from __future__ import annotations

import re

from .model import ACCEPTS, AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, join_paths, line_of
from .routes import FileRoutes, RawRoute
from .scan import balanced, keyword

_RESOURCE = re.compile(r"#\[\s*ApiResource\s*\(")
_OPERATION = re.compile(r"(?:\bnew\s+|#\[\s*)(GetCollection|Get|Post|Put|Patch|Delete)\b\s*(\()?")
_METHODS = {
    "Get": "GET",
    "GetCollection": "GET",
    "Post": "POST",
    "Put": "PUT",
    "Patch": "PATCH",
    "Delete": "DELETE",
}
_CLASS = re.compile(r"^\s*(?:final\s+|abstract\s+|readonly\s+)*class\s+(\w+)", re.M)
_ROLE = re.compile(r"\bROLE_\w{1,80}")
_DEFAULTS = (
    ("GET", ""),
    ("POST", ""),
    ("GET", "/{id}"),
    ("PUT", "/{id}"),
    ("PATCH", "/{id}"),
    ("DELETE", "/{id}"),
)
MAX_OPERATIONS = 200
MAX_RESOURCE_CHARS = 20_000


def mentions_api_platform(text: str) -> bool:
    return "ApiPlatform\\Metadata" in text[:MAX_FILE_CHARS]


def _snake_plural(name: str) -> str:
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    if snake.endswith("y") and snake[-2:-1] not in ("a", "e", "i", "o", "u"):
        return snake[:-1] + "ies"
    return snake + ("es" if snake.endswith(("s", "x", "ch", "sh")) else "s")


def _guard(expression: str | None) -> tuple[str, tuple[str, ...]]:
    if not expression:
        return UNKNOWN, ()
    roles = list(dict.fromkeys(_ROLE.findall(expression)))
    if roles and not re.search(r"\band\b|&&", expression):
        return AUTHENTICATED, (f"security {ACCEPTS}{', '.join(roles)}",)
    return AUTHENTICATED, (f"security {' '.join(expression.split())[:120]}",)


def extract_api_platform(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_api_platform(text):
        return out
    cls = _CLASS.search(text)
    if cls is None:
        return out
    base = "/" + _snake_plural(cls.group(1))
    resource = _RESOURCE.search(text, 0, cls.start())
    resource_args = balanced(text, resource.end() - 1, MAX_RESOURCE_CHARS) if resource else ""
    operations = [m for m in _OPERATION.finditer(text, 0, cls.start())]
    # the resource's own options: its arguments with the operations' taken out
    own = resource_args
    for m in operations:
        if m.group(2):
            own = own.replace(balanced(text, m.end() - 1, MAX_RESOURCE_CHARS), "")
    prefix = keyword(own, "routePrefix") or ""
    shared = keyword(own, "security")
    if resource is not None and not operations:
        # no operations listed: API Platform's defaults, a collection and its items
        for method, route in _DEFAULTS:
            state, reasons = _guard(shared)
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    join_paths(prefix, base + route),
                    line_of(text, resource.start()),
                    state,
                    reasons,
                    handler=f"api-platform:{cls.group(1)}",
                )
            )
    for m in operations[:MAX_OPERATIONS]:
        args = balanced(text, m.end() - 1, MAX_RESOURCE_CHARS) if m.group(2) else ""
        template = keyword(args, "uriTemplate")
        if template is not None:
            route = template.replace("{._format}", "").replace(".{_format}", "")
        else:
            route = base if m.group(1) in ("GetCollection", "Post") else base + "/{id}"
        state, reasons = _guard(keyword(args, "security") or shared)
        out.routes.append(
            RawRoute(
                "http",
                _METHODS[m.group(1)],
                join_paths(prefix, route),
                line_of(text, m.start()),
                state,
                reasons,
                handler=f"api-platform:{cls.group(1)}",
            )
        )
    return out
