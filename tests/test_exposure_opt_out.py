"""A route that starts declaring anonymous access widens, whatever was known of its guard before: the
declaration only matters where authentication is otherwise in force. Minimal snippets written for this test."""

from __future__ import annotations

from checks.exposure.extract import unresolved_guards
from tests.exposure_growth import grown

PING = """using Microsoft.AspNetCore.Mvc;

public class ExportController : Controller
{
%s    [HttpGet("/export")]
    public IActionResult Get() => Ok();
}
"""


def test_aspnet_allow_anonymous_added_to_a_bare_action_widens_it() -> None:
    base = {"src/ExportController.cs": PING % ""}
    head = {"src/ExportController.cs": PING % "    [AllowAnonymous]\n"}
    assert grown(base, head) == {("widened", "GET", "/export")}
    assert grown(head, head) == set()
    assert grown(head, base) == set()


def test_aspnet_minimal_api_allow_anonymous_added_widens() -> None:
    base = {"src/Program.cs": 'var app = builder.Build();\napp.MapGet("/status", () => "ok");\n'}
    head = {
        "src/Program.cs": 'var app = builder.Build();\napp.MapGet("/status", () => "ok").AllowAnonymous();\n'
    }
    assert grown(base, head) == {("widened", "GET", "/status")}


NEST = """import { Controller, Get } from '@nestjs/common';

@Controller('status')
export class StatusController {
%s  @Get('deep')
  deep() {
    return {};
  }
}
"""


def test_nest_public_decorator_added_widens_the_route() -> None:
    base = {"src/status.controller.ts": NEST % ""}
    head = {"src/status.controller.ts": NEST % "  @Public()\n"}
    assert grown(base, head) == {("widened", "GET", "/status/deep")}


SPRING = """@RestController
@RequestMapping("/api/info")
public class InfoController {
%s    @GetMapping("/build")
    public String build() { return "x"; }
}
"""


def test_spring_permit_all_added_widens_the_route() -> None:
    base = {"src/main/java/InfoController.java": SPRING % ""}
    head = {"src/main/java/InfoController.java": SPRING % "    @PermitAll\n"}
    assert grown(base, head) == {("widened", "GET", "/api/info/build")}


def test_a_new_route_declaring_anonymous_access_is_not_growth_by_itself() -> None:
    base = {"src/PingController.cs": PING.replace('[HttpGet("/export")]', '[HttpGet("/pong")]') % ""}
    head = {"src/PingController.cs": base["src/PingController.cs"] + PING % "    [AllowAnonymous]\n"}
    assert grown(base, head) == set()


ACCOUNTS = """[Authorize("Application")]
public class AccountsController : Controller
{
    [HttpPost("accounts/profile")]
    public IActionResult Profile() => Ok();

    [AllowAnonymous]
    [HttpPost("accounts/register")]
    public IActionResult Register() => Ok();
%s}
"""


def test_a_new_route_opting_out_of_its_controllers_authorization_grows_exposure() -> None:
    base = {"src/AccountsController.cs": ACCOUNTS % ""}
    added = '\n    [AllowAnonymous]\n    [HttpPost("accounts/resend-code")]\n    public IActionResult Resend() => Ok();\n'
    assert grown(base, {"src/AccountsController.cs": ACCOUNTS % added}) == {
        ("added", "POST", "/accounts/resend-code")
    }
    plain = added.replace("    [AllowAnonymous]\n", "")
    assert grown(base, {"src/AccountsController.cs": ACCOUNTS % plain}) == set()


def test_nest_public_route_added_under_a_guarded_controller_grows_exposure() -> None:
    guarded = NEST.replace("@Controller('status')", "@Controller('status')\n@UseGuards(JwtAuthGuard)")
    base = {"src/status.controller.ts": guarded % ""}
    extra = "  @Public()\n  @Get('open')\n  open() {\n    return {};\n  }\n\n"
    assert grown(base, {"src/status.controller.ts": guarded % extra}) == {("added", "GET", "/status/open")}


AUTH_CONTROLLER = """@RestController
@RequestMapping("/auth")
public class AuthController {
    @GetMapping("/info")
    public String info() { return "x"; }

    @%s("/logout")
    public String logout() { return "y"; }
}
"""


