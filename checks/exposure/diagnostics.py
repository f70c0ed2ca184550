"""Metrics and profiling handlers mounted at a path that is not a literal (`conf.MetricsPath`).

Family extractors read literal paths; a well-known diagnostics handler (Prometheus, pprof, expvar) mounted at a
configured path is still an internal endpoint; it is named by the handler, and the expression holding its path is
kept as the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .model import MAX_FILE_CHARS, UNAUTHENTICATED, line_of
from .routes import FileRoutes, RawRoute
from .scan import PATH_SETTING, balanced, split_args

SERVES = "serves "
DEFAULT_MUX_SIDE_EFFECT = ", imported for its side effect on http.DefaultServeMux"
_HANDLER = re.compile(
    r"\b(promhttp\.Handler(?:For)?|promhttp\.InstrumentMetricHandler|pprof\.(?:Index|Handler|Profile)|"
    r"prometheus\.(?:Uninstrumented)?Handler|fgprof\.Handler|metrics\.Handler|"
    r"expvar\.Handler|make_(?:asgi|wsgi)_app|metricsHandler|prometheusHandler"
    # gds-metrics' `add_url_rule(gds_metrics.metrics_path, "metrics", gds_metrics.metrics_endpoint)`
    r"|(?:\w+\.)?metrics_(?:endpoint|view))\b"
)
_CALL = re.compile(r"\b[\w.]+\s*\.\s*(\w+)\s*\(")
# a path relative to the router it is declared on (`mux.Get("cmdline", …)` on a router mounted elsewhere)
_RELATIVE_PATH = re.compile(r"\s*\"([\w.-]{0,100})\"\s*")
# a method that serves what it is given: `mux.Handle`, `r.Mount`, `app.use`, gin's `r.GET`, echo's `e.Any`
_SERVING_CALL = re.compile(r"handle|mount|route|register|add|use|get|any", re.IGNORECASE)
_SERVER_HANDLER = re.compile(
    r"\bHandler\s*:\s*(promhttp\.Handler(?:For)?|promhttp\.InstrumentMetricHandler|expvar\.Handler)\s*\("
)
_PPROF_IMPORT = re.compile(r"^\s*_\s+\"net/http/pprof\"", re.M)
_EXPVAR_IMPORT = re.compile(r"^\s*_\s+\"expvar\"", re.M)
# `http.ListenAndServe(config.HTTP.Addr, handler)`: a server given a handler; `nil` (or the default mux by
# name) serves http.DefaultServeMux.
_SERVES_OWN_HANDLERS = re.compile(
    r"\bhttp\.(?:ListenAndServe(?:TLS)?|Serve(?:TLS)?)\s*\(|\bhttp\.Server\s*\{"
)
_SERVES_DEFAULT_MUX = re.compile(
    r"\bhttp\.(?:ListenAndServe(?:TLS)?|Serve(?:TLS)?)\s*\([^()\n]{0,200}(?:\([^()\n]{0,80}\)[^()\n]{0,80})*"
    r",\s*nil\s*\)|\bDefaultServeMux\b"
)


_PATH_EXPR = re.compile(r"[A-Za-z_][\w.]{0,200}")
_PPROF_PACKAGE = re.compile(r'"github\.com/(?:gin-contrib/pprof|gofiber/fiber(?:/v\d)?/middleware/pprof)"')
_CONTRIB_PPROF = re.compile(r"\bpprof\.(Register|RouteRegister|New)\s*\(")


def extract_diagnostics(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    if not mentions_diagnostics(text):
        return out
    # Go's `import _ "net/http/pprof"` registers the profiler on http.DefaultServeMux (`_ "expvar"`, its
    # /debug/vars): whatever serves that mux (`http.ListenAndServe(addr, nil)`) serves /debug/pprof/. A file
    # that starts its servers with handlers of its own only, and never the default mux, serves neither.
    serves_default = _SERVES_OWN_HANDLERS.search(text) is None or _SERVES_DEFAULT_MUX.search(text) is not None
    blank_imports = (
        (_PPROF_IMPORT, "net/http/pprof", "/debug/pprof/**"),
        (_EXPVAR_IMPORT, "expvar", "/debug/vars"),
    )
    for pattern, package, route in blank_imports:
        blank = pattern.search(text) if package in text and serves_default else None
        if blank is not None:
            out.routes.append(
                RawRoute(
                    "http",
                    "GET",
                    route,
                    line_of(text, blank.start()),
                    UNAUTHENTICATED,
                    (f"{SERVES}{package}{DEFAULT_MUX_SIDE_EFFECT}",),
                )
            )
    # gin-contrib's `pprof.Register(router)` / `pprof.RouteRegister(group, "dev/pprof")`, and fiber's
    # `app.Use(pprof.New())`: the profiler's handlers under /debug/pprof or the prefix given.
    registers = _CONTRIB_PPROF.finditer(text) if _PPROF_PACKAGE.search(text) else iter(())
    for m in registers:
        args = split_args(balanced(text, m.end() - 1))
        given = args[1].strip() if m.group(1) != "New" and len(args) > 1 else ""
        prefix = given[1:-1] if given[:1] == '"' and given[-1:] == '"' else "debug/pprof"
        out.routes.append(
            RawRoute(
                "http",
                "GET",
                "/" + prefix.strip("/") + "/**",
                line_of(text, m.start()),
                UNAUTHENTICATED,
                (f"{SERVES}pprof profiler (pprof.{m.group(1)})",),
            )
        )
    # `http.Server{Addr: conf.Bind, Handler: promhttp.Handler()}`: a listener that answers every path with it.
    for m in _SERVER_HANDLER.finditer(text):
        out.routes.append(_served_by(m.group(1), line_of(text, m.start()), "as a server's only handler"))
    for at, method, args in _serving_calls(text):
        handler = _handler_among(args)
        if handler is None:
            continue
        if any(_LITERAL_PATH.fullmatch(a) for a in args):
            continue  # a literal path is the family extractor's (`served_at_literal_paths`)
        # (two arguments: `MountRouter("metrics", conf.Path, h)` names its router first)
        relative = _RELATIVE_PATH.fullmatch(args[0]) if len(args) == 2 and not method.isupper() else None
        if relative is not None:
            # pat's `mux.Get("fgprof", fgprof.Handler())` on a router mounted at a configured path: the
            # family extractor reads no relative path on a lower-case verb (gin's `GET("x")` it does read)
            aside = f'at "{relative.group(1)}" of a router mounted elsewhere'
            out.routes.append(_served_by(handler.group(1), line_of(text, at), aside))
            continue
        where = next(
            (
                a
                for a in args
                if _PATH_EXPR.fullmatch(a) and not _HANDLER.search(a) and not _METHOD.fullmatch(a)
            ),
            None,
        )
        if where is None:
            continue
        setting = where.rsplit(".", 1)[-1]
        key = setting if PATH_SETTING.fullmatch(setting) else ""
        out.routes.append(_served_by(handler.group(1), line_of(text, at), f"at {where}", key))
    return out


def _serving_calls(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(offset, method, arguments) of each call of a method that serves what it is given."""
    for m in _CALL.finditer(text):
        if _SERVING_CALL.search(m.group(1)):
            yield m.start(), m.group(1), split_args(balanced(text, m.end() - 1))


