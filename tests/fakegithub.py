"""A loopback GitHub REST server for tests.

``FakeGitHub`` is a real HTTP server (Starlette on uvicorn, in a background thread, on 127.0.0.1 with an
OS-chosen port) that speaks the REST subset agentbudget uses, answers with GitHub-shaped JSON (every
response validates against githubkit's models), records what clients send, and rejects what GitHub
rejects (check-run limits, bad JWTs, unknown or expired tokens, oversize diffs, ...).

    with FakeGitHub().serve() as fake:
        fake.add_installation(1, "acme")
        fake.add_repo("acme", "widgets", installation_id=1)
        ...

Pointing githubkit at it (0.16.1):

* ``GitHub(AppAuthStrategy(str(fake.app_id), fake.private_key_pem).as_installation(1), base_url=fake.url)``
  works; githubkit appends the trailing slash itself and joins the API paths below it.
* Pass ``cache_strategy=MemCacheStrategy()`` (``githubkit.cache``) per client in tests: the default cache
  is process-global and keeps JWTs (by app id) and installation tokens (by app + installation id) across
  clients, so a second FakeGitHub (new key, new tokens) would get another server's credentials.
* Pass ``auto_retry=False`` unless a test means to exercise retries: by default githubkit retries 5xx
  three times sleeping 1 s, 4 s, 9 s, and a rate limit once after ``retry-after``.
* The diff: ``await gh.rest.pulls.async_get(o, r, n, headers={"Accept": "application/vnd.github.diff"})``
  then ``resp.text`` (do not touch ``parsed_data``: it would try to parse the diff as a PullRequest).
  A too-large diff raises ``githubkit.exception.RequestFailed`` with ``response.status_code == 406``.

Facts the fake models that a client must cope with: ``permission`` in the collaborator-permission answer
is the legacy value (maintain -> write, triage -> read); the exact role is ``role_name``. Check runs on a
fork PR's head have an empty ``pull_requests`` list. Expired or revoked installation tokens get 401 even
while the client still caches them.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import itertools
import json
import random
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jwt
import uvicorn
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tests.github_models import violation

__all__ = ["FakeGitHub", "RecordedRequest"]

DOCS = "https://docs.github.com/rest"
WEB = "https://github.com"
CHECK_STATUSES = {"queued", "in_progress", "completed", "waiting", "requested", "pending"}
CHECK_CONCLUSIONS = {
    "action_required",
    "cancelled",
    "failure",
    "neutral",
    "success",
    "skipped",
    "stale",
    "timed_out",
}
ANNOTATION_LEVELS = {"notice", "warning", "failure"}
REACTIONS = {"+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"}
STATUS_STATES = {"error", "failure", "pending", "success"}
PERMISSIONS = {"admin", "maintain", "write", "triage", "read", "none"}
# The legacy `permission` field only knows admin/write/read/none.
LEGACY_PERMISSION = {"maintain": "write", "triage": "read"}
# An installation token carries what the App asked for in the project's app.yml, no more: a route the app
# calls without the permission answers 403, so a permission missing from app.yml fails a test.
TOKEN_PERMISSIONS: dict[str, str] = dict(
    yaml.safe_load((Path(__file__).resolve().parent.parent / "app.yml").read_text())["default_permissions"]
)
# What each repository route needs of the token (GitHub's "permissions required" per endpoint).
ROUTE_PERMISSIONS: dict[str, tuple[str, str]] = {
    "_get_repo_route": ("metadata", "read"),
    "_get_pull": ("pull_requests", "read"),
    "_list_pull_files": ("pull_requests", "read"),
    "_pull_commits": ("pull_requests", "read"),
    "_post_review": ("pull_requests", "write"),
    "_get_contents": ("contents", "read"),
    "_post_check_run": ("checks", "write"),
    "_get_check_run": ("checks", "read"),
    "_patch_check_run": ("checks", "write"),
    "_list_annotations": ("checks", "read"),
    "_commit_pulls": ("pull_requests", "read"),
    "_list_check_runs": ("checks", "read"),
    "_combined_status": ("statuses", "read"),
    "_post_status": ("statuses", "write"),
    "_list_comments": ("issues", "read"),
    "_post_comment": ("issues", "write"),
    "_patch_comment": ("issues", "write"),
    "_post_reaction": ("issues", "write"),
    "_permission": ("metadata", "read"),
}
LEVELS = {"read": 1, "write": 2, "admin": 3}
# Keys kept on records for tests that GitHub does not return in the resource itself.
RECORD_ONLY = ("annotations", "actions", "comments", "comment_id", "repository", "issue_number")
REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    status: int
    headers: dict[str, str]  # lower-case names; the Authorization value is reduced to its scheme
    body: Any  # parsed JSON body, or None


class _Fail(Exception):
    """Ends a request with a GitHub-shaped error."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[Any] | None = None,
        docs: str = DOCS,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, "documentation_url": docs, "status": str(status)}
        if errors is not None:
            self.body["errors"] = errors
        self.headers = headers or {}


def _invalid(detail: str, docs: str = f"{DOCS}/checks/runs") -> _Fail:
    return _Fail(422, f"Invalid request.\n\n{detail}", docs=docs)


def _unprocessable(*errors: str) -> _Fail:
    return _Fail(422, "Unprocessable Entity", errors=list(errors))


@dataclass
class _Call:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    headers: Headers
    body: Any


@dataclass
class _Installation:
    id: int
    account: str
    account_type: str
    suspended: bool


@dataclass
class _Repo:
    owner: str
    name: str
    id: int
    installation_id: int
    default_branch: str
    created_at: str

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class _PR:
    repo: _Repo
    number: int
    id: int
    title: str
    body: str
    user: str
    user_type: str
    draft: bool
    labels: list[str]
    fork: bool
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    diff: str
    files: list[dict[str, Any]]
    created_at: str
    commit_messages: list[str] = field(default_factory=lambda: ["A change"])


@dataclass
class _Token:
    installation_id: int
    expires_at: datetime
    permissions: dict[str, str]
    revoked: bool = False


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    remaining: int
    headers: dict[str, str]
    body: dict[str, Any] | str | None


@dataclass
class _Page:
    items: list[Any]
    link: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def blob_sha(text: str) -> str:
    """The git blob id of ``text`` (what GitHub reports as a file's ``sha``)."""
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def files_from_diff(diff: str) -> list[dict[str, Any]]:
    """The "list pull request files" entries a unified git diff describes (without URLs)."""
    files = []
    for section in re.split(r"(?m)^(?=diff --git )", diff):
        if not section.startswith("diff --git "):
            continue
        lines = section.splitlines()
        header = re.match(r"diff --git a/(.*) b/(.*)$", lines[0])
        old, new = header.groups() if header else ("", "")
        status, previous, adds, dels = "modified", None, 0, 0
        patch: list[str] = []
        for line in lines[1:]:
            if patch:
                patch.append(line)
                if line.startswith("+"):
                    adds += 1
                elif line.startswith("-"):
                    dels += 1
            elif line.startswith("@@"):
                patch.append(line)
            elif line.startswith("new file mode"):
                status = "added"
            elif line.startswith("deleted file mode"):
                status = "removed"
            elif line.startswith("rename from "):
                status, previous = "renamed", line.removeprefix("rename from ")
            elif line.startswith("rename to "):
                new = line.removeprefix("rename to ")
            elif line.startswith("+++ ") and line != "+++ /dev/null":
                new = line[4:].removeprefix("b/")
        entry: dict[str, Any] = {
            "filename": old if status == "removed" else new,
            "status": status,
            "additions": adds,
            "deletions": dels,
            "changes": adds + dels,
        }
        if patch:
            entry["patch"] = "\n".join(patch)
        if previous is not None:
            entry["previous_filename"] = previous
        files.append(entry)
    return files


