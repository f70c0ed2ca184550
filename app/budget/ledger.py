"""The durable ledger: SQLite by default, PostgreSQL when DATABASE_URL says so. Inserts are idempotent."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from app.budget.records import ApprovalRecord, ScopeTotal, UsageRecord
from app.budget.scopes import org_month_key, pr_key, repo_month_key

USAGE_COLUMNS = (
    "request_id", "installation_id", "org", "repo", "pr", "head_sha", "user_login", "team", "trigger",
    "model", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "micros",
    "latency_ms", "outcome", "at", "month",
)  # fmt: skip
APPROVAL_COLUMNS = (
    "request_id", "org", "repo", "pr", "head_sha", "approver", "permission", "what", "reason", "at",
)  # fmt: skip

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS usage (
        request_id TEXT PRIMARY KEY, installation_id BIGINT NOT NULL, org TEXT NOT NULL, repo TEXT NOT NULL,
        pr INTEGER NOT NULL, head_sha TEXT NOT NULL, user_login TEXT NOT NULL, team TEXT,
        trigger TEXT NOT NULL,
        model TEXT NOT NULL, input_tokens BIGINT NOT NULL, cached_input_tokens BIGINT NOT NULL,
        cache_write_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, micros BIGINT NOT NULL,
        latency_ms BIGINT NOT NULL, outcome TEXT NOT NULL, at TEXT NOT NULL, month TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS usage_month ON usage (month, org, repo)",
    "CREATE INDEX IF NOT EXISTS usage_pr ON usage (org, repo, pr)",
    """CREATE TABLE IF NOT EXISTS approvals (
        request_id TEXT PRIMARY KEY, org TEXT NOT NULL, repo TEXT NOT NULL, pr INTEGER NOT NULL,
        head_sha TEXT NOT NULL, approver TEXT NOT NULL, permission TEXT NOT NULL, what TEXT NOT NULL,
        reason TEXT NOT NULL, at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS approvals_pr ON approvals (org, repo, pr)",
)


class Ledger(Protocol):
    def record_usage(self, record: UsageRecord) -> bool: ...
    def record_approval(self, record: ApprovalRecord) -> bool: ...
    def usage_records(self, *, month: str | None = None) -> list[UsageRecord]: ...
    def usage_totals(self, month: str) -> list[ScopeTotal]: ...
    def approvals_for(self, org: str, repo: str, pr: int) -> list[ApprovalRecord]: ...
    def close(self) -> None: ...


def usage_row(r: UsageRecord) -> tuple[Any, ...]:
    return (
        r.request_id, r.installation_id, r.org, r.repo, r.pr, r.head_sha, r.user, r.team, r.trigger, r.model,
        r.input_tokens, r.cached_input_tokens, r.cache_write_tokens, r.output_tokens, r.micros, r.latency_ms,
        r.outcome, r.at.isoformat(), r.month,
    )  # fmt: skip


def usage_from_row(row: Sequence[Any]) -> UsageRecord:
    (request_id, installation_id, org, repo, pr, head_sha, user, team, trigger, model, inp, cached, write,
     out, micros, latency, outcome, at, _month) = row  # fmt: skip
    return UsageRecord(
        request_id, int(installation_id), org, repo, int(pr), head_sha, user, trigger, model, int(inp),
        int(cached), int(write), int(out), int(micros), int(latency), outcome, datetime.fromisoformat(at),
        team,
    )  # fmt: skip


def approval_row(r: ApprovalRecord) -> tuple[Any, ...]:
    return (r.request_id, r.org, r.repo, r.pr, r.head_sha, r.approver, r.permission, r.what, r.reason,
            r.at.isoformat())  # fmt: skip


def approval_from_row(row: Sequence[Any]) -> ApprovalRecord:
    request_id, org, repo, pr, head_sha, approver, permission, what, reason, at = row
    return ApprovalRecord(
        request_id,
        org,
        repo,
        int(pr),
        head_sha,
        approver,
        permission,
        what,
        reason,
        datetime.fromisoformat(at),
    )


def scope_totals(records: Iterable[UsageRecord], month: str) -> list[ScopeTotal]:
    """Counters as admission keeps them: PR scopes over all time, repo and org scopes for ``month``."""
    totals: dict[str, tuple[int, int]] = {}

    def add(key: str, r: UsageRecord) -> None:
        t, m = totals.get(key, (0, 0))
        totals[key] = (t + r.total_tokens, m + r.micros)

    for r in records:
        add(pr_key(r.org, r.repo, r.pr), r)
        if r.month == month:
            add(repo_month_key(r.org, r.repo, month), r)
            add(org_month_key(r.org, month), r)
    return [ScopeTotal(k, t, m) for k, (t, m) in sorted(totals.items())]


class SqlLedger:
    """Shared by SQLite and PostgreSQL; only the placeholder and the connection differ."""

    placeholder = "?"

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        with self.connection:
            for statement in SCHEMA:
                self.connection.execute(statement)

    def _insert(self, table: str, columns: Sequence[str], row: tuple[Any, ...]) -> bool:
        marks = ", ".join([self.placeholder] * len(columns))
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT (request_id) DO NOTHING"
        )
        with self.connection:
            cursor = self.connection.execute(sql, row)
            return bool(cursor.rowcount == 1)

    def _select(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        cursor = self.connection.execute(sql.replace("?", self.placeholder), params)
        return list(cursor.fetchall())

    def record_usage(self, record: UsageRecord) -> bool:
        return self._insert("usage", USAGE_COLUMNS, usage_row(record))

    def record_approval(self, record: ApprovalRecord) -> bool:
        return self._insert("approvals", APPROVAL_COLUMNS, approval_row(record))

    def usage_records(self, *, month: str | None = None) -> list[UsageRecord]:
        sql = f"SELECT {', '.join(USAGE_COLUMNS)} FROM usage"
        rows = (
            self._select(sql + " WHERE month = ? ORDER BY at", (month,))
            if month
            else self._select(sql + " ORDER BY at")
        )
        return [usage_from_row(row) for row in rows]

    def usage_totals(self, month: str) -> list[ScopeTotal]:
        return scope_totals(self.usage_records(), month)

    def approvals_for(self, org: str, repo: str, pr: int) -> list[ApprovalRecord]:
        rows = self._select(
            f"SELECT {', '.join(APPROVAL_COLUMNS)} FROM approvals WHERE org = ? AND repo = ? AND pr = ? "
            "ORDER BY at",
            (org, repo, pr),
        )
        return [approval_from_row(row) for row in rows]

    def close(self) -> None:
        self.connection.close()


def open_sqlite(path: str | Path) -> SqlLedger:
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA busy_timeout=30000")
    return SqlLedger(connection)


DEFAULT_SQLITE = "agentbudget.sqlite3"


def open_ledger(database_url: str | None) -> Ledger:
    """None → ./agentbudget.sqlite3; sqlite:///relative or sqlite:////absolute; postgresql://… via psycopg."""
    if not database_url:
        return open_sqlite(DEFAULT_SQLITE)
    if database_url.startswith("sqlite:///"):
        return open_sqlite(database_url.removeprefix("sqlite:///"))
    if database_url.startswith(("postgres://", "postgresql://")):
        from app.budget.postgres import open_postgres

        return open_postgres(database_url)
    raise ValueError(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, got {database_url.split(':')[0]!r}"
    )
