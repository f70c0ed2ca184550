"""Next.js Pages Router API routes: the file's path is the route.

`pages/api/admin/users.ts` (a default-exported handler) serves `/api/admin/users`, `pages/api/x/[id].ts` serves
`/api/x/{id}`; `index` is the directory itself. The handler's method branches (`req.method === "POST"`) are its
methods. App Router `route.ts` files are read with the other JS/TS idioms (javascript.py).
"""

from __future__ import annotations

import re

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
    state = AUTHENTICATED if reasons else UNAUTHENTICATED
    pages = _PAGES_API.search(path)
    default = _DEFAULT.search(text)
    if pages is None or default is None:
        return extract_js(path, text)
    route = _route(pages.group(1).split("/"))
    methods = dict.fromkeys(a or b for a, b in _BRANCH.findall(text)) or {"ANY": None}
    for method in methods:
        out.routes.append(RawRoute("http", method, route, line_of(text, default.start()), state, reasons))
    return out
