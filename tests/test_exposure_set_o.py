"""Issue 14: idioms read from set O's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from tests.exposure_growth import grown

RAILS = """Rails.application.routes.draw do
  namespace :admin do
    resources :users do
      collection do
        match :auto_complete, via: %s
      end
    end
  end
end
"""


def test_a_rails_via_list_written_as_a_percent_literal_keeps_its_methods() -> None:
    path = "config/routes.rb"
    base = {path: RAILS % "[:get, :post]"}
    assert grown(base, {path: RAILS % "%i[get post]"}) == set()
    assert grown(base, {path: RAILS % "%i[get post put]"}) == {("added", "PUT", "/admin/users/auto_complete")}


def _package_router(name: str, routes: str) -> str:
    return f'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/{name}")\n\n{routes}'


ORGS = '@router.get("")\ndef list_orgs(role: SuperuserRole):\n    return []\n'
REGISTRY = '@router.get("/status")\ndef status(role: SuperuserRole):\n    return {}\n'
EE_ADMIN = """from fastapi import APIRouter

from ee.admin.organizations.router import router as organizations_router
%s
router = APIRouter(prefix="/admin")
router.include_router(organizations_router)
%s"""
APP = """from fastapi import FastAPI

from ee.admin.router import router as admin_router
%s
app = FastAPI()
app.include_router(admin_router)
%s"""


def test_routers_of_modules_named_alike_keep_their_own_prefixes() -> None:
    """Every package's `router.py` declares `router`: each is its own router, so a router moved from one
    package to another under the same prefix moves nothing."""
    base = {
        "ee/admin/organizations/router.py": _package_router("organizations", ORGS),
        "ee/admin/registry/router.py": _package_router("registry", REGISTRY),
        "ee/admin/router.py": EE_ADMIN
        % (
            "from ee.admin.registry.router import router as registry_router\n",
            "router.include_router(registry_router)\n",
        ),
        "core/api/app.py": APP % ("", ""),
    }
    head = {
        "ee/admin/organizations/router.py": _package_router("organizations", ORGS),
        "core/admin/registry/router.py": _package_router("registry", REGISTRY),
        "ee/admin/router.py": EE_ADMIN % ("", ""),
        "core/api/app.py": APP
        % (
            "from core.admin.registry.router import router as admin_registry_router\n",
            'app.include_router(admin_registry_router, prefix="/admin")\n',
        ),
    }
    assert grown(base, head) == set()


FACTORY = """from fastapi import APIRouter


def setup_agents_admin_router(server):
    router = APIRouter()

    @router.get("/agents")
    def all_agents():
        return server.list_all()

    return router
"""
SERVER = """from fastapi import Depends, FastAPI

from app.rest_api.admin.agents import setup_agents_admin_router

ADMIN_API_PREFIX = "/api/admin"
app = FastAPI()
app.include_router(
    setup_agents_admin_router(server), prefix=ADMIN_API_PREFIX, dependencies=[Depends(verify_password)]
)
"""


def test_a_router_built_by_a_factory_is_served_under_the_prefix_its_call_is_included_at() -> None:
    head = {"app/rest_api/admin/agents.py": FACTORY, "app/rest_api/server.py": SERVER}
    from checks.exposure import compare

    found = {(f.change, f.endpoint.path, f.endpoint.auth) for f in compare({}, head).findings}
    assert ("added", "/api/admin/agents", "authenticated") in found


LARAVEL = """<?php

Route::group(['middleware' => ['api.admin'], 'prefix' => 'v1/admin'], function () {
    Route::apiResources([
%s        'users' => UserController::class,
    ]);
});
"""


def test_laravel_resources_declared_as_one_array_are_each_served() -> None:
    base = {"routes/api.php": LARAVEL % ""}
    head = {"routes/api.php": LARAVEL % "        'products' => ProductController::class,\n"}
    assert ("added", "GET", "/v1/admin/products/{id}") in grown(base, head)
    assert ("added", "GET", "/v1/admin/products/{id}/edit") not in grown(base, head)
    assert grown(base, base) == set()


ADMIN_RS = """use aide::axum::{routing::post_with, ApiRouter};

pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new().api_route_with(
        "/admin/redrive-dlq",
        post_with(redrive_dlq, redrive_dlq_operation),
        |op| op.tag("Admin"),
    )
}
"""
V1_RS = """pub fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .merge(endpoints::message::router())%s
}
"""


def test_aide_api_routes_and_merged_routers_are_served() -> None:
    base = {"src/v1/mod.rs": V1_RS % ""}
    head = {
        "src/v1/mod.rs": V1_RS % "\n        .merge(endpoints::admin::router())",
        "src/v1/endpoints/admin.rs": ADMIN_RS,
    }
    assert grown(base, head) == {("added", "POST", "/admin/redrive-dlq")}


def test_requests_on_an_http_client_instance_are_no_routes() -> None:
    from checks.exposure import extract

    named = "import { API } from './axios'\n\nexport const purge = () => API.delete('/logs')\n"
    made = (
        "import axios from 'axios'\n\nconst api = axios.create({ baseURL: '/api' })\napi.post('/admin/x')\n"
    )
    server = "import express from 'express'\n\nconst api = express.Router()\napi.post('/admin/x', h)\n"
    assert extract({"packages/api/src/log.ts": named}) == ()
    assert extract({"web/src/lib/admin.ts": made}) == ()
    assert [e.path for e in extract({"src/admin.ts": server})] == ["/admin/x"]


LOG_RS = """pub(crate) fn mount(app_state: AppState) -> Router<AppState> {
    Router::new()
        .route("/logs", get(get_logs)%s)
        .layer(from_extractor_with_state::<Auth, AppState>(app_state))
}

async fn get_logs(session: Session) -> APIResult<Json<Vec<Log>>> {
    enforce_session_permissions(&session, &[UserPermission::ReadLogs])?;
    Ok(Json(vec![]))
}

async fn delete_logs(session: Session) -> APIResult<()> {
    enforce_session_permissions(&session, &[UserPermission::ManageServer])?;
    Ok(())
}
"""


def test_a_rust_handler_checking_a_server_managing_permission_first_is_admin_only() -> None:
    path = "src/routers/log.rs"
    assert grown({path: LOG_RS % ""}, {path: LOG_RS % ".delete(delete_logs)"}) == {
        ("added", "DELETE", "/logs")
    }


MENU = """namespace Shop.Web.Admin.Controllers;

%spublic class MenuController : %s
{
    [HttpGet]
    public IActionResult Index() => View();
}
"""


def test_an_aspnet_controller_of_the_admin_area_is_internal() -> None:
    from checks.exposure import compare

    def internal(head: str) -> bool:
        findings = compare({}, {"src/Web/Controllers/MenuController.cs": head}).findings
        return any(f.internal for f in findings)

    assert internal(MENU % ("", "BaseAdminController"))
    assert internal(MENU % ('[Area("Admin")]\n', "Controller"))
    assert not internal(MENU % ("", "BasePublicController"))


RESTX = """from udata.api import api, API
from udata.auth import admin_permission

ns = api.namespace('topics')


@ns.route('/', endpoint='topics')
class TopicsAPI(API):
    @api.doc('list_topics')
    def get(self):
        return []

    @api.doc('create_topic')
%s    def post(self):
        return {}, 201


@ns.route('/<topic:topic>/', endpoint='topic')
@api.response(404, 'Object not found')
class TopicAPI(API):
    def get(self, topic):
        return topic
"""


def test_a_restx_resource_serves_each_method_with_its_own_decorators() -> None:
    """Flask-RESTX `@ns.route` on a class: dropping `@api.secure(admin_permission)` from one method opens it."""
    from checks.exposure import extract

    guarded = RESTX % "    @api.secure(admin_permission)\n"
    assert {(e.method, e.path, e.auth) for e in extract({"topic/api.py": guarded})} == {
        ("GET", "/", "unauthenticated"),
        ("POST", "/", "authenticated"),
        ("GET", "/{topic}", "unauthenticated"),
    }
    assert grown({"topic/api.py": guarded}, {"topic/api.py": RESTX % ""}) == {("widened", "POST", "/")}


HONO = """app.patch(
  '/api/organizations/:organizationId/members/:memberId',
  requireAuthentication(),
  %s,
  async (context) => context.json({}),
);
"""


def test_a_request_validator_naming_roles_is_no_guard() -> None:
    path = "src/modules/organizations/organizations.routes.ts"
    zod = "legacyValidateJsonBody(z.object({ role: z.enum([ROLES.ADMIN, ROLES.MEMBER]) }))"
    valibot = "validateJsonBody(v.strictObject({ role: assignableRoleSchema }))"
    assert grown({path: HONO % zod}, {path: HONO % valibot}) == set()
    # A guard that validates by name still guards.
    token = "validateAdminToken({ role: ROLES.ADMIN })"
    assert grown({path: HONO % token}, {path: HONO % valibot}) == {
        ("widened", "PATCH", "/api/organizations/{organizationId}/members/{memberId}")
    }


WEB_PHP = """<?php

