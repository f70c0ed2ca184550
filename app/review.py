"""The metered review: route, pack, estimate, reserve, call, record, settle, post.

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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial

from app import keys
from app.budget import (
    Admission,
    DuplicateReservation,
    Ledger,
    Limits,
    Refusal,
    UsageRecord,
    month_of,
    scopes_for,
)
from app.budget.scopes import Scope
from app.providers import CompletionRequest, ProviderError, ProviderFactory, ProviderTimeout
from app.providers.base import public_reason
from checks import escape as safe
from checks.diff import DiffSummary, parse_unified_diff
from checks.gates import GateResult, Outcome
from checks.money import usd
from checks.phrases import counted
from checks.prompt import build_prompt
from checks.pull import PullRequestFacts
from checks.review import (
    ReviewReport,
    Route,
    ScopeUse,
    budget_gate,
    cost_micros,
    model_gate,
    parse_review,
    pr_limit_micros,
    reservation_micros,
    review_comment,
    route_model,
    warnings_for,
)
from config.model import Config

log = logging.getLogger(__name__)

DEFAULT_MAX_PROMPT_TOKENS = 60_000
RESERVATION_TTL_MS = 10 * 60 * 1000  # past any call's retries; a crashed worker's hold ends here
MAX_ATTEMPTS_PER_SHA = 5  # failed attempts on one commit before the review gives up

PostReview = Callable[[str, Sequence[dict[str, object]]], Awaitable[None]]


@dataclass(frozen=True)
class ReviewRun:
    report: ReviewReport
    gates: tuple[GateResult, ...]
    comment: str | None = None  # the review posted, when one was


def request_id_for(owner: str, repo: str, pr: int, head_sha: str, model: str) -> str:
    return f"review:{owner}/{repo}#{pr}@{head_sha}:{model}"


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


async def run_review(
    *,
    config: Config,
    pull: PullRequestFacts,
    diff_text: str,
    diff: DiffSummary,
    owner: str,
    repo: str,
    org: str,
    installation_id: int,
    head_sha: str,
    trigger: str,
    user: str,
    approvals: frozenset[str],
    admission: Admission,
    ledger: Ledger,
    providers: ProviderFactory,
    post_review: PostReview,
    guidelines: str = "",
    team: str | None = None,
    max_prompt_tokens: int = DEFAULT_MAX_PROMPT_TOKENS,
    reservation_ttl_ms: int = RESERVATION_TTL_MS,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ReviewRun:
    route = route_model(config, diff, pull.labels)
    model = route.choice.name
    request_id = request_id_for(owner, repo, pull.number, head_sha, model)
    started = now()
    month = month_of(started)
    limits = limits_for(config, approvals)
    # The ledger's (org, repo, pr) must name the same counters, so `ledger rebuild` restores them.
    scopes = scopes_for(org=org, repo=repo, pr=pull.number, month=month, limits=limits)
    base = ReviewReport(
        outcome="waiting",
        detail="",
        model=model,
        size=route.size,
        route_rule=route.rule,
        request_id=request_id,
        month=month,
    )

    gate = model_gate(config, route, approvals)
    if gate.outcome is not Outcome.PASS:
        return ReviewRun(replace(base, detail=gate.reason), (gate,))

    done = await asyncio.to_thread(recorded_usage, ledger, request_id, month)
    if done is not None:
        report = await _report_from_record(done, base, config, admission, scopes, "reused")
        return ReviewRun(report, (gate,))

    if any(f.patch is None for f in diff.files if not f.binary) and diff_text:
        diff = parse_unified_diff(diff_text)
    prompt = build_prompt(
        diff,
        model=model,
        max_tokens=max_prompt_tokens,
        title=pull.title,
        body=pull.body,
        guidelines=guidelines,
        ignore_paths=config.review.ignore_paths,
    )
    price = config.models.prices[model]
    max_output = route.choice.max_output_tokens
    reserve_tokens = prompt.estimated_tokens + max_output
    reserve_micros = reservation_micros(
        price, input_tokens=prompt.estimated_tokens, max_output_tokens=max_output
    )
    base = replace(
        base,
        estimated_input_tokens=prompt.estimated_tokens,
        reserved_micros=reserve_micros,
        left_out=prompt.left_out,
    )

    # A retried job on the same commit: only one worker may hold the call at a time.
    lock = keys.review_lock(request_id)
    token = uuid.uuid4().hex
    if not await admission.redis.set(lock, token, nx=True, px=reservation_ttl_ms):
        return ReviewRun(
            replace(base, outcome="busy", detail="another worker is running this review"), (gate,)
        )
    try:
        # Again under the lock: the worker that held it before us may have finished this very review.
        done = await asyncio.to_thread(recorded_usage, ledger, request_id, None)
        if done is not None:
            report = await _report_from_record(done, base, config, admission, scopes, "reused")
            return ReviewRun(report, (gate,))
        attempt_id = await _reserve(
            admission, request_id, scopes, reserve_tokens, reserve_micros, reservation_ttl_ms
        )
        if attempt_id is None:
            done = await asyncio.to_thread(recorded_usage, ledger, request_id, None)
            if done is not None:
                report = await _report_from_record(done, base, config, admission, scopes, "reused")
                return ReviewRun(report, (gate,))
            detail = f"{MAX_ATTEMPTS_PER_SHA} attempts on this commit failed; push a new commit to retry"
            return ReviewRun(replace(base, outcome="refunded-error", detail=detail), (gate,))
        if isinstance(attempt_id, Refusal):
            refusal = attempt_id
            ceiling = limits.pr_micros if "budget" in approvals else None
            budget = budget_gate(
                refusal.scope.name,
                refusal.reason,
                approved="budget" in approvals,
                ceiling_micros=ceiling,
                config=config,
            )
            report = await _with_scopes(
                replace(
                    base,
                    outcome="refused" if budget.outcome is Outcome.SKIP else "waiting",
                    detail=budget.reason,
                    refused_by=refusal.scope.name,
                ),
                config,
                admission,
                scopes,
            )
            return ReviewRun(report, (gate, budget))
        budget = GateResult("budget", Outcome.PASS, f"reserved up to {usd(reserve_micros)}")
        return await _call_and_settle(
            attempt_id=attempt_id,
            request_id=request_id,
            base=base,
            route=route,
            prompt_system=prompt.system,
            prompt_user=prompt.user,
            config=config,
            admission=admission,
            ledger=ledger,
            providers=providers,
            post_review=post_review,
            scopes=scopes,
            gates=(gate, budget),
            record=partial(
                UsageRecord,
                installation_id=installation_id,
                org=org,
                repo=repo,
                pr=pull.number,
                head_sha=head_sha,
                user=user,
                trigger=trigger,
                team=team,
            ),
            started=started,
            now=now,
        )
    finally:
        # Release the lock only if it is still ours (it may have expired and been taken).
        if await admission.redis.get(lock) == token.encode():
            await admission.redis.delete(lock)


async def _reserve(
    admission: Admission, request_id: str, scopes: Sequence[Scope], tokens: int, micros: int, ttl_ms: int
) -> str | Refusal | None:
    """Reserve under the request id, or under `{id}~N` when earlier attempts failed or expired."""
    for attempt_id in attempt_ids(request_id):
        try:
            result = await admission.reserve(attempt_id, scopes, tokens, micros, ttl_ms=ttl_ms)
        except DuplicateReservation:
            continue  # that attempt is over (settled elsewhere, refunded or expired)
        return result if isinstance(result, Refusal) else attempt_id
    return None


async def _call_and_settle(
    *,
    attempt_id: str,
    request_id: str,
    base: ReviewReport,
    route: Route,
    prompt_system: str,
    prompt_user: str,
    config: Config,
    admission: Admission,
    ledger: Ledger,
    providers: ProviderFactory,
    post_review: PostReview,
    scopes: Sequence[Scope],
    gates: tuple[GateResult, ...],
    record: Callable[..., UsageRecord],
    started: datetime,
    now: Callable[[], datetime],
) -> ReviewRun:
    model = route.choice.name
    request = CompletionRequest(prompt_system, prompt_user, route.choice.max_output_tokens)
    try:
        provider = providers(route.choice)
    except ProviderError as exc:
        await admission.release(attempt_id)
        log.warning("review %s: provider not configured: %s", request_id, exc)
        report = replace(base, outcome="refunded-error", detail=public_reason(exc))
        return ReviewRun(await _with_scopes(report, config, admission, scopes), gates)
    try:
        completion = await provider.complete(request)
    except asyncio.CancelledError:
        # A job timeout or a shutdown: the reservation goes back now, not when its deadline passes. Shielded,
        # so a second cancellation cannot interrupt the refund; then the cancellation goes on.
        await asyncio.shield(admission.release(attempt_id))
        log.warning("review %s cancelled during the model call; reservation released", request_id)
        raise
    except ProviderError as exc:
        # The reservation goes back; the attempt is written down (no usage known) for the audit trail.
        await admission.release(attempt_id)
        timeout = isinstance(exc, ProviderTimeout)
        outcome = "refunded-timeout" if timeout else "refunded-error"
        ledger.record_usage(
            record(
                request_id=f"{attempt_id}:failed",
                model=model,
                input_tokens=0,
                cached_input_tokens=0,
                cache_write_tokens=0,
                output_tokens=0,
                micros=0,
                latency_ms=_ms(started, now()),
                outcome="timeout" if timeout else "error",
                at=started,
            )
        )
        log.warning("review %s: %s", request_id, exc)
        report = replace(base, outcome=outcome, detail=public_reason(exc))
        return ReviewRun(await _with_scopes(report, config, admission, scopes), gates)
    finally:
        await provider.aclose()

    usage = completion.usage
    micros = cost_micros(
        config.models.prices[model],
        input_tokens=usage.input_tokens,
        cached_input_tokens=usage.cached_input_tokens,
        cache_write_tokens=usage.cache_write_tokens,
        output_tokens=usage.output_tokens,
    )
    ledger.record_usage(
        record(
            request_id=attempt_id,
            model=model,
            input_tokens=usage.input_tokens,
            cached_input_tokens=usage.cached_input_tokens,
            cache_write_tokens=usage.cache_write_tokens,
            output_tokens=usage.output_tokens,
            micros=micros,
            latency_ms=completion.latency_ms,
            outcome="ok",
            at=started,
        )
    )
    await admission.settle(attempt_id, usage.total_tokens, micros)

    review = parse_review(completion.text)
    body = review_comment(review, model=model, left_out=base.left_out)
    comments = [
        {"path": f.path, "line": f.line, "body": f"**{safe.inline(f.severity)}**: {safe.inline(f.message)}"}
        for f in review.findings
        if f.path and f.line
    ]
    detail = f"{counted(len(review.findings), 'finding')}, posted as a review comment (advisory)"
    try:
        await post_review(body, comments)
    except Exception as exc:  # the review is advisory: metering stands even if posting fails
        log.warning("review %s: posting failed: %s", request_id, exc)
        detail = f"{counted(len(review.findings), 'finding')}; posting the review comment failed"
    report = replace(
        base,
        outcome="ran",
        detail=detail,
        input_tokens=usage.input_tokens,
        cached_input_tokens=usage.cached_input_tokens,
        cache_write_tokens=usage.cache_write_tokens,
        output_tokens=usage.output_tokens,
        micros=micros,
        latency_ms=completion.latency_ms,
        findings=len(review.findings),
    )
    return ReviewRun(await _with_scopes(report, config, admission, scopes), gates, body)


def attempt_ids(request_id: str) -> list[str]:
    return [request_id if n == 1 else f"{request_id}~{n}" for n in range(1, MAX_ATTEMPTS_PER_SHA + 1)]


def recorded_usage(ledger: Ledger, request_id: str, month: str | None) -> UsageRecord | None:
    """The successful usage record of any attempt of `request_id` (in `month`, or any month)."""
    return ledger.successful_usage(attempt_ids(request_id), month)


async def _report_from_record(
    r: UsageRecord,
    base: ReviewReport,
    config: Config,
    admission: Admission,
    scopes: Sequence[Scope],
    outcome: str,
) -> ReviewReport:
    report = replace(
        base,
        outcome=outcome,
        detail=f"reviewed at {r.at:%Y-%m-%d %H:%M} UTC",
        input_tokens=r.input_tokens,
        cached_input_tokens=r.cached_input_tokens,
        cache_write_tokens=r.cache_write_tokens,
        output_tokens=r.output_tokens,
        micros=r.micros,
        latency_ms=r.latency_ms,
    )
    return await _with_scopes(report, config, admission, scopes)


async def _with_scopes(
    report: ReviewReport, config: Config, admission: Admission, scopes: Sequence[Scope]
) -> ReviewReport:
    """Counters as admission holds them (settled + in-flight reservations), with the warn thresholds."""
    uses = []
    for scope in scopes:
        tokens, micros = await admission.usage(scope)
        uses.append(ScopeUse(scope.name, tokens, micros, scope.limit_tokens, scope.limit_micros))
    return replace(report, scopes=tuple(uses), warnings=warnings_for(config.budget.warn_at, uses))


def _ms(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() * 1000))
