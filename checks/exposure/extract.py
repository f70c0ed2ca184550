"""The one entry point listing every framework family, and which files are worth fetching."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from .allowlist import extract_allowlist, extract_spring_security_xml, mentions_allowlist
from .api_platform import extract_api_platform
from .aspnet import CLASS, extract_aspnet
from .auth_handlers import (
    extract_auth_handler_bypasses,
    extract_login_hook_bypasses,
    mentions_auth_handler,
    mentions_login_hook,
)
from .dashboards import extract_dashboards, mentions_dashboard
from .diagnostics import (
    SERVES,
    extract_build_dependencies,
    extract_diagnostics,
    mentions_diagnostics,
    served_at_literal_paths,
)
from .django import extract_django
from .flask_admin import extract_flask_admin, mentions_flask_admin
from .flask_restful import extract_flask_restful
from .frappe import extract_frappe, mentions_frappe
from .go_endpoints import extract_go_endpoints, mentions_endpoint_table
from .go_helpers import debug_build_only, expand_route_helpers
from .golang import extract_go
from .grape import extract_grape, mentions_grape
from .graphql import extract_embedded_graphql, extract_graphql
from .inline_guards import go_method_guards, mentions_inline_check
from .javascript import MOUNTS_AN_APP, RIGHT, extract_js
from .js_metrics import extract_js_metrics
from .jsonrpc import WRAPPER, extract_jsonrpc
from .jvm import extract_jvm
from .ktor import extract_ktor, mentions_ktor
from .laravel_guards import FORM_REQUEST, controller_guards
from .lua import extract_lua
from .model import DEV_SERVER, DRF_DEFAULTS, DRF_ROUTE, Endpoint, line_of
from .nest_globals import with_global_guards
from .nextjs import extract_next, is_next_route
from .openapi import extract_openapi
from .phoenix import extract_phoenix
from .php import MIDDLEWARE, MIDDLEWARE_CLASS, extract_laravel
from .proto import extract_proto
from .pyramid import extract_pyramid, mentions_pyramid
from .python import ALIAS, DEPENDENCY, extract_python
from .rails import CONTROLLER, POLICY, controller_class, extract_rails, is_drawn_routes, policy_class
from .route_calls import extract_route_calls
from .route_tables import (
    extract_py_route_tables,
    extract_route_tables,
    mentions_py_route_table,
    mentions_route_table,
)
from .routes import INHERITS, MAX_GUARD_KEYS, FileRoutes, RawRoute, resolve
from .rust import extract_rust
from .servlets import extract_servlets, mentions_servlets
from .sinatra import extract_sinatra, mentions_sinatra
from .slim import extract_slim
from .spring import extract_spring_config
from .symfony import (
    extract_access_control,
    extract_dashboard_config,
    extract_route_xml,
    extract_route_yaml,
    extract_symfony,
)
from .tornado import extract_tornado, mentions_tornado
from .trpc import extract_trpc, mentions_trpc

Extractor = Callable[[str, str], FileRoutes]


# A Groovy string in single quotes, read as the Java string of the same length.
_GROOVY_SINGLE_QUOTED = re.compile(r"'([^'\"\\\n]{0,500})'")


def _js(path: str, text: str) -> FileRoutes:
    found = _merge(_merge(extract_js(path, text), extract_route_calls(path, text)), extract_trpc(path, text))
    found = _merge(found, extract_js_metrics(path, text))
    return _merge(_merge(found, extract_route_tables(path, text)), extract_embedded_graphql(path, text))


_BY_EXTENSION: dict[str, Extractor] = {
    ".py": lambda path, text: _merge(
        _merge(extract_python(path, text), extract_django(path, text)),
        _merge(
            _merge(
                _merge(extract_flask_restful(path, text), extract_flask_admin(path, text)),
                extract_login_hook_bypasses(path, text),
            ),
            _merge(
                _merge(extract_jsonrpc(path, text), extract_tornado(path, text)),
                _merge(
                    _merge(extract_pyramid(path, text), extract_py_route_tables(path, text)),
                    _merge(extract_servlets(path, text), extract_frappe(path, text)),
                ),
            ),
        ),
    ),
    ".cs": lambda path, text: _merge(extract_aspnet(path, text), extract_auth_handler_bypasses(path, text)),
    ".java": extract_jvm,
    ".kt": lambda path, text: _merge(extract_jvm(path, text), extract_ktor(path, text)),
    # Grails and Spring applications written in Groovy: the same annotations and security configuration,
    # their strings often single-quoted (`@RequestMapping('notifications')`)
    ".groovy": lambda path, text: extract_jvm(path, _GROOVY_SINGLE_QUOTED.sub(r'"\1"', text)),
    ".rb": lambda path, text: _merge(
        _merge(extract_rails(path, text), extract_sinatra(path, text)), extract_grape(path, text)
    ),
    ".ex": extract_phoenix,
    ".php": lambda path, text: _merge(
        _merge(_merge(extract_laravel(path, text), extract_slim(path, text)), controller_guards(path, text)),
        _merge(
            _merge(extract_symfony(path, text), extract_dashboard_config(path, text)),
            extract_api_platform(path, text),
        ),
    ),
    ".go": lambda path, text: _merge(
        _merge(extract_go(path, expand_route_helpers(text)), go_method_guards(path, text)),
        extract_go_endpoints(path, text),
    ),
    ".js": _js,
    ".mjs": _js,
    ".cjs": _js,
    ".ts": _js,
    ".tsx": _js,
    ".jsx": _js,
    ".rs": extract_rust,
    ".lua": extract_lua,
    ".proto": extract_proto,
    ".graphql": extract_graphql,
    ".graphqls": extract_graphql,
    ".gql": extract_graphql,
    ".yaml": lambda path, text: _merge(
        _merge(extract_openapi(path, text), extract_spring_config(path, text)),
        _merge(extract_access_control(path, text), extract_route_yaml(path, text)),
    ),
    ".yml": lambda path, text: _merge(
        _merge(extract_openapi(path, text), extract_spring_config(path, text)),
        _merge(extract_access_control(path, text), extract_route_yaml(path, text)),
    ),
    ".json": extract_openapi,
    ".properties": extract_spring_config,
    ".xml": lambda path, text: _merge(
        _merge(extract_build_dependencies(path, text), extract_spring_security_xml(path, text)),
        extract_route_xml(path, text),
    ),
    ".gradle": extract_build_dependencies,
    ".kts": extract_build_dependencies,
}


def _merge(a: FileRoutes, b: FileRoutes) -> FileRoutes:
    guards = {key: list(reasons) for key, reasons in a.guards.items()}
    for key, reasons in b.guards.items():
        guards[key] = list(dict.fromkeys(guards.get(key, []) + reasons))
    return FileRoutes(a.routes + b.routes, a.mounts + b.mounts, guards)


_SNIFF: dict[str, re.Pattern[str]] = {
    ".py": re.compile(
        r"\.(?:get|post|put|delete|patch|route|api_route|include_router|register_blueprint|add_get|add_post|add_route)\s*\(|Blueprint|APIRouter|urlpatterns|Route\(|Mount\(|is_superuser|is_staff|has_perm|_required|add_\w*resource|Resource\)|view_func|permission_classes|\burls\s*=\s*\[\s*(?:re_)?path\(|DEFAULT_PERMISSION_CLASSES|Mixin\b|@(?:action|detail_route|list_route)\b|\.register\s*\(|=\s*Annotated\[|rpc_method|def get_urls\b|\bdecorators\s*=\s*\[|raise\s+HTTPException\("
        # a view extending a project's own view class, whose permission classes it takes
        r"|class\s+\w+\(\s*\w*API\w*\s*\)\s*:|class\s+\w+\(\s*\w*View\w*\s*\)\s*:"
    ),
    ".go": re.compile(
        r"\(\s*(?:\"[^\"\n]{0,20}\"\s*,\s*)?\"(?:GET|POST|PUT|DELETE|PATCH|Get|Post|Put|Delete|Patch)\"\s*,\s*\"/|"
        r"Register\w+Server\s*\(|RegisterRoute\w*\s*\(|YARPCProcedures\s*\(|\w\s*\(\s*http\.Method[A-Z][a-z]+\s*,|Handle(?:Func|r|rFunc)?\s*\(|AdminRoute\s*\{|\.Path\s*\(|\.URL\.Path\s*==|\.(?:NS)?Router\s*\(|\.Methods\s*\(|\.(?:GET|POST|PUT|DELETE|PATCH|Get|Post|Put|Delete|Patch|Group|Route|Use|Mount|Any)\s*\("
    ),
    ".js": re.compile(
        r"\.(?:get|post|put|delete|patch|all|use|route|register)\s*(?:<[^()]{0,200}?>\s*)?\(|@Controller|@HTTPController|@WebSocketGateway|\.set\s*\(\s*(?:['\"]|\w+\[)|"
        r"(?:[Rr]ights?|[Pp]ermissions?|[Gg]rants?)\w*\s*=\s*\{|export\s+(?:async\s+)?(?:function|const)\s+(?:GET|POST|PUT|DELETE|PATCH)"
        r"|['\"](?:get|post|put|delete|patch|GET|POST|PUT|DELETE|PATCH)['\"]\s*,\s*['\"`]/"
        r"|\bgql`|/\*\s*GraphQL\s*\*/\s*`"
        # a project's helper named as route_calls reads it: `apiRoute(GET, …)`, `registerApi(POST, …)`
        r"|(?:[Rr]oute|[Ee]ndpoint|[Rr]egister|[Aa]pi)\w*\s*\(\s*(?:GET|POST|PUT|DELETE|PATCH)\s*,\s*['\"`]/"
        # a helper named for its verb: `getRouteWithROTransaction(apiRouter, "/x.json", h)`
        r"|\b(?:get|post|put|patch|delete)(?:Route|Endpoint)\w*\s*\(\s*[\w$]+\s*,\s*['\"`]/"
    ),
    ".java": re.compile(
        r"@(?:RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping|PatchMapping|Path|GET|POST)\b"
        r"|io\.micronaut\.http\.annotation|io\.javalin"
    ),
    ".cs": re.compile(
        r"\[(?:Http(?:Get|Post|Put|Delete|Patch)|Route|\w*Authorize|Area)(?:Attribute)?\b|\.Map(?:Get|Post|Put|Delete|Patch|GetAndPost)\s*\("
        r"|\.(?:Use|Map)HealthChecks\s*\("
        r"|\.(?:UseSwagger(?:UI|Ui3?)?|UseReDoc|UseOpenApi|MapSwagger|MapOpenApi|MapScalarApiReference)\s*\("
        r"|:\s*PageModel\b"
        # a FastEndpoints endpoint class: `Post("/x");` in its `Configure()`
        r"|\boverride\s+void\s+Configure\s*\(\s*\)"
    ),
    ".rb": re.compile(
        r"routes\.draw|before_action|before_filter|Controller\s*<|Policy\s*<|ActiveAdmin\.register"
    ),
    ".php": re.compile(
        r"Route::|\$routes?r?\s*->\s*(?:get|post|put|patch|delete|group|resource)\s*\(|RouteCollectorProxy|"
        # Slim 3: `$app->group('/admin', function () { $this->get('/x', …); })`
        r"\$(?:app|this)\s*->\s*(?:get|post|put|patch|delete|group|map|any)\s*\(\s*['\"]|\$(?:middlewareGroups|routeMiddleware|middlewareAliases)\b|\$middleware\s*->\s*(?:group|alias|appendToGroup)\s*\(|function\s+handle\s*\("
        r"|checkPermission|->\s*middleware\s*\(|->\s*authorize\s*\(|Gate::|#\[\s*Route\b|@Route\s*\(|['\"]path['\"]\s*=>"
        r"|#\[\s*IsGranted\b|denyAccessUnlessGranted|ApiPlatform\\Metadata"
        # a Laravel form request, and an action taking one
        r"|function\s+authorize\s*\(|\b[A-Z]\w*[a-z0-9]Request\s+\$\w+|\bextends\s+[\w\\]*Request\b"
    ),
    ".ex": re.compile(
        r"\b(?:scope|pipe_through|plug|live_dashboard|forward|resources|Router)\b|:router\b|^\s*def action\(",
        re.M,
    ),
    ".proto": re.compile(r"\bservice\s+\w+"),
    ".rs": re.compile(
        r"#\[\s*(?:(?:rocket|actix_web|web)::)?(?:get|post|put|delete|patch)\s*\(|routes!|Router::|web::scope|\.mount\s*\("
        r"|web::resource\s*\("
        r"|router\w*\s*\.\s*(?:get|post|put|delete|patch)\s*\(\s*\"/"
        # handlers routed from another file, read for the guards they check first
        r"|\bimpl\s+IntoResponse\b"
    ),
    ".graphql": re.compile(r"\btype\s+(?:Query|Mutation)"),
    ".yaml": re.compile(
        r"^\s*[\"']?(?:paths|swagger|openapi|management(?:\.[\w.-]+)?|endpoints|access_control|firewalls)[\"']?\s*:"
        # a Symfony routes file: `admin_x:\n    controller: App\\Controller\\AdminController::index`
        r"|^[ \t]+_?controller[ \t]*:[ \t]*[\"']?[A-Z][\w\\]*\\"
        # a Symfony route import: `sulu_activity_api:\n    resource: "@SuluActivityBundle/…"\n    prefix: /admin/api`
        r"|^[ \t]+prefix[ \t]*:[ \t]*[\"']?/",
        re.M,
    ),
    ".properties": re.compile(r"^\s*(?:management|endpoints)\.", re.M),
}
for _ext in (".mjs", ".cjs", ".ts", ".tsx", ".jsx"):
    _SNIFF[_ext] = _SNIFF[".js"]
_SNIFF[".kt"] = _SNIFF[".groovy"] = _SNIFF[".java"]
for _ext in (".graphqls", ".gql"):
    _SNIFF[_ext] = _SNIFF[".graphql"]
for _ext in (".yml", ".json"):
    _SNIFF[_ext] = _SNIFF[".yaml"]


def _alternatives(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], ...]:
    """A pattern's top-level alternatives, compiled one by one: each starts with its own literal, which
    the regex engine scans for quickly, where one alternation is tried at every position of the file."""
    parts: list[str] = []
    start = depth = i = 0
    in_class = False
    source = pattern.pattern
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return tuple(re.compile(part, pattern.flags) for part in parts)


_SNIFF_PARTS = {ext: _alternatives(pattern) for ext, pattern in _SNIFF.items()}

# Installed and built code declares no route of this project. A monorepo may keep its own packages in a
# tracked `packages/node_modules/` (Node-RED): that is source.
_SKIP = re.compile(
    r"(?:^|/)(?:(?<!^packages/)node_modules|vendor|dist|build|\.git)/|\.min\.js$|(?:^|/)package(?:-lock)?\.json$"
    r"|\.d\.ts$"
    # a bundler's output (`109-legacy.540e2d81.js`) and a Spring app's static files: the browser's scripts
    r"|\.[0-9a-f]{8,}\.[cm]?js$|(?:^|/)src/main/resources/(?:static|public)/"
)
# Tests send requests and clients call servers: neither declares a route the server exposes.
_TEST_DIRS = r"tests?|__tests__|__mocks__|testdata|testing|e2e|cypress|fixtures"
_TEST = re.compile(
    rf"(?:^|/)(?:spec|specs|{_TEST_DIRS})/|"
    r"_test\.\w+$|(?:^|/)test_[^/]*\.py$|_spec\.rb$|\.(?:test|spec|e2e)\.[cm]?[jt]sx?$|Tests?\.(?:cs|java|kt)$"
)
# test trees but `spec/`, where an API description (`spec/openapi.yaml`) lives too
_TEST_TREE = re.compile(rf"(?:^|/)(?:{_TEST_DIRS})/")
_CLIENT = re.compile(
    r"(?:^|/)(?:client|clients|httpclient|apiclient|api-client|sdk|sdks)/|"
    r"(?:^|/)[\w-]*(?:Store|store|Client|client|Api|api)\.[cm]?[jt]sx?$|"
    r"(?:^|/)(?:assets|frontend|static|public|ui|webapp|web-ui)/[^.]*\.[cm]?[jt]sx?$|"
    # a front end's pages and components (`web/src/pages/Setting/Panel.js`; not Next.js' `pages/api/`)
    r"(?:^|/)src/(?:pages|components)/(?!api/)[^.]*\.[cm]?[jt]sx?$"
)


# `routes/api.js`, `server/api.ts`: a server's route file named for what it serves, not a client.
_FRONT_DIR = re.compile(
    r"(?:^|/)(?:assets|frontend|static|public|ui|webapp|web-ui|client|clients|sdk|components|pages|views)/"
)
# A server's API for its clients (gotosocial's `internal/api/client/admin/admin.go`): served, not called.
_CLIENT_API = re.compile(r"(?:^|/)api/clients?/")
_SERVER_DIR = re.compile(r"(?:^|/)(?:routes?|routers?|server|controllers?|handlers?|endpoints?)/[^/]+$")


def is_test_or_client(path: str) -> bool:
    """Test files and API clients: their requests are never routes the server exposes."""
    # A front-end tree's `routes/` is its router's pages; a server's `sdk/routes/` (Python, Go…) serves.
    front = _FRONT_DIR.search(path) is not None and _extension(path) in _SCRIPT_EXTENSIONS
    server = _SERVER_DIR.search(path) is not None or _CLIENT_API.search(path) is not None
    if _CLIENT.search(path) is not None and (not server or front):
        return True
    # `spec/openapi.yaml` is an API description, `spec/users_spec.rb` a test; a test app's
    # `tests/Functional/app/config/security.yml` configures the tests.
    if _extension(path) in _DOCUMENTS:
        return _TEST_TREE.search(path) is not None
    return _TEST.search(path) is not None


_SCRIPT_EXTENSIONS = frozenset({".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".vue", ".svelte"})
_DOCUMENTS = frozenset({".yaml", ".yml", ".json", ".proto", ".graphql", ".graphqls", ".gql"})


def _extension(path: str) -> str:
    return posixpath.splitext(path)[1].lower()


def can_declare_routes(path: str) -> bool:
    return _extension(path) in _BY_EXTENSION and _SKIP.search(path) is None and not is_test_or_client(path)


def might_declare_routes(path: str, text: str) -> bool:
    if not can_declare_routes(path):
        return False
    parts = _SNIFF_PARTS.get(_extension(path))
    return (
        parts is None
        or any(part.search(text) is not None for part in parts)
        or is_next_route(path)
        or mentions_allowlist(text)
        or mentions_diagnostics(text)
        or mentions_dashboard(text)
        or (
            _extension(path) in (".ts", ".js", ".mjs", ".cjs")
            and (mentions_trpc(text) or mentions_route_table(text))
        )
        or (_extension(path) == ".go" and (mentions_inline_check(text) or mentions_endpoint_table(text)))
        or (_extension(path) == ".cs" and mentions_auth_handler(text))
        or (
            _extension(path) == ".py"
            and (
                mentions_login_hook(text)
                or mentions_flask_admin(text)
                or mentions_tornado(text)
                or mentions_pyramid(text)
                or mentions_servlets(text)
                or mentions_frappe(text)
                or mentions_py_route_table(text)
            )
        )
        or (_extension(path) == ".kt" and mentions_ktor(text))
        or (
            _extension(path) == ".rb"
            and (mentions_sinatra(text) or mentions_grape(text) or is_drawn_routes(path))
        )
    )


def routes_by_file(files: Mapping[str, str]) -> list[tuple[str, FileRoutes]]:
    per_file: list[tuple[str, FileRoutes]] = []
    for path in sorted(files):
        text = files[path]
        if not might_declare_routes(path, text):
            continue
        family = extract_next if is_next_route(path) else _BY_EXTENSION[_extension(path)]
        declared = family(path, text)
        if family is extract_next and MOUNTS_AN_APP.search(text):
            # `export const GET = handle(app)` (hono/vercel): the app's own routes, not the file's catch-all
            inner = _BY_EXTENSION[_extension(path)](path, text)
            declared = inner if inner.routes else declared
        found = _merge(declared, extract_allowlist(path, text))
        found = _merge(found, extract_dashboards(path, text))
        served = served_at_literal_paths(text) if found.routes else {}
        if served:
            found.routes[:] = [_serving(r, served) for r in found.routes]
        found = _merge(found, extract_diagnostics(path, text))
        if path.endswith(".go") and found.routes and debug_build_only(text):
            found.debug_only([(1, line_of(text, len(text)))], also=(DEV_SERVER,))
        per_file.append((path, found))
    return per_file


def _serving(route: RawRoute, served: Mapping[tuple[int, str], str]) -> RawRoute:
    handler = served.get((route.line, route.path))
    if handler is None:
        return route
    return replace(route, reasons=(*route.reasons, f"{SERVES}{handler}"))


def extract(files: Mapping[str, str]) -> tuple[Endpoint, ...]:
    return with_global_guards(resolve(routes_by_file(files)), files, is_test_or_client)


def unresolved_guards(files: Mapping[str, str]) -> list[str]:
    """What to search the repository for: guards that routes in `files` rely on but no file among them
    declares — a right granted by a roles table (`auth('getUsers')`), a Laravel middleware name defined in
    the HTTP kernel (`'api' =>`), a middleware class (`class AuthenticateApplicationUser`)."""
    per_file = routes_by_file(files)
    guards = _guards_of(per_file)
    owners = {r.owner for _, fr in per_file for r in fr.routes if r.owner}
    todo = sorted({r.handler for _, fr in per_file for r in fr.routes if r.handler.startswith(RIGHT)})
    todo += [key for _, fr in per_file for m in fr.mounts if m.child in owners for key in m.uses]
    todo += sorted(
        {
            r.handler
            for _, fr in per_file
            for r in fr.routes
            if r.handler.startswith((CLASS, ALIAS, WRAPPER, DEPENDENCY))
        }
    )
    # A changed Rails controller's parent (`class UsersController < ApiController`) declares its before_actions.
    todo += sorted(key for key in guards if key.startswith(CONTROLLER) and "#" not in key)
    missing = _unresolved(todo, guards)
    # REST framework views that name no permission classes take the settings' defaults.
    if DRF_DEFAULTS not in guards and any(DRF_ROUTE in r.reasons for _, fr in per_file for r in fr.routes):
        missing.append(DRF_DEFAULTS)
    terms = {
        DRF_DEFAULTS: "DEFAULT_PERMISSION_CLASSES",
        RIGHT: "{}",
        MIDDLEWARE: "'{}'",  # `'admin' =>` in a kernel, `group('admin', [` in Laravel 11's bootstrap/app.php
        MIDDLEWARE_CLASS: "class {}",
        CLASS: "class {}",
        ALIAS: "{} =",
        WRAPPER: "def {}(",
        DEPENDENCY: "def {}(",
    }
    return sorted(
        [terms[p].format(key.removeprefix(p)) for key in missing for p in terms if key.startswith(p)]
        + [controller_class(key) for key in missing if key.startswith(CONTROLLER)]
    )


def unresolved_asked(files: Mapping[str, str]) -> list[str]:
    """What to search for next, with a budget of its own: the classes an action asks before it runs that no
    file among `files` declares — a Pundit policy (`class UserPolicy`), a Laravel form request (`class
    UploadRequest`) and the classes they extend."""
    guards = _guards_of(routes_by_file(files))
    asked = (INHERITS + POLICY, INHERITS + FORM_REQUEST)
    todo = sorted({g.removeprefix(INHERITS) for rs in guards.values() for g in rs if g.startswith(asked)})
    missing = _unresolved(todo, guards)
    return sorted(
        [policy_class(key) for key in missing if key.startswith(POLICY)]
        + ["class " + key.removeprefix(FORM_REQUEST) for key in missing if key.startswith(FORM_REQUEST)]
    )


def _guards_of(per_file: Iterable[tuple[str, FileRoutes]]) -> dict[str, list[str]]:
    """Every guard key the files declare, with the reasons all of them give it."""
    guards: dict[str, list[str]] = {}
    for _, fr in per_file:
        for key, reasons in fr.guards.items():
            guards.setdefault(key, []).extend(reasons)
    return guards


def _unresolved(todo: list[str], guards: Mapping[str, list[str]]) -> list[str]:
    """The guard keys reached from `todo` (following what each inherits, bounded) that nothing declares."""
    seen: set[str] = set()
    missing: list[str] = []
    while todo and len(seen) < MAX_GUARD_KEYS:
        key = todo.pop(0)
        if key in seen:
            continue
        seen.add(key)
        if key not in guards:
            missing.append(key)
        todo = todo + [g.removeprefix(INHERITS) for g in guards.get(key, []) if g.startswith(INHERITS)]
    return missing
