"""Issue 14: idioms seen on real commits, each as a minimal snippet written for this test."""

from __future__ import annotations

import json

from checks.exposure import compare, extract
from checks.exposure.extract import can_declare_routes, unresolved_guards
from tests.exposure_growth import grown as _grown

GIN_BASE = 'package api\nfunc Setup(r *gin.Engine) {\n\tr.GET("/health", health)\n}\n'


def _gin_with(route: str) -> dict[str, str]:
    return {"api/routes.go": GIN_BASE.replace("}\n", f'\tr.GET("{route}", h)\n}}\n', 1)}


def test_internal_path_patterns_match_at_any_segment() -> None:
    base = {"api/routes.go": GIN_BASE}
    for route in ("/api/v1/admin/users", "/v2/private/reset", "/ops/sidekiq/queues", "/api/metrics"):
        assert _grown(base, _gin_with(route)) == {("added", "GET", route)}, route
    assert _grown(base, _gin_with("/api/v1/items")) == set()


def test_go_internal_package_directory_is_not_exposure() -> None:
    base = {"internal/api/routes.go": GIN_BASE}
    head = {"internal/api/routes.go": _gin_with("/v1/items")["api/routes.go"]}
    assert _grown(base, head) == set()


def test_internal_files_stays_configurable() -> None:
    base = {"ops/routes.go": GIN_BASE}
    head = {"ops/routes.go": _gin_with("/v1/flush")["api/routes.go"]}
    assert compare(base, head, internal_files=["ops/**"]).grows


def test_tests_and_clients_never_declare_routes() -> None:
    for path in (
        "server/api/documents.test.ts",
        "x/redirect_test.go",
        "tests/test_users.py",
        "spec/requests/users_spec.rb",
        "client/client.go",
        "internal/httpclient/api_identity.go",
        "internal/httpclient/api/openapi.yaml",
        "app/stores/DocumentsStore.ts",
        "assets/src/api.ts",
    ):
        assert not can_declare_routes(path), path
    for path in ("server/routes/api/documents.ts", "internal/api/api.go", "spec/openapi.yaml", "app/main.py"):
        assert can_declare_routes(path), path


PROTO = """syntax = "proto3";
package acme.ops.v1;
service {svc} {{
  rpc DeleteNamespace(DeleteNamespaceRequest) returns (DeleteNamespaceResponse) {{}}
{more}}}
"""


def test_grpc_service_internal_by_name() -> None:
    head = {"ops/v1/service.proto": PROTO.format(svc="ClusterOperatorService", more="")}
    assert _grown({}, head) == {("added", "RPC", "acme.ops.v1.ClusterOperatorService/DeleteNamespace")}
    public = {"ops/v1/service.proto": PROTO.format(svc="WorkflowService", more="")}
    assert _grown({}, public) == set()
    assert compare({}, public, internal_services=["Workflow*"]).grows


def test_generated_openapi_never_erases_a_proto_binding() -> None:
    rpc = "  rpc ListThings(ListThingsRequest) returns (ListThingsResponse) {%s}\n"
    binding = '\n    option (google.api.http) = { get: "/api/v1/things" };\n  '
    openapi = '{"swagger": "2.0", "paths": {"/api/v1/things": {"get": {"responses": {"200": {}}}}}}'
    base = {"svc.proto": PROTO.format(svc="ClusterOperatorService", more=rpc % "")}
    head = {
        "svc.proto": PROTO.format(svc="ClusterOperatorService", more=rpc % binding),
        "openapi/openapiv2.json": openapi,
    }
    assert _grown(base, head) == {("widened", "GET", "/api/v1/things")}
    # a client-facing RPC given a REST binding for a gateway is served under the same auth: no growth
    public = {name: text.replace("ClusterOperatorService", "WorkflowService") for name, text in head.items()}
    assert _grown({"svc.proto": PROTO.format(svc="WorkflowService", more=rpc % "")}, public) == set()


