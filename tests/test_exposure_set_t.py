"""Issue 14: idioms read from set T's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure import compare, extract
from tests.exposure_growth import grown

ACTIX = """use actix_web::{web, App, HttpServer};

pub fn main() {
    HttpServer::new(move || {
        App::new()
            .wrap(Logger::default())
            .wrap(Key::from(operators::user_operator::SECRET_KEY.as_bytes()))
            .service(web::resource("/").route(web::get().to(handlers::health)))%s
            .service(
                web::scope("/api")
                    .service(
                        web::scope("/auth")
                            .service(web::resource("/me").route(web::get().to(handlers::me)))
                    )
                    .service(web::resource("/topic").route(web::post().to(handlers::topic)))
            )
    });
}
"""
METRICS = """
            .service(web::resource("/metrics").route(web::get().to(handlers::metrics)))"""


def test_actix_scopes_nest_and_app_level_services_are_routes() -> None:
    paths = {(e.method, e.path) for e in extract({"src/lib.rs": ACTIX % ""})}
    assert {("GET", "/"), ("GET", "/api/auth/me"), ("POST", "/api/topic")} <= paths
    assert grown({"src/lib.rs": ACTIX % ""}, {"src/lib.rs": ACTIX % METRICS}) == {
        ("added", "GET", "/metrics")
    }


def test_a_module_path_names_no_role() -> None:
    # `operators::…::SECRET_KEY` is a key, not an operator's guard
    assert all(not e.reasons for e in extract({"src/lib.rs": ACTIX % ""}))


NEST = """import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common'
import { AuthGuard } from '@nestjs/passport'
import { AdminGuard } from '../auth/admin.guard'

@UseGuards(AuthGuard())
@Controller('backup')
export class BackupController {
  @Get('/scheduled')
  list() {
    return []
  }
%s}
"""
DELETE = """
  @UseGuards(AdminGuard)
  @ApiOperation({ summary: 'Delete a backup.' })
  @ApiParam({ name: 'id', type: 'string' })
  @Delete('/scheduled/:id')
  remove(@Param('id') id) {
    return id
  }
"""


def test_a_nest_guard_above_decorators_with_object_arguments_still_guards() -> None:
    path = "src/backup/backup.controller.ts"
    assert grown({path: NEST % ""}, {path: NEST % DELETE}) == {("added", "DELETE", "/backup/scheduled/{id}")}


SLIM3 = """<?php
use Slim\\App;

$app = new App();
$app->group('/admin', function () {
    $this->get('/tools', '\\\\Front\\\\Admin\\\\ToolsController:index');%s
})->add('\\\\Front\\\\AdminMiddleware');
$app->run();
"""


def test_slim3_routes_on_this_inside_a_group_closure() -> None:
    new = "\n    $this->get('/server', '\\\\Front\\\\Admin\\\\ServerController:index');"
    assert grown({"index.php": SLIM3 % ""}, {"index.php": SLIM3 % new}) == {("added", "GET", "/admin/server")}


JAXRS = """package org.app.resources;

import alpine.server.auth.PermissionRequired;
import javax.ws.rs.*;

@Path("/v1/finding")
public class FindingResource extends AlpineResource {
    @GET
    @Path("/project/{uuid}")
    @PermissionRequired(Permissions.Constants.VIEW_PORTFOLIO)
    public Response forProject(@PathParam("uuid") String uuid) {
        return null;
    }
%s}
"""
ANALYZE = """
    @POST
    @Path("/portfolio/analyze")
    @PermissionRequired(Permissions.Constants.SYSTEM_CONFIGURATION)
    public Response analyze() {
        return null;
    }
"""
BADGE = """
    @GET
    @Path("/badge/{uuid}")
    //@PermissionRequired(Permissions.Constants.VIEW_PORTFOLIO)
    @AuthenticationNotRequired
    public Response badge(@PathParam("uuid") String uuid) {
        return null;
    }
