"""Budget alerts: once per scope, threshold and period, even when many settles cross at once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app import alerts
from app.budget import Admission, Limits, Reservation, scopes_for
from tests.servers import serve_asgi

USD = 1_000_000
LIMITS = Limits(repo_month_micros=10 * USD, org_month_micros=15 * USD)


class Hook:
    """A loopback Slack-compatible incoming webhook that counts what it receives."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.fail_next = 0
        self.lock = threading.Lock()

        async def receive(request: Request) -> JSONResponse:
            body = await request.json()
            with self.lock:
                if self.fail_next:
                    self.fail_next -= 1
                    return JSONResponse({"ok": False}, status_code=500)
                self.posts.append(body)
            return JSONResponse({"ok": True})

        self.app = Starlette(routes=[Route("/hook", receive, methods=["POST"])])


@pytest.fixture
def hook() -> Iterator[tuple[Hook, str]]:
    receiver = Hook()
    with serve_asgi(receiver.app, lifespan="off") as base:
        yield receiver, f"{base}/hook"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def spend(redis: Redis, request_id: str, micros: int, month: str = "2026-11", repo: str = "api") -> Any:
    scopes = scopes_for(
        org="acme", repo=repo, pr=int(request_id.rsplit("-", 1)[-1]), month=month, limits=LIMITS
    )
    admission = Admission(redis)
    assert isinstance(await admission.reserve(request_id, scopes, 0, 0, ttl_ms=60_000), Reservation)
    assert await admission.settle(request_id, 100, micros)
    return scopes


async def settle_and_check(
    redis: Redis, url: str, request_id: str, micros: int, month: str = "2026-11"
) -> list[str]:
    scopes = await spend(redis, request_id, micros, month)
    return await alerts.check_thresholds(redis, scopes, warn_at=(0.5, 0.8), month=month, webhook_url=url)


async def test_concurrent_settles_alert_once_per_threshold(
    redis: Redis, redis_url: str, hook: tuple[Hook, str]
) -> None:
    receiver, url = hook
    # 14 workers each settle $1 at once: the repo ($10) passes 50 %, 80 % and 100 %; the org ($15) 50 %, 80 %.
    clients = [Redis.from_url(redis_url) for _ in range(14)]
    try:
        notes = await asyncio.gather(
            *(settle_and_check(c, url, f"req-{i}", USD) for i, c in enumerate(clients))
        )
    finally:
        for c in clients:
            await c.aclose()
    texts = sorted(p["text"] for p in receiver.posts)
    assert len(texts) == 5, texts
    assert sum(len(n) for n in notes) == 5  # each crossing noted in exactly one PR's check run
    repo = [t for t in texts if "acme/api (2026-11)" in t]
    org = [t for t in texts if "acme (2026-11)" in t]
    assert len(repo) == 3 and len(org) == 2
    assert any("Budget exhausted: acme/api (2026-11)" in t for t in repo)
    assert any("past 80%" in t for t in org)
    # Checking again (another settle) in the same month crosses nothing new.
    scopes = scopes_for(org="acme", repo="api", pr=1, month="2026-11", limits=LIMITS)
    assert (
        await alerts.check_thresholds(redis, scopes, warn_at=(0.5, 0.8), month="2026-11", webhook_url=url)
        == []
    )
    assert len(receiver.posts) == 5


async def test_a_new_month_alerts_again(redis: Redis, hook: tuple[Hook, str]) -> None:
    receiver, url = hook
    assert len(await settle_and_check(redis, url, "n-1", 6 * USD)) == 1  # repo 60 %; org 40 %
    assert len(await settle_and_check(redis, url, "d-2", 6 * USD, month="2026-12")) == 1
    assert [p["text"].split(" — ")[0] for p in receiver.posts] == [
        "Budget past 50%: acme/api (2026-11)",
        "Budget past 50%: acme/api (2026-12)",
    ]


async def test_a_failed_post_is_retried_by_the_next_settle(redis: Redis, hook: tuple[Hook, str]) -> None:
    receiver, url = hook
    receiver.fail_next = 1
    notes = await settle_and_check(redis, url, "f-1", 5 * USD)
    assert notes and receiver.posts == []
    notes = await settle_and_check(redis, url, "f-2", 1)
    assert len(receiver.posts) == 1 and "past 50%" in receiver.posts[0]["text"]
    assert await settle_and_check(redis, url, "f-3", 1) == []


async def test_without_a_webhook_the_note_still_reaches_the_check_run(redis: Redis) -> None:
    scopes = await spend(redis, "w-1", 9 * USD)
    notes = await alerts.check_thresholds(redis, scopes, warn_at=(0.8,), month="2026-11")
    assert notes == [
        "Budget past 80%: acme/api (2026-11) — 90% of the repository's monthly review budget used "
        "($9.00 of $10.00)."
    ]
    assert await alerts.check_thresholds(redis, scopes, warn_at=(0.8,), month="2026-11") == []


async def test_pr_scope_is_noted_but_not_posted(redis: Redis, hook: tuple[Hook, str]) -> None:
    receiver, url = hook
    limits = Limits(pr_tokens=100)
    scopes = scopes_for(org="acme", repo="api", pr=3, month="2026-11", limits=limits)
    admission = Admission(redis)
    assert isinstance(await admission.reserve("p-1", scopes, 0, 0, ttl_ms=60_000), Reservation)
    await admission.settle("p-1", 100, 0)
    async with httpx.AsyncClient() as client:
        notes = await alerts.check_thresholds(redis, scopes, warn_at=(), month="2026-11", webhook_url=url,
                                              client=client)  # fmt: skip
    assert notes == ["Budget exhausted: acme/api#3 — 100% of this pull request's review budget used "
                     "(100 of 100 tokens)."]  # fmt: skip
    assert receiver.posts == []
