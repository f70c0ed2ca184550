"""JS/TS: Express, Koa router, Fastify (method calls), NestJS (decorators), Next.js route handlers (file path)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

from .inline_guards import MAX_PREAMBLE_CHARS, inline_privilege_check
from .model import (
    AUTHENTICATED,
    MAX_FILE_CHARS,
    OPS_DASHBOARD,
    OPTS_OUT,
    UNAUTHENTICATED,
    UNKNOWN,
    join_paths,
    line_of,
    normalize_path,
    overriding,
)
from .roles import privileged_role
from .routes import FileRoutes, Mount, RawRoute, imported_module, module_path
from .scan import AUTH_WORDS, balanced, leading_string, path_constants, split_args, strings

# Both patterns start at a literal and look back for the variable: a pattern that starts with `\b(\w+)`
# is tried at every word of the file, three times slower on real TypeScript.
_CALL = re.compile(r"\.\s*(get|post|put|delete|patch|head|options|all|use|route|register|prefix)\s*\(")
_ROUTER = re.compile(r"(?:Router|KoaRouter|express|Koa|Hono|fastify)\s*\(")
_CALL_VAR = re.compile(r"(\w+)\s*$")
_ROUTER_VAR = re.compile(
    r"(\w+)\s*(?::\s*[\w.<>]{1,80}\s*)?=\s*(?:new\s+)?(?:express\.)?$"
)  # `router: Router =`
_LOOK_BACK = 200


class _Call(NamedTuple):
    var: str
    verb: str
    start: int
    end: int


def _calls(text: str) -> Iterator[_Call]:
    """`var.verb(`: each call of a routing method on a named object (`end` is just past the paren)."""
    for m in _CALL.finditer(text):
        b = _CALL_VAR.search(text, max(0, m.start() - _LOOK_BACK), m.start())
        if b is not None and (b.start() == 0 or not _is_word(text[b.start() - 1])):
            yield _Call(b.group(1), m.group(1), b.start(), m.end())


def _routers(text: str) -> Iterator[tuple[str, int]]:
    """`var = [new] Router(`: each router a file creates, with the index of its opening paren."""
    for m in _ROUTER.finditer(text):
        if m.start() > 0 and _is_word(text[m.start() - 1]):
            continue
        b = _ROUTER_VAR.search(text, max(0, m.start() - _LOOK_BACK), m.start())
        if b is not None and (b.start() == 0 or not _is_word(text[b.start() - 1])):
            yield b.group(1), m.end() - 1


# HTTP clients: what they call is another server's route. By name, by the module it comes from, or
# made by a client library (`const API = axios.create({…})`).
# Request senders: Angular's injected `this.http`, Node's `http.get(url)`, axios and the like.
_CLIENT_NAMES = frozenset(
    {"axios", "$http", "http", "https", "ky", "got", "superagent", "httpClient", "apiClient", "client"}
)
_CLIENT_MODULES = frozenset(
    {"axios", "ky", "got", "superagent", "supertest", "node-fetch", "ofetch", "client", "http-client",
     "httpClient", "api-client", "apiClient", "fetcher", "fetch", "request", "requests"}
)  # fmt: skip
_CLIENT_INSTANCE = re.compile(
    r"(?:const|let|var|export\s+const)\s+([\w$]+)\s*(?::\s*[\w.<>]+\s*)?=\s*(?:axios|ky|got)\s*\.\s*"
    r"(?:create|extend)\s*\("
)


# A module of front-end requests (`import axios from 'axios'` and `request.post('/authenticate')` on a wrapper
# of its own): it imports an HTTP client library and answers no request itself.
_CLIENT_LIBRARIES = frozenset(
    {"axios", "ky", "got", "superagent", "node-fetch", "ofetch", "redaxios", "wretch"}
)
_ANSWERS = re.compile(
    r"\(\s*(?:req|request|ctx|c|event)\s*[,)]|\bres\s*\.\s*(?:send|json|status|end)\b|\bctx\s*\.\s*body\b"
)


def _requests_only(imports: dict[str, str], text: str) -> bool:
    libraries = {module.rsplit("/", 1)[-1] for module in imports.values()}
    return bool(libraries & _CLIENT_LIBRARIES) and _ANSWERS.search(text) is None


def _is_client(var: str, imports: dict[str, str], named: dict[str, str]) -> bool:
    if var in _CLIENT_NAMES:
        return True
    module = imports.get(var) or named.get(var, "").split(":", 1)[0]
    return module.rsplit("/", 1)[-1] in _CLIENT_MODULES  # (`./axios` is `src/api/axios` here)


# A request validator names roles in its schema (`validateJsonBody(z.object({ role: z.enum([ADMIN]) }))`);
# it checks the body, not the caller.
_VALIDATOR = re.compile(
    r"^\s*[\w.$]*(?:valid|schema|zod|yup|joi|celebrate|sanitiz|parse|body|params|query)[\w$]*\s*\(", re.I
)


# A path given to a middleware names a route, not a guard: `measureRequestDuration("/oauth/token")`.
_PATH_ARGUMENT = re.compile(r"""(['"`])/[^'"`\n]{0,300}\1""")


# `router.get("/version", logged, h)`, `isLoggedIn`: a middleware named for a signed-in caller.
_LOGGED = re.compile(r"\s*(?:is|require|ensure|must)?_?logged(?:_?in)?\s*", re.IGNORECASE)


def is_guard_middleware(handler: str) -> bool:
    if _LOGGED.fullmatch(handler):
        return True
    if AUTH_WORDS.search(handler) is None or AUTH_WORDS.search(_PATH_ARGUMENT.sub("", handler)) is None:
        return False
    validator = _VALIDATOR.match(handler)
    # `validateToken(…)` is a guard by its own name; `validateJsonBody(…)` is one only if its name says so.
    return validator is None or AUTH_WORDS.search(validator.group(0)) is not None


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# A router named for its callers (`adminRoutes`, `adminRouter`), though its name has an auth word.
_ROUTERISH = re.compile(r"[Rr]out(?:er|es|e)$")
_CHAINED = re.compile(r"\s*\.\s*(get|post|put|delete|patch|head|options|all)\s*\(")
# Koa-router and Express take relative names too (`router.post("documents.list", …)`) on a known router.
_RELATIVE = re.compile(r"[\w.:{}\-]+(?:/[\w.:{}\-]*)*")
# `import x from '…'` and `const x = require('…')`, as two patterns that each start with a literal.
_IMPORTS = (
    re.compile(r"""import\s+(\w+)\s+from\s*\(?\s*['"]([^'"\n]{1,300})['"]"""),
    re.compile(r"""(?:const|let|var)\s+(\w+)\s*=\s*require\s*\(\s*\(?\s*['"]([^'"\n]{1,300})['"]"""),
)


def _imports(path: str, text: str) -> dict[str, str]:
    """Local name → module of each default import, in file order (a later import of a name wins)."""
    found = sorted(
        (m.start(), m.group(1), m.group(2)) for pattern in _IMPORTS for m in pattern.finditer(text)
    )
    return {name: imported_module(path, module) for _, name, module in found}


_EXPORT_LIST = re.compile(r"\bexport\s*\{([^{}]{1,1000})\}(?!\s*from)")
_NAMED_IMPORT = re.compile(r"""import\s*\{([^{}]{1,1000})\}\s*from\s*['"]([^'"\n]{1,300})['"]""")


def _named_imports(path: str, text: str) -> dict[str, str]:
    """Local name → `module:exported` of each named import (`import { cronRouter as cron } from "./cron"`)."""
    out: dict[str, str] = {}
    for m in _NAMED_IMPORT.finditer(text):
        for part in m.group(1).split(","):
            names = part.replace("type ", "").split(" as ")
            exported, local = names[0].strip(), names[-1].strip()
            if re.fullmatch(r"[A-Za-z_$][\w$]*", exported) and re.fullmatch(r"[A-Za-z_$][\w$]*", local):
                out[local] = f"{imported_module(path, m.group(2))}:{exported}"
    return out


# NestJS `@Controller('x')` / `@Get(':id')`, and Egg's tegg `@HTTPController({ path })` /
# `@HTTPMethod({ path, method: HTTPMethodEnum.POST })` with `@Middleware(AdminAccess)`: the same shape.
# A project's own decorator composing `@Controller` (`@ControllerDecorator("users")`, `@ApiController("x")`)
# declares one the same way.
_NEST_CONTROLLER = re.compile(r"@(?:HTTP)?Controller\s*\(|@(?:Api|Auth|Admin)?Controller\w{0,40}\s*\(")
# `@Public()`, `@AllowAnonymous()`, `@SkipAuth()`, `@skipAuth()`, `@SkipJwtAuth()`: the route opts out of a global
# guard.
_NEST_PUBLIC = re.compile(
    r"@(?:[Pp]ublic|[Aa]llow[Aa]nonymous|[Ss]kip\w{0,20}?(?:Auth|Jwt|Guard)\w{0,20}|[Nn]o[Aa]uth)\b"
)
_NEST_ROUTE = re.compile(r"@(Get|Post|Put|Delete|Patch|Head|Options|All|HTTPMethod)\s*\(")
_TEGG_METHOD = re.compile(r"method\s*:\s*(?:HTTPMethodEnum\.|['\"])(\w+)")
_TEGG_MIDDLEWARE = re.compile(r"@Middleware\s*\(")
# CASL-style policy and permission decorators a guard reads (`@CheckPolicies(new PolicyHandler(User, Create))`,
# `@RequirePermissions(Permission.Write)`): the route requires a caller the policy admits.
_POLICY_DECORATOR = re.compile(
    r"@(CheckPolic(?:y|ies)|CheckAbilit(?:y|ies)|RequirePermissions?|RequireAbilit(?:y|ies)|Permissions)\s*\("
)
# A roles decorator naming everyone (`@Roles('public')`) opens the route; one naming a privileged role guards it.
_ROLES_DECORATOR = re.compile(r"@Roles\s*\(([^()\n]{1,200})\)")
# A project's own decorator naming a privileged role by an enum member: `@OnlyIdentity(IdentityRole.Admin)`,
# `@RequireRole(UserRole.ADMIN)` (never `@Controller('admin')` or `@ApiTags('admin')`: a path, a document tag).
_ROLE_MEMBER_DECORATOR = re.compile(r"@(\w{1,60})\s*\(([\w.,\s]{1,300})\)")
_ROLE_MEMBER = re.compile(r"\s*\w{0,60}(?:Role|Identity|Permission|Access|Level|Group)\w{0,20}\.\w{1,60}\s*")
_PUBLIC_ROLE = re.compile(
    r"@Roles\s*\(\s*['\"](?:public|anonymous|guest|everyone|all)['\"]\s*\)", re.IGNORECASE
)
_NEXT_EXPORT = re.compile(
    r"export\s+(?:async\s+)?(?:function\s+|const\s+)(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\b"
)


_INLINE_PLUGIN = re.compile(r"\s*(?:async\s+)?(?:function\s*\w*\s*)?\(\s*(\w+)\s*[:,)][^=]*?(?:=>|\{)")
MAX_INLINE_PLUGINS = 50
_STRINGS = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`]*`")
_PLUGIN = re.compile(
    r"(?:export\s+default|module\.exports\s*=)\s*(?:async\s+)?function\s*\w*\s*\(\s*(\w+)\s*[:,)]"
)
# `fastify.withTypeProvider<TypeBoxTypeProvider>().get(…)` routes on `fastify`: the call is blanked (same
# length, so lines stay where they are).
_TYPE_ARGUMENTS = re.compile(
    r"(\.\s*(?:get|post|put|patch|delete|head|options|all|route))\s*"
    # `<{ Body: X }>` may span lines: `.post<{\n  Body: z.infer<typeof schema>;\n}>('/x', …)`
    r"(?:<[^()\n;]{0,200}?>|<\s*\{[^{}()]{0,400}?\}\s*>)\s*\("
)
_TYPE_PROVIDER = re.compile(r"\.\s*withTypeProvider\s*<[^<>()\n]{0,120}>\s*\(\s*\)")


_TEMPLATE_REF = re.compile(r"\$\{\s*([A-Za-z_$][\w$]{0,80})\s*\}")


_INNERMOST = re.compile(r"\([^()]*\)|\{[^{}]*\}")


def _outer(text: str, passes: int = 8) -> str:
    """The text with what stands inside its brackets removed (nested up to `passes` deep)."""
    for _ in range(passes):
        text, count = _INNERMOST.subn("", text)
        if not count:
            break
    return text


def _named_path(args: str, route: str | None, paths: dict[str, str]) -> str | None:
    """The path a call's first argument names: a literal (a template on a named path resolved, as in
    `${basePath}/*`) or the name of a path constant of the file."""
    if route is not None:
        return (
            _TEMPLATE_REF.sub(lambda m: paths.get(m.group(1), m.group(0)), route) if "${" in route else route
        )
    first, comma, _ = args.partition(",")
    return paths.get(first.strip()) if comma else None


# A Next.js route file handing its requests to a router app of its own (`export const GET = handle(app)`,
# hono/vercel): the app's routes are the file's, not the file's own path.
MOUNTS_AN_APP = re.compile(r"\bfrom\s+[\"']hono/(?:vercel|nextjs)[\"']|\bhandle\s*\(\s*app\s*\)")


def extract_js(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    if "withTypeProvider" in text:
        text = _TYPE_PROVIDER.sub(lambda m: " " * len(m.group(0)), text)
    if ">(" in text or "> (" in text:
        # `server.post<{ Body: Body }>(PATH, …)`: a route call's type arguments, blanked in place
        text = _TYPE_ARGUMENTS.sub(
            lambda m: m.group(1) + re.sub(r"[^\n]", " ", m.group(0)[len(m.group(1)) : -1]) + "(", text
        )
    if (
        not MOUNTS_AN_APP.search(text)
        and _NEXT_EXPORT.search(text)
        and re.search(r"(?:^|/)(?:app|pages)/(?:.*/)?route\.[jt]sx?$|(?:^|/)pages/api/", path)
    ):
        return _next(path, text)
    if "@Controller" in text or "@HTTPController" in text or _NEST_CONTROLLER.search(text):
        return _nest(path, text)
    if "@WebSocketGateway" in text:
        return _nest_gateway(text)
    here = module_path(path)
    out = FileRoutes()
    out.guards.update(rights_table(text))
    imports = _imports(path, text)
    named = _named_imports(path, text) if "{" in text else {}
    exported = set(re.findall(r"(?:module\.exports\s*=|export\s+default)\s*(\w+)", text))

    # `export { app as cronRouter }`: importers name the router by what it is exported as.
    renamed = {
        local: alias
        for block in _EXPORT_LIST.findall(text)
        for local, alias in re.findall(r"\b([A-Za-z_$][\w$]*)\s+as\s+([A-Za-z_$][\w$]*)", block)
    }

    # A Fastify plugin: `export default async function debugController(fastify) { fastify.get(…) }`.
    plugin = _PLUGIN.search(text)

    inlines: list[tuple[int, int, str, str]] = []  # span, parameter, name of each inline plugin

    def owner_of(var: str, at: int = -1) -> str:
        for start, end, param, name in reversed(inlines):
            if param == var and start <= at < end:
                var = name
                break
        if var in exported or renamed.get(var) == "default" or (plugin and plugin.group(1) == var):
            return f"{here}:default"
        return f"{here}:{renamed.get(var, var)}"

    routers: set[str] = set()
    for name, paren in _routers(text):
        routers.add(name)
        ctor_args = balanced(text, paren)
        p = re.search(r"prefix\s*:\s*['\"]([^'\"]{0,300})['\"]", ctor_args)
        # Hono's `new Hono().basePath("/api")`: every route of the app under the base path.
        base = _BASE_PATH.match(text, paren + len(ctor_args) + 2)
        if p or base:
            out.mounts.append(Mount(owner_of(name), (p or base).group(1), ""))  # type: ignore[union-attr]
    global_auth: dict[str, list[str]] = {}
    scoped: dict[str, list[tuple[str, list[str]]]] = {}

    def app_guards(var: str, full: str) -> list[str]:
        """The guards a route at `full` on `var` takes from the app: `app.use(auth)`, `app.use("/admin", auth)`."""
        return global_auth.get(var, []) + [
            r for at, guards in scoped.get(var, []) if full == at or full.startswith(at + "/") for r in guards
        ]

    clients = {m.group(1) for m in _CLIENT_INSTANCE.finditer(text)}
    requests_only = _requests_only(imports, text)
    # `const basePath = "/admin"`: a path named once and passed to `app.use(basePath, auth)` or `app.route(…)`.
    paths = path_constants(text)
    for m in _calls(text):
        var, verb = m.var, m.verb
        args = balanced(text, m.end - 1)
        route = leading_string(args)
        if paths:  # `server.post(PATH, { preHandler: … }, handler)` with `export const PATH = "/api/x"`
            route = _named_path(args, route, paths)
        if verb == "route" and route is not None:
            parts = split_args(args)
            sub = parts[1].strip() if len(parts) == 2 else ""
            if re.fullmatch(r"[A-Za-z_$][\w$]*", sub):
                # Hono's `app.route("/admin", admin)`: the sub-app's routes under the path.
                child_id = f"{imports[sub]}:default" if sub in imports else named.get(sub, f"{here}:{sub}")
                inherited = global_auth.get(var, [])
                out.mounts.append(
                    Mount(child_id, route, owner_of(var, m.start), bool(inherited), ", ".join(inherited))
                )
                continue
            _chained(
                out, text, m.end + len(args) + 1, route, owner_of(var, m.start), global_auth.get(var, [])
            )
            continue
        if verb == "route" and args.lstrip().startswith("{"):
            _route_object(out, text, m.start, args, owner_of(var, m.start), global_auth.get(var, []))
            continue
        if route is not None and route.startswith("/") and (ui := _DOCS_UI.search(args)) is not None:
            # `app.get("/docs", swaggerUI({ url: "/json" }))`, `app.use("/api-docs", swaggerUi.serve, …)`: the
            # API's documentation, browsable by whoever passes the guards in front of it
            at = normalize_path(route)
            guards = [f"middleware {h}" for h in split_args(args)[1:] if is_guard_middleware(h)]
            guards += app_guards(var, at)
            out.routes.append(
                RawRoute(
                    "http",
                    "ANY" if verb in ("use", "all") else verb.upper(),
                    at,
                    line_of(text, m.start),
                    AUTHENTICATED if guards else UNKNOWN,
                    (*guards, f"{OPS_DASHBOARD}API documentation ({ui.group(0).rstrip('(. ')})"),
                    owner_of(var, m.start),
                )
            )
            continue
        if verb in ("use", "register"):
            rest = (
                args.split(",", 1)[1]
                if route is not None and "," in args
                else ("" if route is not None else args)
            )
            parts = split_args(args) if route is None else []
            inline = _INLINE_PLUGIN.match(parts[0]) if len(parts) > 1 else None
            if inline is not None:
                # Fastify `register(async (f) => { f.register(…) }, { prefix: "/internal-api" })`: the
                # inline plugin's instance is served under the prefix of its options.
                given = re.search(r"prefix\s*:\s*['\"]([^'\"]{0,300})['\"]", parts[-1])
                if given and len(inlines) < MAX_INLINE_PLUGINS:
                    # Each inline plugin is its own instance, whatever its parameter is called.
                    name = f"{inline.group(1)}@{line_of(text, m.start)}"
                    inlines.append((m.end, m.end + len(args), inline.group(1), name))
                    out.mounts.append(Mount(owner_of(name), given.group(1), owner_of(var, m.start)))
                continue
            if len(parts) > 1:
                rest = ", ".join(parts[:1] + parts[-1:])  # the plugin and its options, nothing inside
            names = re.findall(r"[A-Za-z_$][\w$.]*", _STRINGS.sub("", rest))
            opts_prefix = re.search(r"prefix\s*:\s*['\"]([^'\"]{0,300})['\"]", rest)
            # (`adminRoutes`, `adminRouter`: a router named for its callers, not a guard)
            auth_names = [n for n in names if AUTH_WORDS.search(n) and not _ROUTERISH.search(n)]
            # `basicAuth({ username: … })`: what a call is given is no router it mounts.
            outer = re.findall(r"[A-Za-z_$][\w$.]*", _outer(_STRINGS.sub("", rest)))
            targets = [
                n for n in outer if n != "prefix" and (not AUTH_WORDS.search(n) or _ROUTERISH.search(n))
            ]
            if targets and (route is not None or opts_prefix):
                child = targets[-1].split(".")[0]
                child_id = (
                    f"{imports[child]}:default" if child in imports else named.get(child, f"{here}:{child}")
                )
                reason = f"{var}.{verb} with {', '.join(auth_names)}" if auth_names else ""
                out.mounts.append(
                    Mount(
                        child_id,
                        route or (opts_prefix.group(1) if opts_prefix else ""),
                        owner_of(var, m.start),
                        bool(auth_names or global_auth.get(var)),
                        reason,
                    )
                )
            elif auth_names and route is not None and route.startswith("/") and route not in ("/", "/*"):
                # `app.use("/admin", requireAdmin)`: the app's routes under that path.
                scoped.setdefault(var, []).append(
                    (normalize_path(route), [f"{var}.{verb}({route}, {n})" for n in auth_names])
                )
            elif auth_names and (route is None or route in ("*", "/*")):
                # `app.use(auth)`, and Hono's `admin.use("*", requireAdmin)`: every route of the app.
                global_auth.setdefault(var, []).extend(f"{var}.{verb}({n})" for n in auth_names)
            continue
        if verb == "prefix":
            if route is not None:
                out.mounts.append(Mount(owner_of(var, m.start), route, ""))
            continue
        if route is None or not (
            route.startswith("/") or (var in routers and _RELATIVE.fullmatch(route) is not None)
        ):
            continue
        if var not in routers and (var in clients or requests_only or _is_client(var, imports, named)):
            continue  # `API.delete('/logs')` on an axios instance: a request, not a route
        methods = ["ANY"] if verb == "all" else [verb.upper()]
        handlers = split_args(args)[1:]
        reasons = [f"middleware {h}" for h in handlers[:-1] if is_guard_middleware(h)]
        # `async (path, ctx) => { if (!user.is_admin) throw new ErrorForbidden(); … }`
        brace = handlers[-1].find("{") if handlers else -1
        checked = (
            inline_privilege_check(handlers[-1][brace : brace + MAX_PREAMBLE_CHARS]) if brace >= 0 else None
        )
        reasons += [checked] if checked else []
        right = _right_of(handlers[:-1])
        reasons += app_guards(var, normalize_path(route))
        pre = re.search(r"(?:preHandler|onRequest|preValidation)\s*:\s*\[?\s*([\w.]+)", args)
        if pre and AUTH_WORDS.search(pre.group(1)):
            reasons.append(f"hook {pre.group(1)}")
        state = AUTHENTICATED if reasons else UNAUTHENTICATED
        owner = owner_of(var, m.start)
        for method in methods:
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    normalize_path(route),
                    line_of(text, m.start),
                    state,
                    tuple(reasons),
                    owner,
                    right,
                )
            )
    return out


