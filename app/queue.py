"""The durable queue (arq on Redis) and the delivery ledger that makes redeliveries a no-op.

A delivery is stored with one Lua script: if its GUID was not seen, every job it asks for is written in
arq's own format (skipped when a job with that id is queued, running or has a kept result) and the GUID
is marked, all atomically. Either the delivery is stored whole or not at all, so a 503 can always be
redelivered and a 202 is never lost or doubled.

Fairness between installations is decided here, at enqueue: each installation has a virtual clock, and a
job is scheduled at max(now, that clock) which then advances by `fair_spacing_ms`. A burst of a thousand
events from one organization is spread out behind it, so another organization's next event is queued
ahead of most of the burst instead of behind all of it. A quiet installation's jobs run at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from arq.connections import ArqRedis, RedisSettings
from arq.constants import expires_extra_ms, job_key_prefix, result_key_prefix
from arq.jobs import serialize_job
from arq.utils import timestamp_ms

from app import keys as key_names
from app.routing import JobSpec
from app.settings import Settings

# KEYS[1] delivery key, KEYS[2] queue, KEYS[3] the installation's virtual clock; then per job: job key,
# result key. ARGV[1] delivery ttl s, ARGV[2] now ms, ARGV[3] job expiry ms, ARGV[4] spacing ms; then per
# job: id, serialized job.
_ACCEPT = """
if redis.call('exists', KEYS[1]) == 1 then return -1 end
local now, spacing = tonumber(ARGV[2]), tonumber(ARGV[4])
local clock = tonumber(redis.call('get', KEYS[3]) or '0')
local queued = 0
for i = 0, (#KEYS - 3) / 2 - 1 do
  local job_key, result_key = KEYS[4 + 2 * i], KEYS[5 + 2 * i]
  local job_id, job = ARGV[5 + 2 * i], ARGV[6 + 2 * i]
  if redis.call('exists', job_key, result_key) == 0 then
    local score = math.max(now, clock)
    redis.call('psetex', job_key, ARGV[3] + (score - now), job)
    redis.call('zadd', KEYS[2], score, job_id)
    clock = score + spacing
    queued = queued + 1
  end
end
if queued > 0 and spacing > 0 then
  redis.call('set', KEYS[3], clock, 'PX', clock - now + 60000)
end
redis.call('set', KEYS[1], 'done', 'EX', ARGV[1])
return queued
"""


@dataclass(frozen=True)
class Accepted:
    duplicate: bool
    job_ids: tuple[str, ...] = ()
    collapsed: int = 0  # jobs that joined an identical job already queued or running


def redis_settings(settings: Settings) -> RedisSettings:
    return RedisSettings.from_dsn(settings.redis_url)


def connect(settings: Settings) -> ArqRedis:
    """A client that does not connect until first used, so a server can start while Redis is down."""
    client: ArqRedis = ArqRedis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5)
    client.default_queue_name = settings.queue_name
    return client


async def accept_delivery(
    redis: ArqRedis, delivery: str, jobs: Iterable[JobSpec], settings: Settings
) -> Accepted:
    """Enqueue the jobs of a delivery once; a repeated delivery id is acknowledged and dropped."""
    specs = list(jobs)
    now = timestamp_ms()
    installation = next((j.kwargs["installation_id"] for j in specs if "installation_id" in j.kwargs), 0)
    keys = [key_names.delivery(delivery), settings.queue_name, key_names.fairness(installation)]
    args: list[str | bytes | int] = [
        settings.delivery_ttl_seconds,
        now,
        expires_extra_ms,
        settings.fair_spacing_ms,
    ]
    for job in specs:
        keys += [job_key_prefix + job.job_id, result_key_prefix + job.job_id]
        args += [job.job_id, serialize_job(job.function, (), job.kwargs, None, now)]
    # redis-py types eval's arguments as str; Redis takes bytes and integers as they are.
    keys_and_args: list[Any] = [*keys, *args]
    queued = int(await cast("Awaitable[int]", redis.eval(_ACCEPT, len(keys), *keys_and_args)))
    if queued < 0:
        return Accepted(duplicate=True)
    return Accepted(duplicate=False, job_ids=tuple(j.job_id for j in specs), collapsed=len(specs) - queued)
