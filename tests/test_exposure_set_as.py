"""Idioms met in exposure set AS, each reduced to a snippet written here."""

from __future__ import annotations

import pytest

from checks.exposure import compare, extract
from tests.exposure_growth import grown

FASTAPI_SUBDEPENDENCY = """from fastapi import APIRouter, Depends

router = APIRouter(prefix="/projects/{project}/models")


@router.get("/{model}")
async def get_model(project: str, model: str, auth: AuthInfo = Depends(deps.authenticate_request)):
    return load(project, model)
%s
"""
PARAMS = """

async def _read_params(project: str, model: str, auth: AuthInfo = Depends(deps.authenticate_request)):
    return Params(project, model)


@router.get("/{model}/metrics-values")
async def get_values(params: Annotated[Params, Depends(_read_params)]):
    return values(params)
"""


def test_a_route_taking_a_dependency_that_authenticates_is_authenticated() -> None:
    # FastAPI resolves `_read_params`'s own `Depends(authenticate_request)` before the route runs
    head = {"api/models.py": FASTAPI_SUBDEPENDENCY % PARAMS}
    assert grown({"api/models.py": FASTAPI_SUBDEPENDENCY % ""}, head) == set()
    [values] = [e for e in extract(head) if e.path.endswith("metrics-values")]
    assert values.auth == "authenticated"
    # the same dependency without the caller's identity guards nothing: the new route is the odd one out
    open_params = PARAMS.replace(", auth: AuthInfo = Depends(deps.authenticate_request)", "")
    assert grown(
        {"api/models.py": FASTAPI_SUBDEPENDENCY % ""}, {"api/models.py": FASTAPI_SUBDEPENDENCY % open_params}
    ) == {("added", "GET", "/projects/{project}/models/{model}/metrics-values")}


PPROF = """package pprof

func (h *handler) Startup() {
	h.mux = http.NewServeMux()
%s	h.mux.HandleFunc(path+"/", pp.Index)
	h.mux.HandleFunc(path+"/profile", pp.Profile)
}

const path = "/debug/pprof"
"""
REDIRECT = """	h.mux.HandleFunc(path, func(rw http.ResponseWriter, req *http.Request) {
		http.Redirect(rw, req, path+"/", http.StatusFound)
	})
"""


def test_a_handler_that_only_redirects_serves_nothing_new() -> None:
    assert grown({"pprof.go": PPROF % ""}, {"pprof.go": PPROF % REDIRECT}) == set()
    # a handler that answers itself is a route like any other
    serving = REDIRECT.replace('http.Redirect(rw, req, path+"/", http.StatusFound)', "pp.Index(rw, req)")
    assert grown({"pprof.go": PPROF % ""}, {"pprof.go": PPROF % serving}) == {
        ("added", "ANY", "/debug/pprof")
    }


ROUTEGROUP = """package webapi

func (s *Server) routes(router *routegroup.Bundle) *routegroup.Bundle {
	router.Route(func(authApi *routegroup.Bundle) {
		authApi.Use(s.authMiddleware(rest.BasicAuthWithUserPasswd("app", s.AuthPasswd)))
		authApi.HandleFunc("POST /check", s.checkHandler)
		authApi.Mount("/download").Route(func(r *routegroup.Bundle) {
			r.HandleFunc("GET /spam", s.downloadSpam)
%s		})
	})
	router.HandleFunc("GET /ping", s.ping)
	return router
}
"""


def test_a_routegroup_bundle_mounted_under_a_path_keeps_its_parents_middleware() -> None:
    endpoints = {(e.method, e.path): e.auth for e in extract({"webapi.go": ROUTEGROUP % ""})}
    assert endpoints[("GET", "/download/spam")] == "authenticated"
    assert endpoints[("POST", "/check")] == "authenticated"
    assert endpoints[("GET", "/ping")] == "unauthenticated"
    added = '\t\t\tr.HandleFunc("GET /ham", s.downloadHam)\n'
    findings = compare({"webapi.go": ROUTEGROUP % ""}, {"webapi.go": ROUTEGROUP % added}).findings
    assert [(f.change, f.endpoint.path, f.endpoint.auth) for f in findings] == [
        ("added", "/download/ham", "authenticated")
    ]


