"""ASP.NET Core FastEndpoints: one class per endpoint, its route and access declared in `Configure()`.

    public override void Configure()
    {
        Post("/admin/runtime/drain");
        Roles("Admin");            // or Permissions(…), Policies(…), Claims(…), Scopes(…)
    }

An endpoint is secure by default: any signed-in caller passes unless `AllowAnonymous()` opens it. The names
`Roles`/`Permissions`/… list are the ones any of which passes, so adding one widens who may call.
"""

from __future__ import annotations

import re

import tree_sitter

from .model import ACCEPTS, AUTHENTICATED, OPTS_OUT, UNAUTHENTICATED, normalize_path
from .syntax import node_text as _text

_VERBS = {"Get": "GET", "Post": "POST", "Put": "PUT", "Delete": "DELETE", "Patch": "PATCH", "Head": "HEAD"}
_ACCESS = frozenset(
    {"Roles", "Permissions", "ConfigurePermissions", "Policies", "Policy", "Claims", "Scopes"}
)
_HTTP_VERB = re.compile(r"\bHttp\.(GET|POST|PUT|DELETE|PATCH|HEAD)\b")
MAX_CALLS = 200
SECURE_BY_DEFAULT = "FastEndpoints endpoint (signed-in callers by default)"


def _configure(cls: tree_sitter.Node) -> tree_sitter.Node | None:
    """The body of the class's `override void Configure()`."""
    body = cls.child_by_field_name("body")
    for method in body.named_children if body is not None else []:
        if method.type != "method_declaration" or _text(method.child_by_field_name("name")) != "Configure":
            continue
        params = method.child_by_field_name("parameters")
        overrides = any(_text(c) == "override" for c in method.children if c.type == "modifier")
        if overrides and params is not None and not params.named_children:
            return method.child_by_field_name("body")
    return None


def _calls(body: tree_sitter.Node) -> list[tuple[str, tree_sitter.Node]]:
    """(name, argument list) of the plain calls in `body` (`Post("/x")`, not `x.Post(…)`), in order."""
    out: list[tuple[str, tree_sitter.Node]] = []
    todo = [body]
    while todo and len(out) < MAX_CALLS:
        node = todo.pop()
        if node.type == "invocation_expression":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if fn is not None and args is not None:
                name = (
                    _text(fn.named_children[0])
                    if fn.type == "generic_name" and fn.named_children
                    else _text(fn)
                )
                if re.fullmatch(r"\w+", name):
                    out.append((name, args))
        todo.extend(reversed(node.named_children))
    return out


def _strings(args: tree_sitter.Node) -> list[str]:
    found: list[str] = []
    for arg in args.named_children:
        inner = arg.named_children[0] if arg.named_children else arg
        if inner.type in ("string_literal", "verbatim_string_literal"):
            found.append(_text(inner).lstrip("@").strip('"'))
    return found


def _names(args: tree_sitter.Node) -> list[str]:
    """What an access call lists: strings as written, constants by their last name."""
    names: list[str] = []
    for arg in args.named_children:
        text = _text(arg).strip()
        names.append(text.strip('"') if text.startswith('"') else text.rsplit(".", 1)[-1])
    return [n for n in names if n]


def fast_endpoint(cls: tree_sitter.Node) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(method, path, auth, reasons) of each route a FastEndpoints class declares, or none."""
    body = _configure(cls)
    if body is None:
        return []
    paths: list[str] = []
    verbs: list[str] = []
    anonymous = False
    reasons: list[str] = []
    for name, args in _calls(body):
        if name in _VERBS:
            verbs.append(_VERBS[name])
            paths += _strings(args)
        elif name == "Routes":
            paths += _strings(args)
        elif name == "Verbs":
            verbs += _HTTP_VERB.findall(_text(args))
        elif name == "AllowAnonymous":
            anonymous = True
        elif name in _ACCESS:
            listed = _names(args)
            if listed:
                reasons.append(f"{name}() {ACCEPTS}{', '.join(listed)}")
    if not paths or not verbs:
        return []
    why: tuple[str, ...]
    if anonymous:
        auth, why = UNAUTHENTICATED, (OPTS_OUT + "AllowAnonymous()",)
    else:
        auth, why = AUTHENTICATED, tuple(reasons) or (SECURE_BY_DEFAULT,)
    return [
        (verb, normalize_path("/" + path.lstrip("/")), auth, why)
        for path in dict.fromkeys(paths)
        for verb in dict.fromkeys(verbs)
    ]
