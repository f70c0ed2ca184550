"""Idioms met in exposure set AZ, each reduced to a snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

MUX_ROUTES = """package api

func (api *API) Routes() *mux.Router {
	r := mux.NewRouter()
	r.Handle("/collect", NewCollector(api.database)).Methods(http.MethodGet)
%s
	r.Handle("/api/session", HandlerFunc(api.GetSession)).Methods(http.MethodGet)
	r.Handle("/api/session", HandlerFunc(api.CreateSession)).Methods(http.MethodPost)
	r.Handle("/api/session", HandlerFunc(api.DeleteSession)).Methods(http.MethodDelete)

	r.Handle("/api/stats/site", %s(HandlerFunc(api.GetSiteStats))).Methods(http.MethodGet)
	r.Handle("/api/stats/pages", %s(HandlerFunc(api.GetPageStats))).Methods(http.MethodGet)
	r.Handle("/health", HandlerFunc(api.Health)).Methods(http.MethodGet)
	return r
}
"""
SITES = """	r.Handle("/api/sites", HandlerFunc(api.GetSites)).Methods(http.MethodGet)
	r.Handle("/api/sites", HandlerFunc(api.SaveSite)).Methods(http.MethodPost)
	r.Handle("/api/sites/{id:[0-9]+}", HandlerFunc(api.DeleteSite)).Methods(http.MethodDelete)
"""


def test_a_new_bare_resource_beside_guarded_ones_under_the_same_prefix_is_growth() -> None:
    path = "pkg/api/routes.go"
    guard = "api.Authorize"
    base = {path: MUX_ROUTES % ("", guard, guard)}
    # the session routes beside them are signing in and out, open by what they are; the new resource's own
    # routes are its group, not the siblings it is judged against
    assert grown(base, {path: MUX_ROUTES % (SITES, guard, guard)}) == {
        ("added", "GET", "/api/sites"),
        ("added", "POST", "/api/sites"),
    }
    # where the other resources under /api are open too, a new open one is ordinary
    assert grown({path: MUX_ROUTES % ("", "", "")}, {path: MUX_ROUTES % (SITES, "", "")}) == set()
    # one guarded resource beside it is not enough to call /api guarded
    one = MUX_ROUTES.replace(
        '\tr.Handle("/api/stats/pages", %s(HandlerFunc(api.GetPageStats))).Methods(http.MethodGet)\n', ""
    )
    assert grown({path: one % ("", guard)}, {path: one % (SITES, guard)}) == set()


STARTUP = """using Microsoft.AspNetCore.Builder;

public class Startup
{
    public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
    {
        if (%s)
        {
            app.UseDeveloperExceptionPage();
%s        }
        else
        {
            app.UseHsts();
%s        }
%s        app.UseAuthentication();
        app.UseEndpoints(endpoints => endpoints.MapControllers());
    }
}
"""
SWAGGER = '            app.UseSwagger();\n            app.UseSwaggerUI(c => c.SwaggerEndpoint("/swagger/v1/swagger.json", "v1"));\n'


def _startup(
    condition: str = "env.IsDevelopment()", dev: str = "", prod: str = "", always: str = ""
) -> dict[str, str]:
    return {"Blog.Web/Startup.cs": STARTUP % (condition, dev, prod, always)}


def test_swagger_ui_served_outside_the_development_block_publishes_the_api_documentation() -> None:
    base = _startup()
    assert grown(base, _startup(always=SWAGGER)) == {("added", "GET", "/swagger/**")}
    # the production branch of the same switch, or a negated condition, serves it in production too
    assert grown(base, _startup(prod=SWAGGER)) == {("added", "GET", "/swagger/**")}
    assert grown(base, _startup("!env.IsDevelopment()", dev=SWAGGER)) == {("added", "GET", "/swagger/**")}
    # a condition another clause can widen is no development-only switch
    widened = _startup("env.IsDevelopment() || showDocs", dev=SWAGGER)
    assert grown(base, widened) == {("added", "GET", "/swagger/**")}
    # only in development: nothing served in production
    assert grown(base, _startup(dev=SWAGGER)) == set()
    # moved out of the development block: served in production now
    assert grown(_startup(dev=SWAGGER), _startup(always=SWAGGER)) == {("added", "GET", "/swagger/**")}
    # `RoutePrefix` says where
    docs = '            app.UseSwaggerUI(c => { c.RoutePrefix = "docs"; });\n'
    assert grown(base, _startup(always=docs)) == {("added", "GET", "/docs/**")}


NEST_MAIN = """import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
%s  await app.listen(3000);
}
"""


def test_nest_swagger_setup_outside_a_development_branch_is_a_documentation_mount() -> None:
    path = "src/main.ts"
    base = {path: NEST_MAIN % ""}
    setup = "  SwaggerModule.setup('docs', app, document);\n"
    assert grown(base, {path: NEST_MAIN % setup}) == {("added", "ANY", "/docs/**")}
    # the site root, when the path is empty
    root = "  SwaggerModule.setup('', app, document);\n"
    assert grown(base, {path: NEST_MAIN % root}) == {("added", "ANY", "/**")}
    for condition in (
        "process.env.NODE_ENV !== 'production'",
        "process.env.NODE_ENV === 'development'",
        "isDev",
    ):
        guarded = f"  if ({condition}) {{\n  {setup}  }}\n"
        assert grown(base, {path: NEST_MAIN % guarded}) == set(), condition
    braceless = f"  if (process.env.NODE_ENV !== 'production') {setup.strip()}\n"
    assert grown(base, {path: NEST_MAIN % braceless}) == set()
    # a switch an operator can turn on in production is no development-only branch
    either = f"  if (isDev || config.docs) {{\n  {setup}  }}\n"
    assert grown(base, {path: NEST_MAIN % either}) == {("added", "ANY", "/docs/**")}


def test_a_filament_2_config_publishes_its_admin_panel_at_the_configured_path() -> None:
    path = "config/filament.php"
    config = "<?php\n\nreturn [\n    'path' => env('FILAMENT_PATH', '%s'),\n    'domain' => env('FILAMENT_DOMAIN'),\n];\n"
    assert grown({}, {path: config % "admin"}) == {("added", "ANY", "/admin/**")}
    assert grown({}, {path: config % "cp"}) == {("added", "ANY", "/cp/**")}
    # the same panel under another path: one panel moved, nothing more
    assert grown({path: config % "admin"}, {path: config % "admin"}) == set()


def test_actix_web_prom_serves_the_registry_at_its_endpoint() -> None:
    path = "src/srv/server.rs"
    server = """use actix_web::{App, HttpServer};

