"""The running stack the end-to-end tests share: loopback GitHub, settings, a real uvicorn server, a real
arq worker, and helpers to deliver signed events. Registered as a pytest plugin in conftest.py."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from arq.worker import Worker

from app.settings import Settings
from app.signature import sign
from app.web import create_app
from app.worker import worker_options
from tests.conftest import SECRET, load_fixture
from tests.fakegithub import FakeGitHub
from tests.servers import serve_asgi

OWNER, REPO, NUMBER, INSTALLATION = "Codertocat", "Hello-World", 2, 1
SHA_1 = "1" * 40
SHA_2 = "2" * 40

SMALL_DIFF = """diff --git a/app.py b/app.py
index 1111111..2222222 100644
--- a/app.py
+++ b/app.py
@@ -1,2 +1,3 @@
 import os
+import sys
 print(os.name)
diff --git a/README.md b/README.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/README.md
@@ -0,0 +1,2 @@
+# Hello
+World
"""


def big_diff(files: int, lines_each: int) -> str:
    parts = []
    for i in range(files):
        body = "".join(f"+line {j}\n" for j in range(lines_each))
        parts.append(
            f"diff --git a/src/f{i}.py b/src/f{i}.py\nnew file mode 100644\nindex 0000000..1111111\n"
            f"--- /dev/null\n+++ b/src/f{i}.py\n@@ -0,0 +1,{lines_each} @@\n{body}"
        )
    return "".join(parts)


def delivery_for(action: str, head_sha: str) -> bytes:
    payload = load_fixture(f"pull_request.{action}.json")
    payload = copy.deepcopy(payload)
    payload["pull_request"]["head"]["sha"] = head_sha
    payload["number"] = NUMBER
    payload["pull_request"]["number"] = NUMBER
    payload["installation"] = {"id": INSTALLATION}
    # Every recorded payload comes from a different repository; these tests speak of one.
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return json.dumps(payload).encode()


ORG_DEFAULTS = "mode: enforce\n"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    with fake.serve():
        fake.add_installation(INSTALLATION, OWNER)
        repository = load_fixture("pull_request.opened.json")["repository"]
        fake.add_repo(OWNER, REPO, installation_id=INSTALLATION, repo_id=repository["id"])
        # The organization has moved past observe mode (docs/rollout.md): its defaults enforce, and the
        # repositories' own files, which the tests write, are merged over them.
        fake.add_repo(OWNER, ".github", installation_id=INSTALLATION)
        fake.set_file(OWNER, ".github", "main", ".agentbudget.yml", ORG_DEFAULTS)
        fake.add_pull_request(
            OWNER, REPO, NUMBER, head_sha=SHA_1, diff=SMALL_DIFF, body="## Summary\nA change."
        )
        yield fake
    # Every answer the test drew from the fake is one GitHub's published models allow.
    assert fake.violations == [], "\n".join(fake.violations)


@pytest.fixture
def settings(redis_url: str, github: FakeGitHub, database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        webhook_secret=SECRET,
        app_id=str(github.app_id),
        private_key=github.private_key_pem,
        github_api_url=github.url,
        redis_url=redis_url,
        queue_name=f"agentbudget:e2e:{uuid.uuid4().hex[:8]}",
        github_retries=2,
        github_retry_delay=0.01,
        job_retry_delay=0.05,
        job_max_tries=3,
    )


@pytest.fixture
def server(settings: Settings) -> Iterator[httpx.Client]:
    with serve_asgi(create_app(settings)) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def process_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment that makes `agentbudget serve|worker` subprocesses use these settings."""
    return {
        **os.environ,
        "GITHUB_WEBHOOK_SECRET": settings.webhook_secret,
        "GITHUB_APP_ID": settings.app_id,
        "GITHUB_PRIVATE_KEY": settings.private_key,
        "GITHUB_API_URL": settings.github_api_url,
        "REDIS_URL": settings.redis_url,
        "AGENTBUDGET_QUEUE": settings.queue_name,
        "DATABASE_URL": settings.database_url,
        "AGENTBUDGET_GITHUB_RETRY_DELAY": str(settings.github_retry_delay),
        "AGENTBUDGET_JOB_RETRY_DELAY": str(settings.job_retry_delay),
        "AGENTBUDGET_JOB_MAX_TRIES": str(settings.job_max_tries),
        "AGENTBUDGET_RECONCILE_MINUTES": str(settings.reconcile_every_minutes),
        **extra,
    }


