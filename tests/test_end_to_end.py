"""End to end: signed delivery → real uvicorn → real Redis → real arq worker → loopback GitHub → check run."""

from __future__ import annotations

import contextlib
import copy
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import httpx
import redis

from app.settings import Settings
from app.web import create_app
from tests.conftest import SECRET, load_fixture
from tests.fakegithub import FakeGitHub
from tests.redis_server import RedisServer
from tests.servers import serve_asgi, stop_process
from tests.stack import (
    INSTALLATION,
    NUMBER,
    OWNER,
    REPO,
    SHA_1,
    SHA_2,
    SMALL_DIFF,
    big_diff,
    completed,
    deliver,
    delivery_for,
    drain,
    process_env,
)


async def test_opened_posts_one_completed_run_with_diff_summary(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert len(runs) == 1
    run = runs[0]
    assert run["name"] == "agentbudget" and run["status"] == "completed"
    assert run["conclusion"] == "success"
    assert "2 files, +3 −0" in run["output"]["summary"]
    assert "README.md" in run["output"]["text"]


async def test_same_delivery_twice_still_one_run(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    body = delivery_for("opened", SHA_1)
    assert deliver(server, body, delivery="same-guid").status_code == 202
    assert deliver(server, body, delivery="same-guid").status_code == 200
    await drain(settings)
    # A different delivery for the same sha after completion re-evaluates the same run, never a new one.
    assert deliver(server, delivery_for("edited", SHA_1)).status_code == 202
    await drain(settings)
    assert len(github.runs_for(OWNER, REPO, SHA_1)) == 1
    creates = [r for r in github.requests if r.method == "POST" and r.path.endswith("/check-runs")]
    assert len(creates) == 1


async def test_two_pushes_each_sha_gets_its_own_run(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=big_diff(1, 5))
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    first, second = github.runs_for(OWNER, REPO, SHA_1), github.runs_for(OWNER, REPO, SHA_2)
    assert len(first) == 1 and len(second) == 1
    assert first[0]["conclusion"] == "success" and second[0]["conclusion"] == "success"
    assert "+5 −0" in second[0]["output"]["summary"]


async def test_stale_sha_does_not_overwrite_newer_run(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=SMALL_DIFF)
    # The delivery for the older sha arrives after the PR moved on.
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert github.runs_for(OWNER, REPO, SHA_1) == []
    assert github.runs_for(OWNER, REPO, SHA_2) == []


async def test_github_502_on_diff_is_retried_in_process(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.fail("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}$", 502, times=2)
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert len(runs) == 1 and runs[0]["status"] == "completed" and runs[0]["conclusion"] == "success"
    assert sum(1 for r in github.requests if r.status == 502) == 2


async def test_persistent_502_requeues_the_job_then_completes(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    # More failures than the in-process retries allow: the job is re-queued by arq and succeeds later.
    github.fail("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}$", 502, times=4)
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert len(runs) == 1 and runs[0]["conclusion"] == "success"


async def test_unrecoverable_error_completes_neutral_with_reason(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    # The run is opened, then the diff keeps failing past every retry: the run must not stay in progress.
    github.fail("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}/files", 500, times=100)
    github.max_diff_files = 0  # every diff is "too large": falls back to the (failing) file list
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert len(runs) == 1
    assert runs[0]["status"] == "completed" and runs[0]["conclusion"] == "neutral"
    assert "500" in runs[0]["output"]["title"] + runs[0]["output"]["summary"]
    # The public run names the kind of failure, never the request path or GitHub's text (finding 6d).
    assert "/files" not in runs[0]["output"]["title"] + runs[0]["output"]["summary"]


async def test_too_large_diff_falls_back_to_file_list(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=big_diff(12, 3))
    github.max_diff_files = 10
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    run = github.runs_for(OWNER, REPO, SHA_2)[0]
    assert run["conclusion"] == "success"
    assert "12 files, +36 −0 (from GitHub's file list" in run["output"]["summary"]


async def test_oversize_diff_waits_for_approval(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=big_diff(4, 600))
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    run = github.runs_for(OWNER, REPO, SHA_2)[0]
    # The size gate holds the review (its spend), never a person's merge.
    assert run["conclusion"] == "neutral"
    assert run["output"]["title"].startswith("Review waits for approval: 2,400 changed lines")
    assert "/agentbudget approve size" in run["output"]["title"]


async def test_redis_stopped_is_503(github: FakeGitHub) -> None:
    own = RedisServer().start()
    try:
        settings = Settings(webhook_secret=SECRET, redis_url=own.url, queue_name="q")
        with serve_asgi(create_app(settings)) as url, httpx.Client(base_url=url) as client:
            assert deliver(client, delivery_for("opened", SHA_1)).status_code == 202
            own.stop()
            response = deliver(client, delivery_for("opened", SHA_2))
            assert response.status_code == 503
            assert client.get("/readyz").status_code == 503
    finally:
        own.cleanup()


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *args], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            yield proc
        finally:
            stop_process(proc)


def test_real_processes_serve_and_worker(github: FakeGitHub, settings: Settings) -> None:
    from tests.redis_server import free_port

    port = free_port()
    env = process_env(settings, PORT=str(port))
    with process(["serve"], env) as serve, process(["worker"], env):
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            while True:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert serve.poll() is None and time.monotonic() < deadline, "serve did not come up"
                time.sleep(0.05)
            assert deliver(client, delivery_for("opened", SHA_1)).status_code == 202
            while not completed(github.runs_for(OWNER, REPO, SHA_1)):
                assert time.monotonic() < deadline, "no completed check run within 30 s"
                time.sleep(0.05)
    runs = github.runs_for(OWNER, REPO, SHA_1)
    assert len(runs) == 1 and runs[0]["conclusion"] == "success"


async def test_body_edit_keeps_the_review_decision(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert deliver(server, delivery_for("edited", SHA_1)).status_code == 202
    await drain(settings)
    run = github.runs_for(OWNER, REPO, SHA_1)[0]
    assert run["output"]["title"].startswith("Passed"), run["output"]["title"]


async def test_invalid_base_config_fails_the_run_naming_key_and_line(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_file(
        OWNER, REPO, "main", ".agentbudget.yml", "review:\n  max_changed_lines: 10\n  skip_draft: true\n"
    )
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    run = github.runs_for(OWNER, REPO, SHA_1)[0]
    assert run["conclusion"] == "failure"
    assert "review.skip_draft" in run["output"]["title"]
    assert ".agentbudget.yml:3" in run["output"]["summary"] and "skip_drafts" in run["output"]["summary"]


async def test_pr_editing_config_is_told_it_applies_after_merge(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    config_diff = (
        "diff --git a/.agentbudget.yml b/.agentbudget.yml\nnew file mode 100644\nindex 0000000..1111111\n"
        "--- /dev/null\n+++ b/.agentbudget.yml\n@@ -0,0 +1,2 @@\n+review:\n+  max_changed_lines: 100000\n"
    ) + big_diff(2, 1000)
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=config_diff)
    github.set_file(OWNER, REPO, SHA_2, ".agentbudget.yml", "review:\n  max_changed_lines: 100000\n")
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    run = github.runs_for(OWNER, REPO, SHA_2)[0]
    # The base branch's limit (the shipped 1,500) still applies to this PR.
    assert run["conclusion"] == "neutral"
    assert run["output"]["title"].startswith("Review waits for approval: 2,002 changed lines > 1,500")
    summary = run["output"]["summary"]
    assert "takes effect after merge" in summary and "review.max_changed_lines" in summary


async def test_installation_token_is_fetched_once_per_worker(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.add_pull_request(OWNER, REPO, 3, head_sha=SHA_2, diff=SMALL_DIFF)
    other = json.loads(delivery_for("opened", SHA_2))
    other["number"] = other["pull_request"]["number"] = 3
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    assert deliver(server, json.dumps(other).encode()).status_code == 202
    await drain(settings)
    assert completed(github.runs_for(OWNER, REPO, SHA_1)) and completed(github.runs_for(OWNER, REPO, SHA_2))
    token_requests = [r for r in github.requests if r.path.endswith("/access_tokens")]
    assert len(token_requests) == 1


async def test_fork_check_suite_without_pull_requests_is_mapped_by_sha(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.add_pull_request(OWNER, REPO, 7, head_sha=SHA_2, diff=SMALL_DIFF, fork=True)
    suite = copy.deepcopy(load_fixture("check_suite.requested.json"))
    suite["check_suite"]["head_sha"] = SHA_2
    suite["check_suite"]["pull_requests"] = []
    suite["installation"] = {"id": INSTALLATION}
    suite["repository"] = load_fixture("pull_request.opened.json")["repository"]
    assert deliver(server, json.dumps(suite).encode(), event="check_suite").status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_2)
    assert len(runs) == 1 and runs[0]["conclusion"] == "success"
    assert runs[0]["external_id"] == f"{OWNER}/{REPO}#7@{SHA_2}"


async def test_push_and_check_suite_for_one_sha_evaluate_once(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    suite = copy.deepcopy(load_fixture("check_suite.requested.json"))
    suite["check_suite"]["head_sha"] = SHA_1
    suite["check_suite"]["pull_requests"] = [
        {"number": NUMBER, "head": {"sha": SHA_1}, "base": {"ref": "main"}}
    ]
    suite["installation"] = {"id": INSTALLATION}
    suite["repository"] = load_fixture("pull_request.opened.json")["repository"]
    assert deliver(server, delivery_for("synchronize", SHA_1)).status_code == 202
    assert deliver(server, json.dumps(suite).encode(), event="check_suite").status_code == 202
    await drain(settings)
    pull_reads = [r for r in github.requests if r.method == "GET" and r.path.endswith(f"/pulls/{NUMBER}")]
    assert len(pull_reads) == 2  # one job: the PR read plus its diff, not two jobs
    assert len(github.runs_for(OWNER, REPO, SHA_1)) == 1


async def test_suspended_installation_is_not_acted_for(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    suspend = copy.deepcopy(load_fixture("installation.suspend.json"))
    suspend["installation"]["id"] = INSTALLATION
    assert deliver(server, json.dumps(suspend).encode(), event="installation").status_code == 202
    await drain(settings)
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert github.runs_for(OWNER, REPO, SHA_1) == []
    assert not any(r.path.endswith("/access_tokens") for r in github.requests)


AGENT_BODY_WITHOUT_TESTS = """## Summary
Adds a `--since` filter to the export command.

## Out of scope
The export format.

## Risks
Dates are read as UTC.
"""


async def test_missing_tests_run_fails_then_body_edit_passes_same_sha(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.add_pull_request(
        OWNER,
        REPO,
        4,
        head_sha=SHA_2,
        diff=SMALL_DIFF,
        body=AGENT_BODY_WITHOUT_TESTS,
        user="copilot-swe-agent[bot]",
        user_type="Bot",
    )
    opened = json.loads(delivery_for("opened", SHA_2))
    opened["number"] = opened["pull_request"]["number"] = 4
    assert deliver(server, json.dumps(opened).encode()).status_code == 202
    await drain(settings)
    run = github.runs_for(OWNER, REPO, SHA_2)[0]
    assert run["conclusion"] == "failure"
    assert run["output"]["title"] == "Blocked: evidence — missing: tests run"
    assert "small change: 3 counted lines ≤ evidence.small_change_lines" in run["output"]["summary"]
    assert "## Tests run" in run["output"]["summary"]  # the block to paste

    github.set_body(OWNER, REPO, 4, AGENT_BODY_WITHOUT_TESTS + "\n## Testing\n- [x] `pytest -q` ✅\n")
    edited = json.loads(delivery_for("edited", SHA_2))
    edited["number"] = edited["pull_request"]["number"] = 4
    assert deliver(server, json.dumps(edited).encode()).status_code == 202
    await drain(settings)
    runs = github.runs_for(OWNER, REPO, SHA_2)
    assert len(runs) == 1 and runs[0]["conclusion"] == "success", runs[0]["output"]["title"]
    assert "`pytest -q` | ✅ passed" in runs[0]["output"]["summary"]


async def test_claim_contradicted_by_ci_blocks(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_body(OWNER, REPO, NUMBER, "## Summary\nA change.\n\n## Testing\nAll tests pass ✅\n")
    github.add_foreign_check_run(OWNER, REPO, SHA_1, "unit-tests", status="completed", conclusion="failure")
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    run = next(r for r in github.runs_for(OWNER, REPO, SHA_1) if r["name"] == "agentbudget")
    assert run["conclusion"] == "failure"
    assert "CI says unit-tests failed" in run["output"]["title"]
    assert "| unit-tests | ❌ failed |" in run["output"]["summary"]


async def test_agent_trailer_tokens_are_reported(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.set_commits(
        OWNER,
        REPO,
        NUMBER,
        ["Add feature\n\nAgent-Model: gpt-5-codex\nAgent-Tokens: input=12000 cached=3000 output=800"],
    )
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    summary = github.runs_for(OWNER, REPO, SHA_1)[0]["output"]["summary"]
    assert "input 12,000 · cached 3,000 · output 800" in summary


def suite_completed(head_sha: str, app_id: int) -> bytes:
    suite = copy.deepcopy(load_fixture("check_suite.requested.json"))
    suite["action"] = "completed"
    suite["check_suite"].update(
        head_sha=head_sha,
        status="completed",
        conclusion="success",
        app={**suite["check_suite"]["app"], "id": app_id},
    )
    suite["check_suite"]["pull_requests"] = [
        {"number": NUMBER, "head": {"sha": head_sha}, "base": {"ref": "main"}}
    ]
    suite["installation"] = {"id": INSTALLATION}
    suite["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return json.dumps(suite).encode()


async def test_ci_finishing_updates_the_observed_tests(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    ours = next(r for r in github.runs_for(OWNER, REPO, SHA_1) if r["name"] == "agentbudget")
    assert "No CI result observed" in ours["output"]["summary"]
    github.add_foreign_check_run(OWNER, REPO, SHA_1, "pytest", status="completed", conclusion="success")
    assert deliver(server, suite_completed(SHA_1, app_id=15368), event="check_suite").status_code == 202
    await drain(settings)
    ours = next(r for r in github.runs_for(OWNER, REPO, SHA_1) if r["name"] == "agentbudget")
    assert "| pytest | ✅ passed |" in ours["output"]["summary"]
    assert ours["output"]["title"].startswith("Passed")


async def test_our_own_suite_completing_does_not_loop(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert (
        deliver(server, suite_completed(SHA_1, app_id=github.app_id), event="check_suite").status_code == 202
    )
    await drain(settings)
    assert github.runs_for(OWNER, REPO, SHA_1) == []


async def test_unreadable_commit_statuses_do_not_break_the_run(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.fail(
        "GET",
        rf"/repos/{OWNER}/{REPO}/commits/{SHA_1}/status",
        403,
        body={"message": "Resource not accessible by integration"},
    )
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    assert github.runs_for(OWNER, REPO, SHA_1)[0]["conclusion"] == "success"


async def test_github_calls_per_synchronize_are_bounded(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
    await drain(settings)
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=SMALL_DIFF)
    before = len(github.requests)
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    # The redelivery reconciler's cron may tick during the drain (/app/hook/deliveries): not this push's.
    calls = [f"{r.method} {r.path}" for r in github.requests[before:] if not r.path.startswith("/app/hook/")]
    # token, PR, check runs (ours + other CI), create run, diff, commits, statuses, complete run; the
    # config files were read a moment ago and come from the cache.
    assert not any("/contents/" in c for c in calls), calls
    assert len(calls) <= 8, calls


async def test_oversized_head_config_is_refused_from_its_metadata(
    server: httpx.Client, github: FakeGitHub, settings: Settings, redis_url: str
) -> None:
    """A 2 MB `.agentbudget.yml` in the PR head is not cached; the run says it is too large (finding 6c)."""
    config_diff = (
        "diff --git a/.agentbudget.yml b/.agentbudget.yml\nnew file mode 100644\nindex 0000000..1111111\n"
        "--- /dev/null\n+++ b/.agentbudget.yml\n@@ -0,0 +1,1 @@\n+# padding\n"
    ) + SMALL_DIFF
    github.set_head(OWNER, REPO, NUMBER, SHA_2, diff=config_diff)
    github.set_file(OWNER, REPO, SHA_2, ".agentbudget.yml", "# " + "x" * 2_000_000 + "\n")
    assert deliver(server, delivery_for("synchronize", SHA_2)).status_code == 202
    await drain(settings)
    store = redis.Redis.from_url(redis_url)
    try:
        cached = [store.get(k) for k in store.scan_iter("agentbudget:file:*")]
    finally:
        store.close()
    assert cached and max(len(v or b"") for v in cached) < 10_000
    summary = completed(github.runs_for(OWNER, REPO, SHA_2))[0]["output"]["summary"]
    assert "2,000,003 bytes; the limit is 262,144" in summary
