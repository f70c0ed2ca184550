"""Why the ledger cannot be used, as both SQL sides raise it."""

from __future__ import annotations


class LedgerUnavailable(Exception):
    """The ledger cannot be used: unreachable, not created yet, or its schema is behind this code."""


class LedgerNotMigrated(LedgerUnavailable):
    """Reachable, but its schema is older than this code (version 0: never migrated)."""

    def __init__(self, message: str, version: int) -> None:
        super().__init__(message)
        self.version = version
