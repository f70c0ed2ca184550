"""arq jobs: gather (GitHub I/O) → decide (checks/, pure) → publish (one check run per head sha).

Every job takes `ctx` first and keyword arguments built by app/routing.py. Jobs are idempotent: they may
run twice (a redelivery, a worker restart) and still leave exactly one run per sha, completed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from arq import Retry
from arq.connections import ArqRedis
from arq.worker import Function, func

from app import alerts, approvals, keys, metrics
from app import commands as commands_io
from app.budget import Admission, open_ledger, scopes_for
from app.budget.events import Events, PrOutcome, ReviewDecision, decision_for
from app.exposure import exposure_report
from app.github import (
    DiffTooLarge,
    GitHubApp,
    GitHubError,
    Installation,
    NotFound,
    RateLimited,
    TransientError,
    Unauthorized,
)
from app.providers import ProviderError
from app.providers.base import DEFAULT_RETRY
from app.providers.factory import MissingKey, provider_factory
from app.publish import CheckRun, LockBusy
from app.review import limits_for, recorded_usage, run_review
from app.settings import Settings
from checks import escape as safe
from checks.binding import button_refusal, comment_refusal
from checks.commands import Actor, Command, parse_commands
from checks.diff import DiffParseError, DiffSummary, parse_unified_diff, summary_from_file_list
from checks.evaluate import evaluate_pull
from checks.gates import GateResult, Outcome, parse_trigger, trigger_gate
from checks.pull import PullRequestFacts, pull_request_facts
from checks.render import actions, render
from checks.requirements import observed_checks
from checks.verdict import NEUTRAL, ApprovalView, Verdict, decide, error_verdict
from config.changes import describe_changes
from config.errors import ConfigError
from config.limits import limits_notes
from config.loader import LoadedConfig, load_config, parse_config_text
from config.model import Config

log = logging.getLogger("agentbudget.worker")

INSTALLATION_KEY = "agentbudget:installation:{}"
FILE_CACHE_SECONDS = 60
CONFIG_PATHS = (".agentbudget.yml", ".github/agentbudget.yml")


class Superseded(Exception):
    """The PR's head moved on; this sha's evaluation is moot."""


def _settings(ctx: dict[str, Any]) -> Settings:
    settings: Settings = ctx["settings"]
    return settings


def _redis(ctx: dict[str, Any]) -> ArqRedis:
    redis: ArqRedis = ctx["redis"]
    return redis


async def _cached_fetch(redis: ArqRedis, gh: Installation, repo: str, path: str, ref: str | None) -> Any:
    """Fetch a file's (text, blob sha), caching briefly so a burst of events reads config once."""
    key = keys.file_cache(gh.installation_id, repo, ref, path)
    cached = await redis.get(key)
    if cached is not None:
        value = json.loads(cached)
        return None if value is None else (value[0], value[1])
    owner, name = repo.split("/", 1)
    try:
        found = await gh.get_file(owner, name, path, ref)
    except NotFound:
        found = None
    await redis.set(key, json.dumps(found), ex=FILE_CACHE_SECONDS)
    return found


async def gather_diff(gh: Installation, owner: str, repo: str, number: int) -> DiffSummary:
    try:
        return parse_unified_diff(await gh.get_diff(owner, repo, number))
    except (DiffTooLarge, DiffParseError):
        files, truncated = await gh.list_files(owner, repo, number)
        return summary_from_file_list(files, truncated=truncated)


