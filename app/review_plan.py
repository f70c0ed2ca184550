"""What a metered review needs before it spends: the plan (what is reviewed, for whom), the meter (where the
money and the review go), and the names its request and attempts go by in admission and the ledger."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.budget import Admission, Ledger, Limits, UsageRecord
from app.providers import ProviderFactory
from checks.budget import pr_limit_micros
from checks.diff import DiffSummary, parse_unified_diff
from checks.model_route import Route
from checks.prompt import Prompt, build_prompt
from checks.pull import PullRequestFacts
from checks.usage import TokenUsage
from config.model import Config

DEFAULT_MAX_PROMPT_TOKENS = 60_000
RESERVATION_TTL_MS = 10 * 60 * 1000  # past any call's retries; a crashed worker's hold ends here
MAX_ATTEMPTS_PER_SHA = 5  # failed attempts on one commit before the review gives up

PostReview = Callable[[str, Sequence[dict[str, object]]], Awaitable[None]]


@dataclass(frozen=True)
class ReviewPlan:
    """One review's inputs: the change, who and what asked for it, and the config it runs under."""

    config: Config
    pull: PullRequestFacts
    diff: DiffSummary
    owner: str
    repo: str
    org: str
    installation_id: int
    head_sha: str
    trigger: str
    user: str
    approvals: frozenset[str] = frozenset()
    diff_text: str = ""  # the raw diff, parsed again when `diff` lacks a file's patch
    guidelines: str = ""
    team: str | None = None
    max_prompt_tokens: int = DEFAULT_MAX_PROMPT_TOKENS

    def prompt(self, route: Route) -> Prompt:
        """The prompt for the routed model: the diff (re-read from the raw text when patches are missing)."""
        diff = self.diff
        if any(f.patch is None for f in diff.files if not f.binary) and self.diff_text:
            diff = parse_unified_diff(self.diff_text)
        return build_prompt(
            diff,
            model=route.choice.name,
            max_tokens=self.max_prompt_tokens,
            title=self.pull.title,
            body=self.pull.body,
            guidelines=self.guidelines,
            ignore_paths=self.config.review.ignore_paths,
        )

    def usage_record(
        self,
        request_id: str,
        model: str,
        usage: TokenUsage,
        micros: int,
        latency_ms: int,
        outcome: str,
        at: datetime,
    ) -> UsageRecord:
        """The ledger row of one model call made for this plan."""
        return UsageRecord(
            request_id=request_id,
            installation_id=self.installation_id,
            org=self.org,
            repo=self.repo,
            pr=self.pull.number,
            head_sha=self.head_sha,
            user=self.user,
            trigger=self.trigger,
            model=model,
            usage=usage,
            micros=micros,
            latency_ms=latency_ms,
            outcome=outcome,
            at=at,
            team=self.team,
        )


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Meter:
    """Where a review spends: the budget counters, the ledger, the model, and where the review is posted."""

    admission: Admission
    ledger: Ledger
    providers: ProviderFactory
    post_review: PostReview
    reservation_ttl_ms: int = RESERVATION_TTL_MS
    now: Callable[[], datetime] = _utc_now


def request_id_for(owner: str, repo: str, pr: int, head_sha: str, model: str) -> str:
    return f"review:{owner}/{repo}#{pr}@{head_sha}:{model}"


def attempt_ids(request_id: str) -> list[str]:
    return [request_id if n == 1 else f"{request_id}~{n}" for n in range(1, MAX_ATTEMPTS_PER_SHA + 1)]


def recorded_usage(ledger: Ledger, request_id: str, month: str | None) -> UsageRecord | None:
    """The successful usage record of any attempt of `request_id` (in `month`, or any month)."""
    return ledger.successful_usage(attempt_ids(request_id), month)


def limits_for(config: Config, approvals: frozenset[str]) -> Limits:
    pr_tokens, pr_micros = pr_limit_micros(config, approvals)
    budget = config.budget
    return Limits(
        pr_tokens=pr_tokens,
        pr_micros=pr_micros,
        repo_month_tokens=budget.per_repo_month.tokens,
        repo_month_micros=budget.per_repo_month.micro_usd,
        org_month_tokens=budget.per_org_month.tokens,
        org_month_micros=budget.per_org_month.micro_usd,
    )
