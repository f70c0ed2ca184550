"""Idioms met in exposure set BG, each reduced to a snippet written here."""

from __future__ import annotations

import pytest

from checks.exposure import compare
from checks.exposure.extract import routes_by_file
from checks.exposure.model import regex_to_path
from tests.exposure_growth import grown

XML_ROUTES = """<?xml version="1.0" encoding="UTF-8" ?>
<routes xmlns="http://symfony.com/schema/routing"
        xsi:schemaLocation="http://symfony.com/schema/routing http://symfony.com/schema/routing/routing-1.0.xsd">

    <route id="admin.products.create" path="/admin/products/create">
        <default key="_controller">Shop\\Controller\\Admin\\ProductController::createAction</default>
    </route>
%s
</routes>
"""
XML_PATH = "core/lib/Shop/Config/Resources/routing/admin.xml"


def test_symfony_xml_routes_are_read_with_methods_and_controller() -> None:
    added = """
    <route id="admin.products.clone" path="/admin/products/clone" methods="POST|PUT">
        <default key="_controller">Shop\\Controller\\Admin\\ProductController::cloneAction</default>
    </route>
    <route id="front.cart" path="/cart" controller="Shop\\Controller\\Front\\CartController::show"/>
"""
    ((_, found),) = routes_by_file({XML_PATH: XML_ROUTES % added})
    routes = {(r.method, r.path, r.handler) for r in found.routes}
    assert routes == {
        ("ANY", "/admin/products/create", "php:ProductController#createAction"),
        ("POST", "/admin/products/clone", "php:ProductController#cloneAction"),
        ("PUT", "/admin/products/clone", "php:ProductController#cloneAction"),
        ("ANY", "/cart", "php:CartController#show"),
    }


def test_an_admin_route_added_in_symfony_xml_grows_exposure_and_a_public_one_does_not() -> None:
    admin = '    <route id="admin.mail.send" path="/admin/message/send/{id}" methods="post"/>\n'
    assert grown({XML_PATH: XML_ROUTES % ""}, {XML_PATH: XML_ROUTES % admin}) == {
        ("added", "POST", "/admin/message/send/{id}")
    }
    public = '    <route id="front.search" path="/search"/>\n'
    assert grown({XML_PATH: XML_ROUTES % ""}, {XML_PATH: XML_ROUTES % public}) == set()
    imported = '    <import resource="@ShopApiBundle/Resources/config/routing.xml" prefix="/admin/api"/>\n'
    assert grown({XML_PATH: XML_ROUTES % ""}, {XML_PATH: XML_ROUTES % imported}) == {
        ("added", "ANY", "/admin/api/{ShopApiBundle}/**")
    }


def test_xml_outside_a_routing_config_is_no_route() -> None:
    text = XML_ROUTES % '    <route id="admin.x" path="/admin/x"/>\n'
    assert [fr.routes for _, fr in routes_by_file({"docs/examples/admin.xml": text})] in ([], [[]])


RAILS = """Rails.application.routes.draw do
  namespace 'admin' do
    resources :users, only: [:index] do
%s    end
  end
end
"""


def test_a_rails_namespace_named_by_a_string_prefixes_its_routes() -> None:
    path = "config/routes.rb"
    added = "      delete 'soft_delete', on: :member\n"
    assert grown({path: RAILS % ""}, {path: RAILS % added}) == {
        ("added", "DELETE", "/admin/users/{user_id}/soft_delete")
    }


DRF_URLS = """from rest_framework import routers
from rest_framework_nested import routers as nested_routers

orgs = routers.DefaultRouter()
orgs.register(r"public/organizations", PublicOrganizationViewSet, basename="orgs")
cycles = nested_routers.NestedSimpleRouter(orgs, r"public/organizations", lookup="organization")
cycles.register(r"cycles", PublicCycleViewSet, basename="org-cycles")

urlpatterns = [
    re_path(r"^", include(orgs.urls)),
    re_path(r"^", include(cycles.urls)),
]
"""


def test_a_nested_router_registers_under_its_parent_prefix_and_lookup() -> None:
    ((_, found),) = routes_by_file({"seed/api/v3/urls.py": DRF_URLS})
    assert {r.path for r in found.routes} == {
        "/public/organizations",
        "/public/organizations/{pk}",
        "/public/organizations/{organization_pk}/cycles",
        "/public/organizations/{organization_pk}/cycles/{pk}",
    }


DJANGO_URLS = """from django.conf import settings
from django.shortcuts import redirect
from django.urls import include, re_path

urlpatterns = []

if settings.MAINTENANCE_MODE:
    urlpatterns.append(re_path(r"^admin/.*", lambda request: redirect("maintenance_mode")))
%s"""


def test_a_url_whose_view_only_redirects_serves_nothing() -> None:
    path = "kuma/urls.py"
    admin = "urlpatterns += [re_path(r'^admin/', include(admin.site.urls))]\n"
    ((_, found),) = routes_by_file({path: DJANGO_URLS % admin})
    assert {r.path for r in found.routes} == {"admin/"}  # the admin site only, not the redirect
    view = 'urlpatterns += [re_path(r"^old-admin/$", RedirectView.as_view(url="/admin/"))]\n'
    assert grown({path: DJANGO_URLS % ""}, {path: DJANGO_URLS % view}) == set()