"""


def test_jaxrs_permission_required_and_a_system_configuration_right() -> None:
    path = "src/main/java/org/app/resources/FindingResource.java"
    assert grown({path: JAXRS % ""}, {path: JAXRS % ANALYZE}) == {
        ("added", "POST", "/v1/finding/portfolio/analyze")
    }
    view = ANALYZE.replace("SYSTEM_CONFIGURATION", "VIEW_PORTFOLIO")
    assert grown({path: JAXRS % ""}, {path: JAXRS % view}) == set()


def test_a_commented_out_annotation_guards_nothing() -> None:
    path = "src/main/java/org/app/resources/FindingResource.java"
    badge = next(e for e in extract({path: JAXRS % BADGE}) if e.path.endswith("/badge/{uuid}"))
    assert badge.auth == "unauthenticated"
    assert all("PermissionRequired" not in r for r in badge.reasons)


SPRING = """@Configuration
class WebSecurityConfig {
  @Bean
  fun chain(http: HttpSecurity): SecurityFilterChain {
    return http.authorizeHttpRequests {
        it.requestMatchers(*PUBLIC_ENDPOINTS).permitAll()
        it.requestMatchers(%s).authenticated()
        it.anyRequest().permitAll()
      }.build()
  }
}
"""


def test_a_matcher_dropped_onto_a_permit_all_catch_all_widens() -> None:
    path = "src/main/kotlin/app/WebSecurityConfig.kt"
    base = {path: SPRING % '"/api/**", "/v2/**", "/mcp/**"'}
    assert grown(base, {path: SPRING % '"/api/**", "/v2/**"'}) == {("widened", "ANY", "/mcp/**")}
    # the patterns moved into a constant leave no call to compare: not read as opened
    assert grown(base, {path: SPRING % "*AUTHENTICATED_ENDPOINTS"}) == set()
    # without the catch-all, what no matcher names is not known to be open
    closed = {
        p: t.replace("it.anyRequest().permitAll()", "it.anyRequest().denyAll()") for p, t in base.items()
    }
    dropped = {path: closed[path].replace(', "/mcp/**"', "")}
    assert grown(closed, dropped) == set()


SYMFONY = """<?php
namespace App\\Controller;

use Symfony\\Component\\Routing\\Attribute\\Route;

#[Route('%s/update-manager')]
class UpdateManagerController extends AbstractController
{
    #[Route('/progress', name: 'progress', methods: ['GET'])]
    public function progress(): Response
    {
        $this->denyAccessUnlessGranted('%s');
        return new Response();
    }

    #[Route('/backup/{file}', name: 'backup', methods: ['GET'])]
    public function backup(): Response
    {
        $this->denyAccessUnlessGranted('@system.manage_updates');
        return new Response();
    }
}
"""


def test_endpoints_of_one_file_moved_under_another_prefix_are_the_same_endpoints() -> None:
    path = "src/Controller/UpdateManagerController.php"
    base = {path: SYMFONY % ("/admin", "@system.show_updates")}
    head = {path: SYMFONY % ("/system", "@system.manage_updates")}
    assert grown(base, head) == set()
    renamed = [f for f in compare(base, head).findings if f.change == "renamed"]
    assert {(f.before.path, f.endpoint.path) for f in renamed if f.before} >= {
        ("/admin/update-manager/backup/{file}", "/system/update-manager/backup/{file}")
    }


GO = """package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

const (
	BasePath    = "/v1/admin"
	ReportsPath = BasePath + "/reports"
	DebugPath   = BasePath + "/debug"
)

func (m *Module) Route(attachHandler func(method string, path string, f ...gin.HandlerFunc) gin.IRoutes) {
	attachHandler(http.MethodGet, ReportsPath, m.ReportsGETHandler)%s
}

func fetch(c *http.Client) {
	req, _ := http.NewRequest(http.MethodGet, "/v1/admin/remote", nil)
	c.Do(req)
}
"""


def test_go_registration_helpers_that_take_the_method_first() -> None:
    path = "internal/api/client/admin/admin.go"
    routes = {(e.method, e.path) for e in extract({path: GO % ""})}
    assert routes == {("GET", "/v1/admin/reports")}  # the request built for a client is no route
    new = "\n\tattachHandler(http.MethodGet, DebugPath, m.DebugHandler)"
    assert grown({path: GO % ""}, {path: GO % new}) == {("added", "GET", "/v1/admin/debug")}


def test_a_hyphenated_internal_segment_is_internal() -> None:
    router = """defmodule RetWeb.Router do
  use RetWeb, :router

  scope "/api-internal/v1", RetWeb do
    get "/presence", Api.PresenceController, :show%s
  end
