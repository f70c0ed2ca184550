"""Frappe: a module function decorated with `@frappe.whitelist()` is served at `/api/method/<module>.<name>`
(the dotted path of its file within the app), to logged-in users only unless `allow_guest=True`;
`methods=["GET"]` narrows its verbs. `frappe.only_for("System Manager")` as its first statement restricts it
to a role.
"""

from __future__ import annotations

import itertools
import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, OPTS_OUT, UNAUTHENTICATED, line_of
from .roles import privileged_role
from .routes import FileRoutes, RawRoute
from .scan import balanced, keyword, strings

GUEST = OPTS_OUT + "frappe.whitelist(allow_guest=True)"
MENTIONS = re.compile(r"@frappe\.whitelist\b")
_WHITELISTED = re.compile(
    r"^[ \t]*@frappe\.whitelist\b(\s*\()?[^\n]*\n(?:[ \t]*@[^\n]{0,300}\n){0,6}[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)",
    re.M,
)
_GUEST = re.compile(r"\ballow_guest\s*=\s*True\b")
_ONLY_FOR = re.compile(r"\bfrappe\.only_for\s*\(")
_NEXT_DEF = re.compile(r"\n[ \t]*(?:@|(?:async[ \t]+)?def[ \t]|class[ \t])")
_VERBS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH"})
MAX_METHODS = 2000
MAX_BODY_CHARS = 1500


def mentions_frappe(text: str) -> bool:
    return MENTIONS.search(text) is not None


def _module(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def extract_frappe(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not path.endswith(".py") or not mentions_frappe(text):
        return out
    module = _module(path)
    for m in itertools.islice(_WHITELISTED.finditer(text), MAX_METHODS):
        args = balanced(text, m.start(1) + m.group(1).index("(")) if m.group(1) else ""
        guest = _GUEST.search(args) is not None
        named = keyword(args, "methods") if args else None
        verbs = [v.upper() for v in strings(named or "") if v.upper() in _VERBS] or ["ANY"]
        reasons: tuple[str, ...] = (GUEST,) if guest else ("frappe.whitelist",)
        body = text[m.end() : m.end() + MAX_BODY_CHARS]
        following = _NEXT_DEF.search(body)
        body = body[: following.start()] if following else body
        only = _ONLY_FOR.search(body)
        if only is not None:
            roles = strings(balanced(body, only.end() - 1))
            role = next((r for r in roles if privileged_role(r) is not None), None)
            if role is not None:
                reasons += (f"frappe.only_for {role}",)
        for verb in verbs:
            out.routes.append(
                RawRoute(
                    "http",
                    verb,
                    f"/api/method/{module}.{m.group(2)}",
                    line_of(text, m.start()),
                    UNAUTHENTICATED if guest and only is None else AUTHENTICATED,
                    reasons,
                )
            )
    return out
