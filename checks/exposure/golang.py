"""Go: net/http (incl. Go 1.22 `"GET /x"` patterns), gin, echo and chi, with groups and `Use` middleware.

Groups are tracked per variable: `v1 := r.Group("/v1")` or chi `r.Route("/v1", func(r chi.Router) {...})`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from .go_helpers import without_line_comments
from .go_mounts import FUNC, handed_calls, mount_handed, on_func_line, own_routers, router_params
from .inline_guards import debug_only, inline_privilege_check
from .model import (
    ADMIN_HANDLER,
    AUTHENTICATED,
    DEBUG_MODE,
    MAX_FILE_CHARS,
    OPS_DASHBOARD,
    UNAUTHENTICATED,
    UNKNOWN,
    join_paths,
    line_of,
    normalize_path,
)
from .roles import ADMIN_WORDS, privileged_role, words
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, PATH_SETTING, balanced, chained_calls, leading_string, split_args, strings

_VERBS = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Get|Post|Put|Delete|Patch|Head|Options|Any|Handle|HandleFunc|Handler|Connect|Trace"
_CALL = re.compile(
    r"\b(\w+)\.("
    + _VERBS
    + r"|Group|Route|Use|Bind|BindFunc|Mount|With|PathPrefix|NewRoute|Path|Router|NSRouter|Methods)\s*\("
)
_HTTP_CLIENT = frozenset({"Get", "Post", "Head", "PostForm"})
# beego: `web.Router("/api/x", &controllers.Api{}, "GET:GetX;POST:SetX")`, or no mapping (the controller's
# own Get/Post… methods serve every verb).
_BEEGO_MAPPING = re.compile(r"([\w,*]+):(\w+)")
MAX_CHAIN = 8
# Bounds keep hostile nesting linear-ish: past them, closures are read like ordinary calls.
MAX_BLOCKS = 50
MAX_GUARDS = 16  # guards kept per group: a file calling `Use` thousands of times keeps a bounded list
MAX_SCOPES = 4 * MAX_BLOCKS  # block scopes narrowed by `Use` inside them: each call looks through all of them
MAX_BLOCK_CHARS = 200_000
# Middleware added to a router or group: `Use` (gin, echo, chi), `Bind`/`BindFunc` (pocketbase).
_USE = ("Use", "Bind", "BindFunc")
# (`apiAuth := se.Router.Group("/api/beszel")`: the router reached through a field)
_ASSIGN = re.compile(r"(\w+)\s*:?=\s*(?:\w+\.){0,4}$")
_BUILT_HANDLER = re.compile(r"\s*[\w.]+\s*\(")
# A group's path, then a closure taking no router: `"/admin", func() {`.
_CLOSURE = re.compile(r"\s*(?:\"[^\"\n]{0,300}\"|`[^`\n]{0,300}`|[\w.]{1,120})\s*,\s*func\s*\(\s*\)\s*\{")


MAX_ENCLOSING_CHARS = 600
_IF_LINE = re.compile(r"^[ \t]*(?:\}[ \t]*else[ \t]+)?if\b|^[ \t]*\}?[ \t]*else[ \t]*\{", re.M)


def _inside_if(text: str, at: int) -> bool:
    """Whether the block holding `at` is an `if` statement's (looked for over a bounded window back)."""
    depth = 0
    for i in range(at - 1, max(-1, at - MAX_ENCLOSING_CHARS), -1):
        c = text[i]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                return _IF_LINE.match(text, text.rfind("\n", 0, i) + 1) is not None
            depth -= 1
    return False


