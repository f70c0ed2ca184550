"""Finding 2: an approval lands only on the commit its approver saw (the jobs, real Redis and ledger, the
in-memory GitHub)."""

from __future__ import annotations

import copy
from typing import Any

from checks.binding import button_refusal, comment_refusal
from tests.conftest import load_fixture
from tests.jobstack import Jobs
from tests.stack import INSTALLATION, NUMBER, OWNER, REPO, SHA_2, big_diff, delivery_for
from tests.test_command_jobs import MAINTAINER, comment, ours, oversize, replies

SHA_3 = "3" * 40
BEFORE_EVERYTHING = "2001-01-01T00:00:00Z"


def button_click(run: dict[str, Any], sha: str) -> dict[str, Any]:
    payload = copy.deepcopy(load_fixture("check_run.requested_action.json"))
    payload["check_run"].update(id=run["id"], name="agentbudget", head_sha=sha, pull_requests=[])
    payload["requested_action"] = {"identifier": "approve-size"}
    payload["sender"] = {**payload["sender"], "login": MAINTAINER}
    payload["installation"] = {"id": INSTALLATION}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return payload


async def test_button_on_an_older_run_does_not_approve_the_new_head(jobs: Jobs) -> None:
    old_run = await oversize(jobs, SHA_2)
    await oversize(jobs, SHA_3)  # a push the approver has not seen
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await jobs.deliver("check_run", button_click(old_run, SHA_2))
    assert ours(jobs.github, SHA_3)["conclusion"] == "neutral"  # still waiting: nobody approved SHA_3
    assert "### Approvals" not in ours(jobs.github, SHA_3)["output"]["summary"]
    assert any("belongs to the run of `2222222`" in body for body in replies(jobs.github))


async def test_comment_written_before_a_push_does_not_approve_the_new_head(jobs: Jobs) -> None:
    await oversize(jobs, SHA_2)
    await oversize(jobs, SHA_3)
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    # Written while SHA_2's run was the one on screen; delivered after SHA_3's run was published.
    await comment(jobs, "/agentbudget approve size", MAINTAINER, written_at=BEFORE_EVERYTHING)
    assert ours(jobs.github, SHA_3)["conclusion"] == "neutral"
    assert any("moved to `3333333` after this comment was written" in b for b in replies(jobs.github))


async def test_comment_racing_an_unpublished_push_is_refused(jobs: Jobs) -> None:
    await oversize(jobs, SHA_2)
    jobs.github.set_head(OWNER, REPO, NUMBER, SHA_3, diff=big_diff(4, 600))  # pushed, not evaluated yet
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(jobs, "/agentbudget approve size", MAINTAINER)
    assert any("its check run is not published yet" in b for b in replies(jobs.github))
    await jobs.deliver("pull_request", delivery_for("synchronize", SHA_3))
    assert ours(jobs.github, SHA_3)["conclusion"] == "neutral"


async def test_comment_after_the_heads_run_approves_it(jobs: Jobs) -> None:
    await oversize(jobs, SHA_2)
    jobs.github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(jobs, "/agentbudget approve size", MAINTAINER)
    assert ours(jobs.github, SHA_2)["conclusion"] == "success"


def test_binding_rules() -> None:
    assert button_refusal("a" * 40, "a" * 40) == ""
    assert button_refusal("a" * 40, "b" * 40)
    assert comment_refusal("b" * 40, None, "2030-01-01T00:00:00Z")
    assert comment_refusal("b" * 40, "2030-01-01T00:00:01Z", "2030-01-01T00:00:00Z")
    assert comment_refusal("b" * 40, "2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z") == ""
    assert comment_refusal("b" * 40, "2030-01-01T00:00:00Z", "")  # unknown time: refused
