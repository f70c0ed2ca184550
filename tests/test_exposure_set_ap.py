"""Idioms met in exposure set AP, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.mounts import mounts_of_round, names_file
from checks.exposure.scan import AUTH_WORDS
from tests.exposure_growth import grown

CHI = """package api

func (s Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(auth.HandleAuthentication(s.Session))
	r.Route("/repos/{owner}/{name}", func(r chi.Router) {
		r.Use(acl.CheckReadAccess())
%s	})
	return r
}
"""


def test_access_checks_are_guards() -> None:
    for name in (
        "acl.CheckWriteAccess",
        "check_access",
        "has_access",
        "requireProjectAccess",
        "checkAccessFor",
    ):
        assert AUTH_WORDS.search(name), name
    for name in ("AccessLog", "accessible", "handleAccess"):
        assert not AUTH_WORDS.search(name), name


def test_a_write_check_dropped_under_a_read_check_widens() -> None:
    before = {"api.go": CHI % '\t\tr.With(acl.CheckWriteAccess()).Get("/builds", builds.HandleList)\n'}
    after = {"api.go": CHI % '\t\tr.Get("/builds", builds.HandleList)\n'}
    assert grown(before, after) == {("widened", "GET", "/repos/{owner}/{name}/builds")}
    # the other way round the route gains a check
    assert grown(after, before) == set()


def test_a_write_check_replaced_by_the_same_read_check_widens() -> None:
    before = {"api.go": CHI % '\t\tr.With(acl.CheckWriteAccess()).Post("/deploy", deploys.Create)\n'}
    after = {"api.go": CHI % '\t\tr.With(acl.CheckReadAccess()).Post("/deploy", deploys.Create)\n'}
    assert grown(before, after) == {("widened", "POST", "/repos/{owner}/{name}/deploy")}
    assert grown(after, before) == set()
    # a different check in its place is no loosening we can rank
    other = {"api.go": CHI % '\t\tr.With(acl.CheckTeamAccess()).Post("/deploy", deploys.Create)\n'}
    assert grown(before, other) == set()


ROUTES_RB = "Rails.application.routes.draw do\n  draw :admin\n  get 'pricing', to: 'pages#pricing'\nend\n"
ADMIN_RB = (
    "constraints Clearance::Constraints::SignedIn.new(&:admin?) do\n  namespace :admin do\n%s  end\nend\n"
)


def test_a_drawn_routes_file_is_read() -> None:
    before = {"config/routes.rb": ROUTES_RB, "config/routes/admin.rb": ADMIN_RB % ""}
    added = "    resources :quizzes, only: [:index]\n"
    after = dict(before, **{"config/routes/admin.rb": ADMIN_RB % added})
    assert grown(before, after) == {("added", "GET", "/admin/quizzes")}
    # a file of another directory is no routes file for being bare DSL
    other = {"lib/tasks/admin.rb": ADMIN_RB % added}
    assert grown({}, other) == set()


def test_a_route_drawn_in_development_only_by_a_trailing_condition() -> None:
    block = (
        "Rails.application.routes.draw do\n  if Rails.env.development?\n"
        "    mount GraphiQL::Rails::Engine, at: '/graphiql', graphql_path: '/graphql'\n  end\nend\n"
    )
    line = (
        "Rails.application.routes.draw do\n"
        "  mount GraphiQL::Rails::Engine, at: '/graphiql', graphql_path: '/graphql' if Rails.env.development?\n"
        "end\n"
    )
    assert grown({"config/routes.rb": block}, {"config/routes.rb": line}) == set()
    plain = line.replace(" if Rails.env.development?", "")
    assert grown({"config/routes.rb": line}, {"config/routes.rb": plain}) == {
        ("widened", "ANY", "/graphiql/**")
    }


def test_a_symbol_module_scope_finds_the_controller_and_a_loader_is_no_guard() -> None:
    routes = (
        "Rails.application.routes.draw do\n  scope module: :organizations do\n    resources :staff do\n"
        '      post "activate", to: "staff#activate"\n%s    end\n  end\nend\n'
    )
    controller = (
        "class Organizations::StaffController < Organizations::BaseController\n"
        "  before_action :require_organization_admin\n"
        "  before_action :set_staff_account, only: [:activate, :update_activation]\n"
        "  def activate\n  end\n  def update_activation\n  end\nend\n"
    )
    before = {
        "config/routes.rb": routes % "",
        "app/controllers/organizations/staff_controller.rb": controller,
    }
    added = '      post "update_activation", to: "staff#update_activation"\n'
    after = dict(before, **{"config/routes.rb": routes % added})
    assert grown(before, after) == {("added", "POST", "/staff/{staff_id}/update_activation")}
    findings = compare(before, after).findings
    assert [f.why for f in findings if f.internal] == [
        ("only a privileged role may call it: before_action :require_organization_admin",)
    ]


def test_the_split_dashboard_is_an_ops_dashboard() -> None:
    routes = "Rails.application.routes.draw do\n  root to: 'home#show'\n%send\n"
    mount = '  mount Split::Dashboard, at: "split"\n'
    assert grown({"config/routes.rb": routes % ""}, {"config/routes.rb": routes % mount}) == {
        ("added", "ANY", "/split/**")
    }


VOYAGER = """<?php
Route::group(['middleware' => 'admin.user'], function () {
    foreach (DataType::all() as $dataType) {
        Route::get($dataType->slug.'/order', $controller.'@order');
%s        Route::resource($dataType->slug, $controller);
    }
});
"""


def test_a_route_path_built_from_a_variable_reads_as_a_parameter() -> None:
    added = "        Route::post($dataType->slug.'/action', $controller.'@action');\n"
    before = {"routes/voyager.php": VOYAGER % ""}
    after = {"routes/voyager.php": VOYAGER % added}
    assert grown(before, after) == {("added", "POST", "/{slug}/action")}


GOTENBERG = """package api

