"""GitHub I/O: the only module that imports githubkit.

Everything returns plain JSON dicts (GitHub's own shapes); githubkit's strict models are not used for
responses, so fields GitHub adds or omits never break a job. Errors come out as the few exception types
below, which the worker turns into a retry, a clear check-run message, or a skip.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from githubkit import AppAuthStrategy, GitHub
from githubkit.cache import MemCacheStrategy
from githubkit.exception import (
    GitHubException,
    RateLimitExceeded,
    RequestError,
    RequestFailed,
    RequestTimeout,
)
from githubkit.typing import RetryOption

from app.settings import Settings

log = logging.getLogger("agentbudget.github")

DIFF_MEDIA_TYPE = "application/vnd.github.diff"
MAX_LISTED_FILES = 3000  # GitHub's cap for the list-files endpoint


class GitHubError(Exception):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotFound(GitHubError):
    """The resource is gone (a deleted PR, a removed repo, an uninstalled app)."""


class FileTooLarge(GitHubError):
    """A file the contents API's metadata says is over the caller's limit; its content is not read."""

    def __init__(self, path: str, size: int) -> None:
        super().__init__(f"{path} is {size:,} bytes")
        self.path, self.size = path, size


class TransientError(GitHubError):
    """A 5xx, a timeout or a dropped connection that persisted through the in-process retries."""


class RateLimited(GitHubError):
    def __init__(
        self, message: str, *, status: int | None, retry_after: float, backoff: bool = False
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after
        self.backoff = backoff  # no retry-after: wait at least a minute, doubling on every attempt

    def defer(self, attempt: int) -> float:
        """Seconds to wait before attempt `attempt + 1` (GitHub's documented secondary-limit behaviour)."""
        if not self.backoff:
            return float(self.retry_after)
        return float(SECONDARY_LIMIT_WAIT * 2 ** max(0, min(attempt - 1, 6)))


class Unauthorized(GitHubError):
    """GitHub refused the installation token (revoked, or expired early): mint a new one and retry."""


SECONDARY_LIMIT_WAIT = 60.0


class DiffTooLarge(GitHubError):
    """GitHub refuses to render the diff (406 too_large); use the file list instead."""


def _retry_decision(retries: int, delay: float) -> Any:
    def decide(exc: GitHubException, count: int) -> RetryOption:
        if count >= retries or isinstance(exc, RateLimitExceeded):
            # Rate limits are waited out by re-queueing the job, never by a sleeping worker.
            return RetryOption(False)
        server_error = isinstance(exc, RequestFailed) and exc.response.status_code >= 500
        transport = isinstance(exc, RequestError) and not isinstance(exc, RequestFailed)
        if server_error or transport:
            return RetryOption(True, timedelta(seconds=delay * (count + 1)))
        return RetryOption(False)

    return decide


def _message(exc: RequestFailed) -> str:
    try:
        data = exc.response.json()
        if isinstance(data, dict) and data.get("message"):
            return str(data["message"]).splitlines()[0][:300]
    except ValueError:
        pass
    return exc.response.reason_phrase or "request failed"


def contents_url(owner: str, repo: str, path: str) -> str:
    """The contents API URL of `path`, each segment percent-encoded: `a#b.py` is not `a` plus a fragment."""
    return f"/repos/{quote(owner, safe='')}/{quote(repo, safe='')}/contents/{quote(path, safe='/')}"


def public_reason(exc: GitHubError) -> str:
    """What a public check run may say of a GitHub failure: its kind and what to do, never the request's
    path or GitHub's message text (the log has both)."""
    if isinstance(exc, NotFound):
        return "GitHub answered 404: the pull request, repository or a file it needs is gone or not readable"
    if isinstance(exc, Unauthorized):
        return "GitHub refused the app's token (HTTP 401); re-run the check to try with a new one"
    if isinstance(exc, RateLimited):
        return "GitHub's rate limit for this installation is spent; re-run the check later"
    if isinstance(exc, TransientError):
        status = f" (HTTP {exc.status})" if exc.status is not None else ""
        return f"GitHub was unavailable{status}; re-run the check to try again"
    if isinstance(exc, FileTooLarge):
        return f"a file is too large to read ({exc.size:,} bytes)"
    if exc.status == 409:
        return (
            "GitHub answered 409 (the repository is empty or in a conflicting state); nothing to evaluate yet"
        )
    if exc.status == 410:
        return "GitHub answered 410 (gone: e.g. the repository's pull requests are switched off)"
    status = f" (HTTP {exc.status})" if exc.status is not None else ""
    return f"GitHub refused a request the app made{status}; re-run the check, or ask the operator for the log"


def translate(exc: Exception) -> Exception:
    """Map githubkit/httpx failures onto this module's error types."""
    if isinstance(exc, RateLimitExceeded):
        return RateLimited(
            f"GitHub rate limit: {_message(exc)}",
            status=exc.response.status_code,
            retry_after=max(1.0, exc.retry_after.total_seconds()),
        )
    if isinstance(exc, RequestFailed):
        status = exc.response.status_code
        method, url = exc.request.method, exc.request.url.path
        text = f"GitHub answered {status} to {method} {url}: {_message(exc)}"
        if status == 429 or (status == 403 and "secondary rate limit" in _message(exc).lower()):
            # A secondary limit without retry-after (and with x-ratelimit-remaining > 0).
            return RateLimited(
                f"GitHub secondary rate limit: {_message(exc)}",
                status=status,
                retry_after=SECONDARY_LIMIT_WAIT,
                backoff=True,
            )
        if status == 401:
            return Unauthorized(text, status=status)
        if status == 404:
            return NotFound(text, status=status)
        if status >= 500:
            return TransientError(text, status=status)
        return GitHubError(text, status=status)
    if isinstance(exc, (RequestTimeout, RequestError, httpx.TransportError, asyncio.TimeoutError)):
        return TransientError(f"GitHub unreachable: {type(exc).__name__}")
    return exc


class GitHubApp:
    """App-level client factory (JWT) and the installation-token cache."""

    def __init__(self, settings: Settings) -> None:
        settings.require_app_credentials()
        self._settings = settings
        self._auth = AppAuthStrategy(settings.app_id, settings.private_key)
        # One cache per app object: tokens from one GitHub host are never offered to another.
        self._cache = MemCacheStrategy()
        self._tokens: dict[int, tuple[str, float]] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def _client(self, auth: Any) -> GitHub[Any]:
        s = self._settings
        return GitHub(
            auth,
            base_url=s.github_api_url + "/",
            cache_strategy=self._cache,
            http_cache=False,
            auto_retry=_retry_decision(s.github_retries, s.github_retry_delay),
            timeout=s.github_timeout,
            user_agent="agentbudget",
        )

    async def installation(self, installation_id: int) -> Installation:
        """A client for one installation. Its token is fetched once per installation and reused until a
        minute before it expires; concurrent jobs wait for the one fetch instead of each making their own."""
        token = await self._token(installation_id)
        return Installation(
            self._client(token), installation_id, on_unauthorized=lambda: self.forget_token(installation_id)
        )

    async def _token(self, installation_id: int) -> str:
        lock = self._locks.setdefault(installation_id, asyncio.Lock())
        async with lock:
            cached = self._tokens.get(installation_id)
            if cached is not None and cached[1] - time.time() > 60:
                return cached[0]
            data = await self.app_client()._json(
                "POST", f"/app/installations/{installation_id}/access_tokens"
            )
            expires = datetime.strptime(str(data["expires_at"]), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            self._tokens[installation_id] = (str(data["token"]), expires.timestamp())
            return str(data["token"])

    def forget_token(self, installation_id: int) -> None:
        """Drop a token GitHub refused (revoked, or expired early); the next call fetches a new one."""
        self._tokens.pop(installation_id, None)

    def app_client(self) -> Installation:
        """JWT-authenticated calls (`/app/...`)."""
        return Installation(self._client(self._auth), 0)


class Installation:
    def __init__(
        self,
        github: GitHub[Any],
        installation_id: int,
        *,
        on_unauthorized: Callable[[], None] | None = None,
    ) -> None:
        self._github = github
        self.installation_id = installation_id
        self._on_unauthorized = on_unauthorized

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._github.arequest(method, path, **kwargs)
        except Exception as exc:
            error = translate(exc)
            if isinstance(error, Unauthorized) and self._on_unauthorized is not None:
                self._on_unauthorized()  # the next job mints a new token instead of reusing the refused one
            raise error from exc
        return response.raw_response

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return (await self._request(method, path, **kwargs)).json()

    async def get_pull(self, owner: str, repo: str, number: int) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("GET", f"/repos/{owner}/{repo}/pulls/{number}")
        return result

    async def get_diff(self, owner: str, repo: str, number: int) -> str:
        try:
            response = await self._request(
                "GET", f"/repos/{owner}/{repo}/pulls/{number}", headers={"Accept": DIFF_MEDIA_TYPE}
            )
        except GitHubError as exc:
            if exc.status == 406:
                raise DiffTooLarge(str(exc), status=406) from exc
            raise
        return response.text

    async def list_files(self, owner: str, repo: str, number: int) -> tuple[list[dict[str, Any]], bool]:
        """All files of a PR up to GitHub's 3,000; the flag says whether the list hit that cap."""
        files: list[dict[str, Any]] = []
        page = 1
        while len(files) < MAX_LISTED_FILES:
            batch = await self._json(
                "GET", f"/repos/{owner}/{repo}/pulls/{number}/files", params={"per_page": 100, "page": page}
            )
            files.extend(batch)
            if len(batch) < 100:
                return files, False
            page += 1
        return files[:MAX_LISTED_FILES], True

    async def get_file(
        self, owner: str, repo: str, path: str, ref: str | None, *, max_bytes: int | None = None
    ) -> tuple[str, str] | None:
        """(text, blob sha) of a file at `ref`, or None when there is no such file.

        `max_bytes`: refuse (FileTooLarge) a file the metadata says is larger, before its content is read.
        """
        params = {"ref": ref} if ref else None
        try:
            data = await self._json("GET", contents_url(owner, repo, path), params=params)
        except NotFound:
            return None
        if not isinstance(data, dict) or data.get("type") != "file":
            return None
        size = data.get("size")
        if max_bytes is not None and isinstance(size, int) and size > max_bytes:
            raise FileTooLarge(path, size)
        if data.get("encoding") == "none":  # 1-100 MB: the JSON carries no content; ask for the raw blob
            response = await self._request(
                "GET",
                contents_url(owner, repo, path),
                params=params,
                headers={"Accept": "application/vnd.github.raw"},
            )
            return response.content.decode("utf-8", "replace"), str(data.get("sha", ""))
        raw = base64.b64decode(str(data.get("content", "")))
        return raw.decode("utf-8", "replace"), str(data.get("sha", ""))

    async def find_check_run(self, owner: str, repo: str, head_sha: str, name: str) -> dict[str, Any] | None:
        data = await self._json(
            "GET",
            f"/repos/{owner}/{repo}/commits/{head_sha}/check-runs",
            params={"check_name": name, "filter": "all", "per_page": 100},
        )
        runs = [r for r in data.get("check_runs", ()) if r.get("name") == name]
        # The app's own run for this sha; the lowest id is the original if duplicates ever existed.
        return min(runs, key=lambda r: int(r["id"])) if runs else None

    async def create_check_run(self, owner: str, repo: str, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await self._json("POST", f"/repos/{owner}/{repo}/check-runs", json=body)
        return result

    async def update_check_run(
        self, owner: str, repo: str, run_id: int, body: dict[str, Any]
    ) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(
            "PATCH", f"/repos/{owner}/{repo}/check-runs/{run_id}", json=body
        )
        return result

    async def list_commits(self, owner: str, repo: str, number: int) -> list[tuple[str, str]]:
        """(sha, message) of the PR's commits (GitHub lists at most 250), for trailers."""
        commits: list[dict[str, Any]] = await self._json(
            "GET", f"/repos/{owner}/{repo}/pulls/{number}/commits", params={"per_page": 100}
        )
        return [(str(c.get("sha") or ""), str((c.get("commit") or {}).get("message") or "")) for c in commits]

    async def list_check_runs(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
        """Every app's latest check runs on a commit (first 100)."""
        data = await self._json(
            "GET",
            f"/repos/{owner}/{repo}/commits/{sha}/check-runs",
            params={"filter": "latest", "per_page": 100},
        )
        return list(data.get("check_runs", ()))

    async def list_statuses(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
        """The latest commit status per context (the combined status)."""
        try:
            data = await self._json(
                "GET", f"/repos/{owner}/{repo}/commits/{sha}/status", params={"per_page": 100}
            )
        except GitHubError as exc:
            if exc.status != 403:
                raise
            # An installation that has not accepted the statuses permission yet: check runs still count.
            log.info("commit statuses unreadable for %s/%s: %s", owner, repo, exc)
            return []
        return list(data.get("statuses", ()))

    async def permission(self, owner: str, repo: str, user: str) -> str:
        """The user's role on the repository (admin, maintain, write, triage, read), or "none"."""
        try:
            data = await self._json("GET", f"/repos/{owner}/{repo}/collaborators/{user}/permission")
        except NotFound:
            return "none"
        # role_name distinguishes maintain/triage, which the legacy `permission` folds into write/read.
        return str(data.get("role_name") or data.get("permission") or "none")

    async def react(self, owner: str, repo: str, comment_id: int, content: str) -> None:
        await self._request(
            "POST", f"/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", json={"content": content}
        )

    async def comment(self, owner: str, repo: str, number: int, body: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._json(
            "POST", f"/repos/{owner}/{repo}/issues/{number}/comments", json={"body": body[:65_000]}
        )
        return result

    async def create_review(
        self,
        owner: str,
        repo: str,
        number: int,
        commit_id: str,
        body: str,
        comments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """One review (event COMMENT: advisory, never approve or request changes) on `commit_id`."""
        payload: dict[str, Any] = {"commit_id": commit_id, "event": "COMMENT", "body": body[:65_000]}
        if comments:
            payload["comments"] = comments
        result: dict[str, Any] = await self._json(
            "POST", f"/repos/{owner}/{repo}/pulls/{number}/reviews", json=payload
        )
        return result

    async def list_pulls_for_commit(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._json("GET", f"/repos/{owner}/{repo}/commits/{sha}/pulls")
        return result

    async def list_deliveries(
        self, cursor: str | None, per_page: int = 100
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the app's webhook deliveries (newest first) and the cursor of the next page."""
        params: dict[str, Any] = {"per_page": per_page}
        if cursor:
            params["cursor"] = cursor
        response = await self._request("GET", "/app/hook/deliveries", params=params)
        next_url = response.links.get("next", {}).get("url")
        next_cursor = httpx.URL(next_url).params.get("cursor") if next_url else None
        return list(response.json()), next_cursor

    async def redeliver(self, delivery_id: int) -> None:
        await self._request("POST", f"/app/hook/deliveries/{delivery_id}/attempts")
