"""Guards and surfaces read from what a route names: view decorators with their arguments, attributes named
for a role, handlers that check the caller inline, packages' URLconfs and engines, configuration keys.
Each snippet is written for its test."""

from __future__ import annotations

from checks.exposure import compare
from tests.exposure_growth import grown as _grown

URLS = "from django.urls import path\nfrom . import views\n\nurlpatterns = [\n    path('', views.index),\n]\n"
VIEWS = "def index(request):\n    return render(request, 'index.html')\n"


def _urls(*extra: str) -> str:
    return URLS.replace("]\n", "".join(f"    {e},\n" for e in extra) + "]\n")


def test_a_view_decorator_naming_a_privileged_group_makes_its_route_internal() -> None:
    base = {"app/urls.py": URLS, "app/views.py": VIEWS}
    guarded = (
        VIEWS + "\n@group_required('admin')\ndef system(request):\n    return render(request, 's.html')\n"
    )
    head = {"app/urls.py": _urls("path('system/', views.system)"), "app/views.py": guarded}
    assert _grown(base, head) == {("added", "ANY", "/system")}
    # The same view for any signed-in user is no internal surface.
    plain = VIEWS + "\n@login_required\ndef system(request):\n    return render(request, 's.html')\n"
    assert _grown(base, {**head, "app/views.py": plain}) == set()


def test_a_route_decorators_path_is_not_a_role() -> None:
    base = {"app.py": "bp = Blueprint('x', __name__)\n"}
    head = {"app.py": base["app.py"] + "\n@bp.route('/make_admin_request')\ndef ask():\n    return ''\n"}
    assert _grown(base, head) == set()


def test_packages_that_serve_operations_surfaces_are_internal_where_included() -> None:
    base = {"site/urls.py": URLS}
    prometheus = _urls("path('', include('django_prometheus.urls'))")
    assert _grown(base, {"site/urls.py": prometheus}) == {("added", "GET", "/metrics")}
    toolbar = _urls("path('__debug__/', include('debug_toolbar.urls'))")
    assert _grown(base, {"site/urls.py": toolbar}) == {("added", "ANY", "/__debug__/**")}
    # A path built in an f-string keeps its placeholder as a parameter.
    fstring = _urls("path(f'prometheus/{settings.PROM_PATH}/', include('django_prometheus.urls'))")
    assert _grown(base, {"site/urls.py": fstring}) == {
        ("added", "GET", "/prometheus/{settings.PROM_PATH}/metrics")
    }
    # An application's own URLconf is a mount, not a surface.
    assert _grown(base, {"site/urls.py": _urls("path('blog/', include('blog.urls'))")}) == set()


def test_admin_compound_segments_are_internal_paths() -> None:
    base = {"app/urls.py": URLS, "app/views.py": VIEWS}
    for route in ("admin-control/", "user_admin/", "admin_tools/x/"):
        head = {"app/urls.py": _urls(f"path('{route}', views.index)"), "app/views.py": VIEWS}
        assert _grown(base, head) == {("added", "ANY", "/" + route.rstrip("/"))}, route
    head = {"app/urls.py": _urls("path('badminton/', views.index)"), "app/views.py": VIEWS}
    assert _grown(base, head) == set()


CONTROLLER = """using Microsoft.AspNetCore.Mvc;
namespace Shop.Controllers
{
    [ApiController]
    [Route("api/v1/[controller]")]
    public class SettingsController : ControllerBase
    {
        [HttpGet("theme")]
        public string Theme() => "dark";
    }
}
"""


def test_an_attribute_named_for_a_role_is_a_privileged_guard() -> None:
    base = {"Controllers/SettingsController.cs": CONTROLLER}
    action = '        [Admin]\n        [HttpPost("revalidate")]\n        public void Revalidate() {}\n'
    head = {"Controllers/SettingsController.cs": CONTROLLER.replace("    }\n}", action + "    }\n}")}
    assert _grown(base, head) == {("added", "POST", "/api/v1/Settings/revalidate")}


