"""Public allowlists: an entry that appears exempts what it names from authentication."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.allowlist import entry_key, extract_allowlist

GO_ACL = """package api

var PublicMethods = map[string]struct{}{
\t"/shop.v1.AuthService/Login": {},
}

func isPublic(m string) bool { _, ok := PublicMethods[m]; return ok }
"""

TS_GUARD = """const anonymousPaths = new Set([
  "/api/health",
]);
export function skip(path: string) { return anonymousPaths.has(path); }
"""

PY_MIDDLEWARE = """SKIP_AUTH_PATHS = frozenset({
    "/status",
})
"""

SPRING = """class Security {
  void configure(HttpSecurity http) {
    http.authorizeRequests().antMatchers("/static/**").permitAll().anyRequest().authenticated();
  }
}
"""


def _widened(path: str, base: str, head: str) -> set[tuple[str, str]]:
    delta = compare({path: base}, {path: head})
    assert all(f.change != "widened" or delta.grows for f in delta.findings)
    return {(f.endpoint.kind, f.endpoint.path) for f in delta.findings if f.change == "widened"}


def test_go_map_entry_naming_an_rpc_removes_its_auth() -> None:
    head = GO_ACL.replace("{},\n}", '{},\n\t"/shop.v1.OrderService/ListOrders": {},\n}')
    assert _widened("api/acl.go", GO_ACL, head) == {("public", "shop.v1.OrderService/ListOrders")}


def test_js_set_python_set_and_spring_permit_all_entries() -> None:
    ts_head = TS_GUARD.replace('"/api/health",', '"/api/health",\n  "/api/export/:id",')
    assert _widened("src/auth.ts", TS_GUARD, ts_head) == {("public", "/api/export/{id}")}
    py_head = PY_MIDDLEWARE.replace('"/status",', '"/status",\n    "/internal/reindex",')
    assert _widened("app/middleware.py", PY_MIDDLEWARE, py_head) == {("public", "/internal/reindex")}
    java_head = SPRING.replace('"/static/**"', '"/static/**", "/actuator/**"')
    assert _widened("src/Security.java", SPRING, java_head) == {("public", "/actuator/**")}


def test_reordering_or_moving_entries_changes_nothing() -> None:
    moved = GO_ACL.replace("var PublicMethods", "// realigned\nvar PublicMethods")
    assert not compare({"api/acl.go": GO_ACL}, {"api/acl.go": moved}).findings
    elsewhere = {"api/acl.go": "package api\n", "api/public.go": GO_ACL}
    assert not compare({"api/acl.go": GO_ACL}, elsewhere).grows


def test_removing_an_entry_narrows() -> None:
    head = GO_ACL.replace('\t"/shop.v1.AuthService/Login": {},\n', "")
    delta = compare({"api/acl.go": GO_ACL}, {"api/acl.go": head})
    assert [f.change for f in delta.findings] == ["narrowed"] and not delta.grows


def test_lists_that_are_not_route_allowlists_are_ignored() -> None:
    text = (
        'const allowList = ["https://example.org", "example.com"];\n'
        'const publicKeyPem = "abc";\n'
        'const pages = ["/home"];\n'
    )
    assert extract_allowlist("src/config.ts", text).routes == []
    assert extract_allowlist("app/settings.py", 'CSRF_EXEMPT_PATHS = ["/hooks"]\n').routes == []
    nuxt = 'export default { runtimeConfig: { public: { apiBase: "/api/v2" } } };\n'
    assert extract_allowlist("nuxt.config.ts", nuxt).routes == []
    assert extract_allowlist("src/Nav.tsx", 'const publicRoutes = ["/login"];\n').routes == []
    assert entry_key("/") is None and entry_key("/UserService/Get") == "UserService/Get"


def test_allowlist_entries_are_not_the_files_routes() -> None:
    base = (
        'package routes\n\nvar unauthenticatedAPIPaths = map[string]bool{\n\t"/api/v1/login": true,\n}\n\n'
        'func register(a *echo.Group) {\n\ta.Use(jwtAuth)\n\ta.GET("/tasks", tasks)\n}\n'
    )
    head = base.replace(
        "func register(a *echo.Group) {\n", 'func register(a *echo.Group) {\n\ta.GET("/export", export)\n'
    )
    delta = compare({"routes/routes.go": base}, {"routes/routes.go": head})
    assert delta.grows
    assert [f.endpoint.path for f in delta.findings if f.internal] == ["/export"]


SHIRO = """@Configuration
public class ShiroConfig {
    @Bean
    public ShiroFilterFactoryBean shiroFilterFactoryBean(SecurityManager securityManager) {
        Map<String, String> filterChainDefinitionMap = new LinkedHashMap<>();
        filterChainDefinitionMap.put("/admin/auth/login", "anon");
%s        filterChainDefinitionMap.put("/admin/**", "authc");
        return bean;
    }
}
"""


def test_a_path_added_to_shiros_anonymous_filter_chain_is_an_exemption() -> None:
    base = {"src/main/java/ShiroConfig.java": SHIRO % ""}
    head = {
        "src/main/java/ShiroConfig.java": SHIRO
        % '        filterChainDefinitionMap.put("/admin/index/index", "anon");\n'
    }
    delta = compare(base, head)
    assert [(f.change, f.endpoint.path) for f in delta.findings] == [("widened", "/admin/index/index")]
    authc = {
        "src/main/java/ShiroConfig.java": SHIRO
        % '        filterChainDefinitionMap.put("/admin/x", "authc");\n'
    }
    assert compare(base, authc).findings == ()
