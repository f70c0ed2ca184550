"""The metered review: plan → reserve → call → settle, then post.

Called by the worker once every review gate passes. Money moves in this order, so nothing is lost and
nothing is paid twice:
  reserve  the upper bound (estimated input at the dearest input price + all output) on every scope;
  call     the provider (bounded retries; a timeout is not retried);
  record   the usage in the ledger (durable, idempotent by request id) before settling, so a crash after
           the call leaves a record that `agentbudget ledger rebuild` counts;
  settle   the reservation with the actual usage (idempotent: a retried settle counts once).
A failed or cancelled call (a job timeout, a shutdown) releases (refunds) its reservation; a crashed
worker's reservation expires by deadline.
The request id is `review:{owner}/{repo}#{pr}@{sha}:{model}`: a re-evaluation of the same commit finds
the ledger row and reports it without calling the model again. That check is repeated under the per-review
lock, so of N workers holding duplicated deliveries exactly one calls the model. An attempt after a failed
one is `{request_id}~N`; the same attempt id names the reservation, the ledger row and the settle.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from app import keys
from app.budget import DuplicateReservation, Refusal, Scope, month_of, scopes_for
from app.providers import Completion, CompletionRequest, ProviderError, ProviderTimeout
from app.providers.base import public_reason
from app.review_plan import (
    MAX_ATTEMPTS_PER_SHA,
    Meter,
    ReviewPlan,
    attempt_ids,
    limits_for,
    recorded_usage,
    request_id_for,
)
from checks.budget import ScopeUse, budget_gate, cost_micros, reservation_micros, warnings_for
from checks.gates import GateResult, Outcome
from checks.model_route import Route, model_gate, route_model
from checks.money import usd
from checks.phrases import counted
from checks.prompt import Prompt
from checks.review_answer import inline_comments, parse_review, review_comment
from checks.review_report import ReviewOutcome, ReviewReport
from checks.usage import TokenUsage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewRun:
    report: ReviewReport
    gates: tuple[GateResult, ...]
    comment: str | None = None  # the review posted, when one was


@dataclass(frozen=True)
class _Review:
    """One review under way: its plan, where it spends, the model it routed to, and its report so far."""

    plan: ReviewPlan
    meter: Meter
    route: Route
    request_id: str
    scopes: tuple[Scope, ...]
    base: ReviewReport
    started: datetime

    @property
    def model(self) -> str:
        return self.route.choice.name

    def report(self, outcome: ReviewOutcome, detail: str) -> ReviewReport:
        return replace(self.base, outcome=outcome, detail=detail)

    async def finish(self, report: ReviewReport) -> ReviewReport:
        """Counters as admission holds them (settled + in-flight reservations), with the warn thresholds."""
        uses = []
        for scope in self.scopes:
            tokens, micros = await self.meter.admission.usage(scope)
            uses.append(ScopeUse(scope.name, tokens, micros, scope.limit_tokens, scope.limit_micros))
        warnings = warnings_for(self.plan.config.budget.warn_at, uses)
        return replace(report, scopes=tuple(uses), warnings=warnings)

    async def reused(self, month: str | None) -> ReviewReport | None:
        """The report of this commit's review when the ledger already holds it (in `month`, or any)."""
        done = await asyncio.to_thread(recorded_usage, self.meter.ledger, self.request_id, month)
        if done is None:
            return None
        detail = f"reviewed at {done.at:%Y-%m-%d %H:%M} UTC"
        report = self.report(ReviewOutcome.REUSED, detail)
        return await self.finish(
            replace(report, usage=done.usage, micros=done.micros, latency_ms=done.latency_ms)
        )


async def run_review(plan: ReviewPlan, meter: Meter) -> ReviewRun:
    review = _plan(plan, meter)
    gate = model_gate(plan.config, review.route, plan.approvals)
    if gate.outcome is not Outcome.PASS:
        return ReviewRun(replace(review.base, detail=gate.reason), (gate,))
    reused = await review.reused(review.base.month)
    if reused is not None:
        return ReviewRun(reused, (gate,))
    prompt = plan.prompt(review.route)
    review = _priced(review, prompt)
    async with _holding(review) as held:
        if not held:
            return ReviewRun(
                review.report(ReviewOutcome.BUSY, "another worker is running this review"), (gate,)
            )
        return await _reserve_and_call(review, prompt, gate)


