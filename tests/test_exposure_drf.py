"""Django REST framework routers, viewsets, actions and permission classes; class-based views' mixins."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown as _grown

URLS = """from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.register(r"notes", NoteViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
]
"""
VIEWS = """class NoteViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated]
"""


def test_a_router_registration_serves_list_and_detail_routes_under_the_include() -> None:
    found = {(e.method, e.path, e.auth) for e in extract({"notes/urls.py": URLS, "notes/views.py": VIEWS})}
    assert found == {("ANY", "/api/notes", "authenticated"), ("ANY", "/api/notes/{pk}", "authenticated")}


def test_a_viewset_for_admins_only_registered_is_internal() -> None:
    base = {"notes/urls.py": URLS, "notes/views.py": VIEWS}
    urls = URLS.replace("NoteViewSet)\n", 'NoteViewSet)\nrouter.register(r"accounts", AccountViewSet)\n')
    views = (
        VIEWS + "\n\nclass AccountViewSet(viewsets.ModelViewSet):\n    permission_classes = [IsAdminUser]\n"
    )
    assert _grown(base, {"notes/urls.py": urls, "notes/views.py": views}) == {
        ("added", "ANY", "/api/accounts"),
        ("added", "ANY", "/api/accounts/{pk}"),
    }


def test_an_action_takes_its_own_permission_classes_or_the_viewsets() -> None:
    views = VIEWS + (
        "\n    @action(detail=True, methods=['post'], url_path='unlock', permission_classes=[IsAdminUser])\n"
        "    def unlock(self, request, pk=None):\n        return Response()\n\n"
        "    @action(detail=False)\n    def recent(self, request):\n        return Response()\n"
    )
    base = {"notes/urls.py": URLS, "notes/views.py": VIEWS}
    assert _grown(base, {"notes/urls.py": URLS, "notes/views.py": views}) == {
        ("added", "POST", "/api/notes/{pk}/unlock")
    }
    found = {(e.method, e.path, e.auth) for e in extract({"notes/urls.py": URLS, "notes/views.py": views})}
    assert ("GET", "/api/notes/recent", "authenticated") in found


def test_allow_any_on_an_action_drops_the_viewsets_guard() -> None:
    views = VIEWS + (
        "\n    @action(detail=False, permission_classes=[AllowAny])\n"
        "    def public(self, request):\n        return Response()\n"
    )
    found = {(e.method, e.path, e.auth) for e in extract({"notes/urls.py": URLS, "notes/views.py": views})}
    assert ("GET", "/api/notes/public", "unknown") in found


def test_a_class_view_with_a_staff_mixin_is_internal() -> None:
    urls = "from . import views\nurlpatterns = [\n    path('', views.Home.as_view()),\n]\n"
    views = "class Home(TemplateView):\n    template_name = 'home.html'\n"
    head_urls = urls.replace("]\n", "    path('settings/', views.SettingsUpdate.as_view()),\n]\n")
    head_views = views + "\n\nclass SettingsUpdate(StaffOnlyMixin, UpdateView):\n    fields = ['name']\n"
    base = {"app/urls.py": urls, "app/views.py": views}
    assert _grown(base, {"app/urls.py": head_urls, "app/views.py": head_views}) == {
        ("added", "ANY", "/settings")
    }
    login_only = head_views.replace("StaffOnlyMixin", "LoginRequiredMixin")
    assert _grown(base, {"app/urls.py": head_urls, "app/views.py": login_only}) == set()
