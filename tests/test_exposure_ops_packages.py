"""Django URLconf shapes and operations packages: inline include lists, escaped regex routes, packages whose
URLconf or blueprint serves backend state or a job dashboard."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.model import regex_to_path
from tests.exposure_growth import grown

URLS = """from django.urls import include, path, re_path

urlpatterns = [
    path("admin/", admin.site.urls),
%s]
"""


def _paths(files: dict[str, str]) -> set[str]:
    return {f.endpoint.path for f in compare({}, files).findings if f.change == "added"}


def test_an_inline_include_list_serves_under_its_prefix() -> None:
    entry = """    path("health/", include([
        re_path(r"liveness\\/?", HealthCheckView.as_view()),
        path("ops/", include([path("jobs/", jobs)])),
    ])),
    path("users/", users),
"""
    paths = _paths({"app/urls.py": URLS % entry})
    assert {"/health/liveness", "/health/ops/jobs", "/users"} <= paths
    assert "/liveness" not in paths and "/jobs" not in paths


def test_escaped_characters_of_a_regex_route_are_the_characters() -> None:
    assert regex_to_path(r"^startup\/?$") == "startup/"
    assert regex_to_path(r"^robots\.txt$") == "robots.txt"
    assert regex_to_path(r"^(?P<pk>\d+)/$") == "{pk}/"


def test_a_health_check_urlconf_reports_backend_state() -> None:
    base = {"app/urls.py": URLS % ""}
    for package in ("health_check.urls", "watchman.urls"):
        head = {"app/urls.py": URLS % f'    path("v1/health/", include("{package}")),\n'}
        assert ("added", "GET", "/v1/health/**") in grown(base, head), package
    # the same URLconf moved between files is no growth
    moved = {
        "app/urls.py": URLS % '    path("v1/", include("app.health")),\n',
        "app/health.py": 'urlpatterns = [path("health/", include("health_check.urls"))]\n',
    }
    assert not grown({"app/urls.py": URLS % '    path("v1/health/", include("health_check.urls")),\n'}, moved)


FLASK = """from flask import Flask
import rq_dashboard

def create_app():
    app = Flask(__name__)
%s    return app
"""


def test_the_rq_dashboard_blueprint_is_an_ops_dashboard_where_registered() -> None:
    head = {
        "app/__init__.py": FLASK
        % "    app.register_blueprint(rq_dashboard.blueprint, url_prefix='/siteadmin/rq')\n"
    }
    assert grown({"app/__init__.py": FLASK % ""}, head) == {("added", "ANY", "/siteadmin/rq/**")}
    bare = {"app/__init__.py": FLASK % "    app.register_blueprint(rq_dashboard.blueprint)\n"}
    assert grown({"app/__init__.py": FLASK % ""}, bare) == {("added", "ANY", "/rq/**")}
