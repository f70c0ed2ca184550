"""Laravel controllers' own guards, met by the routes that name them (`[AuditController::class, 'list']`).

A constructor's `$this->middleware('can:x')` or permission checks guard every action of the controller; a
`$this->checkPermission('x')` / `$this->authorize('x')` / `Gate::authorize('x')` at the top of an action guards
that action.
"""

from __future__ import annotations

import re

from .model import MAX_FILE_CHARS
from .roles import privileged_role
from .routes import INHERITS, FileRoutes
from .scan import balanced, spans, strings

_CLASS = re.compile(r"\bclass\s+(\w+)")
_METHOD = re.compile(r"\bfunction\s+(\w+)\s*\(")
_CHECK = re.compile(
    r"(?:\$this\s*->\s*(checkPermission\w*|authorize\w*|middleware)|Gate::(authorize|allows|denies)|"
    r"\b(abort_unless|abort_if)|\b(userCan|can))\s*\("
)
MAX_BODY_CHARS = 20_000
_AUTH_MIDDLEWARE = ("auth", "can:", "role", "permission", "verified", "ability", "abilities")
# Handler ids from a route's action: `[Ns\AuditController::class, 'list']` or `'AuditController@list'`.
_ARRAY_ACTION = re.compile(r"\[\s*\\?([\w\\]+)::class\s*,\s*['\"](\w+)['\"]\s*\]")
_STRING_ACTION = re.compile(r"['\"]\\?([\w\\]+)@(\w+)['\"]")


def handler_of(args: str) -> str:
    """`php:Controller#action` for a route's arguments, or "" when it names no controller action."""
    m = _ARRAY_ACTION.search(args) or _STRING_ACTION.search(args)
    if m is None:
        return ""
    return f"php:{m.group(1).rsplit(chr(92), 1)[-1]}#{m.group(2)}"


def _checks(body: str) -> list[str]:
    out: list[str] = []
    for m in _CHECK.finditer(body):
        name = next(g for g in m.groups() if g)
        args = balanced(body, m.end() - 1)
        named = strings(args)
        if name == "middleware":
            # `guest`, `throttle:60,1`, `signed` guard nothing; only auth, permission and role middleware do.
            named = [n for n in named if n.startswith(_AUTH_MIDDLEWARE) or privileged_role(n)]
        if named:
            out += [f"{name} {s}" for s in named[:3]]
        elif name == "middleware" and "(" in args:
            out += _checks(args)
    return out


FORM_REQUEST = "php-request:"  # guard key of a form request class: `php-request:UploadRequest`
# An action's form request parameter: `public function store(UploadRequest $request)` (not the bare Request)
_FORM_PARAM = re.compile(r"\b([A-Z]\w*[a-z0-9]Request)\s+\$\w+")
_EXTENDS = re.compile(r"\s+extends\s+\\?(?:[\w\\]+\\)?(\w+Request)\b")
# `return auth()->user()->is_admin;`: the whole answer of a form request's authorize()
_RETURNS = re.compile(r"^\s*return\s+([^;]{1,300});\s*$")
# …that names someone besides the role: the owner, a member, whoever else `||` admits
_SOMEONE_ELSE = re.compile(r"\|\||\bor\b|owner|member|===?|\bcan\s*\(")


def _authorize_answer(out: FileRoutes, cls: str, body: str) -> None:
    """A form request's `authorize()` that answers one administrator check admits an admin only."""
    answer = _RETURNS.match(body)
    if answer is None or _SOMEONE_ELSE.search(answer.group(1)) or not privileged_role(answer.group(1)):
        return
    out.guards.setdefault(FORM_REQUEST + cls, []).append(f"{cls}::authorize admits an admin only")


def controller_guards(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    for c, end in spans(list(_CLASS.finditer(text)), len(text)):
        if (parent := _EXTENDS.match(text, c.end())) is not None:
            out.guards.setdefault(FORM_REQUEST + c.group(1), []).append(
                INHERITS + FORM_REQUEST + parent.group(1)
            )
        for m in _METHOD.finditer(text, c.end(), end):
            brace = text.find("{", m.end(), min(end, m.end() + 500))
            if brace == -1:
                continue
            body = balanced(text, brace, MAX_BODY_CHARS)
            key = f"php:{c.group(1)}" if m.group(1) == "__construct" else f"php:{c.group(1)}#{m.group(1)}"
            if m.group(1) == "authorize":
                _authorize_answer(out, c.group(1), body)
            # the form request the action takes is authorized before the action runs
            requests = _FORM_PARAM.findall(balanced(text, m.end() - 1))[:2]
            found = _checks(body) + [INHERITS + FORM_REQUEST + r for r in requests]
            if found:
                out.guards.setdefault(key, []).extend(found)
    return out
