"""Issue 14: idioms read from set AC's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure.tornado import path_of
from tests.exposure_growth import grown

CONTROLLER = """namespace Shop.Areas.Admin.Controllers
{
    [Area("Admin")]
    [Authorize(Roles = "Administrators")]
    public class OrdersController : Controller
    {
        public IActionResult List() { return View(); }
%s    }
}
"""


def test_conventional_mvc_actions_are_routed_by_area_controller_and_action() -> None:
    path = "Areas/Admin/Controllers/OrdersController.cs"
    action = "        public async Task<IActionResult> Export(int id) { return File(); }\n"
    assert grown({path: CONTROLLER % ""}, {path: CONTROLLER % action}) == {
        ("added", "ANY", "/admin/orders/export")
    }
    # a helper that is no action: not public, static, [NonAction], or returning no action result
    for helper in (
        "        private IActionResult Export() { return View(); }\n",
        "        public static IActionResult Export() { return View(); }\n",
        "        [NonAction]\n        public IActionResult Export() { return View(); }\n",
        "        public int Count() { return 0; }\n",
    ):
        assert grown({path: CONTROLLER % ""}, {path: CONTROLLER % helper}) == set(), helper
    # a verb attribute without a template keeps the conventional path
    post = "        [HttpPost]\n        public IActionResult Delete(int id) { return View(); }\n"
    assert grown({path: CONTROLLER % ""}, {path: CONTROLLER % post}) == {
        ("added", "POST", "/admin/orders/delete")
    }


PUBLIC_CONTROLLER = """public class CatalogController : Controller
{
    public IActionResult Category(int id) { return View(); }
%s}
"""


def test_a_public_conventional_action_is_no_growth() -> None:
    path = "Controllers/CatalogController.cs"
    action = "    public IActionResult Search(string q) { return View(); }\n"
    assert grown({path: PUBLIC_CONTROLLER % ""}, {path: PUBLIC_CONTROLLER % action}) == set()


TORNADO = """from tornado import web

from ..utils import admin_only
from .base import APIHandler


class StatusAPIHandler(APIHandler):
    def get(self):
        self.write("ok")

%s
default_handlers = [
    (r"/api/status", StatusAPIHandler),
%s]
"""

SHUTDOWN = """class ShutdownAPIHandler(APIHandler):
    @admin_only
    def post(self):
        self.finish()
"""


def test_tornado_handler_tables_route_their_classes_with_the_methods_guards() -> None:
    path = "hub/apihandlers/hub.py"
    before = TORNADO % ("", "")
    after = TORNADO % (SHUTDOWN, '    (r"/api/shutdown", ShutdownAPIHandler),\n')
    assert grown({path: before}, {path: after}) == {("added", "ANY", "/api/shutdown")}
    # an admin-only handler at a path nobody would call internal is still internal: only admins may call it
    renamed = after.replace("/api/shutdown", "/api/halt")
    assert grown({path: before}, {path: renamed}) == {("added", "ANY", "/api/halt")}
    # a plain public handler is no growth
    public = after.replace("    @admin_only\n", "").replace("/api/shutdown", "/api/halt")
    assert grown({path: before}, {path: public}) == set()


WHOAMI = """from tornado import web


class SelfAPIHandler(APIHandler):
    %s
    def get(self):
        user = self.get_current_user()
%s        self.write(user.name)


class UsersAPIHandler(APIHandler):
    @web.authenticated
    def get(self):
        self.write("[]")


default_handlers = [
    (r"/api/user", SelfAPIHandler),
    (r"/api/users", UsersAPIHandler),
]
"""


def test_a_tornado_handler_that_refuses_anonymous_callers_itself_keeps_its_guard() -> None:
    path = "hub/apihandlers/users.py"
    decorated = WHOAMI % ("@web.authenticated", "")
    inline = WHOAMI % ("", "        if user is None:\n            raise web.HTTPError(403)\n")
    bare = WHOAMI % ("", "")
    assert grown({path: decorated}, {path: inline}) == set()
    assert grown({path: decorated}, {path: bare}) == {("widened", "ANY", "/api/user")}


def test_tornado_url_patterns_read_as_paths() -> None:
    assert path_of(r"/api/users/([^/]+)/server") == "/api/users/{param}/server"
    assert path_of(r"^/api/groups/(?P<name>[^/]+)/?$") == "/api/groups/{name}"
    assert path_of(r"/static/(.*)") == "/static/{param}"


ROUTER = """package handlers

