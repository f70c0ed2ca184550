"""Idioms met in exposure set AV, each reduced to a snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

PROTO = """syntax = "proto3";
package acme.proto.%s.v1;
service ServiceInvocation {
  rpc CallLocal(Request) returns (Response) {}
%s}
"""
STREAM = "  rpc CallLocalStream(stream Request) returns (stream Response) {}\n"


def test_a_service_in_an_internals_package_is_internal() -> None:
    base = {"proto/internals/v1/invoke.proto": PROTO % ("internals", "")}
    head = {"proto/internals/v1/invoke.proto": PROTO % ("internals", STREAM)}
    assert grown(base, head) == {
        ("added", "RPC", "acme.proto.internals.v1.ServiceInvocation/CallLocalStream")
    }
    # the same service in a public package is a public addition
    public = {"proto/runtime/v1/invoke.proto": PROTO % ("runtime", "")}
    assert grown(public, {"proto/runtime/v1/invoke.proto": PROTO % ("runtime", STREAM)}) == set()


FLASK = """from flask import Flask
app = Flask(__name__)

@app.get("/health")
def health():
    return "ok"
%s"""


def test_diagnostics_system_information_and_cluster_membership_are_internal() -> None:
    base = {"app.py": FLASK % ""}
    paths = (
        "/diagnostics/recent-logs",
        "/api/system-info",
        "/api/diagnostic/dump",
        "/ingester/ring",
        "/memberlist",
    )
    for path in paths:
        view = f'\n@app.get("{path}")\ndef view():\n    return dump()\n'
        assert grown(base, {"app.py": FLASK % view}) == {("added", "GET", path)}, path
    plain = '\n@app.get("/api/systems")\ndef view():\n    return []\n'
    assert grown(base, {"app.py": FLASK % plain}) == set()


ENDPOINT = """using FastEndpoints;

namespace Shop.Endpoints.Runtime;

internal sealed class StatusEndpoint(IRuntime runtime) : Endpoint<StatusRequest, StatusResponse>
{
    public override void Configure()
    {
%s    }

    public override async Task HandleAsync(StatusRequest req, CancellationToken ct)
    {
        Get("/not-a-route");
        await Send.OkAsync(runtime.Status(), ct);
    }
}
"""


def test_a_fast_endpoint_declares_its_route_and_access_in_configure() -> None:
    from checks.exposure.extract import extract

    head = {"Endpoints/Status.cs": ENDPOINT % '        Get("/admin/runtime/status");\n'}
    (endpoint,) = extract(head)
    assert (endpoint.method, endpoint.path, endpoint.auth) == (
        "GET",
        "/admin/runtime/status",
        "authenticated",
    )
    assert grown({}, head) == {("added", "GET", "/admin/runtime/status")}


def test_a_fast_endpoint_opened_or_accepting_one_more_permission_widens() -> None:
    guarded = ENDPOINT % '        Get("/runtime/status");\n        Permissions(Names.ManageRuntime);\n'
    more = (
        ENDPOINT
        % '        Get("/runtime/status");\n        Permissions(Names.ManageRuntime, Names.ReadRuntime);\n'
    )
    opened = ENDPOINT % '        Get("/runtime/status");\n        AllowAnonymous();\n'
    base = {"Endpoints/Status.cs": guarded}
    assert grown(base, {"Endpoints/Status.cs": more}) == {("widened", "GET", "/runtime/status")}
    assert grown(base, {"Endpoints/Status.cs": opened}) == {("widened", "GET", "/runtime/status")}
    assert grown({"Endpoints/Status.cs": more}, base) == set()


def test_a_fast_endpoint_with_verbs_and_routes_lists_each_pair() -> None:
    from checks.exposure.extract import extract

    both = (
        ENDPOINT
        % '        Verbs(Http.GET, Http.POST);\n        Routes("/a", "/b");\n        AllowAnonymous();\n'
    )
    found = {(e.method, e.path, e.auth) for e in extract({"Endpoints/Status.cs": both})}
    assert found == {(m, p, "unauthenticated") for m in ("GET", "POST") for p in ("/a", "/b")}


APP = """const express = require("express");
const adminAuthRoutes = require("./routes/auth/admin");
const adminRoutes = require("./routes/admin");
const shopRoutes = require("./routes/shop");

