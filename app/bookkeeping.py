"""After a decision: metrics, the decision log the report reads, budget alerts and observe-mode shares.
Bookkeeping never fails a job."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from datetime import UTC, datetime

from arq.connections import ArqRedis

from app import alerts, metrics
from app.budget import scopes_for
from app.budget.events import ReviewDecision, decision_for
from app.review_plan import limits_for, recorded_usage
from app.services import Services
from checks.pull import PullRequestFacts
from checks.review_report import ReviewOutcome
from checks.verdict import Verdict
from config.model import Config

log = logging.getLogger("agentbudget.bookkeeping")

OBSERVE_RECENT = 100


async def account(
    services: Services,
    owner: str,
    repo: str,
    pull: PullRequestFacts,
    verdict: Verdict,
    config: Config | None,
) -> Verdict:
    """`config` is the one the verdict was decided under (None when the repository's config is invalid).
    Returns the verdict with any budget alert noted in it."""
    redis = services.redis
    try:
        review = verdict.review
        ran = review is not None and review.outcome is ReviewOutcome.RAN
        refused = review is not None and review.outcome is ReviewOutcome.REFUSED
        decision, stopped, blocked = decision_for(verdict.gates, ran=ran, refused=refused)
        entry = ReviewDecision(
            f"{owner}/{repo}#{pull.number}@{pull.head_sha}:{pull.trigger}",
            owner, repo, pull.number, pull.head_sha, pull.author, pull.trigger,
            decision, stopped, blocked, datetime.now(UTC),
        )  # fmt: skip
        if not await asyncio.to_thread(services.events.record_review_decision, entry):
            return verdict  # a retried job or a repeated trigger: counted the first time
        await metrics.record_review(redis, decision, stopped[0] if stopped else "")
        if review is not None and review.refused_by:
            await metrics.record_refusal(redis, review.refused_by)
        if "exposure" in blocked:
            await metrics.record_exposure_block(redis)
        if config is None or not ("evidence" in blocked or "tests" in blocked or ran):
            return verdict
        if "evidence" in blocked and verdict.evidence is not None:
            lacking = [k for k in config.evidence.required if not verdict.evidence.has(k)]
            await metrics.record_evidence_failure(redis, lacking)
        if "tests" in blocked:
            await metrics.record_evidence_failure(redis, ["tests"])
        if review is None or not ran:
            return verdict
        usage = await asyncio.to_thread(recorded_usage, services.ledger, review.request_id, review.month)
        if usage is not None:
            choice = next(
                (c for c in (config.models.small, config.models.large) if c.name == review.model), None
            )
            await metrics.record_usage(redis, usage, provider=choice.provider if choice else "unknown")
        scopes = scopes_for(
            org=owner,
            repo=repo,
            pr=pull.number,
            month=review.month,
            limits=limits_for(config, frozenset(a.what for a in verdict.approvals)),
        )
        notes = await alerts.check_thresholds(
            redis,
            scopes,
            warn_at=config.budget.warn_at,
            month=review.month,
            webhook_url=services.settings.alert_webhook_url,
        )
        if notes:
            return dataclasses.replace(verdict, notes=(*verdict.notes, *notes))
    except Exception:
        log.exception("bookkeeping for %s/%s#%s failed", owner, repo, pull.number)
    return verdict


async def with_observe_share(redis: ArqRedis, key: str, number: int, verdict: Verdict) -> Verdict:
    """Observe mode: remember whether each recent PR would have been blocked (its latest evaluation), and
    tell the share, so a team can turn enforcement on with data. `key`: the repository's recent PRs."""
    if not verdict.observe:
        return verdict
    now = time.time()
    # Score: evaluation time; member: "<number>:<0|1>" replaced on each evaluation of the same PR.
    async with redis.pipeline(transaction=True) as pipe:
        pipe.zrem(key, f"{number}:0", f"{number}:1")
        pipe.zadd(key, {f"{number}:{int(verdict.would_block)}": now})
        pipe.zremrangebyrank(key, 0, -OBSERVE_RECENT - 1)
        pipe.expire(key, 90 * 24 * 3600)
        pipe.zrange(key, 0, -1)
        members = (await pipe.execute())[-1]
    total = len(members)
    blocked = sum(1 for m in members if m.endswith(b":1"))
    note = (
        f"Observe mode: {blocked} of the last {total} pull request(s) evaluated in this repository "
        f"({round(100 * blocked / total)}%) would have been blocked under `mode: enforce`."
    )
    return dataclasses.replace(verdict, notes=(*verdict.notes, note))