func Router() *mux.Router {
	r := mux.NewRouter()
	if authUser != "" && authPass != "" {
		r.Use(basicAuthHandler)
	}
	r.Handle("/api/login", http.HandlerFunc(apiLoginHandler)).Methods("POST")
	r.Handle("/api/users", authenticated(apiAllUsersHandler, false)).Methods("GET")
	r.Handle("/api/users/{id}", authenticated(apiUserHandler, false)).Methods("GET")
%s	return r
}
"""


def test_a_bare_route_beside_its_resources_guarded_routes_is_growth() -> None:
    path = "handlers/routes.go"
    added = '\tr.Handle("/api/users/token", http.HandlerFunc(apiCheckUserTokenHandler)).Methods("POST")\n'
    assert grown({path: ROUTER % ""}, {path: ROUTER % added}) == {("added", "POST", "/api/users/token")}
    # the steps of signing in answer strangers wherever they sit
    signup = '\tr.Handle("/api/users/register", http.HandlerFunc(apiRegisterHandler)).Methods("POST")\n'
    assert grown({path: ROUTER % ""}, {path: ROUTER % signup}) == set()
    # guarded like its resource: no growth
    guarded = '\tr.Handle("/api/users/token", authenticated(apiTokenHandler, false)).Methods("POST")\n'
    assert grown({path: ROUTER % ""}, {path: ROUTER % guarded}) == set()


def test_middleware_used_only_under_a_condition_guards_no_route() -> None:
    path = "handlers/routes.go"
    wrapped = '\tr.Handle("/api/logout", authenticated(logoutHandler, false))\n'
    bare = '\tr.Handle("/api/logout", http.HandlerFunc(logoutHandler))\n'
    assert grown({path: ROUTER % wrapped}, {path: ROUTER % bare}) == {("widened", "ANY", "/api/logout")}
    # the same middleware used unconditionally guards every route after it
    always = (ROUTER % wrapped).replace(
        '\tif authUser != "" && authPass != "" {\n\t\tr.Use(basicAuthHandler)\n\t}\n',
        "\tr.Use(basicAuthHandler)\n",
    )
    assert grown({path: always}, {path: always.replace(wrapped, bare)}) == set()


ACTIX = """impl Server {
    pub fn get_alerts_webscope() -> Scope {
        web::scope("/alerts")
            .service(
                web::resource("")
                    .route(web::get().to(alerts::list).authorize(Action::GetAlert))
                    .route(web::post().to(alerts::post)%s),
            )
    }
}
"""


def test_an_actix_method_route_keeps_the_guard_chained_on_it() -> None:
    path = "src/handlers/http/modal/server.rs"
    guarded = ACTIX % ".authorize(Action::PutAlert)"
    assert grown({path: guarded}, {path: ACTIX % ""}) == {("widened", "POST", "/alerts")}
    assert grown({path: ACTIX % ""}, {path: guarded}) == set()


VIEWSET = """from rest_framework import viewsets


class LanguageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LanguageSerializer
%s
"""
URLS = """from rest_framework.routers import DefaultRouter

