"""Issue 14: idioms read from set Q's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure.extract import extract
from tests.exposure_growth import grown


def _laravel_routes(groups: int, last: str) -> str:
    siblings = "\n".join(
        f"    Route::prefix('p{i}')->group(function (): void {{\n"
        f"        Route::name('p{i}.')->group(function (): void {{\n"
        f"            Route::get('/', [C{i}::class, 'index'])->name('index');\n"
        "        });\n    });"
        for i in range(groups)
    )
    return (
        "<?php\nRoute::prefix('staff')->middleware(['auth', 'admin'])->group(function (): void {\n"
        f"{siblings}\n{last}\n}});\n"
    )


def test_a_laravel_route_file_with_hundreds_of_groups_keeps_every_group_prefix_and_guard() -> None:
    path = "routes/web.php"
    added = (
        "    Route::prefix('history')->group(function (): void { Route::get('/', [H::class, 'index']); });"
    )
    base, head = _laravel_routes(150, ""), _laravel_routes(150, added)
    last = [e for e in extract({path: head}) if e.path == "/staff/history"]
    assert last and last[0].auth == "authenticated"
    assert grown({path: base}, {path: head}) == {("added", "GET", "/staff/history")}


PHOENIX = """defmodule AppWeb.Router do
  use AppWeb, :router

  pipeline :browser do
    plug :fetch_session
  end

  scope "/public", AppWeb do
    pipe_through :browser
    get "/health", HealthController, :index
%s  end

  live_session :admin, on_mount: [{AppWeb.UserAuth, :ensure_admin}] do
    scope "/admin", AppWeb do
      pipe_through [:browser]
%s    end
  end

  live_session :default, on_mount: [AppWeb.AuthHook] do
    scope "/", AppWeb do
      pipe_through [:browser]
      live "/", HomeLive, :page
%s    end
  end
end
"""
INPUT = '      get "/sessions/input/:token", SessionController, :show_input\n'


def test_live_session_hooks_guard_the_routes_inside_them() -> None:
    path = "lib/app_web/router.ex"
    base = {path: PHOENIX % ("", "", "")}
    crawl = '      if Code.ensure_loaded?(App.CrawlLive) do\n        live "/crawl", CrawlLive\n      end\n'
    routes = {e.path: e for e in extract({path: PHOENIX % ("", crawl, "")})}
    assert routes["/admin/crawl"].auth == "authenticated"
    assert any("ensure_admin" in r for r in routes["/admin/crawl"].reasons)
    assert routes["/"].auth == "authenticated"
    assert grown(base, {path: PHOENIX % ("", crawl, "")}) == {("added", "GET", "/admin/crawl")}


def test_an_action_moved_in_one_file_from_an_authenticated_scope_to_a_public_one_is_widened() -> None:
    path = "lib/app_web/router.ex"
    before = {path: PHOENIX % ("", "", INPUT)}
    after = {path: PHOENIX % (INPUT.replace("/sessions", "/sessions"), "", "")}
    assert grown(before, after) == {("widened", "GET", "/public/sessions/input/{token}")}
    # Moved between two authenticated scopes, or moved back: no widening.
    assert grown(after, before) == set()
    both = {path: PHOENIX % ("", INPUT.replace("/sessions", "/s"), INPUT)}
    assert grown(before, both) == {("added", "GET", "/admin/s/input/{token}")}
    # Another scope's controller of the same name (`AppWeb.Api.SessionController`) is another action.
    api = PHOENIX.replace('scope "/public", AppWeb do', 'scope "/public", AppWeb.Api do')
    assert grown({path: api % ("", "", INPUT)}, {path: api % (INPUT, "", "")}) == set()


FLASK = """from flask import Blueprint
from app.oauth2.server import require_auth

reports_blueprint = Blueprint("reports", __name__)


@reports_blueprint.route("/reports", methods=["GET"])
@require_auth(scopes=["reports:read"])
def get_reports(auth_user):
    return {}
%s"""
UNRESOLVED = """

@reports_blueprint.route("/reports/unresolved", methods=["GET"])
@require_auth(scopes=["reports:read"], as_admin=True)
def get_unresolved(auth_user):
    return {}
