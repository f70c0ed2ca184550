"""Finding 10: every evaluation ends in a completed run (or a documented no-op). A run GitHub no longer has
(404 on its update) is created again and completed; a pull request GitHub answers 409/410 for gets a
completed run that says why."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.stack import NUMBER, OWNER, REPO, SHA_1, deliver, delivery_for, drain


async def test_a_run_deleted_before_the_job_is_created_again_and_completed(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    github.delete_check_runs(OWNER, REPO, SHA_1)  # the cached run id now answers 404
    assert deliver(server, delivery_for("edited", SHA_1)).status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert [r["status"] for r in runs] == ["completed"]
    assert any(r.status == 404 and "/check-runs/" in r.path for r in github.requests)


async def test_a_run_deleted_while_the_job_runs_is_created_again_and_completed(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    parked = github.hold("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}/commits")
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    worker = asyncio.create_task(drain(settings))
    assert await asyncio.to_thread(parked.arrived.wait, 30)
    assert [r["status"] for r in github.runs_for(OWNER, REPO, SHA_1)] == ["in_progress"]
    github.delete_check_runs(OWNER, REPO, SHA_1)  # gone between start and completion
    parked.release()
    await worker
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert [r["status"] for r in runs] == ["completed"] and runs[0]["conclusion"] == "success"


@pytest.mark.parametrize(("status", "says"), [(409, "GitHub answered 409"), (410, "GitHub answered 410")])
async def test_a_pull_request_answered_409_or_410_gets_a_completed_run_saying_why(
    server: httpx.Client, github: FakeGitHub, settings: Settings, status: int, says: str
) -> None:
    github.fail("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}", status, times=10, body={"message": "x"})
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert [r["status"] for r in runs] == ["completed"] and runs[0]["conclusion"] == "neutral"
    assert says in runs[0]["output"]["title"] + runs[0]["output"]["summary"]