def extract_go(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    text = without_line_comments(text)
    out = FileRoutes()
    # var -> (prefix, auth reasons); chi Route blocks are approximated by brace extents.
    groups: dict[str, tuple[str, tuple[str, ...]]] = {}
    blocks: list[tuple[int, int, str, str, tuple[str, ...]]] = []  # start, end, inner var, prefix, auth
    consts = _constants(text)
    served_by: dict[str, list[int]] = {}  # router variable -> indexes of the routes it serves
    for var, typ in _privileged_router_params(text):
        groups.setdefault(var, ("", (f"registered on router {var} {typ}",)))

    def scope(var: str, at: int) -> tuple[str, tuple[str, ...]]:
        best: tuple[int, int, str, str, tuple[str, ...]] | None = None
        for b in blocks:
            if b[0] <= at < b[1] and b[2] == var and (best is None or b[0] > best[0]):
                best = b
        if best is not None:
            return best[3], best[4]
        return groups.get(var, ("", ()))

    privileged = dict(_privileged_router_params(text))
    muxes = _serve_muxes(text)
    # A named function starts afresh: its parameters are not the groups of the same name built elsewhere
    # (`group := auth.Group("group")` in one function, `func initWebDAV(group *gin.RouterGroup)` in another).
    functions = [(f.start(), f.group(3)) for f in FUNC.finditer(text)]
    # `admin(auth.Group("/admin", middlewares.AuthAdmin))` … `func admin(g *gin.RouterGroup) {…}`: the
    # function's router is the group its caller in this file hands it.
    takes_group = {f.start(): (f.group(1), f.group(2)) for f in _GROUP_FUNC.finditer(text)}
    handed: dict[str, tuple[str, tuple[str, ...]]] = {}
    # `initAdmin(admin, root)` … `func initAdmin(admin *gin.RouterGroup, root *gin.RouterGroup) {…}`: each
    # router parameter is the group its caller passes in that place.
    takes_groups = _group_functions(text)
    calls = _group_function_calls(text, {name for name, _ in takes_groups.values()})
    handed_many: dict[str, list[tuple[str, tuple[str, ...]] | None]] = {}
    # `answer.RegisterCmsRouter(cmsAuth)`: a group handed to a function declared in another file.
    elsewhere = handed_calls(text)
    for m in _CALL.finditer(text):
        var, verb = m.group(1), m.group(2)
        while elsewhere and elsewhere[0][0] < m.start():
            mount_handed(out, path, elsewhere.pop(0), scope)
        if var == "http" and verb in _HTTP_CLIENT:
            continue  # `http.Get(masterURL + "/scan?path=" + dir)`: net/http's client sends a request
        while calls and calls[0][0] < m.start():
            at, name, passed = calls.pop(0)
            handed_many.setdefault(
                name,
                [
                    scope(a, at) if a and (a in groups or any(b[2] == a for b in blocks)) else None
                    for a in passed
                ],
            )
        while functions and functions[0][0] < m.start():
            start, params = functions.pop(0)
            for p in _PARAM.finditer(params):
                if p.group(1) in privileged:
                    groups[p.group(1)] = (
                        "",
                        (f"registered on router {p.group(1)} {privileged[p.group(1)]}",),
                    )
                else:
                    groups.pop(p.group(1), None)
            name, param = takes_group.get(start, ("", ""))
            if name in handed:
                groups[param] = handed[name]
            many_name, router_params = takes_groups.get(start, ("", []))
            given = handed_many.get(many_name, [])
            for router_param, group in zip(router_params, given, strict=False):
                if router_param and group is not None:
                    groups[router_param] = group
        # A chi `Route`/`Group` closure spans its whole block, so it is not bounded like a call.
        wide = verb in ("Route", "Group") and len(blocks) < MAX_BLOCKS
        limit = MAX_BLOCK_CHARS if wide else 4000
        args = balanced(text, m.end() - 1, limit)
        end = m.end() + len(args) + 1
        prefix, auth = scope(var, m.start())
        line_start = max(text.rfind("\n", max(0, m.start() - 200), m.start()) + 1, m.start() - 200, 0)
        assigned = _ASSIGN.search(text[line_start : m.start()])
        if verb in _USE:
            # `if user != "" && pass != "" { r.Use(basicAuth) }`: a guard some settings leave off guards nothing
            # a route can count on.
            hits = () if _inside_if(text, m.start()) else tuple(f"{var}.{verb}({n})" for n in _guards(args))
            hits = hits[:MAX_GUARDS]
            if hits:
                key = var
                inner = [b for b in blocks if b[0] <= m.start() < b[1] and b[2] == var]
                if inner:
                    b = max(inner, key=lambda x: x[0])
                    if len(blocks) < MAX_SCOPES:
                        blocks.append((m.start(), b[1], var, b[3], _more(b[4], hits)))
                else:
                    groups[key] = (prefix, _more(auth, hits))
            continue
        if verb in ("Group", "Route", "With", "PathPrefix", "NewRoute"):
            if verb == "With":
                sub: str | None = ""
            elif verb == "PathPrefix":
                sub = literal_or_expression(args, consts)  # gorilla's `router.PathPrefix(adminPathPrefix)`
            else:
                sub = leading_string(args)
            extra = auth
            if verb == "With" or verb == "Group":
                names = args.split(",", 1)[1] if (verb == "Group" and "," in args) else ""
                extra = auth + tuple(f"{var}.{verb}({n})" for n in _guards(args if verb == "With" else names))
            new_prefix = join_paths(prefix, sub or "")
            caller = _HANDED_TO.search(text[max(0, m.start() - 80) : m.start()]) if verb == "Group" else None
            if caller is not None:
                handed.setdefault(caller.group(1), (new_prefix, extra))
            closure = _CLOSURE.match(args) if verb == "Group" and wide else None
            if closure is not None:
                # macaron/Gitea `m.Group("/admin", func() { m.Get(…) }, reqAdmin)`: the closure takes no
                # router, its routes are the receiver's own, and the middleware after it guards them.
                brace = m.end() + closure.end() - 1
                close = brace + len(balanced(text, brace, MAX_BLOCK_CHARS)) + 1
                after = text[close + 1 : end - 1]
                guards = auth + tuple(f"{var}.Group({n})" for n in _guards(after))
                blocks.append((brace, close, var, new_prefix, guards[:MAX_GUARDS]))
                continue
            fn = re.search(r"func\s*\(\s*(\w+)", args)
            if fn is not None and wide:
                if assigned:
                    groups[assigned.group(1)] = (new_prefix, extra)
                brace = text.find("{", m.end() + fn.end())
                blocks.append((brace, end - 1, fn.group(1), new_prefix, extra))
                continue
            chained = _chain(out, text, m.start(), end, var, new_prefix, extra, consts)
            if assigned and chained is not None:
                groups[assigned.group(1)] = chained
            continue
        if verb == "Mount":
            # chi `r.Mount("/debug", middleware.Profiler())`: a handler built in place serves everything under
            # the path; a router variable (`r.Mount("/api", api)`) is a mount chain, read by its own routes.
            sub, _, handler = args.partition(",")
            route = leading_string(sub)
            if route is not None and not handler.strip():
                # go-pkgz/routegroup `b.Mount("/users").Route(func(r *routegroup.Bundle) {…})` and
                # `api := b.Mount("/api")`: a bundle under the path, with the middleware of the one it came from
                routed = _MOUNT_ROUTE.match(text, end)
                if routed is not None and len(blocks) < MAX_BLOCKS:
                    brace = routed.end() - 1
                    close = brace + len(balanced(text, brace, MAX_BLOCK_CHARS)) + 1
                    blocks.append((brace, close, routed.group(1), join_paths(prefix, route), auth))
                elif assigned:
                    groups[assigned.group(1)] = (join_paths(prefix, route), auth)
                continue
            if route is not None and _BUILT_HANDLER.match(handler):
                mounted = f'"{route.rstrip("/")}/*",{handler}'
                before = len(out.routes)
                self_route(out, text, m.start(), "Handle", mounted, prefix, auth, (), consts)
                served_by.setdefault(var, []).extend(range(before, len(out.routes)))
            continue
        if verb == "Path":
            before = len(out.routes)
            group = _path_first(out, text, m.start(), args, end, prefix, auth, consts)
            if assigned and group is not None:
                groups[assigned.group(1)] = group
            served_by.setdefault(var, []).extend(range(before, len(out.routes)))
            continue
        if verb == "Methods":
            before = len(out.routes)
            _methods_first(out, text, m.start(), args, end, prefix, auth, consts)
            served_by.setdefault(var, []).extend(range(before, len(out.routes)))
            continue
        if verb in ("Router", "NSRouter"):
            _beego_router(out, text, m.start(), args, prefix, auth)
            continue
        methods = _methods_chained(text, end) if verb in ("Handle", "HandleFunc", "Handler") else ()
        before = len(out.routes)
        bound = _route_bound(text, end, var, verb) if "Bind" in text else ()
        self_route(
            out, text, m.start(), verb, args, prefix, _more(auth, bound), methods, consts, var in muxes
        )
        served_by.setdefault(var, []).extend(range(before, len(out.routes)))
    for call in elsewhere:
        mount_handed(out, path, call, scope)
    own_routers(out, text)
    _wrapped_routers(out, text, served_by)
    _grpc_servers(out, text)
    _admin_routes(out, text)
    _dispatched(out, text, consts)
    _method_argument_routes(out, text)
    _auth_flag_routes(out, text)
    _method_first(out, text, consts)
    _dev_only(out, text)
    return out


# A registration helper that takes the method first: gotosocial's `attachHandler(http.MethodGet, ReportsPath,
# m.ReportsGETHandler)`, gin's `r.Handle(http.MethodPost, "/x", h)`.
_METHOD_FIRST = re.compile(
    r"\b(\w+)\s*\(\s*http\.Method(Get|Post|Put|Patch|Delete|Head|Options)\s*,\s*(?=[\w\"`])"
)
MAX_METHOD_FIRST = 500
# What sends a request rather than serving one: `http.NewRequest(http.MethodGet, "/x", nil)`, `client.Do(…)`.
_CALLER = re.compile(
    r"request|^do$|call|send|fetch|client|invoke|expect|perform|^(?:new|make|build)?req$", re.IGNORECASE
)


def _method_first(out: FileRoutes, text: str, consts: Mapping[str, str]) -> None:
    known = {(r.method, r.line) for r in out.routes}
    for m in itertools.islice(_METHOD_FIRST.finditer(text), MAX_METHOD_FIRST):
        args = balanced(text, text.index("(", m.start()))
        rest = args.split(",", 1)[1] if "," in args else ""
        # a literal path (`mux.HandlePath(http.MethodGet, "/metrics", …)`, grpc-gateway's ServeMux) or one
        # built from constants
        literal = leading_string(rest)
        route = literal if literal is not None and literal.startswith("/") else path_expression(rest, consts)
        method = m.group(2).upper()
        line = line_of(text, m.start())
        if (
            route is None
            or not route.startswith("/")
            or (method, line) in known
            or _CALLER.search(m.group(1))
        ):
            continue
        guards = tuple(f"{m.group(1)}({n})" for n in _guards(args.split(",", 2)[-1]))[:MAX_GUARDS]
        out.routes.append(RawRoute("http", method, route, line, AUTHENTICATED if guards else UNKNOWN, guards))


# `if config.ApplicationConfig.Mode == "dev" { v1.GET("/metrics", …) }`: registered in development only, so
# dropping the condition serves the route everywhere.
_DEV_IF = re.compile(
    r"\bif\s+[^{\n]{0,160}?(?:==\s*\"(?:dev|development|debug)\"|\b(?:Debug|DevMode|IsDev\w*|IsDebug\w*)\b)"
    r"[^{\n]{0,80}\{"
)
MAX_DEV_BLOCKS = 20


def _dev_only(out: FileRoutes, text: str) -> None:
    if not out.routes or "if " not in text:
        return
    spans: list[tuple[int, int]] = []
    for m in _DEV_IF.finditer(text):
        if len(spans) >= MAX_DEV_BLOCKS:
            break
        block = balanced(text, m.end() - 1)
        spans.append((line_of(text, m.end()), line_of(text, m.end() + len(block))))
    out.debug_only(spans)


# A handler that dispatches by hand: `if r.Method == http.MethodPost && r.URL.Path == apiAccessPath {
# return s.ensureAdmin(s.handleAccessAllow)(w, r, v) }`; the functions wrapping the handler are its guards.
_DISPATCH = re.compile(
    r"\b(\w+)\.Method\s*==\s*(?:http\.Method([A-Z][a-z]+)|\"([A-Z]+)\")\s*&&\s*\1\.URL\.Path\s*==\s*"
    r"(?:\"(/[^\"\\\n]{0,300})\"|([A-Za-z_]\w*))[^{\n]{0,200}\{\s*return\s+([^\n]{0,300})"
)
MAX_DISPATCHED = 256


# A project's own router taking the method as an argument, after an optional API version:
# `m.Add("1.0", "Get", "/debug/pprof/", AuthorizationRequiredHandler(h))`, `r.Route("POST", "/x", h)`.
_METHOD_ARGUMENT = re.compile(
    r'\.\s*([A-Z]\w{0,40})\s*\(\s*(?:"[^"\n]{0,20}"\s*,\s*)?'
    r'"(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Get|Post|Put|Delete|Patch|Head|Options)"\s*,\s*'
    # a configured prefix before the path (`*routePrefix+"/api/v1/admin/wipe"`) is left out
    r'(?:\*?[A-Za-z_][\w.]{0,60}\s*\+\s*)?"(/[^"\\\n]{0,300})"\s*,'
)
MAX_METHOD_ARGUMENT_ROUTES = 2000


# Cortex, Loki and Mimir: `a.RegisterRoute("/ingester/flush", h, false, "GET", "POST")`, the flag saying whether
# the tenant must authenticate; `a.indexPage.AddLink(SectionAdminEndpoints, "/ingester/flush", …)` lists the
# path among the operator's pages.
_AUTH_FLAG_ROUTE = re.compile(
    r"\b\w+\.RegisterRoute\(\s*\"(/[^\"\n]{0,200})\"\s*,[^\n]{1,300}?,\s*(true|false)\s*((?:,\s*\"[A-Z]{3,7}\"\s*)*)\)"
)
_ADMIN_LINK = re.compile(r"\bAddLink\(\s*(Section\w*(?:Admin|Dangerous)\w*)\s*,\s*\"(/[^\"?\n]{0,200})")
MAX_AUTH_FLAG_ROUTES = 500


def _auth_flag_routes(out: FileRoutes, text: str) -> None:
    if "RegisterRoute(" not in text:
        return
    listed = {
        m.group(2): m.group(1) for m in itertools.islice(_ADMIN_LINK.finditer(text), MAX_AUTH_FLAG_ROUTES)
    }
    known = {r.line for r in out.routes}
    for m in itertools.islice(_AUTH_FLAG_ROUTE.finditer(text), MAX_AUTH_FLAG_ROUTES):
        line = line_of(text, m.start())
        if line in known:
            continue
        authed = m.group(2) == "true"
        reasons: tuple[str, ...] = ("RegisterRoute auth=true",) if authed else ()
        if m.group(1) in listed:
            reasons += (f"{ADMIN_HANDLER}listed under {listed[m.group(1)]} on the index page",)
        methods = re.findall(r"\"([A-Z]{3,7})\"", m.group(3)) or ["ANY"]
        handler = _served_name(m.group(0)[m.group(0).index(",") + 1 :])
        for method in methods:
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    normalize_path(m.group(1)),
                    line,
                    AUTHENTICATED if authed else UNAUTHENTICATED,
                    reasons,
                    handler=handler,
                )
            )


