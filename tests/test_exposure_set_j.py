"""Issue 14: idioms read from set J's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

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
