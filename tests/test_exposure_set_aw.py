"""Idioms met in exposure set AW, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.extract import extract
from tests.exposure_growth import grown

INDEX = """import express from "express";
const app = express();
%s
app.listen(3000);
"""
ADMIN_ROUTES = """import express from "express";
export const adminRouter = express.Router();

adminRouter.post(`/admin/${process.env.QUEUE_KEY}/queues`, queuesController);
adminRouter.post(`/admin/${process.env.QUEUE_KEY}/redis-health`, redisHealth);
"""


def test_admin_routes_moved_to_a_router_under_another_method_expose_nothing_new() -> None:
    inline = (
        "app.get(`/admin/${process.env.QUEUE_KEY}/queues`, queuesController);\n"
        "app.get(`/admin/${process.env.QUEUE_KEY}/redis-health`, redisHealth);\n"
    )
    base = {"src/index.ts": INDEX % inline}
    head = {"src/index.ts": INDEX % "app.use(adminRouter);", "src/routes/admin.ts": ADMIN_ROUTES}
    assert grown(base, head) == set()
    # a new admin route beside the moved ones is still growth
    more = ADMIN_ROUTES + "adminRouter.post(`/admin/${process.env.QUEUE_KEY}/flush`, flush);\n"
    head = {"src/index.ts": INDEX % "app.use(adminRouter);", "src/routes/admin.ts": more}
    assert grown(base, head) == {("added", "POST", "/admin/${process.env.QUEUE_KEY}/flush")}


GROOVY = """package com.acme.web

@RestController
@RequestMapping('notifications')
class NotificationController {
    @RequestMapping(value = 'global', method = RequestMethod.GET)
    Notification getGlobal() { dao.getGlobal() }
}
"""
JAVA = """package com.acme.web;

@RestController
@RequestMapping("notifications")
public class NotificationController {
    @RequestMapping(value = "global", method = RequestMethod.GET)
    public Notification getGlobal() { return dao.getGlobal(); }
}
"""


def test_a_groovy_controller_with_single_quoted_strings_converted_to_java_is_the_same_route() -> None:
    groovy = {"web/src/main/groovy/NotificationController.groovy": GROOVY}
    assert [(e.method, e.path) for e in extract(groovy)] == [("GET", "/notifications/global")]
    result = compare(groovy, {"web/src/main/java/NotificationController.java": JAVA})
    assert result.findings == ()


URLS = """from django.urls import path
from api import views

urlpatterns = [path("api/v1/available/<domain>", views.available)]
"""
VIEWS = """from django.http import JsonResponse
from login_required import login_not_required


@require_http_methods(["GET"])%s
def available(request, domain):
    return JsonResponse({"available": check(domain)})
"""


def test_a_view_that_opts_out_of_a_required_login_widens() -> None:
    base = {"api/urls.py": URLS, "api/views.py": VIEWS % ""}
    head = {"api/urls.py": URLS, "api/views.py": VIEWS % "\n@login_not_required"}
    assert grown(base, head) == {("widened", "ANY", "/api/v1/available/{domain}")}


DEBUG_PROTO = """syntax = "proto3";
package debug_v2;
service DebugService {
  rpc Profile(ProfileRequest) returns (stream Bytes) {}
%s}
"""
PFS_PROTO = """syntax = "proto3";
package pfs_v2;
service API {
  rpc CreateRepo(CreateRepoRequest) returns (Empty) {}
%s}
"""


def test_a_debug_service_is_internal_and_an_rpc_moved_into_it_is_a_move() -> None:
    trace = "  rpc Trace(TraceRequest) returns (stream Bytes) {}\n"
    base = {"src/debug/debug.proto": DEBUG_PROTO % "", "src/pfs/pfs.proto": PFS_PROTO % ""}
    head = {"src/debug/debug.proto": DEBUG_PROTO % trace, "src/pfs/pfs.proto": PFS_PROTO % ""}
    assert grown(base, head) == {("added", "RPC", "debug_v2.DebugService/Trace")}
    load = "  rpc RunLoadTest(LoadTest) returns (LoadTestResponse) {}\n"
    moved = "  rpc RunPFSLoadTest(LoadTest) returns (LoadTestResponse) {}\n"
    base = {"src/debug/debug.proto": DEBUG_PROTO % "", "src/pfs/pfs.proto": PFS_PROTO % load}
    head = {"src/debug/debug.proto": DEBUG_PROTO % moved, "src/pfs/pfs.proto": PFS_PROTO % ""}
    assert grown(base, head) == set()


ADMIN_ROUTER = """package cmd

const (
	adminPathPrefix       = reservedBucketPath + "/admin"
	adminAPIVersionPrefix = "/v3"
)

