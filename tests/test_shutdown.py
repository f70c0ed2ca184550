"""Graceful shutdown and restarts of real processes: SIGTERM drains, Redis restarts are survived.

Every wait here is on an observable event (a parked request arriving, a log line, a process exiting), with
a deadline so a broken build fails instead of hanging.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import redis as redis_sync
from arq.connections import ArqRedis

from app.queue import accept_delivery
from app.routing import route
from app.settings import Settings
from app.signature import sign
from tests.conftest import SECRET
from tests.fakegithub import FakeGitHub
from tests.redis_server import RedisServer, free_port
from tests.stack import (
    NUMBER,
    OWNER,
    REPO,
    SHA_1,
    SHA_2,
    SMALL_DIFF,
    completed,
    deliver,
    delivery_for,
    drain,
    process_env,
)


def env_for(settings: Settings, github: FakeGitHub, **extra: str) -> dict[str, str]:
    assert settings.github_api_url == github.url
    return process_env(settings, AGENTBUDGET_RECONCILE_MINUTES="0", **extra)


class Process:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.log = Path(tempfile.mkstemp(prefix="agentbudget-", suffix=".log")[1])
        self._out = self.log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *args], env=env, stdout=self._out, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s:\n{self.output()}"
            time.sleep(0.02)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._out.close()
        self.log.unlink(missing_ok=True)


@contextmanager
def running(args: list[str], env: dict[str, str]) -> Iterator[Process]:
    process = Process(args, env)
    try:
        yield process
    finally:
        process.stop()


def our_run(github: FakeGitHub, sha: str) -> dict:
    runs = github.runs_for(OWNER, REPO, sha)
    assert len(runs) == 1, runs
    return runs[0]


async def test_sigterm_lets_the_running_job_finish_and_takes_no_new_one(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    github.add_pull_request(OWNER, REPO, 3, head_sha=SHA_2, diff=SMALL_DIFF)
    parked = github.hold("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}/commits")
    with running(["worker"], env_for(settings, github, AGENTBUDGET_SHUTDOWN_GRACE="30")) as worker:
        assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
        assert parked.arrived.wait(30), worker.output()
        assert our_run(github, SHA_1)["status"] == "in_progress"

        worker.proc.send_signal(signal.SIGTERM)
        worker.wait_for(lambda: "allow_pick_jobs" in worker.output(), "the worker noticing SIGTERM")
        other = delivery_for("opened", SHA_2).replace(b'"number": 2', b'"number": 3')
        assert deliver(server, other).status_code == 202
        parked.release()
        assert worker.proc.wait(30) == 0, worker.output()

    run = our_run(github, SHA_1)
    assert run["status"] == "completed" and run["conclusion"] == "success"
    # The job queued after SIGTERM was left for the next worker, which takes it.
    assert github.runs_for(OWNER, REPO, SHA_2) == []
    await drain(settings)
    assert completed(github.runs_for(OWNER, REPO, SHA_2))


async def test_a_job_outliving_the_grace_period_is_requeued_and_finished_by_the_next_worker(
    server: httpx.Client, github: FakeGitHub, settings: Settings
) -> None:
    parked = github.hold("GET", rf"/repos/{OWNER}/{REPO}/pulls/{NUMBER}/commits")
    with running(["worker"], env_for(settings, github, AGENTBUDGET_SHUTDOWN_GRACE="1")) as worker:
        assert deliver(server, delivery_for("opened", SHA_1)).status_code == 202
        assert parked.arrived.wait(30), worker.output()
        worker.proc.send_signal(signal.SIGTERM)
        worker.proc.wait(30)
        assert "cancelled, will be run again" in worker.output()
    parked.release()
    assert our_run(github, SHA_1)["status"] == "in_progress"
    await drain(settings)
    run = our_run(github, SHA_1)
    assert run["status"] == "completed" and run["conclusion"] == "success"


def test_sigterm_lets_an_in_flight_delivery_finish(github: FakeGitHub, settings: Settings) -> None:
    port = free_port()
    with running(["serve"], env_for(settings, github, PORT=str(port))) as serve:

        def ready() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
            except httpx.TransportError:
                return False

        serve.wait_for(ready, "the server starting")
        body = delivery_for("opened", SHA_1)
        head = (
            f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-GitHub-Event: pull_request\r\n"
            f"X-GitHub-Delivery: in-flight-1\r\nX-Hub-Signature-256: {sign(SECRET, body)}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(head + body[:100])
            serve.proc.send_signal(signal.SIGTERM)
            serve.wait_for(lambda: "Shutting down" in serve.output(), "the server noticing SIGTERM")
            # New connections are refused while the in-flight one is still served.
            serve.wait_for(lambda: not ready(), "the listener closing")
            conn.sendall(body[100:])
            response = b""
            while b"\r\n\r\n" not in response:
                chunk = conn.recv(65536)
                assert chunk, "connection closed without a response"
                response += chunk
        assert response.startswith(b"HTTP/1.1 202"), response[:200]
        # uvicorn re-raises the signal once shut down cleanly, as a well-behaved process should.
        assert serve.proc.wait(30) in (0, -signal.SIGTERM), serve.output()
        assert "Application shutdown complete" in serve.output()
    store = redis_sync.Redis.from_url(settings.redis_url)
    try:
        assert store.exists("agentbudget:delivery:in-flight-1")
        assert store.zcard(settings.queue_name) == 1
    finally:
        store.close()


async def test_a_worker_whose_redis_restarts_recovers_or_exits_for_its_supervisor(
    github: FakeGitHub, settings: Settings
) -> None:
    own = RedisServer().start()
    try:
        env = env_for(settings, github, REDIS_URL=own.url)
        with running(["worker"], env) as worker:
            worker.wait_for(lambda: "worker ready" in worker.output(), "the worker starting")
            own.stop()
            own.start()  # same port, empty: as after a crash without persistence
            redis = ArqRedis.from_url(own.url)
            try:
                body = json.loads(delivery_for("opened", SHA_1))
                jobs = route("pull_request", body, "after-restart").jobs
                local = dataclasses.replace(settings, redis_url=own.url)
                assert (await accept_delivery(redis, "after-restart", jobs, local)).job_ids
            finally:
                await redis.aclose()
            # Either the worker carries on with the restarted Redis and evaluates the new delivery, or it
            # exits non-zero so its supervisor (Docker's restart policy, systemd, Kubernetes) starts a new
            # one. Silently idling is the one wrong answer.
            worker.wait_for(
                lambda: (
                    worker.proc.poll() not in (None, 0)
                    or bool(completed(github.runs_for(OWNER, REPO, SHA_1)))
                ),
                "recovery or a non-zero exit",
            )
    finally:
        own.cleanup()
