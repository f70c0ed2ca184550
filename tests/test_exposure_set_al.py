"""Issue 14: idioms read from the misses of set AL and of earlier sets' left rows, each as a minimal snippet
written here."""

from __future__ import annotations

from checks.exposure.golang import extract_go
from tests.exposure_growth import grown

MUX = """package app

import "net/http"

func routes(app *App) http.Handler {
	mux := http.NewServeMux()
%s
	return mux
}
"""

SUBTREE = """	mux.HandleFunc("/admin/jobs/", func(w http.ResponseWriter, r *http.Request) {
		app.Jobs.ServeHTTP(w, r)
	})"""

SPLIT = """	mux.HandleFunc("GET /admin/jobs/", func(w http.ResponseWriter, r *http.Request) {
		app.Jobs.ServeHTTP(w, r)
	})
	mux.HandleFunc("POST /admin/jobs/api/", func(w http.ResponseWriter, r *http.Request) {
		app.Jobs.ServeHTTP(w, r)
	})"""


def test_a_serve_mux_pattern_ending_in_a_slash_serves_its_subtree() -> None:
    paths = {(r.method, r.path) for r in extract_go("app/http.go", MUX % SUBTREE).routes}
    assert paths == {("ANY", "/admin/jobs/**")}
    # gorilla's and gin's routers match a trailing slash exactly: no subtree there.
    gorilla = 'r := mux.NewRouter()\n\tr.HandleFunc("/admin/jobs/", h)'
    assert {r.path for r in extract_go("app/http.go", MUX % gorilla).routes} == {"/admin/jobs"}


def test_method_patterns_splitting_a_subtree_serve_nothing_new() -> None:
    before, after = {"app/http.go": MUX % SUBTREE}, {"app/http.go": MUX % SPLIT}
    assert grown(before, after) == set()
    # A subtree served for the first time is still an internal addition.
    assert grown({"app/http.go": MUX % ""}, after) == {
        ("added", "GET", "/admin/jobs/**"),
        ("added", "POST", "/admin/jobs/api/**"),
    }


URLCONF = """from django.conf.urls import include, url
from rest_framework import routers
from app import views

router = routers.SimpleRouter()
router.register(r'jobs', views.JobsViewSet, base_name='jobs')

urlpatterns = [
    url(r'^project/(?P<project>[\\w-]{0,50})/', include(router.urls)),
]
"""

VIEWS = """from rest_framework import viewsets
from rest_framework.decorators import detail_route
from rest_framework.permissions import IsAuthenticated
from app.permissions import IsStaffOrReadOnly


class JobsViewSet(viewsets.ViewSet):
    @detail_route(methods=['%s'], permission_classes=[%s])
    def backfill(self, request, project, pk=None):
        return Response()
"""


def test_a_staff_or_read_only_action_that_only_writes_is_staff_only() -> None:
    def files(method: str, permission: str) -> dict[str, str]:
        return {"app/urls.py": URLCONF, "app/views.py": VIEWS % (method, permission)}

    # REST framework 3.7's `@detail_route` is `@action(detail=True)`; a URL regex prefix reads as a path.
    assert grown(files("post", "IsStaffOrReadOnly"), files("post", "IsAuthenticated")) == {
        ("widened", "POST", "/project/{project}/jobs/{pk}/backfill")
    }
    # On a route that reads, anyone may read: nothing privileged to lose.
    assert grown(files("get", "IsStaffOrReadOnly"), files("get", "IsAuthenticated")) == set()
    assert grown(files("post", "IsAuthenticated"), files("post", "IsStaffOrReadOnly")) == set()
