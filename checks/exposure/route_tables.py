"""JS/TS routes declared as the keys of an object: `'post /api/v1/system/vacuum': { authenticated: true,
admin: true, controller: system.vacuum }` (Gladys), `'GET /user/:id': 'UserController.find'` (Sails.js'
`config/routes.js`).

The key holds the method and the path; an object value may say who passes (`authenticated: false`,
`admin: true`, `role: 'admin'`); a string or function value says nothing, the route's guard is declared
elsewhere (Sails' policies).

Python servers keep such tables as dictionaries, one per route, handed to a registering loop:
`{'r': '/api/admin/whitelist', 'm': ['GET'], 'f': self.api_admin_whitelist}`. A dictionary holding a path
string and a list of HTTP verbs is a route; a bare function or method among its values is the handler, whose
decorators give its guards.
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, UNKNOWN, line_of, normalize_path
from .roles import privileged_role
from .routes import FileRoutes, RawRoute
from .scan import balanced

_KEY = re.compile(
    r"(['\"])(get|post|put|delete|patch|all|GET|POST|PUT|DELETE|PATCH|ALL)[ \t]+(/[^'\"\s]{0,300})\1[ \t]*:[ \t]*"
)
_AUTH_FLAG = re.compile(
    r"\b(?:authenticated|requireAuth|requiresAuth|auth|isAuthenticated|loggedIn)\s*:\s*(true|false)\b"
)
_ROLE_FLAG = re.compile(r"\b(admin|isAdmin|adminOnly|requireAdmin|superuser|staff)\s*:\s*true\b")
_ROLE_VALUE = re.compile(r"\b(?:role|roles|permission|permissions)\s*:\s*([^,\n}]{1,120})")
MAX_ROUTES = 2000
# one dictionary of a Python route table, on its own: no nested braces
_PY_ROW = re.compile(r"\{[^{}\n]{0,600}\}")
_PY_PATH = re.compile(r"""['"]\w{1,20}['"]\s*:\s*[rb]?['"](/[^'"\s]{0,300})['"]""")
_PY_VERBS = re.compile(
    r"""['"]\w{1,20}['"]\s*:\s*[\[(]\s*((?:['"](?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)['"]\s*,?\s*){1,7})[\])]"""
)
_PY_HANDLER = re.compile(r"""['"]\w{1,20}['"]\s*:\s*(?:self\.|cls\.)?([A-Za-z_]\w{0,80})\s*[,}]""")


def mentions_route_table(text: str) -> bool:
    return _KEY.search(text[:MAX_FILE_CHARS]) is not None


def extract_route_tables(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    for m in _KEY.finditer(text):
        if len(out.routes) >= MAX_ROUTES:
            break
        value = balanced(text, m.end(), 4000) if text[m.end() : m.end() + 1] == "{" else ""
        auth, reasons = _guards(value)
        method = m.group(2).upper()
        out.routes.append(
            RawRoute(
                "http",
                "ANY" if method == "ALL" else method,
                normalize_path(m.group(3)),
                line_of(text, m.start()),
                auth,
                reasons,
            )
        )
    return out


def _guards(value: str) -> tuple[str, tuple[str, ...]]:
    """Who an object value lets in: its auth flag, an admin flag, a role it names."""
    if not value:
        return UNKNOWN, ()
    flag = _AUTH_FLAG.search(value)
    role = _ROLE_FLAG.search(value)
    named = _ROLE_VALUE.search(value)
    reasons = [
        *(["route option authenticated: true"] if flag is not None and flag.group(1) == "true" else []),
        *([f"route option {role.group(1)}: true (admin)"] if role is not None else []),
        *(
            [f"route option {' '.join(named.group(0).split())}"]
            if named is not None and privileged_role(named.group(1))
            else []
        ),
    ]
    if reasons:
        return AUTHENTICATED, tuple(reasons)
    return (UNAUTHENTICATED if flag is not None else UNKNOWN), ()


# `URLS = [('/assets/updates', AssetUpdatesResource), …]` handed to a loop that registers each class view
# (`blueprint.add_url_rule(route, view_func=cls.as_view(…))`, `api.add_resource(cls, route)`): a row is a
# route served by the class, whose handlers' decorators give its guards.
_PY_VIEW_ROW = re.compile(r"""\(\s*[rb]?(['"])(/[^'"\n]{0,300})\1\s*,\s*([A-Z]\w{0,80})\s*[,)]""")
_LOOP_REGISTERS = re.compile(r"\.\s*(?:add_url_rule|add_resource)\s*\(\s*[a-z_]\w*\s*[,)]")


def mentions_py_route_table(text: str) -> bool:
    text = text[:MAX_FILE_CHARS]
    return _PY_VERBS.search(text) is not None or _registers_rows(text)


def _registers_rows(text: str) -> bool:
    return _LOOP_REGISTERS.search(text) is not None and _PY_VIEW_ROW.search(text) is not None


def extract_py_route_tables(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if _registers_rows(text):
        for m in _PY_VIEW_ROW.finditer(text):
            if len(out.routes) >= MAX_ROUTES:
                break
            at, served = line_of(text, m.start()), f"py:{m.group(3)}"
            out.routes.append(
                RawRoute("http", "ANY", normalize_path(m.group(2)), at, UNAUTHENTICATED, (), handler=served)
            )
    if _PY_VERBS.search(text) is None:
        return out
    for m in _PY_ROW.finditer(text):
        if len(out.routes) >= MAX_ROUTES:
            break
        row = m.group(0)
        route, verbs = _PY_PATH.search(row), _PY_VERBS.search(row)
        if route is None or verbs is None:
            continue
        handler = _PY_HANDLER.search(row)
        name = handler.group(1) if handler and handler.group(1) not in ("True", "False", "None") else ""
        for verb in re.findall(r"[A-Z]+", verbs.group(1)):
            out.routes.append(
                RawRoute(
                    "http",
                    verb,
                    normalize_path(route.group(1)),
                    line_of(text, m.start()),
                    UNKNOWN,
                    (),
                    handler=f"py:{name}" if name else "",
                )
            )
    return out
