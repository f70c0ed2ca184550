"""Idioms met in exposure set BI, each reduced to a snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

GO_ROUTER = """package router

import "github.com/gorilla/mux"

type MuxRouter struct {
	Router      *mux.Router
	usersRouter UsersRouter
%s}

func (r MuxRouter) Init() {
	r.Router.HandleFunc("/health", health)
	users := r.Router.PathPrefix("/orchestrator/users").Subrouter()
	r.usersRouter.initUsersRouter(users)
%s}
"""
GO_PROFILER = """package router

import "github.com/gorilla/mux"

type ProfilerRouter interface {
	initProfilerRouter(router *mux.Router)
}

type ProfilerRouterImpl struct{}

func (p ProfilerRouterImpl) initProfilerRouter(router *mux.Router) {
	router.HandleFunc("/heap", p.handler.Heap)
	router.HandleFunc("/cmdline", p.handler.Cmdline)
}
"""


def test_a_go_method_reached_through_a_field_takes_the_subrouters_prefix() -> None:
    before = {"api/router/router.go": GO_ROUTER % ("", "")}
    after = {
        "api/router/router.go": GO_ROUTER
        % (
            "\tprofilerRouter ProfilerRouter\n",
            '\tprof := r.Router.PathPrefix("/orchestrator/debug/pprof").Subrouter()\n'
            "\tr.profilerRouter.initProfilerRouter(prof)\n",
        ),
        "api/router/ProfilerRouter.go": GO_PROFILER,
    }
    assert grown(before, after) == {
        ("added", "ANY", "/orchestrator/debug/pprof/heap"),
        ("added", "ANY", "/orchestrator/debug/pprof/cmdline"),
    }


def test_the_interface_declaring_a_method_does_not_call_it() -> None:
    public = GO_PROFILER.replace("initProfilerRouter", "initReportsRouter").replace('"/heap"', '"/daily"')
    public = public.replace('\trouter.HandleFunc("/cmdline", p.handler.Cmdline)\n', "")
    after = {
        "api/router/router.go": GO_ROUTER
        % (
            "\treportsRouter ProfilerRouter\n",
            '\trep := r.Router.PathPrefix("/orchestrator/reports").Subrouter()\n'
            "\tr.reportsRouter.initReportsRouter(rep)\n",
        ),
        "api/router/ReportsRouter.go": public,
    }
    assert grown({"api/router/router.go": GO_ROUTER % ("", "")}, after) == set()


def test_docs_uis_of_iris_rswag_spectree_and_flasgger_are_operations_surfaces() -> None:
    iris = (
        'package server\n\nimport "github.com/iris-contrib/swagger/v12"\n\nfunc (e *Server) setUp() {\n'
        '\te.app.Get("/swagger/{any:path}", swagger.CustomWrapHandler(&c, swaggerFiles.Handler))\n}\n'
    )
    assert grown({}, {"internal/server/server.go": iris}) == {("added", "GET", "/swagger/{any}")}
    routes = "Rails.application.routes.draw do\n  scope :api do\n%s  end\nend\n"
    rswag = "    mount Rswag::Api::Engine => '/swagger'\n"
    assert grown({"config/routes.rb": routes % ""}, {"config/routes.rb": routes % rswag}) == {
        ("added", "ANY", "/swagger/**")
    }
    spectree = "from spectree import SpecTree\n\nopenapi = SpecTree('flask', title='API', version='1')\n"
    assert grown({}, {"app/api/__init__.py": spectree}) == {("added", "ANY", "/apidoc/**")}
    moved = spectree.replace("version='1'", "path='docs', version='1'")
    assert grown({}, {"app/api/__init__.py": moved}) == {("added", "ANY", "/docs/**")}
    flasgger = "from flasgger import Swagger\n\nswagger = Swagger(app)\n"
    assert grown({}, {"app/__init__.py": flasgger}) == {("added", "ANY", "/apidocs/**")}
    # any other `Swagger(…)` or `SpecTree` object is not the library's
    assert grown({}, {"app/x.py": "swagger = Swagger(app)\n"}) == set()


def test_dockerflow_operations_endpoints_and_private_api_versions_are_internal() -> None:
    rust = (
        "use actix_web::{get, HttpRequest, HttpResponse};\n\n"
        '#[get("__lbheartbeat__")]\nfn lbheartbeat(_: HttpRequest) -> HttpResponse {\n    HttpResponse::Ok().body("")\n}\n\n'
        '#[get("__error__")]\nasync fn test_error(_: HttpRequest) -> HttpResponse {\n    HttpResponse::Ok().body("")\n}\n'
    )
    assert grown({}, {"src/dockerflow.rs": rust}) == {("added", "GET", "/__error__")}
    spec = (
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /api/v2private/orgs/{orgID}/limits:\n"
        "    patch:\n      responses: {'200': {description: ok}}\n"
    )
    assert grown({}, {"contracts/cloud-priv.yml": spec}) == {
        ("added", "PATCH", "/api/v2private/orgs/{orgID}/limits")
    }


FASTAPI = """from fastapi import APIRouter, Depends
from .auth.permissions import Permissions