Route::group(['middleware' => ['admin'], 'prefix' => 'admin'], function () {
    require 'catalog-routes.php';
});
"""
CATALOG_BASE = """<?php

Route::group(['middleware' => ['admin'], 'prefix' => 'admin'], function () {
    Route::get('catalog', [CatalogController::class, 'index']);
});
"""
CATALOG_HEAD = """<?php

Route::get('catalog', [CatalogController::class, 'index']);
"""


def test_a_route_file_required_inside_a_group_inherits_its_prefix_and_middleware() -> None:
    """Hoisting a group's middleware into the file that requires the route file widens nothing."""
    base = {
        "src/Routes/web.php": "<?php\nrequire 'catalog-routes.php';\n",
        "src/Routes/catalog-routes.php": CATALOG_BASE,
    }
    head = {"src/Routes/web.php": WEB_PHP, "src/Routes/catalog-routes.php": CATALOG_HEAD}
    assert grown(base, head) == set()
    assert grown(
        base, {**head, "src/Routes/web.php": WEB_PHP.replace("'admin'], 'prefix'", "'web'], 'prefix'")}
    )


GIN = """func routers(r *gin.Engine) {
	auth := r.Group("/api/v1", authMiddleware.MiddlewareFunc())
	auth.GET("/online-user", commonHandler(listOnlineUser))
%s}
"""


def test_a_gin_handler_wrapped_in_an_admin_handler_is_admin_only() -> None:
    path = "cmd/dashboard/controller/controller.go"
    head = GIN % '\tauth.GET("/online-user/batch-block", adminHandler(batchBlock))\n'
    assert grown({path: GIN % ""}, {path: head}) == {("added", "GET", "/api/v1/online-user/batch-block")}


MAIL_ROUTES = """<?php

Route::prefix('mail')->group(function () {
    Route::post('mass-update', 'massUpdate');
%s});
"""
ADMIN_WEB = """<?php

Route::group(['middleware' => ['user'], 'prefix' => 'admin'], function () {
    require 'mail-routes.php';
});
"""


def test_a_laravel_route_leaving_the_guard_of_the_group_that_includes_its_file_is_growth() -> None:
    base = {"Routes/web.php": ADMIN_WEB, "Routes/mail-routes.php": MAIL_ROUTES % ""}
    head = {
        **base,
        "Routes/mail-routes.php": MAIL_ROUTES
        % "    Route::post('inbound-parse', 'inboundParse')->withoutMiddleware('user');\n",
    }
    from checks.exposure import compare

    [found] = compare(base, head).findings
    assert (found.change, found.endpoint.path, found.endpoint.auth) == (
        "added",
        "/admin/mail/inbound-parse",
        "unauthenticated",
    )
    kept = {**base, "Routes/mail-routes.php": MAIL_ROUTES % "    Route::post('archive', 'archive');\n"}
    assert [f.endpoint.auth for f in compare(base, kept).findings] == ["authenticated"]


ZOU = """from flask import Blueprint
from app.utils.api import configure_api_from_blueprint

from app.blueprints.admin.resources import ConfigCheckResource

routes = [
    ("/admin/config/check", ConfigCheckResource),
%s]

blueprint = Blueprint("admin", "admin")
api = configure_api_from_blueprint(blueprint, routes)
"""


def test_flask_restful_routes_listed_as_path_and_resource_tuples() -> None:
    path = "app/blueprints/admin/__init__.py"
    base = {path: ZOU % ""}
    assert grown({}, base) == {("added", "ANY", "/admin/config/check")}
    assert grown(base, {path: ZOU % '    ("/admin/flush", FlushResource),\n'}) == {
        ("added", "ANY", "/admin/flush")
    }
    # A tuple of strings in a file that sets up no API is no route.
    assert grown({}, {"app/menu.py": 'items = [("/admin/x", AdminResource)]\n'}) == set()


BILLING = """from fastapi import APIRouter


class BillingRouter:
    def __init__(self, service):
        self.router = APIRouter()
        self.router.add_api_route("/usage", self.usage, methods=["GET"])
        self.admin_router = APIRouter()
        self.admin_router.add_api_route("/usage/report", self.report, methods=["POST"])
%s"""


