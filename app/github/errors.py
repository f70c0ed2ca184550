"""GitHub failures as the few exception types the worker acts on: retry, re-queue after a wait, mint a new
token, or say on the check run what went wrong (without the request's path or GitHub's message text)."""

from __future__ import annotations

import asyncio

import httpx
from githubkit.exception import (
    RateLimitExceeded,
    RequestError,
    RequestFailed,
    RequestTimeout,
)


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


def _message(exc: RequestFailed) -> str:
    try:
        data = exc.response.json()
        if isinstance(data, dict) and data.get("message"):
            return str(data["message"]).splitlines()[0][:300]
    except ValueError:
        pass
    return exc.response.reason_phrase or "request failed"


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
