"""Onboarding end to end: the paste-ready block in a failing check run turns the same commit green, and
observe mode reports what would block without ever blocking."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from app.settings import Settings
from checks.evidence import parse_evidence
from tests.fakegithub import FakeGitHub
from tests.stack import OWNER, REPO, SHA_2, SMALL_DIFF, big_diff, deliver, delivery_for, drain
from tests.test_prefill import fill_in

AGENT = "copilot-swe-agent[bot]"
AGENT_PR = 4
BODY = "## Summary\nExport the report as CSV.\n"
_BLOCK = re.compile(r"^````markdown\n(.*?)\n````$", re.MULTILINE | re.DOTALL)


# These tests read the full evidence block; a change this small would otherwise be asked only for what
# changed and tests (evidence.small_change_lines).
FULL_EVIDENCE = "evidence:\n  small_change_lines: 0\n"


def open_agent_pr(
    github: FakeGitHub, *, body: str = BODY, diff: str = SMALL_DIFF, config_set: bool = False
) -> None:
    if not config_set:
        github.set_file(OWNER, REPO, "main", ".agentbudget.yml", FULL_EVIDENCE)
    github.add_pull_request(
        OWNER, REPO, AGENT_PR, head_sha=SHA_2, diff=diff, body=body, user=AGENT, user_type="Bot"
    )


def event(action: str) -> bytes:
    payload = json.loads(delivery_for(action, SHA_2))
    payload["number"] = payload["pull_request"]["number"] = AGENT_PR
    return json.dumps(payload).encode()


async def evaluate(
    server: httpx.Client, github: FakeGitHub, settings: Settings, action: str
) -> dict[str, Any]:
    assert deliver(server, event(action)).status_code == 202
    await drain(settings)
    runs = [run for run in github.runs_for(OWNER, REPO, SHA_2) if run["name"] == "agentbudget"]
    assert len(runs) == 1
    return runs[0]


def paste_ready_block(summary: str) -> str:
    found = _BLOCK.search(summary)
    assert found is not None, summary
    return found.group(1) + "\n"


async def test_pasting_the_block_turns_the_same_commit_green(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    open_agent_pr(github)
    github.add_foreign_check_run(OWNER, REPO, SHA_2, "unit-tests", status="completed", conclusion="success")
    run = await evaluate(server, github, settings, "opened")
    assert run["conclusion"] == "failure"
    assert run["output"]["title"].startswith("Blocked: evidence — missing: not changed, tests run")
    block = paste_ready_block(run["output"]["summary"])
    # Pre-filled with what the diff and CI show, and only the missing sections.
    assert "`app.py` (modified, +1 −0)" not in block  # what changed is present: not asked for again
    assert "## What changed" not in block
    assert "- [x] CI `unit-tests` ✅ passed" in block
    assert "## Not changed" in block and "## Uncertainty" in block

    # Pasted unchanged: nobody said what was left alone or what was risky, and the run says so.
    github.set_body(OWNER, REPO, AGENT_PR, BODY + "\n" + block)
    run = await evaluate(server, github, settings, "edited")
    assert run["conclusion"] == "failure", run["output"]["title"]
    assert "still holds the pre-filled block's line to replace" in run["output"]["summary"]
    # The same body with the lines replaced passes, on the same commit.
    github.set_body(OWNER, REPO, AGENT_PR, BODY + "\n" + fill_in(block))
    run = await evaluate(server, github, settings, "edited")
    assert run["conclusion"] == "success", run["output"]["title"]
    assert run["head_sha"] == SHA_2
    assert "| unit-tests | ✅ passed |" in run["output"]["summary"]


async def test_an_empty_body_gets_every_section_from_the_diff(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    open_agent_pr(github, body="")
    run = await evaluate(server, github, settings, "opened")
    assert run["conclusion"] == "failure"
    block = paste_ready_block(run["output"]["summary"])
    assert "`app.py` (modified, +1 −0)" in block and "`README.md` (added, +2 −0)" in block
    assert "No CI run observed on this commit yet" in block

    github.set_body(OWNER, REPO, AGENT_PR, block)
    run = await evaluate(server, github, settings, "edited")
    assert run["conclusion"] == "failure", run["output"]["title"]
    github.set_body(OWNER, REPO, AGENT_PR, fill_in(block))
    run = await evaluate(server, github, settings, "edited")
    assert run["conclusion"] == "success", run["output"]["title"]


async def test_required_tokens_stay_to_be_filled_in(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_file(
        OWNER,
        REPO,
        "main",
        ".agentbudget.yml",
        "evidence:\n  required: [tests_run, tokens]\n  small_change_lines: 0\n",
    )
    open_agent_pr(github, config_set=True)
    run = await evaluate(server, github, settings, "opened")
    block = paste_ready_block(run["output"]["summary"])
    assert "```agentbudget" in block
    # Token counts cannot be derived: the block as pasted still lacks them, and says so.
    evidence = parse_evidence(BODY + fill_in(block))
    assert evidence.has("tests_run") and not evidence.has("tokens")

    filled = (
        fill_in(block)
        .replace("input_tokens:         ", "input_tokens: 182340")
        .replace("output_tokens:", "output_tokens: 9100")
    )
    github.set_body(OWNER, REPO, AGENT_PR, BODY + "\n" + filled)
    run = await evaluate(server, github, settings, "edited")
    assert run["conclusion"] == "success", run["output"]["title"]


async def test_observe_mode_never_blocks(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_file(OWNER, REPO, "main", ".agentbudget.yml", "mode: observe\n")
    # Would block two ways: evidence missing, a pass claim CI contradicts (an oversize diff holds only the
    # review).
    open_agent_pr(github, body="## Testing\nAll tests pass ✅\n", diff=big_diff(4, 600), config_set=True)
    github.add_foreign_check_run(OWNER, REPO, SHA_2, "unit-tests", status="completed", conclusion="failure")
    for action in ("opened", "edited", "synchronize"):
        run = await evaluate(server, github, settings, action)
        assert run["conclusion"] == "neutral", run["output"]["title"]
        assert run["output"]["title"].startswith("Observe mode (would block)")
    # Not even on the way: no write of ours ever carried a blocking conclusion.
    written = {r.body.get("conclusion") for r in github.requests if "/check-runs" in r.path and r.body}
    assert "neutral" in written and not {"failure", "action_required"} & written
