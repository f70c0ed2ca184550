"""Slash-commands and check-run buttons end to end: real Redis and worker, loopback GitHub, SQLite ledger."""

from __future__ import annotations

import copy
import json

import httpx

from app.settings import Settings
from tests.conftest import load_fixture
from tests.fakegithub import FakeGitHub
from tests.stack import (
    INSTALLATION,
    NUMBER,
    OWNER,
    REPO,
    SHA_1,
    SHA_2,
    big_diff,
    deliver,
    delivery_for,
    drain,
)

MAINTAINER, AUTHOR = "mia", "octocat"


def comment_delivery(body: str, *, user: str, comment_id: int, created_at: str | None = None) -> bytes:
    payload = copy.deepcopy(load_fixture("issue_comment.created.on_pull_request.json"))
    payload["issue"]["number"] = NUMBER
    payload["comment"].update(
        id=comment_id, body=body, user={**payload["comment"]["user"], "login": user, "type": "User"}
    )
    if created_at is not None:
        payload["comment"]["created_at"] = created_at
    payload["installation"] = {"id": INSTALLATION}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return json.dumps(payload).encode()


async def oversize(server: httpx.Client, github: FakeGitHub, settings: Settings, sha: str = SHA_2) -> dict:
    github.set_head(OWNER, REPO, NUMBER, sha, diff=big_diff(4, 600))
    assert deliver(server, delivery_for("synchronize", sha)).status_code == 202
    await drain(settings)
    run = ours(github, sha)
    # The size gate holds the review, not the merge (review.required is off by default).
    assert run["conclusion"] == "neutral"
    assert run["output"]["title"].startswith("Review waits for approval")
    return run


def ours(github: FakeGitHub, sha: str) -> dict:
    return next(r for r in github.runs_for(OWNER, REPO, sha) if r["name"] == "agentbudget")


async def comment(
    server: httpx.Client,
    github: FakeGitHub,
    settings: Settings,
    body: str,
    user: str,
    *,
    written_at: str | None = None,
) -> dict:
    posted = github.add_comment(OWNER, REPO, NUMBER, body, user=user)
    delivery = comment_delivery(
        body, user=user, comment_id=posted["id"], created_at=written_at or posted["created_at"]
    )
    response = deliver(server, delivery, event="issue_comment")
    # 202: queued; 200: the server already saw no command in it (a quote).
    assert response.status_code in (200, 202)
    await drain(settings)
    return posted


def reactions(github: FakeGitHub, comment_id: int) -> list[str]:
    return [r["content"] for r in github.reactions if r["comment_id"] == comment_id]


def replies(github: FakeGitHub) -> list[str]:
    return [
        c["body"] for c in github.comments if c["user"]["login"] != MAINTAINER and c["user"]["type"] == "Bot"
    ]


async def test_oversize_run_offers_an_approval_button(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    run = await oversize(server, github, settings)
    assert run["actions"] == [
        {"label": "Approve size", "description": "Review this oversize diff", "identifier": "approve-size"}
    ]


async def test_maintainer_approves_size_by_comment(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings)
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    posted = await comment(server, github, settings, "/agentbudget approve size release branch", MAINTAINER)
    run = ours(github, SHA_2)
    assert run["conclusion"] == "success"
    assert (
        "### Approvals" in run["output"]["summary"]
        and "@mia | maintain | size | release branch" in run["output"]["summary"]
    )
    assert run["actions"] == []
    assert reactions(github, posted["id"]) == ["eyes", "+1"]
    assert any("approved: size for this commit by @mia" in body for body in replies(github))


async def test_author_cannot_approve_own_escalation(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings)
    github.set_permission(OWNER, REPO, AUTHOR, "admin")
    posted = await comment(server, github, settings, "/agentbudget approve size", AUTHOR)
    assert ours(github, SHA_2)["conclusion"] == "neutral"  # still waiting
    assert reactions(github, posted["id"]) == ["eyes", "confused"]
    assert any("cannot approve their own escalation" in body for body in replies(github))


async def test_insufficient_permission_is_refused_with_reason(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings)
    github.set_permission(OWNER, REPO, "wes", "write")
    await comment(server, github, settings, "/agentbudget approve all", "wes")
    assert ours(github, SHA_2)["conclusion"] == "neutral"  # still waiting
    assert any("needs `maintain` permission" in body and "has `write`" in body for body in replies(github))


async def test_approval_is_bound_to_the_sha(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings, SHA_1)
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(server, github, settings, "/agentbudget approve size", MAINTAINER)
    assert ours(github, SHA_1)["conclusion"] == "success"
    run = await oversize(server, github, settings, SHA_2)  # a new push needs a new approval
    assert "### Approvals" not in run["output"]["summary"]


async def test_unbound_approval_survives_a_push(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_file(OWNER, REPO, "main", ".agentbudget.yml", "approvals:\n  bound_to_sha: false\n")
    await oversize(server, github, settings, SHA_1)
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(server, github, settings, "/agentbudget approve size", MAINTAINER)
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=big_diff(4, 600))
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    assert ours(github, SHA_2)["conclusion"] == "success"


async def test_commands_in_code_or_quotes_do_nothing(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings)
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    posted = await comment(server, github, settings, "```\n/agentbudget approve size\n```", MAINTAINER)
    await comment(server, github, settings, "> /agentbudget approve size", MAINTAINER)
    assert ours(github, SHA_2)["conclusion"] == "neutral"  # still waiting
    assert reactions(github, posted["id"]) == [] and replies(github) == []


async def test_help_and_unknown_commands_reply(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await comment(server, github, settings, "/agentbudget frobnicate", "someone")
    assert any(
        "unknown command `frobnicate`" in body and "/agentbudget approve" in body for body in replies(github)
    )


async def test_approval_button_end_to_end(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    run = await oversize(server, github, settings)
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    payload = copy.deepcopy(load_fixture("check_run.requested_action.json"))
    payload["check_run"].update(
        id=run["id"], name="agentbudget", head_sha=SHA_2, pull_requests=[{"number": NUMBER}]
    )
    payload["requested_action"] = {"identifier": "approve-size"}
    payload["sender"] = {**payload["sender"], "login": MAINTAINER}
    payload["installation"] = {"id": INSTALLATION}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    assert deliver(server, json.dumps(payload).encode(), event="check_run").status_code == 202
    await drain(settings)
    run = ours(github, SHA_2)
    assert run["conclusion"] == "success" and "@mia | maintain | size" in run["output"]["summary"]
