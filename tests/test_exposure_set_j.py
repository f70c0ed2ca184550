"""Issue 14: idioms read from set J's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure import extract
from checks.exposure.class_views import class_view_guards
from tests.exposure_growth import grown

URLS = (
    "from django.urls import path\n%sfrom . import views\n\n"
    'urlpatterns = [\n    path("reports/", %s, name="reports"),\n]\n'
)
VIEWS = "from django.views.generic import ListView\n\n%sclass ReportList(ListView):\n    model = Report\n"
STAFF_ON_CLASS = (
    "from django.utils.decorators import method_decorator\n\n"
    '@method_decorator(\n    name="get",\n    decorator=staff_member_required(),\n)\n'
)


def test_a_guard_decorating_a_class_based_view_guards_its_route() -> None:
    guards = class_view_guards(VIEWS % '@method_decorator(login_required, name="dispatch")\n')
    assert guards == {"py:ReportList": ["class decorator @login_required"]}
    assert class_view_guards(VIEWS % "") == {}


def test_a_staff_guard_moved_from_the_urlconf_onto_the_view_class_widens_nothing() -> None:
    wrapped = "from django.contrib.admin.views.decorators import staff_member_required\n"
    base = {
        "sales/urls.py": URLS % (wrapped, "staff_member_required(views.ReportList.as_view())"),
        "sales/views.py": VIEWS % "",
    }
    head = {
        "sales/urls.py": URLS % ("", "views.ReportList.as_view()"),
        "sales/views.py": VIEWS % STAFF_ON_CLASS,
    }
    assert grown(base, head) == set()
    # Dropping the guard from the URLconf without putting it on the class widens the route.
    assert grown(base, {**head, "sales/views.py": VIEWS % ""}) != set()


ADMIN_ROUTER = (
    "from fastapi import APIRouter, Depends\n"
    "router = APIRouter(dependencies=[Depends(is_authenticated_admin_session)])\n"
    '@router.get("/auth/logout")\nasync def logout():\n    ...\n'
)
USER_ROUTER = (
    "from fastapi import APIRouter, Depends\nrouter = APIRouter()\n"
    '@router.get("/auth/logout")\nasync def logout(token=Depends(get_session_token)):\n    ...\n'
)


def test_which_of_two_declarations_of_a_path_stands_does_not_depend_on_file_order() -> None:
    # The same two routers before and after a module rename that changes the order their files sort in.
    base = {"app/admin_dashboard/auth.py": ADMIN_ROUTER, "app/auth/auth.py": USER_ROUTER}
    head = {"app/dashboard/auth.py": ADMIN_ROUTER, "app/auth/auth.py": USER_ROUTER}
    assert grown(base, head) == set()
    assert grown(head, base) == set()


PROTO = (
    'syntax = "proto3";\npackage %s;\nimport "google/api/annotations.proto";\n'
    "service PluginService {\n  rpc ListPlugins(ListRequest) returns (ListResponse);\n%s}\n"
)
BOUND = '  rpc GetAvailable(Req) returns (Resp) {\n    option (google.api.http) = { get: "/v1/available" };\n  }\n'


def test_a_service_in_an_admin_package_is_internal() -> None:
    base = {"proto/plugin.proto": PROTO % ("kong.admin.service.v1", "")}
    head = {"proto/plugin.proto": PROTO % ("kong.admin.service.v1", BOUND)}
    assert ("added", "GET", "/v1/available") in grown(base, head)
    public = {"proto/plugin.proto": PROTO % ("kong.public.service.v1", "")}
    assert grown(public, {"proto/plugin.proto": PROTO % ("kong.public.service.v1", BOUND)}) == set()


AXUM = (
    "pub fn router(state: ServerState) -> Router<ServerState> {\n    let mut router = Router::new()\n"
    '        .route("/v1/self", get(whoami))\n'
    '        // .route("/v1/self/_radius", get(radius))\n'
    '        .route("/v1/person", get(person_get)); // people\n'
    "%s    router\n}\n"
)
DEBUG_ONLY = '    if cfg!(debug_assertions) {\n        router = router.route("/v1/debug/ipinfo", get(ipinfo));\n    }\n'
ALWAYS = '    router = router.route("/v1/debug/ipinfo", get(ipinfo));\n'


def test_axum_routes_added_by_reassignment_and_past_comments_in_the_chain() -> None:
    base = {"src/v1.rs": AXUM % ""}
    assert grown(base, {"src/v1.rs": AXUM % ALWAYS}) == {("added", "GET", "/v1/debug/ipinfo")}
    # The commented-out route in the chain is no route; the one after the comment is read.
    paths = {(ep.method, ep.path) for ep in extract(base)}
    assert paths == {("GET", "/v1/self"), ("GET", "/v1/person")}


def test_a_debug_build_route_made_unconditional_widens() -> None:
    debug = {"src/v1.rs": AXUM % DEBUG_ONLY}
    assert grown(debug, {"src/v1.rs": AXUM % ALWAYS}) == {("widened", "GET", "/v1/debug/ipinfo")}
    assert grown({"src/v1.rs": AXUM % ALWAYS}, debug) == set()


def test_a_graphql_schema_in_the_admin_api_folder_is_internal() -> None:
    schema = "type Mutation {\n  updateProduct(id: ID!): Product!\n%s}\n"
    added = "  runScheduledTask(id: ID!): Boolean!\n"
    admin, shop = "src/api/schema/admin-api/task.api.graphql", "src/api/schema/shop-api/task.api.graphql"
    assert grown({admin: schema % ""}, {admin: schema % added}) == {("added", "MUTATION", "runScheduledTask")}
    assert grown({shop: schema % ""}, {shop: schema % added}) == set()


def test_rails_mount_of_a_variable_built_from_an_ops_engine() -> None:
    routes = "Rails.application.routes.draw do\n  resources :cases\n%send\n"
    flipper = (
        "  flipper_app = Flipper::UI.app(Flipper.instance) do |builder|\n"
        "    builder.use Rack::Auth::Basic do |u, p| u == ENV['U'] end\n  end\n"
        '  mount flipper_app, at: "/flipper"\n'
    )
    base = {"config/routes.rb": routes % ""}
    assert grown(base, {"config/routes.rb": routes % flipper}) == {("added", "ANY", "/flipper/**")}
    blog = '  blog_app = Blog::Engine\n  mount blog_app, at: "/blog"\n'
    assert grown(base, {"config/routes.rb": routes % blog}) == set()


def test_drf_permission_classes_allow_any_on_a_function_view_is_open() -> None:
    urls = (
        "from django.urls import path\nfrom .views import export, download\n"
        'urlpatterns = [\n    path("export/", export),\n    path("download/", download),\n]\n'
    )
    views = (
        "from rest_framework.decorators import api_view, permission_classes\n\n"
        '@api_view(["GET"])\n@permission_classes([ExportPermissions])\ndef export(request):\n    ...\n\n'
        '@api_view(["GET"])\n@permission_classes([permissions.AllowAny])\ndef download(request):\n    ...\n'
    )
    found = {(ep.path, ep.auth) for ep in extract({"app/urls.py": urls, "app/views.py": views})}
    assert found == {("/export", "authenticated"), ("/download", "unauthenticated")}


PHOENIX = (
    "defmodule AppWeb.Router do\n  use AppWeb, :router\n  if %s do\n"
    '    scope "/dev" do\n      pipe_through(:browser)\n'
    '      forward("/mailbox", Plug.Swoosh.MailboxPreview)\n    end\n  end\nend\n'
)


def test_phoenix_dev_condition_widened_by_an_or_serves_its_routes() -> None:
    dev = {"lib/app_web/router.ex": PHOENIX % "Mix.env() == :dev"}
    either = {
        "lib/app_web/router.ex": PHOENIX % 'Mix.env() == :dev || System.get_env("MAIL", "local") == "local"'
    }
    assert grown(dev, either) == {("added", "ANY", "/dev/mailbox/**")}
