"""Django URLconfs (`path`, `re_path`, `include`) and Starlette routing tables (`Route`, `Mount`)."""

from __future__ import annotations

import itertools
import re

from .diagnostics import SERVES
from .drf import extract_drf
from .model import (
    ADMIN_HANDLER,
    AUTHENTICATED,
    DEBUG_BUILD,
    DEV_SERVER,
    MAX_FILE_CHARS,
    OPS_DASHBOARD,
    UNKNOWN,
    join_paths,
    line_of,
    regex_to_path,
)
from .routes import FileRoutes, Mount, RawRoute, relative_package
from .scan import balanced, keyword, leading_string, split_args, strings

# A view serving the API's documentation: `get_schema_view(…)`, `SpectacularSwaggerView.as_view()`,
# `schema_view.with_ui("swagger")`, `include_docs_urls(…)`, a view of the project's own named for Swagger UI
# or ReDoc (`views.swagger_ui`).
_API_DOCS = re.compile(
    r"\s*(?:[\w.]*\b(?:get_schema_view|include_docs_urls|Spectacular(?:Swagger|Redoc|API)\w*View)\b"
    r"|[\w.]*\.with_ui\s*\(|[\w.]*\.(?:swagger_ui|swagger|redoc|api_docs)\b\s*[,)])",
    re.IGNORECASE,
)

_URL = re.compile(r"\b(path|re_path|url)\s*\(")
# A view that only redirects elsewhere: a lambda returning `redirect(…)`, `RedirectView.as_view(…)`.
_REDIRECT_VIEW = re.compile(
    r"\s*(?:lambda\b[^:\n]{0,40}:\s*(?:[\w.]+\.)?redirect\s*\(|(?:[\w.]+\.)?RedirectView\.as_view\s*\()"
)
# `patterns('', (r'^$', login_required(index)), …)`: Django < 1.10 also took bare tuples, a regex and a view
_TUPLE = re.compile(r"(?<![\w.\])])\(\s*(?=[rRuU]{0,2}['\"]\^)")
_STARLETTE = re.compile(r"\b(Route|WebSocketRoute|Mount)\s*\(")
_WRAPPERS = re.compile(
    r"\b(login_required|permission_required|staff_member_required|user_passes_test|requires)\b"
)


# URLconfs of packages that serve operations surfaces: what they serve under the prefix they are included at.
_OPS_URLCONFS = {
    "debug_toolbar.urls": ("ANY", "**", OPS_DASHBOARD + "django-debug-toolbar"),
    "django_prometheus.urls": ("GET", "metrics", SERVES + "django_prometheus metrics"),
    "silk.urls": ("ANY", "**", OPS_DASHBOARD + "django-silk profiler"),
    "django_rq.urls": ("ANY", "**", OPS_DASHBOARD + "django-rq queues"),
    "explorer.urls": ("ANY", "**", OPS_DASHBOARD + "django-sql-explorer"),
    "rosetta.urls": ("ANY", "**", OPS_DASHBOARD + "rosetta translations"),
    "hijack.urls": ("ANY", "**", OPS_DASHBOARD + "django-hijack impersonation"),
    "defender.urls": ("ANY", "**", OPS_DASHBOARD + "django-defender lockouts"),
    "loginas.urls": ("ANY", "**", OPS_DASHBOARD + "django-loginas impersonation"),
    "impersonate.urls": ("ANY", "**", OPS_DASHBOARD + "django-impersonate impersonation"),
    "django_sql_dashboard.urls": ("ANY", "**", OPS_DASHBOARD + "django-sql-dashboard"),
    # django-maintenance-mode's switch: its views put the whole site in or out of maintenance
    "maintenance_mode.urls": ("GET", "**", OPS_DASHBOARD + "django-maintenance-mode switch"),
    # Wagtail's editors' console, imported as the package or under the name its documentation gives it
    "wagtail.admin.urls": ("ANY", "**", OPS_DASHBOARD + "Wagtail admin"),
    "wagtailadmin_urls": ("ANY", "**", OPS_DASHBOARD + "Wagtail admin"),
    # django-health-check and django-watchman report each backend's state (database, cache, storage, queues)
    "health_check.urls": ("GET", "**", SERVES + "django-health-check backend status"),
    "watchman.urls": ("GET", "**", SERVES + "django-watchman backend status"),
}


