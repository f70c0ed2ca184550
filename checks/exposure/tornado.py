"""Tornado: handler tables (`Application([(r"/api/users/([^/]+)", UserHandler), url(r"/x", XHandler)])`,
module-level `default_handlers = [...]`) route a `RequestHandler` class; its verb methods carry the guards
(`@web.authenticated`, `@admin_only`, `@needs_scope("shutdown")`).

The table and the class often live in different modules, so each route names its class as its handler
(`py:UserHandler`) and each class publishes its guards under that name for the route to meet across files,
as Flask-RESTful resources do.
"""

from __future__ import annotations

import re

from .flask_restful import VERB_DEF, verb_decorator_guards
from .inline_guards import MAX_PREAMBLE_CHARS
from .model import MAX_FILE_CHARS, UNAUTHENTICATED, line_of, normalize_path
from .routes import FileRoutes, RawRoute
from .scan import inline_guard

# `(r"/api/shutdown", ShutdownAPIHandler)`, `url(r"/x", XHandler, name="x")`, `(r"/x", mod.XHandler, {…})`.
_ROUTE = re.compile(
    r"""(?:\burl\s*\(|(?<![\w.)\]])\()\s*[rf]{0,2}(['"])(\^?/[^'"\n]{0,300}|\{\w{1,40}\}[^'"\n]{0,300})\1\s*,\s*"""
    r"""(?:[A-Za-z_]\w*\.){0,3}([A-Z]\w{0,80})\s*[,)]"""
)
# `(f"{rel}prometheus-sd", Handler)`: the application's base path, configured, comes first
_BASE = re.compile(r"^\{\w{1,40}\}/?")
# A handler class: named for one, or derived from one (`class Metrics(BaseHandler)`).
_CLASS = re.compile(r"^class[ \t]+(\w+)[ \t]*\(([^)\n]{0,200}Handler\b[^)\n]{0,200}|)\)[ \t]*:", re.M)
_NAMED_GROUP = re.compile(r"\(\?P<(\w{1,80})>(?:[^()]|\([^()]*\)){0,200}\)")
_GROUP = re.compile(r"\((?:[^()]|\([^()]*\)){0,200}\)")
# `if user is None: raise web.HTTPError(403)`, `if not self.current_user:\n    raise HTTPError(401)`.
_REFUSES_ANONYMOUS = re.compile(
    r"^[ \t]*if[ \t]+(?:not[ \t]+[\w.]*user\b|[\w.]*user[ \t]+is[ \t]+None)[ \t]*:[ \t]*\n"
    r"[ \t]*raise[ \t]+(?:web\.|tornado\.web\.)?HTTPError\([ \t]*40[13]\b",
    re.M,
)
NEXT_DEF = re.compile(r"\n[ \t]*(?:@|(?:async[ \t]+)?def[ \t])")
MENTIONS = re.compile(r"\btornado\b|RequestHandler\b|_handlers\s*=\s*\[")


def mentions_tornado(text: str) -> bool:
    return MENTIONS.search(text) is not None


def path_of(pattern: str) -> str:
    """A handler's URL regex as a path: groups become `{name}` (or `{param}`), anchors and escapes go."""
    path = pattern.removeprefix("^").removesuffix("$").removesuffix("/?")
    path = _NAMED_GROUP.sub(lambda m: "{" + m.group(1) + "}", path)
    path = _GROUP.sub("{param}", path)
    path = re.sub(r"\\(.)", r"\1", path).replace(".*", "{path}")
    return normalize_path(path)


def extract_tornado(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_tornado(text):
        return out
    for m in _ROUTE.finditer(text):
        if m.group(3) in ("True", "False", "None"):
            continue
        out.routes.append(
            RawRoute(
                "http",
                "ANY",
                path_of(_BASE.sub("/", m.group(2))),
                line_of(text, m.start()),
                UNAUTHENTICATED,
                (),
                "",
                "py:" + m.group(3),
            )
        )
    classes = [c for c in _CLASS.finditer(text) if c.group(2) or c.group(1).endswith("Handler")]
    for i, c in enumerate(classes):
        end = classes[i + 1].start() if i + 1 < len(classes) else len(text)
        body = text[c.end() : end]
        reasons: list[str] = []
        for d in VERB_DEF.finditer(body):
            reasons += verb_decorator_guards(d)
            # The method's first statements turn away anyone the request does not identify (or who lacks a
            # privileged role): as guarded as `@web.authenticated`.
            preamble = body[d.end() : d.end() + MAX_PREAMBLE_CHARS]
            following = NEXT_DEF.search(preamble)
            preamble = preamble[: following.start()] if following else preamble
            check = inline_guard(preamble)
            if check is None and _REFUSES_ANONYMOUS.search(preamble):
                check = "guard inline current-user check"
            if check is not None:
                reasons.append(f"{check} on {d.group(2)}")
        if reasons:
            out.guards.setdefault(f"py:{c.group(1)}", []).extend(reasons)
    return out
