"""Idioms met in exposure set AR, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.extract import can_declare_routes, unresolved_asked
from checks.exposure.roles import privileged_role
from tests.exposure_growth import grown

SIDEKIQ = """require "sidekiq/web"
%s
Rails.application.routes.draw do
  authenticate :user, lambda { |u| u.admin? } do
    mount Sidekiq::Web => "/sidekiq"
  end
  get "/users", to: "users#index"
end
"""


def test_a_sidekiq_web_extension_required_beside_the_mount_adds_dashboard_pages() -> None:
    base = {"config/routes.rb": SIDEKIQ % ""}
    head = {"config/routes.rb": SIDEKIQ % 'require "sidekiq/cron/web"\nrequire "sidekiq-status/web"'}
    assert grown(base, head) == {("added", "ANY", "/sidekiq/cron/**"), ("added", "ANY", "/sidekiq/status/**")}
    # Sidekiq's own web UI required again is no extension
    assert grown(base, {"config/routes.rb": SIDEKIQ % 'require "sidekiq/web"'}) == set()


RAILS = """Rails.application.routes.draw do
  namespace :api do
    get ":host/:name/sync", to: "repositories#sync"
    get ":host/:name", to: "repositories#show"
  end
end
"""
CONTROLLER = """class Api::RepositoriesController < ApplicationController
  before_action :%s, only: [:sync]
  def sync; end
  def show; end
end
"""


def test_a_guard_named_for_internal_callers_makes_the_route_internal() -> None:
    head = {
        "config/routes.rb": RAILS,
        "app/controllers/api/repositories_controller.rb": CONTROLLER % "require_internal_api_key",
    }
    assert grown({}, head) == {("added", "GET", "/api/{host}/{name}/sync")}
    signed_in = {**head, "app/controllers/api/repositories_controller.rb": CONTROLLER % "require_api_key"}
    assert grown({}, signed_in) == set()


FASTAPI = """from fastapi import APIRouter, Security
router = APIRouter()

@router.get("/metrics")
async def metrics(user: User = Security(utils.authorization.auth_dependency, scopes=[%s])):
    return {}

@router.post("/plugin-reload")
async def reload(user: User = Security(auth_dependency, scopes=["server_management"])):
    return {}
"""


def test_security_scopes_say_who_passes() -> None:
    head = {"api/views/ops.py": FASTAPI % "AuthScopes.SERVER_MANAGEMENT"}
    assert ("added", "POST", "/plugin-reload") in grown({}, head)
    # the scope a route asks for narrowed to one any user's token may hold
    loosened = {"api/views/ops.py": FASTAPI % "AuthScopes.METRICS_MANAGEMENT"}
    assert ("widened", "GET", "/metrics") in grown(head, loosened)
    assert privileged_role("server_management") and not privileged_role("metrics_management")


FLASK_APP = """from flask import Flask
from app.letters.rest import letter_rates_blueprint

def register_blueprint(application):
%s    application.register_blueprint(letter_rates_blueprint)
"""
FLASK_BP = """from flask import Blueprint
letter_rates_blueprint = Blueprint("letter_rates", __name__, url_prefix="/letter-rates")

@letter_rates_blueprint.route("", methods=["GET"])
def get_letter_rates():
    return {}
"""


def test_a_blueprint_given_its_guard_where_it_is_registered() -> None:
    base = {"app/__init__.py": FLASK_APP % "", "app/letters/rest.py": ""}
    hooked = "    letter_rates_blueprint.before_request(requires_admin_auth)\n"
    head = {"app/__init__.py": FLASK_APP % hooked, "app/letters/rest.py": FLASK_BP}
    assert grown(base, head) == {("added", "GET", "/letter-rates")}
    # with no guard it is a public route added, no growth in itself
    assert grown(base, {"app/__init__.py": FLASK_APP % "", "app/letters/rest.py": FLASK_BP}) == set()


ROUTES = """<?php
Route::group(['middleware' => 'jwt.auth'], function () {
%s});
"""
UPLOAD_CONTROLLER = """<?php
namespace App\\Http\\Controllers\\API;
class UploadController extends Controller
{
    public function store(UploadRequest $request) { return response()->json([]); }
    public function index(Request $request) { return []; }
}
"""
ABSTRACT_REQUEST = """<?php
namespace App\\Http\\Requests\\API;
abstract class AdminRequest extends FormRequest
{
    public function authorize(): bool
    {
        return auth()->user()->is_admin;
    }
}
"""
UPLOAD_REQUEST = """<?php
namespace App\\Http\\Requests\\API;
class UploadRequest extends AdminRequest
{
    public function rules(): array { return []; }
}
"""


def test_a_form_request_that_admits_admins_only_guards_the_action_taking_it() -> None:
    files = {
        "app/Http/Controllers/API/UploadController.php": UPLOAD_CONTROLLER,
        "app/Http/Requests/API/AdminRequest.php": ABSTRACT_REQUEST,
        "app/Http/Requests/API/UploadRequest.php": UPLOAD_REQUEST,
    }
    base = {"routes/api.php": ROUTES % "", **files}
    head = {"routes/api.php": ROUTES % "    Route::resource('upload', 'UploadController');\n", **files}
    assert grown(base, head) == {("added", "POST", "/upload")}
    owner_too = ABSTRACT_REQUEST.replace("is_admin;", "is_admin || $this->user()->owns($this->song);")
    assert (
        grown(
            {**base, "app/Http/Requests/API/AdminRequest.php": owner_too},
            {**head, "app/Http/Requests/API/AdminRequest.php": owner_too},
        )
        == set()
    )
    # a request class not read is searched for by its class
    unread = {k: v for k, v in head.items() if "Requests" not in k}
    assert "class UploadRequest" in unresolved_asked(unread)


SPRING = """package x;
@RestController
public class %s {
    @PatchMapping(Routes.%s.UPDATE)
    @PreAuthorize("hasAnyAuthority('SYS_OWNER')")
    public void update() {}
}
"""


def test_spring_paths_held_by_constants_declared_elsewhere_stay_apart() -> None:
    base = {"api/GroupController.java": SPRING % ("GroupController", "Group")}
    # a new controller's unguarded route at another constant is not the guarded one widened
    new = SPRING.replace("    @PreAuthorize(\"hasAnyAuthority('SYS_OWNER')\")\n", "") % (
        "TypeController",
        "Type",
    )
    head = {**base, "api/TypeController.java": new}
    assert not [f for f in compare(base, head).findings if f.change == "widened"]
    paths = {f.endpoint.path for f in compare({}, head).findings}
    assert paths == {"/{Routes.Group.UPDATE}", "/{Routes.Type.UPDATE}"}


def test_a_bundlers_output_and_spring_static_files_declare_no_routes() -> None:
    assert not can_declare_routes("api/src/main/resources/static/js/109-legacy.540e2d81.js")
    assert not can_declare_routes("web/dist2/main.3f2a1b9c.js")
    assert can_declare_routes("src/routes/admin.js")
