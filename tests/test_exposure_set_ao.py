"""Idioms met in exposure set AO, each reduced to a snippet written here."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from checks.exposure.allowlist import regex_entry_path
from tests.exposure_growth import grown

ROUTES = "Rails.application.routes.draw do\n  get 'plans', to: 'plans#index'\nend\n"
CONTROLLER = (
    "class PlansController < ApplicationController\n"
    "  before_action :check_http_auth\n"
    "  skip_before_action :verify_authenticity_token, :fetch_community%s\n\n"
    "  def index\n  end\nend\n"
)


def test_every_filter_a_skip_line_names_is_skipped() -> None:
    before = {"config/routes.rb": ROUTES, "app/controllers/plans_controller.rb": CONTROLLER % ""}
    after = dict(before, **{"app/controllers/plans_controller.rb": CONTROLLER % ", :check_http_auth"})
    assert grown(before, after) == {("widened", "GET", "/plans")}
    # an option written as a hash rocket is no filter name
    rocket = dict(before, **{"app/controllers/plans_controller.rb": CONTROLLER % ", :only => [:index]"})
    assert grown(before, rocket) == set()


def test_the_actuator_starter_added_to_a_build_serves_the_actuator() -> None:
    gradle = "dependencies {\n    implementation 'org.springframework.boot:spring-boot-starter-web'\n%s}\n"
    added = "    implementation 'org.springframework.boot:spring-boot-starter-actuator'\n"
    assert grown({"build.gradle": gradle % ""}, {"build.gradle": gradle % added}) == {
        ("added", "ANY", "/actuator/**")
    }
    # a version bump beside it changes nothing it serves
    bumped = (gradle % added).replace("starter-web'", "starter-web:3.2.1'")
    assert grown({"build.gradle": gradle % added}, {"build.gradle": bumped}) == set()


GO_MUX = """package main

import "github.com/prometheus/client_golang/prometheus/promhttp"

func serve(mux *http.ServeMux) {
	mux.HandleFunc("/", home)
%s}
"""


def test_a_metrics_handler_at_a_literal_path_is_internal_whatever_the_path() -> None:
    added = '\tmux.Handle("/.metrics", promhttp.Handler())\n'
    assert grown({"golink.go": GO_MUX % ""}, {"golink.go": GO_MUX % added}) == {("added", "ANY", "/.metrics")}
    plain = '\tmux.HandleFunc("/.links", links)\n'
    assert grown({"golink.go": GO_MUX % ""}, {"golink.go": GO_MUX % plain}) == set()


def test_a_metrics_handler_at_a_configured_path_on_a_verb_route() -> None:
    gin = 'package gorush\n\nfunc routerEngine(r *gin.Engine) {\n\tr.GET("/", rootHandler)\n%s}\n'
    added = "\tr.GET(PushConf.API.MetricURI, metricsHandler)\n"
    assert grown({"gorush/server.go": gin % ""}, {"gorush/server.go": gin % added}) == {
        ("added", "ANY", "/{MetricURI}")
    }


FLASK_ADMIN = """from flask_admin import Admin

from app.admin.user import UserAdmin


def init_admin(app):
    admin = Admin(name="Site")
    admin.add_view(UserAdmin(User, Session))
%s"""


def test_a_flask_admin_view_added_is_an_admin_page() -> None:
    added = '    admin.add_view(DomainCheckAdmin(name="Domain Check", endpoint="domain_check"))\n'
    assert grown({"app/panel.py": FLASK_ADMIN % ""}, {"app/panel.py": FLASK_ADMIN % added}) == {
        ("added", "ANY", "/admin/domain_check/**")
    }
    model = "    admin.add_view(AliasAdmin(Alias, Session))\n"
    assert grown({"app/panel.py": FLASK_ADMIN % ""}, {"app/panel.py": FLASK_ADMIN % model}) == {
        ("added", "ANY", "/admin/alias/**")
    }
    # Pyramid's `config.add_view` in a module that never imports Flask-Admin adds no admin page
    pyramid = "def includeme(config):\n    config.add_view(Hello(config), route_name='hello')\n"
    assert grown({}, {"app/views.py": pyramid}) == set()


AUTH_TS = """export const NO_AUTHORIZATION_ROUTES = [
	// Authentication routes
	"POST /auth/login",
	"GET /ping",
	/POST \\/webhooks\\/\\d+\\/\\w+\\/?/, // no token required
%s];

