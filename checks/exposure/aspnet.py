"""ASP.NET Core (C#, parsed with tree-sitter): attribute routing on controllers and actions with
`[Authorize]`/`[AllowAnonymous]`/policies at class and method level, and minimal APIs
(`app.MapGet("/x", …).RequireAuthorization(…)`, `.AllowAnonymous()`)."""

from __future__ import annotations

import re
from functools import lru_cache

import tree_sitter
import tree_sitter_c_sharp

from .diagnostics import SERVES
from .fast_endpoints import fast_endpoint
from .inline_guards import MAX_PREAMBLE_CHARS, inline_privilege_check
from .model import (
    ADMIN_HANDLER,
    AUTHENTICATED,
    MAX_FILE_CHARS,
    OPS_DASHBOARD,
    OPTS_OUT,
    UNAUTHENTICATED,
    join_paths,
    overriding,
)
from .roles import privileged_role
from .routes import INHERITS, FileRoutes, RawRoute
from .syntax import node_text as _text

# Guard key of a controller class: its class-level `[Authorize]`, and the base class it inherits them from.
CLASS = "aspnet-class:"
_FRAMEWORK_BASES = frozenset({"Controller", "ControllerBase", "Object", "object"})

_VERBS = {
    "HttpGet": "GET",
    "HttpPost": "POST",
    "HttpPut": "PUT",
    "HttpDelete": "DELETE",
    "HttpPatch": "PATCH",
    "HttpHead": "HEAD",
    "HttpOptions": "OPTIONS",
}
_MAP = {
    "MapGet": "GET",
    "MapPost": "POST",
    "MapPut": "PUT",
    "MapDelete": "DELETE",
    "MapPatch": "PATCH",
    "MapGetAndPost": "GET+POST",  # a common extension mapping one handler to both
}
_HEALTH_CHECKS = frozenset(("UseHealthChecks", "MapHealthChecks"))
_RESPONSE_WRITER = re.compile(r"\bResponseWriter\s*=\s*([\w.]{1,120})")
MAX_NODES = 2_000_000


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))


def _attributes(node: tree_sitter.Node) -> list[tuple[str, str, list[str]]]:
    """(name, full text, string arguments) of the attributes directly on a declaration."""
    out: list[tuple[str, str, list[str]]] = []
    for lst in node.named_children:
        if lst.type != "attribute_list":
            continue
        for attr in lst.named_children:
            if attr.type != "attribute":
                continue
            name = _text(attr.child_by_field_name("name")).rsplit(".", 1)[-1].removesuffix("Attribute")
            args = [_literal(s) for s in _strings(attr)]
            out.append((name, _text(attr), args))
    return out


