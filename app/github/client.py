"""The client interface the jobs use: one installation's calls, and the App that hands them out.

`installation.RestInstallation` and `auth.GitHubApp` implement it over githubkit; a test may hand a job an
in-memory implementation instead (tests/fakeclient.py). Everything is GitHub's own JSON shapes."""

from __future__ import annotations

from typing import Any, Protocol


class Installation(Protocol):
    installation_id: int

    async def get_pull(self, owner: str, repo: str, number: int) -> dict[str, Any]: ...

    async def get_diff(self, owner: str, repo: str, number: int) -> str: ...

    async def list_files(self, owner: str, repo: str, number: int) -> tuple[list[dict[str, Any]], bool]: ...

    async def get_file(
        self, owner: str, repo: str, path: str, ref: str | None, *, max_bytes: int | None = None
    ) -> tuple[str, str] | None: ...

    async def find_check_run(
        self, owner: str, repo: str, head_sha: str, name: str
    ) -> dict[str, Any] | None: ...

    async def create_check_run(self, owner: str, repo: str, body: dict[str, Any]) -> dict[str, Any]: ...

    async def update_check_run(
        self, owner: str, repo: str, run_id: int, body: dict[str, Any]
    ) -> dict[str, Any]: ...

    async def list_commits(self, owner: str, repo: str, number: int) -> list[tuple[str, str]]: ...

    async def list_check_runs(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]: ...

    async def list_statuses(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]: ...

    async def permission(self, owner: str, repo: str, user: str) -> str: ...

    async def react(self, owner: str, repo: str, comment_id: int, content: str) -> None: ...

    async def comment(self, owner: str, repo: str, number: int, body: str) -> dict[str, Any]: ...

    async def create_review(
        self,
        owner: str,
        repo: str,
        number: int,
        commit_id: str,
        body: str,
        comments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]: ...

    async def list_pulls_for_commit(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]: ...

    async def list_deliveries(
        self, cursor: str | None, per_page: int = 100
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    async def redeliver(self, delivery_id: int) -> None: ...


class App(Protocol):
    async def installation(self, installation_id: int) -> Installation: ...

    def app_client(self) -> Installation: ...