def _served_name(args: str) -> str:
    """The handler key of the first argument: the function a call builds it with (`indexHandler("",
    a.indexPage)` → `rpc:indexHandler`), else the last name it selects (`a.flushHandler` → `rpc:flushHandler`)."""
    first = split_args(args)[0] if args.strip() else ""
    call = re.match(r"\s*([\w.]+)\s*\(", first)
    names = [call.group(1)] if call else re.findall(r"[A-Za-z_]\w*", first)
    return f"rpc:{names[-1].rsplit('.', 1)[-1]}" if names else ""


def _method_argument_routes(out: FileRoutes, text: str) -> None:
    """Not a request a client sends (`http.NewRequest("GET", "/x", nil)`), nor a route read already with its
    group (`admin.Handle("GET", "/users", h)`)."""
    known = {r.line for r in out.routes}
    # (gin's `group.Handle("GET", …)` is its group's: left to the group reader; httprouter's `Handler` is read,
    # and its `Handle` in a file that routes with httprouter.)
    skipped = ("HandleFunc",) if "/httprouter" in text else ("Handle", "HandleFunc")
    for m in itertools.islice(_METHOD_ARGUMENT.finditer(text), MAX_METHOD_ARGUMENT_ROUTES):
        line = line_of(text, m.start())
        if _CALLER.search(m.group(1)) or line in known or m.group(1) in skipped:
            continue
        open_at = text.find("(", m.start())
        parts = split_args(balanced(text, open_at))
        handler = parts[-1] if parts else ""
        guards = _wrapped_in(handler)
        state = AUTHENTICATED if guards else UNAUTHENTICATED
        out.routes.append(
            RawRoute(
                "http",
                m.group(2).upper(),
                normalize_path(m.group(3)),
                line,
                state,
                guards,
            )
        )


