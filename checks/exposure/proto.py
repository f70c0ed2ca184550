"""gRPC `.proto` services: every `rpc` is an endpoint; `google.api.http` options add HTTP endpoints."""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, line_of, normalize_path
from .roles import privileged_role, words
from .routes import FileRoutes, RawRoute
from .scan import balanced

_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.M)
_SERVICE = re.compile(r"\bservice\s+(\w+)\s*\{")
_RPC = re.compile(r"\brpc\s+(\w+)\s*\(")
_BINDING = re.compile(r"\b(get|post|put|delete|patch)\s*:\s*\"([^\"\n]{1,500})\"")
# A method option the project's interceptor enforces: `option (model.role).project_role = ADMIN;`,
# `option (auth.policy) = { roles: ["admin"] };`.
_OPTION = re.compile(r"\boption\s*\(\s*([\w.]{1,120})\s*\)((?:\.\w+){0,3})\s*=\s*([^;]{1,300});")
_AUTH_OPTION_WORDS = frozenset(
    {"role", "roles", "permission", "permissions", "auth", "authz", "access", "scope", "scopes", "policy"}
)
_AUTH_FIELD = re.compile(r"\b\w*(?:auth|role|permission|scope|admin)\w*\s*:", re.IGNORECASE)
_OFF_FIELD = re.compile(r"\b\w+\s*:\s*false\b")
_CUSTOM = re.compile(r"\bcustom\s*:\s*\{\s*kind\s*:\s*\"(\w+)\"\s*path\s*:\s*\"([^\"\n]{1,500})\"")


def extract_proto(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    pkg = _PACKAGE.search(text)
    package = pkg.group(1) + "." if pkg else ""
    # Comments could hide or fake an rpc; blank them while keeping offsets.
    clean = re.sub(r"//[^\n]*", lambda m: " " * len(m.group(0)), text)
    for s in _SERVICE.finditer(clean):
        body_start = s.end() - 1
        body = balanced(clean, body_start, MAX_FILE_CHARS)
        rpcs = list(_RPC.finditer(body))
        for i, r in enumerate(rpcs):
            name = f"{package}{s.group(1)}/{r.group(1)}"
            at = body_start + 1 + r.start()
            handler = f"rpc:{r.group(1)}"
            end = rpcs[i + 1].start() if i + 1 < len(rpcs) else len(body)
            chunk = body[r.end() : end]
            guards = _auth_options(chunk)
            auth = AUTHENTICATED if guards else UNKNOWN
            out.routes.append(RawRoute("grpc", "RPC", name, line_of(text, at), auth, guards, "", handler))
            if "google.api.http" not in chunk:
                continue
            for b in list(_BINDING.finditer(chunk)) + list(_CUSTOM.finditer(chunk)):
                route = re.sub(r"\{([\w.]+)=[^}]*\}", r"{\1}", b.group(2))
                out.routes.append(
                    RawRoute(
                        "http",
                        b.group(1).upper(),
                        normalize_path(route),
                        line_of(text, at),
                        auth,
                        (f"google.api.http binding of {name}", *guards),
                        "",
                        handler,
                    )
                )
    return out


def _auth_options(chunk: str) -> tuple[str, ...]:
    """The access options an rpc declares, as guards: `rpc option (model.role).project_role = ADMIN`."""
    found = []
    for o in _OPTION.finditer(chunk):
        # `option (rpc_options) = { root_admin_only: true auth_scope: OBJECT_OWNER_PROJECT }`: the fields name it
        value = " ".join(_OFF_FIELD.sub(" ", o.group(3)).split())
        if _AUTH_OPTION_WORDS.intersection(words(o.group(1) + o.group(2))) or _AUTH_FIELD.search(value):
            role = privileged_role(value)
            found.append(f"rpc option ({o.group(1)}){o.group(2)} = {value}" + (f" ({role})" if role else ""))
    return tuple(found)
