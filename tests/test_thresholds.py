"""Thresholds: one rule for the check run's warnings and the channel's alerts, the same at the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from app import alerts
from app.budget import Admission, Limits, Reservation, scopes_for
from checks import thresholds
from checks.budget import ScopeUse, warnings_for

USD = 1_000_000
LIMIT = 10 * USD


def test_levels_always_include_the_whole_budget() -> None:
    assert thresholds.levels((0.8, 0.5, 0.8)) == (0.5, 0.8, 1.0)
    assert thresholds.levels(()) == (1.0,)
    assert thresholds.levels((1.0,)) == (1.0,)


@pytest.mark.parametrize(
    ("used", "expected"),
    [(79, ()), (80, (0.8,)), (99, (0.8,)), (100, (0.8, 1.0)), (120, (0.8, 1.0))],
)
def test_crossed_is_exact_at_each_boundary(used: int, expected: tuple[float, ...]) -> None:
    assert thresholds.crossed((0.8,), used, 100) == expected
    # 0.07 x 100 is 7.000000000000001 in floats; the fraction as written is what counts.
    assert thresholds.crossed((0.07,), 7, 100) == (0.07,)


def test_no_limit_crosses_nothing() -> None:
    assert thresholds.crossed((0.8,), 10**9, None) == ()
    assert thresholds.crossed((0.8,), 10**9, 0) == ()


def test_either_limit_crosses_for_the_scope() -> None:
    assert thresholds.crossed_any((0.5, 0.8), ((60, 100), (81, 100))) == (0.5, 0.8)
    assert thresholds.crossed_any((0.5,), ((10, None), (100, 100))) == (0.5, 1.0)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


def _level(texts: list[str] | tuple[str, ...]) -> str:
    if any("exhausted" in t for t in texts):
        return "exhausted"
    return "80%" if any("80%" in t for t in texts) else "none"


SHARES = [(0.79, "none"), (0.8, "80%"), (0.99, "80%"), (1.0, "exhausted"), (1.2, "exhausted")]


@pytest.mark.parametrize(("share", "expected"), SHARES)
async def test_warnings_and_alerts_agree(redis: Redis, share: float, expected: str) -> None:
    micros = round(share * LIMIT)
    repo = f"agree-{int(share * 100)}"
    scopes = scopes_for(org="acme", repo=repo, pr=1, month="2026-11", limits=Limits(repo_month_micros=LIMIT))
    admission = Admission(redis)
    assert isinstance(await admission.reserve(f"{repo}-1", scopes, 0, 0, ttl_ms=60_000), Reservation)
    assert await admission.settle(f"{repo}-1", 100, micros)
    repo_scope = [s for s in scopes if s.name == "repo-month"]
    notes = await alerts.check_thresholds(redis, repo_scope, warn_at=(0.8,), month="2026-11")
    warnings = warnings_for((0.8,), [ScopeUse("repo-month", 100, micros, None, LIMIT)])
    assert _level(notes) == _level(warnings) == expected
    assert len(warnings) == (0 if expected == "none" else 1)