def _dispatched(out: FileRoutes, text: str, consts: Mapping[str, str]) -> None:
    for m in itertools.islice(_DISPATCH.finditer(text), MAX_DISPATCHED):
        route = m.group(4) or consts.get(m.group(5) or "")
        if not route or not route.startswith("/"):
            continue
        method = (m.group(2) or m.group(3)).upper()
        calls = re.findall(r"([A-Za-z_][\w.]*)\s*\(", m.group(6))
        wrapped = re.findall(r"([A-Za-z_][\w.]*)\s*\)", m.group(6))
        auth = tuple(f"wrapped in {n}" for n in calls if AUTH_WORDS.search(n) and not _OPTIONAL.search(n))
        state = AUTHENTICATED if auth else UNKNOWN
        served = (wrapped or calls or [""])[0].rsplit(".", 1)[-1]
        handler = f"rpc:{served}" if served else ""
        out.routes.append(
            RawRoute("http", method, route, line_of(text, m.start()), state, auth, handler=handler)
        )


# Caddy's admin API: a module's `Routes() []caddy.AdminRoute{{Pattern: "/x", Handler: …}}` serves `/x` on the
# admin endpoint, which operates the server: internal wherever it listens.
_ADMIN_ROUTE = re.compile(r"\bAdminRoute\s*\{")
_PATTERN = re.compile(r'\bPattern\s*:\s*"(/[^"\\\n]{0,300})"')
MAX_ADMIN_ROUTES = 64


def _admin_routes(out: FileRoutes, text: str) -> None:
    for m in itertools.islice(_ADMIN_ROUTE.finditer(text), MAX_ADMIN_ROUTES):
        body = balanced(text, m.end() - 1, 4000)
        for p in _PATTERN.finditer(body):
            at = m.end() + p.start()
            reason = OPS_DASHBOARD + "Caddy admin API route"
            out.routes.append(RawRoute("http", "ANY", p.group(1), line_of(text, at), UNKNOWN, (reason,)))


# `operatorservice.RegisterOperatorServiceServer(s, h)`: the server now serves every RPC of that service.
_GRPC_REGISTER = re.compile(r"\b(?:(\w+)\.)?Register(\w{1,80}?)Server\s*\(")
MAX_GRPC_SERVERS = 64


# yarpc: `dispatcher.Register(adminv1.BuildAdminAPIYARPCProcedures(g))` serves the service's procedures, each a
# method of the handler registered (`func (g adminGRPCHandler) CloseShard(ctx, …)`).
_YARPC_BUILD = re.compile(r"\b(\w+)\.Build(\w{1,80}?)YARPCProcedures\s*\(\s*(\w+)\s*\)")
_RECEIVER = re.compile(r"^func\s*\(\s*(\w+)\s+\*?(\w+)\s*\)", re.M)
_IMPORT_ALIAS = re.compile(r"^\s*(\w+)\s+\"([^\"\n]{1,300})\"", re.M)
MAX_PROCEDURES = 400
_STUB_REACH = 600
_UNIMPLEMENTED = re.compile(r"panic\(\s*\"not implemented|return [^\n]{0,80}(?:Unimplemented|NotImplemented)")


def _yarpc_procedures(out: FileRoutes, text: str) -> None:
    if "YARPCProcedures" not in text:
        return
    imports: dict[str, str] = dict(_IMPORT_ALIAS.findall(text))
    for m in list(_YARPC_BUILD.finditer(text))[:MAX_GRPC_SERVERS]:
        imported = imports.get(m.group(1), m.group(1))
        package = ".".join(imported.strip("/").split("/")[-3:]).lstrip(".")
        service = f"{package}.{m.group(2)}"
        reason = f"service {m.group(2)} registered on a yarpc dispatcher"
        line = line_of(text, m.start())
        # The handler is the receiver of the method registering it: its exported methods are the procedures.
        receiver = [r for r in _RECEIVER.finditer(text, 0, m.start())][-1:]
        handler_type = receiver[0].group(2) if receiver and receiver[0].group(1) == m.group(3) else ""
        pattern = r"^func\s*\(\s*\w+\s+\*?" + re.escape(handler_type) + r"\s*\)\s*([A-Z]\w*)\s*\(\s*ctx\b"
        defined = list(re.finditer(pattern, text, re.M))[:MAX_PROCEDURES] if handler_type else []
        # A stub (`panic("not implemented")`, an Unimplemented error) serves nothing yet.
        methods = [
            d.group(1)
            for d in defined
            if not _UNIMPLEMENTED.search(text[d.end() : d.end() + _STUB_REACH].split("\n}", 1)[0])
        ]
        for name in methods or ["*"]:
            out.routes.append(RawRoute("grpc", "RPC", f"{service}/{name}", line, UNKNOWN, (reason,)))


# `pbadmin "github.com/x/chat/pkg/protocol/admin"` in an import block.
_IMPORT_ALIAS = re.compile(r'^[ \t]*(?:import[ \t]+)?([A-Za-z_]\w*)[ \t]+"([\w./-]{1,300})"', re.M)


def _grpc_servers(out: FileRoutes, text: str) -> None:
    _yarpc_procedures(out, text)
    if "Server(" not in text:
        return
    aliases = {a.group(1): a.group(2).rsplit("/", 1)[-1] for a in _IMPORT_ALIAS.finditer(text)}
    for i, m in enumerate(_GRPC_REGISTER.finditer(text)):
        if i >= MAX_GRPC_SERVERS:
            break
        # Named by the package imported, not by the file's alias for it (`pbadmin` → `adminpb`: one package).
        package = aliases.get(m.group(1), m.group(1)) if m.group(1) else ""
        service = f"{package}.{m.group(2)}" if package else m.group(2)
        reason = f"service {m.group(2)} registered on a gRPC server"
        out.routes.append(
            RawRoute("grpc", "RPC", f"{service}/*", line_of(text, m.start()), UNKNOWN, (reason,))
        )