pub fn new_server() {
%s    HttpServer::new(move || App::new().wrap(Logger::default()));
}
"""
    prom = '    let prometheus = actix_web_prom::PrometheusMetricsBuilder::new("api").endpoint("/_/metrics").build();\n'
    assert grown({path: server % ""}, {path: server % prom}) == {("added", "ANY", "/_/metrics/**")}
    # without an endpoint the middleware only counts: nothing served
    counting = '    let prometheus = actix_web_prom::PrometheusMetricsBuilder::new("api").build();\n'
    assert grown({path: server % ""}, {path: server % counting}) == set()


def test_a_config_server_file_switches_off_management_security_for_its_own_service() -> None:
    other = "config-repo/gateway.yml"
    gateway = "server:\n  port: 8060\n\nmanagement:\n  security:\n    enabled: false\n"
    auth = "config-repo/auth-service.yml"
    before = "server:\n  context-path: /uaa\n\nspring:\n  h2:\n    console:\n      enabled: true\nmanagement:\n  port: 5001\n"
    after = before + "  security:\n    enabled: false\n"
    # another service of the repository opened its actuator long ago: this one is opened now
    assert grown({other: gateway, auth: before}, {other: gateway, auth: after}) == {
        ("added", "ANY", "/{auth-service}/actuator/**")
    }


OPENAPI = """openapi: 3.0.3
info:
  title: api
  version: 1.0.0
paths:
  /project/{id}:
    get:
      security:
        - bearer_auth: []
      operationId: GetProject
      responses:
        "200":
          description: ok
%scomponents:
  schemas:
    Project: # Generated from internal structs. DO NOT EDIT.
      type: object
"""
CONFIG_OP = """  /project/{id}/config:
    get:
      security:
        - bearer_auth: []
      operationId: GetProjectConfig
      responses:
        "200":
          description: ok
      x-required-role: %s
"""


def test_an_openapi_operation_requiring_an_admin_role_by_vendor_key_is_admin_only() -> None:
    path = "openapi.yaml"
    base = {path: OPENAPI % ""}
    assert grown(base, {path: OPENAPI % (CONFIG_OP % "admin")}) == {("added", "GET", "/project/{id}/config")}
    # an ordinary role is a login-protected route like its siblings
    assert grown(base, {path: OPENAPI % (CONFIG_OP % "user")}) == set()
    # a generator's banner at the head still marks the whole document as generated
    banner = "# Code generated by openapi-generator. DO NOT EDIT.\n"
    assert grown({path: banner + OPENAPI % ""}, {path: banner + OPENAPI % (CONFIG_OP % "admin")}) == set()


def test_an_openapi_document_titled_after_its_proto_is_generated_from_it() -> None:
    # protoc-gen-openapiv2 with no title option names the proto; its paths are the RPCs the proto declares
    doc = '{\n  "swagger": "2.0",\n  "info": {"title": "debug/debug.proto"},\n  "paths": {%s}\n}\n'
    trace = '"/debug_v2.Debug/Trace": {"post": {"operationId": "Debug_Trace"}}'
    assert grown({"api.swagger.json": doc % ""}, {"api.swagger.json": doc % trace}) == set()
    titled = doc.replace("debug/debug.proto", "Debug API")
    assert grown({"api.swagger.json": titled % ""}, {"api.swagger.json": titled % trace}) == {
        ("added", "POST", "/debug_v2.Debug/Trace")
    }
