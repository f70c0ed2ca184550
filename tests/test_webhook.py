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
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

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


# --- Finding 6a: every payload shape is answered 2xx/4xx, never 500 ---

PAYLOAD_KEYS = (
    "action", "repository", "owner", "login", "id", "name", "full_name", "pull_request", "head", "sha",
    "number", "installation", "check_suite", "pull_requests", "app", "check_run", "head_sha",
    "requested_action", "identifier", "sender", "issue", "comment", "user", "type", "body", "created_at",
    "state", "account", "merged",
)  # fmt: skip
ROUTED_EVENTS = (
    "pull_request", "check_suite", "check_run", "issue_comment", "status", "installation",
    "installation_repositories", "ping", "push",
)  # fmt: skip

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 2**40)
    | st.text(max_size=6)
    | st.sampled_from(["opened", "created"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(PAYLOAD_KEYS), inner, max_size=5)
    ),
    max_leaves=12,
)


def _mutate(payload: Any, path: list[str], value: Any) -> Any:
    """The payload with the object at `path` (as deep as it goes) given `value` at its last key."""
    if not path or not isinstance(payload, dict):
        return value
    key, rest = path[0], path[1:]
    return {**payload, key: _mutate(payload.get(key), rest, value) if rest else value}


@st.composite
def payload_shapes(draw: st.DrawFn) -> tuple[str, Any]:
    """A recorded delivery with one field, at any depth, given another shape; or a made-up object."""
    name = draw(st.sampled_from(sorted(EXPECTED)))
    event = name.split(".")[0]
    if draw(st.integers(0, 4)) == 0:
        payload: Any = draw(st.dictionaries(st.sampled_from(PAYLOAD_KEYS), json_values, max_size=8))
        if draw(st.booleans()):
            payload["installation"] = {"id": 1}
        return draw(st.sampled_from(ROUTED_EVENTS)), payload
    payload = load_fixture(name)
    path: list[str] = []
    node: Any = payload
    for _ in range(draw(st.integers(1, 3))):
        if not isinstance(node, dict) or not node:
            break
        path.append(draw(st.sampled_from(sorted(node))))
        node = node[path[-1]]
    wrong = st.text(min_size=1, max_size=6) | st.lists(json_values, min_size=1, max_size=3) | json_values
    return event, _mutate(payload, path, draw(wrong))


# The twelve shapes the issue found answered 500, kept as fixed examples.
KNOWN_500S = [
    ("pull_request.opened.json", ["repository"], "acme/widgets"),
    ("pull_request.opened.json", ["repository"], ["acme"]),
    ("pull_request.opened.json", ["pull_request"], "42"),
    ("pull_request.opened.json", ["pull_request"], [1]),
    ("pull_request.opened.json", ["pull_request", "head"], ["sha"]),
    ("pull_request.opened.json", ["repository", "owner"], "acme"),
    ("check_suite.rerequested.json", ["check_suite"], "x"),
    ("check_suite.rerequested.json", ["check_suite", "pull_requests"], "x"),
    ("check_suite.rerequested.json", ["check_suite", "app"], [1]),
    ("check_run.rerequested.json", ["check_run"], ["x"]),
    ("issue_comment.created.on_pull_request.json", ["comment"], "x"),
    ("installation.created.json", ["installation", "account"], "x"),
]


@pytest.mark.parametrize(("name", "path", "value"), KNOWN_500S)
def test_known_hostile_shapes_are_not_500(
    name: str, path: list[str], value: Any, client: httpx.Client
) -> None:
    payload = _mutate(load_fixture(name), path, value)
    response = post(client, name.split(".")[0], json.dumps(payload).encode())
    assert response.status_code < 500, (path, value, response.text)


def test_every_payload_shape_is_answered_without_500(redis_url: str) -> None:
    with TestClient(create_app(settings_for(redis_url))) as client:

        @hyp_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(payload_shapes())
        def check(shape: tuple[str, Any]) -> None:
            event, payload = shape
            response = post(client, event, json.dumps(payload).encode())
            assert response.status_code < 500, (event, payload, response.text)

        check()


# --- Finding 6b: the signature gates the body: unsigned deliveries are refused unread ---


class BodyCounter:
    """ASGI wrapper counting the request-body bytes the app pulls from the server."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.pulled = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def counting() -> Any:
            message = await receive()
            self.pulled += len(message.get("body", b""))
            return message

        await self.app(scope, counting if scope["type"] == "http" else receive, send)


@pytest.mark.parametrize("claimed", [None, "sha256=", "sha1=" + "0" * 40, "sha256=zz" + "0" * 62])
def test_unsigned_delivery_is_refused_before_its_body_is_read(
    claimed: str | None, redis_url: str, store: redis.Redis
) -> None:
    counter = BodyCounter(create_app(settings_for(redis_url)))
    body = json.dumps({"action": "opened", "padding": "x" * 1_000_000}).encode()
    headers = {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d-unsigned"}
    if claimed is not None:
        headers["X-Hub-Signature-256"] = claimed
    with TestClient(counter) as client:
        response = client.post("/webhook", content=body, headers=headers)
    assert response.status_code == 401
    assert counter.pulled == 0
    assert store.zcard(QUEUE) == 0