async def _config_change_notes(
    redis: ArqRedis,
    gh: Installation,
    full_name: str,
    diff: DiffSummary,
    pull: PullRequestFacts,
    base: LoadedConfig,
) -> tuple[str, ...]:
    """Tell a PR that edits the config that its edit applies only after merge, and what it would change."""
    edited = [f.path for f in diff.files if f.path in CONFIG_PATHS and f.status != "removed"]
    if not edited:
        return ()
    head_file = await _cached_fetch(redis, gh, full_name, edited[0], pull.head_sha)
    note = (
        f"This PR edits `{edited[0]}`. The configuration on the base branch is enforced; "
        "the edit takes effect after merge."
    )
    if head_file is None:
        return (note,)
    try:
        head_config = parse_config_text(head_file[0], edited[0])
    except ConfigError as exc:
        first = exc.problems[0]
        return (note + f" As written it is invalid: {safe.line(f'{first.key_path}: {first.message}')}.",)
    # The head's text is the PR author's: escaped, so it cannot pose as our gate table or open a tag.
    changes = [safe.line(change) for change in describe_changes(base.config, head_config)]
    if changes:
        note += " It would change: " + "; ".join(changes[:10]) + ("; …" if len(changes) > 10 else "") + "."
    return (note,)


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
    """The `evaluate_pull_request` job: gather, decide, publish one PR head."""
    if _own_suite(ctx, ci_app_id):
        return "skipped: our own check suite completed"
    settings, redis = _settings(ctx), _redis(ctx)
    status = await redis.get(INSTALLATION_KEY.format(installation_id))
    if status in (b"suspended", b"deleted"):
        return f"skipped: installation {installation_id} is {status.decode()}"
    with contextlib.suppress(Exception):
        if "enqueue_time" in ctx:
            await metrics.observe_job_start(redis, "evaluate_pull_request", ctx["enqueue_time"])
    gh = await ctx["github"].installation(installation_id)
    run = CheckRun(
        gh, redis, repo_id=repo_id, owner=owner, repo=repo, head_sha=head_sha, name=settings.check_name
    )
    try:
        raw_pull = await gh.get_pull(owner, repo, number)
        pull = pull_request_facts(raw_pull, trigger=trigger)
        if pull.head_sha != head_sha:
            raise Superseded(pull.head_sha)
        await redis.set(keys.sha_pull(installation_id, repo_id, head_sha), str(number), ex=30 * 24 * 3600)
        # One listing serves twice: to find our run on this sha and to read what other CI reported.
        listed = await gh.list_check_runs(owner, repo, head_sha)
        await run.start(external_id=f"{owner}/{repo}#{number}@{head_sha}", listed=listed)
        verdict, config = await _decide(ctx, gh, f"{owner}/{repo}", number, pull, listed)
        if verdict.observe:
            observed = keys.observe(installation_id, repo_id)
            verdict = await _with_observe_share(redis, observed, number, verdict)
        verdict = await _account(ctx, owner, repo, pull, verdict, config)
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
        if run.run_id is not None:
            await _complete_with_error(run, f"{exc}")
        return f"gone: {exc}"
    except (TransientError, RateLimited, LockBusy, Unauthorized) as exc:
        job_try = int(ctx.get("job_try", 1))
        if job_try < settings.job_max_tries:
            defer = exc.defer(job_try) if isinstance(exc, RateLimited) else settings.job_retry_delay * job_try
            log.warning(
                "%s/%s#%s @%s: %s; retry %d in %.1fs", owner, repo, number, head_sha[:7], exc, job_try, defer
            )
            raise Retry(defer=defer) from exc
        await _complete_with_error(
            run, f"{exc} (gave up after {job_try} attempts; re-run the check to try again)"
        )
        return "error"
    except Exception as exc:
        log.exception("evaluation of %s/%s#%s @%s failed", owner, repo, number, head_sha[:7])
        await _complete_with_error(run, _explain(exc))
        return "error"


async def _account(
    ctx: dict[str, Any],
    owner: str,
    repo: str,
    pull: PullRequestFacts,
    verdict: Verdict,
    config: Config | None,
) -> Verdict:
    """Metrics, the decision log the report reads, and budget alerts. Bookkeeping never fails a job.
    `config` is the one the verdict was decided under (None when the repository's config is invalid)."""
    redis = _redis(ctx)
    try:
        review = verdict.review
        ran = review is not None and review.outcome == "ran"
        refused = review is not None and review.outcome == "refused"
        decision, stopped, blocked = decision_for(verdict.gates, ran=ran, refused=refused)
        entry = ReviewDecision(
            f"{owner}/{repo}#{pull.number}@{pull.head_sha}:{pull.trigger}",
            owner, repo, pull.number, pull.head_sha, pull.author, pull.trigger,
            decision, stopped, blocked, datetime.now(UTC),
        )  # fmt: skip
        if not await asyncio.to_thread(ctx["events"].record_review_decision, entry):
            return verdict  # a retried job or a repeated trigger: counted the first time
        await metrics.record_review(redis, decision, stopped[0] if stopped else "")
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
        usage = await asyncio.to_thread(recorded_usage, ctx["ledger"], review.request_id, review.month)
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
            webhook_url=_settings(ctx).alert_webhook_url,
        )
        if notes:
            return dataclasses.replace(verdict, notes=(*verdict.notes, *notes))
    except Exception:
        log.exception("bookkeeping for %s/%s#%s failed", owner, repo, pull.number)
    return verdict


