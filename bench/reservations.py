"""Reservation throughput on a real Redis, beside bare Redis round trips in the same run.

Run: python -m bench.reservations [--ops N] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from app.budget import Admission, Limits, Reservation, scopes_for
from tests.redis_server import RedisServer

LIMITS = Limits(pr_micros=10**15, repo_month_micros=10**15, org_month_micros=10**15, org_month_tokens=10**15)


async def _run(concurrency: int, ops: int, one: Callable[[int, int], Awaitable[None]]) -> float:
    per_task = ops // concurrency

    async def task(t: int) -> None:
        for i in range(per_task):
            await one(t, i)

    start = time.perf_counter()
    await asyncio.gather(*(task(t) for t in range(concurrency)))
    return (per_task * concurrency) / (time.perf_counter() - start)


async def bench(url: str, ops: int, concurrency: int) -> tuple[float, float, float]:
    client: Redis = Redis.from_url(url, max_connections=concurrency + 4)
    admission = Admission(client)
    ids = itertools.count()

    async def baseline(t: int, i: int) -> None:
        # the same shape of work without the script: two round trips that touch one counter
        await client.incrby("bench:baseline", 10)
        await client.incrby("bench:baseline", -3)

    async def ping(t: int, i: int) -> None:
        await client.ping()
        await client.ping()

    async def reserve_settle(t: int, i: int) -> None:
        scopes = scopes_for(org="acme", repo=f"repo{t % 8}", pr=i % 50, month="2026-11", limits=LIMITS)
        res = await admission.reserve(f"bench-{next(ids)}", scopes, 4_000, 20_000, ttl_ms=60_000)
        assert isinstance(res, Reservation)
        assert await admission.settle(res.request_id, 3_500, 17_000)

    await _run(concurrency, min(ops, 2_000), reserve_settle)  # warm-up: script cache, connections
    pings = await _run(concurrency, ops, ping)
    bare = await _run(concurrency, ops, baseline)
    ours = await _run(concurrency, ops, reserve_settle)
    await client.aclose()
    return pings, bare, ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    server = RedisServer().start()
    try:
        pings, bare, ours = asyncio.run(bench(server.url, args.ops, args.concurrency))
    finally:
        server.cleanup()
    print(f"redis-server on loopback, {args.ops} ops each, {args.concurrency} concurrent tasks, one process")
    print(f"baseline PING pairs          : {pings:10,.0f} ops/s")
    print(f"baseline INCRBY pairs        : {bare:10,.0f} ops/s")
    print(f"reserve+settle (3 scopes)    : {ours:10,.0f} ops/s")
    print(f"ratio reserve+settle / INCRBY pairs: {ours / bare:.2f}")


if __name__ == "__main__":
    main()