_WRAPPING = re.compile(r"(?:[\w.]{1,80}\(\s*){1,8}$")


def _wrapped_routers(out: FileRoutes, text: str, served_by: dict[str, list[int]]) -> None:
    """A router handed to authentication middleware as a whole (`return auth(basicAuth(mux))`,
    `http.ListenAndServe(addr, requireLogin(mux))`): every route on it requires that middleware."""
    for var, indexes in served_by.items():
        if not indexes:
            continue
        names: list[str] = []
        for m in re.finditer(r"\(\s*" + re.escape(var) + r"\s*\)", text):
            # The calls wrapped around it, read back over a bounded window.
            chain = _WRAPPING.search(text, max(0, m.start() - 300), m.start() + 1)
            # `groups.AdminGroup(e)` as a statement of its own hands the router to a helper that registers
            # routes on it; only a call whose result is served (`return auth(mux)`, `h := auth(mux)`) wraps it
            if chain and not text[text.rfind("\n", 0, chain.start()) + 1 : chain.start()].strip():
                continue
            names += [n for n in re.findall(r"([\w.]+)\(", chain.group(0)) if n not in names] if chain else []
        guards = tuple(f"wrapped in {n}" for n in names if AUTH_WORDS.search(n) and not _OPTIONAL.search(n))
        if not guards:
            continue
        for i in indexes:
            r = out.routes[i]
            out.routes[i] = RawRoute(
                r.kind, r.method, r.path, r.line, AUTHENTICATED, r.reasons + guards, r.owner, r.handler
            )


# `var (…)` too: a package-level path held in a variable is set once, like a constant.
_CONST_BLOCK = re.compile(r"^[ \t]*(?:const|var)\s*\(", re.M)
_CONST_SINGLE = re.compile(r"^[ \t]*(?:const|var)\s+(\w+)\s*(?:string\s*)?=\s*([^\n]{1,400})", re.M)
_CONST_LINE = re.compile(r"^\s*(\w+)\s*(?:string\s*)?=\s*([^\n]{1,400})$", re.M)
_CONST_TERM = re.compile(r'\s*(?:"([^"\\\n]{0,300})"|`([^`]{0,300})`|(\w+))\s*(\+|$)')
MAX_CONSTANTS = 500


def _constants(text: str) -> dict[str, str]:
    """String constants of this file (`RouteSession = RouteCollection + "/:id"`), for routes that name
    their path by a constant; a value built from anything else is left out."""
    found: dict[str, str] = {}
    lines = [m.groups() for m in _CONST_SINGLE.finditer(text)]
    for block in _CONST_BLOCK.finditer(text):
        lines += [m.groups() for m in _CONST_LINE.finditer(balanced(text, block.end() - 1, 40_000))]
    for name, value in lines[:MAX_CONSTANTS]:
        parts: list[str] = []
        pos = 0
        value = value.split("//", 1)[0].strip()
        while pos < len(value):
            t = _CONST_TERM.match(value, pos)
            if t is None or t.end() == pos:
                parts = []
                break
            literal = t.group(1) if t.group(1) is not None else t.group(2)
            if literal is None and t.group(3) not in found:
                if not _names_a_path(t.group(3)) or t.group(4) != "+":
                    parts = []
                    break
                # `adminPathPrefix = minioReservedBucketPath + "/admin"`: a path of another file, by its name
                literal = "{" + t.group(3) + "}" if parts else "/{" + t.group(3) + "}"
            parts.append(literal if literal is not None else found[t.group(3)])
            pos = t.end()
        if parts:
            found[name] = "".join(parts)
    return found


_GROUP_FUNC = re.compile(
    r"^func\s+(\w+)\s*\(\s*(\w+)\s+\*?[\w.]*(?:RouterGroup|Router|Group|IRoutes|IRouter)\s*\)", re.M
)
MAX_GROUP_FUNCTIONS = 50
MAX_GROUP_FUNCTION_CALLS = 200


def _group_functions(text: str) -> dict[int, tuple[str, list[str]]]:
    """Plain functions taking a router among their parameters: start -> (name, the parameter names in
    order, "" for one that is no router)."""
    found: dict[int, tuple[str, list[str]]] = {}
    for f in itertools.islice(FUNC.finditer(text), 2000):
        names = router_params(f.group(3))
        if f.group(1) is None and any(names) and len(found) < MAX_GROUP_FUNCTIONS:
            found[f.start()] = (f.group(2), names)
    return found


def _group_function_calls(text: str, names: set[str]) -> list[tuple[int, str, list[str]]]:
    """(offset, function, the plain identifiers passed) of each call of `names` in this file."""
    if not names:
        return []
    pattern = re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in sorted(names)) + r")\s*\(")
    calls: list[tuple[int, str, list[str]]] = []
    for c in itertools.islice(pattern.finditer(text), MAX_GROUP_FUNCTION_CALLS):
        if on_func_line(text, c.start()):
            continue  # the definition
        args = split_args(balanced(text, c.end() - 1))
        calls.append(
            (c.start(), c.group(1), [a.strip() if re.fullmatch(r"\w+", a.strip()) else "" for a in args])
        )
    return calls


_HANDED_TO = re.compile(r"(?<![\w.])(\w+)\(\s*$")
_FUNC_PARAMS = re.compile(r"\bfunc\s*(?:\([^()]{0,200}\)\s*)?\w*\s*\(([^()]{0,400})\)")
_PARAM = re.compile(r"(\w+)\s+\*?((?:\w+\.)?\w+)")


def _privileged_router_params(text: str) -> list[tuple[str, str]]:
    """`func (h *Handler) RegisterRoutes(admin *x.RouterAdmin)`: a router whose type names a privileged
    role serves only that role's callers (an admin port or an admin-only router)."""
    found: list[tuple[str, str]] = []
    for f in _FUNC_PARAMS.finditer(text):
        for p in _PARAM.finditer(f.group(1)):
            typ = p.group(2)
            routerish = "Router" in typ or "Mux" in typ or "Group" in typ
            if routerish and privileged_role(typ.rsplit(".", 1)[-1]):
                found.append((p.group(1), typ))
    return found


def _more(auth: tuple[str, ...], hits: tuple[str, ...]) -> tuple[str, ...]:
    """`auth` with the new guards in `hits` added, bounded."""
    return (auth + tuple(h for h in hits if h not in auth))[:MAX_GUARDS]


