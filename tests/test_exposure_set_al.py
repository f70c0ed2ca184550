"""Issue 14: idioms read from the misses of set AL and of earlier sets' left rows, each as a minimal snippet
written here."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.golang import extract_go
from tests.exposure_growth import grown

MUX = """package app

import "net/http"

func routes(app *App) http.Handler {
	mux := http.NewServeMux()
%s
	return mux
}
"""

SUBTREE = """	mux.HandleFunc("/admin/jobs/", func(w http.ResponseWriter, r *http.Request) {
		app.Jobs.ServeHTTP(w, r)
	})"""

SPLIT = """	mux.HandleFunc("GET /admin/jobs/", func(w http.ResponseWriter, r *http.Request) {
		app.Jobs.ServeHTTP(w, r)
	})
	mux.HandleFunc("POST /admin/jobs/api/", func(w http.ResponseWriter, r *http.Request) {
		app.Jobs.ServeHTTP(w, r)
	})"""


def test_a_serve_mux_pattern_ending_in_a_slash_serves_its_subtree() -> None:
    paths = {(r.method, r.path) for r in extract_go("app/http.go", MUX % SUBTREE).routes}
    assert paths == {("ANY", "/admin/jobs/**")}
    # gorilla's and gin's routers match a trailing slash exactly: no subtree there.
    gorilla = 'r := mux.NewRouter()\n\tr.HandleFunc("/admin/jobs/", h)'
    assert {r.path for r in extract_go("app/http.go", MUX % gorilla).routes} == {"/admin/jobs"}


def test_method_patterns_splitting_a_subtree_serve_nothing_new() -> None:
    before, after = {"app/http.go": MUX % SUBTREE}, {"app/http.go": MUX % SPLIT}
    assert grown(before, after) == set()
    # A subtree served for the first time is still an internal addition.
    assert grown({"app/http.go": MUX % ""}, after) == {
        ("added", "GET", "/admin/jobs/**"),
        ("added", "POST", "/admin/jobs/api/**"),
    }


URLCONF = """from django.conf.urls import include, url
from rest_framework import routers
from app import views

router = routers.SimpleRouter()
router.register(r'jobs', views.JobsViewSet, base_name='jobs')

urlpatterns = [
    url(r'^project/(?P<project>[\\w-]{0,50})/', include(router.urls)),
]
"""

VIEWS = """from rest_framework import viewsets
from rest_framework.decorators import detail_route
from rest_framework.permissions import IsAuthenticated
from app.permissions import IsStaffOrReadOnly


class JobsViewSet(viewsets.ViewSet):
    @detail_route(methods=['%s'], permission_classes=[%s])
    def backfill(self, request, project, pk=None):
        return Response()
"""


def test_a_staff_or_read_only_action_that_only_writes_is_staff_only() -> None:
    def files(method: str, permission: str) -> dict[str, str]:
        return {"app/urls.py": URLCONF, "app/views.py": VIEWS % (method, permission)}

    # REST framework 3.7's `@detail_route` is `@action(detail=True)`; a URL regex prefix reads as a path.
    assert grown(files("post", "IsStaffOrReadOnly"), files("post", "IsAuthenticated")) == {
        ("widened", "POST", "/project/{project}/jobs/{pk}/backfill")
    }
    # On a route that reads, anyone may read: nothing privileged to lose.
    assert grown(files("get", "IsStaffOrReadOnly"), files("get", "IsAuthenticated")) == set()
    assert grown(files("post", "IsAuthenticated"), files("post", "IsStaffOrReadOnly")) == set()


SDL = '''export const typeDefs = /* GraphQL */ `
  """
  Posts, with a \\`code\\` span in a description
  """
  type Mutation {
    upvote(id: ID!): EmptyResponse @auth
%s
  }
`;
'''


def test_schema_in_a_template_literal_and_enum_directive_arguments() -> None:
    before = {"src/schema/posts.ts": SDL % ""}
    after = {"src/schema/posts.ts": SDL % "    hidePost(id: ID!): EmptyResponse @auth(requires: [MODERATOR])"}
    assert grown(before, after) == {("added", "MUTATION", "hidePost")}
    # the same directive with an ordinary role guards a field anyone signed in may call
    user = {"src/schema/posts.ts": SDL % "    hidePost(id: ID!): EmptyResponse @auth(requires: [USER])"}
    assert grown(before, user) == set()


def test_a_directive_named_for_a_role_guards_its_field() -> None:
    schema = "type Mutation {\n  login(user: String!): Token\n%s}\n"
    after = {"schema.graphql": schema % "  deleteUser(id: ID!): User @isAdmin\n"}
    assert grown({"schema.graphql": schema % ""}, after) == {("added", "MUTATION", "deleteUser")}
    # `@deprecated` decides nothing about callers
    plain = {"schema.graphql": schema % "  rename(id: ID!): User @deprecated\n"}
    assert grown({"schema.graphql": schema % ""}, plain) == set()


MIDDLEWARE_RS = """use axum::middleware::Next;