@pytest.mark.parametrize(
    ("pattern", "path"), [(r"^\$history$", "$history"), (r"^docs/\$edit/(?P<id>\d+)$", "docs/$edit/{id}")]
)
def test_an_escaped_dollar_in_a_url_regex_is_the_character(pattern: str, path: str) -> None:
    assert regex_to_path(pattern) == path


SIDEKIQ_ROOT = """Rails.application.routes.draw do
  require "sidekiq/web"
  require "sidekiq/cron/web"
%s
end
"""
SYSTEM_ADMIN = """module SystemAdminRoutes
  def self.extended(router)
    router.instance_exec do
      scope module: :system_admin, path: "system-admin" do
%s
      end
    end
  end
end
"""


def test_a_dashboard_and_its_extension_pages_move_together() -> None:
    base = {
        "config/routes.rb": SIDEKIQ_ROOT % '  mount Sidekiq::Web, at: "/sidekiq"',
        "config/routes/system_admin_routes.rb": SYSTEM_ADMIN % "",
    }
    head = {
        "config/routes.rb": SIDEKIQ_ROOT % "",
        "config/routes/system_admin_routes.rb": SYSTEM_ADMIN
        % '        require "sidekiq/web"\n        require "sidekiq/cron/web"\n        mount Sidekiq::Web, at: "/sidekiq"',
    }
    delta = compare(base, head)
    assert {(f.change, f.endpoint.path) for f in delta.findings} == {
        ("renamed", "/system-admin/sidekiq/**"),
        ("renamed", "/system-admin/sidekiq/cron/**"),
    }
    assert not delta.grows
    # out of the admin area onto the root: not the same dashboard behind the same guards
    assert compare(head, base).grows


FASTAPI_USERS = """from fastapi import APIRouter, Depends

router = APIRouter(prefix="/user")
authorize = Authorize()


@router.get("/list")
async def get_users(token: str = Depends(token_auth_scheme)) -> list[UserResponse]:
    user = authorize.user(VerifyToken(token.credentials).verify())
%s    return user_service.get_users(user.organization_id)
"""


def test_a_statement_that_is_itself_the_admin_check_guards_and_dropping_it_widens() -> None:
    path = "server/modules/user/controller.py"
    checked = FASTAPI_USERS % "    authorize.is_admin_user(user)\n"
    assert grown({path: checked}, {path: FASTAPI_USERS % ""}) == {("widened", "GET", "/user/list")}
    # a check whose value is used decides something else; a check of no role guards nothing
    used = FASTAPI_USERS % "    admin = authorize.is_admin_user(user)\n"
    assert grown({path: used}, {path: FASTAPI_USERS % ""}) == set()
    own = FASTAPI_USERS % "    authorize.is_self(user.id, id)\n"
    assert grown({path: own}, {path: FASTAPI_USERS % ""}) == set()


KARMA = """package main

func setupRouter(router *chi.Mux) {
	allowAuthBypass := []string{
		getViewURL("/health"),
%s	}
	router.Use(basicAuth(users, allowAuthBypass))
	router.Get(getViewURL("/metrics"), promhttp.Handler().ServeHTTP)
	router.Get(getViewURL("/health"), pong)
}
"""


def test_a_path_put_on_an_auth_bypass_list_widens() -> None:
    path = "cmd/karma/main.go"
    assert grown({path: KARMA % ""}, {path: KARMA % '\t\tgetViewURL("/metrics"),\n'}) == {
        ("widened", "ANY", "/metrics")
    }


AREA_CONTROLLER = """using Microsoft.AspNetCore.Mvc;

namespace Portal.Areas.Admin.Controllers
{
    [AdminAuthorize]
    [Area("Admin")]
    public class DumpConfigController : Controller
    {
        public IActionResult Index() => Content(configuration.GetDebugView());
    }
}
"""


def test_a_conventionally_routed_controller_with_a_custom_authorize_attribute_is_read() -> None:
    path = "src/Portal/Areas/Admin/Controllers/DumpConfigController.cs"
    assert grown({}, {path: AREA_CONTROLLER}) == {("added", "ANY", "/admin/dumpconfig/index")}


def test_a_call_that_only_starts_like_a_check_is_no_guard() -> None:
    path = "server/modules/user/controller.py"
    for call in ("authorize.issue_admin_token(user)", "cart.checkout_admin_order(user)"):
        assert grown({path: FASTAPI_USERS % f"    {call}\n"}, {path: FASTAPI_USERS % ""}) == set()
    assert grown({path: FASTAPI_USERS % "    checkAdmin(user)\n"}, {path: FASTAPI_USERS % ""}) == {
        ("widened", "GET", "/user/list")
    }


def test_a_commented_out_xml_route_serves_nothing() -> None:
    commented = '    <!-- <route id="admin.x" path="/admin/x"/> -->\n    <!-- unclosed <route id="a" path="/admin/y"/>\n'
    assert grown({XML_PATH: XML_ROUTES % ""}, {XML_PATH: XML_ROUTES % commented}) == set()