def test_a_role_attribute_moved_off_the_class_widens_the_action_left_without_it() -> None:
    two = CONTROLLER.replace("    public class", "    [Admin]\n    public class").replace(
        '        public string Theme() => "dark";\n',
        '        public string Theme() => "dark";\n'
        '        [HttpGet("about")]\n        public string About() => "os";\n',
    )
    moved = two.replace("    [Admin]\n    public class", "    public class").replace(
        '        [HttpGet("theme")]', '        [Admin]\n        [HttpGet("theme")]'
    )
    base = {"Controllers/SettingsController.cs": two}
    head = {"Controllers/SettingsController.cs": moved}
    assert _grown(base, head) == {("widened", "GET", "/api/v1/Settings/about")}


def test_rails_letter_opener_engine_is_a_dashboard() -> None:
    base = {"config/routes.rb": "Rails.application.routes.draw do\n  root 'home#index'\nend\n"}
    head = {
        "config/routes.rb": base["config/routes.rb"].replace(
            "end\n", "  mount LetterOpenerWeb::Engine, at: '/letter_opener'\nend\n"
        )
    }
    assert ("added", "ANY", "/letter_opener/**") in _grown(base, head)
    # mounted for the development environment only: the developer's own server, never deployed
    dev = {"config/routes.rb": head["config/routes.rb"].replace("'\n", "' if Rails.env.development?\n")}
    assert _grown(base, dev) == set()
    # the condition dropped: now served everywhere
    assert ("widened", "ANY", "/letter_opener/**") in _grown(dev, head)


BEEGO = """package routers

import "github.com/beego/beego/v2/server/web"

func init() {
	web.Router("/api/get-account", &controllers.ApiController{}, "GET:GetAccount")
}
"""
HANDLERS = """package controllers

func (c *ApiController) GetAccount() {
	c.ServeJSON()
}
"""


def test_beego_routers_with_method_mappings_and_handlers_that_check_the_role_inline() -> None:
    base = {"routers/router.go": BEEGO, "controllers/account.go": HANDLERS}
    metrics = BEEGO.replace("}\n", '\tweb.Handler("/api/metrics", promhttp.Handler())\n}\n')
    assert _grown(base, {**base, "routers/router.go": metrics}) == {("added", "ANY", "/api/metrics")}
    routed = BEEGO.replace(
        "}\n", '\tweb.Router("/api/get-system-info", &controllers.ApiController{}, "GET:GetSystemInfo")\n}\n'
    )
    checked = HANDLERS + (
        "\nfunc (c *ApiController) GetSystemInfo() {\n\tuser := c.getUser()\n"
        '\tif user == nil || !user.IsGlobalAdmin {\n\t\tc.ResponseError("not authorized")\n\t\treturn\n\t}\n'
        "\tc.ServeJSON()\n}\n"
    )
    head = {"routers/router.go": routed, "controllers/account.go": checked}
    assert _grown(base, head) == {("added", "GET", "/api/get-system-info")}
    # The same route whose handler checks nothing is an ordinary public route.
    assert _grown(base, {**head, "controllers/account.go": HANDLERS}) == set()
    many = BEEGO.replace('"GET:GetAccount"', '"get,post:GetAccount;delete:DropAccount"')
    found = {(f.endpoint.method, f.endpoint.path) for f in compare({}, {"routers/router.go": many}).findings}
    assert found == {
        ("GET", "/api/get-account"),
        ("POST", "/api/get-account"),
        ("DELETE", "/api/get-account"),
    }


def test_an_echo_handler_function_checking_for_an_admin_inline_is_privileged() -> None:
    base = {
        "cmd/handlers.go": 'package main\nfunc routes(g *echo.Group) {\n\tg.GET("/api/items", handleItems)\n}\n'
    }
    route = base["cmd/handlers.go"].replace("}\n", '\tg.GET("/api/about", handleAbout)\n}\n', 1)
    body = "\nfunc handleAbout(c echo.Context) error {\n\tif !isAdmin(c) {\n\t\treturn echo.ErrForbidden\n\t}\n\treturn nil\n}\n"
    assert _grown(base, {"cmd/handlers.go": route + body}) == {("added", "GET", "/api/about")}


