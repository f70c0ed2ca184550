"""Scale-out with real processes: N `agentbudget worker`s on one ledger (SQLite and PostgreSQL), duplicated
deliveries, a PostgreSQL restart under a running worker.

What must hold: the provider is paid exactly once per commit and model, whatever the number of workers;
what the provider billed = what the ledger says = what the Redis counters say; `ledger rebuild` after Redis
loses everything restores exactly that.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest
import redis as redis_sync
from arq.connections import ArqRedis

from app.budget import Admission, open_ledger
from app.budget.scopes import org_month_key, pr_key
from app.cli import main
from app.settings import Settings
from tests.conftest import load_fixture
from tests.fakegithub import FakeGitHub
from tests.fakeproviders import FakeProvider, serve_provider
from tests.postgres_server import PostgresServer
from tests.soak import Supervisor, running_jobs
from tests.stack import OWNER, REPO, SMALL_DIFF, deliver, process_env

WORKERS = 4
PRS = 6
EDITS_PER_PR = 5  # re-evaluations of the same commit, each its own delivery (and job)
TOKENS_PER_CALL = 1_200 + 2_048 + 0 + 300  # the fake provider's usage: the tokens it bills per call


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with serve_provider("anthropic") as fake:
        yield fake


def sha_for(number: int) -> str:
    return f"{number:02d}" * 20


def pull_request_event(action: str, number: int) -> bytes:
    payload = copy.deepcopy(load_fixture(f"pull_request.{action}.json"))
    payload["number"] = payload["pull_request"]["number"] = number
    payload["pull_request"]["head"]["sha"] = sha_for(number)
    payload["installation"] = {"id": 1}
    payload["repository"] = load_fixture("pull_request.opened.json")["repository"]
    return json.dumps(payload).encode()


def wait_for(condition: Callable[[], bool], what: str, supervisor: Supervisor, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        supervisor.tend()
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n{supervisor.output()}"
        time.sleep(0.05)


def idle(settings: Settings) -> bool:
    store = redis_sync.Redis.from_url(settings.redis_url)
    try:
        running = running_jobs(store)
        return store.zcard(settings.queue_name) == 0 and running == 0
    finally:
        store.close()


def workers(settings: Settings, provider: FakeProvider, count: int) -> Supervisor:
    env = process_env(
        settings,
        ANTHROPIC_API_KEY="sk-ant-test-key",
        ANTHROPIC_BASE_URL=provider.url,
        AGENTBUDGET_SHUTDOWN_GRACE="5",
    )
    return Supervisor(count, env)


async def counters(settings: Settings) -> dict[str, tuple[int, int]]:
    redis = ArqRedis.from_url(settings.redis_url)
    admission = Admission(redis)
    month = time.strftime("%Y-%m", time.gmtime())
    keys = [pr_key(OWNER, REPO, n) for n in range(1, PRS + 1)] + [org_month_key(OWNER, month)]
    try:
        return {key: await admission.usage(key) for key in keys}
    finally:
        await redis.aclose()


async def test_four_workers_and_duplicated_deliveries_pay_once_per_commit(
    github: FakeGitHub,
    settings: Settings,
    server: httpx.Client,
    provider: FakeProvider,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for n in range(1, PRS + 1):
        github.add_pull_request(OWNER, REPO, n, head_sha=sha_for(n), diff=SMALL_DIFF, body="## Summary\nA.")
    supervisor = workers(settings, provider, WORKERS)
    supervisor.start()  # four processes opening (and migrating) one empty ledger at the same moment
    try:
        # Every PR: its push, then body edits on the same commit (separate jobs that race the push on
        # other workers), and each delivery redelivered once with its GUID (deduplicated by the server).
        for _ in range(EDITS_PER_PR + 1):
            for n in range(1, PRS + 1):
                action = "opened" if _ == 0 else "edited"
                body, guid = pull_request_event(action, n), str(uuid.uuid4())
                assert deliver(server, body, delivery=guid).status_code == 202
                assert deliver(server, body, delivery=guid).status_code == 200
        wait_for(lambda: idle(settings), "the queue to drain", supervisor)
    finally:
        supervisor.stop()  # SIGTERM: each worker closes its ledger connections on the way out

    assert supervisor.restarts == 0
    billed = provider.calls * TOKENS_PER_CALL
    assert provider.calls == PRS  # one paid call per commit and model
    ledger = open_ledger(settings.database_url)
    try:
        records = [r for r in ledger.usage_records() if r.outcome == "ok"]
    finally:
        ledger.close()
    assert sorted(r.pr for r in records) == list(range(1, PRS + 1))
    assert sum(r.total_tokens for r in records) == billed
    spent = await counters(settings)
    month_key = org_month_key(OWNER, time.strftime("%Y-%m", time.gmtime()))
    assert spent[month_key] == (billed, sum(r.micros for r in records))
    assert all(spent[pr_key(OWNER, REPO, r.pr)] == (r.total_tokens, r.micros) for r in records)

    # Redis loses everything; the ledger restores exactly what was spent.
    store = redis_sync.Redis.from_url(settings.redis_url)
    store.flushall()
    store.close()
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert await asyncio.to_thread(main, ["ledger", "rebuild"]) == 0
    assert await counters(settings) == spent


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_running_worker_and_server_survive_a_postgresql_restart(
    github: FakeGitHub,
    settings: Settings,
    server: httpx.Client,
    provider: FakeProvider,
    postgres_server: PostgresServer,
) -> None:
    for n in (1, 2):
        github.add_pull_request(OWNER, REPO, n, head_sha=sha_for(n), diff=SMALL_DIFF, body="## Summary\nA.")
    supervisor = workers(settings, provider, 1)
    supervisor.start()
    try:

        def reviewed(n: int) -> Callable[[], bool]:
            return lambda: any(r["status"] == "completed" for r in github.runs_for(OWNER, REPO, sha_for(n)))

        assert deliver(server, pull_request_event("opened", 1)).status_code == 202
        wait_for(reviewed(1), "the first review", supervisor)
        assert server.get("/readyz").json()["ledger"] == "ok"  # the server's reader is open now

        postgres_server.stop()
        down = server.get("/readyz")
        assert down.status_code == 503 and "ledger" in down.json()["error"]
        postgres_server.start()

        # The reader's pool reconnects in the background (with backoff): ready again without a restart.
        wait_for(lambda: server.get("/readyz").status_code == 200, "/readyz after the restart", supervisor)
        assert deliver(server, pull_request_event("opened", 2)).status_code == 202
        wait_for(reviewed(2), "the review after the restart", supervisor)
        wait_for(lambda: idle(settings), "the queue to drain", supervisor)
    finally:
        supervisor.stop()
    assert supervisor.restarts == 0  # the same worker process, reconnected
    ledger = open_ledger(settings.database_url)
    try:
        assert sorted(r.pr for r in ledger.usage_records() if r.outcome == "ok") == [1, 2]
    finally:
        ledger.close()
    assert provider.calls == 2


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_workers_close_their_connections_on_shutdown(
    settings: Settings, provider: FakeProvider, postgres_server: PostgresServer, database_url: str
) -> None:
    name = database_url.rsplit("/", 1)[1]

    def connections() -> int:
        rows = postgres_server.sql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'")
        return int(rows[0][0])

    supervisor = workers(settings, provider, 2)
    supervisor.start()
    try:
        wait_for(lambda: connections() >= 2, "both workers to connect", supervisor, seconds=60)
    finally:
        supervisor.stop()
    assert supervisor.restarts == 0
    assert connections() == 0


def test_a_cron_ticks_kept_mark_is_not_a_running_job(redis_url: str) -> None:
    store = redis_sync.Redis.from_url(redis_url)
    try:
        store.set("arq:in-progress:reconcile_deliveries:1796190017123", b"1", px=60_000)
        assert running_jobs(store) == 0
        store.set("arq:in-progress:evaluate:1:2:abc:push", b"1", px=60_000)
        assert running_jobs(store) == 1
    finally:
        store.close()
