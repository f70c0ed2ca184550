"""Records and helpers every part of the fake shares: GitHub's error answers, the in-memory records, diffs."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from starlette.datastructures import Headers
from starlette.responses import Response

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
    yaml.safe_load((Path(__file__).resolve().parents[2] / "app.yml").read_text())["default_permissions"]
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