def test_a_static_file_tree_under_an_internal_path_is_not_an_api() -> None:
    go = 'package main\nfunc routes(e *echo.Echo) {\n\te.GET("/", index)\n}\n'
    head = go.replace("}\n", '\te.GET("/admin/static/*", echo.WrapHandler(fs))\n}\n')
    assert _grown({"cmd/init.go": go}, {"cmd/init.go": head}) == set()
    api = go.replace("}\n", '\te.GET("/admin/stats/*", stats)\n}\n')
    assert _grown({"cmd/init.go": go}, {"cmd/init.go": api}) == {("added", "GET", "/admin/stats/*")}


def test_spring_actuator_keys_written_dotted_at_the_top_level() -> None:
    base = {"application.yml": "server.port: 8080\nmanagement.security.enabled: false\n"}
    head = {"application.yml": base["application.yml"] + 'management.endpoints.web.exposure.include: "*"\n'}
    assert _grown(base, head) == {("added", "ANY", "/actuator/*")}
    star = {"application.yml": "management:\n  endpoints:\n    web:\n      exposure:\n        include: '*'\n"}
    enabled = {"application.yml": star["application.yml"] + "management.endpoint.chaosmonkey.enabled: true\n"}
    assert _grown(star, enabled) == {("added", "ANY", "/actuator/chaosmonkey")}
    # Switching on an endpoint that web exposure does not publish publishes nothing.
    quiet = {"application.yml": "management.endpoint.shutdown.enabled: true\n"}
    assert _grown({"application.yml": "server.port: 1\n"}, quiet) == set()


FLASK = """from flask import Blueprint
from flask.views import MethodView

management = Blueprint("management", __name__)


class Overview(MethodView):
    decorators = [login_required]

    def get(self):
        return ""


register_view(management, routes=["/"], view_func=Overview.as_view("overview"))
"""


def test_flask_views_registered_through_view_func_with_class_decorators() -> None:
    added = FLASK + (
        "\n\nclass CeleryStatus(MethodView):\n    decorators = [allows.requires(IsAtleastModerator)]\n\n"
        "    def get(self):\n        return ''\n\n\n"
        'register_view(management, routes=["/celerystatus"], view_func=CeleryStatus.as_view("status"))\n'
    )
    assert _grown({"forum/management/views.py": FLASK}, {"forum/management/views.py": added}) == {
        ("added", "ANY", "/celerystatus")
    }
    plain = added.replace("allows.requires(IsAtleastModerator)", "login_required")
    assert _grown({"forum/management/views.py": FLASK}, {"forum/management/views.py": plain}) == set()
    rule = (
        FLASK + '\nmanagement.add_url_rule("/stats", view_func=Overview.as_view("stats"), methods=["GET"])\n'
    )
    found = compare({}, {"forum/management/views.py": rule}).findings
    assert ("GET", "/stats") in {(f.endpoint.method, f.endpoint.path) for f in found}


def test_gorilla_methods_named_by_net_http_constants() -> None:
    go = 'package api\nfunc routes(r *mux.Router) {\n\tr.HandleFunc("/v1/users", h.list).Methods(http.MethodGet)\n}\n'
    found = compare({}, {"api/api.go": go}).findings
    assert {(f.endpoint.method, f.endpoint.path) for f in found} == {("GET", "/v1/users")}


def test_a_router_wrapped_whole_in_authentication_middleware() -> None:
    body = '\tmux := http.NewServeMux()\n\tmux.HandleFunc("GET /v1/users", h.list)\n'
    wrapped = f"package api\nfunc New() http.Handler {{\n{body}\treturn cors(apiKeyAuth(mux))\n}}\n"
    bare = f"package api\nfunc New() http.Handler {{\n{body}\treturn cors(mux)\n}}\n"
    (finding,) = compare({"api/api.go": wrapped}, {"api/api.go": bare}).findings
    assert (finding.change, finding.endpoint.path) == ("widened", "/v1/users")
    assert finding.before is not None and "wrapped in apiKeyAuth" in finding.before.reasons


