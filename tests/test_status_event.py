"""Finding 13: CI that reports through commit statuses re-evaluates the PRs of that sha at once."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import yaml

from app.routing import route
from app.settings import Settings
from tests.conftest import load_fixture
from tests.fakegithub import FakeGitHub
from tests.stack import INSTALLATION, OWNER, REPO, SHA_1, deliver, delivery_for, drain


def status_delivery(sha: str, state: str) -> bytes:
    payload = {
        "id": 1,
        "sha": sha,
        "name": f"{OWNER}/{REPO}",
        "context": "ci/jenkins",
        "state": state,
        "repository": load_fixture("pull_request.opened.json")["repository"],
        "installation": {"id": INSTALLATION},
        "sender": {"login": "jenkins", "type": "User"},
    }
    return json.dumps(payload).encode()


def test_the_app_subscribes_to_status() -> None:
    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "app.yml").read_text())
    assert "status" in manifest["default_events"]
    assert route("status", json.loads(status_delivery(SHA_1, "failure")), "d1").jobs[0].function == (
        "evaluate_commit"
    )
    assert route("status", json.loads(status_delivery(SHA_1, "pending")), "d2").ignored


async def test_a_commit_status_updates_the_run_without_a_pr_event(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    (run,) = github.runs_for(OWNER, REPO, SHA_1)
    assert "ci/jenkins" not in run["output"]["summary"]
    github.add_status(OWNER, REPO, SHA_1, "ci/jenkins", "failure")
    assert deliver(server, status_delivery(SHA_1, "failure"), event="status").status_code == 202
    await drain(settings)
    (run,) = github.runs_for(OWNER, REPO, SHA_1)
    assert "ci/jenkins" in run["output"]["summary"]