def test_fastapi_add_api_route_on_an_admin_router_is_internal() -> None:
    path = "ee/apis/billing/router.py"
    head = (
        BILLING % '        self.admin_router.add_api_route("/usage/unlock", self.unlock, methods=["POST"])\n'
    )
    assert grown({path: BILLING % ""}, {path: head}) == {("added", "POST", "/usage/unlock")}
    public = BILLING % '        self.router.add_api_route("/plans", self.plans, methods=["GET"])\n'
    assert grown({path: BILLING % ""}, {path: public}) == set()


FASTIFY_ROUTER = """import { FastifyInstance } from "fastify";
import usersController from "../controllers/usersController";
%s
export default async function router(fastify: FastifyInstance) {
  await fastify.register(
    async (f: FastifyInstance) => Promise.all([f.register(usersController, { prefix: "/users" })]),
    { prefix: "/api" }
  );
%s}
"""
DEBUG_CONTROLLER = """import { FastifyInstance } from "fastify";

export default async function debugController(fastify: FastifyInstance) {
  fastify.withTypeProvider<TypeBoxTypeProvider>().get("/boom", { schema: {} }, async () => {
    throw new Error("boom!");
  });
}
"""


def test_fastify_plugins_inline_and_exported_are_served_under_their_own_prefixes() -> None:
    base = {"src/buildApp/router.ts": FASTIFY_ROUTER % ("", "")}
    head = {
        "src/buildApp/router.ts": FASTIFY_ROUTER
        % (
            'import debugController from "../controllers/debugController";\n',
            "  await fastify.register(\n"
            '    async (f: FastifyInstance) => Promise.all([f.register(debugController, { prefix: "/debug" })]),\n'
            '    { prefix: "/internal-api" }\n'
            "  );\n",
        ),
        "src/controllers/debugController.ts": DEBUG_CONTROLLER,
    }
    assert grown(base, head) == {("added", "GET", "/internal-api/debug/boom")}


def test_a_django_urlconf_included_by_module_attribute() -> None:
    urls = 'from django.urls import include, path\nimport debug_toolbar\n\nurlpatterns = [\n%s    path("admin/", admin.site.urls),\n]\n'
    head = urls % '    path("__debug__/", include(debug_toolbar.urls)),\n'
    assert grown({"site/urls.py": urls % ""}, {"site/urls.py": head}) == {("added", "ANY", "/__debug__/**")}


ECHO = """func NewRouter(h *Handler) *echo.Echo {
	router := echo.New()
	internalAPI := router.Group("/internal")
	internalAPI.GET(AuthRequestURL, gateway.Handler(h.AuthRequest))
%s	return router
}
"""


def test_an_echo_route_whose_path_is_a_constant_of_another_file_keeps_its_group() -> None:
    path = "api/routes/routes.go"
    head = ECHO % "\tinternalAPI.GET(GetNamespaceURL, gateway.Handler(h.GetNamespace))\n"
    assert grown({path: ECHO % ""}, {path: head}) == {("added", "GET", "/internal/{GetNamespaceURL}")}


def test_an_actix_resource_served_in_a_scope() -> None:
    scope = (
        "pub fn metrics_scope() -> Scope {\n"
        '    web::scope("/metrics").service(web::resource("").route(web::get().to(metrics_handler)))\n'
        "}\n"
    )
    assert grown({}, {"src/api/metrics.rs": scope}) == {("added", "GET", "/metrics")}


PROFILE = """[Authorize]
public class ProfileController : Controller
{
    [HttpGet("/account/profile")]
    public IActionResult Profile() => View();
}
"""
ACCOUNT = """public class AccountController : Controller
{
    [HttpGet("/account/login")]
    public IActionResult Login() => View();
%s}
"""


def test_an_action_moved_to_a_controller_without_its_authorize_is_widened() -> None:
    base = {"Controllers/ProfileController.cs": PROFILE, "Controllers/AccountController.cs": ACCOUNT % ""}
    moved = '    [HttpGet("/account/profile")]\n    public IActionResult Profile() => View();\n'
    head = {"Controllers/AccountController.cs": ACCOUNT % moved}
    assert grown(base, head) == {("widened", "GET", "/account/profile")}
    kept = {"Controllers/AccountController.cs": ACCOUNT % ("    [Authorize]\n" + moved)}
    assert grown(base, kept) == set()


