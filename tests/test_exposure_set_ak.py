"""Idioms read after exposure set AK: each a reduction written here, never the projects' code."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

APP_CONFIG = """from django.urls import path

from shop.core.application import ShopConfig


class ReviewsConfig(ShopConfig):
    name = "shop.reviews"

    def get_urls(self):
        urls = [
            path("<int:pk>/vote/", self.vote_view.as_view(), name="reviews-vote"),
%s        ]
        return self.post_process_urls(urls)
"""

MODEL_ADMIN = """from django.contrib import admin
from django.urls import path


class UserAdmin(admin.ModelAdmin):
    def get_urls(self):
        return [
            path("<id>/disable-mfa/", self.admin_site.admin_view(self.disable_mfa)),
%s        ] + super().get_urls()
"""


def test_an_app_configs_get_urls_is_no_model_admin() -> None:
    added = '            path("<int:pk>/report/", self.report_view.as_view()),\n'
    path = "shop/reviews/apps.py"
    assert grown({path: APP_CONFIG % ""}, {path: APP_CONFIG % added}) == set()
    admin_added = '            path("<id>/reset/", self.admin_site.admin_view(self.reset)),\n'
    assert grown({"users/admin.py": MODEL_ADMIN % ""}, {"users/admin.py": MODEL_ADMIN % admin_added}) == {
        ("added", "ANY", "/{admin site}/{model}/{id}/reset")
    }


SCHEMA = """type Query {
  me: User
}

type Mutation {
  login(email: String!): Token
%s}

type User {
  id: ID!
%s}
"""


def test_graphql_operations_named_for_administrators_are_internal() -> None:
    path = "src/schema.graphql"
    admin = "  adminCreateUser(email: String!): User\n"
    assert grown({path: SCHEMA % ("", "")}, {path: SCHEMA % (admin, "")}) == {
        ("added", "MUTATION", "adminCreateUser")
    }
    assert (
        grown({path: SCHEMA % ("", "")}, {path: SCHEMA % ("  createUser(email: String!): User\n", "")})
        == set()
    )
    # a field of a type named so is no operation
    assert grown({path: SCHEMA % ("", "")}, {path: SCHEMA % ("", "  adminNote: String\n")}) == set()


MINIMAL = """public class WebService
{
    void ConfigureRoutes()
    {
        _web.MapGetAndPost("/api/zones/list", _zones.List);
%s    }
}
"""


def test_map_get_and_post_maps_both_methods() -> None:
    found = {(e.method, e.path) for e in extract({"Web/WebService.cs": MINIMAL % ""})}
    assert {("GET", "/api/zones/list"), ("POST", "/api/zones/list")} <= found
    metrics = '        _web.MapGetAndPost("/api/dashboard/metrics/text", _dash.MetricsText);\n'
    assert grown({"Web/WebService.cs": MINIMAL % ""}, {"Web/WebService.cs": MINIMAL % metrics}) == {
        ("added", "GET", "/api/dashboard/metrics/text"),
        ("added", "POST", "/api/dashboard/metrics/text"),
    }


SETTINGS = """REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ("rest_framework.authentication.SessionAuthentication",),
%s}
"""
DEFAULTS = '    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticatedOrReadOnly",),\n'
URLS = """from rest_framework import routers

from . import views

router = routers.SimpleRouter()
router.register(r"notes", views.NoteViewSet)
"""
VIEWS = """from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticatedOrReadOnly


class NoteViewSet(viewsets.ModelViewSet):
%s    queryset = Note.objects.all()
"""
OWN = "    permission_classes = (IsAuthenticatedOrReadOnly,)\n"


def test_a_viewset_without_permission_classes_takes_the_settings_default() -> None:
    base = {"app/settings.py": SETTINGS % "", "api/urls.py": URLS, "api/views.py": VIEWS % OWN}
    # the per-viewset copy moves into the project default: nothing widens
    moved = {"app/settings.py": SETTINGS % DEFAULTS, "api/urls.py": URLS, "api/views.py": VIEWS % ""}
    assert grown(base, moved) == set()
    # dropped with no default to take its place, it widens
    dropped = {"app/settings.py": SETTINGS % "", "api/urls.py": URLS, "api/views.py": VIEWS % ""}
    assert ("widened", "ANY", "/notes") in grown(base, dropped)
