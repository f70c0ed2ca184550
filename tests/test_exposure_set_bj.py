"""Idioms met in exposure set BJ, each reduced to a snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown


def test_token_and_sign_up_routes_are_doors() -> None:
    path = "api/routers/auth.py"
    base = (
        "from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n\n"
        '@router.get("/user")\nasync def me(u=Depends(get_current_user)):\n    return u\n'
    )
    doors = (
        '\n\n@router.post("/auth/token")\nasync def token(form):\n    return {}\n'
        '\n\n@router.post("/user/create")\nasync def create(form):\n    return {}\n'
    )
    assert grown({path: base}, {path: base + doors}) == set()
    other = '\n\n@router.post("/user/{user_id}/create")\nasync def create(user_id):\n    return {}\n'
    assert grown({path: base}, {path: base + other}) == {("added", "POST", "/user/{user_id}/create")}


def test_docs_uis_handed_to_a_js_route_are_operations_surfaces() -> None:
    hono = 'import { swaggerUI } from "@hono/swagger-ui";\nconst app = new OpenAPIHono();\napp.get("/docs", swaggerUI({ url: "/json" }));\n'
    assert grown({}, {"apps/api/src/index.ts": hono}) == {("added", "GET", "/docs")}
    express = (
        'const swaggerUi = require("swagger-ui-express");\nconst app = express();\n'
        'app.use("/api-docs", swaggerUi.serve, swaggerUi.setup(doc));\n'
    )
    assert grown({}, {"src/app.js": express}) == {("added", "ANY", "/api-docs")}


def test_prometheus_clients_own_app_mounted_at_a_path() -> None:
    text = (
        "from werkzeug.middleware.dispatcher import DispatcherMiddleware\n"
        "from prometheus_client import make_wsgi_app as prometheus_app\n\n"
        'application = DispatcherMiddleware(service, {"/metrics": prometheus_app()})\n'
    )
    assert grown({}, {"service/app.py": text}) == {("added", "ANY", "/metrics/**")}


PPROF_MAIN = 'package main\n\nimport (\n\t"flag"\n%s)\n\nfunc main() { flag.Parse() }\n'
PPROF_MUX = """package debug

import (
	"net/http"
	"net/http/pprof"
)

func RegisterPProfHandlers(mux *http.ServeMux) {
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
}
"""


def test_pprof_handlers_registered_explicitly_where_a_blank_import_served_them() -> None:
    base = {"cmd/server/main.go": PPROF_MAIN % '\t_ "net/http/pprof"\n'}
    head = {"cmd/server/main.go": PPROF_MAIN % "", "x/debug/pprof.go": PPROF_MUX}
    assert grown(base, head) == set()
    assert grown({"cmd/server/main.go": PPROF_MAIN % ""}, head) != set()


APP_MODULE = """import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

@Module({
  providers: [%s],
})
export class AppModule {}
"""
TOKENS = """import { Controller, Get, UseGuards } from '@nestjs/common';

@Controller('users/:userId/access-tokens')
export class AccessTokenController {
  %s
  @Get()
  async getAll() { return []; }
}
"""


def nest_app(providers: str, route_guard: str) -> dict[str, str]:
    """An application module registering `providers` and a controller whose route carries `route_guard`."""
    return {"src/app.module.ts": APP_MODULE % providers, "src/tokens.controller.ts": TOKENS % route_guard}


def test_a_nest_guard_moved_into_a_global_registration_moves_nothing() -> None:
    base = nest_app("", "@UseGuards(ScopesGuard)")
    head = nest_app("{ provide: APP_GUARD, useClass: ScopesGuard }", "")
    assert grown(base, head) == set()
    assert grown(base, {**head, "src/app.module.ts": APP_MODULE % ""}) == {
        ("widened", "GET", "/users/{userId}/access-tokens")
    }


SHIRO = """@RestController
@RequestMapping("/api/v1/product")
%s
public class ProductController {
    %s
    @PostMapping("/post")
    public GlobalResult add(@RequestBody Product product) { return null; }
}
"""


def test_a_role_annotation_moved_to_the_class_keeps_its_roles() -> None:
    path = "src/main/java/app/web/ProductController.java"
    roles = '@RequiresRoles(value = {"blog_admin", "admin"}, logical = Logical.OR)'
    assert grown({path: SHIRO % ("", roles)}, {path: SHIRO % (roles, "")}) == set()


DJANGO_URLS = """from django.conf import settings
from django.urls import path

