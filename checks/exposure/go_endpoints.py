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

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, join_paths, line_of
from .routes import FileRoutes, RawRoute
from .scan import balanced

_LITERAL = "APIEndpoint{"
_ENDPOINT = re.compile(r"\bvar\s+(\w{1,120})\s*=\s*APIEndpoint\s*\{")
_LIST = re.compile(r"\bvar\s+(\w{1,120})\s*=\s*\[\]APIEndpoint\s*\{")
_PATH = re.compile(r"\bPath\s*:\s*\"([^\"\n]{0,300})\"")
_ACTION = re.compile(r"\b(Get|Post|Put|Patch|Delete|Head)\s*:\s*APIEndpointAction\s*\{")
_UNTRUSTED = re.compile(r"\bAllowUntrusted\s*:\s*true\b")
_ACCESS = re.compile(r"\bAccessHandler\s*:\s*([\w.]{1,120}(?:\([^()\n]{0,200}\))?)")
MAX_ENDPOINTS = 500


def mentions_endpoint_table(text: str) -> bool:
    return _LITERAL in text[:MAX_FILE_CHARS]


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
