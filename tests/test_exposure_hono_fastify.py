"""Issue 14: Hono sub-apps and Fastify's full route declarations. Snippets written for this test."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

HONO = """import { Hono } from "hono";

const app = new Hono().basePath("/api");
const admin = new Hono();
admin.use("*", requireAdmin);
admin.get("/stats", (c) => c.json(stats()));
%s
app.route("/admin", admin);
app.get("/public", (c) => c.text("hi"));
export default app;
"""


def test_a_hono_sub_app_is_mounted_under_its_path_with_its_own_middleware() -> None:
    found = {(ep.method, ep.path): ep for ep in extract({"src/server.ts": HONO % ""})}
    assert set(found) == {("GET", "/api/admin/stats"), ("GET", "/api/public")}
    assert found[("GET", "/api/admin/stats")].reasons == ("admin.use(requireAdmin)",)
    assert found[("GET", "/api/public")].auth == "unauthenticated"
    reset = 'admin.post("/reset", (c) => reset(c));'
    assert grown({"src/server.ts": HONO % ""}, {"src/server.ts": HONO % reset}) == {
        ("added", "POST", "/api/admin/reset")
    }


FASTIFY = """export default async function routes(fastify) {
  fastify.get("/users", { preHandler: [fastify.authenticate] }, async () => list());
%s}
"""


def test_fastify_route_objects_name_their_methods_url_and_hooks() -> None:
    reindex = '  fastify.route({ method: "POST", url: "/admin/reindex", preHandler: fastify.requireAdmin, handler: go });\n'
    feed = '  fastify.route({ method: ["GET", "HEAD"], url: "/feed", handler: feed });\n'
    head = {"src/routes.js": FASTIFY % (reindex + feed)}
    found = {(ep.method, ep.path): ep for ep in extract(head)}
    assert set(found) == {("GET", "/users"), ("POST", "/admin/reindex"), ("GET", "/feed"), ("HEAD", "/feed")}
    assert found[("POST", "/admin/reindex")].reasons == ("hook fastify.requireAdmin",)
    assert grown({"src/routes.js": FASTIFY % feed}, head) == {("added", "POST", "/admin/reindex")}


EXPRESS = """const express = require("express");
const app = express();
app.use("/console", requireAdmin);
app.get("/console/stats", stats);
app.get("/consoles", listConsoles);
%s"""


def test_express_middleware_mounted_on_a_path_guards_the_routes_under_it() -> None:
    found = {ep.path: ep for ep in extract({"server.js": EXPRESS % ""})}
    assert found["/console/stats"].reasons == ("app.use(/console, requireAdmin)",)
    assert found["/consoles"].auth == "unauthenticated"
    purge = 'app.post("/console/purge", purge);\n'
    assert grown({"server.js": EXPRESS % ""}, {"server.js": EXPRESS % purge}) == {
        ("added", "POST", "/console/purge")
    }