def _plan(plan: ReviewPlan, meter: Meter) -> _Review:
    """Route the model and name what the review will count against."""
    route = route_model(plan.config, plan.diff, plan.pull.labels)
    model = route.choice.name
    request_id = request_id_for(plan.owner, plan.repo, plan.pull.number, plan.head_sha, model)
    started = meter.now()
    month = month_of(started)
    limits = limits_for(plan.config, plan.approvals)
    # The ledger's (org, repo, pr) must name the same counters, so `ledger rebuild` restores them.
    scopes = scopes_for(org=plan.org, repo=plan.repo, pr=plan.pull.number, month=month, limits=limits)
    base = ReviewReport(
        outcome=ReviewOutcome.WAITING,
        detail="",
        model=model,
        size=route.size,
        route_rule=route.rule,
        request_id=request_id,
        month=month,
    )
    return _Review(plan, meter, route, request_id, tuple(scopes), base, started)


@asynccontextmanager
async def _holding(review: _Review) -> AsyncIterator[bool]:
    """A retried job on the same commit: only one worker may hold the call at a time."""
    redis = review.meter.admission.redis
    lock = keys.review_lock(review.request_id)
    token = uuid.uuid4().hex
    if not await redis.set(lock, token, nx=True, px=review.meter.reservation_ttl_ms):
        yield False
        return
    try:
        yield True
    finally:
        # Release the lock only if it is still ours (it may have expired and been taken).
        if await redis.get(lock) == token.encode():
            await redis.delete(lock)


def _priced(review: _Review, prompt: Prompt) -> _Review:
    """The upper bound to reserve: the estimated input at the dearest input price, and all the output."""
    max_output = review.route.choice.max_output_tokens
    price = review.plan.config.models.prices[review.model]
    micros = reservation_micros(price, input_tokens=prompt.estimated_tokens, max_output_tokens=max_output)
    base = replace(
        review.base,
        estimated_input_tokens=prompt.estimated_tokens,
        reserved_micros=micros,
        left_out=prompt.left_out,
    )
    return replace(review, base=base)


async def _reserve_and_call(review: _Review, prompt: Prompt, gate: GateResult) -> ReviewRun:
    tokens = review.base.estimated_input_tokens + review.route.choice.max_output_tokens
    micros = review.base.reserved_micros
    # Again under the lock: the worker that held it before us may have finished this very review.
    reused = await review.reused(None)
    if reused is not None:
        return ReviewRun(reused, (gate,))
    held = await _reserve(review, tokens, micros)
    if held is None:
        reused = await review.reused(None)
        if reused is not None:
            return ReviewRun(reused, (gate,))
        detail = f"{MAX_ATTEMPTS_PER_SHA} attempts on this commit failed; push a new commit to retry"
        return ReviewRun(review.report(ReviewOutcome.PROVIDER_ERROR, detail), (gate,))
    if isinstance(held, Refusal):
        return await _refused(review, held, gate)
    budget = GateResult("budget", Outcome.PASS, f"reserved up to {usd(micros)}")
    return await _call_and_settle(review, held, prompt, (gate, budget))


async def _reserve(review: _Review, tokens: int, micros: int) -> str | Refusal | None:
    """Reserve under the request id, or under `{id}~N` when earlier attempts failed or expired: the attempt
    id held, admission's refusal, or None when every attempt on this commit is used up."""
    for attempt_id in attempt_ids(review.request_id):
        try:
            result = await review.meter.admission.reserve(
                attempt_id, review.scopes, tokens, micros, ttl_ms=review.meter.reservation_ttl_ms
            )
        except DuplicateReservation:
            continue  # that attempt is over (settled elsewhere, refunded or expired)
        return result if isinstance(result, Refusal) else attempt_id
    return None


