"""Go route helpers read at their call sites, and diagnostics handlers mounted at configured paths."""

from __future__ import annotations

from checks.exposure import compare, extract
from checks.exposure.go_helpers import expand_route_helpers

ROUTES = """package api

func (a *API) routes() http.Handler {
\tr := chi.NewRouter()
\tr.Group(func(r chi.Router) {
\t\tr.Use(authenticate(a.ds))
\t\thandle(r, "ping", a.Ping)
\t\thandle(r, "getExtensions", a.Extensions)
\t})
\treturn r
}

func handle(r chi.Router, path string, f handlerFunc) {
\tr.HandleFunc("/"+path, wrap(f))
}
"""


def test_helper_calls_become_routes_with_the_call_sites_middleware() -> None:
    eps = {(e.path, e.auth) for e in extract({"api/api.go": ROUTES})}
    assert eps == {("/ping", "authenticated"), ("/getExtensions", "authenticated")}
    assert expand_route_helpers(ROUTES).count("\n") == ROUTES.count("\n")


def test_helper_call_moved_out_of_the_auth_group_widens() -> None:
    head = ROUTES.replace('\t\thandle(r, "getExtensions", a.Extensions)\n', "").replace(
        "\tr.Group(", '\thandle(r, "getExtensions", a.Extensions)\n\tr.Group('
    )
    delta = compare({"api/api.go": ROUTES}, {"api/api.go": head})
    assert [(f.change, f.endpoint.path) for f in delta.findings] == [("widened", "/getExtensions")]


SERVER = """package cmd

func start(a *server.Server) {
\ta.MountRouter("native API", "/api", nativeapi.New())
}
"""


def test_metrics_handler_at_a_configured_path_is_internal() -> None:
    head = SERVER.replace(
        "}\n",
        '\tif conf.Metrics.Enabled {\n\t\ta.MountRouter("metrics", conf.Metrics.Path, promhttp.Handler())\n\t}\n}\n',
    )
    delta = compare({"cmd/root.go": SERVER}, {"cmd/root.go": head})
    assert delta.grows
    assert [f.endpoint.path for f in delta.findings] == ["/{Path}"]
    assert "conf.Metrics.Path" in delta.findings[0].endpoint.reasons[0]
    renamed = head.replace("conf.Metrics.Path", "conf.Prometheus.MetricsPath")
    moved = compare({"cmd/root.go": head}, {"cmd/root.go": renamed})
    assert not moved.grows
    assert [(f.change, f.endpoint.path, f.before.path if f.before else None) for f in moved.findings] == [
        ("renamed", "/{MetricsPath}", "/{Path}")
    ]
    literal = SERVER.replace("}\n", '\tr.Handle("/v1/items", promhttp.Handler())\n}\n')
    assert all(e.path != "/{promhttp.Handler}" for e in extract({"cmd/root.go": literal}))
