"""Issue 14: idioms read from set I's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure import compare, extract
from checks.exposure.graphql import extract_graphql
from checks.exposure.mounts import search_terms, unmounted
from tests.exposure_growth import grown


def test_go_route_helper_declared_as_a_closure() -> None:
    text = (
        "package api\nfunc createRouter(root *mux.Router) {\n"
        '\tapiRouter := root.PathPrefix("/api/v1").Subrouter()\n'
        "\tregisterFunc := func(router *mux.Router, path string, h http.HandlerFunc, opts ...opt) {\n"
        "\t\trouter.HandleFunc(path, h)\n\t}\n"
        '\tregisterFunc(apiRouter, "/stores", stores.List, setMethods(http.MethodGet))\n%s}\n'
    )
    base = {"api/router.go": text % ""}
    head = {
        "api/router.go": text
        % '\tregisterFunc(apiRouter, "/admin/cache/regions", admin.Drop, setMethods(http.MethodDelete))\n'
    }
    assert grown(base, head) == {("added", "ANY", "/api/v1/admin/cache/regions")}


def test_chi_mount_of_a_built_handler_serves_everything_under_its_path() -> None:
    text = 'package main\nfunc run(r chi.Router) {\n\tr.Mount("/api/v1", api)\n%s}\n'
    base = {"cmd/main.go": text % ""}
    assert grown(base, {"cmd/main.go": text % '\tr.Mount("/debug", middleware.Profiler())\n'}) == {
        ("added", "ANY", "/debug/*")
    }
    assert grown(base, {"cmd/main.go": text % '\tr.Mount("/metrics", promhttp.Handler())\n'}) == {
        ("added", "ANY", "/metrics/*")
    }
    # A router variable mounted is a mount chain, read from its own routes: no route of its own.
    assert grown(base, {"cmd/main.go": text % '\tr.Mount("/admin", adminRouter)\n'}) == set()


FLASK = (
    "admin_bp = Blueprint('admin', __name__, url_prefix='/admin')\n\n"
    "@admin_bp.before_request\ndef before_request():\n    session.permanent = True\n\n"
    "@admin_bp.route('/search', methods=['GET'])\n@login_required\n%sdef search():\n    return ''\n"
)


def test_a_blueprint_hook_is_not_a_role_because_of_the_blueprint_name() -> None:
    base = {"app/routes/admin.py": FLASK % "@operator_role_required\n"}
    head = {"app/routes/admin.py": FLASK % ""}
    assert grown(base, head) == {("widened", "GET", "/admin/search")}


def test_a_new_unguarded_blueprint_beside_guarded_ones_is_its_own_group() -> None:
    text = (
        "api_bp = Blueprint('api', __name__, url_prefix='/api/v1')\n"
        "@api_bp.route('/zones')\n@api_key_required\ndef zones():\n    return ''\n"
        "@api_bp.route('/users')\n@api_key_required\ndef users():\n    return ''\n%s"
    )
    listing = (
        "index_bp = Blueprint('index', __name__)\n@index_bp.route('/versions')\ndef index():\n    return ''\n"
    )
    on_api = "@api_bp.route('/dump')\ndef dump():\n    return ''\n"
    base = {"app/api.py": text % ""}
    assert grown(base, {"app/api.py": text % listing}) == set()
    delta = compare(base, {"app/api.py": text % on_api})
    assert [(f.change, f.endpoint.path, f.internal) for f in delta.findings] == [
        ("added", "/api/v1/dump", True)
    ]


def test_a_route_that_named_a_method_and_now_serves_every_method_is_compared_as_one() -> None:
    text = (
        'package server\nfunc Init(r *gin.Engine) {\n\tapi := r.Group("/api", middlewares.Auth)\n'
        '\tapi.GET("/me", me)\n%s}\n'
    )
    base = {"server/router.go": text % '\tapi.GET("/public/settings", settings)\n'}
    head = {"server/router.go": text % '\tr.Any("/api/public/settings", settings)\n'}
    delta = compare(base, head)
    assert [(f.change, f.endpoint.method, f.endpoint.path) for f in delta.findings] == [
        ("widened", "ANY", "/api/public/settings")
    ]


DRF_VIEWS = (
    "from rest_framework import viewsets\nfrom rest_framework.permissions import IsAdminUser\n\n"
    "class ImportView(viewsets.GenericViewSet):\n%s    serializer_class = S\n"
)
DRF_URLS = (
    "from rest_framework.routers import DefaultRouter\n"
    "from app.api_v2.views import ImportView\n"
    "v2 = DefaultRouter()\nv2.register(r'import', ImportView, basename='import')\n"
)


def test_a_views_module_whose_views_nothing_read_routes_is_looked_up_by_its_package() -> None:
    views = {"app/api_v2/views.py": DRF_VIEWS % "    permission_classes = [IsAdminUser]\n"}
    assert unmounted(views) == ["app/api_v2/views.py"]
    assert search_terms("app/api_v2/views.py") == ["api_v2/views.py", "api_v2.views"]
    assert "app/api_v2/views.py" not in unmounted({**views, "app/urls.py": DRF_URLS})
    base = {**views, "app/urls.py": DRF_URLS}
    head = {"app/api_v2/views.py": DRF_VIEWS % "", "app/urls.py": DRF_URLS}
    assert ("widened", "ANY", "/import") in grown(base, head)


def test_include_router_dependencies_name_the_role() -> None:
    routes = 'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/")\nasync def check():\n    return {}\n'
    main = (
        "from fastapi import APIRouter, Depends\nfrom app.routes import update\napi_router = APIRouter()\n"
        'api_router.include_router(update.router, dependencies=[Depends(%s)], prefix="/update")\n'
    )
    base = {"app/routes/routes.py": main % "get_current_user"}
    admin = {"app/routes/routes.py": main % "get_admin_user", "app/routes/update.py": routes}
    user = {"app/routes/routes.py": main % "get_current_user", "app/routes/update.py": routes}
    assert grown(base, admin) == {("added", "GET", "/update")}
    assert grown(base, user) == set()


def test_phoenix_forward_to_an_observer_at_a_compile_time_path() -> None:
    router = (
        "defmodule W.Router do\n  use W, :router\n  @observer_url Application.get_env(:w, :url)\n"
        '%s  scope "/", W do\n    get "/", PageController, :index\n  end\nend\n'
    )
    base = {"web/router.ex": router % ""}
    head = {"web/router.ex": router % "  forward @observer_url, Wobserver.Web.Router\n"}
    assert grown(base, head) == {("added", "ANY", "/{observer_url}/**")}


def test_rails_member_route_in_a_resource_block_meets_its_controllers_action_guard() -> None:
    routes = (
        "Rails.application.routes.draw do\n  scope 'org/:org' do\n"
        "    resources :ip_pools, :controller => 'organization_ip_pools' do\n%s    end\n  end\nend\n"
    )
    controller = (
        "class OrganizationIpPoolsController < ApplicationController\n"
        "  before_action :admin_required, :only => [:assignments]\n  def assignments\n  end\nend\n"
    )
    files = {"app/controllers/organization_ip_pools_controller.rb": controller}
    base = {**files, "config/routes.rb": routes % ""}
    head = {**files, "config/routes.rb": routes % "      put :assignments, :on => :collection\n"}
    assert grown(base, head) == {("added", "PUT", "/org/{org}/ip_pools/assignments")}


SECURITY = (
    "@Configuration\npublic class SecurityConfig {\n  protected void configure(HttpSecurity http) {\n"
    '    http.authorizeRequests()\n        .antMatchers("/home/**").permitAll()\n%s'
    "        .anyRequest().authenticated();\n  }\n}\n"
)


def test_spring_permit_all_behind_a_comment_and_commented_out_matchers() -> None:
    path = "src/main/java/app/config/SecurityConfig.java"
    commented = '//        .antMatchers("/member/**")\n//        .permitAll()\n'
    opened = '        .antMatchers("/member/**", "/returns/**") // for tests\n        .permitAll()\n'
    assert [
        e.path
        for e in extract({path: SECURITY % commented})
        if e.path != "/home/**" and e.kind != "security-chain"
    ] == []
    assert grown({path: SECURITY % commented}, {path: SECURITY % opened}) == {
        ("widened", "ANY", "/member/**"),
        ("widened", "ANY", "/returns/**"),
    }


SCHEMA = (
    "extend type Mutation {\n  system: SystemMutation\n}\n\n"
    "type SystemMutation {\n  flags(\n    on: Boolean!\n  ): R @auth(requires: [%s])\n%s}\n"
)


def test_graphql_namespace_types_serve_their_fields_with_their_directives() -> None:
    routes = extract_graphql("schema/system.graphql", SCHEMA % ('"manage:system"', "")).routes
    assert [(r.method, r.path, r.reasons) for r in routes] == [
        ("MUTATION", "system.flags", ("directive @auth accepts manage:system",))
    ]
    path = "schema/system.graphql"
    export = '  export(path: String!): R @auth(requires: ["manage:system"])\n'
    base = {path: SCHEMA % ('"manage:system"', "")}
    assert grown(base, {path: SCHEMA % ('"manage:system"', export)}) == {
        ("added", "MUTATION", "system.export")
    }
    reads = '  read(id: Int!): R @auth(requires: ["read:pages", "manage:system"])\n'
    assert grown(base, {path: SCHEMA % ('"manage:system"', reads)}) == set()


def test_a_guard_that_accepts_one_more_permission_widens() -> None:
    path = "schema/system.graphql"
    base = {path: SCHEMA % ('"write:groups", "manage:system"', "")}
    head = {path: SCHEMA % ('"write:groups", "manage:users", "manage:system"', "")}
    assert grown(base, head) == {("widened", "MUTATION", "system.flags")}
    assert grown(head, base) == set()