const UNAUTHORIZED_PATHS: &[&str] = &[
    "/",
    "/ping",
%s    "/users/login",
];
"""


def test_a_rust_slice_of_paths_exempt_from_login_is_an_allowlist() -> None:
    before = {"server/src/http/jwt/middleware.rs": MIDDLEWARE_RS % ""}
    after = {"server/src/http/jwt/middleware.rs": MIDDLEWARE_RS % '    "/stats",\n'}
    assert grown(before, after) == {("widened", "ANY", "/stats")}


GRPC = """package admin

import (
	"google.golang.org/grpc"
	%s "github.com/x/chat/pkg/protocol/admin"
)

func Start(s *grpc.Server) {
	%s.RegisterAdminServer(s, &adminServer{})
}
"""


def test_a_grpc_service_is_named_by_its_package_not_the_files_alias() -> None:
    before = {"internal/rpc/admin/start.go": GRPC % ("pbadmin", "pbadmin")}
    after = {"internal/rpc/admin/start.go": GRPC % ("adminpb", "adminpb")}
    assert grown(before, after) == set()


REDIRECT = """package server

import "github.com/gorilla/mux"

func setupMisc(r *mux.Router, ctrl *Controller) {
	r.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		adminHome := ctrl.Path("/admin/home")
		http.Redirect(w, r, adminHome, http.StatusSeeOther)
	})
%s}
"""


def test_names_inside_a_handler_literal_wrap_nothing() -> None:
    added = '\tr.HandleFunc("/settings.view", func(w http.ResponseWriter, r *http.Request) {\n'
    added += '\t\tadminHome := ctrl.Path("/admin/home")\n\t\thttp.Redirect(w, r, adminHome, 303)\n\t})\n'
    assert grown({"server/server.go": REDIRECT % ""}, {"server/server.go": REDIRECT % added}) == set()
    wrapped = '\tr.HandleFunc("/settings.view", requireAdmin(func(w http.ResponseWriter, r *http.Request) {\n'
    wrapped += "\t\trender(w)\n\t}))\n"
    found = extract_go("server/server.go", REDIRECT % wrapped).routes
    assert [r.reasons for r in found if r.path == "/settings.view"] == [("wrapped in requireAdmin",)]


CHI = """package handlers

func (h *Handlers) setupRouter() {
	r := chi.NewRouter()
	r.Route("/packages/{packageName}", func(r chi.Router) {
		r.Get("/", h.Packages.Get)
	})
	r.Route("/org/{orgName}", func(r chi.Router) {
%s
	})
}
"""


def test_a_route_moved_out_of_a_require_login_scope_widens() -> None:
    guarded = '\t\tr.Use(h.Users.RequireLogin)\n\t\tr.Get("/", h.Organizations.Get)\n\t\tr.Put("/", h.Organizations.Update)'
    opened = (
        '\t\tr.Get("/", h.Organizations.Get)\n\t\tr.Group(func(r chi.Router) {\n'
        '\t\t\tr.Use(h.Users.RequireLogin)\n\t\t\tr.Put("/", h.Organizations.Update)\n\t\t})'
    )
    # `h.Packages.Get`, open at another path, is another handler of the same name: not the same action
    assert grown({"handlers.go": CHI % guarded}, {"handlers.go": CHI % opened}) == {
        ("widened", "GET", "/org/{orgName}")
    }


def test_django_admin_registrations_and_impersonation_urls_are_internal() -> None:
    admin_py = "from django.contrib import admin\n\n%s"
    registered = "@admin.register(UserOperation, SafeOperation)\nclass OpAdmin(admin.ModelAdmin):\n    pass\n"
    assert grown(
        {"app/account_abstraction/admin.py": admin_py % ""},
        {"app/account_abstraction/admin.py": admin_py % registered},
    ) == {
        ("added", "ANY", "/{admin site}/account_abstraction/useroperation/**"),
        ("added", "ANY", "/{admin site}/account_abstraction/safeoperation/**"),
    }
    urls = "from django.urls import include, path\n\nurlpatterns = [\n    path('', views.home),\n%s]\n"
    loginas = "    path('admin/', include('loginas.urls')),\n"
    assert grown({"app/urls.py": urls % ""}, {"app/urls.py": urls % loginas}) == {
        ("added", "ANY", "/admin/**")
    }


def test_a_projects_anonymous_annotation_opens_a_guarded_controller() -> None:
    java = """@RestController
