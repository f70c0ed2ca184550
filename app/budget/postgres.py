"""PostgreSQL ledger; needs psycopg (3), imported only when DATABASE_URL names PostgreSQL."""

from __future__ import annotations

import importlib

from app.budget.ledger import SqlLedger


class PostgresLedger(SqlLedger):
    placeholder = "%s"


def open_postgres(database_url: str) -> PostgresLedger:
    try:
        psycopg = importlib.import_module("psycopg")
    except ImportError:
        raise RuntimeError(
            "DATABASE_URL names PostgreSQL but psycopg is not installed: pip install psycopg"
        ) from None
    # autocommit off: SqlLedger wraps each write in "with connection", which commits or rolls back.
    return PostgresLedger(psycopg.connect(database_url))
