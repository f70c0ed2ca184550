"""Operations dashboards that a library mounts with one call: job queues, profilers, health and error consoles.

`app.UseHangfireDashboard("/jobs")`, `app.UseMiniProfiler()`, `BullBoardModule.forRoot({ route: ... })`: the
route is the library's, declared in no route table, so the family extractors never see it. Each is internal
wherever it is served. Its path is the literal the call names, else the library's documented default, else the
expression holding it (`/{BULL_BOARD_ROUTE}`), so renaming a setting moves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import MAX_FILE_CHARS, OPS_DASHBOARD, UNKNOWN, line_of
from .roles import privileged_role
from .routes import FileRoutes, RawRoute
from .scan import balanced, leading_string, path_constants


@dataclass(frozen=True)
class _Library:
    name: str
    call: re.Pattern[str]  # ends at the call's opening parenthesis
    default: str  # the library's own path when the call names none
    setting: re.Pattern[str] | None = None  # where the file may set the path instead (group 1: the path)
    # literals one of which the file must hold (the call alone is any object's method)
    needs: tuple[str, ...] = ()
    path_first: bool = True  # whether a string the call opens with is the path (not a name: `("gin")`)
    # whether a mount at this path of this file is an operations surface (default: every one is)
    serves_operators: Callable[[str, str], bool] | None = None
    # whether a call inside a development-only branch (`if (process.env.NODE_ENV !== 'production') {`) serves
    # nothing in production
    development_branch: bool = False
    # whether an empty path the call opens with is the site root (`SwaggerModule.setup('', app, document)`)
    empty_is_root: bool = False


_PANEL_ID = re.compile(r"->\s*id\s*\(\s*['\"]([\w-]{1,80})['\"]")


def _admin_panel(text: str, at: str) -> bool:
    """A Filament panel for administrators, by its id or path: an `app` panel serves the product's users."""
    panel = _PANEL_ID.search(text)
    return privileged_role(at) is not None or (
        panel is not None and privileged_role(panel.group(1)) is not None
    )


