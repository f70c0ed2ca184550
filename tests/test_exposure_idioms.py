"""Issue 14: idioms seen on real commits, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.extract import can_declare_routes


def _grown(base: dict[str, str], head: dict[str, str]) -> set[tuple[str, str, str]]:
    delta = compare(base, head)
    return {
        (f.change, f.endpoint.method, f.endpoint.path)
        for f in delta.findings
        if f.change == "widened" or (f.change == "added" and f.internal)
    }


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
    base = {"svc.proto": PROTO.format(svc="WorkflowService", more=rpc % "")}
    head = {
        "svc.proto": PROTO.format(svc="WorkflowService", more=rpc % binding),
        "openapi/openapiv2.json": openapi,
    }
    assert _grown(base, head) == {("widened", "GET", "/api/v1/things")}


def test_downgraded_guard_widens() -> None:
    base = {
        "r.go": 'package r\nfunc R(r chi.Router) {\n\tr.With(acl.CheckAdminAccess()).Delete("/repos/{id}", h)\n}\n'
    }
    head = {"r.go": base["r.go"].replace("CheckAdminAccess", "CheckWriteAccess")}
    assert _grown(base, head) == {("widened", "DELETE", "/repos/{id}")}
