"""Idioms met in exposure set AT, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from tests.exposure_growth import grown

METRICS = """package cli

func SetupMetrics() {
\thttp.Handle(Flags.MetricsPath, %s())
}
"""


def test_the_deprecated_prometheus_handler_swapped_for_promhttp_moves_nothing() -> None:
    old, new = METRICS % "prometheus.Handler", METRICS % "promhttp.Handler"
    assert grown({}, {"cli/metrics.go": old}) == {("added", "ANY", "/{MetricsPath}")}
    assert grown({"cli/metrics.go": old}, {"cli/metrics.go": new}) == set()


PROXY = """package proxy

func HandleProxyMetrics(mux *http.ServeMux) {
\tmux.Handle(httpapi.PathProxyMetrics, promhttp.Handler())
}
"""
SERVER = """package httpapi

func HandleMetrics(mux *http.ServeMux) {
\tmux.Handle(PathMetrics, promhttp.Handler())
}
"""


def test_a_metrics_handler_at_another_setting_is_another_endpoint() -> None:
    # the project serves promhttp at one setting already: a second setting is a second endpoint
    base = {"httpapi/metrics.go": SERVER}
    head = {**base, "proxy/metrics.go": PROXY}
    assert grown(base, head) == {("added", "ANY", "/{PathProxyMetrics}")}


PPROF_FLAT = """package cli

func SetupPprof(mux *http.ServeMux) {
\tmux.HandleFunc(Flags.PprofPath, pprof.Index)
}
"""
PPROF_ROUTER = """package cli

func SetupPprof(globalMux *http.ServeMux) {
\tmux := pat.New()
\tmux.Get("", http.HandlerFunc(pprof.Index))
%s\tglobalMux.Handle(Flags.PprofPath, http.StripPrefix(Flags.PprofPath, mux))
}
"""


def test_profiling_handlers_on_a_router_mounted_at_a_setting() -> None:
    moved = PPROF_ROUTER % ""
    # the same handler moved onto a sub-router mounted at the same setting: served once, as before
    delta = compare({"cli/pprof.go": PPROF_FLAT}, {"cli/pprof.go": moved})
    assert not delta.grows
    assert [f.change for f in delta.findings] == ["renamed"]
    # a profiler added beside it on that router is a new profiling endpoint
    added = PPROF_ROUTER % '\tmux.Get("fgprof", fgprof.Handler())\n'
    assert grown({"cli/pprof.go": moved}, {"cli/pprof.go": added}) == {("added", "ANY", "/{fgprof.Handler}")}


ATTEMPT = """package router

func NewAPIHandler(r chi.Router) {
%s\tr.Route("/v1", func(r chi.Router) {
\t\tr.Get("/spaces", spaceCtrl.List)
\t})
}
"""


def test_middleware_that_only_attempts_authentication_guards_nothing() -> None:
    attempt = ATTEMPT % "\tr.Use(middlewareauthn.Attempt(authenticator))\n"
    # moving the attempt elsewhere leaves each route as open as it was
    assert grown({"app/router/api.go": attempt}, {"app/router/api.go": ATTEMPT % ""}) == set()
    required = ATTEMPT % "\tr.Use(middlewareauthn.Required(authenticator))\n"
    assert grown({"app/router/api.go": required}, {"app/router/api.go": ATTEMPT % ""}) == {
        ("widened", "GET", "/v1/spaces")
    }


ACTUATOR = "management:\n  endpoints:\n    web:\n      exposure:\n        include: '*'\n"


def test_actuator_exposed_by_another_module_of_the_repository_is_new() -> None:
    gateway = "gateway/src/main/resources/application.yml"
    auth = "auth-server/src/main/resources/application.yml"
    base = {gateway: ACTUATOR, auth: "server:\n  port: 8080\n"}
    head = {gateway: ACTUATOR, auth: "server:\n  port: 8080\n" + ACTUATOR}
    assert grown(base, head) == {("added", "ANY", "/actuator/*")}
    # the same setting moved between the files of one module is one endpoint
    moved = {"svc/src/main/resources/application.yml": ACTUATOR}
    split = {"svc/src/main/resources/application-prod.yml": ACTUATOR}
    assert grown(moved, split) == set()


DRF_VIEW = """from rest_framework.decorators import api_view, permission_classes


@api_view(["PUT"])
@permission_classes((permissions.IsAuthenticated,))
def manage_instance(request, pk, action):
    if not request.user.is_staff:
        response_data = {
            "error": "Sorry, you are not authorized for worker operations."
        }
        return Response(response_data, status=status.HTTP_400_BAD_REQUEST)
    return Response(start(pk, action))
