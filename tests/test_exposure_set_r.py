"""Issue 14: idioms read from set R's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure.extract import extract
from tests.exposure_growth import grown

GO = """package api

func Register(router *gin.RouterGroup) {
	router.GET("/status", func(c *gin.Context) {
		conf, ok := get.Config(), true
		c.JSON(200, gin.H{"ok": ok, "name": conf.Name()})
	})
%s}
"""
STOP = """	router.POST("/server/stop", func(c *gin.Context) {
		s := Auth(c, acl.ResourceConfig, acl.ActionManage)
		if s.Invalid() {
			AbortForbidden(c)
			return
		}
		stop()
	})
"""
ECHO = """	router.Any("/echo", func(c *gin.Context) {
		// Abort if debug mode is disabled.
		if !get.Config().Debug() {
			AbortFeatureDisabled(c)
			return
		}
		c.JSON(200, gin.H{"headers": c.Request.Header})
	})
"""


def test_an_inline_go_handler_is_one_argument_whatever_commas_it_holds() -> None:
    status = extract({"internal/api/status.go": GO % ""})
    assert [(e.path, e.auth, e.reasons) for e in status] == [("/status", "unauthenticated", ())]


def test_an_inline_access_check_granting_management_of_the_configuration_is_admin_only() -> None:
    path = "internal/api/server.go"
    assert grown({path: GO % ""}, {path: GO % STOP}) == {("added", "POST", "/server/stop")}
    reading = STOP.replace("acl.ResourceConfig, acl.ActionManage", "acl.ResourcePhotos, acl.ActionView")
    assert grown({path: GO % ""}, {path: GO % reading}) == set()


def test_a_handler_refusing_unless_debug_mode_is_on_is_a_debugging_endpoint() -> None:
    path = "internal/api/echo.go"
    assert grown({path: GO % ""}, {path: GO % ECHO}) == {("added", "ANY", "/echo")}
    always = ECHO.replace("!get.Config().Debug()", "c.Request == nil")
    assert grown({path: GO % ""}, {path: GO % always}) == set()


HONO = """import { Hono } from "hono";
import { basicAuth } from "hono/basic-auth";

const app = new Hono();
const basePath = "/admin";

if (process.env.BOARD_USERNAME) {
  app.use(basePath, basicAuth({ username: process.env.BOARD_USERNAME, password: process.env.BOARD_PASSWORD }));
  app.use(`${basePath}/*`, basicAuth({ username: process.env.BOARD_USERNAME, password: process.env.BOARD_PASSWORD }));
}
app.get("/health", (c) => c.json({ ok: true }));
%s
export default app;
"""


def test_a_path_named_by_a_constant_scopes_its_middleware_and_a_calls_arguments_mount_nothing() -> None:
    path = "apps/worker/src/index.ts"
    routes = {e.path: e for e in extract({path: HONO % 'app.get("/admin/queues", (c) => c.json([]));'})}
    assert routes["/health"].auth == "unauthenticated"
    assert routes["/admin/queues"].auth == "authenticated"
    express = """const router = express.Router();
router.use(isAuthenticated(Permission.MANAGE_SETTINGS));
router.get("/tautulli", (req, res) => res.json({}));
export default router;
"""
    settings = {e.path: e for e in extract({"server/routes/settings/index.ts": express})}
    assert any("MANAGE_SETTINGS" in r for r in settings["/tautulli"].reasons)


AXUM = """pub fn basic_routes() -> Router {
    let mut router = Router::new().route("/healthz", get(status::healthz));

    let mut node_routes = Router::new()
        .route("/status", get(status::cache_status))
        .route("/reload", get(status::cache_reload));
    node_routes = node_routes
        .route("/list", get(status::list_node))
        .layer(middleware::from_fn(auth_middleware));
    router = router.nest("/node", node_routes);
%s
    let config_routes = Router::new()
        .route("/reload", get(status::config_reload))
        .route_layer(middleware::from_fn(auth_middleware));
    router = router.nest("/config", config_routes);
    router
}
"""
PROFILING = """
    let debug_routes = Router::new()
        .route("/profile/cpu", get(profiling::cpu_profile))
        .layer(middleware::from_fn(auth_middleware));
    router = router.nest("/debug", debug_routes);