def test_a_python_server_under_an_sdk_directory_declares_routes() -> None:
    from checks.exposure.extract import is_test_or_client

    assert not is_test_or_client("skyvern/forge/sdk/routes/custom_llms.py")
    assert is_test_or_client("web/src/sdk/routes/users.ts")
    route = '@base_router.get("/custom-llms")\nasync def list_llms(org = Depends(auth.get_current_admin_org)):\n    ...\n'
    downgraded = route.replace("get_current_admin_org", "get_current_org")
    path = "skyvern/forge/sdk/routes/custom_llms.py"
    assert grown({path: route}, {path: downgraded}) == {("widened", "GET", "/custom-llms")}


def test_a_permission_that_opens_reads_is_not_privileged() -> None:
    from checks.exposure.roles import privileged_role

    assert privileged_role("AdminOnly") == "admin"
    assert privileged_role("AdminWriteOnly") is None
    assert privileged_role("IsAdminOrReadOnly") is None
    views = "class AppConfigView(ApiBaseView):\n    permission_classes = [%s]\n\n    def get(self, request):\n        ...\n"
    urls = 'from django.urls import path\nfrom . import views\n\nurlpatterns = [path("config/", views.AppConfigView.as_view())]\n'
    base = {"appsettings/views.py": views % "AdminOnly", "appsettings/urls.py": urls}
    head = {**base, "appsettings/views.py": views % "AdminWriteOnly"}
    assert grown(base, head) == {("widened", "ANY", "/config")}


HOOK = """server.addHook("preHandler", async function (request: any, reply: any) {
  try {
    if (request.url === "/api/v1/auth/login" && request.method === "POST") {
      return true;
    }
%s    await checkToken(request);
  } catch (err) {
    reply.status(401).send({ message: "Unauthorized" });
  }
});
"""


def test_a_request_let_through_a_global_fastify_auth_hook_is_exempted() -> None:
    added = '    if (request.url === "/api/v1/ticket/public/create" && request.method === "POST") {\n      return true;\n    }\n'
    assert grown({"src/main.ts": HOOK % ""}, {"src/main.ts": HOOK % added}) == {
        ("widened", "ANY", "/api/v1/ticket/public/create")
    }
    # A hook that checks nothing about the caller exempts nothing.
    plain = HOOK.replace("await checkToken(request);", "log(request);").replace(
        'reply.status(401).send({ message: "Unauthorized" });', "log(err);"
    )
    assert grown({"src/main.ts": plain % ""}, {"src/main.ts": plain % added}) == set()


def test_routes_declared_in_a_file_named_for_the_admin_router_are_internal() -> None:
    router = 'func NewAdminRouter(e *echo.Echo) {\n\tuser := e.Group("/users")\n\tuser.GET("", h.List)\n%s}\n'
    added = '\tuser.POST("", h.Create)\n'
    assert grown(
        {"backend/handler/admin_router.go": router % ""}, {"backend/handler/admin_router.go": router % added}
    ) == {("added", "POST", "/users")}
    assert (
        grown(
            {"backend/handler/public_router.go": router % ""},
            {"backend/handler/public_router.go": router % added},
        )
        == set()
    )


JOPLIN = """import Router from '../../utils/Router';

const router: Router = new Router(RouteType.Web);

router.get('tasks', async (_path: SubPath, ctx: AppContext) => {
	const user = ctx.joplin.owner;
%s
	return ctx.joplin.services.tasks.list();
});

export default router;
"""


def test_a_typed_router_and_a_handler_refusing_all_but_admins_inline() -> None:
    path = "packages/server/src/routes/index/tasks.ts"
    guarded = JOPLIN % "\tif (!user.is_admin) throw new ErrorForbidden();"
    assert grown({}, {path: guarded}) == {("added", "GET", "/tasks")}
    assert grown({}, {path: JOPLIN % ""}) == set()
    assert grown({}, {"packages/server/src/routes/admin/reports.ts": JOPLIN % ""}) == {
        ("added", "GET", "/tasks")
    }


GO_MONITOR = """func registerMonitorRouter(v1 *gin.RouterGroup) {
%s}
"""


def test_a_go_route_registered_in_development_only_widens_when_served_everywhere() -> None:
    path = "app/other/router/monitor.go"
    dev = '\tif config.ApplicationConfig.Mode == "dev" {\n\t\tv1.GET("/metrics", transfer.Handler(promhttp.Handler()))\n\t}\n'
    always = '\tv1.GET("/metrics", transfer.Handler(promhttp.Handler()))\n'
    assert grown({path: GO_MONITOR % dev}, {path: GO_MONITOR % always}) == {("widened", "GET", "/metrics")}
    assert grown({path: GO_MONITOR % always}, {path: GO_MONITOR % dev}) == set()