func (a *Api) Start() {
	a.srv.GET(fmt.Sprintf("%%s%%s", a.rootPath, "favicon.ico"), favicon)
%s}
"""


def test_a_go_route_path_formatted_with_sprintf() -> None:
    added = '\ta.srv.GET(fmt.Sprintf("%s%s", a.rootPath, "debug"), debugHandler)\n'
    assert grown({"api.go": GOTENBERG % ""}, {"api.go": GOTENBERG % added}) == {
        ("added", "GET", "/{rootPath}/debug")
    }
    # a value built at run time names no route
    runtime = '\ta.srv.GET(fmt.Sprintf("/x/%d/debug", n), debugHandler)\n'
    assert grown({"api.go": GOTENBERG % ""}, {"api.go": GOTENBERG % runtime}) == set()


PARCA_BEFORE = """package server

func (s *Server) Listen(mux *runtime.ServeMux) {
	mux.HandlePath(http.MethodGet, "/metrics", func(w http.ResponseWriter, r *http.Request, p map[string]string) {
		promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	})
}
"""
PARCA_AFTER = """package server

func (s *Server) Listen() {
	internalMux := chi.NewRouter()
	internalMux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	})
}
"""


def test_a_method_first_registration_with_a_literal_path_and_a_metrics_handler_on_every_method() -> None:
    # grpc-gateway's `HandlePath(method, path, h)` is the route `GET /metrics`, not a handler at a setting
    assert grown({}, {"server.go": PARCA_BEFORE}) == {("added", "GET", "/metrics")}
    # served on a chi router for every method: the metrics handler answers alike, nothing widens
    assert grown({"server.go": PARCA_BEFORE}, {"server.go": PARCA_AFTER}) == set()


def test_a_toolbar_added_under_settings_debug_is_the_development_servers_only() -> None:
    # Django serves what `if settings.DEBUG:` registers with DEBUG on only, never in production: adding it
    # exposes nothing (sets AP, AQ and AR label it so; C and AK had labelled it growth)
    urls = (
        "from django.conf import settings\nfrom django.urls import path, include\n\n"
        "urlpatterns = [path('about/', about)]\n\nif settings.DEBUG:\n    urlpatterns += [path('500/', err)]\n%s"
    )
    toolbar = "    urlpatterns += [path('__debug__/', include(debug_toolbar.urls))]\n"
    findings = compare({"config/urls.py": urls % ""}, {"config/urls.py": urls % toolbar}).findings
    assert [(f.change, f.endpoint.path, f.internal) for f in findings] == [("added", "/__debug__/**", False)]
    assert "registered only in debug builds" in findings[0].endpoint.reasons
    # the same include taken out of the block serves in production: it widens
    anywhere = urls % "" + "urlpatterns += [path('__debug__/', include(debug_toolbar.urls))]\n"
    widened = compare({"config/urls.py": urls % toolbar}, {"config/urls.py": anywhere}).findings
    assert [(f.change, f.internal) for f in widened] == [("widened", True)]


GIN_GROUP = """package router