def _guards(args: str) -> list[str]:
    """Middleware names in a call's arguments that require a caller to authenticate (an optional
    authentication middleware lets anonymous callers through, so it is no guard)."""
    # `NewAuthenticateMiddleware(svc).WithOptionalFor("/").Handler`: made optional further along the chain.
    if _OPTIONAL.search(args):
        return []
    # Strings name no middleware: a CORS handler's `"Authorization, X-CSRF-Token"` header list guards nothing.
    # Nor do header-name constants: `AllowHeaders: []string{echo.HeaderAuthorization}` configures CORS.
    names = re.findall(r"[\w.]+", _GO_STRING.sub('""', args))
    return [n for n in names if AUTH_WORDS.search(n) and not n.rsplit(".", 1)[-1].startswith("Header")]


_GO_STRING = re.compile(r'"(?:[^"\\\n]|\\.){0,2000}"|`[^`]{0,4000}`')


# `middlewareauthn.Attempt(authenticator)`: tries the credentials, lets anonymous callers through
_OPTIONAL = re.compile(r"optional|anonymous|allow_?any|(?:^|\W)attempt(?:auth\w*)?\s*\(", re.IGNORECASE)


def _calls_after(text: str, end: int) -> list[tuple[str, str, int]]:
    """The calls chained right after the call ending at `end`: `.Use(m).POST("", h)` (bounded)."""
    return chained_calls(text, end, MAX_CHAIN)


def _route_bound(text: str, end: int, var: str, verb: str) -> tuple[str, ...]:
    """PocketBase: `api.GET("/config-yaml", h).BindFunc(requireAdminRole)`, the route's own middleware."""
    return tuple(
        f"{var}.{verb}(…).{name}({n})"
        for name, args, _ in _calls_after(text, end)
        if name in ("Bind", "BindFunc")
        for n in _guards(args)
    )[:MAX_GUARDS]


def _methods_chained(text: str, end: int) -> tuple[str, ...]:
    """gorilla/mux: `r.HandleFunc("/x", h).Methods("GET", "POST")`."""
    for name, args, _ in _calls_after(text, end):
        if name == "Methods":
            return tuple(_method_names(args))
    return ()


def _method_names(args: str) -> list[str]:
    """`Methods("GET", "POST")` or with net/http's constants, `Methods(http.MethodGet)`."""
    named = re.findall(r"\bhttp\.Method([A-Z][a-z]+)\b", args)
    return [s.upper() for s in [*strings(args), *named] if s.isalpha()]


def _chain(
    out: FileRoutes,
    text: str,
    at: int,
    end: int,
    var: str,
    prefix: str,
    auth: tuple[str, ...],
    consts: Mapping[str, str],
) -> tuple[str, tuple[str, ...]] | None:
    """Follow a group's chained calls (`g.Group("/u").Use(m).POST("", h)`, `r.With(m).Get(...)`,
    `r.PathPrefix("/a").Subrouter()`): the group's (prefix, auth), or None when a route ends the chain."""
    for name, args, _ in _calls_after(text, end):
        if name in _USE or name == "With":
            auth = auth + tuple(f"{var}.{name}({n})" for n in _guards(args))
        elif name == "Group":
            parts = args.split(",", 1)
            prefix = join_paths(prefix, leading_string(args) or "")
            auth = auth + tuple(f"{var}.Group({n})" for n in _guards(parts[1] if len(parts) > 1 else ""))
        elif re.fullmatch(_VERBS, name):
            self_route(out, text, at, name, args, prefix, auth, (), consts)
            return None
        elif name != "Subrouter":
            break
    return prefix, auth


_JOINED_NAME = re.compile(r"\s*\+\s*([A-Za-z_]\w*)\s*(?:,|$)")
# `for p, h := range map[string]http.HandlerFunc{` / `for _, p := range []string{`: a loop over a literal
_RANGES_OVER_LITERAL = re.compile(
    r"\bfor\s+(?:([A-Za-z_]\w*)\s*,\s*[A-Za-z_]\w*|_\s*,\s*([A-Za-z_]\w*))\s*:=\s*range\s+"
    r"(?:map\[[^\]\n]{1,40}\][\w.*]{1,60}|\[\][\w.*]{1,60})\s*\{"
)
MAX_RANGE_REACH = 600


