"""The parsed evidence of a pull request: plain frozen data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

SECTION_KEYS = ("what_changed", "not_changed", "tests_run", "uncertainty", "tokens")


@dataclass(frozen=True)
class TestClaim:
    __test__: ClassVar[bool] = False  # not a pytest test class, despite the name

    command: str | None
    result: str  # "passed" | "failed" | "not_run" | "planned" | "unknown"
    text: str  # the line the claim was read from, trimmed


@dataclass(frozen=True)
class TokenReport:
    source: str  # "body" (the agentbudget block) | "trailers" (Agent-Tokens: commit trailers)
    agent: str | None
    model: str | None
    input_tokens: int | None
    cached_input_tokens: int | None
    cache_write_tokens: int | None
    output_tokens: int | None
    cost_usd_micros: int | None


@dataclass(frozen=True)
class Section:
    key: str
    heading: str  # as written; "" when the section was read from untitled text
    text: str  # as written (HTML comments removed), trimmed, bounded
    line: int  # 1-based line of the heading (or of the first line of untitled text)


@dataclass(frozen=True)
class Evidence:
    # Excluded from the hash (a mapping has none); equality still compares it.
    sections: Mapping[str, Section] = field(hash=False)
    empty: tuple[str, ...]
    tests: tuple[TestClaim, ...]
    tokens: TokenReport | None
    notes: tuple[str, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.sections, MappingProxyType):
            object.__setattr__(self, "sections", MappingProxyType(dict(self.sections)))

    def has(self, key: str) -> bool:
        """Present and non-empty. Unknown keys are never present."""
        if key == "tokens":
            return self.tokens is not None
        return key in self.sections


def missing(evidence: Evidence, required: Sequence[str]) -> tuple[str, ...]:
    """The required keys the evidence lacks, in the order given."""
    return tuple(key for key in required if not evidence.has(key))