const app = express();
app.use(shopRoutes);
app.use("/admin/auth", adminAuthRoutes);
app.use("/admin", adminRoutes);
"""
ROUTER = """const express = require("express");
const router = express.Router();
%s
module.exports = router;
"""


def test_two_route_modules_of_one_name_are_two_routers_and_an_admin_router_is_no_guard() -> None:
    from checks.exposure.extract import extract

    files = {
        "app.js": APP,
        "routes/admin.js": ROUTER % 'router.get("/sales", isAuth, sales);',
        "routes/auth/admin.js": ROUTER % 'router.get("/login", login);',
        "routes/shop.js": ROUTER % 'router.get("/", index);',
    }
    paths = {e.path for e in extract(files)}
    assert paths == {"/admin/sales", "/admin/auth/login", "/"}


URLS = """from django.urls import re_path

from app.api.views import InstanceList, InstanceBundle

urls = [
    re_path(r'^$', InstanceList.as_view(), name='instance_list'),
%s]
"""
VIEWS = """from rest_framework.generics import GenericAPIView
from app.api.permissions import IsSystemAdminOrAuditor


class InstanceBundle(GenericAPIView):
    permission_classes = (IsSystemAdminOrAuditor,)
"""


def test_a_urls_list_included_elsewhere_and_an_auditor_only_view() -> None:
    entry = "    re_path(r'^(?P<pk>[0-9]+)/bundle/$', InstanceBundle.as_view(), name='bundle'),\n"
    base = {"app/api/urls/instance.py": URLS % "", "app/api/views/bundle.py": VIEWS}
    head = {**base, "app/api/urls/instance.py": URLS % entry}
    assert grown(base, head) == {("added", "ANY", "/{pk}/bundle")}


ROUTER_EX = """defmodule ShopWeb.Router do
  use ShopWeb, :router

  pipeline :authenticated do
    plug ShopWeb.Plugs.Authenticate
  end

  pipeline :user_or_admin do
    plug ShopWeb.Plugs.Authorize, roles: [%s], allow_self: true
  end

  scope "/api", ShopWeb do
    scope "/profile" do
      pipe_through [:authenticated, :user_or_admin]
      get "/", ProfileController, :show
    end
  end
end
"""


def test_a_phoenix_pipeline_admitting_one_more_role_widens_its_routes() -> None:
    base = {"lib/shop_web/router.ex": ROUTER_EX % '"admin", "user"'}
    head = {"lib/shop_web/router.ex": ROUTER_EX % '"admin", "user", "support"'}
    assert grown(base, head) == {("widened", "GET", "/api/profile")}
    assert grown(head, base) == set()


def test_the_login_and_signup_of_an_admin_area_are_its_way_in() -> None:
    app = 'const express = require("express");\nconst adminRoutes = require("./routes/admin");\n'
    app += 'const app = express();\napp.use("/admin", adminRoutes);\n'
    doors = 'router.get("/signup", signup);\nrouter.post("/login", login);\nrouter.post("/logout", logout);'
    base = {"app.js": app, "routes/admin.js": ROUTER % ""}
    assert grown(base, {**base, "routes/admin.js": ROUTER % doors}) == set()
    assert grown(base, {**base, "routes/admin.js": ROUTER % 'router.get("/stats", stats);'}) == {
        ("added", "GET", "/admin/stats")
    }


def test_an_auditor_beside_an_administrator_keeps_the_guard_privileged_but_not_alone() -> None:
    from checks.exposure.roles import privileged_role

    assert privileged_role("IsSystemAdminOrAuditor") == "admin"
    assert privileged_role("AuditorConstraint") is None
    assert privileged_role("IsAdminOrOwner") is None
