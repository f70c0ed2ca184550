"""The one interface the ledger talks SQL through, and its SQLite side (PostgreSQL: ``app.budget.postgres``).

SQL is written once, with ``?`` placeholders; each side translates what differs (placeholders, how a
transaction takes the migration lock, how connections are kept). Every method is safe to call from several
threads at once: the worker calls the ledger from ``asyncio.to_thread``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from app.budget.errors import LedgerUnavailable

DEFAULT_SQLITE = "agentbudget.sqlite3"


class Transaction(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...
    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class Database(Protocol):
    dialect: str  # "sqlite" | "postgresql"
    read_only: bool

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in its own transaction; returns the number of rows it changed."""
        ...

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def migration(self) -> AbstractContextManager[Transaction]:
        """One transaction holding the database-wide migration lock."""
        ...

    def ping(self) -> None:
        """Raise LedgerUnavailable unless the database answers now."""
        ...

    def close(self) -> None: ...


WAL_ATTEMPTS = 20


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to write-ahead logging once. Several processes opening a new ledger at the same
    moment can each be told "database is locked" at once (SQLite does not wait on a busy handler for a
    journal-mode change), so the switch is retried with a growing pause; a file already in WAL is left."""
    for attempt in range(WAL_ATTEMPTS):
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(min(0.05 * 2**attempt, 1.0))


class SqliteDatabase:
    """One connection shared by the process's threads, one statement at a time (SQLite has one writer)."""

    dialect = "sqlite"

    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path, self.read_only = path, read_only
        self._lock = threading.Lock()
        if read_only:
            if path == ":memory:" or not Path(path).exists():
                raise FileNotFoundError(f"no ledger at {path} (set --database-url or DATABASE_URL)")
            uri = f"{Path(path).resolve().as_uri()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        else:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
            _use_wal(self._conn)
        # Autocommit: each statement is its own transaction unless migration() opens one.
        self._conn.isolation_level = None
        self._conn.execute("PRAGMA busy_timeout=30000")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._lock:
            return int(self._conn.execute(sql, tuple(params)).rowcount)

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return [tuple(row) for row in self._conn.execute(sql, tuple(params)).fetchall()]

    @contextmanager
    def migration(self) -> Iterator[Transaction]:
        # BEGIN IMMEDIATE takes the write lock before reading the version: two processes migrating at
        # once wait for each other (busy_timeout) instead of both seeing the old version.
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTransaction(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def ping(self) -> None:
        try:
            self.select("SELECT 1")
        except sqlite3.Error as exc:
            raise LedgerUnavailable(f"sqlite: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _SqliteTransaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self._conn.execute(sql, tuple(params)).rowcount)

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._conn.execute(sql, tuple(params)).fetchall()]


def sqlite_path(database_url: str | None) -> str | None:
    """The file a SQLite URL names (None → the default file); None when the URL is not SQLite."""
    if not database_url:
        return DEFAULT_SQLITE
    if database_url.startswith("sqlite:///"):
        return database_url.removeprefix("sqlite:///")
    return None


def connect(database_url: str | None, *, read_only: bool = False) -> Database:
    """None → ./agentbudget.sqlite3; sqlite:///relative or sqlite:////absolute; postgresql://… via psycopg.

    ``read_only``: a reader (report, dashboard) that never writes; a SQLite file that does not exist is
    FileNotFoundError, not a new empty ledger.
    """
    path = sqlite_path(database_url)
    if path is not None:
        return SqliteDatabase(path, read_only=read_only)
    assert database_url is not None
    if database_url.startswith(("postgres://", "postgresql://")):
        from app.budget.postgres import PostgresDatabase

        return PostgresDatabase(database_url, read_only=read_only)
    raise ValueError(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, got {database_url.split(':')[0]!r}"
    )
