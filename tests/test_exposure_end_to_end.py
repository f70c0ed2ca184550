"""Exposure end to end: a real git diff of real route files → worker → loopback GitHub → check run.

Only the head side of each route file exists on the loopback GitHub: the base side must come from the
patch, so any attempt to read it would show up as a 404 and a wrong answer.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import httpx
from arq.connections import ArqRedis

from app import exposure, metrics
from app.settings import Settings
from tests.conftest import load_fixture
from tests.fakegithub import FakeGitHub
from tests.stack import (
    INSTALLATION,
    MAINTAINER,
    NUMBER,
    OWNER,
    REPO,
    SHA_2,
    comment,
    deliver,
    delivery_for,
    drain,
    ours,
)

SHA_3 = "3" * 40

ROUTES_BEFORE = """from fastapi import APIRouter, Depends

from .auth import require_user

router = APIRouter(dependencies=[Depends(require_user)])


@router.get("/items")
def list_items():
    return []


@router.post("/items")
def create_item(item: dict):
    return item
"""

ROUTES_WITH_INTERNAL = (
    ROUTES_BEFORE
    + """

@router.post("/internal/reindex")
def reindex():
    return {"ok": True}
"""
)

MAIN_PREFIX_IN_INCLUDE = """from fastapi import FastAPI

from .routes import router

app = FastAPI()
app.include_router(router, prefix="/v1")
"""

MAIN_PREFIX_IN_ROUTER = """from fastapi import FastAPI

from .routes import router

app = FastAPI()
app.include_router(router)
"""


def git_diff(tmp_path: Path, before: dict[str, str], after: dict[str, str]) -> str:
    """A real `git diff` between two trees (with `index` lines and blob ids, as GitHub serves it)."""
    repo = tmp_path / "repo"
    repo.mkdir(parents=True)

    def run(*args: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=repo,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    run("init", "-q")
    for tree in (before, after):
        for path in repo.glob("**/*"):
            if path.is_file() and ".git" not in path.parts:
                path.unlink()
        for name, text in tree.items():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text(text)
        run("add", "-A")
        run("commit", "-q", "--allow-empty", "-m", "x")
    return run("diff", "HEAD~1", "HEAD")


def push(github: FakeGitHub, sha: str, diff: str, head: dict[str, str]) -> None:
    github.set_head(OWNER, REPO, NUMBER, sha, diff=diff)
    for path, text in head.items():
        github.set_file(OWNER, REPO, sha, path, text)


async def synchronize(server: httpx.Client, settings: Settings, sha: str) -> None:
    assert deliver(server, delivery_for("synchronize", sha)).status_code == 202
    await drain(settings)


async def change(
    server: httpx.Client,
    github: FakeGitHub,
    settings: Settings,
    work: Path,
    before: dict[str, str],
    after: dict[str, str],
    sha: str = SHA_2,
) -> dict:
    """Push `after` over `before` as the PR's new head `sha`, evaluate it, return our check run."""
    push(github, sha, git_diff(work, before, after), after)
    await synchronize(server, settings, sha)
    return ours(github, sha)


def contents_reads(github: FakeGitHub) -> list[str]:
    return [r.path for r in github.requests if r.method == "GET" and "/contents/" in r.path]