# Swagger UI, ReDoc and Scalar as a route's handler: @hono/swagger-ui, swagger-ui-express, redoc-express,
# @scalar/express-api-reference and its Hono and Fastify kin.
_DOCS_UI = re.compile(
    r"\bswaggerUI\s*\(|\bswaggerUi\s*\.\s*(?:setup|serve)\b|\bswaggerUiExpress\s*\.\s*(?:setup|serve)\b"
    r"|\bredoc(?:Express)?\s*\(|\bapiReference\s*\(|\bScalar\s*\("
)
_BASE_PATH = re.compile(r"\s*\.\s*basePath\s*\(\s*['\"`]([^'\"`]{0,300})['\"`]")
_OBJECT_URL = re.compile(r"\b(?:url|path)\s*:\s*(['\"`])(/[^'\"`]{0,300})\1")
_OBJECT_METHOD = re.compile(r"\bmethod\s*:\s*(\[[^\]]{0,200}\]|['\"`]\w{1,10}['\"`])")
_HOOKS = re.compile(r"(?:preHandler|onRequest|preValidation)\s*:\s*\[?\s*([\w.]+)")


def _route_object(out: FileRoutes, text: str, at: int, args: str, owner: str, inherited: list[str]) -> None:
    """Fastify's full declaration: `fastify.route({ method: 'POST', url: '/x', preHandler: auth, handler })`."""
    url, method = _OBJECT_URL.search(args), _OBJECT_METHOD.search(args)
    if url is None or method is None:
        return
    methods = [x.upper() for x in strings(method.group(1))] or ["ANY"]
    hook = _HOOKS.search(args)
    reasons = [f"hook {hook.group(1)}"] if hook and AUTH_WORDS.search(hook.group(1)) else []
    reasons += inherited
    for verb in methods:
        out.routes.append(
            RawRoute(
                "http",
                verb,
                normalize_path(url.group(2)),
                line_of(text, at),
                AUTHENTICATED if reasons else UNAUTHENTICATED,
                tuple(reasons),
                owner,
            )
        )