PHOENIX = """defmodule ConsoleWeb.Router do
  use ConsoleWeb, :router

  pipeline :api do
    plug :accepts, ["json"]
    plug ConsoleWeb.Plug.RateLimit, ["auth_actions", 60]
  end

  scope "/api", ConsoleWeb do
    pipe_through :api
    get "/invitations/:token", InvitationController, :get_by_token
%s  end

  scope "/api", ConsoleWeb do
    pipe_through ConsoleWeb.AuthApiPipeline
    get "/mfa_enrollments", Auth0Controller, :get_enrolled_mfa
%s  end
end
"""
SUBSCRIBE = '    post "/subscribe_new_user", Auth0Controller, :subscribe_new_user\n'


def test_a_pipeline_module_named_for_auth_guards_and_a_rate_limiters_bucket_does_not() -> None:
    endpoints = {e.path: e.auth for e in extract({"lib/web/router.ex": PHOENIX % ("", SUBSCRIBE)})}
    assert endpoints["/api/subscribe_new_user"] == "authenticated"
    assert endpoints["/api/invitations/{token}"] == "unauthenticated"  # counted in the "auth_actions" bucket
    moved = grown(
        {"lib/web/router.ex": PHOENIX % ("", SUBSCRIBE)}, {"lib/web/router.ex": PHOENIX % (SUBSCRIBE, "")}
    )
    assert moved == {("widened", "POST", "/api/subscribe_new_user")}


CORTEX = """package api

func (a *API) RegisterIngester(i Ingester) {
	a.indexPage.AddLink(SectionAdminEndpoints, "/ingester/ring", "Ingester Ring Status")
	a.RegisterRoute("/ingester/ring", http.HandlerFunc(i.RingHandler), false, "GET", "POST")
	a.RegisterRoute("/api/v1/push", push.Handler(i), true, "POST")
%s}
"""


def test_a_route_registered_with_an_auth_flag_and_listed_among_admin_pages() -> None:
    endpoints = {(e.method, e.path): e for e in extract({"pkg/api/api.go": CORTEX % ""})}
    assert endpoints[("POST", "/api/v1/push")].auth == "authenticated"
    assert endpoints[("GET", "/ingester/ring")].auth == "unauthenticated"
    dangerous = (
        '\ta.indexPage.AddLink(SectionDangerous, "/ingester/renew", "Renew Tokens")\n'
        '\ta.RegisterRoute("/ingester/renew", http.HandlerFunc(i.Renew), false, "POST")\n'
    )
    assert grown({"pkg/api/api.go": CORTEX % ""}, {"pkg/api/api.go": CORTEX % dangerous}) == {
        ("added", "POST", "/ingester/renew")
    }
    # a tenant's route (auth=true) that no admin section lists is an ordinary addition
    tenant = '\ta.RegisterRoute("/api/v1/format_query", h, true, "GET")\n'
    assert grown({"pkg/api/api.go": CORTEX % ""}, {"pkg/api/api.go": CORTEX % tenant}) == set()


def test_the_wagtail_admin_included_is_an_administration_console() -> None:
    urls = "from django.urls import include, path\n\nurlpatterns = [path('', include('pages.urls'))]\n%s"
    cms = "urlpatterns.append(path('cms/', include(wagtail.admin.urls)))\n"
    assert grown({"site/urls.py": urls % ""}, {"site/urls.py": urls % cms}) == {("added", "ANY", "/cms/**")}
    named = "urlpatterns += [path('editor/', include(wagtailadmin_urls))]\n"
    assert grown({"site/urls.py": urls % ""}, {"site/urls.py": urls % named}) == {
        ("added", "ANY", "/editor/**")
    }


DRF_BASE = """from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.views import APIView


class PluginUpdateAPI(APIView):
    permission_classes = [IsAuthenticated, IsAdminUser]

    def post(self, request, name):
        return update(name)
"""
DRF_VIEWS = """from api_app.core.views import PluginUpdateAPI


class AnalyzerUpdateAPI(PluginUpdateAPI):
    config_model = AnalyzerConfig
"""
DRF_URLS = """from django.urls import path

from .views import AnalyzerUpdateAPI

urlpatterns = [path("plugins/", plugins)%s]
"""


