"""JS/TS routes declared with the method as the first argument: `this.route("DELETE", "/purge/:name", guard, h)`.

Express-derived routers (parse-server's PromiseRouter and similar wrappers) register every route through one
`route(method, path, ...handlers)` call; the handlers before the last are middleware.
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, line_of, normalize_path
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, balanced, split_args, strings

# Led by its literal `.` (the receiver before it does not matter): found quickly, where a pattern starting
# with an identifier is tried at every word of the file.
_CALL = re.compile(r"\.\s*route\s*\(\s*['\"`](GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ALL)['\"`]\s*,")


def extract_route_calls(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    for m in _CALL.finditer(text):
        open_at = text.find("(", m.start())
        args = split_args(balanced(text, open_at))
        route = strings(args[1])[:1] if len(args) > 1 else []
        if not route or not route[0].startswith("/") or args[1].strip()[0] not in "'\"`":
            continue
        reasons = tuple(f"middleware {h}" for h in args[2:-1] if AUTH_WORDS.search(h))
        state = AUTHENTICATED if reasons else UNAUTHENTICATED
        method = "ANY" if m.group(1) == "ALL" else m.group(1)
        out.routes.append(
            RawRoute("http", method, normalize_path(route[0]), line_of(text, m.start()), state, reasons)
        )
    return out
