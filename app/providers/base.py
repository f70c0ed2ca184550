"""What every provider speaks: a request, a completion with normalized usage, and bounded retries.

Usage is normalized to Anthropic's meaning (`checks.usage.TokenUsage`): cache reads and writes counted apart
from uncached input, so nothing is counted twice.

Retries: at most `attempts` tries, and never past `budget_s` seconds of waiting in total (the retry
budget), honouring `retry-after` only when it fits in what is left. A timeout is not retried: the
provider may have run (and billed) the call, and the reservation covers one call, not two.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import httpx

from checks.usage import TokenUsage


@dataclass(frozen=True)
class CompletionRequest:
    system: str  # the stable prefix: cached by the provider when it can
    user: str
    max_tokens: int  # always sent, so the output is bounded and the reservation is an upper bound


@dataclass(frozen=True)
class Completion:
    text: str
    usage: TokenUsage
    model: str
    stop_reason: str | None
    latency_ms: int
    attempts: int = 1


class ProviderError(Exception):
    def __init__(self, message: str, *, retryable: bool = False, status: int | None = None,
                 retry_after_s: float | None = None) -> None:  # fmt: skip
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after_s = retry_after_s


class ProviderTimeout(ProviderError):
    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


def public_reason(exc: ProviderError) -> str:
    """What a public check run may say of a provider failure: its kind and what to do. Never the provider's
    URL or its raw error text, which can name internal hosts or echo the request; the worker log has both."""
    status = exc.status
    if type(exc).__name__ == "MissingKey":
        return f"no model provider is configured for this app ({exc}); the operator must set the key"
    if isinstance(exc, ProviderTimeout):
        return "the model provider did not answer in time; re-run the check to try again"
    if status in (401, 403):
        return f"the model provider refused the app's key (HTTP {status}); the operator must check it"
    if status == 429:
        return "the model provider is rate limiting this app (HTTP 429); re-run the check later"
    if (status is not None and status >= 500) or (status is None and exc.retryable):
        return "the model provider is unavailable; re-run the check later"
    if status is not None:
        return (
            f"the model provider refused the request (HTTP {status}); the operator's worker log has details"
        )
    return "the model provider's answer could not be read; the operator's worker log has details"


class Provider(Protocol):
    name: str  # "anthropic" | "openai"
    model: str

    async def complete(self, request: CompletionRequest) -> Completion: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    budget_s: float = 30.0  # total time spent waiting between attempts
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    timeout_s: float = 120.0  # one attempt


DEFAULT_RETRY = RetryPolicy()
RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 529})

Sleep = Callable[[float], Awaitable[None]]


async def with_retries(
    send: Callable[[], Awaitable[Completion]], policy: RetryPolicy, *, sleep: Sleep = asyncio.sleep
) -> Completion:
    waited = 0.0
    attempt = 0
    while True:
        attempt += 1
        try:
            completion = await send()
        except ProviderError as exc:
            if not exc.retryable or attempt >= policy.attempts:
                raise
            delay = _delay(policy, attempt, exc.retry_after_s)
            if waited + delay > policy.budget_s:
                raise ProviderError(
                    f"{exc} (retry budget of {policy.budget_s:g} s spent)", status=exc.status
                ) from exc
            waited += delay
            await sleep(delay)
            continue
        return Completion(
            completion.text, completion.usage, completion.model, completion.stop_reason,
            completion.latency_ms, attempt,
        )  # fmt: skip


def _delay(policy: RetryPolicy, attempt: int, retry_after_s: float | None) -> float:
    if retry_after_s is not None:
        return max(0.0, retry_after_s)
    backoff = min(policy.max_delay_s, policy.base_delay_s * 2.0 ** (attempt - 1))
    return backoff * (0.5 + random.random() / 2)  # jitter so workers do not retry in lockstep


def retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None  # an HTTP date: fall back to backoff


async def post_json(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: dict[str, object], *, secret: str
) -> tuple[dict[str, object], int]:
    """POST and decode; map transport and HTTP failures onto ProviderError. Returns (json, latency ms)."""
    started = time.monotonic()
    try:
        response = await client.post(url, headers=headers, json=body)
    except httpx.TimeoutException as exc:
        raise ProviderTimeout(f"no answer from {url} in time ({type(exc).__name__})") from None
    except httpx.TransportError as exc:
        raise ProviderError(f"cannot reach {url}: {_scrub(str(exc), secret)}", retryable=True) from None
    latency_ms = int((time.monotonic() - started) * 1000)
    if response.status_code >= 400:
        detail = _scrub(response.text[:300], secret)
        raise ProviderError(
            f"{url} answered {response.status_code}: {detail}",
            retryable=response.status_code in RETRYABLE_STATUS,
            status=response.status_code,
            retry_after_s=retry_after(response.headers),
        )
    try:
        data = response.json()
    except ValueError:
        raise ProviderError(f"{url} answered with a body that is not JSON") from None
    if not isinstance(data, dict):
        raise ProviderError(f"{url} answered with JSON that is not an object")
    return data, latency_ms


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "[key]") if secret else text


def count(value: object, what: str) -> int:
    """A token count from a provider's usage object; absent means zero, anything else malformed."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProviderError(f"malformed usage: {what} is {value!r}")
    return value