_LIBRARIES = (
    _Library(
        "Hangfire dashboard",
        re.compile(r"\.(?:Use|Map)HangfireDashboard\s*(?:<[^>\n]{0,80}>)?\s*\("),
        "/hangfire",
    ),
    _Library(
        "MiniProfiler",
        re.compile(r"\.UseMiniProfiler\s*\("),
        "/profiler",
        re.compile(r"RouteBasePath\s*=\s*\"~?(/[^\"\n]{0,200})\""),
    ),
    _Library(
        "HealthChecks UI",
        re.compile(r"\.(?:Use|Map)HealthChecksUI\s*\("),
        "/healthchecks-ui",
        re.compile(r"\bUIPath\s*=\s*\"(/[^\"\n]{0,200})\""),
    ),
    _Library(
        "ELMAH error log",
        re.compile(r"\.UseElmah\s*\("),
        "/elmah",
        re.compile(r"\bPath\s*=\s*\"(/[^\"\n]{0,200})\""),
    ),
    _Library(
        "Orleans dashboard",
        re.compile(r"\.(?:Use|Map)OrleansDashboard\s*\("),
        "/orleans",
        re.compile(r"\bBasePath\s*=\s*\"(/[^\"\n]{0,200})\""),
    ),
    _Library(
        "Prometheus scraping endpoint (OpenTelemetry)",
        re.compile(r"\.(?:Map|UseOpenTelemetry)PrometheusScrapingEndpoint\s*\("),
        "/metrics",
        re.compile(r"\bScrapeEndpointPath\s*=\s*\"(/[^\"\n]{0,200})\""),
    ),
    _Library(
        "Prometheus metrics (prometheus-net)",
        re.compile(r"\.(?:MapMetrics|UseMetricServer)\s*\("),
        "/metrics",
    ),
    _Library("Bull Board", re.compile(r"\bBullBoardModule\s*\.\s*forRoot\s*\("), "/queues"),
    _Library("Bull Board", re.compile(r"\.setBasePath\s*\("), "", needs=("bull-board",)),
    # A Filament panel (`class AdminPanelProvider extends PanelProvider`, `$panel->id('admin')->path('admin')`):
    # the library serves its login, dashboard and every resource's pages under the panel's path.
    _Library(
        "Filament admin panel",
        re.compile(r"->\s*path\s*\("),
        "",
        needs=("extends PanelProvider",),
        serves_operators=_admin_panel,
    ),
    # Filament 2 serves one panel, the admin's, at the path `config/filament.php` publishes:
    # `'path' => env('FILAMENT_PATH', 'admin')`
    _Library(
        "Filament admin panel",
        re.compile(r"['\"]path['\"]\s*=>\s*env\s*\((?=\s*['\"]FILAMENT_PATH['\"])"),
        "/admin",
        re.compile(r"['\"]FILAMENT_PATH['\"]\s*,\s*['\"]([^'\"\n]{0,200})['\"]"),
        needs=("FILAMENT_PATH",),
        path_first=False,
    ),
    # actix-web-prom: `PrometheusMetricsBuilder::new("api").endpoint("/metrics")` serves the registry there
    _Library(
        "Prometheus metrics (actix-web-prom)",
        re.compile(r"\bPrometheusMetricsBuilder\s*::\s*new\s*\("),
        "",
        re.compile(r"\.\s*endpoint\s*\(\s*\"([^\"\n]{1,200})\""),
        path_first=False,
    ),
    # NestJS: `SwaggerModule.setup('docs', app, document)` serves Swagger UI and the document it describes
    _Library(
        "Swagger UI (@nestjs/swagger)",
        re.compile(r"\bSwaggerModule\s*\.\s*setup\s*\("),
        "",
        development_branch=True,
        empty_is_root=True,
    ),
    # prometheus-fastapi-instrumentator: `Instrumentator().instrument(app).expose(app)` serves `/metrics`.
    _Library(
        "Prometheus metrics (prometheus-fastapi-instrumentator)",
        re.compile(
            r"\bInstrumentator\s*\([^()\n]{0,400}\)(?:\s*\.\s*instrument\s*\([^()\n]{0,200}\))?\s*\.\s*expose\s*\("
        ),
        "/metrics",
        re.compile(r"\bendpoint\s*=\s*[\"'](/[^\"'\n]{0,200})[\"']"),
    ),
    # Go middleware that serves Prometheus metrics on the engine it is used on: go-gin-prometheus
    # (`ginprometheus.NewPrometheus("gin").Use(r)`) and echo-contrib's (`prometheus.NewPrometheus("echo", nil)`)
    _Library(
        "Prometheus metrics (Go middleware)",
        re.compile(r"\bNewPrometheus\s*\("),
        "/metrics",
        re.compile(r"\bMetricsPath\s*=\s*\"(/[^\"\n]{0,200})\""),
        needs=("go-gin-prometheus", "echo-contrib/prometheus"),
        path_first=False,
    ),
    # express-status-monitor: `app.use(require('express-status-monitor')())` serves its live dashboard at
    # `/status` (or the `path` option) to whoever reaches the app
    _Library(
        "express-status-monitor",
        re.compile(
            r"(?:\brequire\s*\(\s*['\"]express-status-monitor['\"]\s*\)|\b[A-Za-z_$][\w$]{0,40}[Ss]tatus[Mm]onitor)"
            r"\s*\("
        ),
        "/status",
        re.compile(r"\bpath\s*:\s*['\"](/[^'\"\n]{0,200})['\"]"),
        needs=("express-status-monitor",),
        path_first=False,
    ),
    _Library("flask-profiler", re.compile(r"\bflask_profiler\s*\.\s*init_app\s*\("), "/flask-profiler"),
    # spectree: `SpecTree("flask", title=…)` serves Swagger UI and ReDoc under `/apidoc` (its `path=` setting) on
    # the app it registers with; flasgger's `Swagger(app)` serves Swagger UI at `/apidocs`
    _Library(
        "API documentation (spectree)",
        re.compile(r"\bSpecTree\s*\(\s*['\"](?:flask|falcon|starlette|quart)"),
        "/apidoc",
        re.compile(r"\bSpecTree\s*\([^()]{0,400}?\bpath\s*=\s*['\"]([^'\"\n]{1,200})['\"]"),
        path_first=False,
    ),
    _Library(
        "Swagger UI (flasgger)",
        re.compile(r"(?<![\w.])Swagger\s*\(\s*(?:app\b|template\b|config\b)"),
        "/apidocs",
        re.compile(r"['\"]specs_route['\"]\s*:\s*['\"]([^'\"\n]{1,200})['\"]"),
        needs=("flasgger",),
        path_first=False,
    ),
    # laravel-log-viewer: `Route::get('system/logs', [LogViewerController::class, 'index'])` browses the logs
    _Library(
        "Laravel log viewer",
        re.compile(r"\bRoute::(?:get|any|match)\s*\((?=[^;]{0,300}?\bLogViewerController\b)"),
        "/logs",
    ),
)
# A literal every pattern above holds: files without one are skipped before any pattern runs.
_LITERALS = (
    "OrleansDashboard",
    "HangfireDashboard",
    "MiniProfiler",
    "HealthChecksUI",
    "UseElmah",
    "PrometheusScrapingEndpoint",
    "MapMetrics",
    "UseMetricServer",
    "@Endpoint",
    "@WebEndpoint",
    "@ControllerEndpoint",
    "@RestControllerEndpoint",
    "BullBoardModule",
    "bull-board",
    "flask_profiler",
    "SpecTree",
    "flasgger",
    "express-status-monitor",
    "Instrumentator",
    "LogViewerController",
    "PanelProvider",
    "FILAMENT_PATH",
    "PrometheusMetricsBuilder",
    "SwaggerModule",
    "NewPrometheus",
    "admin()",
    "OkComputer",
    "make_wsgi_app",
    "make_asgi_app",
)
_ROUTE_KEY = re.compile(r"\broute\s*:\s*(?:(['\"`])(/[^'\"`\n]{0,200})\1|([A-Za-z_][\w.]{0,200}))")
MAX_MOUNTS = 32


