"""Issue 14: idioms read from set L's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

import pytest

from checks.exposure import extract
from tests.exposure_growth import grown

GIN = """package daemon

func RegisterServerRoutes(e *gin.RouterGroup) {
	l := e.Group("/server")
	{
		l.GET("/:id", middleware.OAuth2Handler(pufferpanel.ScopeServersEditAdmin, true), GetServerAdmin)
		%sl.POST("/:id", middleware.OAuth2Handler(pufferpanel.ScopeServersEditAdmin, true), EditServerAdmin)
		l.GET("/:id/data", middleware.OAuth2Handler(pufferpanel.ScopeServersView, true), GetServer) // a note
	}
	client.Get("http://example.com//x")
}
"""


def test_a_commented_out_go_route_is_not_served_and_enabling_it_adds_it() -> None:
    commented = {"web/daemon/server.go": GIN % "//"}
    assert {(ep.method, ep.path) for ep in extract(commented)} == {
        ("GET", "/server/{id}"),
        ("GET", "/server/{id}/data"),
    }
    assert grown(commented, {"web/daemon/server.go": GIN % ""}) == {("added", "POST", "/server/{id}")}


ROUTES = "Rails.application.routes.draw do\n  namespace :admin do\n    resources :organizations, only: %s\n  end\nend\n"


@pytest.mark.parametrize("listed", ["%i[update create]", "%w[update create]", "[:update, :create]"])
def test_rails_actions_listed_as_a_word_list(listed: str) -> None:
    base = {"config/routes.rb": ROUTES % "%i[update]"}
    assert grown(base, {"config/routes.rb": ROUTES % listed}) == {("added", "POST", "/admin/organizations")}


LARAVEL = "<?php\n\nRoute::get('/system/status', ['uses' => 'SystemController@status', 'middleware' => ['auth', 'roles'], %s])->name('system');\n"


def test_laravel_roles_in_a_routes_action_array() -> None:
    (admin,) = extract({"routes/web.php": LARAVEL % "'roles' => ['admin']"})
    assert admin.reasons[-1] == "roles ['admin']"
    assert grown({}, {"routes/web.php": LARAVEL % "'roles' => ['admin']"}) == {
        ("added", "GET", "/system/status")
    }
    assert grown({}, {"routes/web.php": LARAVEL % "'roles' => ['user']"}) == set()


RUST = """use actix_web::delete;

#[delete("/providers/{id}/img")]
pub async fn delete_provider_img(id: web::Path<String>, principal: ReqPrincipal) -> Result<HttpResponse, ErrorResponse> {
    principal.%s()?;
    Logo::delete(&id.into_inner()).await?;
    Ok(HttpResponse::Ok().finish())
}
"""


def test_a_rust_handler_checking_an_admin_session_first_is_admin_only() -> None:
    assert grown({}, {"src/api/src/providers.rs": RUST % "validate_admin_session"}) == {
        ("added", "DELETE", "/providers/{id}/img")
    }
    assert grown({}, {"src/api/src/providers.rs": RUST % "validate_session"}) == set()


CSHARP = """using OpenTelemetry.Metrics;

public sealed class MonitoringPlugin {
    public void OnConfiguringEndpoints(IApplicationBuilder app) {
        app.UseEndpoints(static builder => builder.MapPrometheusScrapingEndpoint());
    }

    public void OnConfiguringServices(IServiceCollection services) {
        services.AddOpenTelemetry().WithMetrics(b => b.AddPrometheusExporter(c => c.ScrapeEndpointPath = %s));
    }
}
"""


def test_a_prometheus_scraping_endpoint_is_internal_at_its_configured_path() -> None:
    head = {"Monitoring/MonitoringPlugin.cs": CSHARP % '"/Api/metrics"'}
    assert grown({}, head) == {("added", "ANY", "/Api/metrics/**")}


MICRONAUT = """package io.kestra.core.endpoints;

import io.micronaut.management.endpoint.annotation.Endpoint;

@Endpoint(id = "scheduler", defaultSensitive = false)
public class SchedulerEndpoint {
    @Read
    public SchedulerEndpointResult running() { return null; }
}
"""


def test_a_management_endpoint_is_internal() -> None:
    assert grown({}, {"core/endpoints/SchedulerEndpoint.java": MICRONAUT}) == {
        ("added", "ANY", "/scheduler/**")
    }
    spring = MICRONAUT.replace("io.micronaut.management", "org.springframework.boot.actuate")
    assert {ep.path for ep in extract({"x/SchedulerEndpoint.java": spring})} == {"/actuator/scheduler/**"}


SLIM = """<?php

use App\\Middleware;
use Slim\\Routing\\RouteCollectorProxy;

return static function (RouteCollectorProxy $group) {
    $group->group(
        '/admin',
        function (RouteCollectorProxy $group) {
            $group->get('/auditlog', Controller\\Api\\Admin\\AuditLogAction::class)
                ->setName('api:admin:auditlog')
                ->add(new Middleware\\Permissions(GlobalPermissions::Logs));
%s        }
    )->add(Middleware\\RequireLogin::class);
    $group->get('/status', Controller\\Api\\IndexController::class . ':statusAction');
    $container->get('settings');
};
"""
SERVICES = """            $group->map(['GET', 'POST'], '/services', Controller\\Api\\Admin\\ServicesController::class)
                ->add(new Middleware\\Permissions(GlobalPermissions::View));
"""


def test_slim_routes_inside_group_closures() -> None:
    base = {"config/routes/api_admin.php": SLIM % ""}
    found = {(ep.method, ep.path, ep.auth) for ep in extract(base)}
    assert found == {("GET", "/admin/auditlog", "authenticated"), ("GET", "/status", "unknown")}
    assert grown(base, {"config/routes/api_admin.php": SLIM % SERVICES}) == {
        ("added", "GET", "/admin/services"),
        ("added", "POST", "/admin/services"),
    }
