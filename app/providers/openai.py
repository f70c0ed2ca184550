"""OpenAI-compatible chat completions: POST {base}/v1/chat/completions (OpenAI, vLLM, Ollama, LiteLLM)."""

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

DEFAULT_BASE_URL = "https://api.openai.com"


class OpenAIProvider:
    name = "openai"

    def __init__(self, model: str, api_key: str, *, base_url: str = DEFAULT_BASE_URL,
                 retry: RetryPolicy = DEFAULT_RETRY) -> None:  # fmt: skip
        self.model = model
        self._key = api_key
        base = base_url.rstrip("/")
        self.url = (base if base.endswith("/v1") else base + "/v1") + "/chat/completions"
        # OpenAI's reasoning models refuse `max_tokens`; compatible servers know only `max_tokens`.
        self.max_tokens_field = "max_completion_tokens" if "api.openai.com" in base else "max_tokens"
        self.retry = retry
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(retry.timeout_s, connect=10.0))

    def __repr__(self) -> str:
        return f"OpenAIProvider(model={self.model!r}, url={self.url!r})"

    def body(self, request: CompletionRequest) -> dict[str, Any]:
        # System message first: OpenAI caches the longest stable prefix by itself.
        return {
            "model": self.model,
            self.max_tokens_field: request.max_tokens,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ],
            "stream": False,
        }

    async def complete(self, request: CompletionRequest) -> Completion:
        headers = {"content-type": "application/json"}
        if self._key:
            headers["authorization"] = f"Bearer {self._key}"

        async def send() -> Completion:
            data, latency = await post_json(
                self._client, self.url, headers, self.body(request), secret=self._key
            )
            return parse_chat(data, latency)

        return await with_retries(send, self.retry)

    async def aclose(self) -> None:
        await self._client.aclose()


def parse_chat(data: dict[str, Any], latency_ms: int) -> Completion:
    choices = data.get("choices")
    usage = data.get("usage")
    if not isinstance(choices, list) or not choices or not isinstance(usage, dict):
        raise ProviderError("malformed chat completion: no choices or usage")
    first = choices[0] if isinstance(choices[0], dict) else {}
    message = first.get("message")
    if not isinstance(message, dict):
        message = {}
    content = message.get("content")
    prompt = count(usage.get("prompt_tokens"), "prompt_tokens")
    details = usage.get("prompt_tokens_details")
    cached = count(details.get("cached_tokens"), "cached_tokens") if isinstance(details, dict) else 0
    if cached > prompt:
        raise ProviderError(f"malformed usage: {cached} cached of {prompt} prompt tokens")
    return Completion(
        text=content if isinstance(content, str) else "",
        # prompt_tokens includes the cached tokens: split them so they are not counted twice
        usage=TokenUsage(
            input_tokens=prompt - cached,
            cached_input_tokens=cached,
            cache_write_tokens=0,
            output_tokens=count(usage.get("completion_tokens"), "completion_tokens"),
        ),
        model=str(data.get("model") or ""),
        stop_reason=first.get("finish_reason") if isinstance(first.get("finish_reason"), str) else None,
        latency_ms=latency_ms,
    )
