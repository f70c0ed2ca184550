"""Issue 14: idioms read from set K's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

import pytest

from checks.exposure import extract
from checks.exposure.golang import path_expression
from checks.exposure.roles import privileged_role
from tests.exposure_growth import grown

MUX = """package api

func Route() *mux.Router {
	r := mux.NewRouter()
	authenticated := r.PathPrefix(webPath + "api").Subrouter()
	authenticated.Use(authenticationMiddleware)
	authenticated.Path("/projects").HandlerFunc(getProjects).Methods("GET", "HEAD")
	admin := authenticated.NewRoute().Subrouter()
	admin.Use(adminMiddleware)
	admin.Path("/options").HandlerFunc(getOptions).Methods("GET")
%s	return r
}
"""
TASKS = """	tasks := admin.PathPrefix("/tasks").Subrouter()
	tasks.Path("/{task_id}").Methods("DELETE").HandlerFunc(deleteTask)
"""


def test_gorilla_routes_written_path_first_on_an_admin_subrouter() -> None:
    paths = {(ep.method, ep.path, ep.auth) for ep in extract({"api/router.go": MUX % ""})}
    assert paths == {
        ("GET", "/{webPath}/api/projects", "authenticated"),
        ("HEAD", "/{webPath}/api/projects", "authenticated"),
        ("GET", "/{webPath}/api/options", "authenticated"),
    }
    base, head = {"api/router.go": MUX % ""}, {"api/router.go": MUX % TASKS}
    assert grown(base, head) == {("added", "DELETE", "/{webPath}/api/tasks/{task_id}")}


def test_a_path_that_is_no_route_is_not_read_as_one() -> None:
    text = 'package x\n\nfunc f(u *url.URL) {\n\tp := u.Path("/x")\n\tfmt.Println(p)\n}\n'
    assert extract({"x.go": text}) == ()


@pytest.mark.parametrize(
    ("args", "consts", "path"),
    [
        ('webAdminPath+"/{username}/2fa/disable", h', {}, "/{webAdminPath}/{username}/2fa/disable"),
        ("rolesPath+jsonSuffix, h", {"jsonSuffix": "/json"}, "/{rolesPath}/json"),
        ("apiBase, h", {"apiBase": "/api"}, "/api"),
        ('"/x", h', {}, None),  # a literal is read as one
        ('name+"/x", h', {}, None),  # a value built at run time
        ("rolesPath, h", {}, None),  # a lone unknown name says nothing stable
    ],
)
def test_a_path_written_as_constants_and_literals(
    args: str, consts: dict[str, str], path: str | None
) -> None:
    assert path_expression(args, consts) == path


CHI = """package httpd

func (s *httpdServer) initializeRouter() {
	s.router.Group(func(router chi.Router) {
		router.Use(jwtAuthenticatorWebAdmin)
		router.With(s.checkPerm(dataprovider.PermAdminManageAdmins)).Get(webAdminPath, s.handleWebAdmins)
%s	})
}
"""
DISABLE = '		router.With(s.checkPerm(dataprovider.PermAdminDisableMFA)).Put(webAdminPath+"/{username}/2fa/disable", h)\n'


def test_a_chi_admin_route_on_a_path_constant_is_an_internal_addition() -> None:
    base, head = {"internal/httpd/server.go": CHI % ""}, {"internal/httpd/server.go": CHI % DISABLE}
    assert grown(base, head) == {("added", "PUT", "/{webAdminPath}/{username}/2fa/disable")}


CADDY = """package reverseproxy

func (adminUpstreams) Routes() []caddy.AdminRoute {
	return []caddy.AdminRoute{
		{
			Pattern: "/reverse_proxy/upstreams",
			Handler: caddy.AdminHandlerFunc(al.handleUpstreams),
		},
	}
}
"""


def test_a_caddy_admin_api_route_is_internal() -> None:
    head = {"modules/reverseproxy/admin.go": CADDY}
    assert grown({}, head) == {("added", "ANY", "/reverse_proxy/upstreams")}
    assert grown(head, {}) == set()


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("OnlySuperUser", "superuser"),
        ("IsSuperUser", "superuser"),
        ("sys_admin", "sysadmin"),
        ("SuperClass", None),
        ("superb_users", None),
    ],
)
def test_a_role_written_as_two_words(name: str, role: str | None) -> None:
    assert privileged_role(name) == role


def test_a_stack_trace_dump_is_internal_by_default() -> None:
    route = 'use actix_web::get;\n\n#[get("/stacktrace")]\nasync fn get_stacktrace() -> impl Responder {\n    dump()\n}\n'
    assert grown({}, {"src/actix/api/service_api.rs": route}) == {("added", "GET", "/stacktrace")}


DISPATCH = """package server

var (
	apiHealthPath = "/v1/health"
	apiAccessPath = "/v1/access"
	metricsPath   = "/metrics"
)

func (s *Server) handleInternal(w http.ResponseWriter, r *http.Request, v *visitor) error {
	if r.Method == http.MethodGet && r.URL.Path == apiHealthPath {
		return s.handleHealth(w, r, v)
%s	}
	return errHTTPNotFound
}
"""
ACCESS = """	} else if r.Method == http.MethodPost && r.URL.Path == apiAccessPath {
		return s.ensureAdmin(s.handleAccessAllow)(w, r, v)
"""
METRICS = """	} else if r.Method == http.MethodGet && r.URL.Path == metricsPath && s.metricsHandler != nil {
		return s.handleMetrics(w, r, v)
"""
PUBLIC = """	} else if r.Method == "PUT" && r.URL.Path == "/v1/account/phone" {
		return s.ensureUser(s.handleAccountPhoneAdd)(w, r, v)
"""


def test_routes_dispatched_by_hand_on_method_and_path() -> None:
    base = {"server/server.go": DISPATCH % ""}
    assert {(ep.method, ep.path) for ep in extract(base)} == {("GET", "/v1/health")}
    assert grown(base, {"server/server.go": DISPATCH % ACCESS}) == {("added", "POST", "/v1/access")}
    assert grown(base, {"server/server.go": DISPATCH % METRICS}) == {("added", "GET", "/metrics")}
    assert grown(base, {"server/server.go": DISPATCH % PUBLIC}) == set()


def test_a_destructured_actix_extractor_guards_its_handler() -> None:
    route = (
        'use actix_web::post;\n\n#[post("/collections/{name}/snapshots")]\n'
        "async fn create_snapshot(\n    path: web::Path<String>,\n    ActixAuth(auth): ActixAuth,\n) -> "
        "HttpResponse {\n    todo!()\n}\n"
    )
    (endpoint,) = extract({"src/actix/api/snapshot_api.rs": route})
    assert endpoint.auth == "authenticated"
    assert endpoint.reasons == ("request guard ActixAuth",)
