"""Issue 14: Ktor's routing DSL. Snippets written for this test."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

APP = """package shop

import io.ktor.server.auth.*
import io.ktor.server.routing.*

fun Application.module() {
    routing {
        get("/") { call.respondText("hi") }
        authenticate("admin") {
            route("/console") {
                get("/users") { call.respond(users()) }
%s            }
        }
        authenticate("jwt", optional = true) {
            get("/feed") { call.respond(feed()) }
        }
        route("/api") {
            get("/items/{id}") { if (ok) { call.respond(item()) } }
%s        }
    }
}
"""


def app(admin: str = "", api: str = "") -> dict[str, str]:
    return {"src/main/kotlin/shop/App.kt": APP % (admin, api)}


def test_nested_blocks_join_paths_and_authenticate_guards_what_it_wraps() -> None:
    found = {(ep.method, ep.path): ep for ep in extract(app())}
    assert set(found) == {
        ("GET", "/"),
        ("GET", "/console/users"),
        ("GET", "/feed"),
        ("GET", "/api/items/{id}"),
    }
    assert found[("GET", "/console/users")].reasons == ('authenticate("admin")',)
    assert found[("GET", "/feed")].auth == "unauthenticated"  # optional authentication guards nothing
    assert found[("GET", "/api/items/{id}")].auth == "unauthenticated"


def test_a_route_added_under_an_admin_authentication_grows_and_a_public_one_does_not() -> None:
    jobs = '                route("/jobs") { post { runJobs() } }\n'
    assert grown(app(), app(admin=jobs)) == {("added", "POST", "/console/jobs")}
    assert grown(app(), app(api='            get("/items") { call.respond(items()) }\n')) == set()