def test_a_branch_that_first_decides_something_else_is_no_inline_guard() -> None:
    route = 'package api\nfunc routes(g *gin.RouterGroup) {\n\tg.POST("/user", h.CreateUser)\n}\n'
    handler = (
        "package api\nfunc (h *API) CreateUser(c *gin.Context) {\n\tif !caller.Admin {\n"
        "\t\tstatus := http.StatusUnauthorized\n\t\tif !h.Registration {\n\t\t\tc.AbortWithStatus(status)\n"
        "\t\t\treturn\n\t\t}\n\t}\n}\n"
    )
    (finding,) = compare({}, {"api/router.go": route, "api/user.go": handler}).findings
    assert not finding.internal
    refusing = handler.replace(
        "\t\tstatus := http.StatusUnauthorized\n", "\t\tc.AbortWithStatus(http.StatusForbidden)\n"
    )
    (finding,) = compare({}, {"api/router.go": route, "api/user.go": refusing}).findings
    assert finding.internal


def test_go_blank_import_of_pprof_serves_the_profiler() -> None:
    base = (
        'package main\n\nimport (\n\t"net/http"\n)\n\nfunc main() {\n\thttp.ListenAndServe(":6060", nil)\n}\n'
    )
    head = base.replace('\t"net/http"\n', '\t"net/http"\n\t_ "net/http/pprof"\n')
    assert _grown({"cmd/main.go": base}, {"cmd/main.go": head}) == {("added", "GET", "/debug/pprof/**")}


def test_gorilla_methods_written_first_on_a_prefixed_subrouter() -> None:
    go = (
        "package api\nfunc (h *Metrics) RegisterRoutes(router *mux.Router) {\n"
        '\tr := router.PathPrefix("/api/metrics").Subrouter()\n'
        "\tr.Methods(http.MethodGet).HandlerFunc(h.Get)\n}\n"
    )
    assert _grown({}, {"routes/metrics.go": go}) == {("added", "GET", "/api/metrics")}
    path = go.replace(".HandlerFunc(h.Get)", '.Path("/users").HandlerFunc(h.Get)')
    found = {(f.endpoint.method, f.endpoint.path) for f in compare({}, {"routes/metrics.go": path}).findings}
    assert found == {("GET", "/api/metrics/users")}


def test_an_aspnet_action_refusing_all_but_admins_in_its_first_statement() -> None:
    action = (
        '        [HttpDelete("purge")]\n        public async Task<IActionResult> Purge()\n        {\n'
        "            if (!await IsAdmin())\n            {\n                return Forbid();\n            }\n"
        "            return Ok();\n        }\n"
    )
    head = {"Controllers/SettingsController.cs": CONTROLLER.replace("    }\n}", action + "    }\n}")}
    assert _grown({"Controllers/SettingsController.cs": CONTROLLER}, head) == {
        ("added", "DELETE", "/api/v1/Settings/purge")
    }


def test_a_policy_to_modify_the_server_is_privileged() -> None:
    policy = '        [Authorize(Policy = Policies.CanModifyServerSettings)]\n        [HttpPost("reset")]\n'
    head = CONTROLLER.replace("    }\n}", policy + "        public void Reset() {}\n    }\n}")
    base = {"Controllers/SettingsController.cs": CONTROLLER}
    assert _grown(base, {"Controllers/SettingsController.cs": head}) == {
        ("added", "POST", "/api/v1/Settings/reset")
    }


def test_a_document_still_listing_a_route_the_code_removed_widens_nothing() -> None:
    code = (
        'package api\nfunc routes(r *gin.Engine) {\n\tr.DELETE("/signals/:id", auth.Required(), h.del)\n}\n'
    )
    doc = (
        "openapi: 3.0.0\ninfo:\n  title: api\npaths:\n  /signals/{id}:\n"
        "    delete:\n      responses:\n        '200':\n          description: ok\n"
    )
    removed = "package api\nfunc routes(r *gin.Engine) {\n}\n"
    base = {"api/routes.go": code, "docs/openapi.yaml": doc}
    assert _grown(base, {"api/routes.go": removed, "docs/openapi.yaml": doc}) == set()
    # Without the code, the document alone is what declares the route: as before, it is what it says.
    assert _grown({"docs/openapi.yaml": doc}, {"docs/openapi.yaml": doc}) == set()


