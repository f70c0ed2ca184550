"""Slash-commands and check-run buttons through the worker's jobs: deliveries routed as the webhook server
routes them, real Redis and ledger (SQLite and PostgreSQL), the in-memory GitHub."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import load_fixture
from tests.fakeclient import FakeClient
from tests.jobstack import Jobs
from tests.stack import INSTALLATION, NUMBER, OWNER, REPO, SHA_1, SHA_2, big_diff, delivery_for
from tests.test_hostile_content import assert_inert

MAINTAINER, AUTHOR = "mia", "octocat"


def comment_delivery(body: str, *, user: str, comment_id: int, created_at: str) -> dict[str, Any]:
    payload = copy.deepcopy(load_fixture("issue_comment.created.on_pull_request.json"))
    payload["issue"]["number"] = NUMBER
    payload["comment"].update(
        id=comment_id, body=body, user={**payload["comment"]["user"], "login": user, "type": "User"}
    )
    payload["comment"]["created_at"] = created_at
    payload["installation"] = {"id": INSTALLATION}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return payload


async def oversize(jobs: Jobs, sha: str = SHA_2) -> dict[str, Any]:
    jobs.github.set_head(OWNER, REPO, NUMBER, sha, diff=big_diff(4, 600))
    await jobs.deliver("pull_request", delivery_for("synchronize", sha))
    run = ours(jobs.github, sha)
    # The size gate holds the review, not the merge (review.required is off by default).
    assert run["conclusion"] == "neutral"
    assert run["output"]["title"].startswith("Review waits for approval")
    return run


def ours(github: FakeClient, sha: str) -> dict[str, Any]:
    return next(r for r in github.runs_for(OWNER, REPO, sha) if r["name"] == "agentbudget")


async def comment(jobs: Jobs, body: str, user: str, *, written_at: str | None = None) -> dict[str, Any]:
    posted = jobs.github.add_comment(OWNER, REPO, NUMBER, body, user=user)
    delivery = comment_delivery(
        body, user=user, comment_id=posted["id"], created_at=written_at or posted["created_at"]
    )
    await jobs.deliver("issue_comment", delivery)
    return posted


def reactions(github: FakeClient, comment_id: int) -> list[str]:
    return [r["content"] for r in github.reactions if r["comment_id"] == comment_id]


def replies(github: FakeClient) -> list[str]:
    return [
        c["body"] for c in github.comments if c["user"]["login"] != MAINTAINER and c["user"]["type"] == "Bot"
    ]


async def test_oversize_run_offers_an_approval_button(jobs: Jobs) -> None:
    run = await oversize(jobs)
    assert run["actions"] == [
        {"label": "Approve size", "description": "Review this oversize diff", "identifier": "approve-size"}
    ]


async def test_maintainer_approves_size_by_comment(jobs: Jobs) -> None:
    await oversize(jobs)
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    posted = await comment(jobs, "/agentbudget approve size release branch", MAINTAINER)
    run = ours(jobs.github, SHA_2)
    assert run["conclusion"] == "success"
    assert (
        "### Approvals" in run["output"]["summary"]
        and "@mia | maintain | size | release branch" in run["output"]["summary"]
    )
    assert run["actions"] == []
    assert reactions(jobs.github, posted["id"]) == ["eyes", "+1"]
    assert any("approved: size for this commit by @mia" in body for body in replies(jobs.github))


async def test_author_cannot_approve_own_escalation(jobs: Jobs) -> None:
    await oversize(jobs)
    jobs.github.set_permission(OWNER, REPO, AUTHOR, "admin")
    posted = await comment(jobs, "/agentbudget approve size", AUTHOR)
    assert ours(jobs.github, SHA_2)["conclusion"] == "neutral"  # still waiting
    assert reactions(jobs.github, posted["id"]) == ["eyes", "confused"]
    assert any("cannot approve their own escalation" in body for body in replies(jobs.github))


async def test_insufficient_permission_is_refused_with_reason(jobs: Jobs) -> None:
    await oversize(jobs)
    jobs.github.set_permission(OWNER, REPO, "wes", "write")
    await comment(jobs, "/agentbudget approve all", "wes")
    assert ours(jobs.github, SHA_2)["conclusion"] == "neutral"  # still waiting
    assert any(
        "needs `maintain` permission" in body and "has `write`" in body for body in replies(jobs.github)
    )


async def test_approval_is_bound_to_the_sha(jobs: Jobs) -> None:
    await oversize(jobs, SHA_1)
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(jobs, "/agentbudget approve size", MAINTAINER)
    assert ours(jobs.github, SHA_1)["conclusion"] == "success"
    run = await oversize(jobs, SHA_2)  # a new push needs a new approval
    assert "### Approvals" not in run["output"]["summary"]


async def test_unbound_approval_survives_a_push(jobs: Jobs) -> None:
    jobs.github.set_file(OWNER, REPO, "main", ".agentbudget.yml", "approvals:\n  bound_to_sha: false\n")
    await oversize(jobs, SHA_1)
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(jobs, "/agentbudget approve size", MAINTAINER)
    jobs.github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=big_diff(4, 600))
    await jobs.deliver("pull_request", delivery_for("synchronize", SHA_2))
    assert ours(jobs.github, SHA_2)["conclusion"] == "success"


async def test_commands_in_code_or_quotes_do_nothing(jobs: Jobs) -> None:
    await oversize(jobs)
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    posted = await comment(jobs, "```\n/agentbudget approve size\n```", MAINTAINER)
    await comment(jobs, "> /agentbudget approve size", MAINTAINER)
    assert ours(jobs.github, SHA_2)["conclusion"] == "neutral"  # still waiting
    assert reactions(jobs.github, posted["id"]) == [] and replies(jobs.github) == []


async def test_help_and_unknown_commands_reply(jobs: Jobs) -> None:
    await comment(jobs, "/agentbudget frobnicate", "someone")
    assert any(
        "unknown command `frobnicate`" in body and "/agentbudget approve" in body
        for body in replies(jobs.github)
    )


async def test_approval_button(jobs: Jobs) -> None:
    run = await oversize(jobs)
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    payload = copy.deepcopy(load_fixture("check_run.requested_action.json"))
    payload["check_run"].update(
        id=run["id"], name="agentbudget", head_sha=SHA_2, pull_requests=[{"number": NUMBER}]
    )
    payload["requested_action"] = {"identifier": "approve-size"}
    payload["sender"] = {**payload["sender"], "login": MAINTAINER}
    payload["installation"] = {"id": INSTALLATION}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    assert (await jobs.deliver("check_run", payload)).jobs
    run = ours(jobs.github, SHA_2)
    assert run["conclusion"] == "success" and "@mia | maintain | size" in run["output"]["summary"]


async def test_replies_do_not_repost_mentions_or_markup(jobs: Jobs) -> None:
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(jobs, "/agentbudget a`@acme/admins`<img>", MAINTAINER)
    await comment(jobs, "/agentbudget approve x`@acme/ops", MAINTAINER)
    answers = replies(jobs.github)
    assert len(answers) == 2
    for body in answers:
        assert_inert(body)