def test_downgraded_guard_widens() -> None:
    base = {
        "r.go": 'package r\nfunc R(r chi.Router) {\n\tr.With(acl.CheckAdminAccess()).Delete("/repos/{id}", h)\n}\n'
    }
    head = {"r.go": base["r.go"].replace("CheckAdminAccess", "CheckWriteAccess")}
    assert _grown(base, head) == {("widened", "DELETE", "/repos/{id}")}


KOA = """import Router from "koa-router";
import auth from "../middlewares/authentication";
const router = new Router();
router.post("things.info", auth(), async (ctx) => { ctx.body = {}; });
export default router;
"""


def test_koa_relative_names_and_role_guards() -> None:
    base = {"server/routes/api/things.ts": KOA}
    admin = KOA.replace(
        "export default", 'router.post("things.purge", auth({ role: Role.Admin }), h);\nexport default'
    )
    assert _grown(base, {"server/routes/api/things.ts": admin}) == {("added", "POST", "/things.purge")}
    open_route = KOA.replace(
        "export default", 'router.post("things.create", validate(S), h);\nexport default'
    )
    # An unauthenticated route beside authenticated siblings is growth.
    assert _grown(base, {"server/routes/api/things.ts": open_route}) == {("added", "POST", "/things.create")}


def test_dropping_a_role_from_a_guard_widens() -> None:
    base = {"r.ts": KOA.replace("auth()", "auth({ role: Role.Member })")}
    assert _grown(base, {"r.ts": KOA}) == {("widened", "POST", "/things.info")}


def test_a_map_get_is_not_a_route() -> None:
    text = 'const cache = new Map();\ncache.get("users.list");\n'
    assert _grown({}, {"server/cache.ts": text}) == set()


def test_express_chained_route_verbs() -> None:
    text = """const express = require('express');
const router = express.Router();
router
  .route('/:userId')
  .get(auth('getUsers'), validate(v), controller.getUser)
  .delete(auth({ role: 'admin' }), controller.deleteUser);
module.exports = router;
"""
    assert _grown({}, {"src/routes/v1/user.route.js": text}) == {("added", "DELETE", "/{userId}")}


def test_fastapi_superuser_dependency_and_inline_check() -> None:
    base = "from fastapi import APIRouter, Depends\nrouter = APIRouter()\n"
    dep = base + (
        '@router.post("/mail/{email}", dependencies=[Depends(get_current_active_superuser)])\n'
        "def mail(email: str):\n    return email\n"
    )
    inline = base + (
        '@router.delete("/{user_id}")\n'
        "def drop(user_id: int, current_user: User = Depends(get_current_user)):\n"
        "    if not current_user.is_superuser:\n        raise HTTPException(403)\n    return user_id\n"
    )
    assert _grown({"api/x.py": base}, {"api/x.py": dep}) == {("added", "POST", "/mail/{email}")}
    assert _grown({"api/x.py": base}, {"api/x.py": inline}) == {("added", "DELETE", "/{user_id}")}
    plain = inline.replace("    if not current_user.is_superuser:\n        raise HTTPException(403)\n", "")
    assert _grown({"api/x.py": base}, {"api/x.py": plain}) == set()


def test_django_view_guard_in_another_file() -> None:
    urls = "from django.urls import path\nfrom . import views\nurlpatterns = [\n    path('ping/', views.ping),\n]\n"
    views = (
        "@login_required\ndef captcha(request):\n"
        "    if not request.user.is_superuser:\n        raise Http404()\n    return ok()\n"
    )
    head_urls = urls.replace("]\n", "    path('captcha/', views.captcha),\n]\n")
    base = {"hc/urls.py": urls, "hc/views.py": "def ping(request):\n    return ok()\n"}
    head = {"hc/urls.py": head_urls, "hc/views.py": base["hc/views.py"] + views}
    assert _grown(base, head) == {("added", "ANY", "/captcha")}


