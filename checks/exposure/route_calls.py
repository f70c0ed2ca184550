"""JS/TS routes declared with the method as an argument: `this.route("DELETE", "/purge/:name", guard, h)`,
`setupApiRoute(router, 'get', '/', [...middlewares], h)`.

Express-derived routers (parse-server's PromiseRouter and similar wrappers) register every route through one
`route(method, path, ...handlers)` call, and many projects wrap `router[verb](...)` in a helper named for what
it does (`setupApiRoute`, `registerEndpoint`); either way the handlers before the last are middleware. An array
of middleware spread from a constant of the same file (`const middlewares = [middleware.ensureLoggedIn]`) is
read through that constant.
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, UNKNOWN, line_of, normalize_path
from .routes import FileRoutes, RawRoute, module_path
from .scan import AUTH_WORDS, balanced, split_args, strings

# Led by its literal `.` (the receiver before it does not matter): found quickly, where a pattern starting
# with an identifier is tried at every word of the file.
_CALL = re.compile(r"\.\s*route\s*\(\s*['\"`](GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ALL)['\"`]\s*,")
# A helper's method argument followed by a path: led by the quoted method, the call's name read backwards.
_METHOD_ARG = re.compile(
    r"(['\"])(get|post|put|delete|patch|head|options|all|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ALL)\1\s*,\s*['\"`]/"
)
# `apiRoute(GET, "/api/metrics", metricsRoute.getMetrics)`: the method as a constant the project imports.
_METHOD_CONSTANT = re.compile(
    r"(?<![\w$.])([A-Za-z_$][\w$]{0,80})\s*\(\s*(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ALL)\s*,\s*(?=['\"`]/)"
)
_VERB_HELPER = re.compile(
    r"(?<![\w$.])(get|post|put|patch|delete)((?:Route|Endpoint)\w{0,60})\s*\(\s*([A-Za-z_$][\w$]{0,80})\s*,\s*"
    r"(['\"`])(/[^'\"`\n]{0,300})\4"
)
# The reason a route registered through a project helper carries: the helper may apply a guard of its own.
THROUGH_HELPER = "registered through "
_HELPER_BEFORE = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]{0,80})\s*\(\s*(?:[\w$.]{1,80}\s*,\s*)?$")
_HELPER_NAME = re.compile(r"route|endpoint|register|api", re.IGNORECASE)
_ARRAY_CONST = re.compile(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*\[")
_SPREAD = re.compile(r"\.\.\.\s*([A-Za-z_$][\w$]*)")
MAX_CONSTANTS = 200


def extract_route_calls(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    for m in _CALL.finditer(text):
        open_at = text.find("(", m.start())
        _route(out, text, m.start(), m.group(1), split_args(balanced(text, open_at))[1:], {})
    arrays: dict[str, str] | None = None
    for m in _METHOD_ARG.finditer(text):
        helper = _HELPER_BEFORE.search(text, max(0, m.start() - 200), m.start())
        if helper is None or helper.group(1) == "route" or not _HELPER_NAME.search(helper.group(1)):
            continue
        if arrays is None:
            arrays = _array_constants(text)
        open_at = text.find("(", helper.start())
        args = split_args(balanced(text, open_at))
        at = next((i for i, a in enumerate(args) if a.strip()[1:-1] == m.group(2)), None)
        if at is not None:
            _route(out, text, m.start(), m.group(2).upper(), args[at + 1 :], arrays)
    owners: dict[
        str, str
    ] = {}  # router name → its owner id, when this file declares it (one search per name)
    for m in _VERB_HELPER.finditer(text):
        # `getRouteWithROTransaction(apiRouter, "/slideshows.json", getSlideshows)`: the verb leads the helper's
        # name, the router it registers on comes first
        router = m.group(3)
        if router not in owners:
            declared = re.search(r"\b(?:const|let|var)\s+" + re.escape(router) + r"\s*=", text)
            owners[router] = f"{module_path(path)}:{router}" if declared else ""
        owner = owners[router]
        reasons = (f"{THROUGH_HELPER}{m.group(1)}{m.group(2)}()",)
        route = RawRoute(
            "http",
            m.group(1).upper(),
            normalize_path(m.group(5)),
            line_of(text, m.start()),
            UNKNOWN,
            reasons,
            owner,
        )
        out.routes.append(route)
    for m in _METHOD_CONSTANT.finditer(text):
        if not _HELPER_NAME.search(m.group(1)):
            continue
        if arrays is None:
            arrays = _array_constants(text)
        args = split_args(balanced(text, text.find("(", m.start())))
        _route(out, text, m.start(), m.group(2), args[1:], arrays, through=m.group(1))
    return out


def _route(
    out: FileRoutes,
    text: str,
    at: int,
    method: str,
    args: list[str],
    arrays: dict[str, str],
    through: str = "",
) -> None:
    """`args`: the path, then the middleware, then the handler. A route registered `through` a helper of the
    project's own (`apiRoute(GET, "/x", h)`) takes whatever guard that helper applies: unknown when it names
    none."""
    route = strings(args[0])[:1] if args else []
    if not route or not route[0].startswith("/") or args[0].strip()[0] not in "'\"`":
        return
    middleware = [_SPREAD.sub(lambda s: arrays.get(s.group(1), s.group(0)), h) for h in args[1:-1]]
    reasons = tuple(f"middleware {h}" for h in middleware if AUTH_WORDS.search(h))
    # a helper handed its middleware (`route(GET, "/x", [csrf], h)`) applies those; one handed none may add its own
    through = through if through and not middleware else ""
    state = AUTHENTICATED if reasons else UNKNOWN if through else UNAUTHENTICATED
    reasons += (f"{THROUGH_HELPER}{through}()",) if through else ()
    out.routes.append(
        RawRoute(
            "http",
            "ANY" if method == "ALL" else method,
            normalize_path(route[0]),
            line_of(text, at),
            state,
            reasons,
        )
    )


def _array_constants(text: str) -> dict[str, str]:
    """`const name = [a, b]` of the file: name -> the array's text (bounded)."""
    out: dict[str, str] = {}
    for m in _ARRAY_CONST.finditer(text):
        out.setdefault(m.group(1), balanced(text, m.end() - 1))
        if len(out) >= MAX_CONSTANTS:
            break
    return out
