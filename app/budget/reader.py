"""The webhook server's read-only ledger (``/dashboard``, ``/readyz``): opened on first use, kept open
(its pool replaces connections a database restart broke), closed when the server stops."""

from __future__ import annotations

import threading

from app.budget.errors import LedgerNotMigrated, LedgerUnavailable
from app.budget.ledger import SqlLedger, open_reader

ABSENT = "not created yet"  # no SQLite file, or a database never migrated: the first worker creates it


class LedgerReader:
    def __init__(self, database_url: str | None) -> None:
        self.database_url = database_url or None
        self._ledger: SqlLedger | None = None
        self._lock = threading.Lock()

    def get(self) -> SqlLedger:
        """FileNotFoundError (no SQLite file) or LedgerUnavailable (unreachable, not migrated)."""
        with self._lock:
            if self._ledger is None:
                self._ledger = open_reader(self.database_url)
            return self._ledger

    def readiness(self) -> str:
        """ "ok" or ABSENT; LedgerUnavailable when it cannot be reached or its schema is behind this code."""
        try:
            ledger = self.get()
        except FileNotFoundError:
            return ABSENT
        except LedgerNotMigrated as exc:
            if exc.version == 0:
                return ABSENT
            raise
        ledger.ping()
        return "ok"

    def close(self) -> None:
        with self._lock:
            if self._ledger is not None:
                self._ledger.close()
                self._ledger = None


__all__ = ["ABSENT", "LedgerReader", "LedgerUnavailable"]