OBSERVE_RECENT = 100


async def _with_observe_share(redis: ArqRedis, key: str, number: int, verdict: Verdict) -> Verdict:
    """Observe mode: remember whether each recent PR would have been blocked (its latest evaluation), and
    tell the share, so a team can turn enforcement on with data."""
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


def _explain(exc: BaseException) -> str:
    if isinstance(exc, GitHubError):
        return str(exc)
    return (
        f"internal error ({type(exc).__name__}); the maintainers of this installation can find it in the logs"
    )


async def _complete_with_error(run: CheckRun, message: str) -> None:
    """Never leave a run in progress: complete it neutral with the reason, creating it if need be."""
    try:
        if run.run_id is None:
            run.run_id = await run.existing()
        if run.run_id is None:
            return
        verdict = error_verdict(message)
        await run.complete(render(verdict), verdict.conclusion)
    except Exception:
        log.exception("could not record the error on check run %s", run.run_id)


async def _decide(
    ctx: dict[str, Any],
    gh: Installation,
    full_name: str,
    number: int,
    pull: PullRequestFacts,
    listed: list[dict[str, Any]],
) -> tuple[Verdict, Config | None]:
    redis = _redis(ctx)
    owner, repo = full_name.split("/", 1)
    loaded = await _load_config(ctx, gh, full_name, pull.base_ref)
    diff = await gather_diff(gh, owner, repo, number)
    if loaded.problems:
        return config_error_verdict(loaded, pull, diff), None
    notes = (
        *await _config_change_notes(redis, gh, full_name, diff, pull, loaded),
        *limits_notes(loaded.limits),
    )
    trigger_key = keys.trigger(gh.installation_id, full_name, pull.head_sha)
    event = await _review_trigger(redis, trigger_key, loaded, pull)
    commits = await gh.list_commits(owner, repo, number)
    statuses = await gh.list_statuses(owner, repo, pull.head_sha)
    observed = observed_checks(listed, statuses, own_name=_settings(ctx).check_name)
    granted = await approvals.in_force(
        ctx["ledger"], loaded.config, owner=owner, repo=repo, number=number, head_sha=pull.head_sha
    )
    exposure = await exposure_report(redis, gh, owner, repo, pull, diff, loaded.config.exposure)
    decide_with = functools.partial(
        evaluate_pull,
        loaded.config,
        pull,
        diff,
        event=event,
        commit_messages=[message for _, message in commits],
        commit_shas=[sha for sha, _ in commits],
        observed=observed,
        notes=notes,
        approvals=granted,
        exposure=exposure,
    )
    verdict = decide_with()
    if verdict.review_ready:
        verdict = await _review(ctx, gh, owner, repo, pull, diff, loaded, granted, decide_with)
    return verdict, loaded.config


