"""Issue 14: idioms read from the misses of set AM, each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.extract import extract, unresolved_guards
from tests.exposure_growth import grown


def test_flags_after_a_go_handler_are_no_wrapper() -> None:
    """`r.HandleFunc("/x", HandlePermissionPolicy, false)`: a project router's flag follows the handler, whose
    name wraps nothing; dropping the flag downgrades no guard."""
    go = "package api\n\nfunc Register(authRouter *auth.RouterDef) {\n%s}\n"
    before = '\tauthRouter.HandleFunc("/api/header/policy", HandlePermissionPolicy, false)\n'
    after = '\tauthRouter.HandleFunc("/api/header/policy", HandlePermissionPolicy)\n'
    assert grown({"src/api.go": go % before}, {"src/api.go": go % after}) == set()
    wrapped = '\tauthRouter.HandleFunc("/api/x", RequireAdmin, listThings)\n'
    (ep,) = extract({"src/api.go": go % wrapped})
    assert ep.reasons == ("wrapped in RequireAdmin",)


def test_a_lower_case_skip_auth_decorator_opens_a_route_of_a_global_guard() -> None:
    ts = (
        "@Controller('jobs')\nexport class JobsController {\n%s  @Get('/:id')\n"
        "  async one(@Param('id') id: string) {\n    return id;\n  }\n}\n"
    )
    assert grown(
        {"src/jobs/jobs.controller.ts": ts % ""}, {"src/jobs/jobs.controller.ts": ts % "  @skipAuth()\n"}
    ) == {("widened", "GET", "/jobs/{id}")}


def test_bare_fastapi_dependencies_are_guards_and_rbac_outranks_a_token() -> None:
    py = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
        "@router.get('/download/{pk}', dependencies=[%s])\nasync def download(pk: int):\n    return pk\n"
    )
    (ep,) = extract({"app/gen.py": py % "DependsRBAC"})
    assert ep.auth == "authenticated"
    assert grown({"app/gen.py": py % "DependsRBAC"}, {"app/gen.py": py % "DependsJwtAuth"}) == {
        ("widened", "GET", "/download/{pk}")
    }
    assert grown({"app/gen.py": py % "DependsJwtAuth"}, {"app/gen.py": py % "DependsRBAC"}) == set()


def test_a_filter_chain_for_one_path_that_permits_everything_opens_that_path() -> None:
    java = (
        "@Configuration\npublic class SchemaSecurity extends WebSecurityConfigurerAdapter {\n"
        "  @Override\n  protected void configure(HttpSecurity http) throws Exception {\n"
        '    http.requestMatcher(new AntPathRequestMatcher("/managed/schema"))\n'
        "        .authorizeRequests()\n        .anyRequest()\n        .%s();\n  }\n}\n"
    )
    assert grown({}, {"config/SchemaSecurity.java": java % "permitAll"}) == {
        ("widened", "ANY", "/managed/schema")
    }
    assert grown({}, {"config/SchemaSecurity.java": java % "authenticated"}) == set()


def test_groovy_security_configuration_is_read() -> None:
    groovy = (
        "class AuthConfig {\n  void configure(HttpSecurity http) {\n    http.authorizeRequests()\n"
        "        .antMatchers('/health').permitAll()\n%s        .antMatchers('/**').authenticated()\n  }\n}\n"
    )
    added = "        .antMatchers(HttpMethod.POST, '/hooks/**').permitAll()\n"
    found = grown({"config/AuthConfig.groovy": groovy % ""}, {"config/AuthConfig.groovy": groovy % added})
    assert ("widened", "ANY", "/hooks/**") in found


def test_a_route_to_the_admin_controller_is_internal() -> None:
    rb = "Rails.application.routes.draw do\n  get 'about' => 'home#about'\n%send\n"
    assert grown(
        {"config/routes.rb": rb % ""}, {"config/routes.rb": rb % "  get 'smtp_test' => 'admin#smtp_test'\n"}
    ) == {("added", "GET", "/smtp_test")}
    assert (
        grown({"config/routes.rb": rb % ""}, {"config/routes.rb": rb % "  get 'x' => 'pages#x'\n"}) == set()
    )


def test_rest_framework_views_without_classes_send_the_search_to_the_settings() -> None:
    views = (
        "from rest_framework import viewsets\n\n\nclass SourceViewSet(viewsets.ModelViewSet):\n"
        "    queryset = Source.objects.all()\n"
    )
    urls = (
        "from rest_framework import routers\n\nrouter = routers.SimpleRouter()\n"
        "router.register(r'sources', SourceViewSet)\nurlpatterns = router.urls\n"
    )
    files = {"app/views.py": views, "app/urls.py": urls}
    assert "DEFAULT_PERMISSION_CLASSES" in unresolved_guards(files)
    settings = (
        "REST_FRAMEWORK = {\n"
        '    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),\n}\n'
    )
    assert "DEFAULT_PERMISSION_CLASSES" not in unresolved_guards({**files, "site/settings.py": settings})
    guarded = views.replace("    queryset", "    permission_classes = [IsAuthenticated]\n    queryset")
    base = {"app/views.py": guarded, "app/urls.py": urls, "site/settings.py": settings}
    assert grown(base, {**base, "app/views.py": views}) == set()


def test_a_read_beside_guarded_writes_is_no_unguarded_sibling() -> None:
    java = (
        '@RestController\n@RequestMapping("/pluginInfo")\npublic class PluginController {\n'
        "  @PreAuthorize(\"hasPermission(#p, 'APPLICATION', 'WRITE')\")\n"
        "  @PostMapping\n  public void save(@RequestBody P p) {}\n\n"
        "  @PreAuthorize(\"hasPermission(#p, 'APPLICATION', 'WRITE')\")\n"
        '  @DeleteMapping("/{id}")\n  public void delete(@PathVariable String id) {}\n%s}\n'
    )
    read = "\n  @GetMapping\n  public List<P> all() {\n    return null;\n  }\n"
    found = compare({"web/PluginController.java": java % ""}, {"web/PluginController.java": java % read})
    assert [(f.change, f.endpoint.method, f.internal) for f in found.findings] == [("added", "GET", False)]
    write = "\n  @PutMapping\n  public void put(@RequestBody P p) {}\n"
    found = compare({"web/PluginController.java": java % ""}, {"web/PluginController.java": java % write})
    assert [(f.change, f.endpoint.method, f.internal) for f in found.findings] == [("added", "PUT", True)]


def test_a_route_helper_taking_the_method_as_a_constant() -> None:
    ts = (
        'import { apiRoute, route } from "./route_api.js";\n\nfunction register(app) {\n'
        '    route(GET, "/", [auth.checkAuth], indexRoute.index);\n%s}\n'
    )
    added = '    apiRoute(GET, "/api/metrics", metricsRoute.getMetrics);\n'
    assert grown({"src/routes/routes.ts": ts % ""}, {"src/routes/routes.ts": ts % added}) == {
        ("added", "GET", "/api/metrics")
    }


def test_a_laravel_closure_dumping_state_is_a_debugging_route() -> None:
    php = "<?php\n\nuse Illuminate\\Support\\Facades\\Route;\n\nRoute::get('/', [HomeController::class, 'index']);\n%s"
    dump = "Route::get('/role', function () {\n    dd(User::find(2)->roles);\n});\n"
    plain = "Route::get('/about', function () {\n    return view('about');\n});\n"
    assert grown({"routes/web.php": php % ""}, {"routes/web.php": php % dump}) == {("added", "GET", "/role")}
    assert grown({"routes/web.php": php % ""}, {"routes/web.php": php % plain}) == set()


def test_a_route_moved_into_a_helper_of_the_project_keeps_whatever_guard_the_helper_applies() -> None:
    ts = 'import { apiRoute, route } from "./route_api.js";\n\nfunction register(app) {\n%s}\n'
    before = '    route(GET, "/api/notes/:id", [auth.checkApiAuth, csrfMiddleware], notes.get);\n'
    after = '    apiRoute(GET, "/api/notes/:id", notes.get);\n'
    assert grown({"src/routes/routes.ts": ts % before}, {"src/routes/routes.ts": ts % after}) == set()
    dropped = '    route(GET, "/api/notes/:id", [], notes.get);\n'
    assert grown({"src/routes/routes.ts": ts % before}, {"src/routes/routes.ts": ts % dropped}) == {
        ("widened", "GET", "/api/notes/{id}")
    }


def test_a_laravel_action_chained_with_uses_meets_its_controllers_guards() -> None:
    controller = (
        "<?php\nclass CharacterController extends Controller\n{\n    public function show()\n    {\n"
        "        $this->checkPermission('character-view');\n        return view('x');\n    }\n}\n"
    )
    array = "<?php\nRoute::get('/{character}', ['as' => 'c.view', 'uses' => 'CharacterController@show']);\n"
    fluent = "<?php\nRoute::get('/{character}')\n    ->name('core::c.view')\n    ->uses('CharacterController@show');\n"
    base = {"app/Http/Controllers/CharacterController.php": controller, "routes/character.php": array}
    assert grown(base, {**base, "routes/character.php": fluent}) == set()


def test_a_file_routing_only_through_a_register_helper_is_read() -> None:
    ts = 'import { registerApi } from "./api.js";\n\nexport function wire(app) {\n%s}\n'
    added = '    registerApi(GET, "/internal/queues", queues.list);\n'
    assert grown({"src/wire.ts": ts % ""}, {"src/wire.ts": ts % added}) == {
        ("added", "GET", "/internal/queues")
    }


def test_a_go_route_served_by_the_admin_panels_controller_is_internal() -> None:
    go = (
        'package router\n\nimport "github.com/gin-gonic/gin"\n\n'
        "func (a *APIRouter) RegisterAdminRouter(r *gin.RouterGroup) {\n"
        '\tr.GET("/users/page", a.adminUserController.GetUserPage)\n%s}\n'
    )
    added = '\tr.POST("/user/activation", a.adminUserController.SendActivation)\n'
    assert grown({"internal/router/api.go": go % ""}, {"internal/router/api.go": go % added}) == {
        ("added", "POST", "/user/activation")
    }
    plain = added.replace("adminUserController", "userController")
    assert grown({"internal/router/api.go": go % ""}, {"internal/router/api.go": go % plain}) == set()
