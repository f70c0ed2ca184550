"""One installation's REST calls. Everything returns plain JSON dicts (GitHub's own shapes)."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
from githubkit import GitHub

from app.github.errors import DiffTooLarge, FileTooLarge, GitHubError, NotFound, Unauthorized, translate

log = logging.getLogger("agentbudget.github")

DIFF_MEDIA_TYPE = "application/vnd.github.diff"
MAX_LISTED_FILES = 3000  # GitHub's cap for the list-files endpoint


def contents_url(owner: str, repo: str, path: str) -> str:
    """The contents API URL of `path`, each segment percent-encoded: `a#b.py` is not `a` plus a fragment."""
    return f"/repos/{quote(owner, safe='')}/{quote(repo, safe='')}/contents/{quote(path, safe='/')}"


class RestInstallation:
    """`client.Installation` over githubkit."""

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
