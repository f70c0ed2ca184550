"""Routes only a privileged role reaches, in each framework's idiom; minimal snippets written for this test."""

from __future__ import annotations

from checks.exposure.extract import unresolved_guards
from tests.exposure_growth import grown as _grown

NEST = """import { Controller, Get, UseGuards } from '@nestjs/common';

@Controller('shop')
export class ShopController {
  @Get('items')
  @UseGuards(SessionGuard)
  items() {
    return [];
  }
}
"""


def test_nest_second_guard_naming_a_privileged_role_makes_the_route_internal() -> None:
    both = NEST.replace(
        "}\n}\n",
        "}\n\n  @Get('config')\n  @UseGuards(SessionGuard, OwnerAdminGuard)\n  config() {\n    return {};\n  }\n}\n",
    )
    assert _grown({"src/shop.controller.ts": NEST}, {"src/shop.controller.ts": both}) == {
        ("added", "GET", "/shop/config")
    }
    plain = both.replace("SessionGuard, OwnerAdminGuard", "SessionGuard, RateLimitGuard")
    assert _grown({"src/shop.controller.ts": NEST}, {"src/shop.controller.ts": plain}) == set()


RAILS_ROUTES = 'Rails.application.routes.draw do\n  get "home", to: "pages#home"\nend\n'


def test_rails_ops_engine_mount_is_internal_wherever_mounted() -> None:
    base = {"config/routes.rb": RAILS_ROUTES}
    for mount in (
        'mount GoodJob::Engine => "jobs"',
        "mount Sidekiq::Web, at: '/queues'",
        'mount Flipper::UI.app(Flipper) => "/flags"',
        'mount RailsPulse::Engine => "/rails_pulse"',
    ):
        head = {"config/routes.rb": RAILS_ROUTES.replace("end\n", f"  {mount}\nend\n")}
        assert {m for _, m, _ in _grown(base, head)} == {"ANY"}, mount
    blog = {"config/routes.rb": RAILS_ROUTES.replace("end\n", '  mount Blog::Engine => "/blog"\nend\n')}
    assert _grown(base, blog) == set()


DJANGO_URLS = (
    "from django.urls import path, re_path\nfrom shop.views import HomeView, PanelView\n"
    "urlpatterns = [\n    path('home/', HomeView.as_view()),\n]\n"
)
DJANGO_VIEWS = "class HomeView(APIView):\n    def get(self, request):\n        return Response({})\n"
PANEL = """

class PanelView(APIView):
    permission_classes = (IsAuthenticated,)

    def get(self, request):
        if not request.user.%s:
            return HttpResponseForbidden("no")
        return Response({"queue": 3})
"""


def test_django_class_view_refusing_all_but_privileged_users_is_internal() -> None:
    base = {"shop/urls.py": DJANGO_URLS, "shop/views.py": DJANGO_VIEWS}
    urls = DJANGO_URLS.replace("]\n", "    re_path('^panel/', PanelView.as_view()),\n]\n")
    for check in ('has_perm("admin.view_logentry")', "is_superuser", "is_staff"):
        head = {"shop/urls.py": urls, "shop/views.py": DJANGO_VIEWS + PANEL % check}
        assert _grown(base, head) == {("added", "ANY", "/panel")}, check
    own = {"shop/urls.py": urls, "shop/views.py": DJANGO_VIEWS + PANEL % 'has_perm("shop.view_order")'}
    assert _grown(base, own) == set()
    open_post = PANEL % "is_superuser" + "\n    def post(self, request):\n        return Response({})\n"
    assert _grown(base, {"shop/urls.py": urls, "shop/views.py": DJANGO_VIEWS + open_post}) == set()


ASP_BASE = (
    '[ApiController]\n[Route("api/[controller]")]\n[Authorize]\n'
    "public class SecuredBase : ControllerBase\n{\n}\n"
)
ASP_COVERS = """public class CoversController : SecuredBase
{
    [HttpGet("cover")]
    public IActionResult Cover() => Ok();

    [HttpGet("thumb")]
    public IActionResult Thumb() => Ok();
}
"""


def test_aspnet_allow_anonymous_drops_authorize_inherited_from_a_base_in_another_file() -> None:
    base = {"Api/SecuredBase.cs": ASP_BASE, "Api/CoversController.cs": ASP_COVERS}
    whole = ASP_COVERS.replace("public class", "[AllowAnonymous]\npublic class")
    # (The base's route prefix is not carried over: both sides read the same paths.)
    grown = _grown(base, {**base, "Api/CoversController.cs": whole})
    assert {(c, p.rsplit("/", 1)[-1]) for c, _, p in grown} == {("widened", "cover"), ("widened", "thumb")}
    one = ASP_COVERS.replace('    [HttpGet("thumb")]\n', '    [HttpGet("thumb")]\n    [AllowAnonymous]\n')
    grown = _grown(base, {**base, "Api/CoversController.cs": one})
    assert {(c, p.rsplit("/", 1)[-1]) for c, _, p in grown} == {("widened", "thumb")}
    assert _grown(base, {**base, "Api/SecuredBase.cs": ASP_BASE.replace("[Authorize]\n", "")}) == {
        ("widened", "GET", "/cover"),
        ("widened", "GET", "/thumb"),
    }
    changed_only = {"Api/CoversController.cs": ASP_COVERS}
    assert unresolved_guards(changed_only) == ["class SecuredBase"]