router = APIRouter(
    dependencies=[Depends(Permissions(roles=%s))]
)


@router.delete("/indices/version/{version}")
async def delete_old_indices(version: str):
    return {}
"""


def test_a_fastapi_router_depending_on_a_privileged_role_list_is_internal() -> None:
    path = "app/api/delete_indices_endpoint.py"
    assert grown({}, {path: FASTAPI % '["admin"]'}) == {("added", "DELETE", "/indices/version/{version}")}
    assert grown({}, {path: FASTAPI % '["admin", "marketer"]'}) == set()


SECURITY = """security:
    firewalls:
        dev:
            pattern:  ^/(_(profiler|wdt)|css|images|js)/
            security: false
%s
        main:
            pattern: ^/
            anonymous: ~
"""


def test_a_symfony_firewall_letting_anyone_through_exempts_its_path() -> None:
    path = "app/config/security.yml"
    docs = "        api_doc:\n            pattern:  ^/api/docs\n            anonymous: ~\n"
    assert grown({path: SECURITY % ""}, {path: SECURITY % docs}) == {("widened", "ANY", "/api/docs")}
    assets = "        fonts:\n            pattern:  ^/fonts/\n            security: false\n"
    assert grown({path: SECURITY % ""}, {path: SECURITY % assets}) == set()


def test_a_routes_file_of_the_admin_api_is_internal() -> None:
    text = "api_instance_settings:\n    path: /api/instance/settings\n    controller: App\\\\Controller\\\\Api\\\\Settings\n    methods: [GET]\n"
    assert grown({}, {"config/app_routes/admin_api.yaml": text}) == {
        ("added", "GET", "/api/instance/settings")
    }
    assert grown({}, {"config/app_routes/instance_api.yaml": text}) == set()
    # a document generator's data about the admin API serves nothing
    lua = 'return { ["/status/ready"] = { GET = { title = "Readiness" } } }\n'
    assert grown({}, {"autodoc/admin-api/data/admin-api.lua": lua}) == set()


def test_a_firewall_that_signs_callers_in_is_not_open() -> None:
    path = "config/packages/security.yaml"
    jwt = (
        "        api:\n            pattern: ^/api\n            anonymous: true\n"
        "            guard:\n                authenticators: [app.jwt_authenticator]\n"
    )
    assert grown({path: SECURITY % ""}, {path: SECURITY % jwt}) == set()


def test_a_dockerflow_spelling_keeps_the_resource_exemption() -> None:
    from checks.exposure.compare import _path_pattern_hit

    assert not _path_pattern_hit("**/metrics/**", "/devices/{device__id}/metrics")
    assert _path_pattern_hit("**/__error__/**", "/__error__")
