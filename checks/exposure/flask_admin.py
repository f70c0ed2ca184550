"""Flask-Admin: `admin.add_view(UserAdmin(User, db.session))` serves a view's pages under the admin index.

Flask-Admin names a view by its `endpoint` (a model view's model, else the class, lower-cased) and serves it at
`/admin/<endpoint>/`, or at the `url` it is given. Every page it serves is an administrator's, however the view
checks access (`is_accessible`), so each view added is an internal endpoint, keyed by where it is served:
moving the call to another module moves nothing.
"""

from __future__ import annotations

import re

from .model import ADMIN_HANDLER, MAX_FILE_CHARS, UNKNOWN, join_paths, line_of
from .routes import FileRoutes, RawRoute
from .scan import balanced, keyword, split_args

_ADD_VIEW = re.compile(r"\b\w+\s*\.\s*add_views?\s*\(")
_VIEW = re.compile(r"\s*((?:\w+\.)*([A-Z]\w{0,80}))\s*\(")
_MODEL = re.compile(r"\s*(?:\w+\.)*([A-Z]\w{0,80})\s*$")
_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+flask(?:_admin|\.ext\.admin)\b", re.M)
_ADMIN_INDEX = "/admin"
MAX_VIEWS = 200


def mentions_flask_admin(text: str) -> bool:
    """A module that imports Flask-Admin and adds views (Pyramid's `config.add_view` is another thing)."""
    text = text[:MAX_FILE_CHARS]
    return "add_view" in text and _IMPORT.search(text) is not None and _ADD_VIEW.search(text) is not None


def extract_flask_admin(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_flask_admin(text):
        return out
    for m in _ADD_VIEW.finditer(text):
        for view in split_args(balanced(text, m.end() - 1)):
            call = _VIEW.match(view)
            if call is None:
                continue
            args = balanced(view, call.end() - 1)
            positional = [a for a in split_args(args) if "=" not in a.split("(", 1)[0]]
            # a model view's first argument is its model: `UserAdmin(User, db.session)` serves `/admin/user/`
            model = _MODEL.match(positional[0]) if positional else None
            endpoint = keyword(args, "endpoint") or (model.group(1) if model else call.group(2))
            url = keyword(args, "url")
            if url is not None and not re.fullmatch(r"[\w./{}<>:-]{0,200}", url):
                continue  # a URL built at run time
            at = url if url and url.startswith("/") else join_paths(_ADMIN_INDEX, url or endpoint.lower())
            out.routes.append(
                RawRoute(
                    "http",
                    "ANY",
                    join_paths(at, "**"),
                    line_of(text, m.start()),
                    UNKNOWN,
                    (f"{ADMIN_HANDLER}Flask-Admin view {call.group(2)}",),
                )
            )
            if len(out.routes) >= MAX_VIEWS:
                return out
    return out
