"""Issue 14: idioms read from set N's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure import extract
from checks.exposure.compare import is_probe
from tests.exposure_growth import grown

HOOKS = """const PUBLIC_PATHS = [%s];

export async function handle({ event, resolve }) {
  if (!PUBLIC_PATHS.includes(event.url.pathname) && !event.locals.user) {
    return redirect(302, "/login");
  }
  return resolve(event);
}
"""


def test_a_health_probe_exempted_from_login_is_public_by_convention() -> None:
    base = {"src/hooks.server.ts": HOOKS % '"/login"'}
    assert grown(base, {"src/hooks.server.ts": HOOKS % '"/login", "/healthz"'}) == set()
    assert grown(base, {"src/hooks.server.ts": HOOKS % '"/login", "/health/ready"'}) == set()
    assert grown(base, {"src/hooks.server.ts": HOOKS % '"/login", "/api/users"'}) == {
        ("widened", "ANY", "/api/users")
    }
    assert is_probe("/healthz") and is_probe("/api/health/live") and not is_probe("/api/healthcare/records")


SECURITY = """@Configuration
public class SecurityConfig {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a
            .requestMatchers(%s).permitAll()
            .anyRequest().authenticated()).build();
    }
}
"""


def test_an_exemption_moved_under_a_new_prefix_exempts_nothing_more() -> None:
    path = "src/main/java/app/SecurityConfig.java"
    base = {path: SECURITY % '"/v3/api-docs/**", "/login"'}
    assert grown(base, {path: SECURITY % '"/api/v3/api-docs/**", "/login"'}) == set()
    # A new exempted path is still a widening.
    assert grown(base, {path: SECURITY % '"/v3/api-docs/**", "/login", "/api/export/**"'}) == {
        ("widened", "ANY", "/api/export/**")
    }


SYSTEM = """from flask import Blueprint

system_blueprint = Blueprint("system_blueprint", __name__, url_prefix="/system")

@system_blueprint.route("/settings", methods=["GET"])
@admin_required
def get_settings():
    return settings()
%s"""
TOKEN = """from flask import Blueprint

token_blueprint = Blueprint("token_blueprint", __name__, url_prefix="/token")

@token_blueprint.route("/", methods=["GET"])
@login_required
def list_tokens():
    return tokens()
%s"""
PURGE = """
@{bp}.route("{path}", methods=["DELETE"])
@admin_required
def purge_expired():
    return purge()
"""


def test_an_admin_endpoint_moved_to_another_module_with_the_same_guards_is_a_rename() -> None:
    base = {
        "api/system.py": SYSTEM % PURGE.format(bp="system_blueprint", path="/challenge-cache"),
        "api/token.py": TOKEN % "",
    }
    head = {
        "api/system.py": SYSTEM % "",
        "api/token.py": TOKEN % PURGE.format(bp="token_blueprint", path="/challenges/expired"),
    }
    assert {ep.path for ep in extract(head)} >= {"/token/challenges/expired"}
    assert grown(base, head) == set()
    # A second admin endpoint arriving beside the moved one is still growth.
    more = PURGE.format(bp="token_blueprint", path="/challenges/expired") + PURGE.replace(
        "purge_expired", "wipe"
    ).format(bp="token_blueprint", path="/challenges/all")
    assert grown(base, {"api/system.py": SYSTEM % "", "api/token.py": TOKEN % more}) == {
        ("added", "DELETE", "/token/challenges/all")
    }


SERVER_RESOURCE = """package org.shop.api;

@Path("server")
public class ServerResource extends BaseResource {
    @GET
    public Server get() { return server(); }
%s}
"""


def test_a_jax_rs_method_that_first_calls_a_check_for_an_admin_is_admin_only() -> None:
    gc = '\n    @Path("gc")\n    @GET\n    public Response gc() {\n        permissionsService.checkAdmin(getUserId());\n        System.gc();\n        return Response.ok().build();\n    }\n'
    path = "src/main/java/org/shop/api/ServerResource.java"
    assert grown({path: SERVER_RESOURCE % ""}, {path: SERVER_RESOURCE % gc}) == {
        ("added", "GET", "/server/gc")
    }
    plain = gc.replace(
        "permissionsService.checkAdmin(getUserId());", "permissionsService.checkReadonly(getUserId());"
    )
    assert grown({path: SERVER_RESOURCE % ""}, {path: SERVER_RESOURCE % plain}) == set()


MAIN_PY = """from fastapi import FastAPI

app = FastAPI()
%s
@app.get("/items")
def items():
    return []
"""


def test_prometheus_fastapi_instrumentator_serves_metrics() -> None:
    exposed = "from prometheus_fastapi_instrumentator import Instrumentator\nInstrumentator().instrument(app).expose(app)\n"
    assert grown({"api/main.py": MAIN_PY % ""}, {"api/main.py": MAIN_PY % exposed}) == {
        ("added", "ANY", "/metrics/**")
    }


INDEX_TS = """import { Hono } from "hono";
import { cronRouter } from "./cron";

const app = new Hono();
app.route("/cron", cronRouter);
export default app;
"""
CRON_TS = """import { Hono } from "hono";