func SetApiRouter(router *gin.Engine) {
	router.POST("/api/login", controller.Login)
	messageRoute := router.Group("/api/message")
	{
		messageRoute.GET("/", middleware.UserAuth(), controller.GetUserMessages)
		messageRoute.GET("/search", middleware.UserAuth(), controller.SearchMessages)
%s		messageRoute.GET("/:id", middleware.UserAuth(), controller.GetMessage)
	}
}
"""


def test_a_bare_route_two_levels_below_guarded_siblings_of_its_group() -> None:
    added = '\t\tmessageRoute.GET("/status/:link", controller.GetMessageStatus)\n'
    assert grown({"api-router.go": GIN_GROUP % ""}, {"api-router.go": GIN_GROUP % added}) == {
        ("added", "GET", "/api/message/status/{link}")
    }
    # a step of signing in is open by what it is
    reset = '\t\tmessageRoute.GET("/password/reset/:token", controller.Reset)\n'
    assert grown({"api-router.go": GIN_GROUP % ""}, {"api-router.go": GIN_GROUP % reset}) == set()


def test_an_unguarded_admin_route_renamed_into_a_guarded_namespace_is_no_growth() -> None:
    draw = "Rails.application.routes.draw do\n%send\n"
    before = (
        "  scope '/admin', :as => 'admin' do\n    resources :users_suspensions,\n"
        "      :controller => 'admin_users_suspensions',\n      :only => [:create]\n  end\n"
    )
    after = (
        "  namespace :admin do\n    resources :users, only: [] do\n      scope module: :users do\n"
        "        resource :suspension, only: [:create]\n      end\n    end\n  end\n"
    )
    controller = (
        "class Admin::Users::SuspensionsController < ApplicationController\n"
        "  before_action :require_admin\n  def create\n  end\nend\n"
    )
    base = {"config/routes.rb": draw % before}
    head = {
        "config/routes.rb": draw % after,
        "app/controllers/admin/users/suspensions_controller.rb": controller,
    }
    assert grown(base, head) == set()
    assert [f.change for f in compare(base, head).findings if f.endpoint.method == "POST"] == ["renamed"]


def test_a_viewset_whose_permission_check_becomes_plain_sign_in_widens() -> None:
    urls = (
        "from rest_framework import routers\nfrom ..viewsets import MetaViewSet\n\n"
        "router = routers.DefaultRouter()\nrouter.register(r'meta', MetaViewSet, basename='meta')\n"
    )
    viewset = (
        "from rest_framework import viewsets\n\nclass MetaViewSet(viewsets.ViewSet):\n%s\n"
        "    def list(self, request):\n        return Response({})\n"
    )
    rules = "    permission_classes = [HasRulesPermission]\n    permission_required = 'management.can_view'\n"
    signed_in = "    permission_classes = (IsAuthenticated, )\n"
    base = {"app/urls/v1.py": urls, "app/viewsets.py": viewset % rules}
    head = {"app/urls/v1.py": urls, "app/viewsets.py": viewset % signed_in}
    assert ("widened", "ANY", "/meta") in grown(base, head)
    assert grown(head, base) == set()


def test_a_laravel_middleware_class_named_for_auth_guards_its_group() -> None:
    web = (
        "<?php\nuse App\\Http\\Middleware\\Auth as PanelAuthMiddleware;\n\n"
        "Route::middleware(['web', PanelAuthMiddleware::class, HandleInertiaRequests::class])->prefix('panel')"
        "->group(function () {\n    Route::get('/', DashboardController::class);\n%s});\n"
    )
    added = "    Route::get('system/logs', [LogsController::class, 'index']);\n"
    findings = compare({"routes/web.php": web % ""}, {"routes/web.php": web % added}).findings
    assert [(f.change, f.endpoint.path, f.endpoint.auth, f.internal) for f in findings] == [
        ("added", "/panel/system/logs", "authenticated", True)
    ]
    # a CSRF check is what every web route passes, no sign-in
    csrf = web.replace("PanelAuthMiddleware::class", "VerifyCsrfToken::class")
    findings = compare({"routes/web.php": csrf % ""}, {"routes/web.php": csrf % added}).findings
    assert [f.endpoint.auth for f in findings] == ["unauthenticated"]


def test_net_http_client_calls_are_no_routes() -> None:
    runner = (
        "package handler\n\nfunc (r *Runner) sync() error {\n"
        '\tresp, err := http.Get(masterURL + "/scan?path=" + dir)\n'
        '\t_, err = http.Post(masterURL + "/admin/report", "application/json", body)\n\treturn err\n}\n'
    )
    assert compare({}, {"runner.go": runner}).findings == ()


SYNC = """package handlers

func Init(e *gin.Engine) {
	api := e.Group("/api")
	{
		admin := api.Group("/admin")
		root := api.Group("/admin")
		admin.Use(middlewares.AuthAdminMiddleware)
		initAdmin(admin, root)
	}
}