async def test_an_added_internal_endpoint_blocks_with_table_annotation_and_button(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    before = {"svc/routes.py": ROUTES_BEFORE, "svc/main.py": MAIN_PREFIX_IN_INCLUDE}
    after = {"svc/routes.py": ROUTES_WITH_INTERNAL, "svc/main.py": MAIN_PREFIX_IN_INCLUDE}
    run = await change(server, github, settings, tmp_path, before, after)

    assert run["conclusion"] == "failure"
    assert run["output"]["title"].startswith("Blocked: exposure — 1 internal endpoint(s) added or widened")
    summary = run["output"]["summary"]
    assert "### Internal API exposure" in summary
    # The unchanged svc/main.py mounts the router under /v1: read too, so the full path is reported.
    assert "`POST /v1/internal/reindex`" in summary and "`svc/routes.py:18`" in summary
    assert "matches internal_paths" in summary
    assert run["actions"] == [
        {
            "label": "Accept exposure",
            "description": "Accept the new internal endpoints",
            "identifier": "approve-exposure",
        }
    ]
    failures = [a for a in run["annotations"] if a["annotation_level"] == "failure"]
    assert [(a["path"], a["start_line"]) for a in failures] == [("svc/routes.py", 18)]
    # The base side was rebuilt from the patch: only head files were read.
    assert contents_reads(github) and all("ref=" not in p for p in contents_reads(github))
    assert not [r for r in github.requests if "/contents/svc/routes.py" in r.path and r.status == 404]


async def test_a_maintainer_accepts_the_exposure_and_the_check_passes(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    before = {"svc/routes.py": ROUTES_BEFORE}
    after = {"svc/routes.py": ROUTES_WITH_INTERNAL}
    assert (await change(server, github, settings, tmp_path, before, after))["conclusion"] == "failure"

    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    await comment(server, github, settings, "/agentbudget approve exposure internal reindex job", MAINTAINER)
    run = ours(github, SHA_2)
    assert run["conclusion"] == "success"
    assert "accepted by @\u200bmia" in run["output"]["summary"]  # mentions are neutralised
    assert run.get("actions", []) == []
    redis = ArqRedis.from_url(settings.redis_url)
    try:
        text = await metrics.render(redis, settings)
    finally:
        await redis.aclose()
    assert 'agentbudget_approvals_total{what="exposure"} 1' in text
    assert "agentbudget_exposure_blocks_total 1" in text


async def test_the_accept_button_is_authorized_like_the_command(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    before = {"svc/routes.py": ROUTES_BEFORE}
    after = {"svc/routes.py": ROUTES_WITH_INTERNAL}
    run = await change(server, github, settings, tmp_path, before, after)

    def press(login: str) -> None:
        payload = copy.deepcopy(load_fixture("check_run.requested_action.json"))
        payload["check_run"].update(
            id=run["id"], name="agentbudget", head_sha=SHA_2, pull_requests=[{"number": NUMBER}]
        )
        payload["requested_action"] = {"identifier": "approve-exposure"}
        payload["sender"] = {**payload["sender"], "login": login}
        payload["installation"] = {"id": INSTALLATION}
        payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
        assert deliver(server, json.dumps(payload).encode(), event="check_run").status_code == 202

    github.set_permission(OWNER, REPO, "wes", "write")
    press("wes")
    await drain(settings)
    assert ours(github, SHA_2)["conclusion"] == "failure"

    github.set_permission(OWNER, REPO, MAINTAINER, "maintain")
    press(MAINTAINER)
    await drain(settings)
    assert ours(github, SHA_2)["conclusion"] == "success"


async def test_moving_the_prefix_into_the_router_reports_no_growth(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    moved = ROUTES_BEFORE.replace(
        "router = APIRouter(dependencies=[Depends(require_user)])",
        'router = APIRouter(prefix="/v1", dependencies=[Depends(require_user)])',
    )
    before = {"svc/routes.py": ROUTES_BEFORE, "svc/main.py": MAIN_PREFIX_IN_INCLUDE}
    after = {"svc/routes.py": moved, "svc/main.py": MAIN_PREFIX_IN_ROUTER}
    run = await change(server, github, settings, tmp_path, before, after)
    assert run["conclusion"] == "success"
    assert "Same endpoints before and after in the 2 files compared." in run["output"]["summary"]
    assert not [a for a in run.get("annotations", []) if a["annotation_level"] != "notice"]


async def test_sixty_new_internal_endpoints_are_all_annotated_in_batches(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    extra = "".join(
        f'\n\n@router.get("/admin/report{i}")\ndef report{i}():\n    return {i}\n' for i in range(60)
    )
    before = {"svc/routes.py": ROUTES_BEFORE}
    after = {"svc/routes.py": ROUTES_BEFORE + extra}
    run = await change(server, github, settings, tmp_path, before, after)
    assert run["conclusion"] == "failure" and "60 internal endpoint(s)" in run["output"]["title"]
    lines = sorted(a["start_line"] for a in run["annotations"] if a["annotation_level"] == "failure")
    assert len(lines) == 60 and len(set(lines)) == 60
    updates = [r for r in github.requests if r.method == "PATCH" and "/check-runs/" in r.path]
    assert len(updates) >= 2  # GitHub takes 50 annotations per request


async def test_a_later_push_that_leaves_the_route_file_alone_reads_it_from_cache(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    before = {"svc/routes.py": ROUTES_BEFORE, "README.md": "x\n"}
    after = {"svc/routes.py": ROUTES_WITH_INTERNAL, "README.md": "x\n"}
    await change(server, github, settings, tmp_path / "one", before, after)
    reads = len(contents_reads(github))

    later = {**after, "README.md": "y\n"}
    run = await change(server, github, settings, tmp_path / "two", before, later, SHA_3)
    assert run["conclusion"] == "failure"
    route_reads = [p for p in contents_reads(github)[reads:] if "svc/routes.py" in p]
    assert route_reads == []


async def test_removing_an_endpoint_is_reported_but_does_not_block(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    before = {"svc/routes.py": ROUTES_WITH_INTERNAL}
    after = {"svc/routes.py": ROUTES_BEFORE}
    run = await change(server, github, settings, tmp_path, before, after)
    assert run["conclusion"] == "success"
    assert "➖ removed | `POST /internal/reindex`" in run["output"]["summary"]


MAIN_MOUNTS_UNDER_ADMIN = """from fastapi import FastAPI

from .routes import router

app = FastAPI()
app.include_router(router, prefix="/admin")
"""


async def test_an_unchanged_file_that_mounts_the_changed_router_is_read_bounded_and_cached(
    server: httpx.Client, github: FakeGitHub, settings: Settings, tmp_path: Path
) -> None:
    export = '\n\n@router.get("/export")\ndef export():\n    return []\n'
    before = {"svc/routes.py": ROUTES_BEFORE, "svc/main.py": MAIN_MOUNTS_UNDER_ADMIN}
    after = {"svc/routes.py": ROUTES_BEFORE + export, "svc/main.py": MAIN_MOUNTS_UNDER_ADMIN}
    run = await change(server, github, settings, tmp_path, before, after)
    assert run["conclusion"] == "failure"
    assert "`GET /admin/export`" in run["output"]["summary"]
    reads = contents_reads(github)
    assert reads.count(f"/repos/{OWNER}/{REPO}/contents/svc/main.py") == 1
    probes = [p for p in reads if not p.endswith("/svc/routes.py")]
    assert len(probes) <= exposure.MAX_MOUNT_PROBES
    # Kept once per blob, the path at this commit pointing at it; keys carry the installation.
    redis = ArqRedis.from_url(settings.redis_url)
    try:
        cached = [k.decode() async for k in redis.scan_iter(match="agentbudget:blob:*svc/main.py*")]
    finally:
        await redis.aclose()
    assert len(cached) == 2 and all(f":{INSTALLATION}:" in k for k in cached)
