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
    assert "/*path" in paths and "/admin/group/*path" not in paths
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