async def _refused(review: _Review, refusal: Refusal, gate: GateResult) -> ReviewRun:
    approved = "budget" in review.plan.approvals
    ceiling = limits_for(review.plan.config, review.plan.approvals).pr_micros if approved else None
    budget = budget_gate(
        refusal.scope.name,
        refusal.reason,
        approved=approved,
        ceiling_micros=ceiling,
        config=review.plan.config,
    )
    outcome = ReviewOutcome.REFUSED if budget.outcome is Outcome.SKIP else ReviewOutcome.WAITING
    report = replace(review.report(outcome, budget.reason), refused_by=refusal.scope.name)
    return ReviewRun(await review.finish(report), (gate, budget))


async def _call_and_settle(
    review: _Review, attempt_id: str, prompt: Prompt, gates: tuple[GateResult, ...]
) -> ReviewRun:
    called = await _call(review, attempt_id, prompt)
    if isinstance(called, ReviewReport):
        return ReviewRun(await review.finish(called), gates)
    usage = called.usage
    micros = cost_micros(review.plan.config.models.prices[review.model], usage)
    record = review.plan.usage_record(
        attempt_id, review.model, usage, micros, called.latency_ms, "ok", review.started
    )
    review.meter.ledger.record_usage(record)
    await review.meter.admission.settle(attempt_id, usage.total_tokens, micros)
    return await _post(review, called, usage, micros, gates)


async def _call(review: _Review, attempt_id: str, prompt: Prompt) -> Completion | ReviewReport:
    """The model's completion, or the report of a call that failed (its reservation released)."""
    meter = review.meter
    request = CompletionRequest(prompt.system, prompt.user, review.route.choice.max_output_tokens)
    try:
        provider = meter.providers(review.route.choice)
    except ProviderError as exc:
        await meter.admission.release(attempt_id)
        log.warning("review %s: provider not configured: %s", review.request_id, exc)
        return review.report(ReviewOutcome.PROVIDER_ERROR, public_reason(exc))
    try:
        return await provider.complete(request)
    except asyncio.CancelledError:
        # A job timeout or a shutdown: the reservation goes back now, not when its deadline passes. Shielded,
        # so a second cancellation cannot interrupt the refund; then the cancellation goes on.
        await asyncio.shield(meter.admission.release(attempt_id))
        log.warning("review %s cancelled during the model call; reservation released", review.request_id)
        raise
    except ProviderError as exc:
        # The reservation goes back; the attempt is written down (no usage known) for the audit trail.
        await meter.admission.release(attempt_id)
        timeout = isinstance(exc, ProviderTimeout)
        latency_ms = _ms(review.started, meter.now())
        record = review.plan.usage_record(
            f"{attempt_id}:failed", review.model, TokenUsage(), 0, latency_ms,
            "timeout" if timeout else "error", review.started,
        )  # fmt: skip
        meter.ledger.record_usage(record)
        log.warning("review %s: %s", review.request_id, exc)
        outcome = ReviewOutcome.TIMED_OUT if timeout else ReviewOutcome.PROVIDER_ERROR
        return review.report(outcome, public_reason(exc))
    finally:
        await provider.aclose()


async def _post(
    review: _Review, completion: Completion, usage: TokenUsage, micros: int, gates: tuple[GateResult, ...]
) -> ReviewRun:
    parsed = parse_review(completion.text)
    body = review_comment(parsed, model=review.model, left_out=review.base.left_out)
    comments = inline_comments(parsed)
    detail = f"{counted(len(parsed.findings), 'finding')}, posted as a review comment (advisory)"
    try:
        await review.meter.post_review(body, comments)
    except Exception as exc:  # the review is advisory: metering stands even if posting fails
        log.warning("review %s: posting failed: %s", review.request_id, exc)
        detail = f"{counted(len(parsed.findings), 'finding')}; posting the review comment failed"
    report = replace(
        review.report(ReviewOutcome.RAN, detail),
        usage=usage,
        micros=micros,
        latency_ms=completion.latency_ms,
        findings=len(parsed.findings),
    )
    return ReviewRun(await review.finish(report), gates, body)


def _ms(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() * 1000))