def _strings(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The string arguments under `node`, an interpolated one (`$"{PREFIX}/media-items"`) among them; not a
    named argument's (`Name = "mediaitemsupload"` names the route, it is no path)."""
    found: list[tree_sitter.Node] = []
    stack = [node]
    while stack and len(found) < 8:
        n = stack.pop()
        if n.type in ("string_literal", "verbatim_string_literal", "interpolated_string_expression"):
            found.append(n)
            continue
        if n.type == "attribute_argument" and any(c.type == "=" for c in n.children):
            continue
        stack.extend(reversed(n.named_children))
    return found


def _literal(node: tree_sitter.Node) -> str:
    """A string argument's text: `$"/{PREFIX}/x"` is `/{PREFIX}/x`, the value standing as a parameter."""
    text = _text(node)
    value = text.lstrip("$@").strip('"')
    # (`{{id}}` in an interpolated string is the route template's own `{id}`)
    return value.replace("{{", "{").replace("}}", "}") if text.startswith(("$", "@$")) else value


_PERMISSION_ATTRIBUTE = re.compile(r"Permission|Authoriz|RequiresRole|RequireRole")


def _auth(attrs: list[tuple[str, str, list[str]]]) -> tuple[bool | None, list[str]]:
    """True: [Authorize…]; False: [AllowAnonymous]; None: nothing said."""
    if any(name == "AllowAnonymous" for name, _, _ in attrs):
        return False, [OPTS_OUT + "[AllowAnonymous]"]
    # An attribute named for a privileged role (`[Admin]`, `[SuperAdminOnly]`) is an `AuthorizeAttribute`
    # subclass fixing its `Roles`: the project's own shorthand for `[Authorize(Roles = "Admin")]`.
    # A project's own permission attribute (`[ApiPermission(PermissionIds.Admin)]`) guards like `[Authorize]`,
    # and names the permission it demands.
    reasons = [
        f"[{full}]"
        for name, full, _ in attrs
        if name.startswith("Authorize") or privileged_role(name) or _PERMISSION_ATTRIBUTE.search(name)
    ]
    return (True, reasons) if reasons else (None, [])


def _template(route: str, controller: str, action: str) -> str:
    return route.replace("[controller]", controller).replace("[action]", action)


@lru_cache(maxsize=1)
def _query() -> tree_sitter.Query:
    # Found in C by the query engine: no Python walk over every node of the file.
    language = tree_sitter.Language(tree_sitter_c_sharp.language())
    return tree_sitter.Query(language, "(class_declaration) @class (invocation_expression) @call")


def extract_aspnet(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    tree = _parser().parse(text[:MAX_FILE_CHARS].encode("utf-8", "replace"))
    if tree.root_node.descendant_count > MAX_NODES:
        return out
    found = tree_sitter.QueryCursor(_query()).captures(tree.root_node)
    page = _RAZOR_PAGE.search(path)
    for cls in sorted(found.get("class", ()), key=lambda n: n.start_byte):
        if page is not None and _base_class(cls) == "PageModel":
            _razor_page(out, cls, page.group(1))
            continue
        if "Endpoint" in _base_class(cls):
            line = cls.start_point[0] + 1
            declared = fast_endpoint(cls)
            out.routes += [RawRoute("http", v, p, line, a, why) for v, p, a, why in declared]
            if declared:
                continue
        _controller(out, cls)
    calls = sorted(found.get("call", ()), key=lambda n: n.start_byte)
    groups: dict[str, tuple[str, tuple[str, ...], bool | None]] = {}
    for call in calls:
        _group(groups, call)
        _group_convention(groups, call)
    for call in calls:
        _minimal(out, call, groups)
    return out


# A Razor page's code-behind: `Pages/Admin/Index.cshtml.cs` serves `/Admin`.
_RAZOR_PAGE = re.compile(r"(?:^|/)Pages/(.+?)\.cshtml\.cs$")
# Its handlers: `OnGet`, `OnPostAsync`, `OnPostDeleteAsync` (a named handler of the same page).
_PAGE_HANDLER = re.compile(r"On(Get|Post|Put|Delete|Patch)\w*$")


def _razor_page(out: FileRoutes, cls: tree_sitter.Node, relative: str) -> None:
    """A `PageModel` serves its page's path, for each verb a handler answers, guarded by the class's
    attributes (Razor Pages apply no action attributes)."""
    parts = relative.split("/")
    if parts[-1] == "Index":
        parts = parts[:-1]
    route = "/" + "/".join(parts)
    authed, reasons = _auth(_attributes(cls))
    body = cls.child_by_field_name("body")
    verbs = sorted(
        {
            m.group(1).upper()
            for method in (body.named_children if body is not None else [])
            if method.type == "method_declaration"
            and (m := _PAGE_HANDLER.match(_text(method.child_by_field_name("name")))) is not None
        }
    ) or ["GET"]
    for verb in verbs:
        out.routes.append(
            RawRoute(
                "http",
                verb,
                route,
                cls.start_point[0] + 1,
                AUTHENTICATED if authed else UNAUTHENTICATED,
                tuple(reasons),
            )
        )


def _base_class(cls: tree_sitter.Node) -> str:
    """The class `cls` derives from, as its last simple name (`: Api.BaseApiController, IFoo`)."""
    bases = next((c for c in cls.named_children if c.type == "base_list"), None)
    first = bases.named_children[0] if bases is not None and bases.named_children else None
    while first is not None and first.type == "qualified_name" and first.named_children:
        first = first.named_children[-1]
    if first is not None and first.type == "generic_name":
        first = first.named_children[0] if first.named_children else None
    name = _text(first) if first is not None and first.type == "identifier" else ""
    return "" if name in _FRAMEWORK_BASES else name


def _controller(out: FileRoutes, cls: tree_sitter.Node) -> None:
    name = _text(cls.child_by_field_name("name"))
    controller = name.removesuffix("Controller")
    attrs = _attributes(cls)
    prefixes = [a[0] for n, _, a in attrs if n == "Route" and a] or [""]
    class_auth, class_reasons = _auth(attrs)
    base = _base_class(cls)
    if base:
        out.guards.setdefault(CLASS + name, []).append(INHERITS + CLASS + base)
    if class_auth:
        out.guards.setdefault(CLASS + name, []).extend(class_reasons)
    # `[Authorize]` is inherited from a base class (maybe declared in another file) unless this class or
    # the action allows anonymous callers.
    inherits = CLASS + base if base and class_auth is not False else ""
    # A controller of the admin area: derived from `BaseAdminController`, or `[Area("Admin")]`.
    areas = [a[0] for n, _, a in attrs if n == "Area" and a]
    admin_by = next((f'{name} in [Area("{a}")]' for a in areas if privileged_role(a)), "")
    if base and privileged_role(base.removesuffix("Controller")):
        admin_by = f"{name} : {base}"
    body = cls.child_by_field_name("body")
    for method in body.named_children if body is not None else []:
        if method.type != "method_declaration":
            continue
        action = _text(method.child_by_field_name("name"))
        mattrs = _attributes(method)
        verbs = [(_VERBS[n], a[0] if a else None) for n, _, a in mattrs if n in _VERBS]
        routes = [a[0] for n, _, a in mattrs if n == "Route" and a]
        if not verbs:
            # Without a verb attribute, a public method returning an action result is still an action, for
            # every method: on its own `[Route]`, the controller's (`[Route("configuration")]` over a bare
            # `Get()`), or the app's conventional route.
            if not _conventional_action(name, method, mattrs):
                continue
            verbs = [("ANY", None)]
        own, own_reasons = _auth(mattrs)
        # An action that refuses all but a privileged role in its first statements (`if (!isAdmin) return
        # Forbid();`) is as guarded as one carrying `[Authorize(Roles = "Admin")]`.
        inline = inline_privilege_check(_text(method.child_by_field_name("body"))[:MAX_PREAMBLE_CHARS])
        if inline:
            own, own_reasons = True, [*own_reasons, inline] if own else [inline]
        if own is False and class_auth:
            own_reasons = [overriding(r, class_reasons) for r in own_reasons]
        authed = own if own is not None else bool(class_auth)
        reasons = own_reasons if own is not None else class_reasons
        if own and class_auth:
            reasons = class_reasons + own_reasons
        # Neither the controller nor the action names a template: the app's conventional route reaches it
        # (`{area:exists}/{controller}/{action}`), matched without regard to case.
        conventional = prefixes == [""] and not routes and all(t is None for _, t in verbs)
        for verb, template in verbs:
            for route in [template] if template is not None else routes or [""]:
                absolute = route.startswith(("/", "~/"))
                for prefix in [""] if absolute else prefixes:
                    full = join_paths(
                        _template(prefix, controller, action),
                        _template(route.lstrip("~"), controller, action),
                    )
                    if conventional:
                        full = "/" + "/".join(s.lower() for s in (*areas[:1], controller, action))
                    out.routes.append(
                        RawRoute(
                            "http",
                            verb,
                            full,
                            method.start_point[0] + 1,
                            AUTHENTICATED if authed else UNAUTHENTICATED,
                            tuple(reasons) + ((ADMIN_HANDLER + admin_by,) if admin_by else ()),
                            handler=inherits if own is not False else "",
                        )
                    )


# What an action returns: `IActionResult`, `Task<ActionResult<T>>`, `ViewResult`, `JsonResult`, `IResult`.
_ACTION_RESULT = re.compile(
    r"\b(?:I?ActionResult|\w*(?:View|Json|File|Content|Redirect|Partial\w*)Result|IResult)\b"
)


def _conventional_action(
    controller: str, method: tree_sitter.Node, attrs: list[tuple[str, str, list[str]]]
) -> bool:
    """A public instance method of a `…Controller` returning an action result, not marked `[NonAction]`."""
    modifiers = {_text(c) for c in method.children if c.type == "modifier"}
    return (
        controller.endswith("Controller")
        and "public" in modifiers
        and not modifiers & {"static", "override", "abstract"}
        and not any(n == "NonAction" for n, _, _ in attrs)
        and bool(_ACTION_RESULT.search(_text(method.child_by_field_name("returns"))))
    )


_CHAIN = re.compile(r"\.\s*(RequireAuthorization|AllowAnonymous)\s*\(([^()]{0,300})\)")


Group = tuple[str, tuple[str, ...], "bool | None"]  # prefix, reasons, authorized (None: nothing said)


def _fluent_tail(call: tree_sitter.Node) -> str:
    """The fluent calls wrapped around `call`: `….RequireAuthorization("Admin")` after `app.MapGet(…)`."""
    outer = call.parent
    chain = ""
    while outer is not None and outer.type in ("member_access_expression", "invocation_expression"):
        chain = _text(outer)
        outer = outer.parent
    return chain[len(_text(call)) :] if chain.startswith(_text(call)) else ""


def _authorization(tail: str) -> tuple[bool | None, list[str]]:
    reasons: list[str] = []
    authed: bool | None = None
    for m in _CHAIN.finditer(tail):
        if m.group(1) == "AllowAnonymous":
            return False, [OPTS_OUT + ".AllowAnonymous()"]
        authed = True
        reasons.append(f".RequireAuthorization({m.group(2)})")
    return authed, reasons


def _receiver(call: tree_sitter.Node, groups: dict[str, Group]) -> Group:
    """The group a `Map…` call is made on: a variable holding `app.MapGroup("/admin")…`, or the call inline."""
    fn = call.child_by_field_name("function")
    target = fn.child_by_field_name("expression") if fn is not None else None
    if target is None:
        return ("", (), None)
    if target.type == "identifier":
        return groups.get(_text(target), ("", (), None))
    inner = target
    while inner.type == "member_access_expression" or (
        inner.type == "invocation_expression" and not _is_map_group(inner)
    ):
        nxt = inner.child_by_field_name(
            "expression" if inner.type == "member_access_expression" else "function"
        )
        if nxt is None:
            return ("", (), None)
        inner = nxt
    return _group_of(inner, groups) if inner.type == "invocation_expression" else ("", (), None)


def _is_map_group(call: tree_sitter.Node) -> bool:
    fn = call.child_by_field_name("function")
    return (
        fn is not None
        and fn.type == "member_access_expression"
        and _text(fn.child_by_field_name("name")) == "MapGroup"
    )


def _group_of(call: tree_sitter.Node, groups: dict[str, Group]) -> Group:
    """`app.MapGroup("/admin").RequireAuthorization("Admin")`: its path joined to its parent's, its guards."""
    parent = _receiver(call, groups)
    args = call.child_by_field_name("arguments")
    first = _strings(args)[:1] if args is not None else []
    prefix = join_paths(parent[0], _literal(first[0]) if first else "")
    authed, reasons = _authorization(_fluent_tail(call))
    if authed is False:
        return (prefix, tuple(reasons), False)
    if authed is None:
        return (prefix, parent[1], parent[2])
    return (prefix, parent[1] + tuple(reasons), True)


def _group(groups: dict[str, Group], call: tree_sitter.Node) -> None:
    """Record `var admin = app.MapGroup("/admin")…` under its variable."""
    if not _is_map_group(call):
        return
    node = call.parent
    while node is not None and node.type in ("member_access_expression", "invocation_expression"):
        node = node.parent
    if node is not None and node.type == "variable_declarator":
        name = node.child_by_field_name("name")
        if name is not None:
            groups[_text(name)] = _group_of(call, groups)


def _group_convention(groups: dict[str, Group], call: tree_sitter.Node) -> None:
    """`groupBuilder.RequireAuthorization();` as a statement of its own: every endpoint the group maps,
    before or after it, requires it (`AllowAnonymous()` the same way opens them)."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "member_access_expression" or call.parent is None:
        return
    target = fn.child_by_field_name("expression")
    if call.parent.type != "expression_statement" or target is None or target.type != "identifier":
        return
    authed, reasons = _authorization(_text(call)[len(_text(target)) :])
    if authed is None:
        return
    prefix, known, _ = groups.get(_text(target), ("", (), None))
    groups[_text(target)] = (prefix, tuple(reasons) if authed is False else known + tuple(reasons), authed)


# The API's documentation pages and their document, at each library's default path unless `RoutePrefix` says
# where: Swagger UI and ReDoc over Swashbuckle or NSwag, Scalar, and the document itself.
_API_DOCS = {
    "UseSwaggerUI": ("swagger", "Swagger UI"),
    "UseSwaggerUi": ("swagger", "Swagger UI"),
    "UseSwaggerUi3": ("swagger", "Swagger UI"),
    "UseReDoc": ("api-docs", "ReDoc"),
    "MapScalarApiReference": ("scalar", "Scalar API reference"),
    "UseSwagger": ("swagger", "the OpenAPI document"),
    "MapSwagger": ("swagger", "the OpenAPI document"),
    "UseOpenApi": ("swagger", "the OpenAPI document"),
    "MapOpenApi": ("openapi", "the OpenAPI document"),
}
_ROUTE_PREFIX = re.compile(r"\bRoutePrefix\s*=\s*(?:\$?@?\"([^\"{}]*)\"|string\.Empty)")
_DEVELOPMENT = re.compile(r"\bIs(?:Development|Environment\(\s*\"(?:Development|Local)\"\s*\))\s*\(")


def _development_only(call: tree_sitter.Node) -> bool:
    """Inside `if (app.Environment.IsDevelopment()) { … }`, not its `else` and not a negated or widened
    condition (`!env.IsDevelopment()`, `IsDevelopment() || options.ShowDocs`)."""
    child, node = call, call.parent
    while node is not None:
        if node.type == "if_statement":
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            text = _text(condition) if condition is not None else ""
            plain = "||" not in text and "!" not in text
            if plain and _DEVELOPMENT.search(text) and consequence is not None and child == consequence:
                return True
        child, node = node, node.parent
    return False


def _api_docs(out: FileRoutes, call: tree_sitter.Node, name: str) -> None:
    """`app.UseSwaggerUI()` outside the development block: the API's documentation served in production."""
    default, what = _API_DOCS[name]
    if _development_only(call):
        return
    args = call.child_by_field_name("arguments")
    given = _ROUTE_PREFIX.search(_text(args)) if args is not None else None
    prefix = (given.group(1) or "") if given else default
    authed, reasons = _authorization(_fluent_tail(call))
    out.routes.append(
        RawRoute(
            "http",
            "GET",
            join_paths("/" + prefix.strip("/"), "**"),
            call.start_point[0] + 1,
            AUTHENTICATED if authed else UNAUTHENTICATED,
            (*reasons, f"{OPS_DASHBOARD}{what} of the API"),
        )
    )


def _minimal(out: FileRoutes, call: tree_sitter.Node, groups: dict[str, Group]) -> None:
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "member_access_expression":
        return
    name = _text(fn.child_by_field_name("name"))
    if name in _API_DOCS:
        _api_docs(out, call, name)
        return
    verb = _MAP.get(name) or ("GET" if name in _HEALTH_CHECKS else None)
    args = call.child_by_field_name("arguments")
    first = _strings(args)[:1] if args is not None else []
    if verb is None or not first:
        return
    # `app.UseHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteResponse })`: a writer of
    # the project's own (or HealthChecks UI's) reports each check's state, not the bare status word
    writer = _RESPONSE_WRITER.search(_text(args)) if name in _HEALTH_CHECKS and args is not None else None
    detail = (f"{SERVES}health checks with a detailed response writer ({writer.group(1)})",) if writer else ()
    prefix, group_reasons, group_authed = _receiver(call, groups)
    authed, reasons = _authorization(_fluent_tail(call))
    if authed is None:
        authed, reasons = group_authed, list(group_reasons)
    elif authed is False and group_authed:
        reasons = [overriding(reasons[0], group_reasons)]
    for method in verb.split("+"):
        out.routes.append(
            RawRoute(
                "http",
                method,
                join_paths(prefix, _literal(first[0])),
                call.start_point[0] + 1,
                AUTHENTICATED if authed else UNAUTHENTICATED,
                tuple(reasons) + detail,
            )
        )