"""


def test_a_guard_decorator_flagged_for_admins_makes_its_route_admin_only() -> None:
    path = "app/reports/reports.py"
    assert grown({path: FLASK % ""}, {path: FLASK % UNRESOLVED}) == {("added", "GET", "/reports/unresolved")}
    plain = UNRESOLVED.replace(", as_admin=True", "")
    assert grown({path: FLASK % ""}, {path: FLASK % plain}) == set()


FASTAPI = """from fastapi import Depends
from app.dependencies import is_user_a_member, is_user_a_member_of
from app.types.module import Module

module = Module(root="scores")


@module.router.get("/scores")
async def leaderboard():
    return []


@module.router.post("/scores")
async def post_score(user=Depends(is_user_a_member)):
    return {}
%s"""
DELETE = """

@module.router.delete("/scores/{user_id}")
async def remove_score(user_id: str, user=Depends(is_user_a_member_of(GroupType.admin))):
    return None
"""


def test_routes_on_a_router_held_by_a_module_object_with_dependencies_built_by_calls() -> None:
    path = "app/modules/scores/endpoints_scores.py"
    routes = {(e.method, e.path): e for e in extract({path: FASTAPI % DELETE})}
    assert routes[("GET", "/scores")].auth == "unauthenticated"
    assert routes[("POST", "/scores")].auth == "authenticated"
    assert grown({path: FASTAPI % ""}, {path: FASTAPI % DELETE}) == {("added", "DELETE", "/scores/{user_id}")}


GIN = """package cmd

func serve() {
	r := gin.Default()
	r.Use(func(c *gin.Context) {
		c.Header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-CSRF-Token")
		c.Next()
	})
	r.GET("/api/version", api.GetVersion)
%s
	admin := r.Group("/api/admin", api.AdminAuthMiddleware())
	{
		admin.GET("/clients", api.ListClients)
%s	}
}
"""
LOAD = '\t\t%s.GET("%s/records/load", record.GetRecordsByUUID)\n'


def test_a_cors_handler_naming_auth_headers_guards_nothing_and_a_go_handler_moved_out_of_its_group_widens() -> (
    None
):
    path = "cmd/server.go"
    version = next(e for e in extract({path: GIN % ("", "")}) if e.path == "/api/version")
    assert version.auth == "unauthenticated"
    before = {path: GIN % ("", LOAD % ("admin", ""))}
    after = {path: GIN % (LOAD % ("r", "/api"), "")}
    assert grown(before, after) == {("widened", "GET", "/api/records/load")}
    assert not {change for change, _, _ in grown(after, before)} & {"widened"}


ECHO = """package router

func Setup(e *echo.Echo) {
	e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
		AllowHeaders: []string{echo.HeaderContentType, echo.HeaderAuthorization},
	}))
	api := e.Group("/api", h.UserAuthenticate())
	{
		api.GET("/me", h.GetMe)
%s	}
	open := e.Group("/api")
	{
		open.POST("/login", h.Login)
%s	}
}
"""


def test_header_name_constants_in_a_cors_config_are_no_guard() -> None:
    path = "router/router.go"
    metrics = '\t\t%s.GET("/metrics", echo.WrapHandler(promhttp.Handler()))\n'
    before = {path: ECHO % (metrics % "api", "")}
    after = {path: ECHO % ("", metrics % "open")}
    login = next(e for e in extract(after) if e.path == "/api/login")
    assert login.auth == "unauthenticated"
    assert grown(before, after) == {("widened", "GET", "/api/metrics")}


SPRING = """package app.web;

@RestController
@RequestMapping("/user")
public class UserInfoController {

    @GetMapping("/detail")
    @ApiPermission(name = "User-Detail", roleScope = RoleScope.GLOBAL, requiredPermission = Permission.READ)
    public ResultDTO<UserVO> detail(Long id) {
        return null;
    }
%s}
"""
QUERY = """
    @PostMapping("/query")
    @ApiPermission(name = "User-Query", roleScope = RoleScope.GLOBAL, requiredPermission = Permission.SU)
    public ResultDTO<List<UserVO>> query(@RequestBody QueryUserRequest request) {
        return null;
    }
"""


def test_a_permission_annotation_demanding_the_super_user_makes_its_route_admin_only() -> None:
    path = "server/src/main/java/app/web/UserInfoController.java"
    detail = next(e for e in extract({path: SPRING % ""}) if e.path == "/user/detail")
    assert detail.auth == "authenticated"
    assert grown({path: SPRING % ""}, {path: SPRING % QUERY}) == {("added", "POST", "/user/query")}
    read = QUERY.replace("Permission.SU", "Permission.READ")
    assert grown({path: SPRING % ""}, {path: SPRING % read}) == set()