def _patch_lines(patch: str) -> tuple[set[int], set[int]]:
    """Lines a review comment may target: (RIGHT side numbers, LEFT side numbers)."""
    right: set[int] = set()
    left: set[int] = set()
    old = new = 0
    for line in patch.splitlines():
        hunk = re.match(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@", line)
        if hunk:
            old, new = int(hunk[1]), int(hunk[2])
        elif line.startswith("+"):
            right.add(new)
            new += 1
        elif line.startswith("-"):
            left.add(old)
            old += 1
        elif not line.startswith("\\"):
            right.add(new)
            left.add(old)
            new += 1
            old += 1
    return right, left


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in RECORD_ONLY}


def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(data),
        status,
        headers=headers,
        media_type="application/json; charset=utf-8",
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class Hold:
    """A parked request: `arrived` is set when it comes in; `release()` lets it through."""

    def __init__(self, method: str, pattern: re.Pattern[str]) -> None:
        self.method, self.pattern = method, pattern
        self.arrived = threading.Event()
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()


class FakeGitHub:
    # Limits GitHub applies; tests may lower them.
    max_diff_files = 300
    max_diff_lines = 20_000
    max_listed_files = 3000
    max_body_chars = 65_535
    max_comment_chars = 65_536
    max_annotations = 50
    max_actions = 3

    def __init__(self, *, app_id: int = 4242, private_key_pem: str | None = None) -> None:
        self.app_id = app_id
        self.app_slug = "agentbudget"
        if private_key_pem is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            private_key_pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
        self.private_key_pem = private_key_pem
        # PEM bytes: what jwt.decode takes for an RS256 key.
        self._public_key = (
            serialization.load_pem_private_key(private_key_pem.encode(), None)
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        self.url = ""
        self._lock = threading.RLock()
        self._ids = itertools.count(1001)
        self._run_ids = itertools.count(20_000_000_001)  # above 2**32, like real ids
        self._started = _now()
        self._rate_used = 0

        self._installations: dict[int, _Installation] = {}
        self._repos: dict[str, _Repo] = {}
        self._prs: dict[tuple[str, int], _PR] = {}
        self._contents: dict[tuple[str, str, str], str] = {}
        self._holds: list[Hold] = []
        self._shares: list[tuple[str, re.Pattern[str], int, float, dict[str, str]]] = []
        self._random = random.Random(0)
        self.completions: list[tuple[float, str, str]] = []  # (monotonic time, repo, head sha) per completion
        self.latency = 0.0  # seconds added to every answer (realistic round trips for benchmarks)
        self._permissions: dict[tuple[str, str], str] = {}
        self._tokens: dict[str, _Token] = {}
        self._users: dict[str, int] = {}
        self._statuses: list[dict[str, Any]] = []
        self._deliveries: list[dict[str, Any]] = []
        self._faults: list[_Fault] = []
        self._foreign_apps: dict[int, str] = {}
        self._manifests: dict[str, dict[str, Any]] = {}  # one-time manifest-flow codes

        # Every answer is checked against GitHub's published response models (tests/github_models.py).
        self.validate_responses = True
        # Commits the repositories hold (PR heads, past heads, bases): a check run on another sha is a 422.
        self.known_shas: set[str] = set()
        self.token_permissions: dict[str, str] = dict(TOKEN_PERMISSIONS)
        self.violations: list[str] = []
        self.requests: list[RecordedRequest] = []
        self.check_runs: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.reactions: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.redelivery_attempts: list[int] = []

    # ------------------------------------------------------------------ serving

    @contextlib.contextmanager
    def serve(self) -> Iterator[FakeGitHub]:
        config = uvicorn.Config(
            self._asgi,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            http="h11",
            ws="none",
            interface="asgi3",
            timeout_graceful_shutdown=5,
        )
        ready = threading.Event()
        server = _Server(config, ready)
        thread = threading.Thread(target=server.run, name="fakegithub", daemon=True)
        thread.start()
        while not ready.wait(0.05):
            if not thread.is_alive():
                raise RuntimeError("FakeGitHub: uvicorn failed to start")
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        try:
            yield self
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    # ------------------------------------------------------------------ state setup

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

    # ------------------------------------------------------------------ HTTP plumbing

    def hold(self, method: str, pattern: str) -> Hold:
        """Park the next matching request until the test releases it (to act while a job is mid-call)."""
        held = Hold(method, re.compile(pattern))
        with self._lock:
            self._holds.append(held)
        return held

    async def _asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        raw = await request.body()
        if self.latency:
            await asyncio.sleep(self.latency)
        with self._lock:
            held = next(
                (
                    h
                    for h in self._holds
                    if not h.arrived.is_set()
                    and h.method in ("*", request.method)
                    and h.pattern.fullmatch(request.scope["path"])
                ),
                None,
            )
            if held is not None:
                held.arrived.set()
        if held is not None:
            await asyncio.to_thread(held.released.wait, 60)
        response = self._handle(request, raw)
        await response(scope, receive, send)

    def _handle(self, request: Request, raw: bytes) -> Response:
        method, path = request.method, request.scope["path"]
        query = dict(request.query_params)
        body: Any = None
        with self._lock:
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            try:
                response = self._fault(method, path)
                if response is None:
                    if isinstance(body, str):
                        raise _Fail(400, "Problems parsing JSON")
                    response = self._route(_Call(method, path, {}, query, request.headers, body))
            except _Fail as err:
                response = _json(err.status, err.body, err.headers)
            self._rate_used += 1
            rate = {
                "x-ratelimit-limit": "5000",
                "x-ratelimit-remaining": str(max(0, 5000 - self._rate_used)),
                "x-ratelimit-reset": str(int(self._started.timestamp()) + 3600),
                "x-ratelimit-used": str(self._rate_used),
                "x-ratelimit-resource": "core",
                "x-github-request-id": secrets.token_hex(4).upper() + ":" + secrets.token_hex(6).upper(),
                "x-github-media-type": "github.v3; format=json",
            }
            for name, value in rate.items():
                if name not in response.headers:
                    response.headers[name] = value
            headers = {k.lower(): v for k, v in request.headers.items()}
            if "authorization" in headers:
                headers["authorization"] = headers["authorization"].split(" ", 1)[0] + " [redacted]"
            self.requests.append(RecordedRequest(method, path, query, response.status_code, headers, body))
        return response

    def _fault(self, method: str, path: str) -> Response | None:
        for share_method, pattern, status, share, headers in self._shares:
            if share_method in ("*", method) and pattern.fullmatch(path) and self._random.random() < share:
                fault = _Fault(share_method, pattern, status, 1, headers, None)
                return self._answer(fault)
        for fault in self._faults:
            if fault.remaining > 0 and fault.method in ("*", method) and fault.pattern.fullmatch(path):
                fault.remaining -= 1
                return self._answer(fault)
        return None

    def _answer(self, fault: _Fault) -> Response:
        body = fault.body
        if body is None:
            body = self._fault_body(fault)
        if isinstance(body, str):
            return Response(body, fault.status, headers=fault.headers, media_type="text/html")
        return _json(fault.status, body, fault.headers)

    def _fault_body(self, fault: _Fault) -> dict[str, Any] | str:
        if fault.status >= 500:
            return (
                f"<html><head><title>{fault.status}</title></head><body><h1>{fault.status} "
                "Server Error</h1><p>We couldn't respond to your request in time.</p></body></html>"
            )
        if fault.status in (403, 429) and "retry-after" in fault.headers:
            return {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
                "try again. If you reach out to GitHub Support for help, please include the request ID.",
                "documentation_url": (
                    f"{DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
                ),
                "status": str(fault.status),
            }
        if fault.status in (403, 429) and fault.headers.get("x-ratelimit-remaining") == "0":
            return {
                "message": "API rate limit exceeded for installation ID 1.",
                "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
                "status": str(fault.status),
            }
        return {"message": "Error", "documentation_url": DOCS, "status": str(fault.status)}

    def _route(self, call: _Call) -> Response:
        for method, pattern, name in _ROUTES:
            match = pattern.fullmatch(call.path)
            if match and method == call.method:
                call.params = match.groupdict()
                handler: Callable[[_Call], Response] = getattr(self, name)
                self._require_permission(call, name)
                response = handler(call)
                if self.validate_responses:
                    found = violation(name, response.status_code, response.media_type, bytes(response.body))
                    if found is not None:
                        self.violations.append(found)
                        raise _Fail(500, f"the fake answered what GitHub never would: {found[:300]}")
                return response
        raise _Fail(404, "Not Found")

    # ------------------------------------------------------------------ auth

    def _require_jwt(self, call: _Call) -> None:
        scheme, _, credential = call.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not credential:
            raise _Fail(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(
                credential,
                self._public_key,
                algorithms=["RS256"],
                leeway=5,
                options={"require": ["iat", "exp", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise _Fail(
                401,
                "'Expiration time' claim ('exp') must be a numeric value representing the "
                "future time at which the assertion expires",
            ) from None
        except jwt.ImmatureSignatureError:
            raise _Fail(
                401,
                "'Issued at' claim ('iat') must be an Integer representing the time that "
                "the assertion was issued",
            ) from None
        except jwt.PyJWTError:
            raise _Fail(401, "A JSON web token could not be decoded") from None
        if str(claims["iss"]) != str(self.app_id):
            raise _Fail(401, "A JSON web token could not be decoded")
        if int(claims["exp"]) - int(claims["iat"]) > 660:
            raise _Fail(401, "'Expiration time' claim ('exp') is too far in the future")

    def _require_token(self, call: _Call) -> _Token:
        scheme, _, credential = call.headers.get("authorization", "").partition(" ")
        if not credential:
            raise _Fail(401, "Requires authentication")
        token = self._tokens.get(credential) if scheme.lower() in ("token", "bearer") else None
        if token is None or token.revoked or token.expires_at <= _now():
            raise _Fail(401, "Bad credentials")
        return token

    def _require_permission(self, call: _Call, handler: str) -> None:
        needed = ROUTE_PERMISSIONS.get(handler)
        if needed is None:
            return
        token = self._require_token(call)
        name, level = needed
        if LEVELS.get(token.permissions.get(name, ""), 0) < LEVELS[level]:
            raise _Fail(403, "Resource not accessible by integration", docs=f"{DOCS}/{handler.strip('_')}")

    def set_token_permissions(self, permissions: dict[str, str]) -> None:
        """What tokens minted from now on carry (an installation that accepted fewer permissions)."""
        with self._lock:
            self.token_permissions = dict(permissions)

    def _repo_for(self, call: _Call) -> _Repo:
        """The URL's repository, if the caller's installation token may see it (404 otherwise, as
        GitHub hides repositories a token cannot access)."""
        token = self._require_token(call)
        repo = self._repos.get(f"{call.params['owner']}/{call.params['repo']}".lower())
        if repo is None or repo.installation_id != token.installation_id:
            raise _Fail(404, "Not Found")
        return repo

    def _pr_for(self, call: _Call) -> tuple[_Repo, _PR]:
        repo = self._repo_for(call)
        pr = self._prs.get((repo.full_name.lower(), int(call.params["number"])))
        if pr is None:
            raise _Fail(404, "Not Found")
        return repo, pr

    def _get_repo(self, owner: str, repo: str) -> _Repo:
        found = self._repos.get(f"{owner}/{repo}".lower())
        if found is None:
            raise KeyError(f"add_repo({owner!r}, {repo!r}, ...) first")
        return found

    # ------------------------------------------------------------------ JSON shapes

    def _user_id(self, login: str) -> int:
        return self._users.setdefault(login.lower(), next(self._ids))

    def _user_json(self, login: str, type_: str = "User") -> dict[str, Any]:
        uid = self._user_id(login)
        api = f"{self.url}/users/{login}"
        return {
            "login": login,
            "id": uid,
            "node_id": f"U_{uid}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{WEB}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": type_,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _bot_json(self) -> dict[str, Any]:
        return self._user_json(f"{self.app_slug}[bot]", "Bot")

    def _app_json(self, app_id: int | None = None) -> dict[str, Any]:
        app_id = app_id or self.app_id
        slug = self.app_slug if app_id == self.app_id else self._foreign_apps.get(app_id, f"app-{app_id}")
        owner = next(iter(self._installations.values()), None)
        when = _iso(self._started)
        return {
            "id": app_id,
            "slug": slug,
            "node_id": f"A_{app_id}",
            "client_id": f"Iv1.{app_id:016x}",
            "owner": self._user_json(owner.account if owner else "octo-org", "Organization"),
            "name": slug,
            "description": "",
            "external_url": f"{WEB}/apps/{slug}",
            "html_url": f"{WEB}/apps/{slug}",
            "created_at": when,
            "updated_at": when,
            "permissions": dict(TOKEN_PERMISSIONS) if app_id == self.app_id else {},
            "events": ["check_run", "issue_comment", "pull_request"] if app_id == self.app_id else [],
            "installations_count": len(self._installations) if app_id == self.app_id else 1,
        }

    def _installation_json(self, inst: _Installation) -> dict[str, Any]:
        when = _iso(self._started)
        return {
            "id": inst.id,
            "account": self._user_json(inst.account, inst.account_type),
            "repository_selection": "all",
            "access_tokens_url": f"{self.url}/app/installations/{inst.id}/access_tokens",
            "repositories_url": f"{self.url}/installation/repositories",
            "html_url": f"{WEB}/organizations/{inst.account}/settings/installations/{inst.id}",
            "app_id": self.app_id,
            "app_slug": self.app_slug,
            "target_id": self._user_id(inst.account),
            "target_type": inst.account_type,
            "permissions": dict(TOKEN_PERMISSIONS),
            "events": ["check_run", "issue_comment", "pull_request"],
            "created_at": when,
            "updated_at": when,
            "single_file_name": None,
            "has_multiple_single_files": False,
            "single_file_paths": [],
            "suspended_by": self._user_json(inst.account) if inst.suspended else None,
            "suspended_at": when if inst.suspended else None,
        }

    def _repo_json(self, repo: _Repo, *, owner: str | None = None, fork: bool = False) -> dict[str, Any]:
        owner = owner or repo.owner
        rid = repo.id + 1_000_000 if fork else repo.id
        full = f"{owner}/{repo.name}"
        api = f"{self.url}/repos/{full}"
        inst = self._installations.get(repo.installation_id)
        owner_type = inst.account_type if inst and not fork and inst.account == owner else "User"
        data: dict[str, Any] = {
            "id": rid,
            "node_id": f"R_{rid}",
            "name": repo.name,
            "full_name": full,
            "owner": self._user_json(owner, owner_type),
            "private": True,
            "visibility": "private",
            "html_url": f"{WEB}/{full}",
            "description": None,
            "fork": fork,
            "url": api,
            **{key: api + suffix for key, suffix in REPO_URLS.items()},
            "git_url": f"git://github.com/{full}.git",
            "ssh_url": f"git@github.com:{full}.git",
            "clone_url": f"{WEB}/{full}.git",
            "svn_url": f"{WEB}/{full}",
            "mirror_url": None,
            "homepage": None,
            "language": None,
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "size": 0,
            "default_branch": repo.default_branch,
            "open_issues_count": 0,
            "is_template": False,
            "topics": [],
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": False,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "pushed_at": repo.created_at,
            "created_at": repo.created_at,
            "updated_at": repo.created_at,
            "allow_forking": True,
            "web_commit_signoff_required": False,
            "subscribers_count": 0,
            "network_count": 0,
            "license": None,
            "forks": 0,
            "open_issues": 0,
            "watchers": 0,
        }
        return data

    def _label_json(self, repo: _Repo, name: str) -> dict[str, Any]:
        lid = int(hashlib.sha1(name.encode()).hexdigest()[:8], 16)
        return {
            "id": lid,
            "node_id": f"LA_{lid}",
            "url": f"{self.url}/repos/{repo.full_name}/labels/{name}",
            "name": name,
            "description": None,
            "color": "ededed",
            "default": False,
            "archived_by": None,
        }

    def _pr_json(self, pr: _PR) -> dict[str, Any]:
        repo = pr.repo
        api = f"{self.url}/repos/{repo.full_name}"
        html = f"{WEB}/{repo.full_name}/pull/{pr.number}"
        base_repo = self._repo_json(repo)
        head_owner = pr.user if pr.fork else repo.owner
        head_repo = self._repo_json(repo, owner=pr.user, fork=True) if pr.fork else base_repo
        user = self._user_json(pr.user, pr.user_type)
        additions = sum(int(f.get("additions", 0)) for f in pr.files)
        deletions = sum(int(f.get("deletions", 0)) for f in pr.files)
        links = {
            "self": f"{api}/pulls/{pr.number}",
            "html": html,
            "issue": f"{api}/issues/{pr.number}",
            "comments": f"{api}/issues/{pr.number}/comments",
            "review_comments": f"{api}/pulls/{pr.number}/comments",
            "review_comment": f"{api}/pulls/comments{{/number}}",
            "commits": f"{api}/pulls/{pr.number}/commits",
            "statuses": f"{api}/statuses/{pr.head_sha}",
        }
        return {
            "url": links["self"],
            "id": pr.id,
            "node_id": f"PR_{pr.id}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": links["issue"],
            "commits_url": links["commits"],
            "review_comments_url": links["review_comments"],
            "review_comment_url": links["review_comment"],
            "comments_url": links["comments"],
            "statuses_url": links["statuses"],
            "number": pr.number,
            "state": "open",
            "locked": False,
            "title": pr.title,
            "user": user,
            "body": pr.body or None,
            "labels": [self._label_json(repo, name) for name in pr.labels],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": pr.created_at,
            "updated_at": pr.created_at,
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": {
                "label": f"{head_owner}:{pr.head_ref}",
                "ref": pr.head_ref,
                "sha": pr.head_sha,
                "user": self._user_json(head_owner),
                "repo": head_repo,
            },
            "base": {
                "label": f"{repo.owner}:{pr.base_ref}",
                "ref": pr.base_ref,
                "sha": pr.base_sha,
                "user": self._user_json(repo.owner),
                "repo": base_repo,
            },
            "_links": {key: {"href": href} for key, href in links.items()},
            "author_association": "CONTRIBUTOR",
            "auto_merge": None,
            "draft": pr.draft,
            "merged": False,
            "mergeable": True,
            "rebaseable": True,
            "mergeable_state": "draft" if pr.draft else "clean",
            "merged_by": None,
            "comments": sum(1 for c in self.comments if self._is_comment_on(c, pr)),
            "review_comments": 0,
            "maintainer_can_modify": pr.fork,
            "commits": 1,
            "additions": additions,
            "deletions": deletions,
            "changed_files": len(pr.files),
        }

    def _is_comment_on(self, comment: dict[str, Any], pr: _PR) -> bool:
        return bool(comment["repository"] == pr.repo.full_name and comment["issue_number"] == pr.number)

    def _file_json(self, repo: _Repo, pr: _PR, entry: dict[str, Any]) -> dict[str, Any]:
        adds, dels = int(entry.get("additions", 0)), int(entry.get("deletions", 0))
        name = entry["filename"]
        data = {
            "sha": hashlib.sha1(f"{name}\0{entry.get('patch', '')}".encode()).hexdigest(),
            "filename": name,
            "status": entry.get("status", "modified"),
            "additions": adds,
            "deletions": dels,
            "changes": int(entry.get("changes", adds + dels)),
            "blob_url": f"{WEB}/{repo.full_name}/blob/{pr.head_sha}/{name}",
            "raw_url": f"{WEB}/{repo.full_name}/raw/{pr.head_sha}/{name}",
            "contents_url": f"{self.url}/repos/{repo.full_name}/contents/{name}?ref={pr.head_sha}",
        }
        for key in ("patch", "previous_filename"):
            if key in entry:
                data[key] = entry[key]
        return data

    def _minimal_pr_json(self, pr: _PR) -> dict[str, Any]:
        api = f"{self.url}/repos/{pr.repo.full_name}"
        repo = {"id": pr.repo.id, "url": api, "name": pr.repo.name}
        return {
            "url": f"{api}/pulls/{pr.number}",
            "id": pr.id,
            "number": pr.number,
            "head": {"ref": pr.head_ref, "sha": pr.head_sha, "repo": repo},
            "base": {"ref": pr.base_ref, "sha": pr.base_sha, "repo": repo},
        }

    def _run_json(self, run: dict[str, Any]) -> dict[str, Any]:
        data = _public(run)
        repo = self._repos[run["repository"].lower()]
        # Like GitHub: only same-repository PRs whose head is the run's sha (never forks).
        data["pull_requests"] = [
            self._minimal_pr_json(pr)
            for pr in self._prs.values()
            if pr.repo is repo and pr.head_sha == run["head_sha"] and not pr.fork
        ]
        data["app"] = self._app_json(run["app"]["id"])
        return data

    # ------------------------------------------------------------------ pagination

    def _paginate(self, call: _Call, items: list[Any]) -> _Page:
        per_page = min(max(_int(call.query.get("per_page"), 30), 1), 100)
        page = max(_int(call.query.get("page"), 1), 1)
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]

        def href(n: int) -> str:
            return f"{self.url}{call.path}?{urlencode({**call.query, 'per_page': per_page, 'page': n})}"

        rels = []
        if page > 1:
            rels += [(min(page - 1, last), "prev")]
        if page < last:
            rels += [(page + 1, "next"), (last, "last")]
        if page > 1:
            rels += [(1, "first")]
        return _Page(chunk, ", ".join(f'<{href(n)}>; rel="{rel}"' for n, rel in rels) or None)

    def _paged(self, call: _Call, items: list[Any], wrap: Callable[[list[Any]], Any] = list) -> Response:
        page = self._paginate(call, items)
        return _json(200, wrap(page.items), {"link": page.link} if page.link else None)

    # ------------------------------------------------------------------ apps & tokens

    def _create_token(self, call: _Call) -> Response:
        self._require_jwt(call)
        inst = self._installations.get(int(call.params["installation_id"]))
        if inst is None:
            raise _Fail(404, "Not Found")
        if inst.suspended:
            raise _Fail(403, "This installation has been suspended")
        body = call.body if isinstance(call.body, dict) else {}
        granted = self.token_permissions
        asked = body.get("permissions") or dict(granted)
        # A token may be narrowed below what the installation granted, never widened past it.
        permissions = {
            k: v for k, v in asked.items() if LEVELS.get(granted.get(k, ""), 0) >= LEVELS.get(v, 9)
        }
        token = "ghs_" + secrets.token_urlsafe(27).replace("-", "A").replace("_", "b")[:36]
        expires = (_now() + timedelta(hours=1)).replace(microsecond=0)
        self._tokens[token] = _Token(inst.id, expires, permissions)
        return _json(
            201,
            {
                "token": token,
                "expires_at": _iso(expires),
                "permissions": permissions,
                "repository_selection": "selected"
                if body.get("repositories") or body.get("repository_ids")
                else "all",
            },
        )

    def accept_manifest(self, manifest: dict[str, Any]) -> str:
        """What github.com's "Create GitHub App" page does with a posted manifest: a one-time code."""
        code = secrets.token_hex(10)
        with self._lock:
            self._manifests[code] = manifest
        return code

    def _convert_manifest(self, call: _Call) -> Response:
        # No authentication: the code itself is the credential, valid once (and for an hour on GitHub).
        manifest = self._manifests.pop(call.params["code"], None)
        if manifest is None:
            raise _Fail(404, "Not Found")
        app_id = 900_000 + len(self._foreign_apps) + 1
        slug = re.sub(r"[^a-z0-9-]+", "-", str(manifest.get("name", "app")).lower()).strip("-")
        self._foreign_apps[app_id] = slug
        data = self._app_json(app_id)
        data.update(
            permissions=dict(manifest.get("default_permissions") or {}),
            events=list(manifest.get("default_events") or []),
            client_secret=secrets.token_hex(20),
            webhook_secret=secrets.token_hex(20),
            pem=self.private_key_pem,
        )
        return _json(201, data)

    def _get_app(self, call: _Call) -> Response:
        self._require_jwt(call)
        return _json(200, self._app_json())

    def _get_installation(self, call: _Call) -> Response:
        self._require_jwt(call)
        inst = self._installations.get(int(call.params["installation_id"]))
        if inst is None:
            raise _Fail(404, "Not Found")
        return _json(200, self._installation_json(inst))

    def _get_repo_installation(self, call: _Call) -> Response:
        self._require_jwt(call)
        repo = self._repos.get(f"{call.params['owner']}/{call.params['repo']}".lower())
        if repo is None:
            raise _Fail(404, "Not Found")
        return _json(200, self._installation_json(self._installations[repo.installation_id]))

    def _list_deliveries(self, call: _Call) -> Response:
        self._require_jwt(call)
        per_page = min(max(_int(call.query.get("per_page"), 30), 1), 100)
        items = sorted(self._deliveries, key=lambda d: d["id"], reverse=True)
        if status := call.query.get("status"):
            ok = status == "success"
            items = [d for d in items if (200 <= d["status_code"] < 300) == ok]
        if cursor := call.query.get("cursor"):
            start = _int(cursor.removeprefix("v1_"), 0)
            items = [d for d in items if d["id"] <= start]
        page, rest = items[:per_page], items[per_page:]
        headers = None
        if rest:
            query = urlencode({**call.query, "per_page": per_page, "cursor": f"v1_{rest[0]['id']}"})
            headers = {"link": f'<{self.url}{call.path}?{query}>; rel="next"'}
        return _json(200, [dict(d) for d in page], headers)

    def _redeliver(self, call: _Call) -> Response:
        self._require_jwt(call)
        delivery_id = int(call.params["delivery_id"])
        if not any(d["id"] == delivery_id for d in self._deliveries):
            raise _Fail(404, "Not Found")
        self.redelivery_attempts.append(delivery_id)
        return _json(202, {})

    # ------------------------------------------------------------------ repos, pulls, contents

    def _get_repo_route(self, call: _Call) -> Response:
        return _json(200, self._repo_json(self._repo_for(call)))

    def _get_pull(self, call: _Call) -> Response:
        _, pr = self._pr_for(call)
        accept = call.headers.get("accept", "")
        if re.search(r"application/vnd\.github(\.v3)?\.diff", accept):
            lines = sum(int(f.get("additions", 0)) + int(f.get("deletions", 0)) for f in pr.files)
            if len(pr.files) > self.max_diff_files or lines > self.max_diff_lines:
                what, limit = (
                    ("files", self.max_diff_files)
                    if len(pr.files) > self.max_diff_files
                    else ("lines", self.max_diff_lines)
                )
                raise _Fail(
                    406,
                    f"Sorry, the diff exceeded the maximum number of {what} ({limit}). Consider using "
                    "'List pull requests files' API or locally cloning the repository instead.",
                    errors=[{"resource": "PullRequest", "field": "diff", "code": "too_large"}],
                    docs=f"{DOCS}/pulls/pulls#list-pull-requests-files",
                )
            return Response(pr.diff, 200, media_type="application/vnd.github.diff; charset=utf-8")
        return _json(200, self._pr_json(pr))

    def _pull_commits(self, call: _Call) -> Response:
        repo, pr = self._pr_for(call)
        api, web = f"{self.url}/repos/{repo.full_name}", f"{WEB}/{repo.full_name}"
        shas = [
            hashlib.sha1(f"{pr.head_sha}{i}".encode()).hexdigest() for i in range(len(pr.commit_messages))
        ]
        when = _now().strftime("%Y-%m-%dT%H:%M:%SZ")
        person = {"name": pr.user, "email": f"{pr.user}@example.com", "date": when}
        commits = []
        for i, (sha, message) in enumerate(zip(shas[:250], pr.commit_messages[:250], strict=False)):
            parent = shas[i - 1] if i else pr.base_sha
            tree = hashlib.sha1(f"tree{sha}".encode()).hexdigest()
            commits.append(
                {
                    "url": f"{api}/commits/{sha}",
                    "sha": sha,
                    "node_id": "C_" + sha[:20],
                    "html_url": f"{web}/commit/{sha}",
                    "comments_url": f"{api}/commits/{sha}/comments",
                    "commit": {
                        "url": f"{api}/git/commits/{sha}",
                        "message": message,
                        "author": person,
                        "committer": person,
                        "comment_count": 0,
                        "tree": {"sha": tree, "url": f"{api}/git/trees/{tree}"},
                        "verification": {
                            "verified": False,
                            "reason": "unsigned",
                            "signature": None,
                            "payload": None,
                            "verified_at": None,
                        },
                    },
                    "author": self._user_json(pr.user, pr.user_type),
                    "committer": self._user_json(pr.user, pr.user_type),
                    "parents": [
                        {
                            "sha": parent,
                            "url": f"{api}/commits/{parent}",
                            "html_url": f"{web}/commit/{parent}",
                        }
                    ],
                }
            )
        return self._paged(call, commits)

    def _commit_pulls(self, call: _Call) -> Response:
        """`GET /repos/{o}/{r}/commits/{sha}/pulls`: PRs whose head is this commit (forks included)."""
        repo = self._repo_for(call)
        sha = call.params["sha"]
        found = [
            self._pr_json(pr)
            for pr in self._prs.values()
            if pr.repo.full_name.lower() == repo.full_name.lower() and pr.head_sha == sha
        ]
        return self._paged(call, found)

    def _list_pull_files(self, call: _Call) -> Response:
        repo, pr = self._pr_for(call)
        files = [self._file_json(repo, pr, f) for f in pr.files[: self.max_listed_files]]
        return self._paged(call, files)

    def _get_contents(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        path = call.params["path"].strip("/")
        ref = call.query.get("ref") or repo.default_branch
        text = self._lookup_file(repo, ref, path)
        if text is None:
            raise _Fail(404, "Not Found", docs=f"{DOCS}/repos/contents#get-repository-content")
        data = text.encode()
        sha = blob_sha(text)
        if "application/vnd.github.raw" in call.headers.get("accept", ""):
            return Response(data, 200, media_type="application/vnd.github.raw")
        if len(data) > 1_000_000:
            # GitHub stops inlining content above 1 MB.
            content, encoding = "", "none"
        else:
            b64 = base64.b64encode(data).decode()
            content = "".join(b64[i : i + 60] + "\n" for i in range(0, len(b64), 60))
            encoding = "base64"
        api = f"{self.url}/repos/{repo.full_name}/contents/{path}?ref={ref}"
        html = f"{WEB}/{repo.full_name}/blob/{ref}/{path}"
        git = f"{self.url}/repos/{repo.full_name}/git/blobs/{sha}"
        return _json(
            200,
            {
                "type": "file",
                "encoding": encoding,
                "size": len(data),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": content,
                "sha": sha,
                "url": api,
                "git_url": git,
                "html_url": html,
                "download_url": f"https://raw.githubusercontent.com/{repo.full_name}/{ref}/{path}",
                "_links": {"self": api, "git": git, "html": html},
            },
        )

    def _lookup_file(self, repo: _Repo, ref: str, path: str) -> str | None:
        key = repo.full_name.lower()
        if (key, ref, path) in self._contents:
            return self._contents[(key, ref, path)]
        for pr in self._prs.values():
            if pr.repo is not repo:
                continue
            for sha, branch in ((pr.base_sha, pr.base_ref), (pr.head_sha, pr.head_ref)):
                if ref == sha and (key, branch, path) in self._contents:
                    return self._contents[(key, branch, path)]
        return None

    def _resolve_sha(self, repo: _Repo, ref: str) -> str:
        for pr in self._prs.values():
            if pr.repo is repo and ref == pr.head_ref:
                return pr.head_sha
        for pr in self._prs.values():
            if pr.repo is repo and ref == pr.base_ref:
                return pr.base_sha
        return ref

    def _permission(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        user = call.params["user"]
        role = self._permissions.get((repo.full_name.lower(), user.lower()))
        if role is None:
            raise _Fail(404, f"{user} is not a user", docs=f"{DOCS}/collaborators/collaborators")
        return _json(
            200,
            {
                "permission": LEGACY_PERMISSION.get(role, role),
                "role_name": "" if role == "none" else role,
                "user": {**self._user_json(user), "role_name": role},
            },
        )

    # ------------------------------------------------------------------ check runs

    def _validate_run(self, body: Any, *, create: bool) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _invalid("Request body must be a JSON object.")
        if create:
            for key in ("name", "head_sha"):
                if not isinstance(body.get(key), str) or not body[key]:
                    raise _invalid(f'"{key}" wasn\'t supplied.')
        elif "name" in body and not isinstance(body["name"], str):
            raise _invalid('"name" must be a string.')
        status, conclusion = body.get("status"), body.get("conclusion")
        if status is not None and status not in CHECK_STATUSES:
            raise _invalid(f"For 'properties/status', \"{status}\" is not one of {sorted(CHECK_STATUSES)}.")
        if conclusion is not None and conclusion not in CHECK_CONCLUSIONS:
            raise _invalid(
                f"For 'properties/conclusion', \"{conclusion}\" is not one of {sorted(CHECK_CONCLUSIONS)}."
            )
        if status == "completed" and conclusion is None:
            raise _invalid("No conclusion provided when status is completed.")
        if "output" in body:
            self._validate_output(body["output"])
        actions = body.get("actions")
        if actions is not None:
            if not isinstance(actions, list) or len(actions) > self.max_actions:
                raise _invalid(f"Only {self.max_actions} actions may be sent per request.")
            for action in actions:
                for key, limit in (("label", 20), ("description", 40), ("identifier", 20)):
                    value = action.get(key) if isinstance(action, dict) else None
                    if not isinstance(value, str) or not value:
                        raise _invalid(f"For 'items', \"{key}\" wasn't supplied.")
                    if len(value) > limit:
                        raise _invalid(f"For 'properties/{key}', {value!r} is longer than {limit} chars.")
        return body

    def _validate_output(self, output: Any) -> None:
        if not isinstance(output, dict):
            raise _invalid("For 'properties/output', must be an object.")
        for key in ("title", "summary"):
            if not isinstance(output.get(key), str):
                raise _invalid(f"For 'properties/output', \"{key}\" wasn't supplied.")
        for key in ("summary", "text"):
            value = output.get(key)
            if isinstance(value, str) and len(value) > self.max_body_chars:
                raise _invalid(
                    f"Only {self.max_body_chars} characters are allowed; {len(value)} were supplied."
                )
        annotations = output.get("annotations") or []
        if not isinstance(annotations, list):
            raise _invalid("For 'properties/annotations', must be an array.")
        if len(annotations) > self.max_annotations:
            raise _invalid(f"Only {self.max_annotations} annotations may be sent per request.")
        for note in annotations:
            if not isinstance(note, dict):
                raise _invalid("For 'items', must be an object.")
            for key in ("path", "start_line", "end_line", "annotation_level", "message"):
                if note.get(key) in (None, ""):
                    raise _invalid(f"For 'items', \"{key}\" wasn't supplied.")
            if not isinstance(note["start_line"], int) or not isinstance(note["end_line"], int):
                raise _invalid("For 'properties/start_line', must be an integer.")
            if note["annotation_level"] not in ANNOTATION_LEVELS:
                raise _invalid(
                    f"For 'properties/annotation_level', \"{note['annotation_level']}\" is not one of "
                    f"{sorted(ANNOTATION_LEVELS)}."
                )
            for key in ("message", "raw_details"):
                if len(str(note.get(key, "")).encode()) > 64 * 1024:
                    raise _invalid(f"For 'properties/{key}', is too long (maximum is 64 KB).")
            if ("start_column" in note or "end_column" in note) and note["start_line"] != note["end_line"]:
                raise _invalid("start_column and end_column need start_line == end_line.")

    def _apply_run(self, run: dict[str, Any], body: dict[str, Any]) -> None:
        for key in ("name", "external_id", "details_url", "started_at", "completed_at"):
            if key in body:
                run[key] = body[key]
        if body.get("conclusion") is not None:
            # As GitHub does: a conclusion completes the run.
            run["conclusion"], run["status"] = body["conclusion"], "completed"
        elif "status" in body:
            run["status"] = body["status"]
        if run["status"] == "completed" and not run["completed_at"]:
            run["completed_at"] = _iso(_now())
        if "output" in body:
            output = body["output"]
            run["annotations"].extend(output.get("annotations") or [])
            run["output"].update(
                {
                    "title": output["title"],
                    "summary": output["summary"],
                    "text": output.get("text"),
                    "annotations_count": len(run["annotations"]),
                }
            )
        if "actions" in body:
            run["actions"] = list(body["actions"])
        if run["status"] == "completed":
            self.completions.append((time.monotonic(), str(run["repository"]).lower(), run["head_sha"]))

    def _create_run(self, repo: _Repo, body: dict[str, Any], app_id: int) -> dict[str, Any]:
        body = self._validate_run(body, create=True)
        run_id = next(self._run_ids)
        api = f"{self.url}/repos/{repo.full_name}/check-runs/{run_id}"
        run: dict[str, Any] = {
            "id": run_id,
            "head_sha": body["head_sha"],
            "node_id": f"CR_{run_id}",
            "external_id": "",
            "url": api,
            "html_url": f"{WEB}/{repo.full_name}/runs/{run_id}",
            "details_url": None,
            "status": "queued",
            "conclusion": None,
            "started_at": _iso(_now()),
            "completed_at": None,
            "name": body["name"],
            "output": {
                "title": None,
                "summary": None,
                "text": None,
                "annotations_count": 0,
                "annotations_url": f"{api}/annotations",
            },
            "check_suite": {"id": run_id // 7},
            "app": {"id": app_id, "slug": self._app_json(app_id)["slug"]},
            "pull_requests": [],
            "annotations": [],
            "actions": [],
            "repository": repo.full_name,
        }
        self._apply_run(run, body)
        self.check_runs.append(run)
        return run

    def _run_for(self, call: _Call) -> tuple[_Repo, dict[str, Any]]:
        repo = self._repo_for(call)
        run_id = int(call.params["run_id"])
        for run in self.check_runs:
            if run["id"] == run_id and run["repository"] == repo.full_name:
                return repo, run
        raise _Fail(404, "Not Found")

    def _post_check_run(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        sha = call.body.get("head_sha") if isinstance(call.body, dict) else None
        if isinstance(sha, str) and sha not in self.known_shas:
            raise _Fail(422, f"No commit found for SHA: {sha}", docs=f"{DOCS}/checks/runs#create-a-check-run")
        return _json(201, self._run_json(self._create_run(repo, call.body, self.app_id)))

    def _patch_check_run(self, call: _Call) -> Response:
        _, run = self._run_for(call)
        if run["app"]["id"] != self.app_id:
            raise _Fail(
                403,
                f"Invalid app_id `{self.app_id}` - check run can only be modified by the "
                "GitHub App that created it.",
            )
        self._apply_run(run, self._validate_run(call.body, create=False))
        return _json(200, self._run_json(run))

    def _get_check_run(self, call: _Call) -> Response:
        _, run = self._run_for(call)
        return _json(200, self._run_json(run))

    def _list_annotations(self, call: _Call) -> Response:
        _, run = self._run_for(call)
        notes = [
            {
                "path": n["path"],
                "start_line": n["start_line"],
                "end_line": n["end_line"],
                "start_column": n.get("start_column"),
                "end_column": n.get("end_column"),
                "annotation_level": n["annotation_level"],
                "title": n.get("title"),
                "message": n["message"],
                "raw_details": n.get("raw_details"),
                "blob_href": f"{WEB}/blob/{run['head_sha']}/{n['path']}",
            }
            for n in run["annotations"]
        ]
        return self._paged(call, notes)

    def _list_check_runs(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        sha = self._resolve_sha(repo, call.params["ref"])
        runs = [r for r in self.check_runs if r["repository"] == repo.full_name and r["head_sha"] == sha]
        q = call.query
        if name := q.get("check_name"):
            runs = [r for r in runs if r["name"] == name]
        if status := q.get("status"):
            runs = [r for r in runs if r["status"] == status]
        if app_id := q.get("app_id"):
            runs = [r for r in runs if str(r["app"]["id"]) == app_id]
        if q.get("filter", "latest") == "latest":
            newest: dict[tuple[int, str], dict[str, Any]] = {}
            for run in runs:
                newest[(run["app"]["id"], run["name"])] = run
            runs = list(newest.values())
        runs = sorted(runs, key=lambda r: r["id"], reverse=True)
        return self._paged(
            call,
            [self._run_json(r) for r in runs],
            lambda page: {"total_count": len(runs), "check_runs": page},
        )

    # ------------------------------------------------------------------ statuses

    def _new_status(self, repo: _Repo, sha: str, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("state") not in STATUS_STATES:
            raise _unprocessable(f"State is not included in the list: {body.get('state')!r}")
        sid = next(self._ids)
        when = _iso(_now())
        status = {
            "url": f"{self.url}/repos/{repo.full_name}/statuses/{sha}",
            "avatar_url": None,
            "id": sid,
            "node_id": f"SC_{sid}",
            "state": body["state"],
            "description": body.get("description"),
            "target_url": body.get("target_url"),
            "context": body.get("context") or "default",
            "created_at": when,
            "updated_at": when,
            "creator": self._bot_json(),
            "repository": repo.full_name,
            "sha": sha,
        }
        self._statuses.append(status)
        return status

    def _post_status(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        body = call.body if isinstance(call.body, dict) else {}
        status = self._new_status(repo, call.params["sha"], body)
        return _json(201, {k: v for k, v in status.items() if k not in ("repository", "sha")})

    def _combined_status(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        sha = self._resolve_sha(repo, call.params["ref"])
        latest: dict[str, dict[str, Any]] = {}
        for status in self._statuses:
            if status["repository"] == repo.full_name and status["sha"] == sha:
                latest[status["context"]] = status
        statuses = [
            {k: v for k, v in s.items() if k not in ("repository", "sha", "creator")} for s in latest.values()
        ]
        states = {s["state"] for s in statuses}
        if states & {"error", "failure"}:
            state = "failure"
        elif not states or "pending" in states:
            state = "pending"
        else:
            state = "success"
        repo_json = self._repo_json(repo)
        api = f"{self.url}/repos/{repo.full_name}"
        return _json(
            200,
            {
                "state": state,
                "statuses": statuses,
                "sha": sha,
                "total_count": len(statuses),
                "repository": repo_json,
                "commit_url": f"{api}/commits/{sha}",
                "url": f"{api}/commits/{sha}/status",
            },
        )

    # ------------------------------------------------------------------ comments, reactions, reviews

    def _new_comment(self, repo: _Repo, number: int, body: str, user: str, user_type: str) -> dict[str, Any]:
        cid = next(self._ids)
        when = _iso(_now())
        api = f"{self.url}/repos/{repo.full_name}"
        comment = {
            "id": cid,
            "node_id": f"IC_{cid}",
            "url": f"{api}/issues/comments/{cid}",
            "html_url": f"{WEB}/{repo.full_name}/pull/{number}#issuecomment-{cid}",
            "body": body,
            "user": self._user_json(user, user_type),
            "created_at": when,
            "updated_at": when,
            "issue_url": f"{api}/issues/{number}",
            "author_association": "NONE" if user_type == "Bot" else "CONTRIBUTOR",
            "repository": repo.full_name,
            "issue_number": number,
        }
        self.comments.append(comment)
        return comment

    def _comment_body(self, call: _Call) -> str:
        body = call.body.get("body") if isinstance(call.body, dict) else None
        if not isinstance(body, str) or not body:
            raise _unprocessable("Body cannot be blank")
        if len(body) > self.max_comment_chars:
            raise _unprocessable(f"Body is too long (maximum is {self.max_comment_chars} characters)")
        return body

    def _post_comment(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        number = int(call.params["number"])
        if (repo.full_name.lower(), number) not in self._prs:
            raise _Fail(404, "Not Found")
        comment = self._new_comment(repo, number, self._comment_body(call), *self._bot_identity())
        return _json(201, _public(comment))

    def _bot_identity(self) -> tuple[str, str]:
        return f"{self.app_slug}[bot]", "Bot"

    def _list_comments(self, call: _Call) -> Response:
        repo = self._repo_for(call)
        number = int(call.params["number"])
        found = [
            _public(c)
            for c in self.comments
            if c["repository"] == repo.full_name and c["issue_number"] == number
        ]
        return self._paged(call, found)

    def _comment_for(self, call: _Call) -> dict[str, Any]:
        repo = self._repo_for(call)
        cid = int(call.params["comment_id"])
        for comment in self.comments:
            if comment["id"] == cid and comment["repository"] == repo.full_name:
                return comment
        raise _Fail(404, "Not Found")

    def _patch_comment(self, call: _Call) -> Response:
        comment = self._comment_for(call)
        comment["body"] = self._comment_body(call)
        comment["updated_at"] = _iso(_now())
        return _json(200, _public(comment))

    def _post_reaction(self, call: _Call) -> Response:
        comment = self._comment_for(call)
        content = call.body.get("content") if isinstance(call.body, dict) else None
        if content not in REACTIONS:
            raise _invalid(
                f"For 'properties/content', {json.dumps(content)} is not one of {sorted(REACTIONS)}.",
                docs=f"{DOCS}/reactions/reactions",
            )
        user = self._bot_json()
        for reaction in self.reactions:
            if (reaction["comment_id"], reaction["content"], reaction["user"]["login"]) == (
                comment["id"],
                content,
                user["login"],
            ):
                return _json(200, _public(reaction))
        rid = next(self._ids)
        reaction = {
            "id": rid,
            "node_id": f"REA_{rid}",
            "user": user,
            "content": content,
            "created_at": _iso(_now()),
            "comment_id": comment["id"],
            "repository": comment["repository"],
        }
        self.reactions.append(reaction)
        return _json(201, _public(reaction))

    def _post_review(self, call: _Call) -> Response:
        repo, pr = self._pr_for(call)
        body = call.body if isinstance(call.body, dict) else {}
        event = body.get("event")
        states = {
            "COMMENT": "COMMENTED",
            "APPROVE": "APPROVED",
            "REQUEST_CHANGES": "CHANGES_REQUESTED",
            None: "PENDING",
        }
        if event not in states:
            raise _unprocessable(f"Event is not included in the list: {event!r}")
        text = body.get("body") or ""
        comments = body.get("comments") or []
        if len(text) > self.max_comment_chars:
            raise _unprocessable(f"Body is too long (maximum is {self.max_comment_chars} characters)")
        if event in ("COMMENT", "REQUEST_CHANGES") and not text and not comments:
            raise _unprocessable("Review body is required")
        patches = {f["filename"]: f.get("patch") for f in pr.files}
        for note in comments:
            if not isinstance(note, dict) or not note.get("path") or not note.get("body"):
                raise _unprocessable("Review comments need path and body")
            if note["path"] not in patches:
                raise _unprocessable("Path could not be resolved")
            if "position" in note:
                continue
            right, left = _patch_lines(patches[note["path"]] or "")
            lines = left if note.get("side") == "LEFT" else right
            wanted = [note.get("line")] + ([note["start_line"]] if "start_line" in note else [])
            if any(not isinstance(n, int) or n not in lines for n in wanted):
                raise _unprocessable("Line could not be resolved")
        rid = next(self._ids)
        api = f"{self.url}/repos/{repo.full_name}/pulls/{pr.number}"
        html = f"{WEB}/{repo.full_name}/pull/{pr.number}#pullrequestreview-{rid}"
        review = {
            "id": rid,
            "node_id": f"PRR_{rid}",
            "user": self._bot_json(),
            "body": text,
            "state": states[event],
            "html_url": html,
            "pull_request_url": api,
            "_links": {"html": {"href": html}, "pull_request": {"href": api}},
            "submitted_at": _iso(_now()) if event else None,
            "commit_id": body.get("commit_id") or pr.head_sha,
            "author_association": "NONE",
            "comments": list(comments),
            "repository": repo.full_name,
        }
        self.reviews.append(review)
        return _json(200, _public(review))


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._ready.set()


_SEG = r"[^/]+"
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (method, re.compile(pattern.replace("{o}/{r}", f"(?P<owner>{_SEG})/(?P<repo>{_SEG})")), handler)
    for method, pattern, handler in [
        ("POST", r"/app/installations/(?P<installation_id>\d+)/access_tokens", "_create_token"),
        ("GET", r"/app", "_get_app"),
        ("GET", r"/app/installations/(?P<installation_id>\d+)", "_get_installation"),
        ("GET", r"/app/hook/deliveries", "_list_deliveries"),
        ("POST", r"/app/hook/deliveries/(?P<delivery_id>\d+)/attempts", "_redeliver"),
        ("GET", r"/repos/{o}/{r}", "_get_repo_route"),
        ("GET", r"/repos/{o}/{r}/installation", "_get_repo_installation"),
        ("GET", r"/repos/{o}/{r}/pulls/(?P<number>\d+)", "_get_pull"),
        ("GET", r"/repos/{o}/{r}/pulls/(?P<number>\d+)/files", "_list_pull_files"),
        ("GET", r"/repos/{o}/{r}/pulls/(?P<number>\d+)/commits", "_pull_commits"),
        ("POST", r"/repos/{o}/{r}/pulls/(?P<number>\d+)/reviews", "_post_review"),
        ("GET", r"/repos/{o}/{r}/contents/(?P<path>.+)", "_get_contents"),
        ("POST", r"/repos/{o}/{r}/check-runs", "_post_check_run"),
        ("GET", r"/repos/{o}/{r}/check-runs/(?P<run_id>\d+)", "_get_check_run"),
        ("PATCH", r"/repos/{o}/{r}/check-runs/(?P<run_id>\d+)", "_patch_check_run"),
        ("GET", r"/repos/{o}/{r}/check-runs/(?P<run_id>\d+)/annotations", "_list_annotations"),
        ("GET", r"/repos/{o}/{r}/commits/(?P<sha>[0-9a-fA-F]{7,40})/pulls", "_commit_pulls"),
        ("GET", r"/repos/{o}/{r}/commits/(?P<ref>.+)/check-runs", "_list_check_runs"),
        ("GET", r"/repos/{o}/{r}/commits/(?P<ref>.+)/status", "_combined_status"),
        ("POST", r"/repos/{o}/{r}/statuses/(?P<sha>[0-9a-fA-F]+)", "_post_status"),
        ("GET", r"/repos/{o}/{r}/issues/(?P<number>\d+)/comments", "_list_comments"),
        ("POST", r"/repos/{o}/{r}/issues/(?P<number>\d+)/comments", "_post_comment"),
        ("PATCH", r"/repos/{o}/{r}/issues/comments/(?P<comment_id>\d+)", "_patch_comment"),
        ("POST", r"/repos/{o}/{r}/issues/comments/(?P<comment_id>\d+)/reactions", "_post_reaction"),
        ("GET", r"/repos/{o}/{r}/collaborators/(?P<user>[^/]+)/permission", "_permission"),
        ("POST", r"/app-manifests/(?P<code>[^/]+)/conversions", "_convert_manifest"),
    ]
]