RIGHT = "right:"
# `roleRights.set('admin', ['getUsers'])`, `.set(roles[1], [...])`, `{ admin: ['getUsers'], user: [] }`.
_SET_ROLE = re.compile(r"\.set\s*\(\s*(?:(['\"])(\w{1,80})\1|(\w{1,80})\s*\[\s*(\d{1,3})\s*\])\s*,\s*\[")
_ROLE_LIST = re.compile(r"(?:const|let|var)\s+(\w{1,80})\s*=\s*\[")
_TABLE_OBJECT = re.compile(
    r"(?:const|let|var)\s+\w{0,80}(?:[Rr]ights?|[Pp]ermissions?|[Gg]rants?)\w{0,80}\s*=\s*\{"
)
_OBJECT_ROLE = re.compile(r"(?:^|[{,])\s*['\"]?(\w{1,80})['\"]?\s*:\s*\[", re.M)
MAX_TABLE_ROWS = 200
MAX_TABLES = 8


def rights_table(text: str) -> dict[str, list[str]]:
    """A role → rights table (`roleRights.set(role, [rights])` or an object of lists): each right that
    only privileged roles hold becomes a guard met by routes that require it (`auth('getUsers')`)."""
    lists: dict[str, list[str]] | None = None  # `const roles = [...]`, read only when a row indexes one
    holders: dict[str, list[str]] = {}
    for m in islice(_SET_ROLE.finditer(text), MAX_TABLE_ROWS):
        role = m.group(2)
        if role is None:
            if lists is None:
                lists = {
                    r.group(1): strings(balanced(text, r.end() - 1))
                    for r in islice(_ROLE_LIST.finditer(text), MAX_TABLE_ROWS)
                }
            named = lists.get(m.group(3), [])
            index = int(m.group(4))
            role = named[index] if index < len(named) else None
        for right in strings(balanced(text, m.end() - 1)) if role else ():
            holders.setdefault(right, []).append(role or "")
    for t in islice(_TABLE_OBJECT.finditer(text), MAX_TABLES):
        body = balanced(text, t.end() - 1, 20_000)
        for m in islice(_OBJECT_ROLE.finditer(body), MAX_TABLE_ROWS):
            for right in strings(balanced(body, m.end() - 1)):
                holders.setdefault(right, []).append(m.group(1))
    return {
        RIGHT + right: [f"right {right} held only by {', '.join(sorted(set(roles)))}"]
        for right, roles in holders.items()
        if all(privileged_role(r) for r in roles)
    }


