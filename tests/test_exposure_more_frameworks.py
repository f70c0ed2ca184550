"""Issue 14: aiohttp and Javalin route declarations. Snippets written for this test."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

AIOHTTP = """from aiohttp import web

app = web.Application(middlewares=[auth_middleware])
app.router.add_get("/", index)
app.add_routes([web.get("/items", items), web.view("/orders", Orders)])
%s
cached = cache.get("/not/a/route")
"""


def test_aiohttp_router_and_route_definitions() -> None:
    found = {(ep.method, ep.path): ep for ep in extract({"server.py": AIOHTTP % ""})}
    assert set(found) == {("GET", "/"), ("GET", "/items"), ("ANY", "/orders")}
    assert {ep.auth for ep in found.values()} == {"unknown"}  # the app's middleware decides
    reset = 'app.router.add_route("POST", "/admin/reset", reset)'
    assert grown({"server.py": AIOHTTP % ""}, {"server.py": AIOHTTP % reset}) == {
        ("added", "POST", "/admin/reset")
    }


JAVALIN = """import io.javalin.Javalin;

public class App {
    public static void main(String[] args) {
        var app = Javalin.create();
        app.get("/", ctx -> ctx.result("hi"), Role.ANYONE);
        app.get("/me", App::me, Role.USER);
%s    }
}
"""


def test_javalin_routes_and_the_roles_that_gate_them() -> None:
    base = {"src/main/java/App.java": JAVALIN % ""}
    found = {(ep.method, ep.path): ep for ep in extract(base)}
    assert found[("GET", "/")].auth == "unauthenticated"
    assert found[("GET", "/me")].reasons == ("role Role.USER",)
    purge = '        app.post("/cache/purge", App::purge, Role.ADMIN);\n'
    assert grown(base, {"src/main/java/App.java": JAVALIN % purge}) == {("added", "POST", "/cache/purge")}
    assert (
        grown(base, {"src/main/java/App.java": JAVALIN % '        app.get("/feed", App::feed);\n'}) == set()
    )
