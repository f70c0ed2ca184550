"""RPC handlers that refuse anyone but a privileged role inline make their RPC internal."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.inline_guards import inline_privilege_check

PROTO = """syntax = "proto3";
package shop.v1;

service StoreService {
  rpc GetStore(GetStoreRequest) returns (Store) {
    option (google.api.http) = {get: "/v1/store"};
  }
}
"""

STATS_RPC = """  rpc GetStoreStats(GetStoreStatsRequest) returns (StoreStats) {
    option (google.api.http) = {get: "/v1/store/stats"};
  }
}
"""

HANDLER = """package v1

func (s *Service) GetStoreStats(ctx context.Context, _ *pb.GetStoreStatsRequest) (*pb.StoreStats, error) {
\tuser, err := s.currentUser(ctx)
\tif err != nil {
\t\treturn nil, err
\t}
\tif user.Role != store.RoleAdmin {
\t\treturn nil, status.Errorf(codes.PermissionDenied, "permission denied")
\t}
\treturn s.stats(ctx)
}
"""


def test_rpc_whose_handler_demands_an_admin_is_internal() -> None:
    base = {"proto/store.proto": PROTO}
    head = {"proto/store.proto": PROTO.rsplit("}\n", 1)[0] + STATS_RPC, "server/stats.go": HANDLER}
    delta = compare(base, head)
    assert delta.grows
    assert {f.endpoint.path for f in delta.findings if f.internal} == {
        "shop.v1.StoreService/GetStoreStats",
        "/v1/store/stats",
    }
    assert not compare(base, {"proto/store.proto": head["proto/store.proto"]}).grows


def test_inline_checks_need_a_negated_privileged_condition_and_a_refusal() -> None:
    assert inline_privilege_check("\tif !user.IsAdmin() {\n\t\treturn ErrForbidden\n\t}\n")
    assert inline_privilege_check("    if not request.user.is_staff:\n        raise PermissionDenied\n")
    assert inline_privilege_check("\tif user.Role == RoleAdmin {\n\t\treturn all, nil\n\t}\n") is None
    assert (
        inline_privilege_check(
            '\tif err != nil {\n\t\treturn nil, status.Errorf(codes.PermissionDenied, "")\n'
        )
        is None
    )
