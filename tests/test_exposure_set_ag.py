"""Issue 14: idioms read from set AG's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

ENDPOINTS = """package main

var apiInternal = []APIEndpoint{
	internalReadyCmd,
%s}

var internalReadyCmd = APIEndpoint{
	Path: "ready",
	Get:  APIEndpointAction{Handler: internalWaitReady, AllowUntrusted: true},
}
%s
"""
CERTIFICATE = """
var internalServerCertificateCmd = APIEndpoint{
	Path: "server-certificate",
	Put:  APIEndpointAction{Handler: internalCertificatePut, AccessHandler: allowPermission(auth.ObjectTypeServer)},
}
"""
INSTANCES = """package main

var instancesCmd = APIEndpoint{
	Path: "instances",
	Get:  APIEndpointAction{Handler: instancesGet, AccessHandler: allowAuthenticated},
}
%s
"""
DEBUG = """
var instanceDebugMemoryCmd = APIEndpoint{
	Path: "instances/{name}/debug/memory",
	Get:  APIEndpointAction{Handler: instanceDebugMemoryGet, AccessHandler: allowPermission(auth.ObjectTypeInstance)},
}
"""
STATUS = """
var statusCmd = APIEndpoint{
	Path: "status",
	Get:  APIEndpointAction{Handler: statusGet%s},
}
"""


def test_go_endpoint_tables_are_served_under_their_api() -> None:
    base = {"cmd/daemon/api_internal.go": ENDPOINTS % ("", "")}
    head = {"cmd/daemon/api_internal.go": ENDPOINTS % ("\tinternalServerCertificateCmd,\n", CERTIFICATE)}
    assert grown(base, head) == {("added", "PUT", "/internal/server-certificate")}
    # an endpoint listed in another file: a debug path is internal wherever it is served
    base = {"cmd/daemon/instances.go": INSTANCES % ""}
    assert grown(base, {"cmd/daemon/instances.go": INSTANCES % DEBUG}) == {
        ("added", "GET", "/1.0/instances/{name}/debug/memory")
    }
    assert grown(base, {"cmd/daemon/instances.go": INSTANCES % (STATUS % "")}) == set()
    # an action opened to untrusted callers widens
    guarded = {"cmd/daemon/instances.go": INSTANCES % (STATUS % "")}
    opened = {"cmd/daemon/instances.go": INSTANCES % (STATUS % ", AllowUntrusted: true")}
    assert grown(guarded, opened) == {("widened", "GET", "/1.0/status")}


RBAC_VIEWS = """from app import rbac
from app.views import AuthenticatedService


class IgnoreList(AuthenticatedService):
    decorators = [
        rbac.allow(["Admin"], ["GET", "POST"]),
%s    ]
"""
RBAC_ROUTES = """from app.views.ignore_list import IgnoreList

api.add_resource(IgnoreList, '/api/1/ignorelist')
"""


def test_flask_rbac_roles_on_a_service_class() -> None:
    base = {"app/routes.py": RBAC_ROUTES, "app/views/ignore_list.py": RBAC_VIEWS % ""}
    viewer = {**base, "app/views/ignore_list.py": RBAC_VIEWS % '        rbac.allow(["View"], ["GET"]),\n'}
    assert grown(base, viewer) == {("widened", "ANY", "/api/1/ignorelist")}
    # an admin-only resource added is internal
    assert grown({"app/routes.py": "api = Api(app)\n"}, base) == {("added", "ANY", "/api/1/ignorelist")}


HONO_IN_NEXT = """import { Hono } from "hono";
import { handle } from "hono/vercel";

const app = new Hono().basePath("/api/house-keeping");

app.get("/delete-inactive-polls", async (c) => c.json({ ok: true }));
%s
export const GET = handle(app);
"""


def test_a_next_route_file_serving_a_hono_app_declares_the_apps_routes() -> None:
    path = "apps/web/src/app/api/house-keeping/[...method]/route.ts"
    added = 'app.get("/delete-orphaned-users", async (c) => c.json({ ok: true }));\n'
    assert grown({path: HONO_IN_NEXT % ""}, {path: HONO_IN_NEXT % added}) == {
        ("added", "GET", "/api/house-keeping/delete-orphaned-users")
    }


JOBS = """Rails.application.routes.draw do
%s
end
"""


def test_a_route_renamed_into_an_internal_name_is_the_same_capability() -> None:
    base = {"config/routes.rb": JOBS % "  resources :delayed_jobs, only: [:index]"}
    head = {"config/routes.rb": JOBS % "  resources :jobs, only: [:index]"}
    assert grown(base, head) == set()
    # an internal route that names nothing of what left is new
    other = {"config/routes.rb": JOBS % "  resources :admin_reports, only: [:index]"}
    assert grown(base, other) == {("added", "GET", "/admin_reports")}


MEMBER_ROUTES = """Rails.application.routes.draw do
  namespace :member do
    resources :jobs, only: [:index]
  end
end
"""
MEMBER_JOBS = """class Member::JobsController < ApplicationController
  before_action :is_logged_in

  def index; end
end
"""


def test_a_guarded_route_whose_controller_is_deleted_serves_nothing() -> None:
    base = {"config/routes.rb": MEMBER_ROUTES, "app/controllers/member/jobs_controller.rb": MEMBER_JOBS}
    assert grown(base, {"config/routes.rb": MEMBER_ROUTES}) == set()
    # the guard dropped from a controller that stays opens the route
    open_jobs = MEMBER_JOBS.replace("  before_action :is_logged_in\n", "")
    head = {"config/routes.rb": MEMBER_ROUTES, "app/controllers/member/jobs_controller.rb": open_jobs}
    assert ("widened", "GET", "/member/jobs") in grown(base, head)


ACTIX = """pub fn run() {
    App::new().service(
        web::scope("/admin")
            .wrap(from_fn(reject_anonymous_users))
            .route("/dashboard", web::get().to(admin_dashboard))%s,
    );
}
"""


def test_an_actix_scope_wrapped_in_a_reject_anonymous_middleware_is_guarded() -> None:
    from checks.exposure import extract

    added = '\n            .route("/password", web::get().to(change_password_form))'
    found = {(e.path, e.auth) for e in extract({"src/startup.rs": ACTIX % added})}
    assert ("/admin/password", "authenticated") in found
