"""Twisted servlets in the Synapse style: a class names its URL patterns in a `PATTERNS` attribute
(`PATTERNS = admin_patterns("/rooms/(?P<room_id>[^/]*)/block$")`, `PATTERNS = client_patterns(…)`,
`PATTERNS = [re.compile("^/_matrix/key/v2/query$")]`) and serves each verb with an `on_GET`/`on_POST`/…
method, whose first statement carries the guard (`await assert_requester_is_admin(self.auth, request)`).

A pattern helper stands for the prefix it adds by its own name: `admin_patterns("/x")` serves `/admin/x`,
`client_patterns("/x")` `/client/x`.
"""

from __future__ import annotations

import itertools
import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, line_of, normalize_path
from .python import checks_first
from .routes import FileRoutes, RawRoute
from .scan import balanced, inline_guard, strings
from .tornado import NEXT_DEF, path_of

MENTIONS = re.compile(r"^[ \t]+PATTERNS[ \t]*=", re.M)
_CLASS = re.compile(r"^class[ \t]+(\w+)[ \t]*(?:\([^)\n]{0,200}\))?[ \t]*:", re.M)
# `PATTERNS = admin_patterns("/x$", "v2")`, `PATTERNS = [re.compile(r"^/x$")]`, `PATTERNS = client_patterns(
#     "/x$", releases=(), unstable=True)`
_PATTERNS = re.compile(
    r"^[ \t]+PATTERNS[ \t]*=[ \t]*(?:\[[ \t]*)?(?:(\w+)_patterns|re\.compile)[ \t]*\(", re.M
)
_VERB = re.compile(
    r"^[ \t]+(?:async[ \t]+)?def[ \t]+on_(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)[ \t]*\(", re.M
)
# where a method's signature ends, over as many lines as it takes: `) -> Tuple[int, JsonDict]:`
_SIGNATURE_END = re.compile(r"\)[ \t]*(?:->[^:\n]{0,200})?:[ \t]*(?:#[^\n]*)?(?=\n)")
_VERSION = re.compile(r"v\d{1,3}")
MAX_SERVLETS = 2000
MAX_BODY_CHARS = 3000


def mentions_servlets(text: str) -> bool:
    return MENTIONS.search(text) is not None


def _guard(method: str) -> str | None:
    """The guard of a verb method: its first statement, or an inline role check at its top."""
    signature = _SIGNATURE_END.search(method)
    if signature is None:
        return None
    body = method[signature.end() :]
    following = NEXT_DEF.search(body)
    body = body[: following.start()] if following else body
    return checks_first(body) or inline_guard(body)


def extract_servlets(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_servlets(text):
        return out
    classes = list(itertools.islice(_CLASS.finditer(text), MAX_SERVLETS))
    for i, c in enumerate(classes):
        end = classes[i + 1].start() if i + 1 < len(classes) else len(text)
        patterns = _PATTERNS.search(text, c.end(), end)
        if patterns is None:
            continue
        named = strings(balanced(text, patterns.end() - 1))
        if not named:
            continue
        route = path_of(named[0])
        if patterns.group(1):
            # `admin_patterns("/users/(?P<user_id>[^/]*)$", "v2")`: a version other than the first is its own path
            version = named[1] if len(named) > 1 and _VERSION.fullmatch(named[1]) and named[1] != "v1" else ""
            route = normalize_path(f"/{patterns.group(1)}/{version}{route}")
        for verb in _VERB.finditer(text, c.end(), end):
            guard = _guard(text[verb.start() : min(end, verb.start() + MAX_BODY_CHARS)])
            out.routes.append(
                RawRoute(
                    "http",
                    verb.group(1),
                    route,
                    line_of(text, verb.start()),
                    AUTHENTICATED if guard else UNKNOWN,
                    (guard,) if guard else (),
                    "",
                    "",
                )
            )
    return out
