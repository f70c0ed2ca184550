"""The public contract of checks.exposure: identity, file selection, growth, and hostile input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from checks.exposure import (
    Endpoint,
    can_declare_routes,
    compare,
    extract,
    might_declare_routes,
    normalize_path,
)

FIXTURES = Path(__file__).parent / "exposure_fixtures"


def _tree(side: str) -> dict[str, str]:
    root = FIXTURES / "fastapi_prefix_move" / side
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_normalize_path_spellings_agree() -> None:
    spellings = [
        "/users/<int:user_id>/",
        "users/:user_id",
        "/users/{user_id}",
        "//users/{user_id:int}",
        "/users/[user_id]",
    ]
    assert {normalize_path(s) for s in spellings} == {"/users/{user_id}"}


def test_key_ignores_location_and_auth() -> None:
    a = Endpoint("http", "GET", "/x", "a.py", 1, "authenticated", ())
    b = Endpoint("http", "GET", "/x", "b.py", 9, "unauthenticated", ("r",))
    assert a.key == b.key == ("http", "GET", "/x")


def test_file_selection() -> None:
    assert can_declare_routes("app/main.py")
    assert can_declare_routes("api/v1/orders.proto")
    assert can_declare_routes("config/routes.rb")
    assert not can_declare_routes("README.md")
    assert not can_declare_routes("web/node_modules/express/lib/router.js")
    assert not can_declare_routes("node_modules/express/lib/router.js")
    # A monorepo's own packages kept in a tracked `packages/node_modules/` (Node-RED) are source.
    assert can_declare_routes("packages/node_modules/@node-red/editor-api/lib/admin/index.js")
    assert not can_declare_routes("packages/app/node_modules/express/lib/router.js")
    assert might_declare_routes("app/main.py", '@app.get("/x")\ndef x(): ...\n')
    assert not might_declare_routes("app/util.py", "def helper():\n    return 1\n")
    assert not might_declare_routes("package.json", '{"name": "x"}')


def test_cross_file_fixture_tree_prefix_move_is_not_growth() -> None:
    base, head = _tree("base"), _tree("head")
    assert {e.key for e in extract(base)} == {e.key for e in extract(head)}
    assert compare(base, head, internal_paths=["/admin/**"], internal_files=[]).findings == ()


def test_endpoint_carries_location_and_reasons() -> None:
    (ep,) = extract(
        {
            "svc/api.py": 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/me")\ndef me(user=Depends(get_current_user)): ...\n'
        }
    )
    assert (ep.file, ep.line, ep.auth) == ("svc/api.py", 4, "authenticated")
    assert ep.reasons == ("parameter Depends(get_current_user)",)


def test_added_public_endpoint_is_reported_but_does_not_grow() -> None:
    base = {"a.py": 'app = FastAPI()\n@app.get("/a")\ndef a(): ...\n'}
    head = {"a.py": base["a.py"] + '@app.get("/b")\ndef b(): ...\n'}
    delta = compare(base, head, internal_paths=["/admin/**"], internal_files=[])
    assert [f.change for f in delta.findings] == ["added"] and not delta.grows


def test_internal_addition_grows_and_says_why() -> None:
    base = {"a.py": 'app = FastAPI()\n@app.get("/a")\ndef a(): ...\n'}
    head = {"a.py": base["a.py"] + '@app.get("/admin")\ndef adm(): ...\n'}
    delta = compare(base, head, internal_paths=["/admin/**"], internal_files=[])
    (finding,) = delta.findings
    assert delta.grows and finding.internal
    assert finding.why == ("path /admin matches internal_paths '/admin/**'",)


def test_custom_internal_paths_replace_defaults() -> None:
    base: dict[str, str] = {"a.py": "app = FastAPI()\n"}
    head = {"a.py": 'app = FastAPI()\n@app.get("/ops/flush")\ndef f(): ...\n'}
    assert compare(base, head, internal_paths=["/ops/**"], internal_files=[]).grows
    assert not compare(base, head, internal_paths=["/admin/**"], internal_files=[]).grows


def test_removed_and_narrowed_do_not_grow() -> None:
    base = {"a.py": 'app = FastAPI()\n@app.get("/admin/x")\ndef x(): ...\n@app.get("/y")\ndef y(): ...\n'}
    head = {"a.py": 'app = FastAPI()\n@app.get("/y")\n@login_required\ndef y(): ...\n'}
    delta = compare(base, head, internal_paths=["/admin/**"], internal_files=[])
    assert sorted(f.change for f in delta.findings) == ["narrowed", "removed"] and not delta.grows


def test_hostile_input_is_bounded() -> None:
    nasty = {
        "a.py": "@app.get(" + "(" * 200_000 + '"' * 50_001,
        "b.go": 'r.Route("/x", func(r chi.Router) {' * 20_000,
        "c.js": "router.get('" + "\\'" * 200_000,
        "d.proto": "service S {" + " rpc A(" * 50_000,
        "e.yaml": "paths: " + "[" * 100_000,
        "f.graphql": "type Query {" + "a(" * 100_000,
        "routes.rb": "Rails.application.routes.draw do\n" + "namespace :a do\n" * 50_000,
        "g.php": "<?php Route::" + "get(" * 50_000,
        "H.java": "@RequestMapping(" + "{" * 100_000,
        "router.ex": "defmodule R do\n" + 'scope "/a" do\n' * 20_000,
        "roles.js": "const rolePermissions = {" * 100_000 + "r.set('admin', [" * 100_000,
        "Kernel.php": "<?php $middlewareGroups = [" * 50_000 + "class A { function handle(" * 50_000,
    }
    # Bounded output, no crash; the cost of hostile input is measured in bench/exposure.py.
    per_file = Counter(endpoint.file for endpoint in extract(nasty))
    assert per_file["d.proto"] <= 50_000  # at most one endpoint per `rpc` written
    assert all(count <= 1 for path, count in per_file.items() if path != "d.proto")


def test_a_route_file_named_api_in_a_server_directory_is_no_client() -> None:
    assert can_declare_routes("routes/api.js")
    assert can_declare_routes("src/routes/api.ts")
    assert can_declare_routes("server/api.js")
    assert not can_declare_routes("src/api.ts")
    assert not can_declare_routes("frontend/src/routes/api.js")
    assert not can_declare_routes("src/components/routes/userStore.js")