def test_rails_controller_before_action_guards_its_routes() -> None:
    routes = 'Rails.application.routes.draw do\n  get "/about" => "home#about"\nend\n'
    head_routes = routes.replace(
        "end\n",
        '  get "/mod" => "mod#index"\n  namespace :mod do\n    resources :notes, only: [:new]\n  end\nend\n',
    )
    head = {
        "config/routes.rb": head_routes,
        "app/controllers/mod_controller.rb": "class ModController < ApplicationController\n"
        "  before_action :require_logged_in_moderator\nend\n",
        "app/controllers/mod/notes_controller.rb": "class Mod::NotesController < ModController\n"
        "  before_action :require_logged_in_admin, only: [:new]\nend\n",
    }
    assert _grown({"config/routes.rb": routes}, head) == {
        ("added", "GET", "/mod"),
        ("added", "GET", "/mod/notes/new"),
    }


def test_rails_before_action_except_guards_every_other_public_action() -> None:
    routes = (
        "Rails.application.routes.draw do\n  scope 'mod' do\n"
        "    get 'deleted', to: 'moderator#deleted'\n    get 'queue', to: 'moderator#queue'\n  end\nend\n"
    )
    controller = """class ModeratorController < ApplicationController
  before_action :verify_moderator, except: [:promotions%s]
  before_action :authenticate_user!, only: [:promotions%s]

  def queue
  end

  def deleted
  end

  def promotions
  end

  private

  def helper
  end
end
"""
    base = {"config/routes.rb": routes, "app/controllers/moderator_controller.rb": controller % ("", "")}
    head = {
        "config/routes.rb": routes,
        "app/controllers/moderator_controller.rb": controller % (", :deleted", ", :deleted"),
    }
    # the moderators' list of deleted posts now opens to any signed-in user
    assert _grown(base, head) == {("widened", "GET", "/mod/deleted")}
    assert _grown(head, base) == set()


def test_rails_action_listed_in_except_admits_anonymous_callers() -> None:
    routes = "Rails.application.routes.draw do\n  get '/', to: 'root#index'\n  get '/home', to: 'root#home'\n%send\n"
    controller = """class RootController < ApplicationController
  before_action :authenticate_user!%s

  def index
  end

  def home
  end
%s
end
"""
    base = {"config/routes.rb": routes % "", "app/controllers/root_controller.rb": controller % ("", "")}
    head = {
        "config/routes.rb": routes % "  get '/notice', to: 'root#notice'\n",
        "app/controllers/root_controller.rb": controller % (", except: :notice", "\n  def notice; end\n"),
    }
    assert _grown(base, head) == {("added", "GET", "/notice")}
    # the same page behind the controller's login is no growth
    same = {**head, "app/controllers/root_controller.rb": controller % ("", "\n  def notice; end\n")}
    assert _grown(base, same) == set()


def test_spring_actuator_exposure_in_configuration() -> None:
    base = {"src/main/resources/application.properties": "server.port=8080\n"}
    head = {
        "src/main/resources/application.properties": "server.port=8080\nmanagement.endpoints.web.exposure.include=*\n"
    }
    assert _grown(base, head) == {("added", "ANY", "/actuator/*")}
    health = {
        "src/main/resources/application.properties": "management.endpoints.web.exposure.include=health\n"
    }
    assert _grown(base, health) == set()
    yml = {"src/main/resources/application.yml": "management:\n  security:\n    enabled: false\n"}
    assert _grown({"src/main/resources/application.yml": "server:\n  port: 1\n"}, yml) == {
        ("added", "ANY", "/actuator/**")
    }


def test_generated_openapi_mirrors_code_and_declares_nothing() -> None:
    doc = '{\n  "swagger": "2.0",\n  "paths": {"/admin/sessions": {"get": {"x-go-name": "list"}}}\n}\n'
    assert _grown({}, {"spec/api.json": doc}) == set()
    hand = doc.replace('"x-go-name": "list"', '"operationId": "list"')
    assert _grown({}, {"spec/api.json": hand}) == {("added", "GET", "/admin/sessions")}


