"""Idioms met in exposure set AX and the material left from earlier sets, each reduced to a snippet written here."""

from __future__ import annotations

import pytest

from checks.exposure.extract import extract
from tests.exposure_growth import grown

WEBFLUX = """package com.acme.security;

@Configuration
public class SecurityConfig {
    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        http.authorizeExchange(exchanges -> exchanges
                .matchers(
                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, CUSTOM_AUTH + "/login"), // sign in
                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, NewUrl.APPLICATION_URL + "/*/view"),
%s                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, CONFIG_URL)
                )
                .permitAll()
                .pathMatchers("/api/**")
                    .authenticated()
                .anyExchange()
                    .authenticated()
        );
        return http.build();
    }
}
"""
FILE = "server/src/main/java/com/acme/security/SecurityConfig.java"


def test_a_webflux_matchers_list_opening_a_path_built_on_another_class_constant_widens() -> None:
    base = {FILE: WEBFLUX % ""}
    added = '                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, NewUrl.ORG_URL + "/byuser/*"),\n'
    assert grown(base, {FILE: WEBFLUX % added}) == {("widened", "ANY", "/{ORG_URL}/byuser/*")}
    alone = "                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, SERVER_SETTING_URL),\n"
    assert grown(base, {FILE: WEBFLUX % alone}) == {("widened", "ANY", "/{SERVER_SETTING_URL}")}
    literal = (
        '                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/docs/**"),\n'
    )
    assert grown(base, {FILE: WEBFLUX % literal}) == {("widened", "ANY", "/api/docs/**")}


def test_a_long_webflux_matchers_list_is_read_to_its_end() -> None:
    many = "".join(
        f'                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, APP_URL + "/p{i}"), // view\n'
        for i in range(80)
    )
    base = {FILE: WEBFLUX % many}
    added = (
        many
        + '                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/docs/**"),\n'
    )
    assert grown(base, {FILE: WEBFLUX % added}) == {("widened", "ANY", "/api/docs/**")}


def test_a_webflux_matchers_list_under_authenticated_guards_what_it_names() -> None:
    rule = """                .matchers(
                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, APPLICATION_URL + "/home")
                )
                    .authenticated()
"""
    head = WEBFLUX.replace(
        "        http.authorizeExchange(exchanges -> exchanges\n",
        "        http.authorizeExchange(exchanges -> exchanges\n" + rule,
    )
    assert grown({FILE: WEBFLUX % ""}, {FILE: head % ""}) == set()


KOTLIN_CONTROLLER = """package uk.example.resource

@RestController
@RequestMapping("/roles")
class RolesController(private val service: RolesService) {
  @PutMapping("/{code}")
  @PreAuthorize("%s")
  fun update(@PathVariable code: String) = service.update(code)

  @GetMapping("/{code}/audit")
  fun audit(@PathVariable code: String) = service.audit(code)
}
"""
KT = "src/main/kotlin/uk/example/resource/RolesController.kt"


@pytest.mark.parametrize(
    ("before", "after", "grows"),
    [
        ("hasRole('ROLE_ROLES_ADMIN')", "hasAnyRole('ROLE_ROLES_ADMIN', 'ROLE_VIEW_ROLES')", True),
        ("hasAnyRole('ROLE_A', 'ROLE_B')", "hasAnyRole('ROLE_A', 'ROLE_B', 'ROLE_C')", True),
        ("hasRole('ROLE_A') or hasRole('ROLE_B')", "hasAnyRole('A', 'B')", False),  # the same roles
        ("hasAnyRole('ROLE_A', 'ROLE_B')", "hasRole('ROLE_A')", False),  # fewer roles
        (
            "hasRole('A') and hasAuthority('SCOPE_write')",
            "hasRole('A') and hasAuthority('SCOPE_write') or hasRole('B')",
            False,
        ),
    ],
)
def test_a_spring_method_guard_admitting_one_more_role_widens(before: str, after: str, grows: bool) -> None:
    found = grown({KT: KOTLIN_CONTROLLER % before}, {KT: KOTLIN_CONTROLLER % after})
    assert (("widened", "PUT", "/roles/{code}") in found) is grows


def test_a_kotlin_expression_function_keeps_its_guard_to_itself() -> None:
    routes = {(e.method, e.path): e for e in extract({KT: KOTLIN_CONTROLLER % "hasRole('ROLE_ROLES_ADMIN')"})}
    assert routes[("PUT", "/roles/{code}")].auth == "authenticated"
    assert routes[("GET", "/roles/{code}/audit")].reasons == ()


KOTLIN_DSL = """package uk.example.config

@Configuration
@EnableWebSecurity
class ResourceServerConfiguration {
  @Bean
  fun filterChain(http: HttpSecurity): SecurityFilterChain {
    http {
      csrf { disable() }
      authorizeHttpRequests {
        listOf(
          "/health/**", "/info",
          // secured in the ingress rather than the app
          "/queue-admin/retry-all-dlqs",%s
        ).forEach { authorize(it, permitAll) }%s
        authorize(anyRequest, authenticated)
      }
    }
    return http.build()
  }
}
"""
DSL = "src/main/kotlin/uk/example/config/ResourceServerConfiguration.kt"


