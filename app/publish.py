"""One check run per head sha: found again or created, started, completed — never duplicated."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import Any, cast

from arq.connections import ArqRedis

from app import keys
from app.github import Installation, NotFound
from checks.render import CheckRunOutput

RUN_TTL_SECONDS = 14 * 24 * 3600
LOCK_TTL_MS = 30_000

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class LockBusy(Exception):
    """Another job is creating the run for this sha right now."""


class CheckRun:
    """The app's run on one head sha of one repository."""

    def __init__(
        self,
        gh: Installation,
        redis: ArqRedis,
        *,
        repo_id: int,
        owner: str,
        repo: str,
        head_sha: str,
        name: str,
    ) -> None:
        self.gh, self.redis = gh, redis
        self.repo_id, self.owner, self.repo, self.head_sha, self.name = repo_id, owner, repo, head_sha, name
        self.run_id: int | None = None
        self.external_id = f"{owner}/{repo}@{head_sha}"

    async def published_at(self) -> str | None:
        """When this sha's run first showed a verdict; from GitHub when Redis no longer knows."""
        cached = await self.redis.get(keys.published(self.gh.installation_id, self.repo_id, self.head_sha))
        if cached:
            return str(cached.decode())
        found = await self.gh.find_check_run(self.owner, self.repo, self.head_sha, self.name)
        if found is None or found.get("status") != "completed":
            return None
        return str(found.get("completed_at") or "") or None

    @property
    def _run_key(self) -> str:
        return keys.check_run(self.gh.installation_id, self.repo_id, self.head_sha)

    async def existing(self, listed: list[dict[str, Any]] | None = None) -> int | None:
        """Our run on this sha: from the Redis cache, else from `listed` (the sha's check runs, when the
        caller already fetched them), else from GitHub."""
        cached = await self.redis.get(self._run_key)
        if cached:
            return int(cached)
        if listed is not None:
            ours = [r for r in listed if r.get("name") == self.name]
            found = min(ours, key=lambda r: int(r["id"])) if ours else None
        else:
            found = await self.gh.find_check_run(self.owner, self.repo, self.head_sha, self.name)
        if found is None:
            return None
        await self.redis.set(self._run_key, str(found["id"]), ex=RUN_TTL_SECONDS)
        return int(found["id"])

    async def start(
        self, *, external_id: str, listed: list[dict[str, Any]] | None = None, title: str = "Evaluating…"
    ) -> int:
        """Mark the run in progress, creating it only if no run exists for this sha."""
        body: dict[str, Any] = {
            "status": "in_progress",
            "output": {"title": title, "summary": "agentbudget is evaluating this commit."},
        }
        self.external_id = external_id
        self.run_id = await self.existing(listed)
        if self.run_id is None:
            self.run_id = int((await self._create_once(body))["id"])
        else:
            await self._update(body)
        return self.run_id

    async def ensure(self) -> int:
        """The run, found or created in progress (to record an error on a sha that has no run yet)."""
        if self.run_id is None:
            self.run_id = await self.existing()
        if self.run_id is None:
            await self.start(external_id=self.external_id)
        assert self.run_id is not None
        return self.run_id

    async def _update(self, body: dict[str, Any]) -> dict[str, Any]:
        """Update our run; a run GitHub no longer has (deleted, or a stale cached id) is created again with
        this body, so a job never leaves the sha without its run or with one stuck in progress."""
        assert self.run_id is not None
        try:
            return await self.gh.update_check_run(self.owner, self.repo, self.run_id, body)
        except NotFound:
            await self.redis.delete(self._run_key)
            created = await self._create_once(body)
            self.run_id = int(created["id"])
            return created

    async def _create_once(self, body: dict[str, Any]) -> dict[str, Any]:
        token = uuid.uuid4().hex
        lock = keys.check_run_lock(self.gh.installation_id, self.repo_id, self.head_sha)
        if not await self.redis.set(lock, token, nx=True, px=LOCK_TTL_MS):
            raise LockBusy(f"check run for {self.head_sha[:7]} is being created by another job")
        try:
            # Re-check under the lock: a job that created the run cached its id before releasing the lock.
            cached = await self.redis.get(self._run_key)
            if cached:
                return await self.gh.update_check_run(self.owner, self.repo, int(cached), body)
            created = await self.gh.create_check_run(
                self.owner,
                self.repo,
                {"name": self.name, "head_sha": self.head_sha, "external_id": self.external_id, **body},
            )
            await self.redis.set(self._run_key, str(created["id"]), ex=RUN_TTL_SECONDS)
            return created
        finally:
            await cast("Awaitable[Any]", self.redis.eval(_RELEASE, 1, lock, token))

    async def complete(
        self, output: CheckRunOutput, conclusion: str, actions: list[dict[str, Any]] | None = None
    ) -> None:
        if self.run_id is None:
            raise RuntimeError("complete() before start()")
        body: dict[str, Any] = {"status": "completed", "conclusion": conclusion, "output": output.as_github()}
        annotations = list(output.annotations)
        # GitHub takes at most 50 annotations per request; further updates append the rest.
        body["output"]["annotations"] = annotations[:50]
        if actions is not None:
            body["actions"] = actions
        done = await self._update(body)
        # The first time this sha's run showed a verdict: a comment approval written before it saw an
        # older commit (checks/binding.py).
        published_at = str(done.get("completed_at") or "") if isinstance(done, dict) else ""
        if published_at:
            key = keys.published(self.gh.installation_id, self.repo_id, self.head_sha)
            await self.redis.set(key, published_at, nx=True, ex=RUN_TTL_SECONDS)
        for start in range(50, len(annotations), 50):
            batch = {"output": {**output.as_github(), "annotations": annotations[start : start + 50]}}
            await self._update(batch)