def test_swagger_written_by_swaggo_mirrors_go_handlers() -> None:
    doc = (
        '{\n  "swagger": "2.0",\n  "basePath": "/api/v2",\n  "paths": {"/admin/cache": {"get": {"responses": '
        '{"200": {"schema": {"$ref": "#/definitions/handler.Map"}}}}}},\n'
        '  "definitions": {"handler.Map": {"type": "object"}, "entity.CookedUser": {"type": "object"}}\n}\n'
    )
    assert _grown({}, {"docs/swagger/swagger.json": doc}) == set()
    plain = doc.replace("handler.Map", "Map").replace("entity.CookedUser", "User")
    assert _grown({}, {"docs/swagger/swagger.json": plain}) == {("added", "GET", "/api/v2/admin/cache")}


CONTROLLER = """namespace Api.Controllers;

[Route("[controller]")]
[Authorize]
public class SystemController : BaseController
{
    /// <summary>[HttpGet("Commented")] is not a route.</summary>
    [HttpGet("Info")]
    public ActionResult<Info> GetInfo() => Ok();
}
"""


def test_aspnet_attribute_routing_and_policies() -> None:
    base = {"Api/Controllers/SystemController.cs": CONTROLLER}
    admin = CONTROLLER.replace(
        "}\n",
        '    [HttpPost("Branding")]\n    [Authorize(Policy = Policies.RequiresElevation)]\n'
        "    public ActionResult Set() => Ok();\n}\n",
    )
    assert _grown(base, {"Api/Controllers/SystemController.cs": admin}) == {
        ("added", "POST", "/System/Branding")
    }
    user = admin.replace("(Policy = Policies.RequiresElevation)", "")
    assert _grown(base, {"Api/Controllers/SystemController.cs": user}) == set()
    anonymous = CONTROLLER.replace("[Authorize]\n", "").replace(
        '    [HttpGet("Info")]\n', '    [HttpGet("Info")]\n    [AllowAnonymous]\n'
    )
    assert _grown(base, {"Api/Controllers/SystemController.cs": anonymous}) == {
        ("widened", "GET", "/System/Info")
    }


def test_aspnet_minimal_api_require_authorization() -> None:
    base = 'var app = builder.Build();\napp.MapGet("/ping", () => "pong");\n'
    head = base + 'app.MapPost("/users/{id}/role", SetRole).RequireAuthorization("AdminPolicy");\n'
    assert _grown({"Program.cs": base}, {"Program.cs": head}) == {("added", "POST", "/users/{id}/role")}


def test_rails_guards_inherited_from_a_superclass_and_hash_rocket_only() -> None:
    routes = 'Rails.application.routes.draw do\n  namespace :mod do\n    get "flagged" => "flagged#index"\n  end\nend\n'
    files = {
        "config/routes.rb": routes,
        "app/controllers/mod/moderator_controller.rb": "class Mod::ModeratorController < ApplicationController\n"
        "  before_action :require_logged_in_moderator\nend\n",
        "app/controllers/mod/flagged_controller.rb": "class Mod::FlaggedController < Mod::ModeratorController\nend\n",
    }
    assert _grown({"config/routes.rb": "Rails.application.routes.draw do\nend\n"}, files) == {
        ("added", "GET", "/mod/flagged")
    }
    users = (
        'Rails.application.routes.draw do\n  get "/u" => "users#show"\n  get "/u/edit" => "users#edit"\nend\n'
    )
    ctl = "class UsersController < ApplicationController\n  before_action :require_logged_in_user, :only => [:edit]\nend\n"
    base = {"config/routes.rb": users, "app/controllers/users_controller.rb": ctl}
    head = {
        "config/routes.rb": users,
        "app/controllers/users_controller.rb": ctl.replace(":only => [:edit]", "only: [:edit]"),
    }
    assert compare(base, head).findings == ()


