"""The ledger's schema, as numbered forward migrations, and the one function that applies them.

``schema_version`` holds one row per applied migration. ``migrate`` runs every migration newer than the
database's version in one transaction under the database-wide migration lock (PostgreSQL: an advisory
lock; SQLite: BEGIN IMMEDIATE), so any number of processes may call it at once: the first applies, the rest
wait and find nothing to do. Readers never migrate: ``require_current`` tells them what is missing.

Add a migration by appending to MIGRATIONS; never edit one that has shipped. SQL here must run on both
SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.budget.database import Database, Transaction
from app.budget.errors import LedgerNotMigrated


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


# Version 1 is the schema the ledger created before it had versions: IF NOT EXISTS adopts such a database.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "usage, approvals, review decisions and pull-request outcomes",
        (
            """CREATE TABLE IF NOT EXISTS usage (
            request_id TEXT PRIMARY KEY, installation_id BIGINT NOT NULL, org TEXT NOT NULL,
            repo TEXT NOT NULL, pr INTEGER NOT NULL, head_sha TEXT NOT NULL, user_login TEXT NOT NULL,
            team TEXT, trigger TEXT NOT NULL, model TEXT NOT NULL, input_tokens BIGINT NOT NULL,
            cached_input_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
            output_tokens BIGINT NOT NULL, micros BIGINT NOT NULL, latency_ms BIGINT NOT NULL,
            outcome TEXT NOT NULL, at TEXT NOT NULL, month TEXT NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS usage_month ON usage (month, org, repo)",
            "CREATE INDEX IF NOT EXISTS usage_pr ON usage (org, repo, pr)",
            """CREATE TABLE IF NOT EXISTS approvals (
            request_id TEXT PRIMARY KEY, org TEXT NOT NULL, repo TEXT NOT NULL, pr INTEGER NOT NULL,
            head_sha TEXT NOT NULL, approver TEXT NOT NULL, permission TEXT NOT NULL, what TEXT NOT NULL,
            reason TEXT NOT NULL, at TEXT NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS approvals_pr ON approvals (org, repo, pr)",
            """CREATE TABLE IF NOT EXISTS review_decisions (
            decision_id TEXT PRIMARY KEY, org TEXT NOT NULL, repo TEXT NOT NULL, pr INTEGER NOT NULL,
            head_sha TEXT NOT NULL, user_login TEXT NOT NULL, team TEXT, trigger TEXT NOT NULL,
            decision TEXT NOT NULL, stopped_by TEXT NOT NULL, blocked_by TEXT NOT NULL, at TEXT NOT NULL,
            month TEXT NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS review_decisions_month ON review_decisions (month, org, repo)",
            "CREATE INDEX IF NOT EXISTS review_decisions_pr ON review_decisions (org, repo, pr)",
            """CREATE TABLE IF NOT EXISTS pr_outcomes (
            org TEXT NOT NULL, repo TEXT NOT NULL, pr INTEGER NOT NULL, outcome TEXT NOT NULL,
            at TEXT NOT NULL, month TEXT NOT NULL, PRIMARY KEY (org, repo, pr))""",
        ),
    ),
    Migration(
        2,
        "each pull request's latest decision by index (the dashboard's and report's blocked PRs)",
        (
            "CREATE INDEX review_decisions_latest ON review_decisions (org, repo, pr, at)",
            "DROP INDEX review_decisions_pr",  # a prefix of the new index
        ),
    ),
)
LATEST = MIGRATIONS[-1].version

VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"""


def _version(tx: Transaction) -> int:
    rows = tx.select("SELECT MAX(version) FROM schema_version")
    return int(rows[0][0] or 0)


def migrate(db: Database) -> list[int]:
    """Bring the schema to LATEST; returns the versions this call applied (empty when up to date)."""
    with db.migration() as tx:
        tx.execute(VERSION_TABLE)
        current = _version(tx)
        applied = []
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            for statement in migration.statements:
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.description, datetime.now(UTC).isoformat()),
            )
            applied.append(migration.version)
        return applied


def schema_version(db: Database) -> int:
    """The database's version without writing anything (0: never migrated); works for a read-only role."""
    if db.dialect == "sqlite":
        found = db.select("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    else:
        found = db.select("SELECT 1 WHERE to_regclass('schema_version') IS NOT NULL")
    if not found:
        return 0
    return int(db.select("SELECT MAX(version) FROM schema_version")[0][0] or 0)


def require_current(db: Database) -> int:
    """For readers: the schema must be at least LATEST (a newer one only adds)."""
    version = schema_version(db)
    if version < LATEST:
        state = "has no schema" if version == 0 else f"is at schema version {version}"
        raise LedgerNotMigrated(
            f"the ledger {state}, this agentbudget needs {LATEST}: run `agentbudget ledger migrate` "
            "(workers also migrate when they start)",
            version,
        )
    return version
