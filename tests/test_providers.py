from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.providers import (
    CompletionRequest,
    ProviderError,
    ProviderTimeout,
    RetryPolicy,
    provider_factory,
    provider_for,
)
from app.providers.base import with_retries
from app.providers.factory import MissingKey
from checks.usage import TokenUsage
from config.model import ModelChoice
from tests.fakeproviders import FakeProvider, serve_provider

HAIKU = ModelChoice(provider="anthropic", name="claude-haiku-4-5", max_output_tokens=2048)
MINI = ModelChoice(provider="openai", name="gpt-5-mini", max_output_tokens=1024)
REQUEST = CompletionRequest(system="You review code.", user="```diff\n+x = 1\n```", max_tokens=777)
# (a timeout long enough for a loaded machine: these fakes answer at once; hangs are tested with their own)
FAST = RetryPolicy(attempts=3, budget_s=5, base_delay_s=0, timeout_s=5)
KEY = "sk-test-secret-0123456789"


@pytest.fixture
def anthropic() -> Iterator[FakeProvider]:
    with serve_provider("anthropic", usage=(1_200, 2_048, 512, 300)) as fake:
        yield fake


@pytest.fixture
def openai() -> Iterator[FakeProvider]:
    with serve_provider("openai", usage=(1_200, 2_048, 0, 300)) as fake:
        yield fake


def env(fake: FakeProvider) -> dict[str, str]:
    if fake.kind == "anthropic":
        return {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": fake.url}
    return {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": fake.url}


async def test_anthropic_request_shape_and_usage(anthropic: FakeProvider) -> None:
    provider = provider_for(HAIKU, env(anthropic), retry=FAST)
    try:
        completion = await provider.complete(REQUEST)
    finally:
        await provider.aclose()
    # input_tokens already excludes cache reads and writes: taken as they are
    assert completion.usage == TokenUsage(1_200, 2_048, 512, 300)
    assert completion.text.startswith('{"summary"')
    (sent,) = anthropic.requests
    assert sent.path == "/v1/messages"
    assert sent.headers["x-api-key"] == KEY and sent.headers["anthropic-version"] == "2023-06-01"
    assert sent.body["max_tokens"] == 777 and sent.body["model"] == "claude-haiku-4-5"
    assert sent.body["system"] == [
        {"type": "text", "text": "You review code.", "cache_control": {"type": "ephemeral"}}
    ]
    assert sent.body["messages"] == [{"role": "user", "content": REQUEST.user}]


async def test_openai_prompt_tokens_include_cached_so_they_are_split(openai: FakeProvider) -> None:
    provider = provider_for(MINI, env(openai), retry=FAST)
    try:
        completion = await provider.complete(REQUEST)
    finally:
        await provider.aclose()
    # the server reported prompt_tokens = 3,248 of which 2,048 cached
    assert completion.usage == TokenUsage(1_200, 2_048, 0, 300)
    assert completion.usage.total_tokens == 3_548
    (sent,) = openai.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.body["max_tokens"] == 777  # a compatible server: the classic field
    assert [m["role"] for m in sent.body["messages"]] == ["system", "user"]


def test_openai_itself_gets_max_completion_tokens() -> None:
    provider = provider_for(MINI, {"OPENAI_API_KEY": KEY})
    body = provider.body(REQUEST)  # type: ignore[attr-defined]
    assert body["max_completion_tokens"] == 777 and "max_tokens" not in body


@pytest.mark.parametrize("kind", ["anthropic", "openai"])
async def test_500_then_ok_is_retried(kind: str) -> None:
    with serve_provider(kind) as fake:
        fake.then("500")
        provider = provider_for(HAIKU if kind == "anthropic" else MINI, env(fake), retry=FAST)
        completion = await provider.complete(REQUEST)
        await provider.aclose()
    assert completion.attempts == 2 and fake.calls == 2


async def test_429_honours_retry_after_within_the_budget(anthropic: FakeProvider) -> None:
    anthropic.then("429", "429")
    provider = provider_for(HAIKU, env(anthropic), retry=FAST)
    completion = await provider.complete(REQUEST)
    await provider.aclose()
    assert completion.attempts == 3


async def test_retries_are_bounded(anthropic: FakeProvider) -> None:
    anthropic.then("500", "500", "500", "500")
    provider = provider_for(HAIKU, env(anthropic), retry=FAST)
    with pytest.raises(ProviderError) as caught:
        await provider.complete(REQUEST)
    await provider.aclose()
    assert caught.value.status == 500 and anthropic.calls == 3


async def test_retry_budget_stops_waiting() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def send() -> None:
        raise ProviderError("busy", retryable=True, status=429, retry_after_s=4)

    policy = RetryPolicy(attempts=10, budget_s=10)
    with pytest.raises(ProviderError, match="retry budget"):
        await with_retries(send, policy, sleep=sleep)  # type: ignore[arg-type]
    assert waits == [4, 4]  # a third wait would pass the 10 s budget


@pytest.mark.parametrize("kind", ["anthropic", "openai"])
async def test_slow_provider_times_out_without_retrying(kind: str) -> None:
    with serve_provider(kind) as fake:
        fake.then("slow", "slow")
        provider = provider_for(
            HAIKU if kind == "anthropic" else MINI, env(fake), retry=RetryPolicy(timeout_s=0.3)
        )
        with pytest.raises(ProviderTimeout):
            await provider.complete(REQUEST)
        await provider.aclose()
        assert fake.calls == 1


@pytest.mark.parametrize("kind", ["anthropic", "openai"])
async def test_malformed_answer_is_an_error_not_a_crash(kind: str) -> None:
    with serve_provider(kind) as fake:
        fake.then("malformed")
        provider = provider_for(HAIKU if kind == "anthropic" else MINI, env(fake), retry=FAST)
        with pytest.raises(ProviderError, match="not JSON") as caught:
            await provider.complete(REQUEST)
        await provider.aclose()
    assert not caught.value.retryable


async def test_keys_come_from_the_environment_only_and_never_show() -> None:
    with pytest.raises(MissingKey):
        provider_for(HAIKU, {})
    with pytest.raises(MissingKey):
        provider_for(MINI, {})
    local = provider_for(MINI, {"OPENAI_BASE_URL": "http://127.0.0.1:11434"})  # Ollama needs no key
    provider = provider_factory({"ANTHROPIC_API_KEY": KEY})(HAIKU)
    assert KEY not in repr(provider) and KEY not in str(vars(provider).get("url"))
    await provider.aclose()
    await local.aclose()


@pytest.mark.parametrize("kind", ["anthropic", "openai"])
async def test_error_text_never_carries_the_key(kind: str) -> None:
    with serve_provider(kind) as fake:
        fake.then("401")
        provider = provider_for(HAIKU if kind == "anthropic" else MINI, env(fake), retry=FAST)
        with pytest.raises(ProviderError) as caught:
            await provider.complete(REQUEST)
        await provider.aclose()
    assert caught.value.status == 401 and not caught.value.retryable and fake.calls == 1
    assert "Incorrect API key" in str(caught.value) and KEY not in str(caught.value)
