from __future__ import annotations

import asyncio
import multiprocessing
import random
from collections.abc import AsyncIterator

import pytest
from arq.connections import RedisSettings, create_pool
from redis.asyncio import Redis

from app.budget import Admission, DuplicateReservation, Limits, Refusal, Reservation, Scope, scopes_for
from app.budget.admission import DEADLINES

T0 = 1_700_000_000_000
LIMITS = Limits(pr_micros=5_000_000, repo_month_micros=100_000_000, org_month_tokens=1_000_000)


def scopes(pr: int = 1, month: str = "2026-11", limits: Limits = LIMITS) -> tuple[Scope, ...]:
    return scopes_for(org="acme", repo="api", pr=pr, month=month, limits=limits)


@pytest.fixture
async def admission(redis_url: str) -> AsyncIterator[Admission]:
    client: Redis = Redis.from_url(redis_url)
    yield Admission(client)
    await client.aclose()


async def test_reserve_counts_on_every_scope_and_settle_replaces_estimate(admission: Admission) -> None:
    s = scopes()
    res = await admission.reserve("r1", s, 10_000, 2_000_000, ttl_ms=60_000, now_ms=T0)
    assert isinstance(res, Reservation) and res.deadline_ms == T0 + 60_000
    for scope in s:
        assert await admission.usage(scope) == (10_000, 2_000_000)
    assert await admission.settle("r1", 7_000, 1_500_000) is True
    for scope in s:
        assert await admission.usage(scope) == (7_000, 1_500_000)


async def test_refusal_names_the_overflowing_scope_and_reserves_nothing(admission: Admission) -> None:
    limits = Limits(repo_month_micros=100_000_000)
    s = scopes(limits=limits)
    assert isinstance(await admission.reserve("a", s, 1, 98_200_000, ttl_ms=60_000, now_ms=T0), Reservation)
    refusal = await admission.reserve("b", s, 1, 2_100_000, ttl_ms=60_000, now_ms=T0)
    assert isinstance(refusal, Refusal)
    assert refusal.scope.name == "repo-month"
    assert refusal.reason == "repo-month budget: $98.20 of $100.00 used, this review needs up to $2.10"
    assert await admission.usage(s[0]) == (1, 98_200_000)  # the PR scope was not touched either


async def test_token_limit_refusal(admission: Admission) -> None:
    s = scopes(limits=Limits(org_month_tokens=1_000))
    refusal = await admission.reserve("a", s, 1_001, 0, ttl_ms=60_000, now_ms=T0)
    assert isinstance(refusal, Refusal)
    assert refusal.reason == "org-month budget: 0 of 1,000 tokens used, this review needs up to 1,001"


async def test_retried_settle_does_not_double_count(admission: Admission) -> None:
    s = scopes()
    await admission.reserve("r1", s, 100, 1_000, ttl_ms=60_000, now_ms=T0)
    assert await admission.settle("r1", 80, 900) is True
    assert await admission.settle("r1", 80, 900) is False
    assert await admission.release("r1") is False  # a late refund of a settled call changes nothing
    assert await admission.usage(s[1]) == (80, 900)
    with pytest.raises(DuplicateReservation):
        await admission.reserve("r1", s, 100, 1_000, ttl_ms=60_000, now_ms=T0)


async def test_retried_reserve_returns_the_same_reservation_counted_once(admission: Admission) -> None:
    s = scopes()
    first = await admission.reserve("r1", s, 100, 1_000, ttl_ms=60_000, now_ms=T0)
    again = await admission.reserve("r1", s, 100, 1_000, ttl_ms=60_000, now_ms=T0 + 5)
    assert first == again
    assert await admission.usage(s[0]) == (100, 1_000)


async def test_settle_of_an_unknown_request_counts_nothing(admission: Admission) -> None:
    assert await admission.settle("never-reserved", 10, 10) is False
    assert await admission.release("never-reserved") is False


async def test_negative_amounts_are_refused(admission: Admission) -> None:
    with pytest.raises(ValueError):
        await admission.reserve("r", scopes(), -1, 0, ttl_ms=1_000)
    with pytest.raises(ValueError):
        await admission.settle("r", 0, -1)


async def test_works_on_arqs_pool(redis_url: str) -> None:
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    admission = Admission(pool)
    s = scopes()
    assert isinstance(await admission.reserve("r1", s, 1, 1, ttl_ms=1_000), Reservation)
    assert await admission.settle("r1", 1, 1)
    assert await admission.usage(s[2]) == (1, 1)
    await pool.aclose()


async def test_failed_call_refunds(admission: Admission) -> None:
    s = scopes()
    await admission.reserve("r1", s, 100, 1_000, ttl_ms=60_000, now_ms=T0)
    assert await admission.release("r1") is True
    assert await admission.release("r1") is False
    assert await admission.settle("r1", 100, 1_000) is False
    for scope in s:
        assert await admission.usage(scope) == (0, 0)


