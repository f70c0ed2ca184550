"""An in-memory GitHub behind the client interface the jobs take (`app.github.App` and `Installation`), for
worker and command tests where HTTP adds nothing. The loopback server (`tests/fakegithub/`) stays for tests
of the HTTP client itself.

It holds plain dicts and answers in GitHub's shapes, and refuses what the loopback server refuses for these
calls, raised as the errors the real client raises: the same body rules (`tests/fakegithub/rules.py`, 422),
the token's permissions from app.yml (403), repositories of another installation and missing pull
requests, files, runs and comments (404), a check run on an unknown commit (422), another app's run (403),
a diff over GitHub's limits (406). Time is a counter, one second per write, so order is exact.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from app.github import DiffTooLarge, FileTooLarge, GitHubError, Installation, NotFound
from tests.conftest import load_fixture
from tests.fakegithub import TOKEN_PERMISSIONS, blob_sha, files_from_diff, rules
from tests.fakegithub.model import _Fail

LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
T = TypeVar("T")


class FakeClient:
    """The world (repositories, pull requests, files, runs, comments) and the App that hands out clients."""

    app_id = 4242
    app_slug = "agentbudget"
    # GitHub's limits (the names `rules.Limits` reads); tests may lower them.
    max_body_chars = 65_535
    max_comment_chars = 65_536
    max_annotations = 50
    max_actions = 3
    max_diff_files = 300
    max_diff_lines = 20_000
    max_listed_files = 3000

    def __init__(self) -> None:
        self.token_permissions: dict[str, str] = dict(TOKEN_PERMISSIONS)
        self.repos: dict[str, int] = {}  # "owner/repo" (lower case) -> installation id
        self.pulls: dict[tuple[str, int], dict[str, Any]] = {}  # GitHub's pull JSON, plus "diff", "commits"
        self.files: dict[tuple[str, str, str], str] = {}  # (repo, ref, path) -> text
        self.roles: dict[tuple[str, str], str] = {}
        self.known_shas: set[str] = set()
        self.check_runs: list[dict[str, Any]] = []
        self.statuses: dict[str, list[dict[str, Any]]] = {}
        self.comments: list[dict[str, Any]] = []
        self.reactions: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.deliveries: list[dict[str, Any]] = []
        self.redelivery_attempts: list[int] = []
        self._ids = 1000
        self._ticks = 0

    # The App side of the interface.

    async def installation(self, installation_id: int) -> Installation:
        return FakeInstallation(self, installation_id)

    def app_client(self) -> Installation:
        return FakeInstallation(self, 0)

    # Arranging the world.

    def add_repo(self, owner: str, repo: str, *, installation_id: int) -> None:
        self.repos[f"{owner}/{repo}".lower()] = installation_id

    def add_pull_request(
        self,
        owner: str,
        repo: str,
        number: int,
        *,
        head_sha: str,
        diff: str = "",
        body: str = "",
        user: str = "octocat",
        base_ref: str = "main",
        base_sha: str = "b" * 40,
        labels: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """An open PR in the recorded `pull_request.opened` shape."""
        pull = copy.deepcopy(load_fixture("pull_request.opened.json")["pull_request"])
        repository = {**pull["base"]["repo"], "name": repo, "full_name": f"{owner}/{repo}"}
        pull.update(number=number, body=body, state="open", draft=False, labels=[{"name": n} for n in labels])
        pull["user"] = {**pull["user"], "login": user, "type": "User"}
        pull["head"].update(sha=head_sha, ref="feature", repo=repository)
        pull["base"].update(sha=base_sha, ref=base_ref, repo=repository)
        pull.update(diff=diff, commits=["A change"])
        self.pulls[(f"{owner}/{repo}".lower(), number)] = pull
        self.known_shas.update((head_sha, base_sha))
        return _public(pull)

    def set_head(self, owner: str, repo: str, number: int, head_sha: str, *, diff: str | None = None) -> None:
        """A push to the PR's branch."""
        pull = self.pulls[(f"{owner}/{repo}".lower(), number)]
        pull["head"]["sha"] = head_sha
        self.known_shas.add(head_sha)
        if diff is not None:
            pull["diff"] = diff

    def set_file(self, owner: str, repo: str, ref: str, path: str, text: str) -> str:
        """A file at `ref` (a branch, or a sha matched exactly); a PR's head or base sha sees its branch's."""
        self.files[(f"{owner}/{repo}".lower(), ref, path.strip("/"))] = text
        return blob_sha(text)

    def set_permission(self, owner: str, repo: str, user: str, role: str) -> None:
        self.roles[(f"{owner}/{repo}".lower(), user.lower())] = role

    def add_comment(self, owner: str, repo: str, number: int, body: str, *, user: str) -> dict[str, Any]:
        """A comment someone else wrote (a slash command)."""
        return self._new_comment(f"{owner}/{repo}", number, body, {"login": user, "type": "User"})

    def runs_for(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
        full = f"{owner}/{repo}".lower()
        return [r for r in self.check_runs if r["repository"] == full and r["head_sha"] == sha]

    # Shared by both sides.

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def _now(self) -> str:
        self._ticks += 1
        return (_EPOCH + timedelta(seconds=self._ticks)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _new_comment(self, full: str, number: int, body: str, user: dict[str, str]) -> dict[str, Any]:
        comment = {
            "id": self._next_id(),
            "body": body,
            "user": user,
            "created_at": self._now(),
            "issue_number": number,
            "repository": full.lower(),
        }
        self.comments.append(comment)
        return comment


class FakeInstallation:
    """One installation's client over a `FakeClient`: the methods of `app.github.Installation`."""

    def __init__(self, world: FakeClient, installation_id: int) -> None:
        self.world = world
        self.installation_id = installation_id

    def _repo(self, owner: str, repo: str, permission: str, level: str) -> str:
        held = self.world.token_permissions.get(permission, "none")
        if LEVELS[held] < LEVELS[level]:
            raise GitHubError(f"Resource not accessible by integration ({permission}: {level})", status=403)
        full = f"{owner}/{repo}".lower()
        if self.world.repos.get(full) != self.installation_id:
            raise NotFound(f"{owner}/{repo}: Not Found", status=404)
        return full

    def _pull(self, owner: str, repo: str, number: int, permission: str = "pull_requests") -> dict[str, Any]:
        full = self._repo(owner, repo, permission, "read")
        found = self.world.pulls.get((full, number))
        if found is None:
            raise NotFound(f"{owner}/{repo}#{number}: Not Found", status=404)
        return found

    async def get_pull(self, owner: str, repo: str, number: int) -> dict[str, Any]:
        return _public(self._pull(owner, repo, number))

    async def get_diff(self, owner: str, repo: str, number: int) -> str:
        pull = self._pull(owner, repo, number)
        files = files_from_diff(pull["diff"])
        lines = sum(f["additions"] + f["deletions"] for f in files)
        if len(files) > self.world.max_diff_files or lines > self.world.max_diff_lines:
            raise DiffTooLarge("the diff exceeded the maximum number of files or lines", status=406)
        return str(pull["diff"])

    async def list_files(self, owner: str, repo: str, number: int) -> tuple[list[dict[str, Any]], bool]:
        files = files_from_diff(self._pull(owner, repo, number)["diff"])
        return files[: self.world.max_listed_files], len(files) >= self.world.max_listed_files

    async def get_file(
        self, owner: str, repo: str, path: str, ref: str | None, *, max_bytes: int | None = None
    ) -> tuple[str, str] | None:
        full = self._repo(owner, repo, "contents", "read")
        path = path.strip("/")
        refs = [ref or "main"]
        for pull in (p for (name, _), p in self.world.pulls.items() if name == full):
            refs += [side["ref"] for side in (pull["head"], pull["base"]) if side["sha"] == ref]
        text = next(
            (self.world.files[(full, r, path)] for r in refs if (full, r, path) in self.world.files), None
        )
        if text is None:
            return None
        if max_bytes is not None and len(text.encode()) > max_bytes:
            raise FileTooLarge(path, len(text.encode()))
        return text, blob_sha(text)

    async def find_check_run(self, owner: str, repo: str, head_sha: str, name: str) -> dict[str, Any] | None:
        self._repo(owner, repo, "checks", "read")
        runs = [r for r in self.world.runs_for(owner, repo, head_sha) if r["name"] == name]
        return _public(min(runs, key=lambda r: int(r["id"]))) if runs else None

    async def create_check_run(self, owner: str, repo: str, body: dict[str, Any]) -> dict[str, Any]:
        full = self._repo(owner, repo, "checks", "write")
        _refused(lambda: rules.validate_run(body, create=True, limits=self.world))
        if body["head_sha"] not in self.world.known_shas:
            raise GitHubError(f"No commit found for SHA: {body['head_sha']}", status=422)
        run: dict[str, Any] = {
            "id": self.world._next_id(),
            "head_sha": body["head_sha"],
            "name": body["name"],
            "external_id": "",
            "status": "queued",
            "conclusion": None,
            "started_at": self.world._now(),
            "completed_at": None,
            "output": {"title": None, "summary": None, "text": None, "annotations_count": 0},
            "app": {"id": self.world.app_id, "slug": self.world.app_slug},
            "pull_requests": [],
            "actions": [],
            "annotations": [],
            "repository": full,
        }
        self._apply(run, body)
        self.world.check_runs.append(run)
        return _public(run)

    async def update_check_run(
        self, owner: str, repo: str, run_id: int, body: dict[str, Any]
    ) -> dict[str, Any]:
        full = self._repo(owner, repo, "checks", "write")
        run = next((r for r in self.world.check_runs if r["id"] == run_id and r["repository"] == full), None)
        if run is None:
            raise NotFound(f"check run {run_id}: Not Found", status=404)
        if run["app"]["id"] != self.world.app_id:
            raise GitHubError("check run can only be modified by the GitHub App that created it", status=403)
        _refused(lambda: rules.validate_run(body, create=False, limits=self.world))
        self._apply(run, body)
        return _public(run)

    def _apply(self, run: dict[str, Any], body: dict[str, Any]) -> None:
        for key in ("name", "external_id", "details_url", "started_at", "completed_at"):
            if key in body:
                run[key] = body[key]
        if body.get("conclusion") is not None:  # as GitHub does: a conclusion completes the run
            run["conclusion"], run["status"] = body["conclusion"], "completed"
        elif "status" in body:
            run["status"] = body["status"]
        if run["status"] == "completed" and not run["completed_at"]:
            run["completed_at"] = self.world._now()
        if "output" in body:
            run["annotations"].extend(body["output"].get("annotations") or [])
            run["output"].update(
                title=body["output"]["title"],
                summary=body["output"]["summary"],
                text=body["output"].get("text"),
                annotations_count=len(run["annotations"]),
            )
        if "actions" in body:
            run["actions"] = list(body["actions"])

    async def list_commits(self, owner: str, repo: str, number: int) -> list[tuple[str, str]]:
        pull = self._pull(owner, repo, number)
        sha = pull["head"]["sha"]
        return [
            (hashlib.sha1(f"{sha}{i}".encode()).hexdigest(), m) for i, m in enumerate(pull["commits"][:250])
        ]

    async def list_check_runs(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
        self._repo(owner, repo, "checks", "read")
        latest: dict[tuple[int, str], dict[str, Any]] = {}
        for run in sorted(self.world.runs_for(owner, repo, sha), key=lambda r: int(r["id"])):
            latest[(run["app"]["id"], run["name"])] = run
        return [_public(r) for r in latest.values()][:100]

    async def list_statuses(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
        try:
            full = self._repo(owner, repo, "statuses", "read")
        except GitHubError as exc:
            if exc.status != 403:
                raise
            return []  # as the real client: an installation without the statuses permission yet
        return list(self.world.statuses.get(f"{full}@{sha}", ()))

    async def permission(self, owner: str, repo: str, user: str) -> str:
        full = self._repo(owner, repo, "metadata", "read")
        return self.world.roles.get((full, user.lower()), "none")

    async def react(self, owner: str, repo: str, comment_id: int, content: str) -> None:
        full = self._repo(owner, repo, "issues", "write")
        comment = next(
            (c for c in self.world.comments if c["id"] == comment_id and c["repository"] == full), None
        )
        if comment is None:
            raise NotFound(f"comment {comment_id}: Not Found", status=404)
        _refused(lambda: rules.reaction_content({"content": content}))
        bot = f"{self.world.app_slug}[bot]"
        if not any(
            (r["comment_id"], r["content"], r["user"]["login"]) == (comment_id, content, bot)
            for r in self.world.reactions
        ):
            self.world.reactions.append(
                {"comment_id": comment_id, "content": content, "user": {"login": bot}}
            )

    async def comment(self, owner: str, repo: str, number: int, body: str) -> dict[str, Any]:
        self._pull(owner, repo, number, permission="issues")
        self._repo(owner, repo, "issues", "write")
        text = _refused(lambda: rules.comment_body({"body": body[:65_000]}, self.world))
        bot = {"login": f"{self.world.app_slug}[bot]", "type": "Bot"}
        return _public(self.world._new_comment(f"{owner}/{repo}", number, text, bot))

    async def create_review(
        self,
        owner: str,
        repo: str,
        number: int,
        commit_id: str,
        body: str,
        comments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        pull = self._pull(owner, repo, number)
        self._repo(owner, repo, "pull_requests", "write")
        payload: dict[str, Any] = {"commit_id": commit_id, "event": "COMMENT", "body": body[:65_000]}
        if comments:
            payload["comments"] = comments
        patches = {f["filename"]: f.get("patch") for f in files_from_diff(pull["diff"])}
        state, text, notes = _refused(lambda: rules.validate_review(payload, patches, self.world))
        review = {"id": self.world._next_id(), "state": state, "body": text, "commit_id": commit_id}
        self.world.reviews.append({**review, "comments": notes, "number": number})
        return review

    async def list_pulls_for_commit(self, owner: str, repo: str, sha: str) -> list[dict[str, Any]]:
        full = self._repo(owner, repo, "pull_requests", "read")
        return [
            _public(p)
            for (name, _), p in self.world.pulls.items()
            if name == full and p["head"]["sha"] == sha
        ]

    async def list_deliveries(
        self, cursor: str | None, per_page: int = 100
    ) -> tuple[list[dict[str, Any]], str | None]:
        start = int(cursor or 0)
        page = self.world.deliveries[start : start + per_page]
        more = start + per_page < len(self.world.deliveries)
        return [dict(d) for d in page], str(start + per_page) if more else None

    async def redeliver(self, delivery_id: int) -> None:
        if not any(d["id"] == delivery_id for d in self.world.deliveries):
            raise NotFound(f"delivery {delivery_id}: Not Found", status=404)
        self.world.redelivery_attempts.append(delivery_id)


def _refused(check: Callable[[], T]) -> T:
    """Run one of `rules`' checks; its refusal comes out as the real client's error."""
    try:
        return check()
    except _Fail as fail:
        raise GitHubError(str(fail), status=fail.status) from None


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """A copy without the keys only the fake keeps (a pull's diff and commits, a run's repository)."""
    hidden = ("diff", "commits", "repository", "annotations")
    return copy.deepcopy({k: v for k, v in record.items() if k not in hidden})
