"""Idioms met in exposure set AY, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure.extract import extract
from checks.exposure.go_helpers import debug_build_only
from tests.exposure_growth import grown

GO_PROFILER = """%spackage main

import (
	"log"
	"net/http"
	_ "net/http/pprof"
)

func initProfiling() {
	go func() {
		log.Println(http.ListenAndServe(":7777", nil))
	}()
}
"""


def test_a_profiler_in_a_file_built_only_with_a_debugging_tag_is_no_production_endpoint() -> None:
    path = "cmd/main_debug.go"
    assert grown({}, {path: GO_PROFILER % "//go:build debug\n\n"}) == set()
    assert grown({}, {path: GO_PROFILER % "// +build dev,linux\n\n"}) == set()
    # the production side of the same switch, or no constraint at all, serves it
    assert grown({}, {path: GO_PROFILER % "//go:build !debug\n\n"}) == {("added", "GET", "/debug/pprof/**")}
    assert grown({}, {path: GO_PROFILER % ""}) == {("added", "GET", "/debug/pprof/**")}
    # a `pprof` tag is a profiler an operator opts into on a production build
    assert grown({}, {path: GO_PROFILER % "//go:build pprof\n\n"}) == {("added", "GET", "/debug/pprof/**")}
    # dropping the constraint serves it in every build
    before = {path: GO_PROFILER % "//go:build debug\n\n"}
    assert grown(before, {path: GO_PROFILER % ""}) == {("widened", "GET", "/debug/pprof/**")}


def test_a_build_constraint_is_debug_only_when_every_alternative_needs_a_debugging_tag() -> None:
    assert debug_build_only("//go:build debug && linux\n\npackage main\n")
    assert debug_build_only("//go:build debug || dev\n\npackage main\n")
    assert not debug_build_only("//go:build debug || pprof\n\npackage main\n")
    assert not debug_build_only("//go:build debug || linux\n\npackage main\n")
    assert not debug_build_only("// +build debug linux\n\npackage main\n")  # a space separates alternatives
    assert not debug_build_only("//go:build linux\n\npackage main\n")
    # a constraint after the package clause is no constraint
    assert not debug_build_only("package main\n\n//go:build debug\n")


ROUTE_LIST = """package server

type route struct {
	path    string
	handler http.HandlerFunc
}

func (c *Controller) routes(mux *http.ServeMux) {
	// Diagnostic routes: must be protected.
	diagnostic := []route{
		{"/config", c.configHandler},
		{"/debug/pprof/", pprof.Index},
%s	}
	c.addRoutes(mux, diagnostic, c.auth)
}
"""


def test_a_list_of_the_project_route_type_declares_routes() -> None:
    path = "pkg/server/controller.go"
    added = '\t\t{"/debug/pprof/heap", pprof.Index},\n\t\t{"/debug/storage/export/{db}", c.storage.Export},\n'
    assert grown({path: ROUTE_LIST % ""}, {path: ROUTE_LIST % added}) == {
        ("added", "ANY", "/debug/pprof/heap"),
        ("added", "ANY", "/debug/storage/export/{db}"),
    }
    public = '\t\t{"/build", c.buildHandler},\n'
    assert grown({path: ROUTE_LIST % ""}, {path: ROUTE_LIST % public}) == set()


KIALI_ROUTES = """package routing

type Route struct {
	Name          string
	Method        string
	Pattern       string
	HandlerFunc   http.HandlerFunc
	Authenticated bool
}

func NewRoutes() (r *Routes) {
	r.Routes = []Route{
		// swagger:route GET /healthz healthz
		{
			"Healthz",
			"GET",
			"/healthz",
			handlers.Healthz(),
			false,
		},
		// Endpoint to get Kiali's config
		{
			"Config",
			"GET",
			"/api/config",
			handlers.Config(),
			true,
		},
%s	}
	return
}
"""


def test_a_route_list_reads_the_authentication_flag_where_the_file_declares_the_type() -> None:
    path = "routing/routes.go"
    metrics = '\t\t{\n\t\t\t"Metrics",\n\t\t\t"GET",\n\t\t\t"/api/test/metrics/graph/cache",\n\t\t\th(),\n\t\t\ttrue,\n\t\t},\n'
    assert grown({path: KIALI_ROUTES % ""}, {path: KIALI_ROUTES % metrics}) == {
        ("added", "GET", "/api/test/metrics/graph/cache")
    }
    endpoints = {e.path: e.auth for e in extract({path: KIALI_ROUTES % ""})}
    assert endpoints == {"/healthz": "unauthenticated", "/api/config": "authenticated"}


REGISTER = """package api