_SETTING_PATH = re.compile(r"\s*(settings\.[A-Z][A-Z0-9_]{0,60})\s*,")
# `if settings.DEBUG:` at the start of a line: the URLconf entries indented under it serve in debug only; so
# do those under a setting named for debugging or testing (`SHOW_DEBUG_INFO`, `ENABLE_TESTING_ENDPOINTS`).
# (`if getattr(settings, "DEBUG", False):` reads the same setting)
# (a switch of its own, `DEBUG_TOOLBAR = env.bool(…)`, may be on in production: not one of these)
_DEBUG_NAME = r"(?:DEBUG|SHOW_DEBUG[A-Z_]*|DEV(?:ELOPMENT)?|[A-Z_]*TESTING[A-Z_]*)"
# (`if settings.RUNTIME_ENVIRONMENT() == settings.RUNTIME_ENVS.LOCAL:`, `if ENV in ("local", "dev"):`: an
# environment compared with local, development or test ones only)
_LOCAL_ENV = (
    r"(?:[\w.]*\.(?:LOCAL|DEV|DEVELOPMENT|TEST|TESTING)|[\"'](?:local|dev|development|test|testing)[\"'])"
)
_ENV_IS_LOCAL = (
    rf"[\w.]*(?i:env)[\w.]*(?:\(\s*\))?\s*"
    rf"(?:==\s*{_LOCAL_ENV}|in\s*[(\[]\s*{_LOCAL_ENV}(?:\s*,\s*{_LOCAL_ENV})*\s*,?\s*[)\]])"
)
_DEBUG_IF = re.compile(
    rf"^if\s+(?:(?:settings\.)?{_DEBUG_NAME}|{_ENV_IS_LOCAL}"
    rf"|getattr\(\s*settings\s*,\s*[\"']{_DEBUG_NAME}[\"']\s*(?:,\s*\w+\s*)?\))\s*:[ \t]*$",
    re.M,
)


_TOP_LEVEL = re.compile(r"^\S", re.M)


def _debug_blocks(text: str) -> list[tuple[int, int]]:
    """The indented bodies of top-level `if settings.DEBUG:` blocks, found in one pass."""
    spans: list[tuple[int, int]] = []
    sniff = ("DEBUG", "DEV", "TESTING", "LOCAL", "local", "dev")
    for m in _DEBUG_IF.finditer(text) if any(word in text for word in sniff) else ():
        end = _TOP_LEVEL.search(text, m.end() + 1)
        spans.append((m.end(), end.start() if end else len(text)))
    return spans