router = DefaultRouter()
router.register(r"languages", LanguageViewSet, basename="language")
"""


def test_a_viewset_that_empties_its_permission_classes_opens_its_routes() -> None:
    views, urls = "kobo/apps/languages/views.py", "kobo/apps/languages/urls.py"
    before = {views: VIEWSET % "", urls: URLS}
    for opened in ("    permission_classes = []\n", "    permission_classes = (AllowAny,)\n"):
        assert grown(before, {views: VIEWSET % opened, urls: URLS}) == {
            ("widened", "ANY", "/languages"),
            ("widened", "ANY", "/languages/{pk}"),
        }
    guarded = "    permission_classes = [IsAuthenticated]\n"
    assert grown(before, {views: VIEWSET % guarded, urls: URLS}) == set()


def test_a_project_router_class_registers_viewsets_and_doc_decorators_guard_nothing() -> None:
    views, urls = "kpi/views/user_reports.py", "kpi/urls/router_api_v2.py"
    router = "router_api_v2 = OpenRosaCompatibleExtendedRouter()\n%s"
    view = (
        "@extend_schema(tags=['Server logs (superusers)'])\n"
        "@extend_schema_view(list=extend_schema(responses=ok(require_auth=False)))\n"
        "class UserReportsViewSet(viewsets.GenericViewSet):\n"
        "    permission_classes = (IsAuthenticated, %s)\n"
    )
    registered = "router_api_v2.register(r'user-reports', UserReportsViewSet)\n"
    before = {urls: router % ""}
    assert grown(before, {urls: router % registered, views: view % "SuperUserPermission"}) == {
        ("added", "ANY", "/user-reports"),
        ("added", "ANY", "/user-reports/{pk}"),
    }
    # the same viewset for any signed-in user: its schema tags and keyword names are no guard
    assert grown(before, {urls: router % registered, views: view % "IsOwner"}) == set()


ROUTES_YAML = """admin_users:
    controller: App\\\\Controller\\\\Admin\\\\AdminUsersController::index
    path: /admin/users
    methods: [GET]

front:
    controller: App\\\\Controller\\\\FrontController::front
    defaults: { sortBy: !php/const App\\\\Repository\\\\Criteria::SORT_DEFAULT }
    path: /
    methods: [GET]
%s"""
SIGNUPS = """<?php

namespace App\\Controller\\Admin;

class AdminSignupRequestsController extends AbstractController
{
    #[IsGranted(%s)]
    public function requests(): Response
    {
        return $this->render('admin/signup_requests.html.twig');
    }
}
"""


def test_symfony_routes_declared_in_yaml_meet_their_controllers_guards() -> None:
    routes = "config/routes/admin.yaml"
    controller = "src/Controller/Admin/AdminSignupRequestsController.php"
    entry = (
        "\nadmin_signup_requests:\n"
        "    controller: App\\\\Controller\\\\Admin\\\\AdminSignupRequestsController::requests\n"
        "    path: /admin/signup_requests\n"
        "    methods: [GET]\n"
    )
    admin_only = SIGNUPS % "'ROLE_ADMIN'"
    assert grown({routes: ROUTES_YAML % ""}, {routes: ROUTES_YAML % entry, controller: admin_only}) == {
        ("added", "GET", "/admin/signup_requests")
    }
    # an expression admitting a second role accepts more than the role alone
    either = SIGNUPS % 'new Expression(\'is_granted("ROLE_ADMIN") or is_granted("ROLE_MODERATOR")\')'
    before = {routes: ROUTES_YAML % entry, controller: admin_only}
    assert grown(before, {routes: ROUTES_YAML % entry, controller: either}) == {
        ("widened", "GET", "/admin/signup_requests")
    }
    assert grown(before, before) == set()


SERVER = """package api

func RunServer() {
	m := apiRouter.NewRouter()
	m.Add("1.0", "Get", "/apps", AuthorizationRequiredHandler(appList))
	m.Add("1.0", "Post", "/auth/login", Handler(login))
%s}
"""


def test_a_go_router_taking_the_method_as_an_argument() -> None:
    path = "api/server.go"
    added = '\tm.Add("1.9", "Get", "/debug/fgprof", AuthorizationRequiredHandler(debugHandlerInt(fgprof.Handler())))\n'
    assert grown({path: SERVER % ""}, {path: SERVER % added}) == {("added", "GET", "/debug/fgprof")}
    public = '\tm.Add("1.0", "Get", "/healthcheck", Handler(healthcheck))\n'
    assert grown({path: SERVER % ""}, {path: SERVER % public}) == set()


ROUTES_PY = """def includeme(config):
    config.add_route("index", "/")
    config.add_route("api.annotation.reindex", "/api/annotations/{id:[A-Za-z0-9_-]{20,22}}/reindex")
