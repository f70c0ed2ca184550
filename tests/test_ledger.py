from __future__ import annotations

import dataclasses
import importlib.util
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from app.budget import (
    Admission,
    ApprovalRecord,
    Limits,
    Refusal,
    Reservation,
    UsageRecord,
    open_ledger,
    rebuild,
    scopes_for,
)
from checks.usage import TokenUsage

NOV = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)


def usage(
    request_id: str, *, pr: int = 7, repo: str = "api", at: datetime = NOV, micros: int = 1_000
) -> UsageRecord:
    return UsageRecord(
        request_id=request_id, installation_id=42, org="acme", repo=repo, pr=pr, head_sha="a" * 40,
        user="octocat", trigger="label:ai-review", model="claude-small",
        usage=TokenUsage(1_000, 4_000, 500, 300), micros=micros, latency_ms=2_100,
        outcome="ok", at=at, team="platform",
    )  # fmt: skip


def approval(request_id: str, *, pr: int = 7) -> ApprovalRecord:
    return ApprovalRecord(
        request_id=request_id, org="acme", repo="api", pr=pr, head_sha="b" * 40, approver="lead",
        permission="maintain", what="budget", reason="release week", at=NOV,
    )  # fmt: skip


def test_usage_is_recorded_once_per_request_id(database_url: str) -> None:
    ledger = open_ledger(database_url)
    assert ledger.record_usage(usage("r1")) is True
    assert ledger.record_usage(usage("r1", micros=99)) is False  # a retried job
    assert ledger.usage_records() == [usage("r1")]
    assert usage("r1").total_tokens == 5_800
    ledger.close()


def test_sqlite_file_is_created_in_wal_mode_and_survives_reopen(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/sub/ledger.db"
    ledger = open_ledger(url)
    ledger.record_usage(usage("r1"))
    ledger.record_approval(approval("c1"))
    ledger.close()
    with sqlite3.connect(tmp_path / "sub" / "ledger.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    again = open_ledger(url)
    assert [r.request_id for r in again.usage_records()] == ["r1"]
    assert again.approvals_for("acme", "api", 7) == [approval("c1")]
    again.close()


def test_many_openers_of_a_new_sqlite_ledger_at_once_all_open_it_in_wal_mode(tmp_path: Path) -> None:
    """Processes opening a fresh ledger together race to switch it to WAL; none may fail on the lock."""
    url = f"sqlite:///{tmp_path}/fresh.db"
    holder = sqlite3.connect(tmp_path / "fresh.db", timeout=30, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process mid-migration
    opened: list[object] = []
    threads = [threading.Thread(target=lambda: opened.append(open_ledger(url))) for _ in range(4)]
    for t in threads:
        t.start()
    holder.execute("COMMIT")
    holder.close()
    for t in threads:
        t.join()
    assert len(opened) == 4
    for ledger in opened:
        ledger.close()  # type: ignore[attr-defined]
    with sqlite3.connect(tmp_path / "fresh.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_approvals_are_idempotent_and_scoped_to_the_pr(database_url: str) -> None:
    ledger = open_ledger(database_url)
    assert ledger.record_approval(approval("c1")) is True
    assert ledger.record_approval(approval("c1")) is False
    assert ledger.record_approval(approval("c2", pr=8)) is True
    assert [a.request_id for a in ledger.approvals_for("acme", "api", 7)] == ["c1"]
    ledger.close()


def test_usage_totals_group_by_scope_and_month(database_url: str) -> None:
    ledger = open_ledger(database_url)
    ledger.record_usage(usage("a", micros=100))
    ledger.record_usage(usage("b", micros=200, pr=8))
    ledger.record_usage(usage("c", micros=400, at=OCT))
    ledger.record_usage(usage("d", micros=800, repo="web"))
    totals = {t.key: (t.tokens, t.micros) for t in ledger.usage_totals("2026-11")}
    assert totals == {
        "org-month:acme:2026-11": (3 * 5_800, 1_100),
        "repo-month:acme/api:2026-11": (2 * 5_800, 300),
        "repo-month:acme/web:2026-11": (5_800, 800),
        "pr:acme/api#7": (2 * 5_800, 500),  # the PR budget spans months
        "pr:acme/api#8": (5_800, 200),
        "pr:acme/web#7": (5_800, 800),
    }
    assert [r.request_id for r in ledger.usage_records(month="2026-10")] == ["c"]
    ledger.close()


def test_a_review_is_found_by_any_of_its_attempt_ids_and_only_when_it_succeeded(database_url: str) -> None:
    ledger = open_ledger(database_url)
    ledger.record_usage(dataclasses.replace(usage("review:x"), outcome="error"))
    ledger.record_usage(usage("review:y"))
    assert ledger.successful_usage(["review:x", "review:x~2"]) is None  # x failed
    ledger.record_usage(usage("review:x~3", micros=5))
    found = ledger.successful_usage(["review:x", "review:x~2", "review:x~3"])
    assert found is not None and found.request_id == "review:x~3"
    assert ledger.successful_usage(["review:x~3"], month="2026-10") is None
    ledger.close()


def test_postgres_url_without_psycopg_names_the_missing_package() -> None:
    if importlib.util.find_spec("psycopg") is not None:
        pytest.skip("psycopg is installed; testing it needs a PostgreSQL server")
    with pytest.raises(RuntimeError, match="psycopg"):
        open_ledger("postgresql://localhost/agentbudget")


def test_unknown_database_url_is_refused() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL"):
        open_ledger("mysql://x")


@pytest.fixture
async def client(redis_url: str) -> AsyncIterator[Redis]:
    redis: Redis = Redis.from_url(redis_url)
    yield redis
    await redis.aclose()


async def test_rebuild_restores_counters_after_redis_loss(database_url: str, client: Redis) -> None:
    limits = Limits(repo_month_micros=2_000)
    admission = Admission(client)
    ledger = open_ledger(database_url)
    for rid, micros in [("a", 700), ("b", 600)]:
        s = scopes_for(org="acme", repo="api", pr=7, month="2026-11", limits=limits)
        assert isinstance(await admission.reserve(rid, s, 5_800, micros, ttl_ms=60_000), Reservation)
        assert await admission.settle(rid, 5_800, micros)
        ledger.record_usage(usage(rid, micros=micros))
    ledger.record_usage(usage("old", micros=900, at=OCT))
    before = {scope.key: await admission.usage(scope) for scope in s}

    await client.flushall()  # Redis lost everything
    assert await admission.usage(s[1]) == (0, 0)
    assert await rebuild(admission, ledger, "2026-11") == 3
    after = {scope.key: await admission.usage(scope) for scope in s}
    assert after["repo-month:acme/api:2026-11"] == before["repo-month:acme/api:2026-11"] == (11_600, 1_300)
    assert after["pr:acme/api#7"] == (17_400, 2_200)  # October's call on this PR counts toward it too
    # and admission enforces the rebuilt totals: 1,300 + 800 > 2,000
    assert isinstance(await admission.reserve("c", s, 1, 800, ttl_ms=60_000), Refusal)
    ledger.close()