async def _review(
    ctx: dict[str, Any],
    gh: Installation,
    owner: str,
    repo: str,
    pull: PullRequestFacts,
    diff: DiffSummary,
    loaded: LoadedConfig,
    granted: tuple[ApprovalView, ...],
    decide_with: Callable[..., Verdict],
) -> Verdict:
    """Every review gate passed: run the metered review (once per commit and model) and fold it in."""
    config = loaded.config
    try:
        ctx["providers"](config.models.small)
    except MissingKey as exc:
        return decide_with(review_note=f"no model provider is configured for this app ({exc})")

    async def post_review(body: str, comments: Sequence[dict[str, object]]) -> None:
        try:
            await gh.create_review(owner, repo, pull.number, pull.head_sha, body, [dict(c) for c in comments])
        except GitHubError as exc:
            if exc.status != 422 or not comments:
                raise
            # A finding on a line outside the diff: GitHub refuses inline comments there; the body lists it.
            await gh.create_review(owner, repo, pull.number, pull.head_sha, body)

    try:
        result = await run_review(
            config=config,
            pull=pull,
            diff_text="",
            diff=diff,
            owner=owner,
            repo=repo,
            org=owner,
            installation_id=gh.installation_id,
            head_sha=pull.head_sha,
            trigger=pull.trigger,
            user=pull.author,
            approvals=frozenset(a.what for a in granted),
            admission=ctx["admission"],
            ledger=ctx["ledger"],
            providers=ctx["providers"],
            post_review=post_review,
            guidelines=config.review.guidelines,
            max_prompt_tokens=config.review.max_prompt_tokens,
        )
    except ProviderError as exc:
        return decide_with(
            review_gates_after=(GateResult("review", Outcome.ERROR, f"the review could not run: {exc}"),)
        )
    gates = result.gates
    if result.report.outcome.startswith("refunded"):
        gates = (*gates, GateResult("review", Outcome.ERROR, result.report.detail))
    return decide_with(review=result.report, review_gates_after=gates)


async def _load_config(ctx: dict[str, Any], gh: Installation, full_name: str, base_ref: str) -> LoadedConfig:
    redis = _redis(ctx)

    async def fetch(repo_name: str, path: str, ref: str | None) -> Any:
        return await _cached_fetch(redis, gh, repo_name, path, ref)

    return await load_config(fetch, full_name, base_ref, ceilings=_settings(ctx).ceilings)


async def _review_trigger(redis: ArqRedis, key: str, loaded: LoadedConfig, pull: PullRequestFacts) -> str:
    """The trigger the review gates judge. An edit, a label, a draft toggle or CI finishing re-evaluates the
    evidence of a sha whose review a push already started: that must not turn its decision into "skipped"."""
    if trigger_gate(loaded.config, pull, parse_trigger(pull.trigger)).outcome is Outcome.PASS:
        await redis.set(key, pull.trigger, ex=30 * 24 * 3600)
        return pull.trigger
    started = await redis.get(key)
    return started.decode() if started is not None else pull.trigger


def config_error_verdict(loaded: LoadedConfig, pull: PullRequestFacts, diff: DiffSummary) -> Verdict:
    gates = tuple(GateResult("config", Outcome.FAIL, str(problem)) for problem in loaded.problems)
    verdict = decide(gates, diff=diff, pull=pull)
    first = loaded.problems[0]
    title = f"Blocked: invalid {first.file} — {first.key_path or 'syntax'}: {first.message}"
    return Verdict(verdict.conclusion, title[:200], verdict.gates, verdict.diff, pull, verdict.notes)


def _own_suite(ctx: dict[str, Any], ci_app_id: int | None) -> bool:
    app_id = _settings(ctx).app_id
    return ci_app_id is not None and app_id.isdigit() and ci_app_id == int(app_id)


async def _numbers_for_sha(
    ctx: dict[str, Any], installation_id: int, repo_id: int, owner: str, repo: str, sha: str
) -> list[int]:
    known = await _redis(ctx).get(keys.sha_pull(installation_id, repo_id, sha))
    if known:
        return [int(known)]
    gh = await ctx["github"].installation(installation_id)
    pulls = await gh.list_pulls_for_commit(owner, repo, sha)
    return [
        int(p["number"])
        for p in pulls
        if p.get("state") == "open" and (p.get("head") or {}).get("sha") == sha
    ]


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
    if _own_suite(ctx, ci_app_id):
        return []
    return await _evaluate_sha(ctx, installation_id, repo_id, owner, repo, head_sha, trigger)


