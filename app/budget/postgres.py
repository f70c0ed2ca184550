"""The PostgreSQL side of ``app.budget.database``: psycopg 3 through a psycopg_pool connection pool.

Imported only when DATABASE_URL names PostgreSQL (the ``postgres`` extra). The pool checks a connection
before lending it, so connections broken by a PostgreSQL restart are replaced instead of failing a job; an
operation that still meets a dropped connection is tried once more on a fresh one (every ledger write is
idempotent). Never ``with connection:`` — in psycopg 3 that closes the connection.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from app.budget.errors import LedgerUnavailable

# Any constant both the workers and `agentbudget ledger migrate` agree on: "agentbud" in ASCII.
MIGRATION_LOCK = 0x6167656E74627564
POOL_MAX = 4  # a worker's jobs share these; each ledger call holds one for a single statement


def _psycopg() -> tuple[Any, Any]:
    try:
        psycopg = importlib.import_module("psycopg")
        pool = importlib.import_module("psycopg_pool")
    except ImportError:
        raise RuntimeError(
            "DATABASE_URL names PostgreSQL but psycopg is not installed: pip install 'agentbudget[postgres]'"
        ) from None
    return psycopg, pool


def _sql(sql: str) -> str:
    return sql.replace("?", "%s")


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, *, read_only: bool = False, timeout: float = 10.0) -> None:
        psycopg, pool = _psycopg()
        self.read_only = read_only
        self._errors = (psycopg.OperationalError, pool.PoolTimeout)
        # A reader's sessions refuse writes even if its role could write.
        options = "-c default_transaction_read_only=on" if read_only else ""
        self._pool = pool.ConnectionPool(
            url,
            min_size=1,
            max_size=POOL_MAX,
            timeout=timeout,
            kwargs={"options": options, "connect_timeout": 5},
            check=pool.ConnectionPool.check_connection,
            open=False,
            name="agentbudget-ledger",
        )
        # wait=False: a worker or server starting before PostgreSQL keeps trying in the background.
        self._pool.open(wait=False)

    def _run(self, sql: str, params: Sequence[Any], fetch: bool) -> Any:
        for attempt in (1, 2):
            try:
                with self._pool.connection() as conn:  # commits on success, rolls back on error
                    cursor = conn.execute(_sql(sql), tuple(params))
                    return [tuple(r) for r in cursor.fetchall()] if fetch else int(cursor.rowcount)
            except self._errors as exc:
                if attempt == 2:
                    raise LedgerUnavailable(f"postgresql: {exc}") from exc
        raise AssertionError("unreachable")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self._run(sql, params, fetch=False))

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._run(sql, params, fetch=True)
        return rows

    @contextmanager
    def migration(self) -> Iterator[_PostgresTransaction]:
        # A transaction-scoped advisory lock: N processes starting on an empty database queue here
        # instead of racing their CREATE TABLEs (which fails with UniqueViolation on pg_type). DDL is
        # transactional in PostgreSQL, so a failed migration leaves the previous version intact.
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                yield _PostgresTransaction(conn)
        except self._errors as exc:
            raise LedgerUnavailable(f"postgresql: {exc}") from exc

    def ping(self) -> None:
        try:
            with self._pool.connection(timeout=2) as conn:
                conn.execute("SELECT 1")
        except self._errors as exc:
            raise LedgerUnavailable(f"postgresql: {exc}") from exc

    def close(self) -> None:
        self._pool.close()


class _PostgresTransaction:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self._conn.execute(_sql(sql), tuple(params)).rowcount)

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._conn.execute(_sql(sql), tuple(params)).fetchall()]