%s"""
VIEWS_PY = """from pyramid.view import view_config


@view_config(route_name="api.annotation.reindex", request_method="POST"%s)
def reindex(context, request):
    return {}
%s"""
ADMIN_VIEW = """

@view_config(route_name="admin.mailer.preview", request_method="GET", permission=Permission.AdminPage.LOW_RISK)
def preview(request):
    return {}
"""


def test_pyramid_routes_meet_their_views_permissions_across_files() -> None:
    routes, views = "h/routes.py", "h/views/api/annotations.py"
    guarded = VIEWS_PY % (", permission=Permission.Annotation.UPDATE", "")
    base = {routes: ROUTES_PY % "", views: guarded}
    assert grown(base, {routes: ROUTES_PY % "", views: VIEWS_PY % ("", "")}) == {
        ("widened", "ANY", "/api/annotations/{id}/reindex")
    }
    admin_route = '    config.add_route("admin.mailer.preview", "/admin/mailer/preview")\n'
    assert grown(
        base,
        {
            routes: ROUTES_PY % admin_route,
            views: VIEWS_PY % (", permission=Permission.Annotation.UPDATE", ADMIN_VIEW),
        },
    ) == {("added", "ANY", "/admin/mailer/preview")}
    # aiohttp's add_route names a method first: a path, never a route name
    aiohttp = "from aiohttp import web\n\napp.router.add_route('GET', '/status', status)\n"
    assert grown({"app.py": "from aiohttp import web\n"}, {"app.py": aiohttp}) == set()


def test_dockerflow_metrics_paths_read_as_their_name() -> None:
    path = "kinto/plugins/prometheus.py"
    base = 'def includeme(config):\n    config.add_route("hello", "/")\n'
    metrics = base + '    config.add_route("prometheus_metrics", "/__metrics__")\n'
    heartbeat = base + '    config.add_route("heartbeat", "/__heartbeat__")\n'
    assert grown({path: base}, {path: metrics}) == {("added", "ANY", "/__metrics__")}
    assert grown({path: base}, {path: heartbeat}) == set()


CONTROLLER_JAVA = """@RestController
@RequestMapping("/backend/v1/resource")
public class ResourceController {
    %s
    @DeleteMapping("/{id}")
    public JsonResponse destroy(@PathVariable Integer id) { return JsonResponse.success(); }
}
"""


def test_a_projects_own_permission_annotation_guards_its_method() -> None:
    path = "src/main/java/app/controller/backend/ResourceController.java"
    for annotation in (
        "@BackendPermissionMiddleware(slug = BPermissionConstant.RESOURCE_DESTROY)",
        '@SaCheckPermission("resource:destroy")',
        "@SaCheckLogin",
    ):
        assert grown({path: CONTROLLER_JAVA % annotation}, {path: CONTROLLER_JAVA % ""}) == {
            ("widened", "DELETE", "/backend/v1/resource/{id}")
        }, annotation


def test_admin_or_someone_else_is_no_privileged_role() -> None:
    from checks.exposure.roles import privileged_role

    assert privileged_role("isAdminOrHasConfigMinRole") is None
    assert privileged_role("IsAdminOrOwner") is None
    assert privileged_role("is_admin_or_superuser") == "admin"
    assert privileged_role('middleware isAdminOrHasConfigMinRole("min_role_edit_views")') is None
    assert privileged_role("authorization:roles:create") is not None
    path = "routes/viewedit.js"
    route = 'router.get("/edit/:viewname", %s, error_catcher(async (req, res) => {}));\n'
    assert grown(
        {path: route % "isAdmin"}, {path: route % 'isAdminOrHasConfigMinRole("min_role_edit_views")'}
    ) == {("widened", "GET", "/edit/{viewname}")}