async def _evaluate_sha(
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
            numbers = await _numbers_for_sha(ctx, installation_id, repo_id, owner, repo, head_sha)
        except (TransientError, RateLimited) as exc:
            raise Retry(defer=getattr(exc, "retry_after", _settings(ctx).job_retry_delay)) from exc
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


async def handle_check_run(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    head_sha: str,
    check_run_id: int | None,
    sender: str,
    action: str,
    numbers: list[int],
    identifier: str = "",
) -> list[str]:
    """Re-run requested from the Checks tab, or an approval button: evaluate the sha again."""
    if action == "requested_action" and identifier.startswith("approve-"):
        gh = await ctx["github"].installation(installation_id)
        if not numbers:
            numbers = await _numbers_for_sha(ctx, installation_id, repo_id, owner, repo, head_sha)
        command = Command("approve", target=identifier.removeprefix("approve-"))
        for number in numbers:
            outcome, _ = await _carry_out(
                ctx,
                gh,
                owner,
                repo,
                number,
                sender,
                (command,),
                f"check_run:{check_run_id}:{identifier}:{head_sha}",
                binding=lambda pull: _as_awaitable(button_refusal(head_sha, pull.head_sha)),
            )
            if outcome is not None and outcome.refused:
                await gh.comment(owner, repo, number, f"@{sender} " + "\n\n".join(outcome.lines))
    return await _evaluate_sha(
        ctx, installation_id, repo_id, owner, repo, head_sha, f"check_run.{action}", numbers
    )


async def handle_comment(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    number: int,
    comment_id: int,
    commenter: str,
    body: str,
    created_at: str = "",
) -> str:
    """`/agentbudget …` in a new PR comment: 👀 at once, then authorize, act, reply once, re-evaluate."""
    commands = parse_commands(body)
    if not commands:
        return "no command"
    gh = await ctx["github"].installation(installation_id)
    try:
        await gh.react(owner, repo, comment_id, "eyes")
        published = functools.partial(_published_at, ctx, gh, repo_id, owner, repo)

        async def binding(pull: PullRequestFacts) -> str:
            return comment_refusal(pull.head_sha, await published(pull.head_sha), created_at)

        outcome, pull = await _carry_out(
            ctx, gh, owner, repo, number, commenter, commands, f"comment:{comment_id}", binding=binding
        )
        if outcome is None or pull is None:
            return "gone"
        status = ""
        if outcome.reevaluate:
            status = await evaluate(
                ctx,
                installation_id=installation_id,
                repo_id=repo_id,
                owner=owner,
                repo=repo,
                number=number,
                head_sha=pull.head_sha,
                trigger=outcome.trigger,
            )
        if outcome.wants_status:
            found = await gh.find_check_run(owner, repo, pull.head_sha, _settings(ctx).check_name)
            title = ((found or {}).get("output") or {}).get("title") or "no check run yet"
            outcome.lines.append(
                f"Status of `{pull.head_sha[:7]}`: **{title}** ({status or 'not evaluated'})."
            )
        await gh.comment(owner, repo, number, "\n\n".join(outcome.lines))
        await gh.react(owner, repo, comment_id, "confused" if outcome.refused else "+1")
    except (TransientError, RateLimited) as exc:
        raise Retry(defer=getattr(exc, "retry_after", _settings(ctx).job_retry_delay)) from exc
    return "refused" if outcome.refused else "done"


async def _as_awaitable(value: str) -> str:
    return value


async def _published_at(
    ctx: dict[str, Any], gh: Installation, repo_id: int, owner: str, repo: str, sha: str
) -> str | None:
    run = CheckRun(
        gh, _redis(ctx), repo_id=repo_id, owner=owner, repo=repo, head_sha=sha, name=_settings(ctx).check_name
    )
    return await run.published_at()


async def _carry_out(
    ctx: dict[str, Any],
    gh: Installation,
    owner: str,
    repo: str,
    number: int,
    login: str,
    commands: tuple[Command, ...],
    request_id: str,
    *,
    binding: Callable[[PullRequestFacts], Awaitable[str]],
) -> tuple[commands_io.Outcome | None, PullRequestFacts | None]:
    try:
        pull = pull_request_facts(await gh.get_pull(owner, repo, number))
    except NotFound:
        return None, None
    loaded = await _load_config(ctx, gh, f"{owner}/{repo}", pull.base_ref)
    needs_permission = any(c.verb not in ("help", "status", "unknown") for c in commands)
    permission = await gh.permission(owner, repo, login) if needs_permission else "none"
    actor = Actor(login, permission, is_bot=login.endswith("[bot]"))
    wants_approval = any(c.verb in ("approve", "skip") for c in commands)
    refusal = await binding(pull) if wants_approval else ""
    outcome = await commands_io.carry_out(
        commands,
        actor,
        ledger=ctx["ledger"],
        config=loaded.config,
        pull=pull,
        owner=owner,
        repo=repo,
        request_id=request_id,
        binding_refusal=refusal,
    )
    for what in outcome.approved:
        with contextlib.suppress(Exception):
            await metrics.record_approval(_redis(ctx), what)
    return outcome, pull


async def record_pr_outcome(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    number: int,
    outcome: str,
) -> str:
    """A pull request closed (merged or not): the report's cost per merged PR and outcomes read this."""
    entry = PrOutcome(owner, repo, number, outcome, datetime.now(UTC))
    await asyncio.to_thread(ctx["events"].record_pr_outcome, entry)
    return outcome


async def sync_installation(
    ctx: dict[str, Any], *, installation_id: int, account: str, event: str, action: str
) -> str:
    """Remember whether an installation may be acted for: suspended and deleted ones are skipped."""
    key = INSTALLATION_KEY.format(installation_id)
    state = {"suspend": "suspended", "deleted": "deleted", "unsuspend": "active", "created": "active"}.get(
        action
    )
    if event == "installation" and state is not None:
        await _redis(ctx).set(key, state)
        return state
    return "unchanged"


async def reconcile_deliveries(ctx: dict[str, Any]) -> str:
    """Cron: ask GitHub to redeliver what failed (Redis down, a crash) and we never processed."""
    from app.reconcile import reconcile

    try:
        result = await reconcile(ctx["github"].app_client(), _redis(ctx))
    except GitHubError as exc:
        log.warning("reconcile skipped this run: %s", exc)
        return f"skipped: {exc}"
    return f"scanned {result.scanned}, redelivered {len(result.redelivered)}"


FUNCTIONS = (evaluate_commit, handle_check_run, handle_comment, record_pr_outcome, sync_installation)


async def startup(ctx: dict[str, Any]) -> None:
    settings = _settings(ctx)
    ctx["github"] = GitHubApp(settings)
    # Migrates the schema first, under the database's migration lock: N workers may start at once.
    ctx["ledger"] = await asyncio.to_thread(open_ledger, settings.database_url or None)
    ctx["admission"] = Admission(ctx["redis"])
    ctx["events"] = Events(ctx["ledger"])
    # Model keys and base URLs come from the environment only (ANTHROPIC_*, OPENAI_*), never from a repo.
    retry = dataclasses.replace(
        DEFAULT_RETRY, timeout_s=float(os.environ.get("AGENTBUDGET_MODEL_TIMEOUT", DEFAULT_RETRY.timeout_s))
    )
    ctx["providers"] = provider_factory(os.environ, retry=retry)
    log.info("worker ready: queue %s, GitHub %s", settings.queue_name, settings.github_api_url)


def worker_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for arq's Worker, built from settings (no globals)."""
    from app.queue import redis_settings

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["settings"] = settings
        await startup(ctx)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        if "ledger" in ctx:  # its pool's connections, returned cleanly to PostgreSQL
            await asyncio.to_thread(ctx.pop("ledger").close)

    from arq.cron import cron

    cron_jobs = []
    if settings.reconcile_every_minutes > 0:
        minutes = set(range(0, 60, settings.reconcile_every_minutes))
        cron_jobs.append(cron(reconcile_deliveries, minute=minutes, second=17, unique=True, timeout=120))  # type: ignore[arg-type]
    tries = settings.job_max_tries + 1
    functions: list[Function] = [func(evaluate, name="evaluate_pull_request", max_tries=tries)]  # type: ignore[arg-type]
    functions += [func(f, max_tries=tries) for f in FUNCTIONS]  # type: ignore[arg-type]
    return {
        "functions": functions,
        "queue_name": settings.queue_name,
        "redis_settings": redis_settings(settings),
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "max_jobs": settings.max_jobs,
        # SIGTERM/SIGINT: stop picking jobs, let running ones finish, then cancel (arq re-queues them).
        "job_completion_wait": settings.shutdown_grace_seconds,
        # The key the compose healthcheck reads (`async_check_health`): refreshed while Redis answers.
        "health_check_interval": 30,
        "job_timeout": settings.job_timeout,
        "keep_result": 3600,
        "max_tries": settings.job_max_tries + 1,
        "retry_jobs": True,
        "cron_jobs": cron_jobs,
    }
