"""Anthropic Messages API: POST {base}/v1/messages."""

from __future__ import annotations

from typing import Any

import httpx

from app.providers.base import (
    DEFAULT_RETRY,
    Completion,
    CompletionRequest,
    ProviderError,
    RetryPolicy,
    count,
    post_json,
    with_retries,
)
from checks.usage import TokenUsage

API_VERSION = "2023-06-01"
DEFAULT_BASE_URL = "https://api.anthropic.com"


class AnthropicProvider:
    name = "anthropic"

    def __init__(self, model: str, api_key: str, *, base_url: str = DEFAULT_BASE_URL,
                 retry: RetryPolicy = DEFAULT_RETRY) -> None:  # fmt: skip
        self.model = model
        self._key = api_key
        self.url = base_url.rstrip("/") + "/v1/messages"
        self.retry = retry
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(retry.timeout_s, connect=10.0))

    def __repr__(self) -> str:
        return f"AnthropicProvider(model={self.model!r}, url={self.url!r})"

    def body(self, request: CompletionRequest) -> dict[str, Any]:
        return {
            "model": self.model,
            "max_tokens": request.max_tokens,
            # The stable prefix is marked for caching: later reviews of this repository read it at 0.1x.
            "system": [{"type": "text", "text": request.system, "cache_control": {"type": "ephemeral"}}],
            "messages": [{"role": "user", "content": request.user}],
        }

    async def complete(self, request: CompletionRequest) -> Completion:
        headers = {
            "x-api-key": self._key,
            "anthropic-version": API_VERSION,
            "content-type": "application/json",
        }

        async def send() -> Completion:
            data, latency = await post_json(
                self._client, self.url, headers, self.body(request), secret=self._key
            )
            return parse_message(data, latency)

        return await with_retries(send, self.retry)

    async def aclose(self) -> None:
        await self._client.aclose()


def parse_message(data: dict[str, Any], latency_ms: int) -> Completion:
    content = data.get("content")
    usage = data.get("usage")
    if not isinstance(content, list) or not isinstance(usage, dict):
        raise ProviderError("malformed Anthropic answer: no content or usage")
    text = "".join(
        str(block.get("text", ""))
        for block in content
        if isinstance(block, dict) and block.get("type") == "text"
    )
    return Completion(
        text=text,
        # input_tokens already excludes cache reads and writes
        usage=TokenUsage(
            input_tokens=count(usage.get("input_tokens"), "input_tokens"),
            cached_input_tokens=count(usage.get("cache_read_input_tokens"), "cache_read_input_tokens"),
            cache_write_tokens=count(usage.get("cache_creation_input_tokens"), "cache_creation_input_tokens"),
            output_tokens=count(usage.get("output_tokens"), "output_tokens"),
        ),
        model=str(data.get("model") or ""),
        stop_reason=data.get("stop_reason") if isinstance(data.get("stop_reason"), str) else None,
        latency_ms=latency_ms,
    )
