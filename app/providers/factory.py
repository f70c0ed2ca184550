"""Build a provider from the config's model choice and the environment (keys never leave it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.providers import anthropic, openai
from app.providers.base import DEFAULT_RETRY, Provider, ProviderError, RetryPolicy
from config.model import ModelChoice

ProviderFactory = Callable[[ModelChoice], Provider]


class MissingKey(ProviderError):
    pass


def provider_for(
    choice: ModelChoice, environ: Mapping[str, str], *, retry: RetryPolicy = DEFAULT_RETRY
) -> Provider:
    if choice.provider == "anthropic":
        key = environ.get("ANTHROPIC_API_KEY", "")
        if not key:
            raise MissingKey("ANTHROPIC_API_KEY is not set")
        base = environ.get("ANTHROPIC_BASE_URL") or anthropic.DEFAULT_BASE_URL
        return anthropic.AnthropicProvider(choice.name, key, base_url=base, retry=retry)
    base = environ.get("OPENAI_BASE_URL") or openai.DEFAULT_BASE_URL
    key = environ.get("OPENAI_API_KEY", "")
    if not key and base == openai.DEFAULT_BASE_URL:
        # Local OpenAI-compatible servers (Ollama, vLLM) may need no key; OpenAI itself does.
        raise MissingKey("OPENAI_API_KEY is not set")
    return openai.OpenAIProvider(choice.name, key, base_url=base, retry=retry)


def provider_factory(environ: Mapping[str, str], *, retry: RetryPolicy = DEFAULT_RETRY) -> ProviderFactory:
    snapshot = dict(environ)

    def make(choice: ModelChoice) -> Provider:
        return provider_for(choice, snapshot, retry=retry)

    return make
