"""The redelivery reconciler against the loopback GitHub's delivery log and a real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from arq.connections import ArqRedis

from app import keys
from app.github import GitHubApp
from app.reconcile import reconcile
from app.settings import Settings
from tests.fakegithub import FakeGitHub


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    with fake.serve():
        yield fake


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[ArqRedis]:
    client = ArqRedis.from_url(redis_url)
    yield client
    await client.aclose()


def app_client(github: FakeGitHub) -> object:
    settings = Settings(
        app_id=str(github.app_id), private_key=github.private_key_pem, github_api_url=github.url
    )
    return GitHubApp(settings).app_client()


async def test_redelivers_failed_unprocessed_deliveries_once(github: FakeGitHub, redis: ArqRedis) -> None:
    ok = github.add_delivery("guid-ok", "pull_request", "opened", 202)
    lost = github.add_delivery("guid-lost", "pull_request", "synchronize", 503)
    stored = github.add_delivery("guid-stored-late", "pull_request", "edited", 502)
    await redis.set(keys.delivery("guid-stored-late"), "done")
    result = await reconcile(app_client(github), redis)  # type: ignore[arg-type]
    assert result.redelivered == ("guid-lost",)
    assert github.redelivery_attempts == [lost["id"]]
    assert ok["id"] not in github.redelivery_attempts and stored["id"] not in github.redelivery_attempts
    # The next run starts from the remembered cursor: nothing new, nothing redelivered again.
    again = await reconcile(app_client(github), redis)  # type: ignore[arg-type]
    assert again.scanned == 0 and again.redelivered == ()
    assert github.redelivery_attempts == [lost["id"]]


async def test_a_later_success_of_the_same_guid_needs_no_redelivery(
    github: FakeGitHub, redis: ArqRedis
) -> None:
    github.add_delivery("guid-1", "pull_request", "opened", 503)
    github.add_delivery("guid-1", "pull_request", "opened", 202, redelivery=True)
    result = await reconcile(app_client(github), redis)  # type: ignore[arg-type]
    assert result.redelivered == () and github.redelivery_attempts == []


async def test_pages_through_the_log_and_bounds_each_run(github: FakeGitHub, redis: ArqRedis) -> None:
    for i in range(250):
        github.add_delivery(f"guid-{i}", "pull_request", "synchronize", 500)
    first = await reconcile(app_client(github), redis, max_redeliveries=100)  # type: ignore[arg-type]
    assert first.pages == 3 and len(first.redelivered) == 100
    # The cursor did not move past what was left: the next runs pick the rest up.
    second = await reconcile(app_client(github), redis, max_redeliveries=100)  # type: ignore[arg-type]
    third = await reconcile(app_client(github), redis, max_redeliveries=100)  # type: ignore[arg-type]
    assert len(second.redelivered) == 100 and len(third.redelivered) == 50
    assert len(set(github.redelivery_attempts)) == 250


async def test_gives_up_after_max_attempts(github: FakeGitHub, redis: ArqRedis) -> None:
    for attempt in range(5):
        github.add_delivery("guid-broken", "pull_request", "opened", 500, redelivery=attempt > 0)
        await reconcile(app_client(github), redis, max_attempts=3)  # type: ignore[arg-type]
    assert len(github.redelivery_attempts) == 3
