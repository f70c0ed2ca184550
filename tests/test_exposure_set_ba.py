"""Idioms met in exposure set BA, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.compare import _renamed_files
from tests.exposure_growth import grown

ROUTES_RB = """Rails.application.routes.draw do
  devise_for :admin_users, path: :%s, module: :%s

  namespace :%s do
    root to: 'dashboard#show'
    resource :dashboard, only: :show, controller: :dashboard
    resources :announcements
    resource :profile, only: %%i[edit update]
  end
end
"""


def test_a_namespace_renamed_with_its_routes_file_is_a_rename_not_new_admin_pages() -> None:
    old = ROUTES_RB % ("admin_v2", "admin_v2", "admin_v2")
    new = ROUTES_RB % ("admin", "admin", "admin")
    assert grown({"config/routes/admin_v2.rb": old}, {"config/routes/admin.rb": new}) == set()
    # the same rename in place
    assert grown({"config/routes.rb": old}, {"config/routes.rb": new}) == set()
    # a page the old namespace never had is still a new admin page
    more = new.replace(
        "    resources :announcements\n", "    resources :announcements\n    resources :exports\n"
    )
    assert ("added", "GET", "/admin/exports") in grown(
        {"config/routes/admin_v2.rb": old}, {"config/routes/admin.rb": more}
    )


def test_files_renamed_are_paired_by_folder_kind_and_a_shared_word_only() -> None:
    pairs = _renamed_files(
        {"config/routes/admin_v2.rb": "", "config/routes/api.rb": "", "app/a.py": ""},
        {"config/routes/admin.rb": "", "config/routes/api.rb": "", "lib/a.py": ""},
    )
    assert pairs == {"config/routes/admin_v2.rb": "config/routes/admin.rb"}
    # two candidates in the folder: no pairing
    assert _renamed_files({"r/admin_v2.rb": ""}, {"r/admin.rb": "", "r/admin_v3.rb": ""}) == {}


CONTROLLER = """using Microsoft.AspNetCore.Mvc;

namespace Gateway.Controllers
{
    %s
    public class FileConfigurationController%s
    {
        %s
        public IActionResult Get()
        {
            return new OkObjectResult(_config);
        }
    }
}
"""


def test_an_action_without_a_verb_under_a_routed_controller_serves_every_method() -> None:
    path = "src/Gateway/Controllers/FileConfigurationController.cs"
    base = {path: CONTROLLER % ('[RouteAttribute("configuration")]', "", "")}
    # guarding the endpoint that was open narrows it; it adds nothing
    head = {
        path: CONTROLLER
        % ('[Authorize(Roles = "Admin")]\n    [Route("configuration")]', " : Controller", "[HttpGet]")
    }
    assert grown(base, head) == set()
    ends = {(f.change, f.endpoint.method, f.endpoint.path) for f in compare(base, head).findings}
    assert ends == {("narrowed", "GET", "/configuration")}
    # and dropping the guard again widens it
    assert grown(head, base) == {("widened", "ANY", "/configuration")}


URLS = """from django.conf import settings
from django.urls import path

urlpatterns = [path("", views.index)]

if settings.RUNTIME_ENVIRONMENT() %s:
    urlpatterns.append(path("test500/", trigger_500))
"""


def test_django_routes_under_a_local_environment_check_serve_in_development_only() -> None:
    path = "benefits/urls.py"
    base = {path: 'from django.urls import path\n\nurlpatterns = [path("", views.index)]\n'}
    for local in ("== settings.RUNTIME_ENVS.LOCAL", 'in ("local", "dev")', "in (ENVS.LOCAL, ENVS.DEV)"):
        assert not [f for f in compare(base, {path: URLS % local}).findings if f.change == "widened"]
    # an environment that includes production is not development
    prod = compare(base, {path: URLS % "in (ENVS.LOCAL, ENVS.PROD)"}).findings
    assert ("debug" not in str(prod)) and prod


API_GO = """package hub

func (h *Hub) registerApiRoutes(se *core.ServeEvent) error {
	apiAuth := se.Router.Group("/api/beszel")
	apiAuth.Bind(apis.RequireAuth())
	apiAuth.GET("/config-yaml", config.GetYamlConfig)%s
	return nil
}
"""


def test_pocketbase_middleware_bound_on_one_route_guards_it() -> None:
    path = "internal/hub/api.go"
    admin = compare({}, {path: API_GO % ".BindFunc(requireAdminRole)"}).findings
    assert [f.internal for f in admin] == [True]
    assert any("requireAdminRole" in r for r in admin[0].endpoint.reasons)
    # dropping that binding lets every signed-in user in
    assert grown({path: API_GO % ".BindFunc(requireAdminRole)"}, {path: API_GO % ""}) == {
        ("widened", "GET", "/api/beszel/config-yaml")
    }


GIN = """package routes

