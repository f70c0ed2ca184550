"""Idioms met in exposure set BK, each reduced to a snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

ROUTE = "export async function GET(req: Request) {\n  return Response.json({});\n}\n"


def test_a_version_segment_renamed_across_a_file_routed_tree_is_a_move() -> None:
    base = {"apps/backend/src/app/api/v1/internal/api-keys/route.tsx": ROUTE}
    head = {"apps/backend/src/app/api/latest/internal/api-keys/route.tsx": ROUTE}
    assert grown(base, head) == set()
    # a new internal route beside the renamed tree is still growth
    more = {**head, "apps/backend/src/app/api/latest/internal/secrets/route.tsx": ROUTE}
    assert grown(base, more) == {("added", "GET", "/api/latest/internal/secrets")}


OPS = """import { Router } from 'express';
const router = Router();
router.get('/api/ops/flags', requireOpsOwner, listFlags);
%sexport default router;
"""


def test_an_operations_area_is_internal() -> None:
    added = "router.put('/api/ops/flags/:key', requireOpsOwner, setFlag);\n"
    assert grown({"src/routes/OpsRouter.ts": OPS % ""}, {"src/routes/OpsRouter.ts": OPS % added}) == {
        ("added", "PUT", "/api/ops/flags/{key}")
    }


def test_a_renamed_last_segment_or_a_non_version_is_no_move() -> None:
    base = {"app/api/internal/export/route.ts": ROUTE}
    head = {"app/api/internal/wipe-database/route.ts": ROUTE}
    assert grown(base, head) == {("added", "GET", "/api/internal/wipe-database")}
    renamed = {"app/api/ops2/internal/keys/route.ts": ROUTE}
    assert grown({"app/api/ops1/internal/keys/route.ts": ROUTE}, renamed) == {
        ("added", "GET", "/api/ops2/internal/keys")
    }