def test_a_view_naming_no_permission_classes_takes_its_parents_from_another_file() -> None:
    files = {"api_app/core/views.py": DRF_BASE, "api_app/analyzers/views.py": DRF_VIEWS}
    base = {**files, "api_app/analyzers/urls.py": DRF_URLS % ""}
    head = {
        **files,
        "api_app/analyzers/urls.py": DRF_URLS
        % ', path("analyzer/<str:name>/update", AnalyzerUpdateAPI.as_view())',
    }
    assert grown(base, head) == {("added", "ANY", "/analyzer/{name}/update")}
    # its own permission classes are the ones that count
    own = DRF_VIEWS + "    permission_classes = [IsAuthenticated]\n"
    assert (
        grown({**base, "api_app/analyzers/views.py": own}, {**head, "api_app/analyzers/views.py": own})
        == set()
    )


SIDEKIQ = """require "sidekiq/web"
%s
Rails.application.routes.draw do
  authenticate :user, lambda { |u| u.admin? } do
    mount Sidekiq::Web => "/sidekiq"
  end
end
"""


def test_a_dashboard_extension_swapped_for_another_is_no_new_page() -> None:
    cron = {"config/routes.rb": SIDEKIQ % 'require "sidekiq/cron/web"'}
    scheduler = {"config/routes.rb": SIDEKIQ % 'require "sidekiq-scheduler/web"'}
    assert grown(cron, scheduler) == set()
    # one more extension beside the first is one more page
    both = {"config/routes.rb": SIDEKIQ % 'require "sidekiq/cron/web"\nrequire "sidekiq-scheduler/web"'}
    assert grown(cron, both) == {("added", "ANY", "/sidekiq/scheduler/**")}


DEBUG_SERVER = """package main

import (
\t"net/http"
\t_ "net/http/pprof"
\t_ "expvar"
)

func main() {
\tgo http.ListenAndServe(config.HTTP.Addr, handler)
%s}
"""


def test_the_profiler_imported_for_its_side_effect_answers_only_where_the_default_mux_is_served() -> None:
    # the server is given a handler of its own: the default mux, and the profiler on it, are not served
    assert grown({}, {"cmd/registry/main.go": DEBUG_SERVER % ""}) == set()
    debug = DEBUG_SERVER % "\tgo http.ListenAndServe(config.HTTP.Debug.Addr, nil)\n"
    assert grown({"cmd/registry/main.go": DEBUG_SERVER % ""}, {"cmd/registry/main.go": debug}) == {
        ("added", "GET", "/debug/pprof/**"),
        ("added", "GET", "/debug/vars"),
    }


def test_a_metrics_package_handler_at_a_configured_path() -> None:
    base = "package registry\n\nfunc serve(config *Config) {\n%s}\n"
    added = "\tif config.Prometheus.Enabled {\n\t\thttp.Handle(path, metrics.Handler())\n\t}\n"
    assert grown({"registry/registry.go": base % ""}, {"registry/registry.go": base % added}) == {
        ("added", "ANY", "/{path}")
    }


TESTING_URLS = """from django.conf import settings
from django.urls import re_path

from kitsune.search import api, views

urlpatterns = [
    re_path(r"^$", views.simple_search, name="search"),
]
%s"""


@pytest.mark.parametrize("setting", ["ENABLE_TESTING_ENDPOINTS", "SHOW_DEBUG_INFO", "DEBUG"])
def test_views_under_a_debugging_or_testing_setting_are_the_development_servers(setting: str) -> None:
    block = f'\nif settings.{setting}:\n    urlpatterns += [\n        re_path(r"^api/reindex$", api.reindex),\n    ]\n'
    base, head = {"search/urls.py": TESTING_URLS % ""}, {"search/urls.py": TESTING_URLS % block}
    assert grown(base, head) == set()
    # the condition dropped: served everywhere
    opened = {"search/urls.py": TESTING_URLS % block.replace(f"if settings.{setting}:", "if True:")}
    assert grown(head, opened) == {("widened", "ANY", "/api/reindex")}
