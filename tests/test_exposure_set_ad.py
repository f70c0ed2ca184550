"""Issue 14: idioms read from set AD's misses and false blocks (after its blind run), each as a minimal snippet
written here."""

from __future__ import annotations

from tests.exposure_growth import grown

USERS = """@Controller('users')
@OnlyIdentity(IdentityRole.Admin)
export class UserController {
  @Get()
  getUsers() {
    return [];
  }
%s}
"""


def test_a_class_decorator_naming_a_privileged_role_by_enum_member_guards_every_route() -> None:
    path = "src/modules/user/user.controller.ts"
    added = "  @Delete(':id/identities/:provider')\n  deleteIdentity() {\n    return {};\n  }\n"
    assert grown({path: USERS % ""}, {path: USERS % added}) == {
        ("added", "DELETE", "/users/{id}/identities/{provider}")
    }
    # a path or a document tag naming admin is no guard
    tagged = USERS.replace("@OnlyIdentity(IdentityRole.Admin)", "@ApiTags('admin')")
    assert grown({path: tagged % ""}, {path: tagged % added}) == set()


COMMENTS = """@Controller('comment')
export class CommentController {
  @Get()
  @UseGuards(AdminMaybeGuard)
  getComments() {
    return [];
  }
%s}
"""


def test_an_optional_admin_guard_is_no_privileged_role() -> None:
    path = "src/modules/comment/comment.controller.ts"
    added = "  @Get('calendar')\n  @UseGuards(AdminMaybeGuard)\n  getCalendar() {\n    return [];\n  }\n"
    assert grown({path: COMMENTS % ""}, {path: COMMENTS % added}) == set()
    admin = added.replace("AdminMaybeGuard", "AdminOnlyGuard")
    assert grown({path: COMMENTS % ""}, {path: COMMENTS % admin}) == {("added", "GET", "/comment/calendar")}


AUTH = """@RestController
@RequestMapping("/api/v1/auth")
public class AuthController {
    @%s("/login")
    public Result login() { return Result.ok(); }

    @%s("/logout")
    public Result logout() { return Result.ok(); }
}
"""


def test_declaring_a_sign_in_step_anonymous_widens_nothing_but_an_anonymous_sign_out_does() -> None:
    path = "src/main/java/app/auth/AuthController.java"
    base = {path: AUTH % ("PostMapping", "DeleteMapping")}
    assert grown(base, {path: AUTH % ("AnonymousPostMapping", "DeleteMapping")}) == set()
    assert grown(base, {path: AUTH % ("PostMapping", "AnonymousDeleteMapping")}) == {
        ("widened", "DELETE", "/api/v1/auth/logout")
    }


URLS = """from django.urls import path
from . import views

urlpatterns = [
    path("metrics/", %s, name="metrics"),
]
"""
VIEWS = """from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


def metrics_view(request):
    return HttpResponse(generate_latest())


class MetricsView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return HttpResponse(generate_latest())
"""


def test_a_new_view_declaring_an_open_path_open_widens_nothing() -> None:
    urls, views = "app/urls.py", "app/views.py"
    before = {urls: URLS % "views.metrics_view", views: VIEWS}
    after = {urls: URLS % "views.MetricsView.as_view()", views: VIEWS}
    assert grown(before, after) == set()


def test_lifecycle_endpoints_and_admin_applications_are_internal() -> None:
    api = "api.go"
    router = (
        'package api\n\nfunc (api *API) Register(r *route.Router) {\n\tr.Get("/-/healthy", healthy)\n%s}\n'
    )
    reload = '\tr.Post("/-/reload", api.reload)\n'
    assert grown({api: router % ""}, {api: router % reload}) == {("added", "POST", "/-/reload")}
    ready = '\tr.Get("/-/ready", ready)\n'
    assert grown({api: router % ""}, {api: router % ready}) == set()
    admin_app = "apps/shop_admin/lib/shop_admin_web/router.ex"
    scope = 'defmodule ShopAdminWeb.Router do\n  use ShopAdminWeb, :router\n\n  scope "/api", ShopAdminWeb do\n    get "/keys", KeyController, :index\n%s  end\nend\n'
    rotate = '    post "/keys/:id/rotate", KeyController, :rotate\n'
    assert grown({admin_app: scope % ""}, {admin_app: scope % rotate}) == {
        ("added", "POST", "/api/keys/{id}/rotate")
    }


EXPORT = """@RestController
@RequestMapping(value = ["/v2/administration/projects/{projectId:\\\\d+}"])
class ProjectExportController {
%s}
"""


def test_kotlin_mapping_arrays_and_super_authentication() -> None:
    path = "backend/api/src/main/kotlin/app/controllers/administration/ProjectExportController.kt"
    added = (
        '  @GetMapping(value = ["/export"])\n  @RequiresSuperAuthentication\n  fun export(): String = ""\n'
    )
    assert grown({path: EXPORT % ""}, {path: EXPORT % added}) == {
        ("added", "GET", "/v2/administration/projects/{projectId}/export")
    }
    plain = '  @GetMapping(value = ["/export"])\n  @RequiresProjectPermissions([Scope.EXPORT])\n  fun export(): String = ""\n'
    assert grown({path: EXPORT % ""}, {path: EXPORT % plain}) == set()


def test_review_bounds_on_the_new_readers() -> None:
    """A client's request is no route; actix's routing guard is no auth; role declarations are no guard;
    an unclosed decorator repeated cannot make the NestJS reader backtrack."""
    client = 'package c\n\nfunc get() {\n\treq, _ := http.NewRequest("GET", "/api/v1/users", nil)\n%s}\n'
    assert grown({"c/client.go": client % ""}, {"c/client.go": client % "\t_ = req\n"}) == set()
    actix = """pub fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(web::scope("/api").service(web::resource("/upload").route(web::post().to(upload)%s)));
}
"""
    header = '.guard(guard::Header("content-type", "text/plain"))'
    assert grown({"src/routes.rs": actix % ""}, {"src/routes.rs": actix % header}) == set()
    assert grown({"src/routes.rs": actix % header}, {"src/routes.rs": actix % ""}) == set()
    declared = '@RestController\n@DeclareRoles({"admin"})\npublic class Ping {\n    @GetMapping("/ping")\n    public String ping() { return "ok"; }\n}\n'
    undeclared = declared.replace('@DeclareRoles({"admin"})\n', "")
    assert grown({"src/Ping.java": declared}, {"src/Ping.java": undeclared}) == set()
    hostile = "@Controller('x')\nexport class A {\n" + ("@X(" + "aRole." * 40 + "\n") * 200 + "}\n"
    from checks.exposure.extract import routes_by_file

    assert routes_by_file({"src/x.controller.ts": hostile})[0][1].routes == []