def test_spring_composed_mappings_are_routes_and_an_anonymous_one_opts_out() -> None:
    base = {"src/main/java/AuthController.java": AUTH_CONTROLLER % "DeleteMapping"}
    head = {"src/main/java/AuthController.java": AUTH_CONTROLLER % "AnonymousDeleteMapping"}
    assert grown(base, head) == {("widened", "DELETE", "/auth/logout")}
    audited = {"src/main/java/AuthController.java": AUTH_CONTROLLER % "AuditedDeleteMapping"}
    assert grown(base, audited) == set()
    assert grown(head, base) == set()


NOTES = """import { Controller, Get, UseGuards } from '@nestjs/common';

@UseGuards(SessionGuard)
@Controller('notes')
export class NotesController {
  @Get(':id')
  @HttpCode(200)
  async getNote(@RequestUser(%s) user: User, @Param('id') id: string): Promise<Note> {
    return this.notes.get({ id });
  }
}
"""


def test_nest_parameter_decorator_letting_guests_through_widens_the_route() -> None:
    base = {"src/notes.controller.ts": NOTES % ""}
    head = {"src/notes.controller.ts": NOTES % "{ guestsAllowed: true }"}
    assert grown(base, head) == {("widened", "GET", "/notes/{id}")}
    assert grown(base, {"src/notes.controller.ts": NOTES % "{ guestsAllowed: false }"}) == set()


SHELF = """from flask import Blueprint
shelf = Blueprint('shelf', __name__)

@shelf.route("/shelf/<int:shelf_id>")
@%s
def show_shelf(shelf_id):
    return render(shelf_id)
"""


def test_flask_guard_that_applies_only_under_a_condition_widens_the_route() -> None:
    base = {"cps/shelf.py": SHELF % "login_required"}
    head = {"cps/shelf.py": SHELF % "login_required_if_no_ano"}
    assert grown(base, head) == {("widened", "GET", "/shelf/{shelf_id}")}
    assert grown(base, {"cps/shelf.py": SHELF % "admin_login_required"}) == set()


API_BASE = "class ApiController < ApplicationController\n  before_action :authenticate_api_key\nend\n"
USERS = """class Api::V1::UsersController < ApiController
%s
  def me
    render json: current_api_user
  end

  def exist
    render json: {}
  end
end
"""
ROUTES_RB = """Rails.application.routes.draw do
  namespace :api do
    namespace :v1 do
      get 'users/me', to: 'users#me'
%s    end
  end
end
"""


def test_rails_route_whose_action_skips_the_inherited_guard_grows_exposure() -> None:
    base = {
        "app/controllers/api_controller.rb": API_BASE,
        "app/controllers/api/v1/users_controller.rb": USERS % "",
        "config/routes.rb": ROUTES_RB % "",
    }
    route = "      post 'users/exist', to: 'users#exist'\n"
    skipping = {
        **base,
        "app/controllers/api/v1/users_controller.rb": USERS
        % "  skip_before_action :authenticate_api_key, only: %i[exist]",
        "config/routes.rb": ROUTES_RB % route,
    }
    assert grown(base, skipping) == {("added", "POST", "/api/v1/users/exist")}
    guarded = {**base, "config/routes.rb": ROUTES_RB % route}
    assert grown(base, guarded) == set()


def test_a_changed_controllers_parent_is_searched_for() -> None:
    head = {"app/controllers/api/v1/users_controller.rb": USERS % "", "config/routes.rb": ROUTES_RB % ""}
    assert "ApiController <" in unresolved_guards(head)
    assert "ApiController <" not in unresolved_guards({**head, "app/controllers/api_controller.rb": API_BASE})


def test_a_mapping_narrowed_from_every_method_to_some_is_the_same_endpoint() -> None:
    ctrl = '@RestController\n@RequestMapping("/admin/goods")\npublic class GoodsController {\n    @%s("/list")\n    public String list() { return "x"; }\n}\n'
    base = {"src/main/java/GoodsController.java": ctrl % "RequestMapping"}
    head = {"src/main/java/GoodsController.java": ctrl % "GetMapping"}
    assert grown(base, head) == set()
    # The other way round, an internal route starts to accept every method: more of it is exposed.
    assert grown(head, base) == {("widened", "ANY", "/admin/goods/list")}


def test_a_prometheus_scrape_route_is_internal() -> None:
    app = "const app = express();\napp.get('/health', h);\n%s"
    base = {"src/server.js": app % ""}
    head = {"src/server.js": app % "app.get('/stats/prometheus', metrics);\n"}
    assert grown(base, head) == {("added", "GET", "/stats/prometheus")}