func initAdmin(admin *gin.RouterGroup, root *gin.RouterGroup) {
	admin.GET("/settings", AdminSettings)
%s}
"""


def test_groups_handed_to_a_function_of_several_router_parameters() -> None:
    added = '\tadmin.POST("/room/delete", AdminDeleteRoom)\n'
    assert grown({"init.go": SYNC % ""}, {"init.go": SYNC % added}) == {
        ("added", "POST", "/api/admin/room/delete")
    }


def test_an_interpolation_in_a_rails_route_line_is_no_comment() -> None:
    routes = (
        "Rails.application.routes.draw do\n  namespace :admin do\n"
        "    resources :users, constraints: { id: /[#{User::LOGIN_FORMAT}]*/ } do\n"
        "      member do\n        delete :clean\n      end\n    end\n%s  end\n"
        '  get "api", to: "home#api" # the API page\nend\n'
    )
    added = "    resources :plugins, only: [:index]\n"
    head = {"config/routes.rb": routes % added}
    assert grown({"config/routes.rb": routes % ""}, head) == {("added", "GET", "/admin/plugins")}
    assert "/api" in {f.endpoint.path for f in compare({}, head).findings}


RESOURCES = """from fastapi import APIRouter, Depends
from backend.services.auth import pm_only

router = APIRouter(prefix="/levels")


@router.get("/")
async def get_levels(db: Database = Depends(get_db)):
    return []
%s"""
AUTH_SERVICE = """from fastapi import HTTPException


async def pm_only(authorization: str = Security(APIKeyHeader(name="Authorization")), db=Depends(get_db)):
    if not authorization:
        raise HTTPException(status_code=401, detail="Authorization header missing")
    user = await load(db, authorization)
    if user["role"] != UserRole.ADMIN.value:
        raise HTTPException(status_code=403, detail="Admin access required")
    return user


async def login_optional(authorization: str = Security(APIKeyHeader(name="Authorization", auto_error=False))):
    if not authorization:
        return None
    raise HTTPException(status_code=401)
"""


def test_a_fastapi_dependency_of_the_project_is_read_from_its_definition() -> None:
    added = (
        '\n\n@router.delete("/{level_id}/")\n'
        "async def delete_level(level_id: int, db: Database = Depends(get_db), user: AuthUserDTO = Depends(pm_only)):\n"
        "    return None\n"
    )
    base = {"backend/api/levels.py": RESOURCES % "", "backend/services/auth.py": AUTH_SERVICE}
    head = {"backend/api/levels.py": RESOURCES % added, "backend/services/auth.py": AUTH_SERVICE}
    assert grown(base, head) == {("added", "DELETE", "/levels/{level_id}")}
    findings = compare(base, head).findings
    assert [f.endpoint.auth for f in findings] == ["authenticated"]
    # a dependency that lets anonymous callers through guards nothing
    optional = {"backend/api/levels.py": (RESOURCES % added).replace("pm_only)", "login_optional)")}
    optional["backend/services/auth.py"] = AUTH_SERVICE
    assert [f.endpoint.auth for f in compare(base, optional).findings] == ["unauthenticated"]


WEB_PHP = """<?php
Route::group(['namespace' => 'Frontend'], function () {
    includeRouteFiles(__DIR__.'/Frontend/');
});
Route::group(['namespace' => 'Backend', 'prefix' => 'admin', 'middleware' => 'admin'], function () {
    includeRouteFiles(__DIR__.'/Backend/');
});
"""
ACCESS_PHP = """<?php
Route::group(['prefix' => 'access'], function () {
    Route::get('user/deactivated', 'UserStatusController@getDeactivated');
%s});
"""


def test_a_laravel_helper_requiring_a_whole_directory_mounts_each_file() -> None:
    added = "    Route::delete('user/{user}/social/{social}/unlink', 'UserSocialController@unlink');\n"
    base = {"routes/web.php": WEB_PHP, "routes/Backend/Access.php": ACCESS_PHP % ""}
    head = {"routes/web.php": WEB_PHP, "routes/Backend/Access.php": ACCESS_PHP % added}
    assert grown(base, head) == {("added", "DELETE", "/admin/access/user/{user}/social/{social}/unlink")}
    assert names_file(WEB_PHP, "routes/Backend/Access.php", "routes/web.php")
    assert not names_file(WEB_PHP, "routes/Api/Access.php", "routes/web.php")


def test_a_search_round_takes_every_file_naming_a_laravel_route_file_and_the_first_elsewhere() -> None:
    provider = (
        "<?php\n// Access control lives under routes/Backend\nRoute::group(base_path('routes/web.php'));\n"
    )
    round_ = [
        ("app/Providers/RouteServiceProvider.php", provider),
        ("routes/web.php", WEB_PHP),
        ("x.php", None),
    ]
    assert mounts_of_round(["routes/Backend/Access.php"], round_, 8) == (
        ["app/Providers/RouteServiceProvider.php", "routes/web.php"],
        [],
    )
    assert mounts_of_round(["routes/Backend/Access.php"], round_, 1)[0] == [
        "app/Providers/RouteServiceProvider.php"
    ]
    main = "from app.routes import reports\napp.include_router(reports.router)\n"
    py_round = [("app/main.py", main), ("app/api.py", main)]
    assert mounts_of_round(["app/routes/reports.py"], py_round, 8) == (["app/main.py"], [])
