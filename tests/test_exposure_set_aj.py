"""Idioms read after exposure set AJ: each a reduction written here, never the projects' code."""

from __future__ import annotations

from checks.exposure import compare, extract
from tests.exposure_growth import grown


def routes(files: dict[str, str]) -> set[tuple[str, str, str]]:
    return {(e.method, e.path, e.auth) for e in extract(files)}


OLD_URLS = """from django.conf.urls import patterns
from django.contrib.auth.decorators import login_required

from .views import index, detail, edit

urlpatterns = patterns('',
    (r'^$', %s),
    (r'^(?P<slug>[-\\w]+)/$', login_required(detail)),
    url(r'^(?P<slug>[-\\w]+)/edit/$', edit),
)
"""


def test_old_django_pattern_tuples_are_routes() -> None:
    path = "lists/urls.py"
    found = routes({path: OLD_URLS % "login_required(index)"})
    assert ("ANY", "/", "authenticated") in found
    assert ("ANY", "/{slug}", "authenticated") in found
    assert ("ANY", "/{slug}/edit", "unknown") in found
    # dropping the wrapper from a tuple entry widens it
    opened = grown({path: OLD_URLS % "login_required(index)"}, {path: OLD_URLS % "index"})
    assert opened == {("widened", "ANY", "/")}


TABLE = """class AdminApi(Api):
    def __init__(self):
        routes = [{'r': '/api/admin/stats', 'm': ['GET'], 'f': self.stats},
%s                  {'r': '/api/admin/sync', 'm': ['GET', 'POST'], 'f': self.sync}]
        for route in routes:
            self.addRoute(route)

    @token_required
    def stats(self):
        return {}
"""


def test_a_python_route_table_of_dictionaries_serves_its_rows() -> None:
    path = "web/admin_api.py"
    found = routes({path: TABLE % ""})
    assert {("GET", "/api/admin/sync", "unknown"), ("POST", "/api/admin/sync", "unknown")} <= found
    added = TABLE % "                  {'r': '/api/admin/token', 'm': ['GET'], 'f': self.token},\n"
    assert grown({path: TABLE % ""}, {path: added}) == {("added", "GET", "/api/admin/token")}
    # a dictionary of settings is no route
    assert routes({"conf.py": "OPTIONS = {'home': '/srv', 'modes': ['read']}\n"}) == set()


RESTX = """from flask_restx import Namespace, Resource
from flask_jwt_extended import jwt_required

api = Namespace("admin", description="Admin endpoints", path="/admin/")


@api.route("/whitelist")
@api.param(
    name="Authorization",
    description="JWT Token",
)
class Whitelist(Resource):
    @jwt_required
    def get(self):
        return []
%s
"""
DELETE = """
    @jwt_required
    def delete(self):
        return {}
"""


def test_flask_restx_namespaces_prefix_their_resources() -> None:
    path = "web/restapi/admin.py"
    found = routes({path: RESTX % ""})
    assert ("GET", "/admin/whitelist", "authenticated") in found
    assert grown({path: RESTX % ""}, {path: RESTX % DELETE}) == {("added", "DELETE", "/admin/whitelist")}
    # a namespace of another library is no router
    assert routes({"cli.py": "import argparse\nargs = argparse.Namespace(path='/admin')\n"}) == set()


def test_a_namespace_without_a_path_serves_under_its_name() -> None:
    text = RESTX.replace(', path="/admin/"', "") % ""
    assert ("GET", "/admin/whitelist", "authenticated") in routes({"web/restapi/admin.py": text})


HTTPROUTER = """package nsqd

import (
	"github.com/julienschmidt/httprouter"
)

func newServer() *httprouter.Router {
	router := httprouter.New()
	router.Handle("GET", "/ping", Decorate(pingHandler, log))
%s	return router
}
"""


def test_httprouters_handle_takes_the_method_first() -> None:
    path = "nsqd/http.go"
    assert ("GET", "/ping", "unauthenticated") in routes({path: HTTPROUTER % ""})
    added = HTTPROUTER % '\trouter.Handle("POST", "/debug/freememory", Decorate(freeMemory, log))\n'
    assert grown({path: HTTPROUTER % ""}, {path: added}) == {("added", "POST", "/debug/freememory")}


GIN_MAIN = """package main

import (
	"github.com/gin-contrib/pprof"
	"github.com/gin-gonic/gin"
)

func main() {
	engine := gin.New()
%s	engine.Run()
}
"""


def test_gin_contrib_pprof_serves_the_profiler() -> None:
    base = {"main.go": GIN_MAIN.replace('\t"github.com/gin-contrib/pprof"\n', "") % ""}
    assert grown(base, {"main.go": GIN_MAIN % "\tpprof.Register(engine)\n"}) == {
        ("added", "GET", "/debug/pprof/**")
    }
    custom = GIN_MAIN % '\tpprof.Register(engine, "ops/profile")\n'
    assert grown(base, {"main.go": custom}) == {("added", "GET", "/ops/profile/**")}


ENTITY = """<?php

namespace App\\Entity;

use ApiPlatform\\Metadata\\ApiResource;
use ApiPlatform\\Metadata\\Get;
use ApiPlatform\\Metadata\\GetCollection;

#[ApiResource(
    operations: [
%s        new Get(
            uriTemplate: '/admin/users/{id}{._format}',
            security: 'is_granted("ROLE_ADMIN")'
        ),
        new Get(uriTemplate: '/profile/{id}'),
    ]
)]
class User
{
}
"""


def test_api_platform_operations_are_routes_with_their_security() -> None:
    path = "api/src/Entity/User.php"
    found = routes({path: ENTITY % ""})
    assert ("GET", "/admin/users/{id}", "authenticated") in found
    assert ("GET", "/profile/{id}", "unknown") in found
    collection = (
        "        new GetCollection(\n            uriTemplate: '/admin/users{._format}',\n"
        "            security: 'is_granted(\"ROLE_ADMIN\")'\n        ),\n"
    )
    result = compare({path: ENTITY % ""}, {path: ENTITY % collection})
    added = [f for f in result.findings if f.change == "added"]
    assert [(f.endpoint.method, f.endpoint.path, f.internal) for f in added] == [
        ("GET", "/admin/users", True)
    ]


def test_an_api_resource_without_operations_serves_the_defaults() -> None:
    text = (
        "<?php\nuse ApiPlatform\\Metadata\\ApiResource;\n\n"
        "#[ApiResource(routePrefix: '/admin', security: \"is_granted('ROLE_ADMIN')\")]\nclass BookReview\n{\n}\n"
    )
    found = routes({"src/Entity/BookReview.php": text})
    assert ("GET", "/admin/book_reviews", "authenticated") in found
    assert ("DELETE", "/admin/book_reviews/{id}", "authenticated") in found
    assert len(found) == 6


ROUTER = """defmodule AppWeb.Router do
  use AppWeb, :router

  scope "/", AppWeb do
    pipe_through [:browser]

    get "/", PageController, :home
%s  end
end
"""


def test_a_honeypot_route_serves_a_decoy_not_an_admin_page() -> None:
    path = "lib/app_web/router.ex"
    trap = '    get "/wp-admin", HoneypotController, :trap\n    get "/.env", HoneypotController, :trap\n'
    assert grown({path: ROUTER % ""}, {path: ROUTER % trap}) == set()
    real = '    get "/admin", AdminController, :index\n'
    assert grown({path: ROUTER % ""}, {path: ROUTER % real}) == {("added", "GET", "/admin")}
