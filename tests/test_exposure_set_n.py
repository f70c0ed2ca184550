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
