"""The arq worker: which jobs exist, under which names, and the services they share. Nothing else.

A delivery's evaluation reads gather → decide → spend → publish in app/evaluation.py; commands live in
app/command_jobs.py; bookkeeping in app/bookkeeping.py; the redelivery reconciler in app/reconcile.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from arq.cron import cron
from arq.worker import Function, func

from app import job_names, keys, services
from app.budget.events import PrOutcome
from app.command_jobs import handle_check_run, handle_comment
from app.evaluation import evaluate, evaluate_commit
from app.github import GitHubError
from app.settings import Settings

log = logging.getLogger("agentbudget.worker")


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
    await asyncio.to_thread(services.services(ctx).events.record_pr_outcome, entry)
    return outcome


async def sync_installation(
    ctx: dict[str, Any], *, installation_id: int, account: str, event: str, action: str
) -> str:
    """Remember whether an installation may be acted for: suspended and deleted ones are skipped."""
    key = keys.installation(installation_id)
    state = {"suspend": "suspended", "deleted": "deleted", "unsuspend": "active", "created": "active"}.get(
        action
    )
    if event == "installation" and state is not None:
        await services.services(ctx).redis.set(key, state)
        return state
    return "unchanged"


async def reconcile_deliveries(ctx: dict[str, Any]) -> str:
    """Cron: ask GitHub to redeliver what failed (Redis down, a crash) and we never processed."""
    from app.reconcile import reconcile

    used = services.services(ctx)
    try:
        result = await reconcile(used.github.app_client(), used.redis)
    except GitHubError as exc:
        log.warning("reconcile skipped this run: %s", exc)
        return f"skipped: {exc}"
    return f"scanned {result.scanned}, redelivered {len(result.redelivered)}"


JOBS: dict[str, Callable[..., Awaitable[Any]]] = {
    job_names.EVALUATE_PULL_REQUEST: evaluate,
    job_names.EVALUATE_COMMIT: evaluate_commit,
    job_names.HANDLE_CHECK_RUN: handle_check_run,
    job_names.HANDLE_COMMENT: handle_comment,
    job_names.RECORD_PR_OUTCOME: record_pr_outcome,
    job_names.SYNC_INSTALLATION: sync_installation,
}


def worker_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for arq's Worker, built from settings (no globals)."""
    from app.queue import redis_settings

    async def on_startup(ctx: dict[str, Any]) -> None:
        await services.start(ctx, settings)
        log.info("worker ready: queue %s, GitHub %s", settings.queue_name, settings.github_api_url)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        await services.stop(ctx)

    cron_jobs = []
    if settings.reconcile_every_minutes > 0:
        minutes = set(range(0, 60, settings.reconcile_every_minutes))
        reconcile = cron(
            reconcile_deliveries,
            name=job_names.RECONCILE_DELIVERIES,
            minute=minutes,
            second=17,
            unique=True,
            timeout=120,
        )
        cron_jobs.append(reconcile)
    tries = settings.job_max_tries + 1
    functions: list[Function] = [
        func(job, name=name, max_tries=tries)  # type: ignore[arg-type]
        for name, job in JOBS.items()
    ]
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
        "max_tries": tries,
        "retry_jobs": True,
        "cron_jobs": cron_jobs,
    }
