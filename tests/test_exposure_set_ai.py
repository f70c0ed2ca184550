"""Issue 14: idioms read from set AI's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

URLS = """from django.contrib import admin
from django.urls import include, re_path

urlpatterns = [
    re_path(r'^admin/', %s),
    re_path(r'^$', views.index),
]
"""


def test_the_django_admin_site_included_or_not_is_one_route() -> None:
    before = {"project/urls.py": URLS % "include(admin.site.urls)"}
    after = {"project/urls.py": URLS % "admin.site.urls"}
    assert grown(before, after) == set()
    assert grown({"project/urls.py": URLS.replace("    re_path(r'^admin/', %s),\n", "")}, before) == {
        ("added", "ANY", "/admin")
    }


SECURITY = """security:
    firewalls:
        contao_backend:
            request_matcher: contao.routing.backend_matcher
    access_control:
        - { path: ^%s/login$, roles: PUBLIC_ACCESS }
        - { path: ^/contao, roles: ROLE_USER }
"""


def test_a_test_apps_security_config_configures_the_tests() -> None:
    path = "core-bundle/tests/Functional/app/config/security.yml"
    assert grown({path: SECURITY % "/contao"}, {path: SECURITY % "/admin"}) == set()


INIT = """from fastapi import APIRouter, Depends
from . import symbols

router = APIRouter()
router.include_router(
    symbols.router,
%s    prefix="/symbols",
)
"""
SYMBOLS = """from fastapi import APIRouter

router = APIRouter()


@router.get("")
def get_symbols():
    return []
"""


def test_an_include_depending_on_the_current_active_user_guards_its_routes() -> None:
    files = {"app/routes/symbols.py": SYMBOLS}
    guarded = {
        **files,
        "app/routes/__init__.py": INIT % "    dependencies=[Depends(get_current_active_user)],\n",
    }
    bare = {**files, "app/routes/__init__.py": INIT % ""}
    assert grown(guarded, bare) == {("widened", "GET", "/symbols")}


ROUTE = """from fastapi import APIRouter, Depends

router = APIRouter()


@router.get(
    "/computes",
    dependencies=[Depends(%s)],
)
def list_computes():
    return []
"""


def test_a_privilege_check_downgraded_to_any_signed_in_user_widens() -> None:
    path = "app/routes/computes.py"
    privileged = {path: ROUTE % 'has_privilege("Compute.Audit")'}
    signed_in = {path: ROUTE % "get_current_active_user"}
    assert grown(privileged, signed_in) == {("widened", "GET", "/computes")}
    assert grown(signed_in, privileged) == set()


APP = """const express = require('express');
%s
const app = express();
%s
app.get('/', home.index);
"""


def test_express_status_monitor_serves_its_dashboard() -> None:
    used = APP % (
        "const expressStatusMonitor = require('express-status-monitor');",
        "app.use(expressStatusMonitor());",
    )
    assert grown({"app.js": APP % ("", "")}, {"app.js": used}) == {("added", "ANY", "/status/**")}
    inline = APP % ("", "app.use(require('express-status-monitor')({ path: '/ops/status' }));")
    assert grown({"app.js": APP % ("", "")}, {"app.js": inline}) == {("added", "ANY", "/ops/status/**")}


ROUTES = """Rails.application.routes.draw do
  resources :things
%s
end
"""


def test_a_rails_mount_out_of_a_development_block_serves_everywhere() -> None:
    dev = '  if Rails.env.development?\n    require "sidekiq/web"\n    mount Sidekiq::Web => "/sidekiq"\n  end\n'
    everywhere = '  mount Sidekiq::Web => "/sidekiq"\n'
    path = "config/routes.rb"
    assert grown({path: ROUTES % dev}, {path: ROUTES % everywhere}) == {("widened", "ANY", "/sidekiq/**")}
    assert grown({path: ROUTES % everywhere}, {path: ROUTES % dev}) == set()


RESOURCE = """package app.rest;

@Path("/app")
public class AppResource extends BaseResource {
    @GET
    @Path("log")
    public Response log() {
        if (!authenticate()) {
            throw new ForbiddenClientException();
        }
%s
        return Response.ok().build();
    }
}
"""


def test_a_check_call_naming_the_role_in_its_argument_is_an_inline_guard() -> None:
    path = "src/main/java/app/rest/AppResource.java"
    admin = RESOURCE % "        checkBaseFunction(BaseFunction.ADMIN);"
    assert grown({path: admin}, {path: RESOURCE % ""}) == {("widened", "GET", "/app/log")}
    assert grown({path: RESOURCE % ""}, {path: admin}) == set()


CONTROLLER = """package app.controller.cms;

@RestController
@RequestMapping("/cms/user")
public class UserController {
    @GetMapping("/permissions")
    @%s
    public Result permissions() { return ok(); }
}
"""


def test_lin_cms_guards_a_group_permission_above_a_login() -> None:
    path = "src/main/java/app/controller/cms/UserController.java"
    group, login = {path: CONTROLLER % "GroupRequired"}, {path: CONTROLLER % "LoginRequired"}
    assert grown(group, login) == {("widened", "GET", "/cms/user/permissions")}
    assert grown(login, group) == set()


def test_lin_cms_meta_annotations_keep_their_guards() -> None:
    path = "src/main/java/app/controller/cms/UserController.java"
    required = {path: CONTROLLER % "AdminRequired"}
    meta = {path: CONTROLLER % 'AdminMeta(permission = "list users", module = "user")'}
    assert grown(required, meta) == set()
    assert grown(
        {path: CONTROLLER % 'GroupMeta(permission = "list users")'}, {path: CONTROLLER % "LoginRequired"}
    ) == {("widened", "GET", "/cms/user/permissions")}


def test_a_conditional_block_in_rails_routes_does_not_close_its_namespace() -> None:
    path = "config/routes.rb"
    before = (
        ROUTES % "  namespace :admin do\n    if ENV['FEATURE']\n      get 'x', to: 'a#x'\n    end\n  end\n"
    )
    after = ROUTES % (
        "  namespace :admin do\n    if ENV['FEATURE']\n      get 'x', to: 'a#x'\n    end\n"
        "    get 'reports', to: 'reports#index'\n  end\n"
    )
    # the new route is drawn inside the admin namespace, past the `if` block's `end`
    assert grown({path: before}, {path: after}) == {("added", "GET", "/admin/reports")}