public class SysIndexController {
    %s
    @GetMapping("/")
    public String index() { return "ok"; }
}
"""
    path = "admin/src/main/java/com/x/SysIndexController.java"
    assert ("widened", "GET", "/") in grown({path: java % ""}, {path: java % "@Anonymous"})


def test_maven_filtered_placeholders_do_not_hide_actuator_exposure() -> None:
    yml = "logging:\n  level:\n    com.x: @logging.level@\n%s"
    exposure = "management:\n  endpoints:\n    web:\n      exposure:\n        include: '*'\n"
    path = "app/src/main/resources/application.yml"
    assert grown({path: yml % ""}, {path: yml % exposure}) == {("added", "ANY", "/actuator/*")}


NEST = """@ControllerDecorator("users")
export class UserController {
%s
\t@Post("register")
\t@SwaggerDecorator({
\t\toperation: "Create user",
\t})
%s
\tasync publicRegistration(@Body() dto: UserRegistrationDto) {
\t\treturn this.userService.createOne(dto);
\t}
}
"""


def test_a_policy_decorator_below_the_route_guards_it_in_a_composed_controller() -> None:
    path = "src/modules/user/user.controller.ts"
    before = {path: NEST % ("", "\t@CheckPolicies(new GenericPolicyHandler(User, Action.Create))")}
    after = {path: NEST % ("\t@Public()", "")}
    assert grown(before, after) == {("widened", "POST", "/users/register")}


def test_a_razor_page_serves_its_path_with_its_class_guard() -> None:
    page = """[Authorize(Roles = "Administrators")]
public class IndexModel : PageModel
{
    public async Task OnGetAsync() { }
    public async Task<IActionResult> OnPostAsync() { return Page(); }
}
"""
    found = grown({}, {"src/Web/Pages/Admin/Index.cshtml.cs": page})
    assert found == {("added", "GET", "/Admin"), ("added", "POST", "/Admin")}


def test_metrics_served_as_a_whole_listener_or_by_a_build_dependency() -> None:
    go = """package metrics

import "github.com/prometheus/client_golang/prometheus/promhttp"

func Setup(c Config) {
	server := http.Server{Addr: c.Bind, Handler: promhttp.Handler()}
	go server.ListenAndServe()
}
"""
    assert grown({}, {"internal/metrics/metrics.go": go}) == {("added", "ANY", "/{promhttp.Handler}")}
    pom = "<project><dependencies>%s</dependencies></project>\n"
    dep = "<dependency><artifactId>quarkus-micrometer-registry-prometheus</artifactId></dependency>"
    assert grown({"rest/pom.xml": pom % ""}, {"rest/pom.xml": pom % dep}) == {("added", "GET", "/q/metrics")}
    # named only in a comment, nothing is on the classpath
    assert grown({"rest/pom.xml": pom % ""}, {"rest/pom.xml": pom % f"<!-- {dep} -->"}) == set()


def test_a_private_routes_module_and_type_arguments_over_several_lines() -> None:
    plugin = """export default async function (fastify: FastifyInstance): Promise<void> {
  fastify.post('/newUser', async (req, res) => res.send());
%s}
"""
    route = (
        "  fastify.post<{\n    Body: z.infer<typeof schema>;\n  }>('/updateFlags', async (req, res) => {\n"
    )
    route += "    return res.send();\n  });\n"
    found = compare({"src/routes/private.ts": plugin % ""}, {"src/routes/private.ts": plugin % route})
    added = [(f.endpoint.method, f.endpoint.path, f.endpoint.line, f.internal) for f in found.findings]
    assert added == [("POST", "/updateFlags", 3, True)]


def test_a_koa_handler_refusing_by_assigning_the_response_is_guarded() -> None:
    routes = """router.get('/account/list', isLoggedIn, async (ctx) => {
%s  ctx.body = await listAccounts()
})
"""
    check = (
        "  if (!AccessUtils.isAdmin(ctx.session.id)) {\n    ctx.body = ERRORS.ACCESS_DENY\n    return\n  }\n"
    )
    commented = "".join("  // " + line.strip() + "\n" for line in check.splitlines())
    assert grown(
        {"src/routes/account.ts": routes % check}, {"src/routes/account.ts": routes % commented}
    ) == {("widened", "GET", "/account/list")}


def test_files_declaring_only_these_idioms_are_read_at_all() -> None:
    """The cheap first look that decides whether a file is parsed must know each idiom the parsers read."""
    from checks.exposure.extract import might_declare_routes

    views = "class Jobs(viewsets.GenericViewSet):\n    @detail_route(methods=['post'])\n    def retry(self, r, pk):\n        pass\n"
    typed = "export default (f: F) => {\n  f.post<{\n    Body: B;\n  }>('/x', async () => 1);\n};\n"
    assert might_declare_routes("jobs/api.py", views)
    assert might_declare_routes("src/plugin.ts", typed)
    assert not might_declare_routes("src/plugin.ts", "export const x = (a: Array<{\n n: 1 }>) => a;\n")
