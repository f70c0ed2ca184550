"""JSON-RPC methods served by django-modernrpc: `@rpc_method(name="users.add")` on a function.

Each method is an endpoint of kind `rpc` named as clients call it (the `name=` given, else the function's
name). Its guards are the decorators stacked with it (`@http_basic_auth_superuser_required`), or the `auth=`
a project's own wrapper of `rpc_method` takes (`@mathesar_rpc_method(name="forms.get_public",
auth="anonymous")`). A method that admits anonymous callers declares it, as an opt-out.
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, OPTS_OUT, UNAUTHENTICATED, UNKNOWN, guarded_by, line_of
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, balanced, keyword

KIND = "rpc"
# Guard key of a project's wrapper of `rpc_method`: what its `auth=` defaults to, met across files.
WRAPPER = "py-rpc-wrapper:"
# `def mathesar_rpc_method(*, name, auth="superuser"):`
_WRAPPER_DEF = re.compile(r"^def[ \t]+(\w*rpc_method)[ \t]*\(([^)]{0,300})\)", re.M)
# `@rpc_method`, `@rpc_method(name=…)`, a project's wrapper `@mathesar_rpc_method(name=…, auth=…)`
_RPC = re.compile(r"^[ \t]*@[ \t]*(\w*rpc_method)\b[ \t]*(\()?", re.M)
_STACK = re.compile(r"[ \t]*(?:@[^\n]{1,300}|#[^\n]{0,300})?\n")
_DEF = re.compile(r"[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)")
_DECORATOR_NAME = re.compile(r"@[ \t]*([\w.]+)")
_ANONYMOUS = re.compile(r"anonymous|public|allow_?any|no_?auth", re.IGNORECASE)
MAX_METHODS = 2000


def mentions_rpc(text: str) -> bool:
    return "rpc_method" in text


def extract_jsonrpc(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_rpc(text):
        return out
    for d in _WRAPPER_DEF.finditer(text):
        default = re.search(r"\bauth\s*(?::\s*\w+\s*)?=\s*['\"](\w{1,40})['\"]", d.group(2))
        if default and not _ANONYMOUS.search(default.group(1)):
            out.guards.setdefault(WRAPPER + d.group(1), []).append(
                f"{d.group(1)} defaults to auth={default.group(1)!r}"
            )
    for m in list(_RPC.finditer(text))[:MAX_METHODS]:
        args = balanced(text, m.end() - 1) if m.group(2) else ""
        # The decorators stacked below it, up to the function they decorate.
        pos = text.find("\n", m.end() + len(args)) + 1
        stacked: list[str] = []
        for _ in range(12):
            line = _STACK.match(text, pos)
            if line is None or pos <= 0:
                break
            stacked += _DECORATOR_NAME.findall(line.group(0))[:1]
            pos = line.end()
        fn = _DEF.match(text, pos) if pos > 0 else None
        if fn is None:
            continue
        name = (keyword(args, "name") or "").strip("'\"") or fn.group(1)
        reasons: list[str] = []
        for decorator in stacked:
            if _ANONYMOUS.search(decorator):
                reasons.append(f"{OPTS_OUT}decorator @{decorator}")
            elif AUTH_WORDS.search(decorator):
                reasons.append(f"decorator @{decorator}")
        given = (keyword(args, "auth") or "").strip("'\"")
        if given:
            opts_out = OPTS_OUT if _ANONYMOUS.search(given) else ""
            reasons.append(f"{opts_out}{m.group(1)}(auth={given!r})")
        # A project's wrapper without `auth=` applies a default this file does not show.
        wrapper = m.group(1) != "rpc_method" and not given and not reasons
        state = AUTHENTICATED if guarded_by(reasons) else UNKNOWN if wrapper else UNAUTHENTICATED
        handler = WRAPPER + m.group(1) if wrapper else ""
        out.routes.append(
            RawRoute(KIND, "CALL", name, line_of(text, m.start()), state, tuple(reasons), "", handler)
        )
    return out