def mentions_dashboard(text: str) -> bool:
    text = text[:MAX_FILE_CHARS]
    return any(word in text for word in _LITERALS)


def extract_dashboards(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_dashboard(text):
        return out
    for lib in _LIBRARIES:
        if lib.needs and not any(literal in text for literal in lib.needs):
            continue
        for m in lib.call.finditer(text):
            at = _path(lib, text, balanced(text, m.end() - 1))
            if at is None or (lib.serves_operators is not None and not lib.serves_operators(text, at)):
                continue
            if lib.development_branch and in_development_branch(text, m.start()):
                continue
            out.routes.append(
                RawRoute(
                    "http",
                    "ANY",
                    at.rstrip("/") + "/**",
                    line_of(text, m.start()),
                    UNKNOWN,
                    (OPS_DASHBOARD + lib.name,),
                )
            )
            if len(out.routes) >= MAX_MOUNTS:
                return out
    _management_endpoints(out, text)
    _admin_tasks(out, text)
    _okcomputer(out, text)
    _prometheus_client_apps(out, text)
    return out


# prometheus_client's own app mounted at a path: `DispatcherMiddleware(app, {"/metrics": make_wsgi_app()})`,
# `app.mount("/metrics", make_asgi_app())`, `Mount("/metrics", app=make_asgi_app())`, under an import alias too.
_PROMETHEUS_ALIAS = re.compile(r"\bmake_[wa]sgi_app\s+as\s+(\w{1,80})")
_PROMETHEUS_AT = (
    r"""(['"])(/[\w./-]{0,200})\1\s*(?::|,)\s*(?:app\s*=\s*)?(?:prometheus_client\s*\.\s*)?(?:%s)\s*\("""
)


def _prometheus_client_apps(out: FileRoutes, text: str) -> None:
    if "prometheus_client" not in text:
        return
    names = list(dict.fromkeys(["make_wsgi_app", "make_asgi_app", *_PROMETHEUS_ALIAS.findall(text)]))[:8]
    at = re.compile(_PROMETHEUS_AT % "|".join(re.escape(n) for n in names))
    for m in at.finditer(text):
        if len(out.routes) >= MAX_MOUNTS:
            return
        out.routes.append(
            RawRoute(
                "http",
                "ANY",
                m.group(2).rstrip("/") + "/**",
                line_of(text, m.start()),
                UNKNOWN,
                (OPS_DASHBOARD + "Prometheus metrics (prometheus_client)",),
            )
        )


# OkComputer, the Rails engine of health checks: `OkComputer.mount_at = 'status'` serves `/status/all` with
# every registered check's state (the repository's name, URLs, versions), `/status/<check>` one by one.
_OKCOMPUTER_MOUNT = re.compile(r"\bOkComputer\s*\.\s*mount_at\s*=\s*(['\"])/?([\w./-]{1,80})\1")


def _okcomputer(out: FileRoutes, text: str) -> None:
    for m in _OKCOMPUTER_MOUNT.finditer(text):
        if len(out.routes) >= MAX_MOUNTS:
            return
        at = "/" + m.group(2).strip("/")
        reasons = (OPS_DASHBOARD + "OkComputer health checks",)
        out.routes.append(RawRoute("http", "ANY", at + "/**", line_of(text, m.start()), UNKNOWN, reasons))


# Dropwizard's admin connector: `environment.admin().addTask(new SetFlagTask(…))` serves `POST /tasks/<name>`,
# `environment.admin().addServlet("dump", servlet).addMapping("/dump")` serves the mapping, both for operators.
# The task's name is set in its own constructor, elsewhere: the class names it here.
_ADMIN_CALL = re.compile(r"\.\s*admin\s*\(\s*\)\s*\.\s*add(Task|Servlet)\s*\(")
_NEW_CLASS = re.compile(r"\bnew\s+([A-Z]\w{0,80})")
_MAPPING = re.compile(r"\s*\.\s*addMapping\s*\(\s*\"(/[^\"\n]{0,200})\"")


def _admin_tasks(out: FileRoutes, text: str) -> None:
    if "admin()" not in text:
        return
    for m in _ADMIN_CALL.finditer(text):
        if len(out.routes) >= MAX_MOUNTS:
            return
        args = balanced(text, m.end() - 1)
        line = line_of(text, m.start())
        if m.group(1) == "Task":
            task = _NEW_CLASS.search(args)
            name = task.group(1) if task else args.strip(" ()")[:80]
            if name:
                reason = OPS_DASHBOARD + "Dropwizard admin task"
                out.routes.append(RawRoute("http", "POST", "/tasks/{" + name + "}", line, UNKNOWN, (reason,)))
            continue
        mapping = _MAPPING.match(text, m.end() + len(args) + 1)
        if mapping is not None:
            reason = OPS_DASHBOARD + "Dropwizard admin servlet"
            route = mapping.group(1).rstrip("/*") + "/**"
            out.routes.append(RawRoute("http", "ANY", route, line, UNKNOWN, (reason,)))


# A custom management endpoint (`@Endpoint(id = "scheduler")`, Micronaut or Spring Boot Actuator): served
# beside the health and metrics endpoints, under `/actuator/<id>` in Spring Boot and `/<id>` in Micronaut.
_MANAGEMENT = re.compile(
    r"@(?:Endpoint|WebEndpoint|ControllerEndpoint|RestControllerEndpoint)\s*\(\s*(?:id\s*=\s*)?\"([\w.-]{1,80})\""
)


def _management_endpoints(out: FileRoutes, text: str) -> None:
    base = "/actuator" if "springframework.boot.actuate" in text else ""
    for m in _MANAGEMENT.finditer(text):
        if len(out.routes) >= MAX_MOUNTS:
            return
        reason = OPS_DASHBOARD + f"management endpoint {m.group(1)}"
        route = f"{base}/{m.group(1)}/**"
        out.routes.append(RawRoute("http", "ANY", route, line_of(text, m.start()), UNKNOWN, (reason,)))


# A condition true only outside production: `process.env.NODE_ENV !== 'production'`, `=== 'development'`,
# `isDev`, `!isProduction`, `app.Environment.IsDevelopment()`.
_DEVELOPMENT = re.compile(
    r"NODE_ENV['\"]?\]?\s*!==?\s*['\"]prod(?:uction)?['\"]"
    r"|NODE_ENV['\"]?\]?\s*===?\s*['\"](?:development|dev|local|test)['\"]"
    r"|\bis_?[Dd]ev(?:elopment|Mode|Env)?\b|\bIS_DEV\w*|\b__DEV__\b|\bIsDevelopment\s*\("
    r"|!\s*(?:[\w$]+\.){0,4}is_?[Pp]rod(?:uction)?\b"
)
_IF_OPEN = re.compile(r"\bif\s*\(([^{}]{0,400})\)\s*$")
MAX_BLOCK_SCAN = 20_000


def in_development_branch(text: str, at: int) -> bool:
    """Whether the call at `at` sits in the block of an `if` whose condition holds only in development (not
    its `else`, not a condition another clause can widen: `isDev || enableDocs`)."""
    braceless = _IF_OPEN.search(text, max(0, at - 420), at)  # `if (isDev) SwaggerModule.setup(…)`
    if braceless is not None:
        return "||" not in braceless.group(1) and _DEVELOPMENT.search(braceless.group(1)) is not None
    depth = 0
    start = max(0, at - MAX_BLOCK_SCAN)
    for i in range(at - 1, start - 1, -1):
        ch = text[i]
        if ch == "}":
            depth += 1
        elif ch == "{":
            if depth:
                depth -= 1
                continue
            opened = _IF_OPEN.search(text, max(start, i - 420), i)
            if opened is not None:
                condition = opened.group(1)
                return "||" not in condition and _DEVELOPMENT.search(condition) is not None
    return False


def _path(lib: _Library, text: str, args: str) -> str | None:
    literal = leading_string(args) if lib.path_first else None
    if literal or (literal == "" and lib.empty_is_root):
        return "/" + literal.lstrip("~").lstrip("/")
    route = _ROUTE_KEY.search(args)
    if route is not None:
        return route.group(2) or "/{" + route.group(3) + "}"
    setting = lib.setting.search(text) if lib.setting is not None else None
    if setting is not None:
        return "/" + setting.group(1).lstrip("/")
    # `serverAdapter.setBasePath(basePath)` with `const basePath = "/admin"` in the same file
    named = re.fullmatch(r"\s*([A-Za-z_$][\w$]{0,80})\s*", args)
    if named is not None and not lib.default:
        return path_constants(text).get(named.group(1), "/{" + named.group(1) + "}")
    return lib.default or None
