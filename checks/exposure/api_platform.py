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
from .scan import balanced, keyword, plural
from .symfony import granted_roles

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


def _guard(expression: str | None) -> tuple[str, tuple[str, ...]]:
    if not expression:
        return UNKNOWN, ()
    roles = granted_roles(expression)
    if roles:
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
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", cls.group(1)).lower()
    base = "/" + plural(snake)
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
    # (method, path, line, security expression) of each operation
    declared: list[tuple[str, str, int, str | None]] = []
    if resource is not None and not operations:
        # no operations listed: API Platform's defaults, a collection and its items
        line = line_of(text, resource.start())
        declared = [(method, base + route, line, shared) for method, route in _DEFAULTS]
    for m in operations[:MAX_OPERATIONS]:
        args = balanced(text, m.end() - 1, MAX_RESOURCE_CHARS) if m.group(2) else ""
        template = keyword(args, "uriTemplate")
        if template is not None:
            route = template.replace("{._format}", "").replace(".{_format}", "")
        else:
            route = base if m.group(1) in ("GetCollection", "Post") else base + "/{id}"
        declared.append(
            (_METHODS[m.group(1)], route, line_of(text, m.start()), keyword(args, "security") or shared)
        )
    for method, route, line, expression in declared:
        state, reasons = _guard(expression)
        out.routes.append(
            RawRoute(
                "http",
                method,
                join_paths(prefix, route),
                line,
                state,
                reasons,
                handler=f"api-platform:{cls.group(1)}",
            )
        )
    return out