end
"""
    path = "lib/ret_web/router.ex"
    new = '\n    get "/storage", Api.StorageController, :show'
    assert grown({path: router % ""}, {path: router % new}) == {("added", "GET", "/api-internal/v1/storage")}


def test_another_dashboard_in_place_of_one_removed_is_no_move() -> None:
    routes = "Rails.application.routes.draw do\n  %s\n  resources :points\nend\n"
    base = {"config/routes.rb": routes % 'mount MissionControl::Jobs::Engine, at: "/jobs"'}
    head = {"config/routes.rb": routes % "mount Sidekiq::Web => '/sidekiq'"}
    assert ("added", "ANY", "/sidekiq/**") in grown(base, head)


def test_slim_pages_moved_under_an_internal_prefix_are_the_same_pages() -> None:
    page = "    $this->get('%s', '\\\\Front\\\\Admin\\\\%s');\n"
    routes = "<?php\nuse Slim\\App;\n$app->group('', function () {\n%s})->add('\\\\Front\\\\Middleware');\n"
    base = routes % (
        page % ("/tools", "ToolsController:index") + page % ("/manage-tags", "TagController:index")
    )
    head = routes % (
        page % ("/admin/tools", "ToolsController:index") + page % ("/admin/tags", "TagController:index")
    )
    assert grown({"index.php": base}, {"index.php": head}) == set()
    new = routes % (
        page % ("/tools", "ToolsController:index") + page % ("/admin/server", "ServerController:index")
    )
    assert grown({"index.php": base}, {"index.php": new}) == {("added", "GET", "/admin/server")}


DRF_VIEW = """from rest_framework import permissions, views


class TwoFA(views.APIView):
    permission_classes = [%s]

    def post(self, request):
        return None
"""
DRF_URLS = """from django.urls import path
from . import api_user

urlpatterns = [
    path('v1/user/2fa/', api_user.TwoFA.as_view()),
]
"""


def test_a_module_qualified_permission_class_is_read_by_its_class() -> None:
    base = {"sql_api/api_user.py": DRF_VIEW % "IsOwner", "sql_api/urls.py": DRF_URLS}
    head = {"sql_api/api_user.py": DRF_VIEW % "permissions.AllowAny", "sql_api/urls.py": DRF_URLS}
    assert grown(base, head) == {("widened", "ANY", "/v1/user/2fa")}
    same = {"sql_api/api_user.py": DRF_VIEW % "permissions.IsAuthenticated", "sql_api/urls.py": DRF_URLS}
    assert grown(same, same) == set()


GATEWAY = """import { UseGuards } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

@UseGuards(%s)
@WebSocketGateway({ namespace: '/child-bridges', cors: { origin: ['http://localhost:8080'] } })
export class ChildBridgesGateway {
  @SubscribeMessage('restart-child-bridge')
  restart(client, payload) {
    return payload;
  }
}
"""


def test_a_nest_websocket_gateway_whose_admin_guard_is_downgraded_widens() -> None:
    path = "src/modules/child-bridges/child-bridges.gateway.ts"
    widened = grown({path: GATEWAY % "WsAdminGuard"}, {path: GATEWAY % "WsGuard"})
    assert widened == {("widened", "MESSAGE", "/child-bridges/restart-child-bridge")}
    assert grown({path: GATEWAY % "WsGuard"}, {path: GATEWAY % "WsAdminGuard"}) == set()


def test_a_gateway_handler_takes_no_guard_of_the_next_handler() -> None:
    gateway = """import { UseGuards } from '@nestjs/common';

@WebSocketGateway({ namespace: '/bridges' })
export class BridgesGateway {
  @SubscribeMessage('status')
  status(client) {
    return 1;
  }

  @UseGuards(AdminGuard)
  @SubscribeMessage('restart')
  restart(client) {
    return 2;
  }
}
"""
    guards = {e.path: e.reasons for e in extract({"src/bridges.gateway.ts": gateway})}
    assert guards == {"/bridges/status": (), "/bridges/restart": ("@UseGuards(AdminGuard)",)}
