"""Django REST framework and class-based views: routers, viewsets, `@action`, `permission_classes`, mixins.

A URLconf registers viewsets on a router (`router.register(r"users", UserViewSet)`) and includes the router
(`path("api/", include(router.urls))`): each registration serves the viewset's list and detail routes under
its prefix, guarded by what the viewset declares. The views module declares the guards — a class's
`permission_classes`, its mixins (`StaffRequiredMixin`, `LoginRequiredMixin`) and `permission_required` —
published under `py:<Class>`, and the extra routes of `@action` methods, which the registration prefixes.
"""

from __future__ import annotations

import ast
import re

from .model import (
    AUTHENTICATED,
    DRF_DEFAULTS,
    DRF_ROUTE,
    MAX_FILE_CHARS,
    OPTS_OUT,
    UNKNOWN,
    line_of,
    regex_to_path,
)
from .roles import ON_WRITES, privileged_role
from .routes import INHERITS, FileRoutes, Mount, RawRoute
from .scan import AUTH_WORDS, balanced, leading_string

_ROUTER = re.compile(r"^[ \t]*(\w+)\s*=\s*(?:[\w.]+\.)?\w*Router\s*\(", re.M)
_REGISTER = re.compile(r"\b(\w+)\.register\s*\(")
_INCLUDE_ROUTER = re.compile(
    r"\b(path|re_path|url)\s*\(\s*(?:r?['\"]([^'\"\n]{0,300})['\"])\s*,\s*include\s*\(\s*(\w+)\.urls\b"
)
# Permission classes that let anyone in: no guard.
_OPEN = frozenset({"AllowAny", "AllowAnyUser"})
_MENTIONS = re.compile(
    r"permission_classes|Mixin\b|permission_required|@(?:action|detail_route|list_route)\b"
    # a view extending a project's own view class (`class AnalyzerUpdateAPI(PluginUpdateAPI):`)
    r"|^class\s+\w+\(\s*\w*(?:API|View)\w*\s*\)\s*:",
    re.M,
)


def viewset_owner(name: str) -> str:
    return f"drf:{name}"


