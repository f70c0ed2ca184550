"""Finding 1: two installations reading the same `owner/.github` path see only what their own token may
read. Real Redis, real worker, loopback GitHub whose tokens see only their installation's repositories."""

from __future__ import annotations

import copy
import json

import httpx

from app.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.stack import OWNER, REPO, SHA_1, SMALL_DIFF, deliver, delivery_for, drain

ATTACKER, TOOL, ATTACKER_INSTALLATION, TOOL_ID, TOOL_SHA = "mallory", "tool", 66, 660066, "6" * 40


def attacker_setup(github: FakeGitHub) -> None:
    github.add_installation(ATTACKER_INSTALLATION, ATTACKER)
    github.add_repo(ATTACKER, TOOL, installation_id=ATTACKER_INSTALLATION, repo_id=TOOL_ID)
    github.set_file(ATTACKER, TOOL, "main", ".agentbudget.yml", f"_extends: {OWNER}/.github\n")
    github.add_pull_request(ATTACKER, TOOL, 1, head_sha=TOOL_SHA, diff=SMALL_DIFF, body="## Summary\nx")


def attacker_delivery() -> bytes:
    payload = json.loads(delivery_for("opened", TOOL_SHA))
    repository = copy.deepcopy(payload["repository"])
    repository.update(id=TOOL_ID, name=TOOL, full_name=f"{ATTACKER}/{TOOL}")
    repository["owner"] = {**repository["owner"], "login": ATTACKER}
    payload.update(repository=repository, number=1, installation={"id": ATTACKER_INSTALLATION})
    payload["pull_request"]["number"] = 1
    return json.dumps(payload).encode()


def title(github: FakeGitHub, owner: str, repo: str, sha: str) -> str:
    (run,) = github.runs_for(owner, repo, sha)
    return str(run["output"]["title"])


def summary(github: FakeGitHub, owner: str, repo: str, sha: str) -> str:
    (run,) = github.runs_for(owner, repo, sha)
    return str(run["output"]["summary"])


async def test_attacker_cannot_read_victims_org_defaults_from_the_cache(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    attacker_setup(github)
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)  # the victim reads (and caches) its org defaults
    assert deliver(server, attacker_delivery()).status_code == 202
    await drain(settings)
    # The attacker's token cannot read Codertocat/.github: its `_extends` is refused, nothing leaks.
    assert title(github, ATTACKER, TOOL, TOOL_SHA).startswith("Blocked: invalid")
    assert f"no .agentbudget.yml or .github/agentbudget.yml in {OWNER}/.github" in summary(
        github, ATTACKER, TOOL, TOOL_SHA
    )


async def test_attacker_cannot_erase_victims_org_defaults_through_the_cache(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    attacker_setup(github)
    assert deliver(server, attacker_delivery()).status_code == 202
    await drain(settings)  # the attacker's read of Codertocat/.github finds nothing
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    # The victim still runs under its org defaults (mode: enforce), not the shipped observe mode.
    assert "Observe mode" not in summary(github, OWNER, REPO, SHA_1)
