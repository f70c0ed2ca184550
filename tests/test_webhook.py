"""The webhook endpoint against a real Redis: every recorded GitHub payload, signatures, limits, dedupe."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis

from app.settings import Settings, SettingsError
from app.signature import sign
from app.web import create_app
from tests.conftest import FIXTURES, SECRET, load_fixture
from tests.redis_server import free_port
from tests.servers import serve_asgi

QUEUE = "agentbudget:test-queue"

# What each recorded delivery must turn into: the job functions, or nothing (a deliberate no-op).
EXPECTED: dict[str, list[str]] = {
    "check_run.completed.json": [],
    "check_run.created.json": [],
    "check_run.requested_action.json": ["handle_check_run"],
    "check_run.rerequested.json": ["handle_check_run"],
    "check_suite.requested.json": ["evaluate_commit"],
    "check_suite.rerequested.json": ["evaluate_pull_request"],
    "installation.created.json": ["sync_installation"],
    "installation.deleted.json": ["sync_installation"],
    "installation.new_permissions_accepted.json": ["sync_installation"],
    "installation.suspend.json": ["sync_installation"],
    "installation_repositories.added.json": ["sync_installation"],
    "installation_repositories.removed.json": ["sync_installation"],
    "issue_comment.created.json": [],
    "issue_comment.created.on_pull_request.json": [],
    "issue_comment.created.with-installation.json": [],
    "issue_comment.deleted.json": [],
    "issue_comment.edited.json": [],
    "pull_request.closed.json": ["record_pr_outcome"],
    "pull_request.converted_to_draft.with-installation.json": ["evaluate_pull_request"],
    "pull_request.edited.json": ["evaluate_pull_request"],
    "pull_request.labeled.json": ["evaluate_pull_request"],
    "pull_request.opened.json": ["evaluate_pull_request"],
    "pull_request.opened.with-organization.json": ["evaluate_pull_request"],
    "pull_request.ready_for_review.with-installation.json": ["evaluate_pull_request"],
    "pull_request.reopened.json": ["evaluate_pull_request"],
    "pull_request.synchronize.json": ["evaluate_pull_request"],
    "pull_request_review.submitted.json": [],
    "pull_request_review_comment.created.json": [],
}


def settings_for(redis_url: str, **overrides: Any) -> Settings:
    return Settings(webhook_secret=SECRET, redis_url=redis_url, queue_name=QUEUE, **overrides)


@contextlib.contextmanager
def TestClient(app: Any) -> Iterator[httpx.Client]:
    """A real uvicorn serving `app`, and an HTTP client pointed at it."""
    with serve_asgi(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


@pytest.fixture
def client(redis_url: str) -> Iterator[httpx.Client]:
    with TestClient(create_app(settings_for(redis_url))) as test_client:
        yield test_client


@pytest.fixture
def store(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def post(
    client: httpx.Client,
    event: str,
    body: bytes,
    *,
    delivery: str | None = None,
    signature: str | None = None,
) -> Any:
    headers = {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(SECRET, body) if signature is None else signature,
        "Content-Type": "application/json",
    }
    return client.post("/webhook", content=body, headers=headers)


def queued_functions(store: redis.Redis) -> list[str]:
    from arq.jobs import deserialize_job

    names = []
    for job_id in store.zrange(QUEUE, 0, -1):
        raw = store.get(b"arq:job:" + job_id)
        assert raw is not None
        names.append(deserialize_job(raw).function)
    return sorted(names)


def test_every_fixture_is_covered() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_signed_fixture_routes_to_expected_job(name: str, redis_url: str, store: redis.Redis) -> None:
    payload = load_fixture(name)
    event = name.split(".")[0]
    check_name = payload["check_run"]["name"] if event == "check_run" else "agentbudget"
    with TestClient(create_app(settings_for(redis_url, check_name=check_name))) as client:
        response = post(client, event, json.dumps(payload).encode())
    assert response.status_code < 500
    expected = EXPECTED[name]
    assert response.status_code == (202 if expected else 200), response.text
    assert queued_functions(store) == sorted(expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_signature_is_401_and_enqueues_nothing(
    name: str, client: httpx.Client, store: redis.Redis
) -> None:
    body = (FIXTURES / name).read_bytes()
    event = name.split(".")[0]
    assert post(client, event, body, signature=sign("wrong secret", body)).status_code == 401
    assert post(client, event, body, signature="").status_code == 401
    assert store.zcard(QUEUE) == 0


def test_sha1_signature_is_refused(client: httpx.Client, store: redis.Redis) -> None:
    import hashlib
    import hmac

    body = (FIXTURES / "pull_request.opened.json").read_bytes()
    sha1 = "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest()
    response = client.post(
        "/webhook",
        content=body,
        headers={"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d1", "X-Hub-Signature": sha1},
    )
    assert response.status_code == 401
    assert store.zcard(QUEUE) == 0


def test_signature_over_different_bytes_of_same_json_fails(client: httpx.Client) -> None:
    body = (FIXTURES / "pull_request.opened.json").read_bytes()
    reformatted = json.dumps(json.loads(body)).encode()
    assert reformatted != body
    assert post(client, "pull_request", body, signature=sign(SECRET, reformatted)).status_code == 401


def test_duplicate_delivery_is_processed_once(client: httpx.Client, store: redis.Redis) -> None:
    body = (FIXTURES / "pull_request.opened.json").read_bytes()
    first = post(client, "pull_request", body, delivery="guid-1")
    second = post(client, "pull_request", body, delivery="guid-1")
    assert first.status_code == 202
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert store.zcard(QUEUE) == 1


def test_push_events_for_same_sha_collapse_into_one_job(client: httpx.Client, store: redis.Redis) -> None:
    body = (FIXTURES / "pull_request.opened.json").read_bytes()
    assert post(client, "pull_request", body).status_code == 202
    assert post(client, "pull_request", body).status_code == 202  # a different delivery id
    assert store.zcard(QUEUE) == 1


def test_ping(client: httpx.Client) -> None:
    body = b'{"zen": "Keep it logically awesome.", "hook_id": 1}'
    response = post(client, "ping", body)
    assert response.status_code == 200 and response.json()["ok"] is True


def test_malformed_json_is_400(client: httpx.Client, store: redis.Redis) -> None:
    assert post(client, "pull_request", b"{not json").status_code == 400
    assert post(client, "pull_request", b"[1, 2]").status_code == 400
    assert post(client, "pull_request", b"\xff\xfe").status_code == 400
    assert store.zcard(QUEUE) == 0


def test_missing_event_header_is_400(client: httpx.Client) -> None:
    body = b"{}"
    response = client.post("/webhook", content=body, headers={"X-Hub-Signature-256": sign(SECRET, body)})
    assert response.status_code == 400


def test_oversized_body_is_413(redis_url: str, store: redis.Redis) -> None:
    with TestClient(create_app(settings_for(redis_url, max_body_bytes=1000))) as client:
        body = json.dumps({"action": "opened", "padding": "x" * 2000}).encode()
        assert post(client, "pull_request", body).status_code == 413
        # A chunked body with no Content-Length is capped while streaming.
        response = client.post(
            "/webhook",
            content=iter([body[:600], body[600:]]),
            headers={
                "X-GitHub-Event": "pull_request",
                "X-GitHub-Delivery": "d",
                "X-Hub-Signature-256": sign(SECRET, body),
            },
        )
        assert response.status_code == 413
    assert store.zcard(QUEUE) == 0


def test_redis_unreachable_is_503_and_readyz_fails() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with TestClient(create_app(settings_for(dead))) as client:
        body = (FIXTURES / "pull_request.opened.json").read_bytes()
        assert post(client, "pull_request", body).status_code == 503
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
        # A no-op event never needs the queue.
        assert (
            post(
                client, "pull_request_review", (FIXTURES / "pull_request_review.submitted.json").read_bytes()
            ).status_code
            == 200
        )


def test_failed_enqueue_does_not_mark_delivery_seen(
    redis_server: Any, redis_url: str, store: redis.Redis
) -> None:
    body = (FIXTURES / "pull_request.opened.json").read_bytes()
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with TestClient(create_app(settings_for(dead))) as client:
        assert post(client, "pull_request", body, delivery="guid-x").status_code == 503
    with TestClient(create_app(settings_for(redis_url))) as client:
        assert post(client, "pull_request", body, delivery="guid-x").status_code == 202
    assert store.zcard(QUEUE) == 1


def test_readyz_ok_with_redis(client: httpx.Client) -> None:
    assert client.get("/readyz").status_code == 200


def test_refuses_to_start_without_secret() -> None:
    with pytest.raises(SettingsError, match="GITHUB_WEBHOOK_SECRET"):
        create_app(Settings(webhook_secret=""))


@pytest.mark.parametrize(
    ("body", "queued"),
    [
        ("/agentbudget approve size", 1),
        ("```\n/agentbudget approve size\n```", 0),
        ("> /agentbudget approve size", 0),
        ("please /agentbudget review", 0),
    ],
)
def test_only_real_commands_reach_the_queue(
    client: httpx.Client, store: redis.Redis, body: str, queued: int
) -> None:
    payload = load_fixture("issue_comment.created.on_pull_request.json")
    payload["comment"]["body"] = body
    response = post(client, "issue_comment", json.dumps(payload).encode())
    assert response.status_code == (202 if queued else 200)
    assert store.zcard(QUEUE) == queued