def _right_of(middleware: list[str]) -> str:
    """`auth('getUsers')`: the right a guard requires, to meet the roles table that grants it."""
    for h in middleware:
        if AUTH_WORDS.search(h.split("(", 1)[0]):
            found = strings(h)
            if found and re.fullmatch(r"[\w.:-]{1,80}", found[0]):
                return RIGHT + found[0]
    return ""


def _chained(out: FileRoutes, text: str, pos: int, route: str, owner: str, inherited: list[str]) -> None:
    """`router.route("/x").get(auth("read"), h).post(…)`: each chained verb is a route on `/x`."""
    for _ in range(8):
        c = _CHAINED.match(text, pos)
        if c is None:
            return
        args = balanced(text, c.end() - 1)
        pos = c.end() + len(args) + 1
        handlers = split_args(args)
        reasons = [f"middleware {h}" for h in handlers[:-1] if is_guard_middleware(h)] + inherited
        method = "ANY" if c.group(1) == "all" else c.group(1).upper()
        state = AUTHENTICATED if reasons else UNAUTHENTICATED
        line = line_of(text, c.start())
        right = _right_of(handlers[:-1])
        out.routes.append(
            RawRoute("http", method, normalize_path(route), line, state, tuple(reasons), owner, right)
        )


_USE_GUARDS = re.compile(r"@UseGuards\s*\(")
_DECORATOR_AT = re.compile(r"\s*@[\w.]+\s*")
_METHOD_HEAD = re.compile(
    r"\s*(?:(?:public|private|protected|async|static)\s+){0,3}[\w$]+\s*(?:<[^>(]{0,200}>)?\s*\("
)
MAX_DECORATORS = 16


