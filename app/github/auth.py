"""The App's own identity: JWT-authenticated clients, and installation tokens fetched once and cached."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from githubkit import AppAuthStrategy, GitHub
from githubkit.cache import MemCacheStrategy
from githubkit.exception import (
    GitHubException,
    RateLimitExceeded,
    RequestError,
    RequestFailed,
)
from githubkit.typing import RetryOption

from app.github.installation import RestInstallation
from app.settings import Settings


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

    async def installation(self, installation_id: int) -> RestInstallation:
        """A client for one installation. Its token is fetched once per installation and reused until a
        minute before it expires; concurrent jobs wait for the one fetch instead of each making their own."""
        token = await self._token(installation_id)
        return RestInstallation(
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

    def app_client(self) -> RestInstallation:
        """JWT-authenticated calls (`/app/...`)."""
        return RestInstallation(self._client(self._auth), 0)