def test_renamed_route_with_the_same_guards_is_no_growth() -> None:
    base = {
        "r.ts": KOA.replace(
            "export default",
            'router.post("users.updateRole", auth({ role: Role.Admin }), h);\nexport default',
        )
    }
    head = {"r.ts": base["r.ts"].replace("users.updateRole", "users.update_role")}
    delta = compare(base, head)
    assert not delta.grows
    assert [f.change for f in delta.findings] == ["renamed"]
    # A new admin route beside an unchanged one is still growth.
    more = {
        "r.ts": base["r.ts"].replace(
            "export default", 'router.post("users.purge", auth({ role: Role.Admin }), h);\nexport default'
        )
    }
    assert _grown(base, more) == {("added", "POST", "/users.purge")}


PROVIDER = """<?php
class RouteServiceProvider extends ServiceProvider {
    public function map() {
        Route::middleware(['web', 'auth', 'admin'])->prefix('/admin')
             ->namespace($this->namespace . '\\\\Admin')
             ->group(base_path('routes/admin.php'));
    }
}
"""


def test_laravel_route_file_mounted_by_a_service_provider() -> None:
    routes = "<?php\nRoute::get('/', 'IndexController@index');\n"
    base = {"app/Providers/RouteServiceProvider.php": PROVIDER, "routes/admin.php": routes}
    head = {**base, "routes/admin.php": routes + "Route::get('/mail/test', 'MailController@test');\n"}
    assert _grown(base, head) == {("added", "GET", "/admin/mail/test")}


def test_actuator_base_path_moves_without_growth() -> None:
    conf = "management.endpoints.web.exposure.include=*\n"
    base = {"application.properties": conf + "management.endpoints.web.base-path=/manage\n"}
    assert _grown(base, {"application.properties": conf}) == set()


MUX = 'package web\nfunc Routes(r *mux.Router) {\n\tr.HandleFunc("/admin/item/{id}", handler.Admin(viewItem)).Methods("GET")\n%s}\n'


def test_gorilla_methods_chain_gives_each_method_and_a_rename_is_no_growth() -> None:
    post = '\tr.HandleFunc("%s", handler.Admin(resetItem)).Methods("POST")\n'
    base = {"routes.go": MUX % (post % "/admin/item/{id}")}
    head = {"routes.go": MUX % (post % "/admin/item/{id}/reset")}
    methods = {(f.endpoint.method, f.change) for f in compare(base, head).findings}
    assert methods == {("POST", "renamed")}
    assert not compare(base, head).grows


GIN_GROUPS = (
    "package router\nfunc Create(g *gin.Engine) {\n%s"
    '\tadmin := g.Group("/account")\n\t{\n\t\tadmin.Use(guard.RequireAdmin())\n'
    '\t\tadmin.GET("", h.List)\n%s\t}\n}\n'
)


def test_gin_chained_group_use_verb_and_optional_auth_is_no_guard() -> None:
    base = {"router.go": GIN_GROUPS % ("", '\t\tadmin.POST("", h.Create)\n')}
    head = {
        "router.go": GIN_GROUPS % ('\tg.Group("/account").Use(guard.Optional()).POST("", h.Create)\n', "")
    }
    assert _grown(base, head) == {("widened", "POST", "/account")}
    still = {
        "router.go": GIN_GROUPS % ('\tg.Group("/account").Use(guard.RequireAdmin()).POST("", h.Create)\n', "")
    }
    assert _grown(base, still) == set()


def _spec(path: str, extra: dict[str, object]) -> str:
    op = {"operationId": "make", "responses": {"200": {"description": "ok"}}, **extra}
    return json.dumps({"openapi": "3.0.3", "paths": {path: {"post": op}}}, indent=2)


def test_converted_or_generated_spec_without_banner_declares_nothing() -> None:
    body = {"requestBody": {"x-originalParamName": "Body", "content": {}}}
    base = {"spec/api.json": _spec("/widgets", body)}
    head = {"spec/api.json": _spec("/admin/widgets", body)}
    assert not compare(base, head).findings
    omit = {"x-omitempty": True}
    assert not compare({"spec/api.json": _spec("/w", omit)}, {"spec/api.json": _spec("/admin/w", omit)}).grows
    assert compare({"spec/api.json": _spec("/v", {})}, {"spec/api.json": _spec("/admin/w", {})}).grows
    # the same operation moved under an internal prefix, same auth: moved, not new
    assert not compare({"spec/api.json": _spec("/w", {})}, {"spec/api.json": _spec("/admin/w", {})}).grows