NEST = """@Controller('workspace')
export class WorkspaceController {
  @Post('members/list')
  async list(@AuthUser() user: User) {
    return this.service.list(user);
  }
}
"""


def test_a_nest_handler_refusing_without_a_manage_ability_in_a_wrapped_condition() -> None:
    handler = (
        "  @Post('members/activate')\n  async activate(@AuthUser() user: User) {\n"
        "    const ability = this.ability.createForUser(user);\n    if (\n"
        "      ability.cannot(WorkspaceCaslAction.Manage, WorkspaceCaslSubject.Member)\n    ) {\n"
        "      throw new ForbiddenException();\n    }\n    return this.service.activate(user);\n  }\n"
    )
    head = NEST.replace("}\n}\n", "}\n\n" + handler + "}\n")
    ctl = "src/workspace/workspace.controller.ts"
    assert _grown({ctl: NEST}, {ctl: head}) == {("added", "POST", "/workspace/members/activate")}


def test_a_next_api_branch_that_returns_unless_the_caller_is_the_administrator() -> None:
    base = (
        "export default async function users(req, res) {\n"
        '  if (req.method === "POST") {\n    return res.status(200).json(await signUp(req.body));\n  }\n}\n'
    )
    head = base.replace(
        "  }\n}\n",
        '  } else if (req.method === "GET") {\n    const user = await verifyUser({ req, res });\n'
        "    if (!user || process.env.ADMINISTRATOR !== user.username) return;\n"
        "    return res.status(200).json(await getUsers());\n  }\n}\n",
    )
    page = "pages/api/v1/users/index.ts"
    assert _grown({page: base}, {page: head}) == {("added", "GET", "/api/v1/users")}


def test_rails_authenticate_block_demanding_a_role() -> None:
    routes = "Rails.application.routes.draw do\n  resources :models\nend\n"
    block = (
        "  authenticate :user, lambda { |u| u.is_moderator? } do\n    namespace :settings do\n"
        "      resources :users, only: [:index]\n    end\n  end\n"
    )
    head = routes.replace("end\n", block + "end\n")
    assert _grown({"config/routes.rb": routes}, {"config/routes.rb": head}) == {
        ("added", "GET", "/settings/users")
    }
    plain = head.replace(", lambda { |u| u.is_moderator? }", "")
    assert _grown({"config/routes.rb": routes}, {"config/routes.rb": plain}) == set()


def test_phoenix_reads_the_production_branch_of_a_dev_only_condition() -> None:
    router = (
        "defmodule AppWeb.Router do\n  use AppWeb, :router\n  if Mix.env() in [:dev] do\n"
        '    scope "/dev" do\n      pipe_through([:browser])\n      live_dashboard("/dashboard")\n    end\n'
        '  else\n    scope "/" do\n      pipe_through([:browser])\n      live_dashboard("/status/dashboard")\n'
        "    end\n  end\nend\n"
    )
    found = {
        (f.endpoint.method, f.endpoint.path) for f in compare({}, {"lib/app_web/router.ex": router}).findings
    }
    assert found == {("GET", "/status/dashboard")}


def test_an_auth_middleware_made_optional_along_its_chain_is_no_guard() -> None:
    go = (
        "package routes\nfunc (h *Leaders) RegisterRoutes(router chi.Router) {\n\trouter.Group(func(r chi.Router) {\n"
        "\t\tr.Use(middlewares.NewAuthenticateMiddleware(h.users).Handler)\n"
        '\t\tr.Get("/compat/v1/leaders", h.Get)\n\t})\n}\n'
    )
    optional = go.replace(".Handler)", '.WithOptionalFor("/").Handler)')
    assert _grown({"routes/leaders.go": go}, {"routes/leaders.go": optional}) == {
        ("widened", "GET", "/compat/v1/leaders")
    }