func SetRoutes(r *gin.Engine) {
	r.GET("/api/index", handlers.List)
%s
}
"""


def test_swaggo_swagger_ui_registered_in_every_build_is_an_api_documentation_dashboard() -> None:
    path = "pkg/routes/routes.go"
    route = '	r.GET("/swagger/*any", ginSwagger.WrapHandler(swaggerFiles.Handler))'
    assert grown({path: GIN % ""}, {path: GIN % route}) == {("added", "GET", "/swagger/*any")}
    chi = '	r.Get("/swagger/*", httpSwagger.Handler(httpSwagger.URL("/swagger/doc.json")))'
    assert grown({path: GIN % ""}, {path: GIN % chi}) == {("added", "GET", "/swagger/*")}
    # behind a switch some builds leave off, it is not served everywhere
    switched = "\tif config.SwaggerEnabled {\n\t" + route + "\n\t}"
    assert grown({path: GIN % ""}, {path: GIN % switched}) == set()


PLUG_ROUTER = """defmodule App.GraphQL.Router do
  use Plug.Router

  plug(:match)
  plug(:dispatch)

  forward("/graphql", to: Absinthe.Plug, init_opts: [schema: App.Schema])
%s
  match(_, do: conn)
end
"""


def test_absinthe_graphiql_forwarded_in_every_environment_is_a_query_console() -> None:
    path = "lib/app_graphql/router.ex"
    ide = '  forward("/graphiql", to: Absinthe.Plug.GraphiQL, init_opts: [schema: App.Schema])\n'
    assert grown({path: PLUG_ROUTER % ""}, {path: PLUG_ROUTER % ide}) == {("added", "ANY", "/graphiql/**")}


METRICS_PY = """from flask import Blueprint
from dmutils.metrics import DMGDSMetrics

metrics = Blueprint("metrics", __name__)
gds_metrics = DMGDSMetrics()
%s
"""


def test_a_metrics_view_registered_at_a_configured_path_is_a_probe() -> None:
    path = "app/metrics.py"
    rule = 'metrics.add_url_rule(gds_metrics.metrics_path, "metrics", gds_metrics.metrics_endpoint)'
    assert grown({path: METRICS_PY % ""}, {path: METRICS_PY % rule}) == {("added", "ANY", "/{metrics_path}")}


SECURITY = """package app.config;

@Configuration
public class SecurityConfiguration {
    private static final String[] PERMITTED_PATHS = {
        "/health",
        "/calendar/**",%s
    };

    @Bean
    public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
                .requestMatchers(PERMITTED_PATHS).permitAll()
                .anyRequest().authenticated());
        return http.build();
    }
}
"""


def test_a_path_added_to_a_permit_all_array_constant_is_exempted() -> None:
    path = "src/main/java/app/config/SecurityConfiguration.java"
    head = SECURITY % '\n        "/support/**",'
    assert grown({path: SECURITY % ""}, {path: head}) == {("widened", "ANY", "/support/**")}
    # the same list, reordered, exempts nothing new
    reordered = SECURITY.replace('"/health",\n        "/calendar/**",', '"/calendar/**",\n        "/health",')
    assert grown({path: SECURITY % ""}, {path: reordered % ""}) == set()


CANDIDATES = """using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

[Route("api/candidates")]
[ApiController]
[Authorize(Roles = "%s")]
public class CandidatesController : ControllerBase
{
    [HttpPost]
    public IActionResult Upsert() => Ok();
}
"""


def test_asp_net_roles_widened_let_more_callers_in() -> None:
    path = "Api/Controllers/CandidatesController.cs"
    base = {path: CANDIDATES % "Admin,Apply"}
    assert grown(base, {path: CANDIDATES % "Admin,Apply,Portal"}) == {("widened", "POST", "/api/candidates")}
    assert grown(base, {path: CANDIDATES % "Admin"}) == set()


def test_grpc_services_named_admin_are_internal_by_default() -> None:
    proto = """syntax = "proto3";
package trillian;

service TrillianAdmin {
  rpc ListTrees(ListTreesRequest) returns (ListTreesResponse) {}
%s}
"""
    undelete = "  rpc UndeleteTree(UndeleteTreeRequest) returns (Tree) {}\n"
    assert grown(
        {"trillian_admin_api.proto": proto % ""}, {"trillian_admin_api.proto": proto % undelete}
    ) == {("added", "RPC", "trillian.TrillianAdmin/UndeleteTree")}


def test_a_monitor_router_is_internal_by_default() -> None:
    routes = """from fastapi import APIRouter

router = APIRouter(prefix="/monitor")

@router.post("/actions/kill_browser")
async def kill_browser():
    return {}
"""
    assert grown({}, {"deploy/monitor_routes.py": routes}) == {
        ("added", "POST", "/monitor/actions/kill_browser")
    }


MONITOR_GO = """package server

const (
	VarzPath   = "/varz"
	StackszPath = "/stacksz"
)

func (s *Server) startMonitoring() {
	mux := http.NewServeMux()
	mux.HandleFunc(s.basePath(VarzPath), s.HandleVarz)
%s}
"""


def test_z_pages_under_a_base_path_are_internal_by_default() -> None:
    path = "server/server.go"
    stacks = "\tmux.HandleFunc(s.basePath(StackszPath), s.HandleStacksz)\n"
    assert grown({path: MONITOR_GO % ""}, {path: MONITOR_GO % stacks}) == {("added", "ANY", "/stacksz")}