"""
HANDLERS = """pub async fn config_reload(Headers(user_email): Headers<UserEmail>) -> impl IntoResponse {
    let user_id = user_email.user_id.as_str();
%s    refresh_config();
    StatusCode::OK
}
"""
ROOT_ONLY = """    if !is_root_user(user_id) {
        return (StatusCode::FORBIDDEN, "only root users");
    }
"""


def test_axum_routers_nested_by_variable_and_layers_over_a_reassigned_router() -> None:
    path = "src/router/mod.rs"
    routes = {e.path: e for e in extract({path: AXUM % ""})}
    assert routes["/node/reload"].auth == "authenticated"  # the layer wraps what the router held by then
    assert routes["/healthz"].auth == "unauthenticated"
    assert grown({path: AXUM % ""}, {path: AXUM % PROFILING}) == {("added", "GET", "/debug/profile/cpu")}


def test_a_handler_file_read_for_the_root_user_check_its_handler_makes_first() -> None:
    router, handlers = "src/router/mod.rs", "src/request/status/mod.rs"
    base = {router: AXUM % "", handlers: HANDLERS % ""}
    head = {router: AXUM % "", handlers: HANDLERS % ROOT_ONLY}
    reload = next(e for e in extract(head) if e.path == "/config/reload")
    assert "checks is_root_user" in reload.reasons
    assert grown(base, head) == set()  # the route was there: only narrowed


PGADMIN = """from flask import Blueprint
from flask_security import roles_required, login_required

blueprint = Blueprint("user_management", __name__)


@blueprint.route("/users", methods=["GET"])
@login_required
def users():
    return []
%s"""
ROLES = """

@blueprint.route("/role/<int:id>", methods=["DELETE"])
@roles_required("Administrator")
def role_delete(id):
    return None
"""
SHUTDOWN = """

@blueprint.route("/shutdown", methods=("get", "post"))
def shutdown():
    stop_server()
    return "SHUTDOWN"
"""


def test_a_role_guard_naming_the_administrator_and_a_shutdown_route_are_internal() -> None:
    path = "web/pgadmin/tools/user_management/__init__.py"
    assert grown({path: PGADMIN % ""}, {path: PGADMIN % ROLES}) == {("added", "DELETE", "/role/{id}")}
    editors = ROLES.replace('"Administrator"', '"Editor"')
    assert grown({path: PGADMIN % ""}, {path: PGADMIN % editors}) == set()
    assert grown({path: PGADMIN % ""}, {path: PGADMIN % SHUTDOWN}) == {
        ("added", "GET", "/shutdown"),
        ("added", "POST", "/shutdown"),
    }


ROUTES_RB = """Rails.application.routes.draw do
  namespace :maintaining do
    resources :track_maintainers, only: %s
  end
end
"""
CHILD = """class Maintaining::TrackMaintainersController < Maintaining::BaseController
  def index; end

  def create; end
end
"""
BASE = """class Maintaining::BaseController < ApplicationController
  before_action :ensure_maintainer!
end
"""


def test_a_bang_check_of_the_parent_controller_ensuring_a_maintainer_is_privileged() -> None:
    files = {
        "app/controllers/maintaining/track_maintainers_controller.rb": CHILD,
        "app/controllers/maintaining/base_controller.rb": BASE,
    }
    base = {"config/routes.rb": ROUTES_RB % "[:index]", **files}
    head = {"config/routes.rb": ROUTES_RB % "%i[index create]", **files}
    assert grown(base, head) == {("added", "POST", "/maintaining/track_maintainers")}


YARPC = """package frontend

