"""Every Redis key name, under one prefix, in one place.

Every key that holds repository data carries the installation id: two installations may name the same
`owner/repo` (one of them without access to it), and a value one installation's token read must never be
served to another. Families whose keys are built inside a Lua script get a prefix here.
"""

from __future__ import annotations

PREFIX = "agentbudget:"
BUDGET_PREFIX = PREFIX + "budget:"  # admission counters, reservations and their deadlines (app/budget)
METRICS_PREFIX = PREFIX + "metrics:"  # the fleet-wide counters /metrics renders (app/metrics/)
ALERT_PREFIX = PREFIX + "alert:"  # once-per-threshold alert marks (app/alerts.py)
RECONCILE_MARK = PREFIX + "reconcile:newest-id"


def delivery(guid: str) -> str:
    return f"{PREFIX}delivery:{guid}"


def fairness(installation_id: int | str) -> str:
    return f"{PREFIX}fair:{installation_id}"


def installation(installation_id: int) -> str:
    return f"{PREFIX}installation:{installation_id}"


def reconcile_attempts(guid: str) -> str:
    return f"{PREFIX}reconcile:attempts:{guid}"


def reconcile_requested(guid: str) -> str:
    return f"{PREFIX}reconcile:requested:{guid}"


def review_lock(request_id: str) -> str:
    """One metered review per commit and model at a time, across workers."""
    return f"{PREFIX}review-lock:{request_id}"


def file_cache(installation_id: int, repo: str, ref: str | None, path: str) -> str:
    return f"agentbudget:file:{installation_id}:{repo.lower()}:{ref or ''}:{path}"


def blob_cache(installation_id: int, repo: str, path: str, blob: str) -> str:
    return f"agentbudget:blob:{installation_id}:{repo.lower()}:{path}:{blob}"


def sha_pull(installation_id: int, repo_id: int, sha: str) -> str:
    return f"agentbudget:sha:{installation_id}:{repo_id}:{sha}"


def trigger(installation_id: int, repo: str, sha: str) -> str:
    return f"agentbudget:trigger:{installation_id}:{repo.lower()}:{sha}"


def check_run(installation_id: int, repo_id: int, sha: str) -> str:
    return f"agentbudget:run:{installation_id}:{repo_id}:{sha}"


def check_run_lock(installation_id: int, repo_id: int, sha: str) -> str:
    return f"agentbudget:lock:run:{installation_id}:{repo_id}:{sha}"


def observe(installation_id: int, repo_id: int) -> str:
    return f"agentbudget:observe:{installation_id}:{repo_id}"


def published(installation_id: int, repo_id: int, sha: str) -> str:
    """When our run on this sha first showed a verdict (GitHub's `completed_at`)."""
    return f"agentbudget:published:{installation_id}:{repo_id}:{sha}"