def _past_decorators(body: str, at: int) -> int:
    """Where the decorators starting at `at` end (`@HttpCode(204)` stepped over whole)."""
    for _ in range(MAX_DECORATORS):
        d = _DECORATOR_AT.match(body, at)
        if d is None:
            break
        at = d.end()
        if body.startswith("(", at):
            at += len(balanced(body, at)) + 2
    return at


def _method_params(body: str, at: int) -> tuple[str, int]:
    """The parameter list of the method the decorators at `at` belong to, and where its body opens (-1:
    not found). Decorators with arguments (`@HttpCode(204)`) are stepped over whole."""
    at = _past_decorators(body, at)
    head = _METHOD_HEAD.match(body, at)
    if head is None:
        return "", body.find("{", at)
    params = balanced(body, head.end() - 1)
    return params, body.find("{", head.end() + len(params) + 1)


_GUESTS_ALLOWED = re.compile(
    r"\b(?:guests?_?allowed|allow_?guests?|allow_?anonymous|anonymous_?allowed)\s*:\s*true\b", re.IGNORECASE
)


def _use_guards(text: str) -> list[str]:
    """Every guard each `@UseGuards(JwtAuthGuard, AdminGuard)` in `text` names, not only the first."""
    found: list[str] = []
    for m in _USE_GUARDS.finditer(text):
        for arg in split_args(balanced(text, m.end() - 1)):
            name = re.match(r"(?:new\s+)?([\w.]+)", arg)
            if name:
                found.append(name.group(1))
    return found


