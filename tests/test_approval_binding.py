"""Finding 2: an approval lands only on the commit its approver saw (real Redis, worker, loopback GitHub)."""

from __future__ import annotations

import copy
import json

import httpx

from app.settings import Settings
from checks.binding import button_refusal, comment_refusal
from tests.conftest import load_fixture
from tests.fakegithub import FakeGitHub
from tests.stack import INSTALLATION, NUMBER, OWNER, REPO, SHA_2, big_diff, deliver, delivery_for, drain
from tests.test_commands_end_to_end import MAINTAINER, comment, ours, oversize, replies

SHA_3 = "3" * 40
BEFORE_EVERYTHING = "2001-01-01T00:00:00Z"


def button_click(run: dict, sha: str) -> bytes:
    payload = copy.deepcopy(load_fixture("check_run.requested_action.json"))
    payload["check_run"].update(id=run["id"], name="agentbudget", head_sha=sha, pull_requests=[])
    payload["requested_action"] = {"identifier": "approve-size"}
    payload["sender"] = {**payload["sender"], "login": MAINTAINER}
    payload["installation"] = {"id": INSTALLATION}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return json.dumps(payload).encode()


async def test_button_on_an_older_run_does_not_approve_the_new_head(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    old_run = await oversize(server, github, settings, SHA_2)
    await oversize(server, github, settings, SHA_3)  # a push the approver has not seen
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    assert deliver(server, button_click(old_run, SHA_2), event="check_run").status_code == 202
    await drain(settings)
    assert ours(github, SHA_3)["conclusion"] == "neutral"  # still waiting: nobody approved SHA_3
    assert "### Approvals" not in ours(github, SHA_3)["output"]["summary"]
    assert any("belongs to the run of `2222222`" in body for body in replies(github))


async def test_comment_written_before_a_push_does_not_approve_the_new_head(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings, SHA_2)
    await oversize(server, github, settings, SHA_3)
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    # Written while SHA_2's run was the one on screen; delivered after SHA_3's run was published.
    await comment(
        server, github, settings, "/agentbudget approve size", MAINTAINER, written_at=BEFORE_EVERYTHING
    )
    assert ours(github, SHA_3)["conclusion"] == "neutral"
    assert any("moved to `3333333` after this comment was written" in b for b in replies(github))


async def test_comment_racing_an_unpublished_push_is_refused(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings, SHA_2)
    github.set_head(OWNER, REPO, NUMBER, SHA_3, diff=big_diff(4, 600))  # pushed, not evaluated yet
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(server, github, settings, "/agentbudget approve size", MAINTAINER)
    assert any("its check run is not published yet" in b for b in replies(github))
    assert deliver(server, delivery_for("synchronize", SHA_3)).status_code == 202
    await drain(settings)
    assert ours(github, SHA_3)["conclusion"] == "neutral"


async def test_comment_after_the_heads_run_approves_it(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    await oversize(server, github, settings, SHA_2)
    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(server, github, settings, "/agentbudget approve size", MAINTAINER)
    assert ours(github, SHA_2)["conclusion"] == "success"


def test_binding_rules() -> None:
    assert button_refusal("a" * 40, "a" * 40) == ""
    assert button_refusal("a" * 40, "b" * 40)
    assert comment_refusal("b" * 40, None, "2030-01-01T00:00:00Z")
    assert comment_refusal("b" * 40, "2030-01-01T00:00:01Z", "2030-01-01T00:00:00Z")
    assert comment_refusal("b" * 40, "2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z") == ""
    assert comment_refusal("b" * 40, "2030-01-01T00:00:00Z", "")  # unknown time: refused
