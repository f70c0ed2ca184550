"""Budget: atomic admission in Redis, the durable ledger in SQL, and rebuilding one from the other."""

from __future__ import annotations

from app.budget.admission import Admission, DuplicateReservation, Refusal, Reservation
from app.budget.errors import LedgerUnavailable
from app.budget.ledger import Ledger, open_ledger, open_reader, open_sqlite
from app.budget.rebuild import rebuild
from app.budget.records import ApprovalRecord, ScopeTotal, UsageRecord, month_of
from app.budget.scopes import Limits, Scope, dollars, scopes_for

__all__ = [
    "Admission", "ApprovalRecord", "DuplicateReservation", "Ledger", "LedgerUnavailable", "Limits",
    "Refusal", "Reservation", "Scope", "ScopeTotal", "UsageRecord", "dollars", "month_of", "open_ledger",
    "open_reader", "open_sqlite", "rebuild", "scopes_for",
]  # fmt: skip