func (a *API) RegisterAPI() error {
	a.RegisterRoute("%s", indexHandler("", a.indexPage), false, true, "GET")
	a.RegisterRoute("/ready", a.readyHandler, false, false, "GET")
	return nil
}
"""


def test_a_registered_page_moved_to_an_internal_path_with_the_same_handler_is_a_move() -> None:
    path = "pkg/api/api.go"
    assert grown({path: REGISTER % "/"}, {path: REGISTER % "/admin"}) == set()
    other = (REGISTER % "/admin").replace('indexHandler("", a.indexPage)', "a.adminHandler")
    assert grown({path: REGISTER % "/"}, {path: other}) == {("added", "GET", "/admin")}


LARAVEL = """<?php

Route::namespace('Panel')->prefix('home')->group(function() {
    Route::view('/', 'panel.dashboard.index')->name('home');
    Route::name('panel.')->middleware('can:manage-users')->group(function() {
        Route::resource('/users', 'UsersController', ['except' => ['show', 'create', 'store']]);
%s    });
});
"""


def test_a_laravel_group_chain_opening_on_namespace_or_name_keeps_its_prefix_and_guard() -> None:
    path = "routes/web.php"
    endpoints = {(e.method, e.path): e.reasons for e in extract({path: LARAVEL % ""})}
    assert ("GET", "/home") in endpoints
    assert endpoints[("GET", "/home/users")] == ("middleware can:manage-users",)
    roles = "        Route::resource('/roles', 'RolesController', ['except' => ['show', 'create']]);\n"
    assert ("added", "POST", "/home/roles") in grown({path: LARAVEL % ""}, {path: LARAVEL % roles})


PHX_ROUTER = """defmodule AppWeb.Router do
  use AppWeb, :router
  import AshAdmin.Router

  pipeline :browser do
    plug :fetch_session
  end

  scope "/", AppWeb do
    pipe_through(:browser)

    live_session :main,
      on_mount: [
%s        {AppWeb.LiveUserAuth, :live_user_optional}
      ] do
      live("/", AppViewLive, :home)
      live("/blog", AppViewLive, :blog)
    end
  end
%send
"""


def test_ash_authentication_live_session_hook_only_loads_the_actor() -> None:
    path = "lib/app_web/router.ex"
    with_hook = PHX_ROUTER % ("        AshAuthentication.Phoenix.LiveSession,\n", "")
    assert grown({path: with_hook}, {path: PHX_ROUTER % ("", "")}) == set()
    assert {e.auth for e in extract({path: with_hook})} == {"unauthenticated"}


def test_ash_admin_mounts_a_data_admin_dashboard() -> None:
    path = "lib/app_web/router.ex"
    mounted = PHX_ROUTER % (
        "",
        '\n  scope "/" do\n    pipe_through [:browser]\n    ash_admin("/admin")\n  end\n',
    )
    assert grown({path: PHX_ROUTER % ("", "")}, {path: mounted}) == {("added", "GET", "/admin")}


FLAGS_MACRO = """defmodule Core.Routes do
  defmacro __using__(_opts \\\\ []) do
    quote do
      scope path: "/admin/feature-flags" do
        pipe_through :require_admin
%s      end
    end
  end
end
"""


def test_a_routes_macro_forwarding_to_an_ops_ui_mounts_it_under_the_pipeline_it_names() -> None:
    path = "apps/core/lib/core_web/routes.ex"
    forward = '        forward "/", FunWithFlags.UI.Router, namespace: "admin/feature-flags"\n'
    assert grown({}, {path: FLAGS_MACRO % forward}) == {("added", "ANY", "/admin/feature-flags/**")}
    (mount,) = extract({path: FLAGS_MACRO % forward})
    assert mount.auth == "authenticated" and "pipe_through :require_admin" in mount.reasons
    # a macro whose routes are the app's own pages is not read as a router
    page = '        get "/", PageController, :index\n'
    assert extract({path: FLAGS_MACRO % page}) == ()


KAFFY_ROUTER = """defmodule Admin.Router do
  use Phoenix.Router

  pipeline :require_admin do
    plug AppWeb.RequireAdmin
  end

