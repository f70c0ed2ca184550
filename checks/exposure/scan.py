"""Small linear-time helpers for reading call arguments out of source text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from .roles import privileged_role

MAX_CALL_CHARS = 4000

_STRING = re.compile(
    r"""(?:[rRbBfu]{0,2})("[^"\\\n]{0,2000}(?:\\.[^"\\\n]{0,2000}){0,50}"|'[^'\\\n]{0,2000}(?:\\.[^'\\\n]{0,2000}){0,50}'|`[^`\\]{0,2000}`)"""
)


_INTERESTING = re.compile(r"[()\[\]{}\"'`\\]")


def balanced(text: str, open_at: int, limit: int = MAX_CALL_CHARS) -> str:
    """Text between the bracket at `open_at` and its partner (bounded; strings skipped)."""
    depth = 0
    quote = ""
    end = min(len(text), open_at + limit)
    pos = open_at
    # Token budget as well as a character budget: dense brackets must not make each call cost 4000 steps.
    budget = limit // 32
    for m in _INTERESTING.finditer(text, open_at, end):
        i = m.start()
        if i < pos:  # the character after a backslash
            continue
        if budget == 0:
            return text[open_at + 1 : pos]
        budget -= 1
        c = text[i]
        pos = i + 1
        if c == "\\":
            pos = i + 2
        elif quote:
            if c == quote:
                quote = ""
        elif c in "\"'`":
            quote = c
        elif c in "([{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i]
    return text[open_at + 1 : end] if budget else text[open_at + 1 : pos]


def leading_string(args: str) -> str | None:
    """The first argument if it is a string literal."""
    stripped = args.lstrip()
    m = _STRING.match(stripped)
    if m is None:
        return None
    return m.group(1)[1:-1]


def strings(args: str) -> list[str]:
    return [m.group(1)[1:-1] for m in _STRING.finditer(args)]


def keyword(args: str, name: str) -> str | None:
    """Value text of `name=`/`name:` in a call's arguments."""
    m = re.search(r"\b" + re.escape(name) + r"\s*[=:]\s*", args)
    if m is None:
        return None
    rest = args[m.end() :]
    if rest[:1] in "([{":
        return rest[0] + balanced(rest, 0) + ")"
    s = leading_string(rest)
    if s is not None:
        return s
    w = re.match(r"[\w.]{1,200}", rest)
    return w.group(0) if w else None


# A permission class named for what it lets the caller do (`CanManageContent`, `can_moderate`): a guard, and
# one narrower than any signed-in user.
_CAN_MANAGE = r"\bcan_?(?:manage|administer|moderate)"
AUTH_WORDS = re.compile(
    r"auth|login_required|require_?login|ensure_?login|login_user|current_(?:active_|authenticated_|logged_?in_|verified_)?user|"
    r"get_user(?!s)|require_user|jwt|token|oauth|api_?key|permission|privilege|rbac|casbin|"
    r"is_authenticated|isauthenticated|secured|preauthorize|rolesallowed|guard|session_required|protect|"
    r"admin|superuser|staff|operator|moderator|elevation|ensure_?role|require_?role|has_?role|master_?key|"
    r"logged_?in|signed_?in|req_?sign_?in\b|sign_?in_?required|[a-z]_required\b|verify_?password|check_?password|security_?check|(?:reject|deny|forbid|block)_?anonymous|"
    # `acl.CheckWriteAccess()`, `check_access`, `@has_access`: an access check, not `AccessLog` or `accessToken`
    r"(?:check|require|ensure|verify|has)_?(?:[a-z]+_?)?access(?:(?![a-z0-9])|(?=(?-i:[A-Z_])))|"
    + _CAN_MANAGE,
    re.IGNORECASE,
)

# A guard narrower than "any signed-in user" without naming a privileged role.
RESTRICTED = re.compile(
    r"\brole|permission|privilege|\bright|\bscope|\bcan:|access|rbac|casbin|group_?(?:required|meta)\b"
    r"|\bhas(?:any)?(?:role|authority)\b|" + _CAN_MANAGE,
    re.IGNORECASE,
)


def plural(name: str) -> str:
    """The English plural a framework derives a resource's path from (`policy` → `policies`, `box` → `boxes`)."""
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in ("a", "e", "i", "o", "u"):
        return name[:-1] + "ies"
    return name + "s"


def split_args(args: str) -> list[str]:
    """Top-level arguments of a call (commas inside brackets and strings do not split); linear."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    pos = 0
    while True:
        m = _SPLIT.search(args, pos)
        if m is None:
            break
        c = m.group()
        pos = m.end()
        if c == "\\":
            pos += 1
        elif quote:
            if c == quote:
                quote = ""
        elif c in "\"'`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0:
            parts.append(args[start : m.start()].strip())
            start = pos
    tail = args[start:].strip()
    if tail:
        parts.append(tail)
    return parts


# the name of a setting or constant that holds a path: `PathProxyMetrics`, `webAdminPath`, `conf.Metrics.Path`
PATH_SETTING = re.compile(r"(?i)\w*(?:path|prefix|route|url|uri|endpoint)\w*")


_SPLIT = re.compile(r"[()\[\]{}\"'`\\,]")


# Django's `has_perm("admin.…")` asks for a permission of the admin site's own app: only its users hold it.
_INLINE_GUARD = re.compile(
    r"\bif\s+not\s+\(?\s*[\w.]{0,80}\.(is_superuser|is_staff|is_admin|is_moderator|is_operator|admin|"
    r"has_perm\s*\(\s*[\"']admin\.)"
    r"[^\n]{0,120}\n?[^\n]{0,200}?\b(raise|abort|return|throw|redirect|HttpResponseForbidden|PermissionDenied)",
)


# `if not g.user or not g.user.is_moderator:` then `abort(403)`: each clause of the condition negated, so the
# branch refuses everyone without the role. An `and` (`not user.is_admin and obj.owner != user`) lets a second
# kind of caller in, so it is no role guard.
_PY_IF = re.compile(r"^([ \t]*)if[ \t]+([^\n]{1,200}?):[ \t]*(?:#[^\n]*)?\n[ \t]*([^\n]{1,200})", re.M)
_PY_OR = re.compile(r"\bor\b")
_PY_REFUSES = re.compile(
    r"^(?:(?:flask\.)?abort\s*\(\s*40[13]\b|raise\b|return\b[^\n]{0,120}?(?:\b40[13]\b|Forbidden|redirect)"
    r"|return\s+redirect\b)"
)
MAX_GUARD_CHARS = 1500


# a statement that leaves the handler: what a branch ends with when it refuses the caller
_PY_LEAVES = re.compile(r"(?:return|raise)\b|(?:flask\.)?abort\s*\(")
MAX_BRANCH_LINES = 12
_PY_ERROR = re.compile(
    r"(?i)error|denied|forbidden|not\s+authori[sz]ed|unauthori[sz]ed|permission|\b40[0-9]\b|HTTP_40[0-9]"
)


def _branch_leaves(body: str, m: re.Match[str]) -> bool:
    """`if not request.user.is_staff:` whose block builds an error and returns it
    (`response_data = {…}` … `return Response(response_data, status=…)`): the handler answers no further."""
    indent = len(m.group(1).expandtabs())
    block: list[str] = []
    for line in body[m.end(2) :].splitlines()[1 : MAX_BRANCH_LINES + 1]:
        if not line.strip():
            continue
        if len(line.expandtabs()) - len(line.expandtabs().lstrip()) <= indent:
            return False  # the block ended without leaving
        block.append(line)
        if _PY_LEAVES.match(line.strip()):
            # an error answered (`if not user.is_staff: return qs.filter(owner=user)` narrows, refuses nobody)
            return _PY_ERROR.search("\n".join(block)) is not None
    return False


def _role_branch(body: str) -> str | None:
    for m in _PY_IF.finditer(body[:MAX_GUARD_CHARS]):
        condition, statement = m.group(2), m.group(3)
        if " and " in condition or (_PY_REFUSES.match(statement) is None and not _branch_leaves(body, m)):
            continue
        clauses = [c.strip().lstrip("(").strip() for c in _PY_OR.split(condition)]
        role = privileged_role(condition)
        if role and all(c.startswith("not ") for c in clauses):
            return role
    return None


# The verbs a call that is itself a check starts with (`check_admin`, `requireAdmin`), and how many statements at
# a handler's top are looked at for one.
CHECK_VERBS = "check|require|ensure|assert|verify|must"
MAX_CHECK_STATEMENTS = 3
# A statement that is itself the check, its value unused: `authorize.is_admin_user(user)`,
# `await require_superuser(request)` — a call that can only refuse.
_PY_CHECK_STATEMENT = re.compile(
    rf"[ \t]*(?:await[ \t]+)?(?:[\w.]+\.)?((?:is_|(?:{CHECK_VERBS})(?:_|(?=[A-Z])))[A-Za-z]\w{{0,40}})"
    r"[ \t]*\([^\n()]{0,200}(?:\([^\n()]{0,100}\)[^\n()]{0,100}){0,3}\)[ \t]*(?:#[^\n]*)?"
)


def _check_statement(body: str) -> str | None:
    lines = (line for line in body[:MAX_GUARD_CHARS].splitlines() if line.strip())
    for line in itertools.islice(lines, MAX_CHECK_STATEMENTS):
        m = _PY_CHECK_STATEMENT.fullmatch(line)
        role = privileged_role(m.group(1)) if m is not None else None
        if role:
            return role
    return None


def inline_guard(body: str) -> str | None:
    """An `if not user.is_superuser: raise …` at the top of a handler, or a call that is itself the check
    (`authorize.is_admin_user(user)`): a privileged guard."""
    m = _INLINE_GUARD.search(body)
    if m is not None:
        eol = body.find("\n", m.start())
        # `if not user.is_admin and obj.owner != user:` lets the owner in too: no role guard
        if " and " not in body[m.start() : eol if eol >= 0 else len(body)]:
            check = "has_perm admin" if m.group(1).startswith("has_perm") else m.group(1)
            return f"guard inline {check} check"
    role = _role_branch(body) or _check_statement(body)
    return f"guard inline {role} check" if role else None


def spans(matches: list[re.Match[str]], end: int) -> Iterator[tuple[re.Match[str], int]]:
    """Each match with where its part of the text ends: at the next match, or at `end` for the last."""
    for i, m in enumerate(matches):
        yield m, matches[i + 1].start() if i + 1 < len(matches) else end


# Line comments between the calls of a chain (`// .route("/old", …)`) are passed over with the space.
_CHAINED = re.compile(r"(?:\s|//[^\n]*+)*+\.\s*(\w+)\s*\(")
# PHP chains with `->`: `Route::get(…)->middleware('auth')`, `$group->get(…)->add(m)`.
ARROW_CHAINED = re.compile(r"\s*->\s*(\w+)\s*\(")


def chained_calls(
    text: str, end: int, limit: int, link: re.Pattern[str] = _CHAINED
) -> list[tuple[str, str, int]]:
    """The calls chained right after position `end` (`.Use(m).POST("", h)`, or with `link` another
    operator): (name, arguments, start), at most `limit` of them."""
    out: list[tuple[str, str, int]] = []
    for _ in range(limit):
        c = link.match(text, end)
        if c is None:
            break
        args = balanced(text, c.end() - 1)
        out.append((c.group(1), args, c.start()))
        end = c.end() + len(args) + 1
    return out


# `const basePath = "/admin"` (also `let`, `var`, a TypeScript `: string`): a path named once in a JS/TS file.
_PATH_CONSTANT = re.compile(
    r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]{0,80})\s*(?::\s*string\s*)?=\s*['\"`](/[^'\"`$\n]{0,300})['\"`]"
)


def path_constants(text: str) -> dict[str, str]:
    """The paths a JS/TS file names by constants: `{"basePath": "/admin"}`."""
    return dict(_PATH_CONSTANT.findall(text)) if "/" in text else {}
