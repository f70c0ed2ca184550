"""Issue 14: idioms read from set M's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

GO = """package routers

func initRouter() *gin.Engine {
	r := gin.New()
	admin := r.Group("/admin", middleware.IsAdmin())
	{
		group := admin.Group("group")
		group.POST("", controllers.AdminListGroups)
	}
	auth := r.Group("/api", middleware.LoginRequired())
	{
%s	}
	initWebDAV(r.Group("dav"))
	return r
}

func initWebDAV(group *gin.RouterGroup) {
	group.Use(middleware.WebDAVAuth())
	group.Any("/*path", webdav.ServeHTTP)
}
"""


def test_a_named_functions_router_parameter_is_not_a_group_of_the_same_name_built_elsewhere() -> None:
    listed = '\t\tgroup := auth.Group("group")\n\t\tgroup.GET("list", controllers.ListGroups)\n'
    base, head = {"routers/router.go": GO % listed}, {"routers/router.go": GO % ""}
    paths = {ep.path for ep in extract(head)}
    # the function serves the group its caller hands it, never a group of the same name built elsewhere
    assert "/dav/*path" in paths and "/admin/group/*path" not in paths
    assert grown(base, head) == set()


PIPELINE = """defmodule ShopWeb.Router do
  use ShopWeb, :router

  pipeline :browser do
    plug :fetch_session
    plug ShopWeb.AdminCountersPlug
  end

  scope "/", ShopWeb do
    pipe_through :browser
    resources "/tags", TagController, only: [:index]
%s  end
end
"""


def test_a_plug_that_loads_counters_for_a_role_guards_nothing() -> None:
    head = {"lib/shop_web/router.ex": PIPELINE % '    resources "/themes", ThemeController, only: [:index]\n'}
    assert grown({"lib/shop_web/router.ex": PIPELINE % ""}, head) == set()
    assert all(not ep.reasons for ep in extract(head))


CONTROLLER = """package org.shop.controllers;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

@Secured(SecurityRule.IS_AUTHENTICATED)
@Controller("/api/v1/stores")
public class StoreController {
    @Get("/{id}")
    public Store get(String id) { return repo.find(id); }

    @HasAnyPermission()
    @Post
    public Store create(@Body Store store) { return repo.save(store); }
%s}
"""


def test_micronaut_controllers_and_their_security_annotations() -> None:
    anonymous = '\n    @Secured(SecurityRule.IS_ANONYMOUS)\n    @Get("options")\n    public Options options() { return opts; }\n'
    base = {"src/main/java/org/shop/controllers/StoreController.java": CONTROLLER % ""}
    head = {"src/main/java/org/shop/controllers/StoreController.java": CONTROLLER % anonymous}
    found = {(ep.method, ep.path): ep for ep in extract(head)}
    assert set(found) == {
        ("GET", "/api/v1/stores/{id}"),
        ("POST", "/api/v1/stores"),
        ("GET", "/api/v1/stores/options"),
    }
    assert found[("GET", "/api/v1/stores/{id}")].auth == "authenticated"
    assert found[("POST", "/api/v1/stores")].reasons == ("@HasAnyPermission",)
    assert found[("GET", "/api/v1/stores/options")].auth == "unauthenticated"
    # An anonymous route in a controller whose class requires a login is growth.
    assert grown(base, head) == {("added", "GET", "/api/v1/stores/options")}


APPLICATION = """micronaut:
  application:
    name: shop
endpoints:
  health:
    enabled: true
    sensitive: false
%s"""


def test_management_endpoints_made_non_sensitive_in_configuration() -> None:
    base = {"src/main/resources/application.yml": APPLICATION % ""}
    caches = "  caches:\n    enabled: true\n    sensitive: false\n"
    assert grown(base, {"src/main/resources/application.yml": APPLICATION % caches}) == {
        ("added", "ANY", "/caches")
    }
    everything = "  all:\n    sensitive: false\n"
    assert grown(base, {"src/main/resources/application.yml": APPLICATION % everything}) == {
        ("added", "ANY", "/**")
    }
    # Switched off, or still sensitive: nothing is served to anonymous callers.
    off = "  caches:\n    enabled: false\n    sensitive: false\n"
    assert grown(base, {"src/main/resources/application.yml": APPLICATION % off}) == set()
    assert (
        grown(base, {"src/main/resources/application.yml": APPLICATION % "  caches:\n    sensitive: true\n"})
        == set()
    )


ROUTER_RS = """pub fn build_router(app: &App) -> RouteBuilder {
    let mut router = RouteBuilder::new();
    router.get("/api/v1/crates", C(krate::search::search));
%s
    router
}

