"""Redis key names for everything that holds repository data.

Every such key carries the installation id: two installations may name the same `owner/repo` (one of
them without access to it), and a value one installation's token read must never be served to another.
"""

from __future__ import annotations


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
