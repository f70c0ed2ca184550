"""Next.js Pages Router API routes: the file's path is the route.

`pages/api/admin/users.ts` (a default-exported handler) serves `/api/admin/users`, `pages/api/x/[id].ts` serves
`/api/x/{id}`; `index` is the directory itself. The handler's method branches (`req.method === "POST"`) are its
methods. App Router `route.ts` files are read with the other JS/TS idioms (javascript.py).
"""

from __future__ import annotations

import re

from .inline_guards import MAX_PREAMBLE_CHARS, inline_privilege_check
from .javascript import extract_js
from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, line_of, normalize_path
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS

_PAGES_API = re.compile(r"(?:^|/)pages/(api/(?:[^/]+/)*[^/]+)\.[cm]?[jt]sx?$")
_METHODS = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS"
_DEFAULT = re.compile(r"export\s+default\b")
# `req.method === 'POST'`, `case "DELETE":`.
_BRANCH = re.compile(
    r"""method\s*(?:===?|!==?)\s*['"](""" + _METHODS + r""")['"]|case\s+['"](""" + _METHODS + r""")['"]\s*:"""
)
_CALLED = re.compile(r"\b([A-Za-z_$][\w$.]*)\s*\(")


def is_next_route(path: str) -> bool:
    return _PAGES_API.search(path) is not None


def _route(segments: list[str]) -> str:
    kept = [s for s in segments if s]
    if kept and kept[-1] == "index":
        kept.pop()
    return normalize_path("/".join(kept))


def _auth_calls(text: str) -> tuple[str, ...]:
    names = dict.fromkeys(m.group(1) for m in _CALLED.finditer(text) if AUTH_WORDS.search(m.group(1)))
    return tuple(f"calls {n}" for n in list(names)[:4])


def extract_next(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    reasons = _auth_calls(text)
    pages = _PAGES_API.search(path)
    default = _DEFAULT.search(text)
    if pages is None or default is None:
        return extract_js(path, text)
    route = _route(pages.group(1).split("/"))
    branches = list(_BRANCH.finditer(text))
    # Each method branch's own first statements: `if (process.env.ADMINISTRATOR !== user.username) return;`.
    checks: dict[str, str | None] = {}
    for i, m in enumerate(branches):
        end = branches[i + 1].start() if i + 1 < len(branches) else len(text)
        found = inline_privilege_check(text[m.end() : min(end, m.end() + MAX_PREAMBLE_CHARS)])
        checks[m.group(1) or m.group(2)] = checks.get(m.group(1) or m.group(2)) or found
    for method in checks or {"ANY": None}:
        check = checks.get(method)
        own = (*reasons, check) if check else reasons
        line = line_of(text, default.start())
        out.routes.append(
            RawRoute("http", method, route, line, AUTHENTICATED if own else UNAUTHENTICATED, own)
        )
    return out
