"""Findings 7 and 8: GitHub's documented behaviour. A secondary rate limit without retry-after is waited out
(a minute, then doubling), and a token GitHub refuses (401) is dropped and a new one minted."""

from __future__ import annotations

import json

import pytest
from arq import Retry
from arq.connections import ArqRedis

from app import services
from app.evaluation import evaluate
from app.gather import cached_fetch
from app.github import GitHubApp, GitHubError, RateLimited, Unauthorized
from app.settings import Settings
from config.errors import ConfigError
from tests.fakegithub import ROUTE_PERMISSIONS, TOKEN_PERMISSIONS, FakeGitHub
from tests.github_models import violation
from tests.stack import INSTALLATION, NUMBER, OWNER, REPO, SHA_1

SECONDARY = {
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
    "status": "403",
}


def token_requests(github: FakeGitHub) -> int:
    return sum(1 for r in github.requests if r.path.endswith("/access_tokens"))


async def run_job(settings: Settings, job_try: int) -> str:
    redis = ArqRedis.from_url(settings.redis_url)
    ctx: dict[str, object] = {"redis": redis, "job_try": job_try}
    try:
        await services.start(ctx, settings)
        return await evaluate(
            ctx,
            installation_id=INSTALLATION,
            repo_id=1296269,
            owner=OWNER,
            repo=REPO,
            number=NUMBER,
            head_sha=SHA_1,
            trigger="opened",
        )
    finally:
        await services.stop(ctx)
        await redis.aclose()


@pytest.mark.parametrize("status", [403, 429])
async def test_secondary_limit_without_retry_after_backs_off_from_a_minute(
    github: FakeGitHub, settings: Settings, status: int
) -> None:
    pull = rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}"
    for job_try, wait_ms in ((1, 60_000), (2, 120_000), (3, 240_000)):
        github.fail("GET", pull, status, body={**SECONDARY, "status": str(status)})
        with pytest.raises(Retry) as raised:
            await run_job(settings.__class__(**{**settings.__dict__, "job_max_tries": 5}), job_try)
        assert raised.value.defer_score == wait_ms
    assert await run_job(settings, 1) in ("success", "neutral", "failure", "action_required")


async def test_translation_of_a_secondary_limit_keeps_the_backoff(
    github: FakeGitHub, settings: Settings
) -> None:
    app = GitHubApp(settings)
    gh = await app.installation(INSTALLATION)
    github.fail("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}", 403, body=SECONDARY)
    with pytest.raises(RateLimited) as raised:
        await gh.get_pull(OWNER, REPO, NUMBER)
    assert raised.value.backoff and raised.value.defer(1) == 60


async def test_a_refused_token_is_forgotten_and_a_new_one_minted(
    github: FakeGitHub, settings: Settings
) -> None:
    app = GitHubApp(settings)
    gh = await app.installation(INSTALLATION)
    assert (await gh.get_pull(OWNER, REPO, NUMBER))["number"] == NUMBER
    github.expire_tokens()  # revoked before its hour ran out
    with pytest.raises(Unauthorized):
        await gh.get_pull(OWNER, REPO, NUMBER)
    assert token_requests(github) == 1
    fresh = await app.installation(INSTALLATION)
    assert (await fresh.get_pull(OWNER, REPO, NUMBER))["number"] == NUMBER
    assert token_requests(github) == 2


