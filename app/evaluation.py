"""The evaluation jobs: one PR head through gather → decide → spend → publish, one check run per head sha.

Jobs are idempotent: they may run twice (a redelivery, a worker restart) and still leave exactly one run
per sha, completed. A job never leaves its run in progress.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from arq import Retry

from app import job_names, keys, metrics
from app.bookkeeping import account, with_observe_share
from app.decide import decide, spend
from app.gather import gather
from app.github import GitHubError, NotFound, RateLimited, TransientError, Unauthorized, public_reason
from app.publish import CheckRun, LockBusy
from app.services import services
from checks.pull import pull_request_facts
from checks.render import actions, render
from checks.verdict import NEUTRAL, error_verdict

log = logging.getLogger("agentbudget.evaluation")


class Superseded(Exception):
    """The PR's head moved on; this sha's evaluation is moot."""


async def evaluate(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    number: int,
    head_sha: str,
    trigger: str,
    ci_app_id: int | None = None,
) -> str:
    """The `evaluate_pull_request` job: gather, decide, spend, publish one PR head."""
    used = services(ctx)
    settings, redis = used.settings, used.redis
    if own_suite(settings.app_id, ci_app_id):
        return "skipped: our own check suite completed"
    status = await redis.get(keys.installation(installation_id))
    if status in (b"suspended", b"deleted"):
        return f"skipped: installation {installation_id} is {status.decode()}"
    with contextlib.suppress(Exception):
        if "enqueue_time" in ctx:
            await metrics.observe_job_start(redis, job_names.EVALUATE_PULL_REQUEST, ctx["enqueue_time"])
    gh = await used.github.installation(installation_id)
    run = CheckRun(
        gh, redis, repo_id=repo_id, owner=owner, repo=repo, head_sha=head_sha, name=settings.check_name
    )
    try:
        pull = pull_request_facts(await gh.get_pull(owner, repo, number), trigger=trigger)
        if pull.head_sha != head_sha:
            raise Superseded(pull.head_sha)
        await redis.set(keys.sha_pull(installation_id, repo_id, head_sha), str(number), ex=30 * 24 * 3600)
        # One listing serves twice: to find our run on this sha and to read what other CI reported.
        listed = await gh.list_check_runs(owner, repo, head_sha)
        await run.start(external_id=f"{owner}/{repo}#{number}@{head_sha}", listed=listed)
        # gather → decide → spend → publish
        facts = await gather(used, gh, owner, repo, pull, listed)
        verdict = await spend(used, gh, facts, decide(facts))
        verdict = await with_observe_share(redis, keys.observe(installation_id, repo_id), number, verdict)
        config = None if facts.loaded.problems else facts.loaded.config
        verdict = await account(used, owner, repo, pull, verdict, config)
        await run.complete(render(verdict), verdict.conclusion, actions=actions(verdict))
        return verdict.conclusion
    except Superseded as moved:
        # Never overwrite the newer sha's run; close ours if we had opened one.
        existing = await run.existing()
        if existing is not None:
            run.run_id = existing
            verdict = error_verdict(f"superseded by {str(moved)[:7]}: a newer push is evaluated instead")
            await run.complete(render(verdict), NEUTRAL)
        return "superseded"
    except NotFound as exc:
        log.warning("%s/%s#%s @%s: %s", owner, repo, number, head_sha[:7], exc)
        if run.run_id is not None:
            await complete_with_error(run, public_reason(exc))
        return f"gone: {exc}"
    except (TransientError, RateLimited, LockBusy, Unauthorized) as exc:
        job_try = int(ctx.get("job_try", 1))
        if job_try < settings.job_max_tries:
            defer = exc.defer(job_try) if isinstance(exc, RateLimited) else settings.job_retry_delay * job_try
            log.warning(
                "%s/%s#%s @%s: %s; retry %d in %.1fs", owner, repo, number, head_sha[:7], exc, job_try, defer
            )
            raise Retry(defer=defer) from exc
        log.error(
            "%s/%s#%s @%s: gave up after %d attempts: %s", owner, repo, number, head_sha[:7], job_try, exc
        )
        reason = (
            "another worker held this commit's check run" if isinstance(exc, LockBusy) else public_reason(exc)
        )
        await complete_with_error(run, f"{reason} (gave up after {job_try} attempts)")
        return "error"
    except GitHubError as exc:
        if exc.status not in (409, 410):
            log.exception("evaluation of %s/%s#%s @%s failed", owner, repo, number, head_sha[:7])
        else:  # an empty repository (409), pull requests switched off (410): said in a completed run
            log.warning("%s/%s#%s @%s: %s", owner, repo, number, head_sha[:7], exc)
        await complete_with_error(run, public_reason(exc))
        return "error"
    except Exception as exc:
        log.exception("evaluation of %s/%s#%s @%s failed", owner, repo, number, head_sha[:7])
        await complete_with_error(run, explain(exc))
        return "error"


async def evaluate_commit(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    head_sha: str,
    trigger: str,
    ci_app_id: int | None = None,
) -> list[str]:
    """A check suite with no PR attached (fork PRs): map the sha to its PR ourselves."""
    if own_suite(services(ctx).settings.app_id, ci_app_id):
        return []
    return await evaluate_sha(ctx, installation_id, repo_id, owner, repo, head_sha, trigger)


async def evaluate_sha(
    ctx: dict[str, Any],
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    head_sha: str,
    trigger: str,
    numbers: list[int] | None = None,
) -> list[str]:
    """Evaluate every open PR whose head is `head_sha` (the given numbers, or found by sha)."""
    if not numbers:
        try:
            numbers = await numbers_for_sha(ctx, installation_id, repo_id, owner, repo, head_sha)
        except (TransientError, RateLimited) as exc:
            raise Retry(defer=getattr(exc, "retry_after", services(ctx).settings.job_retry_delay)) from exc
    return [
        await evaluate(
            ctx,
            installation_id=installation_id,
            repo_id=repo_id,
            owner=owner,
            repo=repo,
            number=n,
            head_sha=head_sha,
            trigger=trigger,
        )
        for n in numbers
    ]


async def numbers_for_sha(
    ctx: dict[str, Any], installation_id: int, repo_id: int, owner: str, repo: str, sha: str
) -> list[int]:
    used = services(ctx)
    known = await used.redis.get(keys.sha_pull(installation_id, repo_id, sha))
    if known:
        return [int(known)]
    gh = await used.github.installation(installation_id)
    pulls = await gh.list_pulls_for_commit(owner, repo, sha)
    return [
        int(p["number"])
        for p in pulls
        if p.get("state") == "open" and (p.get("head") or {}).get("sha") == sha
    ]


def own_suite(app_id: str, ci_app_id: int | None) -> bool:
    return ci_app_id is not None and app_id.isdigit() and ci_app_id == int(app_id)


def explain(exc: BaseException) -> str:
    """The public reason of a failed evaluation: the kind of failure, never raw texts (the log has them)."""
    if isinstance(exc, GitHubError):
        return public_reason(exc)
    return (
        f"internal error ({type(exc).__name__}); the maintainers of this installation can find it in the logs"
    )


async def complete_with_error(run: CheckRun, message: str) -> None:
    """Never leave a run in progress: complete it neutral with the reason, creating it if need be. Only when
    GitHub refuses the run itself (an archived repository, a revoked installation) is nothing posted: the
    log says why."""
    try:
        await run.ensure()
        verdict = error_verdict(message)
        await run.complete(render(verdict), verdict.conclusion)
    except Exception:
        log.exception("could not record the error on check run %s", run.run_id)