def _middleware_guards(text: str) -> list[str]:
    """tegg's `@Middleware(AdminAccess)`: the middleware named for authentication or a role."""
    found: list[str] = []
    for m in _TEGG_MIDDLEWARE.finditer(text):
        for arg in split_args(balanced(text, m.end() - 1)):
            name = re.match(r"\s*([\w.]+)", arg)
            if name and AUTH_WORDS.search(name.group(1)):
                found.append(name.group(1))
    return found


_DECORATOR_CALL = re.compile(r"@[\w.]{1,80}\s*\(")


def _blank_decorator_args(text: str) -> str:
    """`text` with the arguments of its decorator calls blanked in place, so offsets stay."""
    parts: list[str] = []
    last = 0
    for m in _DECORATOR_CALL.finditer(text):
        if m.start() < last:
            continue
        args = balanced(text, m.end() - 1)
        parts += [text[last : m.end()], " " * len(args)]
        last = m.end() + len(args)
    return "".join(parts) + text[last:]


_GATEWAY = re.compile(r"@WebSocketGateway\s*\(")
_SUBSCRIBE = re.compile(r"@SubscribeMessage\s*\(\s*['\"`]([^'\"`\n]{1,200})['\"`]")
GATEWAY = "websocket"


def _nest_gateway(text: str) -> FileRoutes:
    """A NestJS `@WebSocketGateway({ namespace: '/child-bridges' })` class: each `@SubscribeMessage('restart')`
    handler is an endpoint of its namespace, guarded by the class's and its own `@UseGuards(…)`."""
    out = FileRoutes()
    masked = _blank_decorator_args(text)
    for g in _GATEWAY.finditer(text):
        args = balanced(text, g.end() - 1)
        ns = re.search(r"namespace\s*:\s*['\"`]([^'\"`\n]{0,200})['\"`]", args)
        namespace = "/" + (ns.group(1) if ns else "").strip("/")
        head = text[max(0, g.start() - 400) : g.start()]
        end = text.find("@WebSocketGateway", g.end())
        body_end = end if end != -1 else len(text)
        cls = text.find("class", g.end(), body_end)
        class_guards = [
            f"class @UseGuards({n})" for n in _use_guards(head + text[g.end() : max(cls, g.end())])
        ]
        for m in _SUBSCRIBE.finditer(text, g.end(), body_end):
            start = max(cls, masked.rfind(";", 0, m.start()), masked.rfind("}", 0, m.start()))
            # to the handler's body: the decorators around this one, never the next member's
            opens = masked.find("{", m.end())
            window = text[start : opens if opens != -1 else len(text)]
            guards = [f"@UseGuards({n})" for n in _use_guards(window)] + class_guards
            out.routes.append(
                RawRoute(
                    GATEWAY,
                    "MESSAGE",
                    join_paths(namespace, m.group(1)),
                    line_of(text, m.start()),
                    AUTHENTICATED if guards else UNAUTHENTICATED,
                    tuple(guards),
                )
            )
    return out