const app = new Hono();
app.get("/checker", (c) => check(c));
%s
export { app as cronRouter };
"""


def test_a_named_import_of_a_renamed_export_mounts_the_router_and_cron_triggers_are_internal() -> None:
    base = {"src/index.ts": INDEX_TS, "src/cron/index.ts": CRON_TS % ""}
    head = {"src/index.ts": INDEX_TS, "src/cron/index.ts": CRON_TS % 'app.get("/monitors", (c) => run(c));'}
    assert {ep.path for ep in extract(head)} == {"/cron/checker", "/cron/monitors"}
    assert grown(base, head) == {("added", "GET", "/cron/monitors")}


def test_an_index_file_is_named_by_its_directory_where_it_is_imported() -> None:
    from checks.exposure.mounts import names_file, search_terms

    assert "./cron" in search_terms("apps/workflows/src/cron/index.ts")
    assert names_file('import { cronRouter } from "./cron";', "apps/workflows/src/cron/index.ts")
    assert not names_file('import tab from "./crontab";', "apps/workflows/src/cron/index.ts")


TOOLCHAIN_RS = """use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn create_dist_routes(state: AppStateData) -> OpenApiRouter<AppStateData> {
    OpenApiRouter::new()
        .routes(routes!(get_manifest))
%s}

#[utoipa::path(get, path = "/{manifest}", tag = "dist")]
pub async fn get_manifest(Path(manifest): Path<String>) -> Response {
    manifest_of(manifest)
}

#[cfg(test)]
mod tests {
    fn create_test_router() -> Router {
        Router::new().route("/debug/everything", get(get_manifest))
    }
}
"""


def test_utoipa_routes_take_the_layers_of_their_chain_and_test_modules_declare_nothing() -> None:
    layered = "        .layer(middleware::from_fn_with_state(state, session::session_auth_when_required))\n"
    base = {"src/routes/toolchain_routes.rs": TOOLCHAIN_RS % layered}
    (ep,) = extract(base)
    assert (ep.method, ep.path, ep.reasons) == (
        "GET",
        "/{manifest}",
        ("layer session::session_auth_when_required",),
    )
    head = {"src/routes/toolchain_routes.rs": TOOLCHAIN_RS % ""}
    assert grown(base, head) == {("widened", "GET", "/{manifest}")}


NEST = """import { Controller, Get } from '@nestjs/common';
import { Roles } from '@/utils/decorators/roles.decorator';

@Controller('nlpsample')
export class NlpSampleController {
  %s
  @Get('count')
  async count() {
    return this.service.count();
  }

  @Roles('admin')
  @Get('export')
  async export() {
    return this.service.export();
  }
}
"""


def test_nest_roles_decorators_open_or_guard_a_route() -> None:
    path = "api/src/nlp/controllers/nlp-sample.controller.ts"
    found = {ep.path: ep for ep in extract({path: NEST % ""})}
    assert found["/nlpsample/export"].reasons == ("@Roles('admin')",)
    assert grown({path: NEST % ""}, {path: NEST % "@Roles('public')"}) == {
        ("widened", "GET", "/nlpsample/count")
    }


SECURITY_RULES = """@Configuration
public class SecurityConfig {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a
            .requestMatchers(HttpMethod.GET, "/api/tags/**").permitAll()
            .requestMatchers(HttpMethod.POST, "/api/tags/**").%s
            .anyRequest().authenticated()).build();
    }
}
"""


def test_a_spring_security_rule_downgraded_on_the_same_matcher_widens() -> None:
    path = "src/main/java/app/SecurityConfig.java"
    base = {path: SECURITY_RULES % 'hasAuthority("ADMIN")'}
    assert grown(base, {path: SECURITY_RULES % "authenticated()"}) == {("widened", "POST", "/api/tags/**")}
    # Tightened, or a new rule on its own: no growth.
    assert grown({path: SECURITY_RULES % "authenticated()"}, base) == set()
    assert grown({path: SECURITY_RULES % 'hasAuthority("ADMIN")'.replace("ADMIN", "EDITOR")}, base) == set()


SESSION_RESOURCE = """package org.shop.api;

@Path("session")
public class SessionResource extends BaseResource {
    @Path("{id}")
    @GET
    public User get(@PathParam("id") long userId) throws StorageException {
        %s
        return login(userId);
    }
}
"""


def test_a_jax_rs_sub_path_with_a_brace_and_an_inline_check_loosened() -> None:
    path = "src/main/java/org/shop/api/SessionResource.java"
    base = {path: SESSION_RESOURCE % "permissionsService.checkAdmin(getUserId());"}
    (ep,) = extract(base)
    assert (ep.method, ep.path) == ("GET", "/session/{id}")
    head = {path: SESSION_RESOURCE % "permissionsService.checkUser(getUserId(), userId);"}
    assert grown(base, head) == {("widened", "GET", "/session/{id}")}


ROUTES_RB = """Rails.application.routes.draw do
  resources :users, only: :show do
    scope module: "users" do
      resource :avatar, only: %%i[ show ]
%s
      scope defaults: { user_id: "me" } do
        resource :profile, only: :show
      end
    end
  end
end
"""
BANS = """class Users::BansController < ApplicationController
  before_action :ensure_can_administer

  def create
    @user.ban
  end
end
"""


def test_rails_scope_module_and_a_singular_resource_meet_their_plural_controller() -> None:
    ban = "      resource :ban, only: %i[ create ]\n"
    base = {"config/routes.rb": ROUTES_RB % "", "app/controllers/users/bans_controller.rb": BANS}
    head = {"config/routes.rb": ROUTES_RB % ban, "app/controllers/users/bans_controller.rb": BANS}
    assert {ep.path for ep in extract(base)} == {
        "/users/{id}",
        "/users/{user_id}/avatar",
        "/users/{user_id}/profile",
    }
    assert grown(base, head) == {("added", "POST", "/users/{user_id}/ban")}