PHX_ROUTER = """defmodule ShopWeb.Router do
  use ShopWeb, :router

  pipeline :api do
    plug :accepts, ["json"]
  end

  pipeline :signed_in do
    plug Guardian.RequireAuthenticated
  end

  scope "/api", ShopWeb do
    pipe_through [:api, :signed_in]

    get "/orders", OrderController, :index
%s  end
%s
end
"""
PHX_CONTROLLER = """defmodule ShopWeb.OrderController do
  use ShopWeb, :controller
  plug ShopWeb.RolePlug, :admin when action in [%s]

  def index(conn, _), do: json(conn, [])
end
"""


def _phx(routes: str = "", tail: str = "", admin_actions: str = ":refund") -> dict[str, str]:
    return {
        "lib/shop_web/router.ex": PHX_ROUTER % (routes, tail),
        "lib/shop_web/controllers/order_controller.ex": PHX_CONTROLLER % admin_actions,
    }


def test_phoenix_scope_pipelines_and_controller_plug_guards() -> None:
    base = _phx()
    refund = '    post "/orders/:id/refund", OrderController, :refund\n'
    assert _grown(base, _phx(refund)) == {("added", "POST", "/api/orders/{id}/refund")}
    mine = '    delete "/orders/:id", OrderController, :delete\n'
    assert _grown(base, _phx(mine)) == set()
    listed = '    resources "/carts", CartController, only: [:show, :create]\n'
    found = {
        (f.endpoint.method, f.endpoint.path, f.endpoint.auth) for f in compare(base, _phx(listed)).findings
    }
    assert found == {("GET", "/api/carts/{id}", "authenticated"), ("POST", "/api/carts", "authenticated")}


def test_phoenix_dashboard_is_internal_unless_dev_only() -> None:
    dev = '\n  if Mix.env() in [:dev, :test] do\n    scope "/" do\n      live_dashboard "/dashboard"\n    end\n  end\n'
    prod = (
        '\n  scope "/" do\n    pipe_through [:protect_from_forgery]\n    live_dashboard "/dashboard"\n  end\n'
    )
    assert _grown(_phx(), _phx(tail=dev)) == set()
    assert _grown(_phx(tail=dev), _phx(tail=prod)) == {("added", "GET", "/dashboard")}
    assert compare(_phx(tail=prod), _phx(tail=dev)).findings[0].change == "removed"


ROLES_MAP = "const roles = ['member', 'admin'];\nconst grants = new Map();\ngrants.set(roles[0], ['readOwn']);\ngrants.set(roles[1], ['readAll', 'readOwn']);\n"
ROLES_OBJECT = "const rolePermissions = {\n  member: ['readOwn'],\n  admin: ['readAll', 'readOwn'],\n};\n"
RIGHTS_ROUTES = "const router = express.Router();\nrouter.route('/reports').post(guard('readOwn'), make)%s;\n"


def test_express_rights_resolved_through_a_roles_table() -> None:
    for table in (ROLES_MAP, ROLES_OBJECT):
        base = {"src/config/roles.js": table, "src/routes/report.route.js": RIGHTS_ROUTES % ""}
        admin = {**base, "src/routes/report.route.js": RIGHTS_ROUTES % ".get(guard('readAll'), list)"}
        member = {**base, "src/routes/report.route.js": RIGHTS_ROUTES % ".get(guard('readOwn'), list)"}
        assert _grown(base, admin) == {("added", "GET", "/reports")}
        assert _grown(base, member) == set()
    routes_only = {"src/routes/report.route.js": RIGHTS_ROUTES % ".get(guard('readAll'), list)"}
    assert unresolved_guards(routes_only) == ["readAll", "readOwn"]
    assert unresolved_guards({**routes_only, "src/config/roles.js": ROLES_MAP}) == ["readOwn"]