def _role_members(decorators: str, label: str = "") -> list[str]:
    return [
        f"{label}@{m.group(1)}({m.group(2).strip()})"
        for m in _ROLE_MEMBER_DECORATOR.finditer(decorators)
        if m.group(1) != "Roles"
        and all(_ROLE_MEMBER.fullmatch(arg) for arg in m.group(2).split(",")[:4])
        and privileged_role(m.group(2))
    ]


def _nest(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    controllers = list(_NEST_CONTROLLER.finditer(text))
    for i, c in enumerate(controllers):
        args = balanced(text, c.end() - 1)
        prefix = leading_string(args) or ""
        if not prefix:
            p = re.search(r"path\s*:\s*['\"]([^'\"]{0,300})['\"]", args)
            prefix = p.group(1) if p else ""
        end = controllers[i + 1].start() if i + 1 < len(controllers) else len(text)
        head = text[controllers[i - 1].end() if i else 0 : c.start()]
        # (the class the decorator heads, before the next controller: a search past it is quadratic)
        cls_start = text.find("class", c.end(), end)
        class_decorators = head[-400:] + text[c.end() : cls_start if cls_start != -1 else c.end()]
        class_auth = [f"class @UseGuards({g})" for g in _use_guards(class_decorators)]
        class_auth += [f"class @Middleware({g})" for g in _middleware_guards(class_decorators)]
        class_auth += _role_members(class_decorators, "class ")
        class_auth += [f"class @{p.group(1)}" for p in _POLICY_DECORATOR.finditer(class_decorators)]
        body = text[c.end() : end]
        # The class's own decorators precede its body's brace: never a method's.
        opened = body.find("{", cls_start - c.end()) if cls_start != -1 else 0
        # A decorator's own braces (`@ApiOperation({ summary: '…' })`) end no member.
        masked = _blank_decorator_args(body)
        for r in _NEST_ROUTE.finditer(body):
            rargs = balanced(body, r.end() - 1)
            route = leading_string(rargs) or ""
            tegg = r.group(1) == "HTTPMethod"
            if tegg:
                p = re.search(r"path\s*:\s*(['\"`])([^'\"`]{0,300})\1", rargs)
                route = p.group(2) if p else ""
            window_start = max(0, opened, masked.rfind(";", 0, r.start()), masked.rfind("}", 0, r.start()))
            # the decorators above the route's and below it, down to the method itself
            window = body[window_start : _past_decorators(body, r.end() + len(rargs) + 1)]
            guards = [f"@UseGuards({g})" for g in _use_guards(window)]
            guards += [f"@Middleware({g})" for g in _middleware_guards(window)]
            guards += _role_members(window)
            guards += [f"@{p.group(1)}" for p in _POLICY_DECORATOR.finditer(window)]
            public = _NEST_PUBLIC.search(window) or _PUBLIC_ROLE.search(window)
            # `@Roles('admin')` read by a global roles guard: the role the route demands.
            guards += [
                f"@Roles({r.group(1)})"
                for r in _ROLES_DECORATOR.finditer(window)
                if privileged_role(r.group(1))
            ]
            # A parameter decorator that lets guests through: `@RequestUser({ guestsAllowed: true }) user`.
            params, opening = _method_params(body, r.end() + len(rargs) + 1)
            public = public or _GUESTS_ALLOWED.search(params)
            reasons = guards + (
                [overriding(OPTS_OUT + public.group(0), class_auth)] if public else class_auth
            )
            # The handler's own first statements: `if (ability.cannot(Manage, Member)) throw new Forbidden…`.
            inline = (
                inline_privilege_check(body[opening : opening + MAX_PREAMBLE_CHARS])
                if opening != -1
                else None
            )
            reasons += [inline] if inline else []
            state = AUTHENTICATED if guards or inline or (class_auth and not public) else UNAUTHENTICATED
            verb = _TEGG_METHOD.search(rargs) if tegg else None
            method = "ANY" if r.group(1) == "All" else (verb.group(1) if verb else r.group(1)).upper()
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    join_paths(prefix, route),
                    line_of(text, c.end() + r.start()),
                    state,
                    tuple(reasons),
                )
            )
    return out


def _next(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    parts = path.split("/")
    root = max((i for i, p in enumerate(parts) if p in ("app", "pages")), default=0)
    segs = [
        p
        for p in parts[root + 1 : -1]
        if not (p.startswith("(") and p.endswith(")")) and not p.startswith("@")
    ]
    if parts[-1].split(".")[0] not in ("route",):
        segs.append(posixpath.splitext(parts[-1])[0])
    route = normalize_path("/".join(s for s in segs if s != "index"))
    authed = [
        w
        for w in ("getServerSession", "auth()", "getToken", "currentUser", "withAuth", "requireAuth")
        if w in text
    ]
    for m in _NEXT_EXPORT.finditer(text):
        state = AUTHENTICATED if authed else UNAUTHENTICATED
        out.routes.append(
            RawRoute(
                "http",
                m.group(1),
                route,
                line_of(text, m.start()),
                state,
                tuple(f"calls {a}" for a in authed),
            )
        )
    return out
