"""Issue 14: idioms read from set Z's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

API = """import flask
from .helpers import login_required

bp = flask.Blueprint("api", __name__)

%s@bp.route("/api/<func>", methods=["GET", "POST"])
def call_api(func):
    return flask.jsonify(run(func))
"""


def test_a_guard_stacked_above_the_route_decorator_guards_nothing() -> None:
    path = "webui/app/blueprints/api_blueprint.py"
    # Flask registers the view as the decorators below the route left it: the guard above wraps a copy
    assert grown({path: API % '@login_required("ALL")\n'}, {path: API % ""}) == set()
    below = API.replace('methods=["GET", "POST"])\n', 'methods=["GET", "POST"])\n%s')
    assert grown({path: below % ("", '@login_required("ALL")\n')}, {path: below % ("", "")}) == {
        ("widened", "GET", "/api/{func}"),
        ("widened", "POST", "/api/{func}"),
    }


def test_an_auth_decorator_given_a_roles_name_demands_that_role() -> None:
    path = "webui/app/blueprints/json_blueprint.py"
    route = '\n@bp.route("/json/add_user", methods=["POST"])\n@login_required(%s)\ndef add_user():\n    return "ok"\n'
    base = API % ""
    assert grown({path: base}, {path: base + route % '"ADMIN"'}) == {("added", "POST", "/json/add_user")}
    assert grown({path: base}, {path: base + route % '"ALL"'}) == set()


def test_a_route_whose_path_is_held_by_a_name() -> None:
    path = "server/data/api.py"
    text = (
        "from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n"
        "@router.get(config.ALL_DATA_ROUTE%s)\ndef all_data():\n    return {}\n"
    )
    guarded = text % ", dependencies=[Depends(authenticator)]"
    assert [(e.method, e.path) for e in extract({path: guarded})] == [("GET", "/{config.ALL_DATA_ROUTE}")]
    assert grown({path: guarded}, {path: text % ""}) == {("widened", "GET", "/{config.ALL_DATA_ROUTE}")}


PROTO = """syntax = "proto3";
package grpc.service.webservice;

service WebService {
    rpc ListPipeds(ListPipedsRequest) returns (ListPipedsResponse) {
        option (model.role).project_role = VIEWER;
    }
%s}
"""


def test_an_rpc_option_naming_a_privileged_role_makes_the_method_admin_only() -> None:
    path = "pkg/app/server/service/webservice/service.proto"
    restart = "    rpc RestartPiped(RestartPipedRequest) returns (RestartPipedResponse) {\n%s    }\n"
    admin = restart % "        option (model.role).project_role = ADMIN;\n"
    assert grown({path: PROTO % ""}, {path: PROTO % admin}) == {
        ("added", "RPC", "grpc.service.webservice.WebService/RestartPiped")
    }
    assert (
        grown(
            {path: PROTO % ""},
            {path: PROTO % (restart % "        option (model.role).project_role = EDITOR;\n")},
        )
        == set()
    )
    # an option about something else is no guard
    other = restart % "        option deprecated = true;\n"
    assert grown({path: PROTO % ""}, {path: PROTO % other}) == set()


def test_metrics_of_a_resource_are_the_resources_data() -> None:
    path = "api/devices.py"
    text = 'from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get("%s")\ndef m():\n    return {}\n'
    assert grown({}, {path: text % "/api/devices/{dev_eui}/metrics"}) == set()
    assert grown({}, {path: text % "/api/projects/{id}/jobs"}) == set()
    assert grown({}, {path: text % "/api/metrics"}) == {("added", "GET", "/api/metrics")}
    assert grown({}, {path: text % "/api/devices/{dev_eui}/admin/reset"}) == {
        ("added", "GET", "/api/devices/{dev_eui}/admin/reset")
    }


CONTROLLER = """package com.example.rest.controllers;

@RestController
@RequestMapping(QUEUE)
public class %s {
    @GetMapping(value = "/size")
    public Map<String, Long> size() {
        return queueManager.queueSizes();
    }
}
"""


def test_a_controller_named_for_administration_serves_the_admin_api() -> None:
    path = "rest/src/main/java/com/example/rest/controllers/Queue.java"
    assert grown({}, {path: CONTROLLER % "QueueAdminResource"}) == {("added", "GET", "/size")}
    assert grown({}, {path: CONTROLLER % "QueueResource"}) == set()
    # a clinic's staff schedule is no administration
    assert grown({}, {path: CONTROLLER % "StaffScheduleController"}) == set()


MODEL_ADMIN = """from django.contrib import admin
from django.urls import path


class UserAdmin(admin.ModelAdmin):
    def get_urls(self):
        urls = super().get_urls()
        custom = [
%s        ]
        return custom + urls

    def disable_mfa_view(self, request, object_id):
        return redirect("..")
"""


def test_a_model_admins_own_urls_are_admin_pages() -> None:
    path = "web/users/admin.py"
    page = (
        '            path("<uuid:object_id>/disable-mfa/", self.admin_site.admin_view(self.disable_mfa_view),\n'
        '                 name="disable_mfa"),\n'
    )
    assert grown({path: MODEL_ADMIN % ""}, {path: MODEL_ADMIN % page}) == {
        ("added", "ANY", "/{admin site}/{model}/{object_id}/disable-mfa")
    }
