"""Tokens one model call used, split the way prices are: the one value every count of them is kept in.

`input_tokens` are uncached input only (Anthropic's meaning); cache reads and cache writes are counted apart,
so cost = each count x its own price and nothing is counted twice. OpenAI's `prompt_tokens` include the
cached ones and must be split before they land here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TokenUsage:
    input_tokens: int = 0  # uncached input
    cached_input_tokens: int = 0  # read from the prompt cache
    cache_write_tokens: int = 0  # written to the prompt cache
    output_tokens: int = 0

    @property
    def all_input(self) -> int:
        """Every input token, cached or not (OpenTelemetry's input count)."""
        return self.input_tokens + self.cached_input_tokens + self.cache_write_tokens

    @property
    def total_tokens(self) -> int:
        return self.all_input + self.output_tokens

    @property
    def cache_hit_share(self) -> float | None:
        """Cached input tokens over all input tokens (uncached, cached, written to the cache)."""
        return self.cached_input_tokens / self.all_input if self.all_input else None

    def __add__(self, other: TokenUsage) -> TokenUsage:
        return TokenUsage(
            self.input_tokens + other.input_tokens,
            self.cached_input_tokens + other.cached_input_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            self.output_tokens + other.output_tokens,
        )
