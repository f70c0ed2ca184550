"""Issue 14: idioms read from set V's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure import extract
from checks.exposure.extract import is_test_or_client
from checks.exposure.roles import privileged_role
from tests.exposure_growth import grown

FLASK = """from functools import wraps
from flask import Blueprint, abort, request

bp = Blueprint("main", __name__)


def access_check(f):
    @wraps(f)
    def func(*a, **kw):
        if request.headers.get("X-Api-Key") != KEY:
            abort(403, description="Invalid API key")
        return f(*a, **kw)

    return func


def timed(f):
    @wraps(f)
    def func(*a, **kw):
        return f(*a, **kw)

    return func


@bp.post("/suggest")
%s
def suggest():
    return {}
"""


def test_a_decorator_the_file_defines_that_refuses_callers_is_a_guard() -> None:
    path = "app/app.py"
    assert grown({path: FLASK % "@access_check"}, {path: FLASK % "@timed"}) == {
        ("widened", "POST", "/suggest")
    }
    assert grown({path: FLASK % "@timed"}, {path: FLASK % "@timed"}) == set()


def test_a_front_ends_pages_and_components_are_client_code() -> None:
    assert is_test_or_client("web/src/pages/Setting/Operation/Settings.js")
    assert is_test_or_client("web/src/components/OptionsPanel.jsx")
    assert not is_test_or_client("src/pages/api/admin/users.ts")  # Next.js API routes serve


def test_a_root_users_guard_is_privileged() -> None:
    assert privileged_role("middleware.RootAuth()") == "root"
    assert privileged_role("requireRoot") == "root"
    assert privileged_role("rootPath") is None and privileged_role("RootController") is None


PHOENIX = """defmodule TilexWeb.Router do
  use TilexWeb, :router

  pipeline :browser do
    plug(:accepts, ["html"])
    %s
  end

  scope "/", TilexWeb do
    pipe_through(:browser)
    post("/posts/:slug/like", PostController, :like)
  end
end
"""


def test_a_plug_a_pipeline_adds_under_a_compile_time_condition_still_guards() -> None:
    path = "lib/tilex_web/router.ex"
    old = PHOENIX % "plug(Tilex.Plug.BasicAuth)"
    new = PHOENIX % "if @basic_auth do\n      plug(:basic_auth, @basic_auth)\n    end"
    assert grown({path: old}, {path: new}) == set()
    assert grown({path: old}, {path: PHOENIX % ""}) == {("widened", "POST", "/posts/{slug}/like")}


URLS = """from django.conf import settings
from django.urls import include, path

urlpatterns = [path("api/", include("api.urls"))]

%s
"""


def test_a_profiler_mounted_beyond_debug_is_new_exposure() -> None:
    path = "engine/urls.py"
    debug = 'if settings.DEBUG:\n    urlpatterns += [path("silk/", include("silk.urls", namespace="silk"))]\n'
    flag = 'if settings.SILK_ENABLED:\n    urlpatterns += [path(settings.SILK_PATH, include("silk.urls"))]\n'
    assert ("added", "ANY", "/{settings.SILK_PATH}/**") in grown({path: URLS % debug}, {path: URLS % flag})
    endpoints = extract({path: URLS % debug})
    assert any("debug builds" in " ".join(e.reasons) for e in endpoints if e.path.startswith("/silk"))