async def test_crashed_worker_reservation_expires_at_its_deadline(admission: Admission) -> None:
    limits = Limits(pr_micros=1_000)
    s = scopes(limits=limits)
    assert isinstance(await admission.reserve("crashed", s, 1, 1_000, ttl_ms=60_000, now_ms=T0), Reservation)
    assert isinstance(await admission.reserve("b", s, 1, 1, ttl_ms=60_000, now_ms=T0 + 59_999), Refusal)
    assert await admission.expire(now_ms=T0 + 59_999) == 0
    # the next reserve after the deadline clears the stale one itself, no sweeper needed
    later = T0 + 60_000
    assert isinstance(await admission.reserve("c", s, 1, 1_000, ttl_ms=60_000, now_ms=later), Reservation)
    assert await admission.usage(s[0]) == (1, 1_000)
    assert await admission.expire(now_ms=T0 + 120_000) == 1
    assert await admission.usage(s[0]) == (0, 0)


async def test_settle_after_expiry_still_counts_the_real_spend(admission: Admission) -> None:
    s = scopes()
    await admission.reserve("slow", s, 100, 1_000, ttl_ms=1_000, now_ms=T0)
    assert await admission.expire(now_ms=T0 + 1_000) == 1
    assert await admission.usage(s[0]) == (0, 0)
    assert await admission.settle("slow", 90, 800) is True
    assert await admission.settle("slow", 90, 800) is False
    assert await admission.usage(s[0]) == (90, 800)


async def test_month_in_key_resets_monthly_scopes_but_not_the_pr(admission: Admission) -> None:
    limits = Limits(repo_month_micros=1_000)
    await admission.reserve("nov", scopes(month="2026-11", limits=limits), 1, 1_000, ttl_ms=60_000, now_ms=T0)
    dec = scopes(month="2026-12", limits=limits)
    assert isinstance(await admission.reserve("dec", dec, 1, 1_000, ttl_ms=60_000, now_ms=T0), Reservation)
    assert await admission.usage(dec[0]) == (2, 2_000)


async def test_expire_clears_more_than_one_batch(admission: Admission) -> None:
    s = scopes(limits=Limits())
    for i in range(250):
        await admission.reserve(f"r{i}", s, 1, 1, ttl_ms=10, now_ms=T0)
    assert await admission.expire(now_ms=T0 + 10) == 250
    assert await admission.usage(s[2]) == (0, 0)


# Several worker processes, each with its own Redis connection, race for one budget.

WORKERS = 5
PER_WORKER = 40
# 200 estimates average 30,000 micros (6M in all) against a 1.5M budget: refusals must happen.
BUDGET_MICROS = 1_500_000
MONTH = "2026-11"
SHARED_LIMITS = Limits(repo_month_micros=BUDGET_MICROS, org_month_tokens=400_000)


async def _worker(url: str, worker: int, start: asyncio.Event | None = None) -> tuple[int, int, int, int]:
    rng = random.Random(worker)
    client: Redis = Redis.from_url(url)
    admission = Admission(client)
    admitted = refused = settled_t = settled_m = 0
    try:
        for i in range(PER_WORKER):
            rid = f"w{worker}-{i}"
            est_t, est_m = rng.randint(1_000, 5_000), rng.randint(10_000, 50_000)
            s = scopes_for(org="acme", repo="api", pr=i % 7, month=MONTH, limits=SHARED_LIMITS)
            res = await admission.reserve(rid, s, est_t, est_m, ttl_ms=60_000)
            if isinstance(res, Refusal):
                refused += 1
                continue
            admitted += 1
            if rng.random() < 0.2:
                assert await admission.release(rid)
                continue
            # half spend exactly the estimate, so settled totals press against the limit itself
            act_t, act_m = (
                (est_t, est_m) if rng.random() < 0.5 else (rng.randint(0, est_t), rng.randint(0, est_m))
            )
            assert await admission.settle(rid, act_t, act_m)
            assert not await admission.settle(rid, act_t, act_m)  # a retry
            settled_t += act_t
            settled_m += act_m
    finally:
        await client.aclose()
    return admitted, refused, settled_t, settled_m


def worker_process(
    url: str, worker: int, out: multiprocessing.queues.Queue[tuple[int, int, int, int]]
) -> None:
    out.put(asyncio.run(_worker(url, worker)))


async def test_many_processes_never_overspend_and_settle_exactly(redis_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.queues.Queue[tuple[int, int, int, int]] = ctx.Queue()
    procs = [ctx.Process(target=worker_process, args=(redis_url, w, out)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    results = [await asyncio.to_thread(out.get, True, 120) for _ in procs]
    for p in procs:
        await asyncio.to_thread(p.join, 30)
        assert p.exitcode == 0
    out.close()
    out.join_thread()
    assert sum(r[0] + r[1] for r in results) == WORKERS * PER_WORKER == 200
    assert sum(r[1] for r in results) > 0, "the budget should have refused some reservations"
    repo = scopes_for(org="acme", repo="api", pr=0, month=MONTH, limits=SHARED_LIMITS)
    client: Redis = Redis.from_url(redis_url)
    admission = Admission(client)
    tokens, micros = await admission.usage(repo[1])
    assert (tokens, micros) == (sum(r[2] for r in results), sum(r[3] for r in results))
    assert micros <= BUDGET_MICROS
    assert await admission.usage(repo[2]) == (tokens, micros)
    assert await client.zcard(DEADLINES) == 0
    await client.aclose()
