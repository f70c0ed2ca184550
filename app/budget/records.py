"""What the ledger keeps: one row per model call and one per approval, each keyed by its request id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checks.usage import TokenUsage


def month_of(at: datetime) -> str:
    return at.strftime("%Y-%m")


@dataclass(frozen=True)
class UsageRecord:
    request_id: str
    installation_id: int
    org: str
    repo: str
    pr: int
    head_sha: str
    user: str
    trigger: str
    model: str
    usage: TokenUsage
    micros: int
    latency_ms: int
    outcome: str  # "ok" | "error" | "refused" ...
    at: datetime
    team: str | None = None

    @property
    def total_tokens(self) -> int:
        return self.usage.total_tokens

    @property
    def month(self) -> str:
        return month_of(self.at)


@dataclass(frozen=True)
class ApprovalRecord:
    request_id: str  # e.g. the comment id, so a redelivered comment records one approval
    org: str
    repo: str
    pr: int
    head_sha: str
    approver: str
    permission: str  # the approver's permission on the repo when they approved
    what: str  # "large-model" | "size" | "budget" | "exposure"
    reason: str
    at: datetime


@dataclass(frozen=True)
class ScopeTotal:
    key: str
    tokens: int
    micros: int
