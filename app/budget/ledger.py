"""The durable ledger: SQLite by default, PostgreSQL when DATABASE_URL says so. Inserts are idempotent.

Writers (workers, `agentbudget review`, `ledger rebuild`) open it with ``open_ledger``, which brings the
schema up to date under the migration lock; readers (`agentbudget report`, `/dashboard`) with
``open_reader``, which never creates or alters anything and works with a role that may only SELECT.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from app.budget.database import Database, connect
from app.budget.migrations import migrate, require_current
from app.budget.records import ApprovalRecord, ScopeTotal, UsageRecord
from app.budget.scopes import org_month_key, pr_key, repo_month_key
from checks.usage import TokenUsage

USAGE_COLUMNS = (
    "request_id", "installation_id", "org", "repo", "pr", "head_sha", "user_login", "team", "trigger",
    "model", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "micros",
    "latency_ms", "outcome", "at", "month",
)  # fmt: skip
APPROVAL_COLUMNS = (
    "request_id", "org", "repo", "pr", "head_sha", "approver", "permission", "what", "reason", "at",
)  # fmt: skip


class Ledger(Protocol):
    def record_usage(self, record: UsageRecord) -> bool: ...
    def record_approval(self, record: ApprovalRecord) -> bool: ...
    def usage_records(self, *, month: str | None = None) -> list[UsageRecord]: ...
    def usage_totals(self, month: str) -> list[ScopeTotal]: ...
    def successful_usage(
        self, request_ids: Sequence[str], month: str | None = None
    ) -> UsageRecord | None: ...
    def approvals_for(self, org: str, repo: str, pr: int) -> list[ApprovalRecord]: ...
    def ping(self) -> None: ...
    def close(self) -> None: ...


def usage_row(r: UsageRecord) -> tuple[Any, ...]:
    return (
        r.request_id, r.installation_id, r.org, r.repo, r.pr, r.head_sha, r.user, r.team, r.trigger, r.model,
        r.usage.input_tokens, r.usage.cached_input_tokens, r.usage.cache_write_tokens, r.usage.output_tokens,
        r.micros, r.latency_ms,
        r.outcome, r.at.isoformat(), r.month,
    )  # fmt: skip


def usage_from_row(row: Sequence[Any]) -> UsageRecord:
    (request_id, installation_id, org, repo, pr, head_sha, user, team, trigger, model, inp, cached, write,
     out, micros, latency, outcome, at, _month) = row  # fmt: skip
    return UsageRecord(
        request_id, int(installation_id), org, repo, int(pr), head_sha, user, trigger, model,
        TokenUsage(int(inp), int(cached), int(write), int(out)), int(micros), int(latency), outcome,
        datetime.fromisoformat(at), team,
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
    """The ledger over a ``Database``: the same SQL on SQLite and PostgreSQL."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _insert(self, table: str, columns: Sequence[str], row: tuple[Any, ...]) -> bool:
        marks = ", ".join("?" * len(columns))
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT (request_id) DO NOTHING"
        )
        return self.db.execute(sql, row) == 1

    def record_usage(self, record: UsageRecord) -> bool:
        return self._insert("usage", USAGE_COLUMNS, usage_row(record))

    def record_approval(self, record: ApprovalRecord) -> bool:
        return self._insert("approvals", APPROVAL_COLUMNS, approval_row(record))

    def usage_records(self, *, month: str | None = None) -> list[UsageRecord]:
        sql = f"SELECT {', '.join(USAGE_COLUMNS)} FROM usage"
        rows = (
            self.db.select(sql + " WHERE month = ? ORDER BY at", (month,))
            if month
            else self.db.select(sql + " ORDER BY at")
        )
        return [usage_from_row(row) for row in rows]

    def successful_usage(self, request_ids: Sequence[str], month: str | None = None) -> UsageRecord | None:
        """The first ``ok`` record among these ids (a review's attempts), by primary key, not a scan."""
        if not request_ids:
            return None
        marks = ", ".join("?" * len(request_ids))
        sql = f"SELECT {', '.join(USAGE_COLUMNS)} FROM usage WHERE request_id IN ({marks}) AND outcome = 'ok'"
        params: tuple[Any, ...] = tuple(request_ids)
        if month:
            sql, params = sql + " AND month = ?", (*params, month)
        found = {row[0]: usage_from_row(row) for row in self.db.select(sql, params)}
        return next((found[i] for i in request_ids if i in found), None)

    def usage_totals(self, month: str) -> list[ScopeTotal]:
        return scope_totals(self.usage_records(), month)

    def approvals_for(self, org: str, repo: str, pr: int) -> list[ApprovalRecord]:
        rows = self.db.select(
            f"SELECT {', '.join(APPROVAL_COLUMNS)} FROM approvals WHERE org = ? AND repo = ? AND pr = ? "
            "ORDER BY at",
            (org, repo, pr),
        )
        return [approval_from_row(row) for row in rows]

    def ping(self) -> None:
        self.db.ping()

    def close(self) -> None:
        self.db.close()


def open_ledger(database_url: str | None) -> SqlLedger:
    """Open for writing: migrate the schema first (under the lock, so N processes may start at once)."""
    db = connect(database_url)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return SqlLedger(db)


def open_reader(database_url: str | None) -> SqlLedger:
    """Open for reading only; LedgerUnavailable when the schema is missing or behind (nothing is created)."""
    db = connect(database_url, read_only=True)
    try:
        require_current(db)
    except BaseException:
        db.close()
        raise
    return SqlLedger(db)


def open_sqlite(path: str | Path) -> SqlLedger:
    return open_ledger(f"sqlite:///{path}")