def test_the_kotlin_security_dsl_opening_one_more_path_widens() -> None:
    base = {DSL: KOTLIN_DSL % ("", "")}
    listed = {DSL: KOTLIN_DSL % ('\n          "/refresh-index/automated",', "")}
    assert grown(base, listed) == {("widened", "ANY", "/refresh-index/automated")}
    alone = {DSL: KOTLIN_DSL % ("", '\n        authorize("/compare-index/size", permitAll)')}
    assert grown(base, alone) == {("widened", "ANY", "/compare-index/size")}
    guarded = {DSL: KOTLIN_DSL % ("", '\n        authorize("/compare-index/size", hasRole("ADMIN"))')}
    assert grown(base, guarded) == set()


URLS = """from django.urls import include, path

urlpatterns = [
%s    path("api/", include("shop.urls")),
]
"""


def test_a_commented_out_django_entry_serves_nothing() -> None:
    base = {"backend/urls.py": URLS % '    path("metrics/", include("django_prometheus.urls")),\n'}
    head = {
        "backend/urls.py": URLS
        % (
            '    path("monitoring/", include("django_prometheus.urls")),\n'
            "    # re_path(r'^metrics/(?P<path>.*)$', ProxyView.as_view(upstream='http://prometheus:9090/')),\n"
            "    # path('metrics/', ProxyView.as_view(upstream='http://localhost:9090')),\n"
        )
    }
    assert grown(base, head) == set()


def test_a_grafana_proxy_is_an_ops_dashboard() -> None:
    head = {"backend/urls.py": URLS % '    path("grafana/", views.grafana_proxy, name="grafana_proxy"),\n'}
    assert grown({"backend/urls.py": URLS % ""}, head) == {("added", "ANY", "/grafana")}


ROUTER_EX = """defmodule ShopWeb.Router do
  use ShopWeb, :router

  pipeline :browser do
    plug(:accepts, ["html"])
    plug(ShopWeb.AuthPlug)
  end

  pipeline :basic_auth do
    plug(ShopWeb.BasicAuth)
  end

  scope "/", ShopWeb do
    pipe_through(:browser)
    live("/", IndexLive, :index)
    live("/:kind", IndexLive, :index)
  end
%s
end
"""
ROUTER = "lib/shop_web/router.ex"


def test_a_webhook_scope_beside_signed_in_pages_is_meant_for_other_services() -> None:
    hook = '\n  scope "/webhooks", ShopWeb do\n    get "/events", EventsController, :validate\n  end\n'
    assert grown({ROUTER: ROUTER_EX % ""}, {ROUTER: ROUTER_EX % hook}) == set()
    page = '\n  scope "/reports", ShopWeb do\n    get "/events", EventsController, :index\n  end\n'
    assert grown({ROUTER: ROUTER_EX % ""}, {ROUTER: ROUTER_EX % page}) == {
        ("added", "GET", "/reports/events")
    }


def test_the_kaffy_admin_panel_mounted_by_use_is_an_ops_dashboard() -> None:
    kaffy = '\n  use Kaffy.Routes, scope: "/admin3", pipe_through: [:basic_auth]\n'
    assert grown({ROUTER: ROUTER_EX % ""}, {ROUTER: ROUTER_EX % kaffy}) == {("added", "ANY", "/admin3/**")}


WEB_PHP = """<?php

use Illuminate\\Support\\Facades\\Route;

Route::view('/', 'welcome')->name('welcome');
%s
Route::group(['middleware' => ['auth', 'verified']], function () {
%s    Route::get('notifications', [NotificationController::class, 'index'])->name('notifications.index');
});
"""


def test_a_laravel_view_route_taken_out_of_the_auth_group_widens() -> None:
    view = "    Route::view('explore', 'explore')->name('explore');\n"
    base = {"routes/web.php": WEB_PHP % ("", view)}
    assert grown(base, {"routes/web.php": WEB_PHP % (view.strip() + "\n", "")}) == {
        ("widened", "GET", "/explore")
    }


ROUTES_RB = """Rails.application.routes.draw do
%s  post "/graphql", to: "graphql#execute"
  get "/", to: "status#show"
end
"""


def test_a_rails_mount_for_development_and_staging_only_served_everywhere_widens() -> None:
    mount = '  mount GraphiQL::Rails::Engine, at: "/graphiql", graphql_path: "/graphql"\n'
    staged = "  if Rails.env.development? || Rails.env.staging?\n  " + mount + "  end\n"
    base = {"config/routes.rb": ROUTES_RB % staged}
    assert grown({"config/routes.rb": ROUTES_RB % ""}, base) == set()
    assert grown(base, {"config/routes.rb": ROUTES_RB % mount}) == {("widened", "ANY", "/graphiql/**")}
