"""Issue 14: idioms read from set AA's false blocks (after its blind run), each as a minimal snippet written
here."""

from __future__ import annotations

from tests.exposure_growth import grown

ENDPOINTS = """public class TodoItems : IEndpointGroup
{
    public static void Map(RouteGroupBuilder groupBuilder)
    {
%s    }
}
"""


def test_a_group_convention_stated_on_its_own_guards_every_endpoint_of_the_group() -> None:
    path = "src/Web/Endpoints/TodoItems.cs"
    per_route = (
        '        groupBuilder.MapPut(UpdateTodoItem, "{id}").RequireAuthorization();\n'
        '        groupBuilder.MapDelete(DeleteTodoItem, "{id}").RequireAuthorization();\n'
    )
    once = (
        "        groupBuilder.RequireAuthorization();\n\n"
        '        groupBuilder.MapPut(UpdateTodoItem, "{id}");\n'
        '        groupBuilder.MapDelete(DeleteTodoItem, "{id}");\n'
    )
    assert grown({path: ENDPOINTS % per_route}, {path: ENDPOINTS % once}) == set()
    # stated after the endpoints it still applies; dropped, every endpoint widens
    after = (
        once.replace("        groupBuilder.RequireAuthorization();\n\n", "")
        + "        groupBuilder.RequireAuthorization();\n"
    )
    assert grown({path: ENDPOINTS % per_route}, {path: ENDPOINTS % after}) == set()
    bare = once.replace("        groupBuilder.RequireAuthorization();\n\n", "")
    assert grown({path: ENDPOINTS % once}, {path: ENDPOINTS % bare}) == {
        ("widened", "PUT", "/{id}"),
        ("widened", "DELETE", "/{id}"),
    }


ROUTES = """package dkron

func (h *HTTPTransport) APIRoutes(r *gin.RouterGroup) {
	v1 := r.Group("/v1")
	jobs := v1.Group("/jobs")
	jobs.GET("/:job", h.jobGetHandler)
%s}
"""


def test_a_collection_of_the_apis_own_resources_named_jobs_is_no_job_queue() -> None:
    path = "dkron/api.go"
    added = '\tjobs.DELETE("/:job/executions", h.executionsDeleteHandler)\n'
    assert grown({path: ROUTES % ""}, {path: ROUTES % added}) == set()
    queue = '\tv1.GET("/jobs", h.queueDashboard)\n'
    assert grown({path: ROUTES % ""}, {path: ROUTES % queue}) == {("added", "GET", "/v1/jobs")}


SECURITY = """@Configuration
public class SecurityConfiguration {
%s
    @Bean
    public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
        http.authorizeRequests()
%s            .antMatchers("/api/**").authenticated();
        return http.build();
    }
}
"""
IGNORED = """    @Bean
    public WebSecurityCustomizer webSecurityCustomizer() {
        return web -> web.ignoring()
            .antMatchers("/i18n/**")
            .antMatchers("/h2-console/**");
    }
"""
PERMITTED = """            .antMatchers("/i18n/**").permitAll()
            .antMatchers("/h2-console/**").permitAll()
"""


def test_paths_the_filter_chain_ignores_are_as_open_as_permit_all() -> None:
    path = "src/main/java/app/config/SecurityConfiguration.java"
    assert grown({path: SECURITY % (IGNORED, "")}, {path: SECURITY % ("", PERMITTED)}) == set()
    assert grown({path: SECURITY % ("", "")}, {path: SECURITY % (IGNORED, "")}) != set()


ROUTE_TABLE = """function getRoutes(gladys) {
  const routes = {
    'get /api/v1/system/info': {
      authenticated: true,
      controller: systemController.getSystemInfos,
    },
%s  };
  return routes;
}
"""


def test_routes_declared_as_the_keys_of_an_object() -> None:
    path = "server/api/routes.js"
    admin = "    'post /api/v1/system/vacuum': {\n      authenticated: true,\n      admin: true,\n      controller: c.vacuum,\n    },\n"
    assert grown({path: ROUTE_TABLE % ""}, {path: ROUTE_TABLE % admin}) == {
        ("added", "POST", "/api/v1/system/vacuum")
    }
    user = admin.replace("      admin: true,\n", "")
    assert grown({path: ROUTE_TABLE % ""}, {path: ROUTE_TABLE % user}) == set()
    opened = ROUTE_TABLE.replace("authenticated: true", "authenticated: false")
    assert grown({path: ROUTE_TABLE % ""}, {path: opened % ""}) == {("widened", "GET", "/api/v1/system/info")}
    # Sails.js: the key and a controller action, the guard in the policies
    sails = "module.exports.routes = {\n  'GET /user/:id': 'UserController.find',\n%s};\n"
    assert grown(
        {"config/routes.js": sails % ""},
        {"config/routes.js": sails % "  'POST /admin/users': 'AdminController.create',\n"},
    ) == {("added", "POST", "/admin/users")}


def test_a_route_that_changes_the_servers_log_level_is_internal() -> None:
    path = "src/servers/src/http.rs"
    base = (
        'fn router() -> Router {\n    Router::new()\n        .route("/health", routing::get(health))\n%s}\n'
    )
    added = '        .route("/log_level", routing::get(log_level).post(log_level))\n'
    assert ("added", "GET", "/log_level") in grown({path: base % ""}, {path: base % added})
