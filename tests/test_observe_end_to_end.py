"""Observe mode tells the share of recent PRs that enforcement would have blocked."""

from __future__ import annotations

import json

import httpx

from app.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.stack import OWNER, REPO, SHA_1, SHA_2, big_diff, deliver, delivery_for, drain


def opened(number: int, sha: str) -> bytes:
    payload = json.loads(delivery_for("opened", sha))
    payload["number"] = payload["pull_request"]["number"] = number
    return json.dumps(payload).encode()


async def test_observe_mode_counts_the_prs_that_would_have_been_blocked(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    # An oversize diff would block only where the repository asks for no merge without a review.
    github.set_file(OWNER, REPO, "main", ".agentbudget.yml", "mode: observe\nreview:\n  required: true\n")
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    first = github.runs_for(OWNER, REPO, SHA_1)[0]
    assert first["conclusion"] == "success"
    assert "0 of the last 1 pull request(s) evaluated in this repository (0%)" in first["output"]["summary"]

    github.add_pull_request(OWNER, REPO, 5, head_sha=SHA_2, diff=big_diff(4, 600))
    assert deliver(server, opened(5, SHA_2)).status_code == 202
    await drain(settings)
    second = github.runs_for(OWNER, REPO, SHA_2)[0]
    assert second["conclusion"] == "neutral"
    assert second["output"]["title"].startswith("Observe mode (would block)")
    assert "1 of the last 2 pull request(s) evaluated in this repository (50%)" in second["output"]["summary"]

    # Re-evaluating a PR replaces its entry instead of counting it twice.
    assert deliver(server, delivery_for("edited", SHA_1)).status_code == 202
    await drain(settings)
    again = github.runs_for(OWNER, REPO, SHA_1)[0]
    assert "1 of the last 2 pull request(s)" in again["output"]["summary"]