async def test_an_oversized_config_is_refused_from_metadata_before_download(
    github: FakeGitHub, settings: Settings
) -> None:
    """Finding 6c: the contents API's `size` is checked before the content is read (1-100 MB files need a
    second, raw request) or cached; the refusal is cached as a size, so a burst asks once."""
    github.set_file(OWNER, REPO, SHA_1, ".agentbudget.yml", "# " + "x" * 2_000_000 + "\n")
    gh = await GitHubApp(settings).installation(INSTALLATION)
    redis = ArqRedis.from_url(settings.redis_url)
    try:
        for _ in range(2):
            with pytest.raises(ConfigError) as raised:
                await cached_fetch(redis, gh, f"{OWNER}/{REPO}", ".agentbudget.yml", SHA_1)
            assert "2,000,003 bytes; the limit is 262,144" in raised.value.problems[0].message
        cached = [await redis.get(k) async for k in redis.scan_iter("agentbudget:file:*")]
    finally:
        await redis.aclose()
    reads = [r for r in github.requests if r.path.endswith("/contents/.agentbudget.yml")]
    assert len(reads) == 1 and "raw" not in reads[0].headers.get("accept", "")
    assert cached and max(len(v or b"") for v in cached) < 100


@pytest.mark.parametrize(
    "path", ["a#b.py", "q?x=1.py", "50%.py", "sp ace.py", "ü/日本.go", "dir/a#b/c%20d.py"]
)
async def test_paths_are_percent_encoded_in_rest_urls(
    github: FakeGitHub, settings: Settings, path: str
) -> None:
    """Finding 9: `a#b.py` was fetched as `a` (the rest read as a fragment), `q?x=1.py` as `q`."""
    github.set_file(OWNER, REPO, SHA_1, path, f"the text of {path}\n")
    gh = await GitHubApp(settings).installation(INSTALLATION)
    found = await gh.get_file(OWNER, REPO, path, SHA_1)
    assert found is not None and found[0] == f"the text of {path}\n"


# --- Finding 11: the fake answers as GitHub does -------------------------------------------------------


def test_an_answer_github_never_gives_is_a_violation() -> None:
    """The shape the fake served for `pulls/{n}/commits` before: GitHub's model requires far more."""
    old = [
        {"sha": "a" * 40, "commit": {"message": "m", "author": {"name": "n", "email": "e"}}, "author": None}
    ]
    found = violation("_pull_commits", 200, "application/json", json.dumps(old).encode())
    assert found is not None and "node_id" in found and "parents" in found
    assert violation("_get_pull", 404, "application/json", b'{"message": "Not Found"}') is not None
    body = b'{"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}'
    assert violation("_get_pull", 404, "application/json", body) is None


async def test_a_permission_missing_from_the_token_is_refused(github: FakeGitHub, settings: Settings) -> None:
    github.set_token_permissions({**TOKEN_PERMISSIONS, "issues": "read"})
    gh = await GitHubApp(settings).installation(INSTALLATION)
    with pytest.raises(GitHubError) as raised:
        await gh.comment(OWNER, REPO, NUMBER, "hello")
    assert raised.value.status == 403
    # An installation that has not accepted `statuses`: the app reads no statuses and goes on.
    github.set_token_permissions({k: v for k, v in TOKEN_PERMISSIONS.items() if k != "statuses"})
    narrower = await GitHubApp(settings).installation(INSTALLATION)
    assert await narrower.list_statuses(OWNER, REPO, SHA_1) == []
    assert any(r.status == 403 and r.path.endswith("/status") for r in github.requests)
    assert (await narrower.get_pull(OWNER, REPO, NUMBER))["number"] == NUMBER  # what it was granted works


def test_app_yml_grants_what_every_route_the_app_uses_needs() -> None:
    needed = {name for name, _ in ROUTE_PERMISSIONS.values()}
    assert needed - {"statuses"} <= set(TOKEN_PERMISSIONS)  # statuses: write only for the fake's own tests


async def test_a_check_run_on_an_unknown_sha_is_422(github: FakeGitHub, settings: Settings) -> None:
    gh = await GitHubApp(settings).installation(INSTALLATION)
    with pytest.raises(GitHubError) as raised:
        await gh.create_check_run(OWNER, REPO, {"name": "agentbudget", "head_sha": "f" * 40})
    assert raised.value.status == 422
    created = await gh.create_check_run(OWNER, REPO, {"name": "agentbudget", "head_sha": SHA_1})
    assert created["head_sha"] == SHA_1