func registerAdminRouter(router *mux.Router) {
	adminRouter := router.PathPrefix(adminPathPrefix).Subrouter()
	for _, adminVersion := range []string{adminAPIVersionPrefix} {
		adminRouter.Methods(http.MethodGet).Path(adminVersion + "/info").HandlerFunc(adminMiddleware(api.Info))
%s	}
}
"""


def test_gorilla_paths_joined_from_names_keep_each_route_apart() -> None:
    revoke = '\t\tadminRouter.Methods(http.MethodPost).Path(adminVersion + "/revoke-tokens/{provider}").HandlerFunc(h)\n'
    base = {"cmd/admin-router.go": ADMIN_ROUTER % ""}
    head = {"cmd/admin-router.go": ADMIN_ROUTER % revoke}
    assert grown(base, head) == {
        ("added", "POST", "/{reservedBucketPath}/admin/{adminVersion}/revoke-tokens/{provider}")
    }


SERVER = """from flask import Blueprint
from app.resources import AssetUpdatesResource, PingResource

URLS = [
    ('/ping', PingResource),
    ('/assets/updates', AssetUpdatesResource),
]


def setup_urls(blueprint, urls):
    for route, resource_cls in urls:
        blueprint.add_url_rule(route, view_func=resource_cls.as_view(route))
"""
RESOURCES = """from flask.views import MethodView


class PingResource(MethodView):
    def get(self):
        return "pong"


class AssetUpdatesResource(MethodView):
    @use_kwargs(get_schema)%s
    def get(self, async_query):
        return api.get_assets_updates(async_query)

    @require_loggedin_user()
    def delete(self):
        return api.reset_assets()
"""


def test_a_route_table_of_class_views_takes_the_guards_of_their_handlers() -> None:
    base = {"app/server.py": SERVER, "app/resources.py": RESOURCES % "\n    @require_loggedin_user()"}
    head = {"app/server.py": SERVER, "app/resources.py": RESOURCES % ""}
    assert grown(base, head) == {("widened", "ANY", "/assets/updates")}


LOGS = """from decorators.auth import protected_route
from handler.auth.constants import Scope
from utils.router import APIRouter

router = APIRouter(prefix="/logs")


@protected_route(router.get, "", [Scope.ME_READ])
async def my_logs(request):
    return []
%s"""


def test_a_route_registered_through_a_wrapping_decorator_keeps_its_scopes() -> None:
    admin = '\n\n@protected_route(router.get, "/all", [Scope.USERS_WRITE])\nasync def all_logs(request):\n    return []\n'
    assert grown({"api/logs.py": LOGS % ""}, {"api/logs.py": LOGS % admin}) == {("added", "GET", "/logs/all")}
    plain = '\n\n@protected_route(router.get, "/mine", [Scope.ME_READ])\nasync def mine(request):\n    return []\n'
    assert grown({"api/logs.py": LOGS % ""}, {"api/logs.py": LOGS % plain}) == set()


def test_a_privileged_scope_replaced_by_another_of_the_same_set_is_no_downgrade() -> None:
    admin = (
        '\n\n@protected_route(router.get, "/all", [Scope.%s])\nasync def all_logs(request):\n    return []\n'
    )
    base = {"api/logs.py": LOGS % (admin % "USERS_WRITE")}
    assert grown(base, {"api/logs.py": LOGS % (admin % "LOGS_READ")}) == set()
    # dropping the scope altogether lets any signed-in user in
    bare = '\n\n@protected_route(router.get, "/all", [])\nasync def all_logs(request):\n    return []\n'
    assert grown(base, {"api/logs.py": LOGS % bare}) == {("widened", "GET", "/logs/all")}


SERVED = """spring:
  application:
    name: employee-service
management:
  tracing:
    sampling:
      probability: 1.0
%s"""


def test_a_config_server_s_file_exposing_an_actuator_endpoint_grows() -> None:
    path = "config-service/src/main/resources/config/employee-service.yml"
    exposed = "  endpoints:\n    web:\n      exposure:\n        include: health,sbom\n"
    # (the file's own service's actuator: another service's file of the same server opens another)
    assert grown({path: SERVED % ""}, {path: SERVED % exposed}) == {
        ("added", "ANY", "/{employee-service}/actuator/sbom")
    }
    # a YAML file elsewhere is not Spring's configuration
    other = "deploy/values/employee-service.yml"
    assert grown({other: SERVED % ""}, {other: SERVED % exposed}) == set()


CP_ROUTES = """<?php
Route::middleware('statamic.cp.authenticated')->group(function () {
    Route::get('addons', [AddonsController::class, 'index'])->name('addons.index');
%s});
"""


def test_a_control_panel_s_routes_and_memory_stats_are_internal() -> None:
    settings = "    Route::get('addons/{addon}/settings', [AddonSettingsController::class, 'edit']);\n"
    base, head = {"routes/cp.php": CP_ROUTES % ""}, {"routes/cp.php": CP_ROUTES % settings}
    assert grown(base, head) == {("added", "GET", "/addons/{addon}/settings")}
    stats = '\n@app.get("/memory-stats")\ndef memory():\n    return runtime_stats()\n'
    flask = "from flask import Flask\napp = Flask(__name__)\n%s"
    assert grown({"app.py": flask % ""}, {"app.py": flask % stats}) == {("added", "GET", "/memory-stats")}
