"""JS/TS routes declared as the keys of an object: `'post /api/v1/system/vacuum': { authenticated: true,
admin: true, controller: system.vacuum }` (Gladys), `'GET /user/:id': 'UserController.find'` (Sails.js'
`config/routes.js`).

The key holds the method and the path; an object value may say who passes (`authenticated: false`,
`admin: true`, `role: 'admin'`); a string or function value says nothing, the route's guard is declared
elsewhere (Sails' policies).
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
