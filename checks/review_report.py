"""How a metered review ended and what the check run's Tokens section shows about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from checks import escape as safe
from checks.budget import ScopeUse
from checks.money import usd
from checks.prompt import LeftOut
from checks.usage import TokenUsage


class ReviewOutcome(StrEnum):
    """How a metered review ended; the value is the name the check run's JSON and the CLI show."""

    RAN = "ran"  # called, recorded, settled (posting may still have failed: the detail says)
    REUSED = "reused"  # the ledger already holds this commit's review: not called or charged again
    WAITING = "waiting"  # a gate needs an approval (large model, the PR budget)
    REFUSED = "refused"  # over a budget no approval lifts
    TIMED_OUT = "refunded-timeout"  # the provider timed out; the reservation went back
    PROVIDER_ERROR = "refunded-error"  # the provider failed (or every attempt had); the reservation went back
    BUSY = "busy"  # another worker holds this review

    @property
    def reviewed(self) -> bool:
        """A review of this commit exists (run now or before)."""
        return self in (ReviewOutcome.RAN, ReviewOutcome.REUSED)

    @property
    def refunded(self) -> bool:
        return self in (ReviewOutcome.TIMED_OUT, ReviewOutcome.PROVIDER_ERROR)


@dataclass(frozen=True)
class ReviewReport:
    """What the check run's Tokens section shows about the review."""

    outcome: ReviewOutcome
    detail: str  # one sentence for people
    model: str
    size: str  # small | large
    route_rule: str
    request_id: str
    usage: TokenUsage = field(default_factory=TokenUsage)
    micros: int = 0
    estimated_input_tokens: int = 0
    reserved_micros: int = 0
    latency_ms: int = 0
    findings: int = 0
    scopes: tuple[ScopeUse, ...] = ()  # PR total, repo and org month-to-date, after this review
    month: str = ""
    warnings: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    refused_by: str = ""  # the budget scope whose limit admission refused (pr, repo-month, org-month)

    @property
    def tokens(self) -> int:
        return self.usage.total_tokens

    def scope(self, name: str) -> ScopeUse | None:
        return next((s for s in self.scopes if s.name == name), None)


_OUTCOME_TEXT = {
    ReviewOutcome.RAN: "ran",
    ReviewOutcome.REUSED: "already ran on this commit (not charged again)",
    ReviewOutcome.WAITING: "waiting for approval",
    ReviewOutcome.REFUSED: "not run: over budget",
    ReviewOutcome.TIMED_OUT: "not run: the provider timed out; the reservation was refunded",
    ReviewOutcome.PROVIDER_ERROR: "not run: the provider failed; the reservation was refunded",
    ReviewOutcome.BUSY: "running in another worker",
}


def tokens_lines(report: ReviewReport) -> list[str]:
    """Markdown lines for the check run's Tokens section (untrusted text escaped)."""
    lines = [f"- **Review**: {_OUTCOME_TEXT[report.outcome]} — {safe.inline(report.detail)}"]
    model = f"`{safe.code(report.model)}` ({report.size}; {safe.inline(report.route_rule)})"
    if report.outcome.reviewed:
        used = report.usage
        lines.append(
            f"- **This review**: {model}: {used.input_tokens:,} input · "
            f"{used.cached_input_tokens:,} cached · {used.cache_write_tokens:,} cache write · "
            f"{used.output_tokens:,} output tokens · "
            f"{usd(report.micros)}"
        )
    else:
        lines.append(
            f"- **This review**: {model}: estimated {report.estimated_input_tokens:,} input tokens, "
            f"up to {usd(report.reserved_micros)}"
        )
    pr = report.scope("pr")
    if pr is not None:
        lines.append(f"- **PR total**: {pr.tokens:,} tokens · {usd(pr.micros)}{_of(pr.limit_micros)}")
    repo = report.scope("repo-month")
    if repo is not None:
        lines.append(
            f"- **Repo month-to-date** ({safe.inline(report.month)}): {repo.tokens:,} tokens · "
            f"{usd(repo.micros)}{_of(repo.limit_micros)}"
        )
    lines += [f"- ⚠️ {safe.inline(w)}" for w in report.warnings]
    if report.left_out:
        lines.append(f"- **Left out of the prompt** ({len(report.left_out)}):")
        shown = report.left_out[:50]
        lines += [f"  - `{safe.code(e.path)}`: {safe.inline(e.reason)}" for e in shown]
        if len(report.left_out) > len(shown):
            lines.append(f"  - and {len(report.left_out) - len(shown)} more")
    return lines


def _of(limit: int | None) -> str:
    return f" of {usd(limit)}" if limit is not None else ""