def django_module(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return "django:" + ".".join(parts[-2:])


# `def get_urls(self): … path("<id>/disable-mfa/", self.admin_site.admin_view(view))`: a ModelAdmin's own
# pages, served inside the admin site (under its model's URLs) to staff.
_GET_URLS = re.compile(r"^([ \t]+)def[ \t]+get_urls[ \t]*\([ \t]*self\b", re.M)
_ADMIN_SITE = "/{admin site}/{model}"


_CLASS_LINE = re.compile(r"^([ \t]*)class[ \t]+\w+[ \t]*(?:\(([^)\n]{0,300})\))?[ \t]*:", re.M)


def _in_model_admin(text: str, at: int, indent: int, body: str) -> bool:
    """Whether the `get_urls` at `at` is a ModelAdmin's (its class's bases name an admin, or its URLs go
    through the admin site), not an app config's that routes the app's own pages (django-oscar's apps)."""
    owner = None
    for c in _CLASS_LINE.finditer(text, 0, at):
        if len(c.group(1)) < indent:
            owner = c
    bases = owner.group(2) or "" if owner else ""
    return re.search(r"Admin\b|Admin[A-Z]|admin\.", bases) is not None or "admin_site" in body


def _model_admin_urls(out: FileRoutes, text: str) -> None:
    for g in _GET_URLS.finditer(text):
        indent = len(g.group(1))
        end = re.compile(rf"^[ \t]{{0,{indent}}}\S", re.M).search(text, g.end())
        body_end = end.start() if end else len(text)
        if not _in_model_admin(text, g.start(), indent, text[g.end() : body_end]):
            continue
        for m in _URL.finditer(text, g.end(), body_end):
            args = balanced(text, m.end() - 1)
            route = leading_string(args)
            if route is None:
                continue
            if m.group(1) != "path":
                route = regex_to_path(route)
            wrapped = "admin_view(" in args
            out.routes.append(
                RawRoute(
                    "http",
                    "ANY",
                    join_paths(_ADMIN_SITE, route),
                    line_of(text, m.start()),
                    AUTHENTICATED if wrapped else UNKNOWN,
                    (
                        *(("wrapped in admin_site.admin_view (staff)",) if wrapped else ()),
                        ADMIN_HANDLER + "ModelAdmin",
                    ),
                )
            )


# `@admin.register(Order, Refund)`, `admin.site.register(Order, OrderAdmin)`, `admin.site.register([A, B])`.
_REGISTERS = re.compile(r"(?:^[ \t]*@admin\.register|\badmin\.site\.register)[ \t]*\(", re.M)
MAX_REGISTERED = 200


def _registered_models(out: FileRoutes, path: str, text: str) -> None:
    """Each model registered on the admin site gains its staff pages (`/admin/<app>/<model>/…`)."""
    app = path.rsplit("/", 2)[-2] if path.count("/") else "{app}"
    found = 0
    for m in _REGISTERS.finditer(text):
        args = balanced(text, m.end() - 1)
        first = split_args(args)[0] if args.strip() else ""
        # the decorator lists models only; the call's first argument is the model or a list of them
        models = split_args(args) if m.group(0).lstrip().startswith("@") else [first]
        for model in models:
            for name in re.findall(r"([A-Z]\w{0,80})\s*(?=[,\])]|$)", model.strip() + ")")[:20]:
                if found >= MAX_REGISTERED:
                    return
                found += 1
                out.routes.append(
                    RawRoute(
                        "http",
                        "ANY",
                        join_paths("/{admin site}", app, name.lower(), "**"),
                        line_of(text, m.start()),
                        AUTHENTICATED,
                        ("registered on the Django admin site (staff)", ADMIN_HANDLER + "ModelAdmin"),
                    )
                )


_URLS_LIST = re.compile(r"^urls\s*=\s*\[\s*(?:re_)?path\s*\(", re.M)


def _commented_out(text: str, at: int) -> bool:
    line_start = text.rfind("\n", 0, at) + 1
    return "#" in text[line_start:at] and text[line_start:at].lstrip().startswith("#")


# `urlpatterns += debug_urls.urlpatterns`, `+ admin_urls.urlpatterns`: another URLconf's entries served at
# the root of this one (under `if settings.DEBUG:`, in debug builds only).
_CONCATENATED = re.compile(r"(?:\burlpatterns\s*\+=|\+)\s*(\w{1,80})\.urlpatterns\b")
_MODULE_ALIAS = re.compile(
    r"^[ \t]*from[ \t]+([\w.]{1,200})[ \t]+import[ \t]+(\w{1,80})(?:[ \t]+as[ \t]+(\w{1,80}))?[ \t]*$"
    r"|^[ \t]*import[ \t]+([\w.]{1,200})[ \t]+as[ \t]+(\w{1,80})[ \t]*$",
    re.M,
)
MAX_CONCATENATED = 20


def _absolute(module: str, path: str) -> str:
    """`.debug.urls` imported in `app/urls.py` is `app.debug.urls`."""
    dots = len(module) - len(module.lstrip("."))
    if not dots:
        return module
    package = [p for p in relative_package(path, dots).split("/") if p]
    rest = module[dots:].removeprefix(".")
    return ".".join([*package, *([rest] if rest else [])])


def _concatenated(
    out: FileRoutes, text: str, owner: str, path: str, debug_blocks: list[tuple[int, int]]
) -> None:
    modules: dict[str, str] = {}
    for m in _MODULE_ALIAS.finditer(text):
        if m.group(1):
            joined = m.group(1) + m.group(2) if not m.group(1).strip(".") else f"{m.group(1)}.{m.group(2)}"
            modules[m.group(3) or m.group(2)] = _absolute(joined, path)
        else:
            modules[m.group(5)] = m.group(4)
    for m in itertools.islice(_CONCATENATED.finditer(text), MAX_CONCATENATED):
        target = modules.get(m.group(1))
        if target is None:
            continue
        debug = DEBUG_BUILD if any(a <= m.start() < b for a, b in debug_blocks) else ""
        out.mounts.append(Mount("django:" + ".".join(target.split(".")[-2:]), "", owner, False, debug))


def extract_django(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    owner = django_module(path)
    out = extract_drf(path, text, owner)
    if "get_urls" in text:
        _model_admin_urls(out, text)
    if "register" in text and "admin" in text:
        _registered_models(out, path, text)
    # `urlpatterns = [...]`, or AWX's `urls = [re_path(…), …]` module that another URLconf includes
    if "urlpatterns" in text or _URLS_LIST.search(text) is not None:
        debug_blocks = _debug_blocks(text)
        # (a commented-out entry, `# path("metrics/", …)`, serves nothing)
        entries = [(m.group(1), m) for m in _URL.finditer(text) if not _commented_out(text, m.start())]
        if "patterns(" in text:
            entries += [("tuple", m) for m in _TUPLE.finditer(text, text.find("patterns("))]
        inline_lists: list[tuple[int, int, str]] = []
        for kind, m in sorted(entries, key=lambda e: e[1].start()):
            args = balanced(text, m.end() - 1) if kind != "tuple" else balanced(text, m.start())
            route = leading_string(args)
            # an entry under `if settings.DEBUG:` serves on the development server only
            debug = (DEBUG_BUILD, DEV_SERVER) if any(a <= m.start() < b for a, b in debug_blocks) else ()
            # `path(route="users/create", view=UserCreation.as_view(), name="user_create")`
            by_keyword = route is None and re.match(r"\s*route\s*=", args) is not None
            if by_keyword:
                route = keyword(args, "route")
            setting = _SETTING_PATH.match(args) if route is None else None
            if setting is not None:
                route = "{" + setting.group(1) + "}"  # `path(settings.SILK_PATH, include(…))`
            if route is None:
                continue
            if kind != "path" and setting is None:
                route = regex_to_path(route)
            # `path("health/", include([path("live/", …), …]))`: entries of an inline list under its prefix
            # (the innermost list's prefix already holds the prefixes of the lists around it)
            outer = [prefix for start, end, prefix in inline_lists if start < m.start() < end]
            route = join_paths(outer[-1], route) if outer else route
            if by_keyword:
                view_arg = next((a for a in split_args(args) if re.match(r"\s*view\s*=", a)), "")
                rest = view_arg.split("=", 1)[1] if view_arg else ""
            else:
                rest = args[args.find(",") + 1 :] if "," in args else ""
            inc = re.match(r"\s*include\s*\(", rest)
            if inc:
                included = balanced(rest, inc.end() - 1)
                if included.lstrip().startswith("["):
                    inline_lists.append((m.end(), m.end() + len(args), route))
                    continue
                named = re.fullmatch(r"\s*([\w.]+)\s*,?\s*", included)  # `include(debug_toolbar.urls)`
                target = leading_string(included) or (named.group(1) if named else None)
                ops = _OPS_URLCONFS.get(target or "")
                if target and target.endswith("site.urls"):
                    # `include(admin.site.urls)`: the admin site itself, as `path("admin/", admin.site.urls)`
                    line = line_of(text, m.start())
                    out.routes.append(RawRoute("http", "ANY", route, line, UNKNOWN, (), owner, "py:urls"))
                elif ops is not None:
                    method, sub, why = ops
                    line = line_of(text, m.start())
                    full = join_paths(route, sub)
                    out.routes.append(RawRoute("http", method, full, line, UNKNOWN, (why, *debug), owner))
                elif target:
                    out.mounts.append(Mount("django:" + ".".join(target.split(".")[-2:]), route, owner))
                continue
            if _REDIRECT_VIEW.match(rest):
                continue  # `url(r"^admin/.*", lambda r: redirect("maintenance_mode"))` answers with a redirect
            wrapper = _WRAPPERS.search(rest)
            state = AUTHENTICATED if wrapper else UNKNOWN
            reasons: tuple[str, ...] = (f"wrapped in {wrapper.group(1)}",) if wrapper else ()
            view = re.match(r"\s*([\w.]+)", rest)
            # `StatusView.as_view()` names the class whose handlers serve the route.
            name = view.group(1).removesuffix(".as_view").rsplit(".", 1)[-1] if view else ""
            handler = "py:" + name if name else ""
            if _API_DOCS.match(rest):
                # drf-spectacular's and drf-yasg's Swagger UI and ReDoc, DRF's schema view: the API's
                # documentation and console, served wherever the URLconf is
                reasons += (OPS_DASHBOARD + "API documentation (Swagger UI, ReDoc or schema)",)
            reasons += debug  # a view for the development server only
            out.routes.append(
                RawRoute("http", "ANY", route, line_of(text, m.start()), state, reasons, owner, handler)
            )
        if ".urlpatterns" in text:
            _concatenated(out, text, owner, path, debug_blocks)
    if "starlette" in text or "Mount(" in text:
        spans: list[tuple[int, int, str]] = []
        for m in _STARLETTE.finditer(text):
            args = balanced(text, m.end() - 1)
            route = leading_string(args)
            if route is None:
                continue
            prefix = "".join(p for s, e, p in spans if s < m.start() < e)
            if m.group(1) == "Mount":
                spans.append((m.end(), m.end() + len(args), route))
                continue
            methods_arg = keyword(args, "methods")
            methods = (
                [s.upper() for s in strings(methods_arg)]
                if methods_arg
                else (["WEBSOCKET"] if m.group(1) == "WebSocketRoute" else ["GET"])
            )
            for method in methods:
                out.routes.append(
                    RawRoute("http", method, join_paths(prefix, route), line_of(text, m.start()), UNKNOWN, ())
                )
    return out