def self_route(
    out: FileRoutes,
    text: str,
    at: int,
    verb: str,
    args: str,
    prefix: str,
    auth: tuple[str, ...],
    methods: tuple[str, ...] = (),
    consts: Mapping[str, str] | None = None,
    serve_mux: bool = False,
) -> None:
    """One route of a call. `serve_mux`: the receiver is a net/http ServeMux, whose pattern ending in `/`
    serves the whole subtree below it (`/admin/jobs/` answers `/admin/jobs/api/x`): such a route stands as
    `/admin/jobs/**`."""
    route = leading_string(args)
    if route is not None and args.lstrip()[len(route) + 2 :].lstrip().startswith("+"):
        # `for p, h := range map[string]http.HandlerFunc{"/": pprof.Index, …} { r.HandleFunc("/debug/pprof"+p, h) }`:
        # every path the loop's literal lists, under the prefix
        joined = _JOINED_NAME.match(args.lstrip()[len(route) + 2 :])
        ranged = joined is not None and _RANGES_OVER_LITERAL.search(text, max(0, at - MAX_RANGE_REACH), at)
        looped = (ranged.group(1) or ranged.group(2)) if ranged else None
        if not (joined and looped == joined.group(1) and route.strip("/")):
            return  # `"/" + name`: a path built at run time (a helper's body), read at its call sites
        route = route.rstrip("/") + "/**"
    if route is None:
        route = path_expression(args, consts or {})
    if route is None:
        return
    # gin and echo (upper-case verbs) join relative paths onto their group: `grp.GET("", h)`, `g.GET("x", h)`;
    # macaron's `m.Get("", h)` inside `m.Group("/admin", func() {…})` serves the group's own path.
    relative = (
        verb.isupper()
        and (bool(prefix) or route != "")
        and "://" not in route
        and re.fullmatch(r"[\w:*{}./-]*", route)
    ) or (route == "" and bool(prefix))
    if not route.startswith("/") and " /" not in route and not relative:
        return
    debugging: tuple[str, ...] = ()
    # Top-level arguments only: an inline handler's own commas split nothing.
    parts = split_args(args)
    # A router of the project's own may take flags after the handler: `r.HandleFunc("/x", h, false)`.
    while len(parts) > 2 and _LITERAL_ARG.fullmatch(parts[-1].strip()):
        parts = parts[:-1]
    # `mux.HandleFunc(path, func(w, r) { http.Redirect(w, r, path+"/", http.StatusFound) })`: the route only
    # sends its caller to another one, declared on its own
    literal = _FUNC_LITERAL.match(parts[-1]) if len(parts) > 1 else None
    if literal is not None and _ONLY_REDIRECT.fullmatch(parts[-1][literal.end() :]):
        return
    if verb in ("Handle", "HandleFunc", "Handler"):
        method, _, rest = route.partition(" ")
        if rest.startswith("/") and method.isupper():
            route = rest
            serve_mux = True  # a Go 1.22 pattern (`GET /x/`): only a ServeMux reads a method in its path
        else:
            method = "ANY"
        if serve_mux and route.endswith("/") and not prefix and route.strip("/") and "://" not in route:
            route += "**"
        auth = auth + _handler_guards(parts[1:], "wrapped in")
    else:
        method = "ANY" if verb == "Any" else verb.upper()
        handlers = parts[1:]
        auth = auth + _handler_guards(handlers, "middleware")
        # `router.POST("/server/stop", func(c *gin.Context) { s := Auth(c, acl.ResourceConfig, …) … })`
        inline = _FUNC_LITERAL.match(handlers[-1]) if handlers else None
        body = handlers[-1][inline.end() :] if inline else ""
        checked = inline_privilege_check(body) if inline else None
        auth = auth + ((checked,) if checked else ())
        debugging = (DEBUG_MODE,) if inline and debug_only(body) else ()
    state = AUTHENTICATED if auth else UNAUTHENTICATED
    auth = auth + debugging
    # swaggo's handlers (`ginSwagger.WrapHandler(swaggerFiles.Handler)`, `httpSwagger.WrapHandler`,
    # `echoSwagger.WrapHandler`, gofiber's `swagger.HandlerDefault`) serve Swagger UI and the API's whole
    # description; registered outside any `if`, in every build.
    if len(parts) > 1 and _SWAGGO.search(parts[-1]) and not _inside_if(text, at):
        auth = auth + (OPS_DASHBOARD + "Swagger UI (swaggo)",)
    full = join_paths(prefix, route.removesuffix("{$}"))
    # The function serving the route (`h.GetAbout`, `handleAbout`): a check it makes inline is its guard.
    last = parts[-1] if "," in args else ""
    served = [] if _FUNC_LITERAL.match(last) else re.findall(r"[A-Za-z_]\w*", last)
    handler = f"rpc:{served[-1]}" if served else ""
    # `r.GET("/users/page", a.adminUserController.GetUserPage)`: an action of the admin panel's controller
    selector = served[:-1] if re.fullmatch(r"\s*[\w.]+\s*", last) else []
    receiver = next((name for name in selector if ADMIN_WORDS.intersection(words(name))), None)
    if receiver is not None:
        auth = auth + (ADMIN_HANDLER + receiver,)
    for each in methods if method == "ANY" and methods else (method,):
        out.routes.append(RawRoute("http", each, full, line_of(text, at), state, auth, handler=handler))


_SWAGGO = re.compile(
    r"\b(?:gin|echo|http|fiber)Swagger\s*\.\s*(?:WrapHandler|EchoWrapHandler|Handler|HandlerDefault)\b"
    r"|\bswagger\s*\.\s*(?:HandlerDefault|(?:Custom)?WrapHandler)\b"
)


# `mux := http.NewServeMux()`, `var mux = http.NewServeMux()`, `s.mux = http.NewServeMux()`.
_NEW_SERVE_MUX = re.compile(
    r"(?:\b(\w+)\s*:?=\s*|\bvar\s+(\w+)\s*=\s*)(?:&\s*)?http\.(?:NewServeMux\(\)|ServeMux\{)"
)


def _serve_muxes(text: str) -> frozenset[str]:
    """The receivers whose routes a net/http ServeMux serves: `http.HandleFunc` itself (the default mux) and
    the variables a `http.NewServeMux()` is assigned to in this file."""
    found = {m.group(1) or m.group(2) for m in _NEW_SERVE_MUX.finditer(text)} if "ServeMux" in text else set()
    return frozenset({"http", *found})


_FUNC_LITERAL = re.compile(r"\s*func\s*\([^)]{0,200}\)[^{]{0,80}\{")
_MOUNT_ROUTE = re.compile(r"\s*\.\s*Route\s*\(\s*func\s*\(\s*(\w+)[^)]{0,120}\)\s*\{")
_ONLY_REDIRECT = re.compile(
    r"\s*(?:return\s+)?(?:http|c|ctx)\.Redirect\s*\([^(){}]{0,300}(?:\([^(){}]{0,100}\)[^(){}]{0,200}){0,3}\)\s*;?\s*\}\s*"
)
_LITERAL_ARG = re.compile(r'true|false|nil|-?\d+|"[^"\\\n]{0,200}"')


def _handler_guards(handlers: list[str], label: str) -> tuple[str, ...]:
    """Guards among a route's handler arguments: each middleware before the last that requires a caller
    (`label` names it in the reason), then those wrapping the last, `auth.GET("/x", adminHandler(h))`."""
    middleware = tuple(
        f"{label} {h.strip()}" for h in handlers[:-1] if AUTH_WORDS.search(h) and not _OPTIONAL.search(h)
    )
    return middleware + (_wrapped_in(handlers[-1]) if handlers else ())


def _wrapped_in(handler: str) -> tuple[str, ...]:
    """Guards wrapping a handler expression: `requireAdmin(listUsers)` is guarded by `requireAdmin`."""
    literal = re.search(r"\bfunc\s*\(", handler)
    if literal is not None:
        # `requireAdmin(func(w, r) {…})`: the calls around the literal wrap it; its body wraps nothing.
        names = re.findall(r"[\w.]+", handler[: literal.start()])
    else:
        names = re.findall(r"[\w.]+", handler)[:-1]
    return tuple(f"wrapped in {n}" for n in names if AUTH_WORDS.search(n))


# A path written as an expression: `apiPath`, `webAdminPath+"/{username}/2fa/disable"`, `rolesPath+jsonSuffix`.
_PATH_EXPR = re.compile(r'\s*([A-Za-z_]\w*)((?:\s*\+\s*(?:"[^"\\\n]{0,300}"|[A-Za-z_]\w*)){0,8})\s*(?:,|$)')
_PATH_TERM = re.compile(r'"([^"\\\n]{0,300})"|([A-Za-z_]\w*)')


# `adminVersion + "/service"`: an API version is a path element too.
_VERSION_NAME = re.compile(r"(?i)\w*version\w*")


def _names_a_path(name: str) -> bool:
    return PATH_SETTING.fullmatch(name) is not None or _VERSION_NAME.fullmatch(name) is not None


def literal_or_expression(args: str, consts: Mapping[str, str]) -> str | None:
    """The path a call's first argument gives: a string literal as written, else one built from names."""
    literal = leading_string(args)
    return literal if literal is not None else path_expression(args, consts)