export async function Authentication(req, res, next) {
	if (NO_AUTHORIZATION_ROUTES.some((x) => matches(x, req))) return next();
	req.user_id = await checkToken(req.headers.authorization);
	next();
}
"""


def test_an_allowlist_of_method_and_path_strings_and_regex_literals() -> None:
    base = {"src/api/middlewares/Authentication.ts": AUTH_TS % ""}
    regex = "\t/^(GET|HEAD) \\/guilds\\/\\d+\\/shield\\.svg/,\n"
    assert grown(base, {"src/api/middlewares/Authentication.ts": AUTH_TS % regex}) == {
        ("widened", "ANY", "/guilds/{param}/shield.svg")
    }
    plain = '\t"GET /policies/instance/",\n'
    assert grown(base, {"src/api/middlewares/Authentication.ts": AUTH_TS % plain}) == {
        ("widened", "ANY", "/policies/instance")
    }
    # a comment in the list exempts nothing
    comment = "\t// GET /internal/stats is not listed on purpose\n"
    assert grown(base, {"src/api/middlewares/Authentication.ts": AUTH_TS % comment}) == set()


@given(st.text(alphabet="/\\^$()|[]+*?.dw{}0123456789GETPOS abc-_", max_size=80))
def test_a_regex_entry_reads_as_a_path_or_not_at_all(source: str) -> None:
    path = regex_entry_path(source)
    assert path is None or (path.startswith("/") and "\\" not in path and "\0" not in path)


FLASK_INIT = """from app.authentication.auth import requires_admin_auth, requires_auth


def register_blueprint(application):
    from app.service.rest import service_blueprint
%s
    register_notify_blueprint(application, service_blueprint, requires_admin_auth, "/service")


def register_notify_blueprint(application, blueprint, auth_function, prefix=None):
    blueprint.before_request(auth_function)
    application.register_blueprint(blueprint, url_prefix=prefix)
"""
REPORT = """from flask import Blueprint

report_blueprint = Blueprint("report", __name__)


@report_blueprint.route("/<uuid:service_id>/report", methods=["POST"])
def create_report(service_id):
    return {}
"""


def test_a_project_helper_registering_a_blueprint_with_its_guard() -> None:
    base = {"app/__init__.py": FLASK_INIT % ""}
    wiring = "    from app.report.rest import report_blueprint\n"
    wiring += (
        '    register_notify_blueprint(application, report_blueprint, requires_admin_auth, "/service")\n'
    )
    head = {"app/__init__.py": FLASK_INIT % wiring, "app/report/rest.py": REPORT}
    assert grown(base, head) == {("added", "POST", "/service/{service_id}/report")}
    user = {
        "app/__init__.py": (FLASK_INIT % wiring).replace(
            "report_blueprint, requires_admin_auth", "report_blueprint, requires_auth"
        ),
        "app/report/rest.py": REPORT,
    }
    assert grown(base, user) == set()


JAXRS_INTERFACE = """package org.example.model.map;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.*;

@Path("map")
public interface MapResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
%s    ObjectValue getSettings(@BeanParam RequestParams requestParams);

    @GET
    @Path("js")
    ObjectValue getSettingsJs(@BeanParam RequestParams requestParams);
}
"""


def test_an_interface_methods_annotations_end_at_its_declaration() -> None:
    path = "model/src/main/java/org/example/model/map/MapResource.java"
    guarded = JAXRS_INTERFACE % '    @RolesAllowed({"read:map"})\n'
    assert grown({path: guarded}, {path: JAXRS_INTERFACE % ""}) == {("widened", "GET", "/map")}


def test_a_profiler_moved_to_another_file_is_the_same_endpoint_moved() -> None:
    go = (
        "package handlers\n\ntype admin struct{}\n\nfunc (h admin) mount(r chi.Router) {\n"
        "\ta := r.With(mware.RequestLog(nil), adminOnly)\n"
        '\ta.Get("/debug/pprof/profile", pprof.Profile)\n}\n'
    )
    # the guard renamed to a word that names no role: what it inherits is not resolved, not dropped
    moved = go.replace("admin", "bosmang")
    assert grown({"handlers/admin.go": go}, {"handlers/bosmang.go": moved}) == set()
