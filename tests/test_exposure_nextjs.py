"""Next.js Pages Router API routes: the file path is the route."""

from __future__ import annotations

from checks.exposure import compare, extract

HANDLER = """import { useAuth } from 'lib/middleware';

export default async (req, res) => {
  await useAuth(req, res);
  if (req.method === 'GET') {
    return res.json([]);
  }
  if (req.method === 'POST') {
    return res.json({});
  }
};
"""


def test_file_path_is_the_route_and_branches_are_methods() -> None:
    eps = extract({"src/pages/api/teams/[id]/index.ts": HANDLER})
    assert {(e.method, e.path, e.auth) for e in eps} == {
        ("GET", "/api/teams/{id}", "authenticated"),
        ("POST", "/api/teams/{id}", "authenticated"),
    }


def test_new_handler_under_an_admin_path_is_internal() -> None:
    delta = compare({}, {"src/pages/api/admin/users.ts": HANDLER})
    assert delta.grows
    assert not compare({}, {"src/pages/api/teams.ts": HANDLER}).grows


def test_moved_handler_file_keeps_its_route() -> None:
    base = {"src/pages/api/admin/users.ts": HANDLER}
    head = {"src/pages/api/admin/users/index.ts": HANDLER}
    assert not compare(base, head).findings