LARAVEL_GROUP = "<?php\nRoute::group(['prefix' => '%s', 'middleware' => ['auth']], function () {\n    Route::get('/', 'ShelfController@index');\n%s});\n"


def test_laravel_group_attribute_array_gives_prefix_and_middleware() -> None:
    base = {"routes/web.php": LARAVEL_GROUP % ("/shelves", "")}
    head = {
        "routes/web.php": LARAVEL_GROUP
        % ("/shelves", "    Route::post('/purge', 'ShelfController@purge');\n")
    }
    (finding,) = compare(base, head).findings
    assert (finding.endpoint.path, finding.endpoint.auth) == ("/shelves/purge", "authenticated")
    admin = {
        "routes/web.php": LARAVEL_GROUP % ("admin/shelves", "    Route::post('/purge', 'Shelf@purge');\n")
    }
    assert ("added", "POST", "/admin/shelves/purge") in _grown(
        {"routes/web.php": LARAVEL_GROUP % ("admin/shelves", "")}, admin
    )


LARAVEL_PROVIDER = (
    "<?php\nclass RouteServiceProvider extends ServiceProvider\n{\n    public function map()\n    {\n"
    "        Route::middleware(['throttle:60', 'ops'])->prefix('/api/ops')\n"
    "            ->group(base_path('routes/ops.php'));\n    }\n}\n"
)
LARAVEL_KERNEL = (
    "<?php\nclass Kernel extends HttpKernel\n{\n    protected $middlewareGroups = [\n"
    "        'ops' => [\n            EnsureJson::class,\n            \\\\App\\\\Http\\\\Middleware\\\\OnlyRootUsers::class,\n"
    "        ],\n    ];\n}\n"
)
LARAVEL_MIDDLEWARE = (
    "<?php\nclass OnlyRootUsers\n{\n    public function handle($request, Closure $next)\n    {\n"
    "        if (! $request->user()->is_admin) {\n            throw new AccessDenied();\n        }\n"
    "        return $next($request);\n    }\n}\n"
)
LARAVEL_OPS = "<?php\nRoute::get('/status', 'StatusController@index');\n%s"


def test_laravel_middleware_group_resolves_to_a_privileged_middleware_class() -> None:
    shared = {
        "app/Providers/RouteServiceProvider.php": LARAVEL_PROVIDER,
        "app/Http/Kernel.php": LARAVEL_KERNEL,
        "app/Http/Middleware/OnlyRootUsers.php": LARAVEL_MIDDLEWARE,
    }
    base = {**shared, "routes/ops.php": LARAVEL_OPS % ""}
    head = {**shared, "routes/ops.php": LARAVEL_OPS % "Route::post('/drain', 'DrainController');\n"}
    assert _grown(base, head) == {("added", "POST", "/api/ops/drain")}
    only_routes = {"routes/ops.php": head["routes/ops.php"], **{k: shared[k] for k in list(shared)[:1]}}
    assert unresolved_guards(only_routes) == ["'ops'", "'throttle'"]
    with_kernel = {**only_routes, "app/Http/Kernel.php": LARAVEL_KERNEL}
    assert unresolved_guards(with_kernel) == ["'throttle'", "class EnsureJson", "class OnlyRootUsers"]


LARAVEL_11_BOOTSTRAP = """<?php
return Application::configure(basePath: dirname(__DIR__))
    ->withMiddleware(function (Middleware $middleware) {
        $middleware->group('ops', [
            \\App\\Http\\Middleware\\OnlyRootUsers::class,
        ]);
        $middleware->alias(['bindings' => SubstituteBindings::class]);
    })->create();
"""


