"""Model providers: one module per provider's HTTP API, one factory that picks by config."""

from __future__ import annotations

from app.providers.base import (
    Completion,
    CompletionRequest,
    Provider,
    ProviderError,
    ProviderTimeout,
    RetryPolicy,
)
from app.providers.factory import ProviderFactory, provider_factory, provider_for

__all__ = [
    "Completion", "CompletionRequest", "Provider", "ProviderError", "ProviderFactory", "ProviderTimeout",
    "RetryPolicy", "provider_factory", "provider_for",
]  # fmt: skip
