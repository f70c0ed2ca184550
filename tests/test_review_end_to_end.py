"""The metered review end to end: webhook → worker → loopback model provider → ledger → review + check run."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from arq.connections import ArqRedis

from app import metrics
from app.budget import Admission, open_ledger
from app.budget.scopes import pr_key
from app.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.fakeproviders import FakeProvider, serve_provider
from tests.stack import NUMBER, OWNER, REPO, SHA_1, deliver, delivery_for, drain


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    with serve_provider("anthropic") as fake:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.url)
        monkeypatch.setenv("AGENTBUDGET_MODEL_TIMEOUT", "0.5")
        yield fake


def ours(github: FakeGitHub) -> dict:
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert len(runs) == 1
    return runs[0]


def usage_records(settings: Settings) -> list:
    ledger = open_ledger(settings.database_url)
    try:
        return ledger.usage_records()
    finally:
        ledger.close()


async def pr_usage(settings: Settings) -> tuple[int, int]:
    redis = ArqRedis.from_url(settings.redis_url)
    try:
        return await Admission(redis).usage(pr_key(OWNER, REPO, NUMBER))
    finally:
        await redis.aclose()


async def test_a_push_is_reviewed_once_metered_and_shown(
    server: httpx.Client, github: FakeGitHub, settings: Settings, provider: FakeProvider
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert provider.calls == 1
    run = ours(github)
    assert run["conclusion"] == "success"
    summary = run["output"]["summary"]
    assert "- **Review**: ran" in summary
    assert "1,200 input · 2,048 cached · 0 cache write · 300 output tokens" in summary
    assert "**PR total**" in summary and "**Repo month-to-date**" in summary
    # One advisory review on the head commit, the finding inline at its line.
    assert len(github.reviews) == 1
    review = github.reviews[0]
    assert review["state"] == "COMMENTED" and review["commit_id"] == SHA_1
    assert "app.py:2" in review["body"]
    records = usage_records(settings)
    assert len(records) == 1
    record = records[0]
    assert (record.usage.input_tokens, record.usage.cached_input_tokens, record.usage.output_tokens) == (
        1200,
        2048,
        300,
    )
    assert record.head_sha == SHA_1 and record.model == "claude-haiku-4-5"
    assert await pr_usage(settings) == (record.total_tokens, record.micros)
    # Metrics: the GenAI token histogram and the review decision, as /metrics shows them.
    redis = ArqRedis.from_url(settings.redis_url)
    try:
        text = await metrics.render(redis, settings)
    finally:
        await redis.aclose()
    # input counts cached and cache-write tokens too, as OpenTelemetry does: 1,200 + 2,048.
    assert (
        'gen_ai_client_token_usage_sum{gen_ai_token_type="input",gen_ai_request_model="claude-haiku-4-5",'
        'gen_ai_provider_name="anthropic",gen_ai_operation_name="chat"} 3248'
    ) in text
    assert 'agentbudget_reviews_total{decision="run",gate="none"} 1' in text
    # The key never reaches GitHub.
    assert not any("sk-ant-test-key" in str(r.body) for r in github.requests)

    # A body edit re-evaluates the same commit: the review is reported, not bought again.
    assert deliver(server, delivery_for("edited", SHA_1)).status_code == 202
    await drain(settings)
    assert provider.calls == 1 and len(github.reviews) == 1
    assert "already ran on this commit" in ours(github)["output"]["summary"]
    assert len(usage_records(settings)) == 1


async def test_a_provider_timeout_refunds_and_says_so_without_blocking(
    server: httpx.Client, github: FakeGitHub, settings: Settings, provider: FakeProvider
) -> None:
    provider.then("slow")
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    run = ours(github)
    assert run["status"] == "completed" and run["conclusion"] == "neutral"
    assert "refunded" in run["output"]["summary"]
    assert github.reviews == []
    assert await pr_usage(settings) == (0, 0)
    assert [r.outcome for r in usage_records(settings) if r.total_tokens] == []


async def test_without_a_provider_key_the_review_is_off_and_says_why(
    server: httpx.Client, github: FakeGitHub, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    run = ours(github)
    assert run["conclusion"] == "success"
    assert "- **Review**: not run — no model provider is configured" in run["output"]["summary"]
    assert usage_records(settings) == []


async def test_an_oversize_diff_never_reaches_the_provider(
    server: httpx.Client, github: FakeGitHub, settings: Settings, provider: FakeProvider
) -> None:
    from tests.stack import big_diff

    github.set_head(OWNER, REPO, NUMBER, SHA_1, diff=big_diff(4, 600))
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert ours(github)["conclusion"] == "neutral"  # the review waits; the merge does not
    assert provider.calls == 0


async def test_a_merged_pull_request_is_recorded_for_the_report(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    import json

    from app.budget.events import Events

    payload = json.loads(delivery_for("opened", SHA_1))
    payload["action"] = "closed"
    payload["pull_request"].update(state="closed", merged=True)
    assert deliver(server, json.dumps(payload).encode()).status_code == 202
    await drain(settings)
    ledger = open_ledger(settings.database_url)
    try:
        outcomes = Events(ledger).pr_outcomes()
    finally:
        ledger.close()
    assert [(o.org, o.repo, o.pr, o.outcome) for o in outcomes.values()] == [(OWNER, REPO, NUMBER, "merged")]


async def test_a_budget_refusal_is_counted_for_the_metrics(
    server: httpx.Client, github: FakeGitHub, settings: Settings, provider: FakeProvider
) -> None:
    github.set_file(OWNER, REPO, "main", ".agentbudget.yml", "budget:\n  per_pr:\n    usd: 0.000001\n")
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert provider.calls == 0
    redis = ArqRedis.from_url(settings.redis_url)
    try:
        text = await metrics.render(redis, settings)
    finally:
        await redis.aclose()
    assert 'agentbudget_budget_refusals_total{scope="pr"} 1' in text


@pytest.mark.parametrize(
    ("modes", "kind", "raw"),
    [
        (("401",), "refused the app's key (HTTP 401)", "Incorrect API key"),
        (("500",) * 6, "model provider is unavailable", "Internal server error"),
        (("malformed",), "answer could not be read", "not JSON"),
    ],
)
async def test_public_run_names_the_failure_kind_never_the_provider_url_or_its_text(
    server: httpx.Client,
    github: FakeGitHub,
    settings: Settings,
    provider: FakeProvider,
    modes: tuple[str, ...],
    kind: str,
    raw: str,
) -> None:
    """Finding 6d: a provider endpoint (an internal host) and its raw error text stay in the worker log."""
    provider.then(*modes)
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    run = ours(github)
    assert run["status"] == "completed"
    public = run["output"]["title"] + run["output"]["summary"] + (run["output"].get("text") or "")
    assert kind in public
    host = provider.url.split("://", 1)[1]
    assert host not in public and provider.url not in public
    assert raw not in public and "sk-ant-test-key" not in public
