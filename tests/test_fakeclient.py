"""The in-memory GitHub answers the jobs' calls as the real client does against the loopback server: the same
results and the same refusals (permissions, 404, 422, 406), call by call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from app.github import DiffTooLarge, GitHubApp, GitHubError, Installation, NotFound
from app.settings import Settings
from tests.fakeclient import FakeClient
from tests.fakegithub import FakeGitHub
from tests.stack import SMALL_DIFF

OWNER, REPO, OTHER, NUMBER, SHA = "acme", "widgets", "elsewhere", 7, "a" * 40
Call = Callable[[Installation], Awaitable[Any]]


def arrange(world: FakeGitHub | FakeClient) -> None:
    if isinstance(world, FakeGitHub):
        world.add_installation(1, OWNER)
        world.add_installation(2, OTHER)
    world.add_repo(OWNER, REPO, installation_id=1)
    world.add_repo(OTHER, REPO, installation_id=2)
    world.add_pull_request(OWNER, REPO, NUMBER, head_sha=SHA, diff=SMALL_DIFF)
    world.set_file(OWNER, REPO, "main", "a.txt", "hello\n")
    world.set_permission(OWNER, REPO, "mia", "maintain")
    world.add_comment(OWNER, REPO, NUMBER, "/agentbudget help", user="mia")


@pytest.fixture
def loopback() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    with fake.serve():
        arrange(fake)
        yield fake


def real_settings(fake: FakeGitHub) -> Settings:
    return Settings(
        app_id=str(fake.app_id), private_key=fake.private_key_pem, github_api_url=fake.url, github_retries=0
    )


def run_body(**extra: Any) -> dict[str, Any]:
    return {"name": "agentbudget", "head_sha": SHA, "status": "in_progress", **extra}


CASES: dict[str, Call] = {
    "pull": lambda gh: gh.get_pull(OWNER, REPO, NUMBER),
    "missing pull": lambda gh: gh.get_pull(OWNER, REPO, 99),
    "another installation's repository": lambda gh: gh.get_pull(OTHER, REPO, NUMBER),
    "diff": lambda gh: gh.get_diff(OWNER, REPO, NUMBER),
    "file": lambda gh: gh.get_file(OWNER, REPO, "a.txt", "main"),
    "file at the head sha": lambda gh: gh.get_file(OWNER, REPO, "a.txt", SHA),
    "missing file": lambda gh: gh.get_file(OWNER, REPO, "b.txt", "main"),
    "role": lambda gh: gh.permission(OWNER, REPO, "mia"),
    "no role": lambda gh: gh.permission(OWNER, REPO, "nobody"),
    "run on an unknown commit": lambda gh: gh.create_check_run(OWNER, REPO, run_body(head_sha="f" * 40)),
    "completed without a conclusion": lambda gh: gh.create_check_run(
        OWNER, REPO, run_body(status="completed")
    ),
    "four actions": lambda gh: gh.create_check_run(
        OWNER, REPO, run_body(actions=[{"label": "a", "description": "b", "identifier": "c"}] * 4)
    ),
    "update a missing run": lambda gh: gh.update_check_run(OWNER, REPO, 5, {"status": "completed"}),
    "blank comment": lambda gh: gh.comment(OWNER, REPO, NUMBER, ""),
    "comment on a missing pull": lambda gh: gh.comment(OWNER, REPO, 99, "hi"),
    "review on a line outside the diff": lambda gh: gh.create_review(
        OWNER, REPO, NUMBER, SHA, "body", [{"path": "app.py", "line": 40, "body": "x"}]
    ),
    "review on a file outside the diff": lambda gh: gh.create_review(
        OWNER, REPO, NUMBER, SHA, "body", [{"path": "nope.py", "line": 1, "body": "x"}]
    ),
    "review on a changed line": lambda gh: gh.create_review(
        OWNER, REPO, NUMBER, SHA, "body", [{"path": "app.py", "line": 2, "body": "x"}]
    ),
    "statuses": lambda gh: gh.list_statuses(OWNER, REPO, SHA),
    "pulls for the head": lambda gh: gh.list_pulls_for_commit(OWNER, REPO, SHA),
}


def outcome(result: Any) -> Any:
    """What the caller can see: the error's kind and status, or the answer (a pull or PR list by number)."""
    if isinstance(result, BaseException):
        return (type(result).__name__, getattr(result, "status", None))
    if isinstance(result, dict) and "number" in result:
        return ("pull", result["number"], result["head"]["sha"], result["base"]["ref"])
    if isinstance(result, list) and all(isinstance(p, dict) and "number" in p for p in result):
        return [("pull", p["number"]) for p in result]
    if isinstance(result, dict) and "state" in result:
        return ("review", result["state"])
    if isinstance(result, dict) and "head_sha" in result:
        return ("run", result["name"], result["status"], result["conclusion"])
    if isinstance(result, dict) and "user" in result:
        return ("comment", result["body"], result["user"]["login"])
    return result


async def answer(gh: Installation, call: Call) -> Any:
    try:
        return outcome(await call(gh))
    except GitHubError as exc:
        return outcome(exc)


@pytest.mark.parametrize("name", sorted(CASES))
async def test_same_answer_as_the_real_client(loopback: FakeGitHub, name: str) -> None:
    memory = FakeClient()
    arrange(memory)
    real = await answer(await GitHubApp(real_settings(loopback)).installation(1), CASES[name])
    assert await answer(await memory.installation(1), CASES[name]) == real


@pytest.mark.parametrize("content", ["eyes", "thumbsup"])
async def test_reactions_alike(loopback: FakeGitHub, content: str) -> None:
    memory = FakeClient()
    arrange(memory)

    async def react(gh: Installation, comment_id: int) -> list[Any]:
        ours = await answer(gh, lambda g: g.react(OWNER, REPO, comment_id, content))
        missing = await answer(gh, lambda g: g.react(OWNER, REPO, 424242, content))
        return [ours, missing]

    real = await react(await GitHubApp(real_settings(loopback)).installation(1), loopback.comments[0]["id"])
    assert await react(await memory.installation(1), memory.comments[0]["id"]) == real


@pytest.mark.parametrize("permission", ["issues", "checks", "pull_requests", "statuses"])
async def test_a_permission_the_app_lacks_is_refused_alike(loopback: FakeGitHub, permission: str) -> None:
    memory = FakeClient()
    arrange(memory)
    for world in (loopback, memory):
        world.token_permissions.pop(permission, None)

    async def calls(gh: Installation) -> list[Any]:
        return [
            await answer(gh, lambda g: g.comment(OWNER, REPO, NUMBER, "hi")),
            await answer(gh, lambda g: g.create_check_run(OWNER, REPO, run_body())),
            await answer(gh, lambda g: g.get_pull(OWNER, REPO, NUMBER)),
            await answer(gh, lambda g: g.list_statuses(OWNER, REPO, SHA)),
        ]

    real = await calls(await GitHubApp(real_settings(loopback)).installation(1))
    assert await calls(await memory.installation(1)) == real


async def test_an_oversize_diff_is_refused_alike(loopback: FakeGitHub) -> None:
    memory = FakeClient()
    arrange(memory)
    loopback.max_diff_files = memory.max_diff_files = 1
    for gh in (await GitHubApp(real_settings(loopback)).installation(1), await memory.installation(1)):
        with pytest.raises(DiffTooLarge):
            await gh.get_diff(OWNER, REPO, NUMBER)
    with pytest.raises(NotFound):
        await (await memory.installation(2)).get_pull(OWNER, REPO, NUMBER)
