"""Recompute admission counters from the ledger after Redis lost them."""

from __future__ import annotations

from app.budget.admission import Admission
from app.budget.ledger import Ledger


async def rebuild(admission: Admission, ledger: Ledger, month: str) -> int:
    """Overwrites PR counters and ``month``'s repo/org counters; returns how many counters were written.

    Reservations that were in flight when Redis was lost are not in the ledger; their settles will count
    them once the calls finish (settle of an unknown id is a no-op in Redis, so record them in the ledger).
    """
    totals = {t.key: (t.tokens, t.micros) for t in ledger.usage_totals(month)}
    await admission.set_usage(totals)
    return len(totals)