def extract_drf(path: str, text: str, here: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if "register" in text and "Router" in text:
        _routers(out, text, here)
    if _MENTIONS.search(text):
        _views(out, text)
    if "DEFAULT_PERMISSION_CLASSES" in text:
        _defaults(out, text)
    return out


_DEFAULTS = re.compile(r"""['"]DEFAULT_PERMISSION_CLASSES['"]\s*:\s*(?=[\[(])""")


def _defaults(out: FileRoutes, text: str) -> None:
    """`REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",)}`: the
    classes a viewset without its own `permission_classes` is checked by."""
    m = _DEFAULTS.search(text)
    if m is None:
        return
    listed = [
        s.rsplit(".", 1)[-1] for s in re.findall(r"""['"]([\w.]{1,200})['"]""", balanced(text, m.end()))
    ]
    guards = _guard("DEFAULT_PERMISSION_CLASSES", listed[:20])
    if guards:
        out.guards.setdefault(DRF_DEFAULTS, []).extend(guards)


# drf-nested-routers: `cycles = NestedSimpleRouter(orgs, r"organizations", lookup="organization")` serves
# what it registers under `organizations/{organization_pk}/`.
_NESTED = re.compile(
    r"^[ \t]*(\w+)\s*=\s*(?:[\w.]+\.)?Nested\w*Router\s*\(\s*\w+\s*,\s*r?['\"]([^'\"\n]{1,300})['\"]"
    r"(?:\s*,\s*lookup\s*=\s*['\"](\w{1,80})['\"])?",
    re.M,
)


def _routers(out: FileRoutes, text: str, here: str) -> None:
    routers = {m.group(1) for m in _ROUTER.finditer(text)}
    nested = {
        m.group(1): f"{regex_to_path(m.group(2)).strip('/^$')}/{{{m.group(3) or 'parent'}_pk}}/"
        for m in _NESTED.finditer(text)
    }
    for m in _REGISTER.finditer(text):
        var = m.group(1)
        if var not in routers:
            continue
        args = balanced(text, m.end() - 1)
        prefix = leading_string(re.sub(r"^\s*r(?=['\"])", "", args))
        prefix = regex_to_path(prefix) if prefix is not None else None
        view = re.search(r",\s*([\w.]+)", args)
        if prefix is None or view is None:
            continue
        prefix = nested.get(var, "") + prefix.strip("^$").lstrip("/")
        name = view.group(1).rsplit(".", 1)[-1]
        owner = f"{here}#{var}"
        line = line_of(text, m.start())
        # The viewset's own list and detail routes; its @action routes come from its module, mounted here.
        for sub in (prefix, f"{prefix}/{{pk}}"):
            out.routes.append(
                RawRoute(
                    "http", "ANY", "/" + sub.strip("/^$"), line, UNKNOWN, (DRF_ROUTE,), owner, f"py:{name}"
                )
            )
        out.mounts.append(Mount(viewset_owner(name), prefix.strip("^$"), owner))
    for m in _INCLUDE_ROUTER.finditer(text):
        if m.group(3) in routers:
            out.mounts.append(Mount(f"{here}#{m.group(3)}", regex_to_path(m.group(2)), here))


def _names(node: ast.expr) -> list[str]:
    """Names in a class list (`[IsAdminUser]`, `(IsAuthenticated & IsOwner,)`); a module qualifier is no
    class (`permissions` of `permissions.AllowAny`)."""
    nodes = list(ast.walk(node))
    qualifiers = {id(n.value) for n in nodes if isinstance(n, ast.Attribute)}
    return [
        n.id if isinstance(n, ast.Name) else n.attr
        for n in nodes
        if isinstance(n, (ast.Name, ast.Attribute)) and id(n) not in qualifiers
    ]


def _guard(label: str, names: list[str]) -> list[str]:
    kept = [
        n
        for n in names
        if n not in _OPEN and (AUTH_WORDS.search(n) or privileged_role(n) or n.startswith("Is"))
    ]
    return [f"{label} {n}" for n in kept]


def _views(out: FileRoutes, text: str) -> None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        guards: list[str] = []
        bases = _base_names(cls)
        for name in bases:
            if name.endswith("Mixin") and (privileged_role(name) or AUTH_WORDS.search(name)):
                guards.append(f"mixin {name}")
        own = False  # whether the class names permission classes of its own
        for deco in cls.decorator_list:
            # `@permission_classes((permissions.IsAdminUser,))` over the class: its own classes too
            if (
                isinstance(deco, ast.Call)
                and isinstance(deco.func, (ast.Name, ast.Attribute))
                and (deco.func.id if isinstance(deco.func, ast.Name) else deco.func.attr)
                == "permission_classes"
                and deco.args
            ):
                own = True
                guards += _guard("permission_classes", _names(deco.args[0]))
        for stmt in cls.body:
            if not isinstance(stmt, ast.Assign) or not isinstance(stmt.targets[0], ast.Name):
                continue
            target = stmt.targets[0].id
            if target == "permission_classes":
                own = True
                listed = _names(stmt.value)
                guards += _guard("permission_classes", listed)
                # `permission_classes = [AllowAny]`, or `= []`: the view drops the project's default classes.
                if all(n in _OPEN for n in listed) and isinstance(stmt.value, (ast.List, ast.Tuple)):
                    guards.append(f"{OPTS_OUT}permission_classes [{', '.join(listed)}]")
            elif target == "permission_required":
                perms = [
                    c.value
                    for c in ast.walk(stmt.value)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                ]
                guards += [f"permission_required {p}" for p in perms[:8]]
        if not own:
            # `class AnalyzerUpdateAPI(PluginUpdateAPI)`: a view naming no permission classes takes its
            # parent's, declared here or in another file
            guards += [
                f"{INHERITS}py:{name}" for name in bases[:4] if name and not _FRAMEWORK_VIEW.match(name)
            ]
        if guards:
            out.guards.setdefault(f"py:{cls.name}", []).extend(dict.fromkeys(guards))
        _actions(out, text, cls)


# Django's and REST framework's own view classes: what they declare is the settings' default, read elsewhere.
_FRAMEWORK_VIEW = re.compile(
    r"^(?:(?:Generic)?(?:API)?View(?:Set)?|(?:ReadOnly)?ModelViewSet|GenericAPIView|ViewSetMixin|object|ABC"
    r"|(?:List|Create|Retrieve|Update|Destroy|ListCreate|RetrieveUpdate|RetrieveDestroy|RetrieveUpdateDestroy)"
    r"(?:API)?View|Template(?:Response)?View|RedirectView|FormView|DetailView|ListView|\w*Mixin)$"
)


def _base_names(cls: ast.ClassDef) -> list[str]:
    """The names of the classes `cls` extends (`PluginUpdateAPI`, `generics.ListAPIView` → `ListAPIView`)."""
    names = (
        b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else "" for b in cls.bases
    )
    return [name for name in names if name]


_ACTIONS = frozenset({"action", "detail_route", "list_route"})
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _actions(out: FileRoutes, text: str, cls: ast.ClassDef) -> None:
    """`@action(detail=True, methods=["post"], url_path="lock", permission_classes=[IsAdminUser])`, and the
    same written as REST framework 3.7 did: `@detail_route(…)` (`detail=True`), `@list_route(…)`."""
    for fn in cls.body:
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for deco in fn.decorator_list:
            if not isinstance(deco, ast.Call) or _last(deco.func) not in _ACTIONS:
                continue
            kw = {k.arg: k.value for k in deco.keywords if k.arg}
            detail = _last(deco.func) == "detail_route" or (
                isinstance(kw.get("detail"), ast.Constant) and bool(getattr(kw["detail"], "value", False))
            )
            url_path = kw.get("url_path")
            segment = (
                url_path.value
                if isinstance(url_path, ast.Constant) and isinstance(url_path.value, str)
                else fn.name
            )
            methods_node = kw.get("methods")
            methods = (
                [
                    c.value.upper()
                    for c in ast.walk(methods_node)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                ]
                if methods_node is not None
                else ["GET"]
            )
            perms = kw.get("permission_classes")
            reasons: tuple[str, ...]
            if perms is None:
                # An action naming no classes of its own takes its viewset's, or the settings' default (it is
                # served on the viewset's router): read through its handler.
                state, reasons, handler = UNKNOWN, (DRF_ROUTE,), f"py:{cls.name}"
            else:
                reasons = tuple(_guard("action permission_classes", _names(perms)))
                if methods and not set(methods) & _SAFE:
                    reasons = tuple(r + ON_WRITES if re.search(r"OrReadOnly\b", r) else r for r in reasons)
                state, handler = AUTHENTICATED if reasons else UNKNOWN, ""
            route = ("/{pk}/" if detail else "/") + segment.strip("/")
            for method in methods or ["GET"]:
                out.routes.append(
                    RawRoute(
                        "http", method, route, deco.lineno, state, reasons, viewset_owner(cls.name), handler
                    )
                )


def _last(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
