"""/metrics against a real Redis and real uvicorn, parsed with the Prometheus parser."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from app import metrics
from app.budget import Admission, Limits, UsageRecord, scopes_for
from app.settings import Settings
from app.signature import sign
from app.web import create_app
from checks.usage import TokenUsage
from tests.conftest import SECRET
from tests.servers import serve_asgi

QUEUE = "agentbudget:test-queue"
TOKEN = "s3cret-metrics-token"


def settings_for(redis_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"webhook_secret": SECRET, "redis_url": redis_url, "queue_name": QUEUE,
                              "metrics_token": TOKEN, **overrides}  # fmt: skip
    return Settings(**values)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(parsed: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return parsed[(name, frozenset(labels.items()))]


def usage(model: str = "claude-sonnet-4", **kw: Any) -> UsageRecord:
    base: dict[str, Any] = dict(
        request_id="r1", installation_id=1, org="acme", repo="api", pr=7, head_sha="a" * 40, user="dev",
        trigger="opened", model=model, usage=TokenUsage(1000, 3000, 0, 500), micros=12_500, latency_ms=2300,
        outcome="ok", at=datetime(2026, 11, 3, tzinfo=UTC),
    )  # fmt: skip
    base.update(kw)
    return UsageRecord(**base)


async def test_usage_becomes_gen_ai_token_histograms_and_our_counters(redis: Redis, redis_url: str) -> None:
    await metrics.record_usage(redis, usage(), provider="anthropic")
    await metrics.record_usage(redis, usage(usage=TokenUsage(10, 0, 0, 70_000),
                                            micros=7_500, latency_ms=100), provider="anthropic")  # fmt: skip
    parsed = samples(await metrics.render(redis, settings_for(redis_url)))
    gen_ai = {"gen_ai_request_model": "claude-sonnet-4", "gen_ai_provider_name": "anthropic",
              "gen_ai_operation_name": "chat"}  # fmt: skip
    inp = {**gen_ai, "gen_ai_token_type": "input"}
    out = {**gen_ai, "gen_ai_token_type": "output"}
    # Input counts cached input too (OpenTelemetry's meaning): 1000 + 3000, then 10.
    assert value(parsed, "gen_ai_client_token_usage_sum", **inp) == 4010
    assert value(parsed, "gen_ai_client_token_usage_count", **inp) == 2
    assert value(parsed, "gen_ai_client_token_usage_bucket", **inp, le="16") == 1  # the 10
    assert value(parsed, "gen_ai_client_token_usage_bucket", **inp, le="4096") == 2
    assert value(parsed, "gen_ai_client_token_usage_bucket", **inp, le="1") == 0  # present, and zero
    assert value(parsed, "gen_ai_client_token_usage_bucket", **out, le="65536") == 1  # 500, not 70,000
    assert value(parsed, "gen_ai_client_token_usage_bucket", **out, le="+Inf") == 2
    assert value(parsed, "gen_ai_client_operation_duration_seconds_sum", **gen_ai) == pytest.approx(2.4)
    model = {"gen_ai_request_model": "claude-sonnet-4"}
    assert value(parsed, "agentbudget_review_tokens_total", **model, type="cached_input") == 3000
    assert value(parsed, "agentbudget_review_tokens_total", **model, type="input") == 1010
    assert value(parsed, "agentbudget_review_tokens_total", **model, type="output") == 70_500
    assert value(parsed, "agentbudget_review_cost_usd_total", **model) == pytest.approx(0.02)


async def test_decisions_blocks_approvals_and_refusals_count(redis: Redis, redis_url: str) -> None:
    for decision, gate in (("run", ""), ("skipped", "size"), ("skipped", "size"), ("skipped", "draft")):
        await metrics.record_review(redis, decision, gate)
    await metrics.record_evidence_failure(redis, ["tests_run", "uncertainty"])
    await metrics.record_evidence_failure(redis, ["tests_run"])
    await metrics.record_exposure_block(redis)
    await metrics.record_approval(redis, "size")
    await metrics.record_refusal(redis, "repo-month")
    parsed = samples(await metrics.render(redis, settings_for(redis_url)))
    assert value(parsed, "agentbudget_reviews_total", decision="skipped", gate="size") == 2
    assert value(parsed, "agentbudget_reviews_total", decision="skipped", gate="draft") == 1
    assert value(parsed, "agentbudget_reviews_total", decision="run", gate="none") == 1
    assert value(parsed, "agentbudget_evidence_failures_total", section="tests_run") == 2
    assert value(parsed, "agentbudget_exposure_blocks_total") == 1
    assert value(parsed, "agentbudget_approvals_total", what="size") == 1
    assert value(parsed, "agentbudget_budget_refusals_total", scope="repo-month") == 1


async def test_label_cardinality_is_bounded(redis: Redis, redis_url: str) -> None:
    cap = next(label.cap for label in metrics.METRICS["agentbudget_review_cost_usd_total"].labels)
    for i in range(cap + 10):
        await metrics.record(redis, "agentbudget_review_cost_usd_total", {"gen_ai_request_model": f"m{i}"})
    await metrics.record(redis, "agentbudget_review_cost_usd_total", {"gen_ai_request_model": "m0"})
    await metrics.record(redis, "agentbudget_approvals_total", {"what": "anything-else"})
    await metrics.record(redis, "agentbudget_reviews_total", {"decision": 'run"}\nfake 1', "gate": "x"})
    parsed = samples(await metrics.render(redis, settings_for(redis_url)))
    models = {dict(k[1])["gen_ai_request_model"]: v for k, v in parsed.items()
              if k[0] == "agentbudget_review_cost_usd_total"}  # fmt: skip
    assert len(models) == cap + 1  # the first `cap` values, then "other"
    assert models["other"] == 10
    assert models["m0"] == 2  # an admitted value stays admitted
    assert value(parsed, "agentbudget_approvals_total", what="other") == 1
    assert value(parsed, "agentbudget_reviews_total", decision="other", gate="x") == 1
    assert not any(k[0].startswith("fake") for k in parsed)


async def test_concurrent_recorders_lose_no_increment(redis: Redis, redis_url: str) -> None:
    clients = [Redis.from_url(redis_url) for _ in range(4)]
    try:
        await asyncio.gather(
            *(metrics.record_review(c, "skipped", "author") for c in clients for _ in range(50))
        )
    finally:
        for c in clients:
            await c.aclose()
    parsed = samples(await metrics.render(redis, settings_for(redis_url)))
    assert value(parsed, "agentbudget_reviews_total", decision="skipped", gate="author") == 200


async def test_queue_depth_and_oldest_job_age_come_from_the_arq_queue(redis: Redis, redis_url: str) -> None:
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    now_ms = int(now.timestamp() * 1000)
    await redis.zadd(QUEUE, {"a": now_ms - 90_000, "b": now_ms - 1_000, "c": now_ms + 60_000})
    parsed = samples(await metrics.render(redis, settings_for(redis_url), now=now))
    assert value(parsed, "agentbudget_queue_jobs", state="ready") == 2
    assert value(parsed, "agentbudget_queue_jobs", state="deferred") == 1
    assert value(parsed, "agentbudget_queue_oldest_ready_job_age_seconds") == 90


async def test_job_wait_is_observed(redis: Redis, redis_url: str) -> None:
    now = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    await metrics.observe_job_start(redis, "evaluate_pull_request", now - timedelta(seconds=3), now=now)
    parsed = samples(await metrics.render(redis, settings_for(redis_url)))
    labels = {"function": "evaluate_pull_request"}
    assert value(parsed, "agentbudget_job_wait_seconds_sum", **labels) == 3
    assert value(parsed, "agentbudget_job_wait_seconds_bucket", **labels, le="2.5") == 0
    assert value(parsed, "agentbudget_job_wait_seconds_bucket", **labels, le="5") == 1


async def test_budget_burn_per_repo_reads_admission_counters(redis: Redis, redis_url: str) -> None:
    month = datetime.now(UTC).strftime("%Y-%m")
    admission = Admission(redis)
    limits = Limits(repo_month_micros=100_000_000, org_month_micros=None)
    for repo, spent in (("api", 30_000_000), ("web", 5_000_000)):
        scopes = scopes_for(org="acme", repo=repo, pr=1, month=month, limits=limits)
        reserved = await admission.reserve(f"req-{repo}", scopes, 10, spent, ttl_ms=60_000)
        assert not hasattr(reserved, "reason")
        await admission.settle(f"req-{repo}", 10, spent)
        await metrics.note_budgets(redis, scopes, month)
    parsed = samples(await metrics.render(redis, settings_for(redis_url)))
    assert value(parsed, "agentbudget_repo_budget_spent_usd", org="acme", repo="api") == 30
    assert value(parsed, "agentbudget_repo_budget_limit_usd", org="acme", repo="api") == 100
    assert value(parsed, "agentbudget_repo_budget_spent_usd", org="acme", repo="web") == 5
    assert value(parsed, "agentbudget_org_budget_spent_usd", org="acme") == 35
    assert ("agentbudget_org_budget_limit_usd", frozenset({("org", "acme")})) not in parsed  # no limit


def test_metrics_endpoint_requires_the_token_and_records_webhook_latency(redis_url: str) -> None:
    app = create_app(settings_for(redis_url))
    with serve_asgi(app) as base, httpx.Client(base_url=base) as client:
        body = b'{"zen": "hi", "hook_id": 1}'
        headers = {
            "X-GitHub-Event": "ping",
            "X-GitHub-Delivery": "d-1",
            "X-Hub-Signature-256": sign(SECRET, body),
        }
        assert client.post("/webhook", content=body, headers=headers).status_code == 200
        assert (
            client.post(
                "/webhook", content=b"{}", headers={**headers, "X-Hub-Signature-256": "x"}
            ).status_code
            == 401
        )
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get(f"/metrics?token={TOKEN}").status_code == 401  # the header only
        response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
        parsed = samples(response.text)
        assert value(parsed, "agentbudget_webhook_duration_seconds_count", event="ping", status="200") == 1
        assert value(parsed, "agentbudget_webhook_duration_seconds_count", event="ping", status="401") == 1


def test_metrics_endpoint_is_absent_without_a_token(redis_url: str) -> None:
    app = create_app(settings_for(redis_url, metrics_token=""))
    with serve_asgi(app) as base, httpx.Client(base_url=base) as client:
        assert client.get("/metrics", headers={"Authorization": "Bearer x"}).status_code == 404
        assert client.get("/metrics").status_code == 404


def test_token_comparison() -> None:
    assert metrics.token_matches("abc", "abc")
    assert not metrics.token_matches("abc", "abd")
    assert not metrics.token_matches("abc", None)
    assert not metrics.token_matches("", "")


async def redis_calls(redis: Redis) -> int:
    stats = await redis.info("commandstats")
    return sum(int(entry["calls"]) for name, entry in stats.items() if name != "cmdstat_info")


async def test_a_scrape_costs_the_same_few_redis_calls_however_many_series(
    redis: Redis, redis_url: str
) -> None:
    calls = []
    for models in (20, 200):
        for i in range(models):
            await metrics.record_usage(redis, usage(model=f"m{i}"), provider="openai")
        before = await redis_calls(redis)
        text = await metrics.render(redis, settings_for(redis_url))
        calls.append(await redis_calls(redis) - before)
        assert sum(1 for _ in text_string_to_metric_families(text)) >= len(metrics.METRICS)
    assert calls[0] == calls[1] <= 12
