"""Endpoint tables written as Go struct literals (LXD, Incus and their kin):

    var instanceDebugMemoryCmd = APIEndpoint{
        Path: "instances/{name}/debug/memory",
        Get:  APIEndpointAction{Handler: instanceDebugMemoryGet, AccessHandler: allowPermission(...)},
    }

Each method field is one route; `AllowUntrusted: true` serves it to callers without a trusted certificate,
any other action needs one. The daemon serves each list under its API version: an endpoint in a list named
for the internal API (`var apiInternal = []APIEndpoint{…}`), or named so itself (`internal…Cmd`) when its
list is in another file, is under `/internal`; the others under `/1.0`.
"""

from __future__ import annotations

import re

from .go_helpers import without_line_comments
from .model import (
    AUTHENTICATED,
    MAX_FILE_CHARS,
    UNAUTHENTICATED,
    UNKNOWN,
    join_paths,
    line_of,
    normalize_path,
)
from .routes import FileRoutes, RawRoute
from .scan import balanced, split_args

_LITERAL = "APIEndpoint{"
_ENDPOINT = re.compile(r"\bvar\s+(\w{1,120})\s*=\s*APIEndpoint\s*\{")
_LIST = re.compile(r"\bvar\s+(\w{1,120})\s*=\s*\[\]APIEndpoint\s*\{")
_PATH = re.compile(r"\bPath\s*:\s*\"([^\"\n]{0,300})\"")
_ACTION = re.compile(r"\b(Get|Post|Put|Patch|Delete|Head)\s*:\s*APIEndpointAction\s*\{")
_UNTRUSTED = re.compile(r"\bAllowUntrusted\s*:\s*true\b")
_ACCESS = re.compile(r"\bAccessHandler\s*:\s*([\w.]{1,120}(?:\([^()\n]{0,200}\))?)")
MAX_ENDPOINTS = 500


def mentions_endpoint_table(text: str) -> bool:
    head = text[:MAX_FILE_CHARS]
    return _LITERAL in head or _ROUTE_LIST.search(head) is not None


def _api_of(text: str) -> dict[str, str]:
    """Each endpoint variable listed in a `[]APIEndpoint` of this file, with the list's API prefix."""
    listed: dict[str, str] = {}
    for m in _LIST.finditer(text):
        prefix = "/internal" if "internal" in m.group(1).lower() else "/1.0"
        for name in re.findall(r"\b(\w{1,120})\s*,", balanced(text, m.end() - 1)):
            listed.setdefault(name, prefix)
    return listed


def extract_go_endpoints(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_endpoint_table(text):
        return out
    _route_lists(out, text)
    listed = _api_of(text)
    for m in _ENDPOINT.finditer(text):
        if len(out.routes) >= MAX_ENDPOINTS:
            break
        body = balanced(text, m.end() - 1)
        at = _PATH.search(body)
        if at is None:
            continue
        name = m.group(1)
        prefix = listed.get(name) or ("/internal" if name.lower().startswith("internal") else "/1.0")
        route = join_paths(prefix, at.group(1))
        for action in _ACTION.finditer(body):
            fields = balanced(body, action.end() - 1)
            access = _ACCESS.search(fields)
            if _UNTRUSTED.search(fields):
                state, reasons = UNAUTHENTICATED, ("AllowUntrusted: true",)
            else:
                guard = access.group(1) if access else "a trusted client certificate"
                state, reasons = AUTHENTICATED, (f"AccessHandler: {guard}",)
            line = line_of(text, m.end() + action.start())
            out.routes.append(
                RawRoute(
                    "http", action.group(1).upper(), route, line, state, reasons, handler=_handler(fields)
                )
            )
    return out


def _handler(fields: str) -> str:
    m = re.search(r"\bHandler\s*:\s*(\w{1,120})", fields)
    return m.group(1) if m else ""


# A list of a project's own route type, one element a route: pyroscope's `[]route{{"/debug/pprof/heap",
# pprof.Index}, …}`, kiali's `[]Route{{"Name", log, "GET", "/api/x", handler, true}, …}`. Where the file
# declares the type, a boolean field named for authentication says whether the route needs a signed-in caller;
# elsewhere the list's serving code decides, unknown here.
_ROUTE_LIST = re.compile(r"\[\]\s*\*?(?:\w+\.)?(\w*[Rr]oute)\s*\{")
_HTTP_METHOD = re.compile(r'"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)"')
_ROUTE_PATH = re.compile(r'"(/[^"\\\n]{0,300})"')
_AUTH_FIELD = re.compile(r"(?i)^(?:auth\w*|requires?_?auth\w*|secure|protected|private)$")
MAX_LIST_ROUTES = 1000


def _auth_position(text: str, type_name: str) -> int | None:
    """Where the type's boolean authentication field sits among its fields, if the file declares it."""
    declared = re.search(rf"\btype\s+{re.escape(type_name)}\s+struct\s*\{{", text)
    if declared is None:
        return None
    fields = [line.split() for line in balanced(text, declared.end() - 1).splitlines()]
    names = [f for f in fields if f]  # (comments are blanked already)
    return next(
        (i for i, f in enumerate(names) if len(f) >= 2 and _AUTH_FIELD.match(f[0]) and f[1] == "bool"), None
    )


def _route_lists(out: FileRoutes, text: str) -> None:
    text = without_line_comments(text)
    for m in _ROUTE_LIST.finditer(text):
        position = _auth_position(text, m.group(1))
        body = balanced(text, m.end() - 1, MAX_FILE_CHARS)
        base = m.end()
        for element in split_args(body):
            if len(out.routes) >= MAX_LIST_ROUTES:
                return
            opened = element.strip()
            if not opened.startswith("{"):
                continue
            values = split_args(balanced(opened, 0))
            path = next((p.group(1) for v in values if (p := _ROUTE_PATH.fullmatch(v.strip()))), None)
            if path is None:
                continue
            method = next((h.group(1) for v in values if (h := _HTTP_METHOD.fullmatch(v.strip()))), "ANY")
            state = UNKNOWN
            reasons: tuple[str, ...] = ()
            if position is not None and position < len(values):
                authed = values[position].strip() == "true"
                state = AUTHENTICATED if authed else UNAUTHENTICATED
                reasons = (f"{m.group(1)} authentication flag true",) if authed else ()
            at = text.find(opened, base)
            base = at if at >= 0 else base
            out.routes.append(
                RawRoute("http", method, normalize_path(path), line_of(text, base), state, reasons)
            )