import (
	adminv1 "github.com/example/svc/.gen/proto/admin/v1"
)

type adminGRPCHandler struct{ h AdminHandler }

func (g adminGRPCHandler) register(dispatcher *yarpc.Dispatcher) {
	dispatcher.Register(adminv1.BuildAdminAPIYARPCProcedures(g))
}

func (g adminGRPCHandler) CloseShard(ctx context.Context, r *adminv1.CloseShardRequest) (*adminv1.CloseShardResponse, error) {
	return &adminv1.CloseShardResponse{}, g.h.CloseShard(ctx, r)
}

func (g adminGRPCHandler) DrainGroups(ctx context.Context, r *adminv1.DrainRequest) (*adminv1.DrainResponse, error) {
%s
}
"""


def test_yarpc_procedures_of_an_admin_service_and_stubs_that_serve_nothing() -> None:
    path = "service/frontend/adminGrpcHandler.go"
    stub, served = '\tpanic("not implemented")', "\treturn g.h.Drain(ctx, r)"
    rpcs = {e.path for e in extract({path: YARPC % stub})}
    assert rpcs == {"proto.admin.v1.AdminAPI/CloseShard"}
    assert grown({}, {path: YARPC % stub}) == {("added", "RPC", "proto.admin.v1.AdminAPI/CloseShard")}
    assert grown({path: YARPC % stub}, {path: YARPC % served}) == {
        ("added", "RPC", "proto.admin.v1.AdminAPI/DrainGroups")
    }


OAUTH_ROUTES = """<?php

Route::post('token', 'OAuth\\\\AccessToken@issueToken')->name('oauth.token')->withoutMiddleware('oauth');
Route::get('clients', 'OAuth\\\\Clients@index')->name('clients.index');
%s"""


def test_a_laravel_route_leaving_the_oauth_middleware_admits_anonymous_callers() -> None:
    path = "routes/oauth.php"
    register = "Route::post('register', 'OAuth\\\\Registration@register')->withoutMiddleware('oauth');\n"
    assert grown({path: OAUTH_ROUTES % ""}, {path: OAUTH_ROUTES % register}) == {
        ("added", "POST", "/register")
    }


def test_a_bull_board_base_path_named_by_a_constant() -> None:
    path = "apps/worker/src/index.ts"
    board = """import { HonoAdapter } from "@bull-board/hono";
const basePath = "/admin";
const serverAdapter = new HonoAdapter(serveStatic);
serverAdapter.setBasePath(basePath);
app.route(basePath, serverAdapter.registerPlugin());
"""
    assert grown({}, {path: board}) == {("added", "ANY", "/admin/**")}


SECURITY = """@Configuration
public class WebSecurityConfig {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(c -> c
%s            .anyRequest().authenticated());
        return http.build();
    }
}
"""
APP_API = '            .requestMatchers("/app-api/**").permitAll()\\n'
FILES = """@RestController
@RequestMapping("/app-api/file")
public class AppFileController {
    @PostMapping("/upload")%s
    public String upload() { return ""; }
}
"""


def test_endpoints_re_declared_open_when_a_permit_all_rule_is_dropped_are_no_widening() -> None:
    config, controller = (
        "src/main/java/app/WebSecurityConfig.java",
        "src/main/java/app/AppFileController.java",
    )
    before = {config: SECURITY % APP_API, controller: FILES % ""}
    after = {config: SECURITY % "", controller: FILES % "\n    @PermitAll"}
    assert grown(before, after) == set()
    # With the rule kept, a new @PermitAll on an endpoint it does not cover still widens it.
    other = {config: SECURITY % APP_API.replace("app-api", "open"), controller: FILES % ""}
    opened = {config: SECURITY % APP_API.replace("app-api", "open"), controller: FILES % "\n    @PermitAll"}
    assert grown(other, opened) == {("widened", "POST", "/app-api/file/upload")}
