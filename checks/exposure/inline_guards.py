"""Handlers that refuse anyone but a privileged role inline: `if user.Role != RoleAdmin { return denied }`.

Services that route through generated code (gRPC/Connect servers) declare no guard next to the route: the
method implementing the RPC checks the caller's role itself. Such a method's guard is published under
`rpc:<Method>` for the RPC and its HTTP bindings to meet.
"""

from __future__ import annotations

import re

from .model import MAX_FILE_CHARS
from .roles import privileged_role
from .routes import FileRoutes
from .scan import spans

_GO_METHOD = re.compile(r"^func[ \t]+(?:\([^)\n]{0,120}\)[ \t]*)?([A-Za-z_]\w*)[ \t]*\(", re.M)
# The branch's first statement: on the next line, past a brace on a line of its own (C#, Allman style).
_IF = re.compile(
    r"^[ \t]*(?:\}[ \t]*else[ \t]+)?if\b([^\n{]{0,200})\{?[ \t]*\n(?:[ \t]*\{[ \t]*\n)?([^\n]{0,200})", re.M
)
_NEGATED = re.compile(r"!=|!\s*[\w.(]|\bnot\b")
_DENY = re.compile(
    r"PermissionDenied|Forbidden|Unauthorized|Unauthenticated|\b403\b|AccessDenied|NotAllowed|"
    r"\babort\b|\braise\b|\bthrow\b|not\s+authori[sz]ed|no\s+permission|not\s+allowed|ResponseError|\bForbid\s*\(|\bChallenge\s*\(",
    re.IGNORECASE,
)
_ASSIGNS = re.compile(r"[ \t]*(?:var[ \t]+)?[\w.]+(?:[ \t]*,[ \t]*[\w.]+)*[ \t]*(?::=|=(?!=))")
MAX_PREAMBLE_CHARS = 1500


def inline_privilege_check(body: str) -> str | None:
    """The privileged role an early `if` in `body` demands before refusing the caller, if any."""
    for m in _IF.finditer(body):
        condition = m.group(1)
        role = privileged_role(condition)
        # The branch must refuse at once: `status := http.StatusUnauthorized` first decides something else.
        refuses = _DENY.search(m.group(2)) and not _ASSIGNS.match(m.group(2))
        if role and _NEGATED.search(condition) and refuses:
            return f"inline {role} check: if{condition.rstrip()}"
    return None


def go_method_guards(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    for m, end in spans(list(_GO_METHOD.finditer(text)), len(text)):
        guard = inline_privilege_check(text[m.end() : min(end, m.end() + MAX_PREAMBLE_CHARS)])
        if guard:
            out.guards.setdefault(f"rpc:{m.group(1)}", []).append(guard)
    return out


def mentions_inline_check(text: str) -> bool:
    return any(privileged_role(m.group(1)) for m in _IF.finditer(text[:MAX_FILE_CHARS]))