def _handler_among(args: list[str]) -> re.Match[str] | None:
    return next((found for a in args if (found := _HANDLER.search(a)) is not None), None)


_METHOD = re.compile(r'http\.Method[A-Z][a-z]+|"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)"')
_LITERAL_PATH = re.compile(r"\s*([\"'`])(/[^\"'`\n]{0,200})\1\s*")


def served_at_literal_paths(text: str) -> dict[tuple[int, str], str]:
    """(line, path) -> the diagnostics handler a call serves at a literal path (`mux.Handle("/.metrics",
    promhttp.Handler())`): the family extractor reads the route, this says what answers there."""
    text = text[:MAX_FILE_CHARS]
    out: dict[tuple[int, str], str] = {}
    if not mentions_diagnostics(text):
        return out
    for at, _, args in _serving_calls(text):
        if len(args) > 1 and _METHOD.fullmatch(args[0].strip()):
            args = args[1:]  # `mux.HandlePath(http.MethodGet, "/metrics", …)`: the method first
        handler = _handler_among(args[1:])
        literal = _LITERAL_PATH.fullmatch(args[0]) if args and handler is not None else None
        if handler is not None and literal is not None:
            out[(line_of(text, at), literal.group(2))] = handler.group(1)
    return out


def _served_by(handler: str, line: int, where: str, setting: str = "") -> RawRoute:
    """A diagnostics handler served where its path is not a literal, keyed by the setting that holds its path
    (`/{PathProxyMetrics}`: one more setting is one more endpoint, wherever the project serves the same
    handler already), else by the handler. The comparison pairs a setting renamed, or a whole listener
    served instead, with what it replaces (`compare._resettled`)."""
    return RawRoute(
        "http",
        "ANY",
        "/{" + (setting or handler) + "}",
        line,
        UNAUTHENTICATED,
        (f"{SERVES}{handler} {where}",),
    )


