"""Handlers that refuse anyone but a privileged role inline: `if user.Role != RoleAdmin { return denied }`.

Services that route through generated code (gRPC/Connect servers) declare no guard next to the route: the
method implementing the RPC checks the caller's role itself. Such a method's guard is published under
`rpc:<Method>` for the RPC and its HTTP bindings to meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import MAX_FILE_CHARS
from .roles import managing_grant, privileged_role
from .routes import INHERITS, FileRoutes
from .scan import CHECK_VERBS, MAX_CHECK_STATEMENTS, balanced, spans

_GO_METHOD = re.compile(r"^func[ \t]+(?:\([^)\n]{0,120}\)[ \t]*)?([A-Za-z_]\w*)[ \t]*\(", re.M)
# The branch's first statement: on the next line, past a brace on a line of its own (C#, Allman style).
_IF = re.compile(
    r"^[ \t]*(?:\}[ \t]*else[ \t]+)?if\b([^\n{]{0,200})\{?[ \t]*\n(?:[ \t]*\{[ \t]*\n)?([^\n]{0,200})", re.M
)
# (`isNotAdmin(client)`, `is_not_admin(user)`: the negation inside the name)
_NEGATED = re.compile(r"!=|!\s*[\w.(]|\bnot\b|\bcannot\b|[a-z]Not[A-Z]|_not_")
_DENY = re.compile(
    r"PermissionDenied|Forbidden|Unauthorized|Unauthenticated|\b403\b|AccessDenied|NotAllowed|"
    r"\babort\b|\braise\b|\bthrow\b|not\s+authori[sz]ed|no\s+permission|not\s+allowed|ResponseError|\bForbid\s*\(|\bChallenge\s*\("
    r"|access_?den(?:y|ied)",
    re.IGNORECASE,
)
_ASSIGNS = re.compile(r"[ \t]*(?:var[ \t]+)?[\w.]+(?:[ \t]*,[ \t]*[\w.]+)*[ \t]*(?::=|=(?!=))")
_RESPONSE_ASSIGN = re.compile(r"[ \t]*(?:ctx|this|res|response)\.(?:body|status|statusCode)[ \t]*=(?!=)")
_IF_PAREN = re.compile(r"\bif\s*\(")
_STATEMENT = re.compile(r"[ \t]*\{?[ \t]*\n?[ \t]*([^\n]{0,200})")
_SAME_LINE = re.compile(r"\)\s*(?=(?:return|throw|raise|abort)\b)")
_BARE_RETURN = re.compile(r"\s*return\s*;?\s*$")
MAX_PREAMBLE_CHARS = 1500


def _branches(body: str) -> Iterator[tuple[str, str, bool]]:
    """(condition, first statement, whether that statement sits on the condition's line) of each `if`."""
    for m in _IF.finditer(body):
        condition, statement = m.group(1), m.group(2)
        # `if (!user || user.role !== "admin") return;`: the statement on the condition's own line.
        same_line = _SAME_LINE.search(condition)
        if same_line is not None:
            yield condition[: same_line.start() + 1], condition[same_line.start() + 1 :], True
        else:
            yield condition, statement, False
    # A parenthesized condition wrapped over lines, as formatters write long ones: `if (\n  cond\n) {`.
    for m in _IF_PAREN.finditer(body):
        inside = balanced(body, m.end() - 1, 400)
        if "\n" not in inside:
            continue
        after = _STATEMENT.match(body, m.end() + len(inside) + 1)
        if after is not None:
            yield " ".join(inside.split()), after.group(1), False


# A first statement that is itself the check: `permissionsService.checkAdmin(getUserId());`,
# `await requireAdmin(ctx)`, `ensure_superuser(request)`: a call named for checking a privileged role.
_CHECK_CALL = re.compile(
    rf"^[ \t]*(?:await[ \t]+|return[ \t]+)?(?:[\w.]+\.)?((?:{CHECK_VERBS})[\w]{{0,40}})[ \t]*\(",
    re.M | re.IGNORECASE,
)
_ONE_ARGUMENT = re.compile(r"\s*([\w.:]{1,80})\s*\)")


# `s := Auth(c, acl.ResourceConfig, acl.ActionManage)`: an access-control call whose arguments name the
# managing of a resource only administrators manage.
_ACL_CALL = re.compile(
    r"^[ \t]*(?:[\w, ]{1,40}:?=[ \t]*)?(?:[\w.]+\.)?(?:Auth\w{0,20}|authorize\w{0,20}|Authorize\w{0,20})"
    r"[ \t]*\(([^\n]{0,200})\)",
)


def _check_call(body: str) -> str | None:
    for n, line in enumerate(s for s in body.splitlines() if s.strip() and s.strip() not in ("{", "}")):
        if n >= MAX_CHECK_STATEMENTS:
            break
        m = _CHECK_CALL.match(line)
        if m is not None:
            # the role in the name (`checkAdmin()`) or in the one argument (`checkBaseFunction(BaseFunction.ADMIN)`)
            argument = _ONE_ARGUMENT.match(line, m.end())
            role = privileged_role(m.group(1)) or (privileged_role(argument.group(1)) if argument else None)
            if role:
                return f"inline {role} check: {' '.join(line.split())[:120]}"
        acl = _ACL_CALL.match(line)
        if acl is not None and (grant := managing_grant(acl.group(1))):
            return f"inline {grant} check: {' '.join(line.split())[:120]}"
    return None


def inline_privilege_check(body: str) -> str | None:
    """The privileged role an early `if` in `body` demands before refusing the caller, if any."""
    called = _check_call(body)
    if called is not None:
        return called
    for condition, statement, same_line in _branches(body):
        role = privileged_role(condition)
        # The branch must refuse at once: `status := http.StatusUnauthorized` first decides something else.
        denies = _DENY.search(statement) is not None or (
            same_line and _BARE_RETURN.match(statement) is not None
        )
        # (Koa answers by assigning the response: `ctx.body = ERRORS.ACCESS_DENY; return`.)
        refuses = denies and (not _ASSIGNS.match(statement) or _RESPONSE_ASSIGN.match(statement) is not None)
        if role and _NEGATED.search(condition) and refuses:
            return f"inline {role} check: if{condition.rstrip()}"
    return None


def go_method_guards(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    for m, end in spans(list(_GO_METHOD.finditer(text)), len(text)):
        name = m.group(1)
        body = text[m.end() : min(end, m.end() + MAX_PREAMBLE_CHARS)]
        guard = inline_privilege_check(body)
        if guard:
            out.guards.setdefault(f"rpc:{name}", []).append(guard)
        # netbird's handler `deleteAccount` calling `h.accountManager.DeleteAccount(…)`: the method it delegates
        # to under its own name checks the caller, and the handler inherits what that one demands
        for call in re.finditer(r"\.\s*(" + re.escape(name) + r")\s*\(", body, re.IGNORECASE):
            if call.group(1) != name:
                out.guards.setdefault(f"rpc:{name}", []).append(INHERITS + f"rpc:{call.group(1)}")
                break
    return out


def mentions_inline_check(text: str) -> bool:
    return any(privileged_role(m.group(1)) for m in _IF.finditer(text[:MAX_FILE_CHARS]))


# `if !get.Config().Debug() { AbortFeatureDisabled(c); return }` as a handler's first statement: the route
# answers only while the server runs in debug mode.
_DEBUG_OFF = re.compile(
    r"^\s*if\s*\(?\s*!\s*[\w.()]{0,80}?\b(?:debug|dev(?:elopment)?_?mode|is_?dev)\w*\s*(?:\(\s*\))?\s*\)?\s*\{",
    re.IGNORECASE,
)
_REFUSES = re.compile(r"\babort\w*|\b(?:not ?found|disabled|forbidden)\w*|^\s*return\b", re.IGNORECASE)


def debug_only(body: str) -> bool:
    """Whether `body` (a handler's, past its opening brace) first refuses unless debug mode is on."""
    lines = [line for line in body[:MAX_PREAMBLE_CHARS].splitlines() if line.strip()]
    statements = [line for line in lines if not line.strip().startswith(("//", "#"))][:2]
    return (
        len(statements) == 2
        and _DEBUG_OFF.match(statements[0]) is not None
        and _REFUSES.search(statements[1]) is not None
    )