from app.debug import urls as debug_urls

urlpatterns = [path("health/", health)]
%s"""
DEBUG_URLS = """from django.urls import path

urlpatterns = [path("__debug__/mail/order", MailPreview.as_view())]
"""


def test_a_debug_urlconf_concatenated_under_settings_debug_serves_in_debug_builds_only() -> None:
    inline = (
        "\nif settings.DEBUG:\n    urlpatterns += [\n"
        '        path("__debug__/mail/order", MailPreview.as_view()),\n    ]\n'
    )
    base = {"app/urls.py": DJANGO_URLS % inline}
    head = {
        "app/urls.py": DJANGO_URLS % "\nif settings.DEBUG:\n    urlpatterns += debug_urls.urlpatterns\n",
        "app/debug/urls.py": DEBUG_URLS,
    }
    assert grown(base, head) == set()
    everywhere = {**head, "app/urls.py": DJANGO_URLS % "\nurlpatterns += debug_urls.urlpatterns\n"}
    assert grown(base, everywhere) != set()


def test_an_api_document_moved_under_a_private_prefix_is_a_move() -> None:
    spec = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  %s:\n    get:\n      responses: {'200': {description: ok}}\n"
    base = {"contracts/uiproxyd.yml": spec % "/api/v2/maps/mapToken"}
    head = {"contracts/priv/uiproxyd.yml": spec % "/api/v2private/uiproxy/mapToken"}
    assert grown(base, head) == set()
    # a sibling service's document of the same name is another API
    other = {"services/billing/uiproxyd.yml": spec % "/api/v2private/uiproxy/mapToken"}
    assert grown({"services/catalog/uiproxyd.yml": spec % "/api/v2/maps/mapToken"}, other) != set()


def test_dead_letter_queue_administration_is_internal() -> None:
    text = """@RestController
@RequestMapping("/migrate/dead-letter-queue")
class DeadLetterQueueResource {
    @GetMapping("/{migrationType}")
    fun list(@PathVariable migrationType: String) = listOf<String>()
}
"""
    path = "src/main/kotlin/app/resources/DeadLetterQueueResource.kt"
    assert grown({}, {path: text}) == {("added", "GET", "/migrate/dead-letter-queue/{migrationType}")}


def test_a_rate_limiting_global_guard_guards_nothing() -> None:
    base = nest_app("", "@UseGuards(JwtAuthGuard)")
    head = nest_app("{ provide: APP_GUARD, useClass: ThrottlerGuard }", "")
    assert grown(base, head) == {("widened", "GET", "/users/{userId}/access-tokens")}
    # a test module's registration is no application's
    in_test = {**head, "test/app.e2e-spec.ts": APP_MODULE % "{ provide: APP_GUARD, useClass: JwtAuthGuard }"}
    assert grown(base, in_test) == {("widened", "GET", "/users/{userId}/access-tokens")}


def test_a_kept_blank_import_does_not_cover_profiler_handlers_added_elsewhere() -> None:
    main = {"cmd/server/main.go": PPROF_MAIN % '\t_ "net/http/pprof"\n'}
    head = {**main, "x/debug/pprof.go": PPROF_MUX}
    assert grown(main, head) != set()


def test_a_relatively_imported_debug_urlconf_is_debug_only() -> None:
    urls = DJANGO_URLS.replace(
        "from app.debug import urls as debug_urls", "from .debug import urls as debug_urls"
    )
    inline = (
        "\nif settings.DEBUG:\n    urlpatterns += [\n"
        '        path("__debug__/mail/order", MailPreview.as_view()),\n    ]\n'
    )
    head = {
        "app/urls.py": urls % "\nif settings.DEBUG:\n    urlpatterns += debug_urls.urlpatterns\n",
        "app/debug/urls.py": DEBUG_URLS,
    }
    assert grown({"app/urls.py": urls % inline}, head) == set()


def test_a_docs_ui_keeps_the_guards_in_front_of_it() -> None:
    text = (
        'const swaggerUi = require("swagger-ui-express");\nconst app = express();\n'
        'app.use("/api-docs", %sswaggerUi.serve, swaggerUi.setup(doc));\n'
    )
    assert grown({"src/app.js": text % "requireAuth, "}, {"src/app.js": text % ""}) == {
        ("widened", "ANY", "/api-docs")
    }
