"""What the core needs to know about a pull request, extracted from GitHub's JSON once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PullRequestFacts:
    number: int
    title: str
    body: str
    author: str
    author_is_bot: bool
    base_ref: str
    base_sha: str
    head_ref: str
    head_sha: str
    draft: bool
    labels: tuple[str, ...]
    from_fork: bool
    state: str = "open"
    # The webhook action or command that asked for this evaluation ("opened", "synchronize", "comment", ...).
    trigger: str = "opened"


def _login(user: Any) -> str:
    return str(user.get("login", "")) if isinstance(user, Mapping) else ""


def pull_request_facts(pull: Mapping[str, Any], *, trigger: str = "opened") -> PullRequestFacts:
    """Extract facts from a pull request object as found in webhooks and `GET /pulls/{n}`."""
    user = pull.get("user") or {}
    head = pull.get("head") or {}
    base = pull.get("base") or {}
    head_repo = head.get("repo") or {}
    base_repo = base.get("repo") or {}
    login = _login(user)
    return PullRequestFacts(
        number=int(pull["number"]),
        title=str(pull.get("title") or ""),
        body=str(pull.get("body") or ""),
        author=login,
        author_is_bot=(user.get("type") == "Bot") or login.endswith("[bot]"),
        base_ref=str(base.get("ref") or ""),
        base_sha=str(base.get("sha") or ""),
        head_ref=str(head.get("ref") or ""),
        head_sha=str(head.get("sha") or ""),
        draft=bool(pull.get("draft")),
        labels=tuple(
            str(lbl.get("name", "")) for lbl in pull.get("labels") or () if isinstance(lbl, Mapping)
        ),
        from_fork=bool(head_repo) and head_repo.get("id") != base_repo.get("id"),
        state=str(pull.get("state") or "open"),
        trigger=trigger,
    )