def served_handler(reasons: tuple[str, ...]) -> str | None:
    """The diagnostics handler a route serves (`promhttp.Handler`): where its path is not a literal ("serves
    promhttp.Handler at conf.Path", "… as a server's only handler"), or at a literal path ("serves
    promhttp.Handler", what `served_at_literal_paths` found)."""
    for r in reasons:
        said = r.removeprefix(SERVES)
        if r.startswith(SERVES) and (
            " at " in r or r.endswith(" as a server's only handler") or " " not in said
        ):
            return said.split(" ", 1)[0]
    return None


# A literal every handler name above holds: found by substring search before the pattern runs.
_LITERALS = (
    "promhttp", "pprof", "expvar", "_app", "metricsHandler", "prometheusHandler", "prometheus.", "metrics.Handler",
    "metrics_endpoint", "metrics_view",
)  # fmt: skip


def mentions_diagnostics(text: str) -> bool:
    text = text[:MAX_FILE_CHARS]
    if not any(word in text for word in _LITERALS):
        return False
    return (
        _HANDLER.search(text) is not None
        or ("net/http/pprof" in text and _PPROF_IMPORT.search(text) is not None)
        or ("expvar" in text and _EXPVAR_IMPORT.search(text) is not None)
        or _PPROF_PACKAGE.search(text) is not None
    )


# Build dependencies that mount an endpoint by being on the classpath: Quarkus serves Prometheus metrics at
# `/q/metrics` once a metrics extension is a dependency; JavaMelody's starter serves `/monitoring`, Spring Boot's
# actuator starter `/actuator`.
_MOUNTING_DEPENDENCIES = (
    ("quarkus-micrometer-registry-prometheus", "GET", "/q/metrics", "Quarkus Micrometer Prometheus registry"),
    ("quarkus-smallrye-metrics", "GET", "/q/metrics", "Quarkus SmallRye Metrics"),
    ("javamelody-spring-boot-starter", "ANY", "/monitoring/**", "JavaMelody monitoring"),
    # Spring Boot serves `/actuator/health` (and what configuration exposes besides) once the starter is in
    ("spring-boot-starter-actuator", "ANY", "/actuator/**", "Spring Boot Actuator"),
)
_BUILD_FILE = re.compile(r"(?:^|/)(?:pom\.xml|build\.gradle(?:\.kts)?)$")


def is_build_file(path: str) -> bool:
    return _BUILD_FILE.search(path) is not None


def extract_build_dependencies(path: str, text: str) -> FileRoutes:
    """The endpoints a project's build file mounts by naming a dependency (an XML comment names none)."""
    out = FileRoutes()
    if not is_build_file(path):
        return out
    text = re.sub(r"<!--(?:[^-]|-(?!->)){0,20000}-->", lambda c: " " * len(c.group()), text[:MAX_FILE_CHARS])
    for artifact, method, route, what in _MOUNTING_DEPENDENCIES:
        at = text.find(artifact)
        if at != -1:
            out.routes.append(
                RawRoute("http", method, route, line_of(text, at), UNAUTHENTICATED, (f"{SERVES}{what}",))
            )
    return out
