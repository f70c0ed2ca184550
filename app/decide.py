"""Decide and spend: the gathered facts through the pure core, and — when every review gate passes — the
metered review (once per commit and model), folded into a second, equally pure decision."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app.gather import Facts
from app.github import GitHubError, Installation
from app.providers import ProviderError
from app.providers.base import public_reason
from app.providers.factory import MissingKey
from app.review import run_review
from app.review_plan import Meter, ReviewPlan
from app.services import Services
from checks.config_edit import edit_notes
from checks.evaluate import config_error_verdict, evaluate_pull
from checks.gates import GateResult, Outcome
from checks.review_report import ReviewReport
from checks.verdict import Verdict
from config.limits import limits_notes

log = logging.getLogger("agentbudget.decide")


def decide(
    facts: Facts,
    *,
    review: ReviewReport | None = None,
    review_gates_after: tuple[GateResult, ...] = (),
    review_note: str = "",
) -> Verdict:
    """Pure: the verdict for these facts (and, on the second pass, the review's outcome)."""
    if facts.loaded.problems:
        return config_error_verdict(facts.loaded.problems, facts.pull, facts.diff)
    return evaluate_pull(
        facts.loaded.config,
        facts.pull,
        facts.diff,
        event=facts.event,
        commit_messages=[message for _, message in facts.commits],
        commit_shas=[sha for sha, _ in facts.commits],
        observed=facts.observed,
        notes=(*edit_notes(facts.config_edit, facts.loaded.config), *limits_notes(facts.loaded.limits)),
        approvals=facts.approvals,
        exposure=facts.exposure,
        review=review,
        review_gates_after=review_gates_after,
        review_note=review_note,
    )


async def spend(services: Services, gh: Installation, facts: Facts, verdict: Verdict) -> Verdict:
    """Every review gate passed: run the metered review and decide again with what it cost and found."""
    if not verdict.review_ready:
        return verdict
    config, pull = facts.loaded.config, facts.pull
    try:
        services.providers(config.models.small)
    except MissingKey as exc:
        log.warning("%s/%s#%s: no provider: %s", facts.owner, facts.repo, pull.number, exc)
        return decide(facts, review_note=public_reason(exc))

    async def post_review(body: str, comments: Sequence[dict[str, object]]) -> None:
        try:
            await gh.create_review(
                facts.owner, facts.repo, pull.number, pull.head_sha, body, [dict(c) for c in comments]
            )
        except GitHubError as exc:
            if exc.status != 422 or not comments:
                raise
            # A finding on a line outside the diff: GitHub refuses inline comments there; the body lists it.
            await gh.create_review(facts.owner, facts.repo, pull.number, pull.head_sha, body)

    plan = ReviewPlan(
        config=config,
        pull=pull,
        diff=facts.diff,
        owner=facts.owner,
        repo=facts.repo,
        org=facts.owner,
        installation_id=gh.installation_id,
        head_sha=pull.head_sha,
        trigger=pull.trigger,
        user=pull.author,
        approvals=frozenset(a.what for a in facts.approvals),
        guidelines=config.review.guidelines,
        max_prompt_tokens=config.review.max_prompt_tokens,
    )
    meter = Meter(services.admission, services.ledger, services.providers, post_review)
    try:
        result = await run_review(plan, meter)
    except ProviderError as exc:
        log.warning("%s/%s#%s: the review could not run: %s", facts.owner, facts.repo, pull.number, exc)
        failed = GateResult("review", Outcome.ERROR, f"the review could not run: {public_reason(exc)}")
        return decide(facts, review_gates_after=(failed,))
    gates = result.gates
    if result.report.outcome.refunded:
        gates = (*gates, GateResult("review", Outcome.ERROR, result.report.detail))
    return decide(facts, review=result.report, review_gates_after=gates)