"""
URLS = """from django.urls import path

from . import views

urlpatterns = [
    path("challenges/<int:pk>/", views.challenge),
%s]
"""


def test_a_view_that_answers_an_error_to_anyone_but_staff_is_admin_only() -> None:
    route = '    path("challenges/<int:pk>/manage/<str:action>", views.manage_instance),\n'
    base = {"apps/challenges/urls.py": URLS % "", "apps/challenges/views.py": DRF_VIEW}
    head = {**base, "apps/challenges/urls.py": URLS % route}
    assert grown(base, head) == {("added", "ANY", "/challenges/{pk}/manage/{action}")}
    # a branch that narrows what a caller sees, answering no error, refuses nobody
    scoped = DRF_VIEW.replace('"error": "Sorry, you are not authorized for worker operations."', '"mine": pk')
    scoped = scoped.replace(
        "return Response(response_data, status=status.HTTP_400_BAD_REQUEST)", "return mine(pk)"
    )
    assert (
        grown({**base, "apps/challenges/views.py": scoped}, {**head, "apps/challenges/views.py": scoped})
        == set()
    )


ROUTES_RB = "Rails.application.routes.draw do\n%s  resources :donations\nend\n"


def test_active_admin_drawn_into_the_routes_is_the_admin_console() -> None:
    admin = "  devise_for :admin_users, ActiveAdmin::Devise.config\n  ActiveAdmin.routes(self)\n"
    assert grown({"config/routes.rb": ROUTES_RB % ""}, {"config/routes.rb": ROUTES_RB % admin}) == {
        ("added", "ANY", "/admin/**")
    }
    # removed, it shrinks exposure
    assert grown({"config/routes.rb": ROUTES_RB % admin}, {"config/routes.rb": ROUTES_RB % ""}) == set()


ECHO_ROUTER = """package router

func NewRouter() *echo.Echo {
\te := echo.New()
\te.GET("/clientauth", handlers.ClientLogin)
%s
\tgroups.AdminGroup(e)
\tgroups.ClientGroup(e)
\treturn e
}
"""


def test_a_router_handed_to_a_helper_that_registers_routes_is_not_wrapped_by_it() -> None:
    # `groups.AdminGroup(e)` registers the admin group's routes on `e`; it guards nothing else of `e`
    head = ECHO_ROUTER % '\te.GET("/ping", handlers.Ping)'
    assert grown({"router/router.go": ECHO_ROUTER % ""}, {"router/router.go": head}) == set()
    # a router served through authentication middleware is guarded by it
    wrapped = 'package main\n\nfunc main() {\n\tmux.HandleFunc("/ping", ping)\n\thttp.ListenAndServe(addr, requireAdmin(mux))\n}\n'
    base = wrapped.replace("requireAdmin(mux)", "mux")
    assert grown({"cmd/main.go": wrapped}, {"cmd/main.go": base}) == {("widened", "ANY", "/ping")}


DJANGO_DEBUG = """from django.conf import settings
from django.urls import include, re_path

urlpatterns = [re_path(r"^$", views.home)]
%s"""


def test_the_debug_toolbar_under_getattr_settings_debug_is_the_development_servers() -> None:
    block = "\nif getattr(settings, 'DEBUG', False):\n    import debug_toolbar\n\n    urlpatterns += [\n"
    block += "        re_path(r'^__debug__/', include(debug_toolbar.urls)),\n    ]\n"
    assert grown({"app/urls.py": DJANGO_DEBUG % ""}, {"app/urls.py": DJANGO_DEBUG % block}) == set()


def test_a_literal_metrics_path_made_a_setting_is_the_same_endpoint() -> None:
    literal = METRICS.replace("Flags.MetricsPath", '"/metrics"') % "promhttp.Handler"
    configured = METRICS % "promhttp.Handler"
    delta = compare({"cli/metrics.go": literal}, {"cli/metrics.go": configured})
    assert not delta.grows and [f.change for f in delta.findings] == ["renamed"]


def test_a_debug_toolbar_behind_a_switch_of_its_own_is_served_where_the_switch_is_on() -> None:
    block = "\nif DEBUG_TOOLBAR:\n    urlpatterns += [\n        re_path(r'^__debug__/', include('debug_toolbar.urls')),\n    ]\n"
    assert grown({"app/urls.py": DJANGO_DEBUG % ""}, {"app/urls.py": DJANGO_DEBUG % block}) == {
        ("added", "ANY", "/__debug__/**")
    }
