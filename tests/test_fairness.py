"""Per-installation fairness: a burst from one installation does not queue another's event behind it."""

from __future__ import annotations

import dataclasses

from arq.connections import ArqRedis

from app import keys
from app.queue import accept_delivery
from app.routing import JobSpec
from app.settings import Settings


def settings_for(redis_url: str, spacing_ms: int) -> Settings:
    return dataclasses.replace(
        Settings(redis_url=redis_url, webhook_secret="s"),
        queue_name=f"agentbudget:fair-test:{spacing_ms}",
        fair_spacing_ms=spacing_ms,
    )


def job(installation: int, n: int) -> JobSpec:
    return JobSpec(
        "evaluate_pull_request",
        f"evaluate:{installation}:{n}",
        {"installation_id": installation, "number": n},
    )


async def burst_then_one(redis_url: str, spacing_ms: int) -> tuple[ArqRedis, Settings]:
    settings = settings_for(redis_url, spacing_ms)
    redis = ArqRedis.from_url(redis_url)
    await redis.flushall()
    for n in range(30):
        accepted = await accept_delivery(redis, f"noisy-{n}", [job(1, n)], settings)
        assert not accepted.duplicate and accepted.collapsed == 0
    await accept_delivery(redis, "quiet-0", [job(2, 0)], settings)
    return redis, settings


async def test_the_quiet_installation_is_queued_ahead_of_the_burst(redis_url: str) -> None:
    redis, settings = await burst_then_one(redis_url, spacing_ms=1000)
    try:
        order = [m.decode() for m in await redis.zrange(settings.queue_name, 0, -1)]
        assert order.index("evaluate:2:0") <= 1
        # The burst keeps its own order, spread one spacing apart.
        noisy = [(m.decode(), s) for m, s in await redis.zrange(settings.queue_name, 0, -1, withscores=True)]
        scores = [s for m, s in noisy if m.startswith("evaluate:1:")]
        assert scores == sorted(scores) and scores[-1] - scores[0] == 29 * 1000
        # The job key outlives its deferred start (arq drops a job whose key expired before it ran).
        assert await redis.pttl("arq:job:evaluate:1:29") > 29 * 1000
        assert await redis.exists(keys.fairness(1)) and await redis.exists(keys.fairness(2))
    finally:
        await redis.aclose()


async def test_without_spacing_the_queue_is_first_come_first_served(redis_url: str) -> None:
    redis, settings = await burst_then_one(redis_url, spacing_ms=0)
    try:
        order = [m.decode() for m in await redis.zrange(settings.queue_name, 0, -1)]
        assert order[-1] == "evaluate:2:0"
        assert not await redis.exists(keys.fairness(1))
    finally:
        await redis.aclose()


async def test_a_redelivered_burst_does_not_advance_the_clock(redis_url: str) -> None:
    settings = settings_for(redis_url, 1000)
    redis = ArqRedis.from_url(redis_url)
    await redis.flushall()
    try:
        await accept_delivery(redis, "d-1", [job(1, 1)], settings)
        clock = int(await redis.get(keys.fairness(1)))
        again = await accept_delivery(redis, "d-1", [job(1, 1)], settings)
        collapsed = await accept_delivery(redis, "d-2", [job(1, 1)], settings)
        assert again.duplicate and collapsed.collapsed == 1
        assert int(await redis.get(keys.fairness(1))) == clock
    finally:
        await redis.aclose()
