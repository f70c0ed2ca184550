"""How a test arranges the world: installations, repositories, pull requests, files, permissions, statuses,
comments, deliveries, faults and held requests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tests.fakegithub.model import (
    _PR,
    PERMISSIONS,
    _Fault,
    _Installation,
    _iso,
    _now,
    _Repo,
    blob_sha,
    files_from_diff,
)
from tests.fakegithub.server import Server


class Arrange(Server):
    def add_installation(
        self,
        installation_id: int,
        account: str,
        *,
        suspended: bool = False,
        account_type: str = "Organization",
    ) -> None:
        with self._lock:
            self._installations[installation_id] = _Installation(
                installation_id,
                account,
                account_type,
                suspended,
            )

    def suspend_installation(self, installation_id: int, suspended: bool = True) -> None:
        with self._lock:
            self._installations[installation_id].suspended = suspended

    def add_repo(
        self,
        owner: str,
        name: str,
        *,
        installation_id: int,
        repo_id: int | None = None,
        default_branch: str = "main",
    ) -> dict[str, Any]:
        with self._lock:
            if installation_id not in self._installations:
                raise KeyError(f"add_installation({installation_id}, ...) first")
            repo = _Repo(
                owner,
                name,
                repo_id or next(self._ids),
                installation_id,
                default_branch,
                _iso(self._started),
            )
            self._repos[repo.full_name.lower()] = repo
            return self._repo_json(repo)

    def add_pull_request(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        head_sha: str,
        base_ref: str = "main",
        base_sha: str = "b" * 40,
        head_ref: str = "feature",
        diff: str = "",
        files: list[dict[str, Any]] | None = None,
        body: str = "",
        title: str = "A change",
        user: str = "octocat",
        user_type: str = "User",
        draft: bool = False,
        labels: Iterable[str] = (),
        fork: bool = False,
    ) -> dict[str, Any]:
        """Adds an open PR; returns its JSON as GET /pulls/{n} answers (loopback URLs once serving)."""
        with self._lock:
            r = self._get_repo(owner, repo)
            pr = _PR(
                r,
                number,
                next(self._ids),
                title,
                body,
                user,
                user_type,
                draft,
                list(labels),
                fork,
                head_ref,
                head_sha,
                base_ref,
                base_sha,
                diff,
                list(files) if files is not None else files_from_diff(diff),
                _iso(_now()),
            )
            self._prs[(r.full_name.lower(), number)] = pr
            self.known_shas.update((pr.head_sha, pr.base_sha))
            return self._pr_json(pr)

    def set_head(
        self,
        owner: str,
        repo: str,
        number: int,
        head_sha: str,
        diff: str | None = None,
        files: list[dict[str, Any]] | None = None,
    ) -> None:
        """A push to the PR's branch."""
        with self._lock:
            pr = self._prs[(f"{owner}/{repo}".lower(), number)]
            pr.head_sha = head_sha
            self.known_shas.add(head_sha)
            if diff is not None:
                pr.diff = diff
                pr.files = files_from_diff(diff)
            if files is not None:
                pr.files = list(files)

    def set_body(self, owner: str, repo: str, number: int, body: str) -> None:
        """The author edits the PR description."""
        with self._lock:
            self._prs[(f"{owner}/{repo}".lower(), number)].body = body

    def set_commits(self, owner: str, repo: str, number: int, messages: list[str]) -> None:
        with self._lock:
            self._prs[(f"{owner}/{repo}".lower(), number)].commit_messages = list(messages)

    def set_file(self, owner: str, repo: str, ref: str, path: str, text: str) -> str:
        """Stores a file at ``ref`` (a branch name or a sha, matched exactly); returns its blob sha.

        A sha that some PR reports as its base or head also sees the files stored under that
        branch's name, unless a file is stored under the sha itself.
        """
        with self._lock:
            self._contents[(f"{owner}/{repo}".lower(), ref, path.strip("/"))] = text
        return blob_sha(text)

    def set_permission(self, owner: str, repo: str, user: str, permission: str) -> None:
        if permission not in PERMISSIONS:
            raise ValueError(f"permission must be one of {sorted(PERMISSIONS)}")
        with self._lock:
            self._permissions[(f"{owner}/{repo}".lower(), user.lower())] = permission

    def add_comment(
        self,
        owner: str,
        repo: str,
        number: int,
        body: str,
        *,
        user: str = "octocat",
        user_type: str = "User",
    ) -> dict[str, Any]:
        """Seeds a comment written by someone else (e.g. a slash command)."""
        with self._lock:
            return self._new_comment(self._get_repo(owner, repo), number, body, user, user_type)

    def add_status(
        self,
        owner: str,
        repo: str,
        sha: str,
        context: str,
        state: str,
        *,
        description: str | None = None,
        target_url: str | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            return self._new_status(
                self._get_repo(owner, repo),
                sha,
                {
                    "context": context,
                    "state": state,
                    "description": description,
                    "target_url": target_url,
                },
            )

    def add_foreign_check_run(
        self,
        owner: str,
        repo: str,
        head_sha: str,
        name: str,
        status: str = "completed",
        conclusion: str | None = "success",
        app_id: int = 99,
        app_slug: str | None = None,
    ) -> dict[str, Any]:
        """A check run made by another app (other CI), which this app may read but not modify."""
        with self._lock:
            self._foreign_apps[app_id] = app_slug or self._foreign_apps.get(app_id) or f"other-ci-{app_id}"
            body = {"name": name, "head_sha": head_sha, "status": status}
            if conclusion is not None:
                body["conclusion"] = conclusion
            return self._create_run(self._get_repo(owner, repo), body, app_id)

    def add_delivery(
        self,
        guid: str,
        event: str,
        action: str | None,
        status_code: int,
        redelivery: bool = False,
        *,
        installation_id: int | None = None,
        repository_id: int | None = None,
        delivered_at: datetime | None = None,
        delivery_id: int | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            item = {
                "id": delivery_id or next(self._ids) * 1000,
                "guid": guid,
                "delivered_at": _iso(delivered_at or _now()),
                "redelivery": redelivery,
                "duration": 0.27,
                "status": "OK" if 200 <= status_code < 300 else f"Invalid HTTP Response: {status_code}",
                "status_code": status_code,
                "event": event,
                "action": action,
                "installation_id": installation_id,
                "repository_id": repository_id,
                "throttled_at": None,
            }
            self._deliveries.append(item)
            return dict(item)

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | str | None = None,
    ) -> None:
        """The next ``times`` requests whose method matches (``*`` for any) and whose path fully matches
        ``path_regex`` get this answer instead of normal handling.

        Without a body: 5xx answers an HTML page, 403/429 with ``retry-after`` GitHub's secondary rate
        limit message, 403/429 with ``x-ratelimit-remaining: 0`` the primary rate limit message.
        """
        with self._lock:
            self._faults.append(
                _Fault(
                    method.upper(),
                    re.compile(path_regex),
                    status,
                    times,
                    {k.lower(): str(v) for k, v in (headers or {}).items()},
                    body,
                )
            )

    def fail_share(
        self,
        method: str,
        path_regex: str,
        status: int,
        share: float,
        *,
        headers: dict[str, str] | None = None,
        seed: int = 0,
    ) -> None:
        """A seeded `share` (0..1) of matching requests get this fault answer, until the test ends."""
        with self._lock:
            self._random.seed(seed)
            self._shares.append(
                (
                    method.upper(),
                    re.compile(path_regex),
                    status,
                    share,
                    {k.lower(): str(v) for k, v in (headers or {}).items()},
                )
            )

    def expire_tokens(self) -> None:
        """Invalidates every installation token issued so far (as if their hour had passed)."""
        with self._lock:
            for token in self._tokens.values():
                token.revoked = True

    def delete_check_runs(self, owner: str, repo: str, head_sha: str) -> None:
        """GitHub no longer has this sha's runs (its suite was deleted, the repository recreated): 404."""
        doomed = {id(run) for run in self.runs_for(owner, repo, head_sha)}
        with self._lock:
            self.check_runs[:] = [run for run in self.check_runs if id(run) not in doomed]

    def runs_for(self, owner: str, repo: str, head_sha: str) -> list[dict[str, Any]]:
        full_name = f"{owner}/{repo}".lower()
        with self._lock:
            return [
                run
                for run in self.check_runs
                if run["head_sha"] == head_sha and run["repository"].lower() == full_name
            ]