PHX_ROUTER = """defmodule ShopWeb.Router do
  use ShopWeb, :router

  scope "/", ShopWeb do
    get "/", PageController, :index
  end
end
"""
PHX_MACRO = """defmodule ShopWeb.Jobs do
  defmacro __using__(_opts) do
    quote do
      import Oban.Web.Router

      scope "/ops" do
        pipe_through [:browser]
        oban_dashboard("/jobs")
      end
    end
  end
end
"""


def test_phoenix_dashboard_mounted_by_a_macro_module_the_router_uses() -> None:
    base = {"lib/shop_web/router.ex": PHX_ROUTER}
    router = PHX_ROUTER.replace(":router\n", ":router\n  use ShopWeb.Jobs\n")
    head = {"lib/shop_web/router.ex": router, "lib/shop_web/jobs.ex": PHX_MACRO}
    assert _grown(base, head) == {("added", "GET", "/ops/jobs")}
    plain = PHX_MACRO.replace('oban_dashboard("/jobs")', 'get "/jobs", JobController, :index')
    assert _grown(base, {**head, "lib/shop_web/jobs.ex": plain}) == set()


def test_go_group_bound_to_superuser_middleware_with_bind_is_internal() -> None:
    base = {"apis/base.go": 'package apis\nfunc bind(rg *router.RouterGroup) {\n\trg.GET("/health", h)\n}\n'}
    chained = (
        "package apis\nfunc bindJobs(rg *router.RouterGroup) {\n"
        '\tsub := rg.Group("/tasks").Bind(RequireSuperuserAuth())\n'
        '\tsub.GET("", list)\n\tsub.POST("/{id}", run)\n}\n'
    )
    assert _grown(base, {**base, "apis/tasks.go": chained}) == {
        ("added", "GET", "/tasks"),
        ("added", "POST", "/tasks/{id}"),
    }
    separate = chained.replace(
        ".Bind(RequireSuperuserAuth())\n", "\n\tsub.BindFunc(RequireSuperuserAuth())\n"
    )
    assert _grown(base, {**base, "apis/tasks.go": separate}) == {
        ("added", "GET", "/tasks"),
        ("added", "POST", "/tasks/{id}"),
    }
    plain = chained.replace("RequireSuperuserAuth", "RequireAuth")
    assert _grown(base, {**base, "apis/tasks.go": plain}) == set()


def test_go_grpc_server_registering_an_internal_service_grows_exposure() -> None:
    serve = "package frontend\nfunc (s *Service) Start() {\n\tworkflowservice.RegisterWorkflowServiceServer(s.server, s.h)\n%s}\n"
    base = {"service/frontend/service.go": serve % ""}
    operator = {
        "service/frontend/service.go": serve
        % "\toperatorservice.RegisterOperatorServiceServer(s.server, s.op)\n"
    }
    assert _grown(base, operator) == {("added", "RPC", "operatorservice.OperatorService/*")}
    public = {
        "service/frontend/service.go": serve % "\tbillingpb.RegisterBillingServiceServer(s.server, s.b)\n"
    }
    assert _grown(base, public) == set()


DIAG = """public sealed class ReportsController : ApiController
{
    [HttpGet]
    [Route("reports/ping")]
    public IActionResult Ping() => Ok();
%s}
"""


def test_aspnet_project_permission_attribute_naming_admin_is_internal() -> None:
    base = {"src/ReportsController.cs": DIAG % ""}
    dump = '\n    [HttpGet]\n    [Route("reports/dump")]\n    [ApiPermission(PermissionIds.Admin)]\n    public IActionResult Dump() => Ok();\n'
    assert _grown(base, {"src/ReportsController.cs": DIAG % dump}) == {("added", "GET", "/reports/dump")}
    plain = dump.replace("PermissionIds.Admin", "PermissionIds.AppContents")
    assert _grown(base, {"src/ReportsController.cs": DIAG % plain}) == set()


PHX_ROUTER = """defmodule ShopWeb.Router do
  use ShopWeb, :router

  scope "/", ShopWeb do
    pipe_through :browser
    get "/", PageController, :index
%s  end
end
"""


def test_phoenix_forward_to_an_operations_ui_is_a_dashboard() -> None:
    base = {"lib/shop_web/router.ex": PHX_ROUTER % ""}
    flags = {
        "lib/shop_web/router.ex": PHX_ROUTER
        % '    forward "/feature-flags", FunWithFlags.UI.Router, namespace: "feature-flags"\n'
    }
    assert _grown(base, flags) == {("added", "ANY", "/feature-flags/**")}
    api = {"lib/shop_web/router.ex": PHX_ROUTER % '    forward "/api", ShopWeb.ApiRouter\n'}
    assert _grown(base, api) == set()