def deliver(
    client: httpx.Client, body: bytes, *, event: str = "pull_request", delivery: str | None = None
) -> httpx.Response:
    return client.post(
        "/webhook",
        content=body,
        headers={
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
            "X-Hub-Signature-256": sign(SECRET, body),
            "Content-Type": "application/json",
        },
    )


async def drain(settings: Settings) -> None:
    """Run a real arq worker until the queue (including deferred retries) is empty."""
    # The model providers' keys and timeout reach a worker through its environment (tests set them with
    # monkeypatch), read by Settings as `agentbudget worker` reads them.
    from_env = Settings.from_env(os.environ)
    settings = dataclasses.replace(
        settings, provider_env=from_env.provider_env, model_timeout_seconds=from_env.model_timeout_seconds
    )
    worker = Worker(**worker_options(settings), burst=True, handle_signals=False, poll_delay=0.01)
    try:
        await worker.async_run()
    finally:
        await worker.close()


def completed(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in runs if r["status"] == "completed"]


# Slash commands over the whole stack (webhook, queue, worker, loopback GitHub).

MAINTAINER = "mia"


def comment_delivery(body: str, *, user: str, comment_id: int, created_at: str | None = None) -> bytes:
    payload = copy.deepcopy(load_fixture("issue_comment.created.on_pull_request.json"))
    payload["issue"]["number"] = NUMBER
    payload["comment"].update(
        id=comment_id, body=body, user={**payload["comment"]["user"], "login": user, "type": "User"}
    )
    if created_at is not None:
        payload["comment"]["created_at"] = created_at
    payload["installation"] = {"id": INSTALLATION}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return json.dumps(payload).encode()


async def oversize(
    server: httpx.Client, github: FakeGitHub, settings: Settings, sha: str = SHA_2
) -> dict[str, Any]:
    github.set_head(OWNER, REPO, NUMBER, sha, diff=big_diff(4, 600))
    assert deliver(server, delivery_for("synchronize", sha)).status_code == 202
    await drain(settings)
    run = ours(github, sha)
    # The size gate holds the review, not the merge (review.required is off by default).
    assert run["conclusion"] == "neutral"
    assert run["output"]["title"].startswith("Review waits for approval")
    return run


def ours(github: FakeGitHub, sha: str) -> dict[str, Any]:
    return next(r for r in github.runs_for(OWNER, REPO, sha) if r["name"] == "agentbudget")


async def comment(
    server: httpx.Client,
    github: FakeGitHub,
    settings: Settings,
    body: str,
    user: str,
    *,
    written_at: str | None = None,
) -> dict[str, Any]:
    posted = github.add_comment(OWNER, REPO, NUMBER, body, user=user)
    delivery = comment_delivery(
        body, user=user, comment_id=posted["id"], created_at=written_at or posted["created_at"]
    )
    response = deliver(server, delivery, event="issue_comment")
    # 202: queued; 200: the server already saw no command in it (a quote).
    assert response.status_code in (200, 202)
    await drain(settings)
    return posted


def reactions(github: FakeGitHub, comment_id: int) -> list[str]:
    return [r["content"] for r in github.reactions if r["comment_id"] == comment_id]


def replies(github: FakeGitHub) -> list[str]:
    return [
        c["body"] for c in github.comments if c["user"]["login"] != MAINTAINER and c["user"]["type"] == "Bot"
    ]
