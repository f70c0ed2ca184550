"""Django and DRF class-based views whose every request handler refuses all but a privileged role inline:
`def get(self, request): if not request.user.is_superuser: return HttpResponseForbidden()`, or whose class
is decorated with a guard (`@method_decorator(staff_member_required, name="dispatch")`, `@login_required`).

The URLconf names the class (`StatusView.as_view()`); the guard is published under `py:StatusView` for it.
"""

from __future__ import annotations

import ast
import re

from .model import MAX_FILE_CHARS
from .scan import AUTH_WORDS, inline_guard

# Methods Django's `View.dispatch` and DRF's viewset routers call for a request.
HANDLERS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options"}
    | {"list", "create", "retrieve", "update", "partial_update", "destroy"}
)
_MENTIONS = re.compile(r"is_superuser|is_staff|is_admin|has_perm")


def _guard(lines: list[str], method: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    body = "\n".join(lines[method.lineno - 1 : method.end_lineno or method.lineno])
    return inline_guard(body) or _handler_decorator(method)


# A handler decorated with a guard: `@require_loggedin_user()` over `def get(self, …)`.
_DECORATED_HANDLER = re.compile(
    r"^[ \t]+@[^\n]*\n(?:[ \t]+@[^\n]*\n){0,8}[ \t]+(?:async[ \t]+)?def[ \t]+(?:get|post|put|patch|delete)\b",
    re.M,
)


def _handler_decorator(method: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """The first decorator of `method` named for a guard (the callee, or what `method_decorator` wraps), not
    one that only names a guard among its arguments."""
    for decorator in method.decorator_list:
        callee = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ast.unparse(callee)
        if (
            name.rsplit(".", 1)[-1] == "method_decorator"
            and isinstance(decorator, ast.Call)
            and decorator.args
        ):
            name = ast.unparse(decorator.args[0])
        if AUTH_WORDS.search(name.rsplit(".", 1)[-1]):
            return f"decorator @{name}"
    return None


def class_view_guards(text: str) -> dict[str, list[str]]:
    text = text[:MAX_FILE_CHARS]
    if "class " not in text or (
        _MENTIONS.search(text) is None
        and _DECORATED_CLASS.search(text) is None
        and _DECORATED_HANDLER.search(text) is None
    ):
        return {}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return {}
    lines = text.splitlines()
    out: dict[str, list[str]] = {}
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        handlers = [
            n
            for n in cls.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in HANDLERS
        ]
        guards = [_guard(lines, h) for h in handlers]
        if guards and all(guards):
            out[f"py:{cls.name}"] = [g for g in dict.fromkeys(guards) if g]
        decorated = _decorator_guards(text, cls)
        if decorated:
            out.setdefault(f"py:{cls.name}", []).extend(decorated)
    return out


MAX_DECORATOR_NAMES = 40
_DECORATED_CLASS = re.compile(r"^@[^\n]*(?:\n[ \t)][^\n]*){0,12}\nclass ", re.M)


def _decorator_guards(text: str, cls: ast.ClassDef) -> list[str]:
    """A class decorator that guards its views: `@method_decorator(login_required, name="dispatch")`."""
    out = []
    for decorator in cls.decorator_list:
        # The names it calls and hands on, not its strings or keyword names: `@extend_schema(tags=["Server
        # logs (superusers)"], responses=ok(require_auth=False))` documents a view, it guards nothing.
        names = [ast.unparse(n) for n in ast.walk(decorator) if isinstance(n, (ast.Name, ast.Attribute))][
            :MAX_DECORATOR_NAMES
        ]
        guards = [n for n in names if n != "method_decorator" and AUTH_WORDS.search(n.rsplit(".", 1)[-1])]
        if guards:
            out.append(f"class decorator @{guards[0]}")
    return out