def test_laravel_11_middleware_groups_declared_in_bootstrap_app_resolve_the_same_way() -> None:
    shared = {
        "app/Providers/RouteServiceProvider.php": LARAVEL_PROVIDER,
        "bootstrap/app.php": LARAVEL_11_BOOTSTRAP,
        "app/Http/Middleware/OnlyRootUsers.php": LARAVEL_MIDDLEWARE,
    }
    base = {**shared, "routes/ops.php": LARAVEL_OPS % ""}
    head = {**shared, "routes/ops.php": LARAVEL_OPS % "Route::post('/drain', 'DrainController');\n"}
    assert _grown(base, head) == {("added", "POST", "/api/ops/drain")}
    without = {k: v for k, v in head.items() if k != "bootstrap/app.php"}
    assert "'ops'" in unresolved_guards(without)


GO_CONST_ROUTES = (
    'package orders\n\nconst (\n\tRouteOrders = "/orders"\n\tRouteOrder  = RouteOrders + "/:id" // one order\n)\n\n'
    "func (h *Handler) RegisterPublic(public *web.PublicRouter) {\n\tpublic.GET(RouteOrders, h.list)\n}\n\n"
    "func (h *Handler) RegisterAdmin(admin *web.AdminRouter) {\n%s}\n"
)


def test_go_paths_from_constants_and_routers_typed_for_admins() -> None:
    base = {"orders/handler.go": GO_CONST_ROUTES % ""}
    head = {"orders/handler.go": GO_CONST_ROUTES % "\tadmin.DELETE(RouteOrder, h.remove)\n"}
    assert _grown(base, head) == {("added", "DELETE", "/orders/{id}")}
    public = {
        "orders/handler.go": GO_CONST_ROUTES.replace(
            "h.list)\n", "h.list)\n\tpublic.GET(RouteOrder, h.one)\n"
        )
        % ""
    }
    (finding,) = compare(base, public).findings
    assert (finding.change, finding.endpoint.path, finding.internal) == ("added", "/orders/{id}", False)


def test_elixir_http_client_requests_are_not_routes() -> None:
    client = (
        'defmodule Shop.Billing do\n  use Tesla\n  plug Tesla.Middleware.BearerAuth, token: "t"\n\n'
        '  def admin_users, do: get("/admin/users")\nend\n'
    )
    plug_router = (
        'defmodule Shop.Ops do\n  use Plug.Router\n  get "/admin/ping", do: send_resp(conn, 200, "")\nend\n'
    )
    assert extract({"lib/shop/billing.ex": client}) == ()
    assert [e.path for e in extract({"lib/shop/ops.ex": plug_router})] == ["/admin/ping"]


def test_gin_client_urls_are_not_relative_routes() -> None:
    text = 'package x\nfunc f(c *Client) {\n\tc.POST("https://example.com/admin/x", body)\n}\n'
    assert extract({"x/client_calls.go": text}) == ()


PROGRAM_CS = """var app = builder.Build();
var admin = app.MapGroup("/admin").RequireAuthorization("AdminPolicy");
admin.MapGet("/users", () => Users());
var reports = admin.MapGroup("/reports");
%s
app.MapGroup("/api").MapGet("/items", () => Items());
app.MapGet("/health", () => "ok");
"""


def test_minimal_api_groups_prefix_and_guard_their_routes() -> None:
    found = {(ep.method, ep.path): ep for ep in extract({"Program.cs": PROGRAM_CS % ""})}
    assert set(found) == {("GET", "/admin/users"), ("GET", "/api/items"), ("GET", "/health")}
    assert found[("GET", "/admin/users")].reasons == ('.RequireAuthorization("AdminPolicy")',)
    assert found[("GET", "/api/items")].auth == "unauthenticated"
    run = 'reports.MapPost("/run", () => Run());'
    assert _grown({"Program.cs": PROGRAM_CS % ""}, {"Program.cs": PROGRAM_CS % run}) == {
        ("added", "POST", "/admin/reports/run")
    }
    ping = 'admin.MapGet("/ping", () => "pong").AllowAnonymous();'
    head = {"Program.cs": PROGRAM_CS % ping}
    (ep,) = [e for e in extract(head) if e.path == "/admin/ping"]
    assert ep.auth == "unauthenticated" and "overriding" in ep.reasons[0]
