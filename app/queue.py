"""The durable queue (arq on Redis) and the delivery ledger that makes redeliveries a no-op."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from arq.connections import ArqRedis, RedisSettings

from app.routing import JobSpec
from app.settings import Settings

DELIVERY_KEY = "agentbudget:delivery:{}"
# While a delivery is being enqueued it is "pending" for a short while only: if the server dies in
# between, the key expires and GitHub's (or the reconciler's) redelivery is accepted again.
PENDING_TTL_SECONDS = 120


@dataclass(frozen=True)
class Accepted:
    duplicate: bool
    job_ids: tuple[str, ...] = ()


def redis_settings(settings: Settings) -> RedisSettings:
    return RedisSettings.from_dsn(settings.redis_url)


def connect(settings: Settings) -> ArqRedis:
    """A client that does not connect until first used, so a server can start while Redis is down."""
    client: ArqRedis = ArqRedis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5)
    client.default_queue_name = settings.queue_name
    return client


async def enqueue(redis: ArqRedis, jobs: Iterable[JobSpec], queue_name: str) -> tuple[str, ...]:
    queued = []
    for job in jobs:
        # None means a job with this id is queued, running or has a kept result: collapsed, not lost.
        await redis.enqueue_job(job.function, _job_id=job.job_id, _queue_name=queue_name, **job.kwargs)
        queued.append(job.job_id)
    return tuple(queued)


async def accept_delivery(redis: ArqRedis, delivery: str, jobs: Iterable[JobSpec], settings: Settings) -> Accepted:
    """Enqueue the jobs of a delivery once; a repeated delivery id is acknowledged and dropped."""
    key = DELIVERY_KEY.format(delivery)
    if not await redis.set(key, "pending", nx=True, ex=PENDING_TTL_SECONDS):
        return Accepted(duplicate=True)
    try:
        job_ids = await enqueue(redis, jobs, settings.queue_name)
    except BaseException:
        try:
            await redis.delete(key)
        except Exception:  # noqa: BLE001 - Redis is already failing; the pending key expires by itself
            pass
        raise
    await redis.set(key, "done", ex=settings.delivery_ttl_seconds)
    return Accepted(duplicate=False, job_ids=job_ids)