%send
"""
KAFFY_MACRO = """defmodule Admin.Routes do
  defmacro __using__(_opts \\\\ []) do
    quote do
      use Kaffy.Routes, scope: "/admin", pipe_through: [%s]
    end
  end
end
"""


def test_a_dashboard_moved_into_a_routes_macro_under_as_strong_a_guard_is_a_move() -> None:
    router, macro = "apps/admin/lib/admin/router.ex", "apps/admin/lib/admin/routes.ex"
    base = {router: KAFFY_ROUTER % '  use Kaffy.Routes, scope: "/", pipe_through: [:require_admin]\n'}
    moved = {router: KAFFY_ROUTER % "  use Admin.Routes\n", macro: KAFFY_MACRO % ":require_admin"}
    assert grown(base, moved) == set()
    # moved out from behind the admin pipeline: the same dashboard, open to more callers
    opened = {router: KAFFY_ROUTER % "  use Admin.Routes\n", macro: KAFFY_MACRO % ":browser"}
    assert ("added", "ANY", "/admin/**") in grown(base, opened)


URLS = """from django.urls import include, path

urlpatterns = [
    path("", include("packages.urls")),
%s]
"""


def test_django_maintenance_mode_urls_are_an_ops_switch() -> None:
    path = "urls.py"
    added = '    path("maintenance-mode/", include("maintenance_mode.urls")),\n'
    assert grown({path: URLS % ""}, {path: URLS % added}) == {("added", "GET", "/maintenance-mode/**")}


AUTH_ROUTES = """from fastapi import APIRouter

from app.utils.routes import create_public_router

auth_routes = create_public_router(prefix="/auth", tags=["auth"])


@auth_routes.post("/register/")
async def register(user: UserRegistry):
    ...


@auth_routes.post("/login/")
async def login(user: UserLogin):
    ...
"""
MAIN = """from fastapi import Depends, FastAPI

from app.middleware.security import get_current_user
from app.routes.auth import auth_routes

app = FastAPI(title="qr"%s)
app.include_router(auth_routes)
"""
SECURITY = """from fastapi import HTTPException, Request


def get_current_user(request: Request):
%s    token = request.headers.get("Authorization")
    if not token:
        raise HTTPException(status_code=401)
    return decode(token)
"""


def test_a_project_router_factory_serves_under_its_prefix() -> None:
    paths = {(e.method, e.path) for e in extract({"app/routes/auth.py": AUTH_ROUTES})}
    assert paths == {("POST", "/auth/register"), ("POST", "/auth/login")}


def test_exempting_open_routes_from_a_login_dependency_this_change_adds_keeps_them_as_open() -> None:
    files = {"app/routes/auth.py": AUTH_ROUTES, "app/main.py": MAIN % ""}
    base = {**files, "app/middleware/security.py": SECURITY % ""}
    listed = (
        '    public_paths = ["/auth/register/", "/auth/login/"]\n'
        "    if request.url.path in public_paths:\n        return None\n"
    )
    head = {
        **files,
        "app/main.py": MAIN % ", dependencies=[Depends(get_current_user)]",
        "app/middleware/security.py": SECURITY % listed,
    }
    assert grown(base, head) == set()
    # the same exemption where the dependency guarded them already opens them
    guarded = {**base, "app/main.py": MAIN % ", dependencies=[Depends(get_current_user)]"}
    assert grown(guarded, head) == {("widened", "ANY", "/auth/register"), ("widened", "ANY", "/auth/login")}


HEALTH = """public static class HealthChecksExtensions
{
    public static IApplicationBuilder UseHealth(this IApplicationBuilder app)
    {
        app.UseHealthChecks("/health"%s);
        return app;
    }
}
"""


def test_health_checks_with_a_detailed_response_writer_serve_internal_state() -> None:
    path = "src/WebApi/Modules/HealthChecksExtensions.cs"
    detailed = HEALTH % ", new HealthCheckOptions() { ResponseWriter = WriteResponse }"
    assert grown({}, {path: detailed}) == {("added", "GET", "/health")}
    assert grown({}, {path: HEALTH % ""}) == set()  # the bare status word: a probe