def path_expression(args: str, consts: Mapping[str, str]) -> str | None:
    """The path of a route given by constants and string literals joined with `+`. A name whose value is
    set elsewhere (at run time, in another file) stands as `{name}` when it names a path (`webAdminPath`), so
    the route keeps one stable name across commits; any other name is a value built at run time (None)."""
    wrapped = _PATH_WRAPPER.match(args)
    if wrapped is not None:
        # nats' `mux.HandleFunc(s.basePath(RaftzPath), …)`: the constant under the server's base path
        args = wrapped.group(1) + args[wrapped.end() :]
    m = _PATH_EXPR.match(args)
    if m is None:
        return _sprintf_path(args, consts)
    first = m.group(1)
    if first in consts:
        head = consts[first]
    elif _names_a_path(first) and (m.group(2) or first[:1].isupper()):
        head = "/{" + first + "}"  # `GetNamespaceURL`, a constant of another file
    else:
        return None
    tail = []
    for literal, name in _PATH_TERM.findall(m.group(2)):
        tail.append(literal if name == "" else consts.get(name, "{" + name + "}"))
    joined = head + "".join(tail)
    # `webPath + "api"`: a name standing for a path ends where the literal after it begins
    return re.sub(r"\}(?=\w)", "}/", joined)


_PATH_WRAPPER = re.compile(
    r"\s*(?:\w+\.)?(?:base|with|full|prefixed|join)_?path\s*\(\s*([A-Za-z_]\w{0,80})\s*\)", re.I
)
_SPRINTF = re.compile(r'\s*fmt\.Sprintf\s*\(\s*"([^"\\\n]{0,200})"\s*,')
_VERB = re.compile(r"%[sv]")
_SELECTOR = re.compile(r"[A-Za-z_][\w.]{0,200}")


def _sprintf_path(args: str, consts: Mapping[str, str]) -> str | None:
    """`fmt.Sprintf("%s%s", a.rootPath, "debug")`: each `%s` filled by a literal, a constant, or `{name}` for a
    path named by a variable (`{rootPath}/debug`); any other verb or value is built at run time (None)."""
    m = _SPRINTF.match(args)
    if m is None:
        return None
    form = m.group(1)
    values = split_args(balanced(args, args.index("(", m.start())))[1:]
    if len(_VERB.findall(form)) != len(values) or len(form.replace("%%", "").split("%")) != len(values) + 1:
        return None
    pieces: list[str] = []
    for literal, value in zip(_VERB.split(form), [*values, ""], strict=True):
        pieces.append(literal)
        value = value.strip()
        text = leading_string(value)
        if text is not None and value == f'"{text}"':
            pieces.append(text)
        elif not value:
            continue
        elif _SELECTOR.fullmatch(value) and PATH_SETTING.fullmatch(name := value.rsplit(".", 1)[-1]):
            # `"/{%s}", request.PathParamUserUID`: the name of a path parameter, inside its own braces
            pieces.append(
                consts.get(value, name) if literal.endswith("{") else consts.get(value, "{" + name + "}/")
            )
        else:
            return None
    path = "".join(pieces).replace("//", "/")
    return path if path.startswith("/") else "/" + path


def _path_first(
    out: FileRoutes,
    text: str,
    at: int,
    args: str,
    end: int,
    prefix: str,
    auth: tuple[str, ...],
    consts: Mapping[str, str],
) -> tuple[str, tuple[str, ...]] | None:
    """gorilla/mux written path first: `r.Path("/x").HandlerFunc(h).Methods("GET")` (methods before or after
    the handler) is a route; `r.Path("/x").Subrouter()` is a group, its (prefix, auth) returned."""
    route = literal_or_expression(args, consts)
    if route is None or not route.startswith("/"):
        return None
    methods: list[str] = []
    handler: str | None = None
    for name, call_args, _ in _calls_after(text, end):
        if name == "Methods":
            methods += _method_names(call_args)
        elif name in ("Handler", "HandlerFunc") and handler is None:
            handler = call_args
        elif name == "Subrouter":
            return join_paths(prefix, route), auth
        elif name not in ("Queries", "Headers", "Schemes", "Host", "Name"):
            break
    if handler is None:
        return None
    names = re.findall(r"[\w.]+", handler)
    auth = auth + _wrapped_in(handler)
    state = AUTHENTICATED if auth else UNAUTHENTICATED
    served = f"rpc:{names[-1].rsplit('.', 1)[-1]}" if names else ""
    for method in methods or ["ANY"]:
        out.routes.append(
            RawRoute(
                "http", method, join_paths(prefix, route), line_of(text, at), state, auth, handler=served
            )
        )
    return None


def _methods_first(
    out: FileRoutes,
    text: str,
    at: int,
    args: str,
    end: int,
    prefix: str,
    auth: tuple[str, ...],
    consts: Mapping[str, str],
) -> None:
    """gorilla/mux written methods first: `r.Methods(http.MethodGet).Path("/x").HandlerFunc(h)`, or with no
    `Path` the router's own prefix (`sub.Methods("GET").HandlerFunc(h)` on a `PathPrefix` subrouter)."""
    methods = _method_names(args)
    route = ""
    for name, call_args, _ in _calls_after(text, end):
        if name in ("Path", "PathPrefix"):
            route = literal_or_expression(call_args, consts) or ""
        elif name in ("Handler", "HandlerFunc"):
            served = re.findall(r"[A-Za-z_]\w*", call_args)
            handler = f"rpc:{served[-1]}" if served else ""
            state = AUTHENTICATED if auth else UNAUTHENTICATED
            for method in methods or ["ANY"]:
                out.routes.append(
                    RawRoute(
                        "http",
                        method,
                        join_paths(prefix, route),
                        line_of(text, at),
                        state,
                        auth,
                        handler=handler,
                    )
                )
            return
        elif name not in ("Queries", "Headers", "Schemes", "Host", "Name"):
            return


def _beego_router(out: FileRoutes, text: str, at: int, args: str, prefix: str, auth: tuple[str, ...]) -> None:
    route = leading_string(args)
    if route is None or not route.startswith("/"):
        return
    mapping = strings(args)[1:2]
    pairs = _BEEGO_MAPPING.findall(mapping[0]) if mapping else []
    full = join_paths(prefix, route)
    state = AUTHENTICATED if auth else UNAUTHENTICATED
    for verbs, func in pairs or [("*", "")]:
        for verb in verbs.split(","):
            method = "ANY" if verb == "*" else verb.upper()
            handler = f"rpc:{func}" if func else ""
            out.routes.append(RawRoute("http", method, full, line_of(text, at), state, auth, handler=handler))
