"""tRPC routers: the procedure builder is the guard; minimal snippets written for this test."""

from __future__ import annotations

from checks.exposure import extract
from checks.exposure.trpc import extract_trpc
from tests.exposure_growth import grown

ROUTER = """import { adminProcedure, createTRPCRouter, protectedProcedure, publicProcedure } from "../trpc";

export const settingsRouter = createTRPCRouter({
  readStats: protectedProcedure.input(z.object({ id: z.string() })).query(async ({ input }) => stats(input)),
  reloadServer: adminProcedure.mutation(async () => reload()),
  version: publicProcedure.query(() => VERSION),
%s});
"""


def test_procedures_take_their_builders_guard() -> None:
    eps = {(e.method, e.path, e.auth) for e in extract({"server/api/routers/settings.ts": ROUTER % ""})}
    assert eps == {
        ("GET", "/trpc/settings.readStats", "authenticated"),
        ("POST", "/trpc/settings.reloadServer", "authenticated"),
        ("GET", "/trpc/settings.version", "unauthenticated"),
    }


def test_an_admin_procedure_added_is_internal_and_a_downgraded_one_widens() -> None:
    base = {"server/api/routers/settings.ts": ROUTER % ""}
    added = {
        "server/api/routers/settings.ts": ROUTER
        % "  cleanRedis: adminProcedure.mutation(async () => flush()),\n"
    }
    assert grown(base, added) == {("added", "POST", "/trpc/settings.cleanRedis")}
    plain = {
        "server/api/routers/settings.ts": ROUTER % "  listMine: protectedProcedure.query(() => mine()),\n"
    }
    assert grown(base, plain) == set()
    downgraded = {
        "server/api/routers/settings.ts": ROUTER.replace(
            "reloadServer: adminProcedure", "reloadServer: protectedProcedure"
        )
        % ""
    }
    assert grown(base, downgraded) == {("widened", "POST", "/trpc/settings.reloadServer")}


def test_router_scan_is_bounded() -> None:
    text = "const r = createTRPCRouter({\n" + "  p: publicProcedure.query(() => 1),\n" * 5000 + "});\n"
    assert len(extract_trpc("server/r.ts", text).routes) == 400
