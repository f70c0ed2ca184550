"""Redelivery reconciler: GitHub never retries a failed delivery, so we ask it to.

An arq cron job lists the app's recent deliveries (newest first, cursor-paginated), stops at the newest
delivery it saw on its previous run, and asks GitHub to redeliver every failed one whose GUID we have not
processed. The GUID is the dedupe key end to end: the webhook server drops a GUID it already stored, so a
redelivery is processed once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis

from app import keys
from app.github import Installation

log = logging.getLogger("agentbudget.reconcile")

# keys.reconcile_requested: the delivery id we last asked GitHub to redeliver, per GUID. Until a newer
# delivery of that GUID shows up (the redelivery itself), asking again would only duplicate the request.
ATTEMPTS_TTL_SECONDS = 3 * 24 * 3600  # GitHub keeps deliveries for 3 days


@dataclass(frozen=True)
class ReconcileResult:
    scanned: int
    redelivered: tuple[str, ...]
    pages: int


def failed(delivery: dict[str, Any]) -> bool:
    status = int(delivery.get("status_code") or 0)
    return not 200 <= status < 300


async def reconcile(
    app: Installation,
    redis: ArqRedis,
    *,
    max_pages: int = 10,
    max_redeliveries: int = 50,
    max_attempts: int = 3,
) -> ReconcileResult:
    mark = int(await redis.get(keys.RECONCILE_MARK) or 0)
    newest = mark
    succeeded: set[str] = set()
    candidates: dict[str, dict[str, Any]] = {}
    scanned = pages = 0
    cursor: str | None = None
    reached_mark = False
    while pages < max_pages and not reached_mark:
        page, cursor = await app.list_deliveries(cursor)
        pages += 1
        for delivery in page:
            delivery_id = int(delivery["id"])
            if delivery_id <= mark:
                reached_mark = True
                break
            scanned += 1
            newest = max(newest, delivery_id)
            guid = str(delivery.get("guid") or "")
            if not failed(delivery):
                succeeded.add(guid)
            elif guid not in candidates:
                candidates[guid] = delivery
        if cursor is None:
            break
    redelivered: list[str] = []
    for guid, delivery in candidates.items():
        if len(redelivered) >= max_redeliveries:
            # Leave the mark where it was so the rest are seen again next run.
            newest = mark
            break
        if guid in succeeded or await redis.get(keys.delivery(guid)) == b"done":
            continue
        requested = await redis.get(keys.reconcile_requested(guid))
        if requested is not None and int(requested) >= int(delivery["id"]):
            continue
        attempts = await redis.incr(keys.reconcile_attempts(guid))
        await redis.expire(keys.reconcile_attempts(guid), ATTEMPTS_TTL_SECONDS)
        if attempts > max_attempts:
            log.error(
                "delivery %s (%s) failed %d redeliveries; giving up",
                guid,
                delivery.get("event"),
                max_attempts,
            )
            continue
        await app.redeliver(int(delivery["id"]))
        await redis.set(keys.reconcile_requested(guid), str(delivery["id"]), ex=ATTEMPTS_TTL_SECONDS)
        redelivered.append(guid)
    await redis.set(keys.RECONCILE_MARK, str(newest))
    if redelivered:
        log.warning("asked GitHub to redeliver %d failed deliveries", len(redelivered))
    return ReconcileResult(scanned=scanned, redelivered=tuple(redelivered), pages=pages)
