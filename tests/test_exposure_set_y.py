"""Issue 14: idioms read from set Y's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

VIEWS = """import flask
from flask import Blueprint

bp = Blueprint('users', __name__)


@bp.route('/user/<user_name>')
def view_user(user_name):
    return flask.render_template('user.html')
%s"""

MODERATORS_ONLY = """

@bp.route('/user/<user_name>/comments')
def view_user_comments(user_name):
    user = find(user_name)
    if not user:
        flask.abort(404)

    # only moderators see every comment
    if not flask.g.user or not flask.g.user.is_moderator:
        flask.abort(403)
    return flask.render_template('comments.html')
"""


def test_a_view_that_refuses_all_but_a_role_after_other_checks_is_privileged() -> None:
    path = "app/views/users.py"
    assert grown({path: VIEWS % ""}, {path: VIEWS % MODERATORS_ONLY}) == {
        ("added", "GET", "/user/{user_name}/comments")
    }


def test_a_check_that_also_lets_the_owner_in_is_no_role_guard() -> None:
    path = "app/views/users.py"
    owner_or_admin = MODERATORS_ONLY.replace(
        "not flask.g.user or not flask.g.user.is_moderator",
        "not flask.g.user.is_admin and user != flask.g.user",
    )
    assert grown({path: VIEWS % ""}, {path: VIEWS % owner_or_admin}) == set()
    # a branch that goes on rather than refusing guards nothing either
    goes_on = MODERATORS_ONLY.replace("flask.abort(403)", "log.info('not a moderator')")
    assert grown({path: VIEWS % ""}, {path: VIEWS % goes_on}) == set()


PANEL = """<?php

namespace App\\Providers\\Filament;

use Filament\\Panel;
use Filament\\PanelProvider;

class %sPanelProvider extends PanelProvider
{
    public function panel(Panel $panel): Panel
    {
        return $panel
            ->default()
            ->id('%s')
            ->path('%s')
            ->login();
    }
}
"""


def test_a_filament_admin_panel_is_an_internal_mount() -> None:
    path = "app/Providers/Filament/AdminPanelProvider.php"
    assert grown({}, {path: PANEL % ("Admin", "admin", "admin")}) == {("added", "ANY", "/admin/**")}
    # the panel's path need not say so: its id does
    assert grown({}, {path: PANEL % ("Admin", "admin", "backoffice")}) == {("added", "ANY", "/backoffice/**")}
    # a panel for the product's own users is no admin surface
    assert grown({}, {"app/Providers/Filament/AppPanelProvider.php": PANEL % ("App", "app", "app")}) == set()
    # `->path()` outside a panel provider is any object's method
    other = "<?php\n$builder->path('admin');\n"
    assert extract({"app/Support/Paths.php": other}) == ()


CONTROLLER = """package de.example.proxy;

@AdminController
public class InstancesProxyController {
    private static final String INSTANCE_MAPPED_PATH = "/instances/{instanceId}/actuator/**";
%s
    @RequestMapping(path = INSTANCE_MAPPED_PATH, method = {RequestMethod.GET, RequestMethod.POST})
    public void endpointProxy() {
    }
%s}
"""
APPLICATION_CONSTANT = (
    '    private static final String APPLICATION_MAPPED_PATH = "/applications/{name}/actuator/**";\n'
)
APPLICATION_MAPPING = """
    @RequestMapping(path = APPLICATION_MAPPED_PATH, method = {RequestMethod.GET})
    public void endpointProxyForApplication() {
    }
"""


def test_a_mapping_that_names_its_path_by_a_constant_of_the_file() -> None:
    path = "server/src/main/java/de/example/proxy/InstancesProxyController.java"
    base = CONTROLLER % ("", "")
    assert {(e.method, e.path) for e in extract({path: base})} == {
        ("GET", "/instances/{instanceId}/actuator/**"),
        ("POST", "/instances/{instanceId}/actuator/**"),
    }
    head = CONTROLLER % (APPLICATION_CONSTANT, APPLICATION_MAPPING)
    assert grown({path: base}, {path: head}) == {("added", "GET", "/applications/{name}/actuator/**")}
    # Kotlin's `const val`, by position
    kotlin = (
        'const val ADMIN = "/admin/jobs"\n\n@RestController\nclass Jobs {\n'
        '    @GetMapping(ADMIN, produces = ["application/json"])\n    fun jobs() = listOf<String>()\n}\n'
    )
    assert [(e.method, e.path) for e in extract({"src/main/kotlin/Jobs.kt": kotlin})] == [
        ("GET", "/admin/jobs")
    ]


PROMETHEUS = """package routes

import (
	"github.com/gin-gonic/gin"
	ginprometheus "github.com/zsais/go-gin-prometheus"
)

func SetPrometheus(r *gin.Engine) {
	p := ginprometheus.NewPrometheus("gin")
%s	p.Use(r)
}
"""


def test_go_metrics_middleware_serves_its_metrics_path() -> None:
    path = "pkg/routes/prometheus.go"
    assert grown({}, {path: PROMETHEUS % ""}) == {("added", "ANY", "/metrics/**")}
    # the subsystem's name is no path; a path set on the middleware is
    assert grown({}, {path: PROMETHEUS % '\tp.MetricsPath = "/internal/stats"\n'}) == {
        ("added", "ANY", "/internal/stats/**")
    }
    # the same call name from another library serves nothing here
    other = PROMETHEUS.replace("github.com/zsais/go-gin-prometheus", "example.com/stats")
    assert extract({path: other % ""}) == ()