#[cfg(test)]
mod tests {
    fn hits() { app.get("/api/private/secret", handler); router.get("/api/private/test", h); }
}
"""


def test_a_route_builder_variable_declares_routes_and_a_test_module_declares_none() -> None:
    metrics = '    router.get("/api/private/metrics/:kind", C(metrics::prometheus));'
    base, head = {"src/router.rs": ROUTER_RS % ""}, {"src/router.rs": ROUTER_RS % metrics}
    assert {ep.path for ep in extract(base)} == {"/api/v1/crates"}
    assert grown(base, head) == {("added", "GET", "/api/private/metrics/{kind}")}
    # The handler's name (`github_access_token`) is no guard.
    token = '    router.get("/authorize", C(user::session::github_access_token));'
    (ep,) = [e for e in extract({"src/router.rs": ROUTER_RS % token}) if e.path == "/authorize"]
    assert ep.reasons == ()


def test_routes_of_a_file_moved_together_under_an_internal_looking_prefix_are_a_move() -> None:
    before = '    router.get("/authorize_url", C(s::begin));\n    router.delete("/logout", C(s::logout));'
    after = '    router.get("/api/private/session/begin", C(s::begin));\n    router.delete("/api/private/session", C(s::end));'
    assert grown({"src/router.rs": ROUTER_RS % before}, {"src/router.rs": ROUTER_RS % after}) == set()
    # One public route removed while two internal ones arrive is no block move.
    both = after + '\n    router.get("/api/private/metrics", C(m::all));'
    assert len(grown({"src/router.rs": ROUTER_RS % before}, {"src/router.rs": ROUTER_RS % both})) == 3


AXUM = """pub fn build_axum_router(state: AppState) -> Router<()> {
    let router = Router::new().route("/", get(root));
    let mut router = router
        // Metrics
        .route("/api/private/metrics/{kind}", get(metrics::prometheus))
%s        .route("/api/v1/me", get(me::get));
    router
}
"""


def test_an_axum_reassignment_chain_may_open_with_a_comment() -> None:
    listed = '        // Listing the crates of a user for support\n        .route("/api/private/admin_list/{user}", get(admin::list))\n'
    found = grown({"src/router.rs": AXUM % ""}, {"src/router.rs": AXUM % listed})
    assert found == {("added", "GET", "/api/private/admin_list/{user}")}


TEGG = """import { HTTPController, HTTPMethod, HTTPMethodEnum, Middleware } from '@eggjs/tegg';
import { AdminAccess } from '../middleware/AdminAccess';

@HTTPController()
export class BinaryController extends AbstractController {
  @HTTPMethod({
    path: '/-/binary/:binaryName(@[^/]{1,220})',
    method: HTTPMethodEnum.GET,
  })
  async show(@HTTPParam() binaryName: string) {
    return this.binaries.get(binaryName);
  }
%s}
"""


def test_tegg_controllers_their_methods_and_middleware() -> None:
    sync = """
  @HTTPMethod({
    path: `/-/binary/:binaryName/sync`,
    method: HTTPMethodEnum.POST,
  })
  @Middleware(AdminAccess)
  async sync(@HTTPParam() binaryName: string) {
    return this.syncer.run(binaryName);
  }
"""
    base = {"app/port/controller/BinaryController.ts": TEGG % ""}
    head = {"app/port/controller/BinaryController.ts": TEGG % sync}
    found = {(ep.method, ep.path): ep for ep in extract(head)}
    # A param's pattern (`:binaryName(@[^/]{1,220})`) is not part of the path.
    assert set(found) == {("GET", "/-/binary/{binaryName}"), ("POST", "/-/binary/{binaryName}/sync")}
    assert found[("POST", "/-/binary/{binaryName}/sync")].reasons == ("@Middleware(AdminAccess)",)
    assert grown(base, head) == {("added", "POST", "/-/binary/{binaryName}/sync")}


ENDPOINTS_JS = """function init (env, ctx) {
  const endpoints = express();
  endpoints.get('/subjects', ctx.authorization.isPermitted('api:subjects:read'), listSubjects);
%s  return endpoints;
}
module.exports = init;
"""


def test_a_permission_to_change_roles_is_the_administrators() -> None:
    create = "  endpoints.post('/roles', ctx.authorization.isPermitted('authorization:roles:create'), createRole);\n"
    listing = "  endpoints.get('/roles', ctx.authorization.isPermitted('api:roles:read'), listRoles);\n"
    base = {"lib/authorization/endpoints.js": ENDPOINTS_JS % ""}
    assert grown(base, {"lib/authorization/endpoints.js": ENDPOINTS_JS % create}) == {
        ("added", "POST", "/roles")
    }
    assert grown(base, {"lib/authorization/endpoints.js": ENDPOINTS_JS % listing}) == set()


ADMIN_URLS = """from django.urls import path

from . import views

urlpatterns = [
    path("", views.MenuList.as_view(), name="index"),
%s]
"""


def test_routes_declared_in_an_admin_directory_are_internal_by_default() -> None:
    new = '    path("new/", views.NewMenuItem.as_view(), name="new"),\n'
    base = {"forum/menus/admin/urls.py": ADMIN_URLS % ""}
    assert grown(base, {"forum/menus/admin/urls.py": ADMIN_URLS % new}) == {("added", "ANY", "/new")}
    # The same module outside an admin directory serves the public site.
    assert grown({"forum/menus/urls.py": ADMIN_URLS % ""}, {"forum/menus/urls.py": ADMIN_URLS % new}) == set()


API_PHP = """<?php

use App\\Http\\Controllers;
use App\\Http\\Controllers\\Admin;
use Illuminate\\Support\\Facades\\Route;

Route::get('/Albums', [AlbumsController::class, 'get']);
%s"""


def test_a_route_handled_by_a_controller_in_an_admin_namespace_is_internal() -> None:
    base = {"routes/api_v2.php": API_PHP % ""}
    advisories = (
        "Route::get('/Security/Advisories', [Admin\\\\SecurityAdvisoriesController::class, 'index']);\n"
    )
    assert grown(base, {"routes/api_v2.php": API_PHP % advisories}) == {
        ("added", "GET", "/Security/Advisories")
    }
    (ep,) = [e for e in extract({"routes/api_v2.php": API_PHP % advisories}) if "Security" in e.path]
    assert ep.auth == "unauthenticated"  # filed with the admin panel, which is no guard
    photos = "Route::get('/Photos', [PhotoController::class, 'get']);\n"
    assert grown(base, {"routes/api_v2.php": API_PHP % photos}) == set()
