"""A soak of the whole stack on loopback, shared by `tests/test_soak.py` (faults, small) and `bench/soak.py`.

GitHub's side is played here: signed deliveries from several installations and PRs are posted to a real
uvicorn server, each delivery is logged on the loopback GitHub with the status it got (as GitHub's delivery
log does), and a redelivery the reconciler asks for is re-posted with the same GUID. Real worker processes
run under a small supervisor that restarts any that exit, as Docker's restart policy would.
"""

from __future__ import annotations

import asyncio
import copy
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis as redis_sync
from arq.connections import ArqRedis

from app import job_names, keys
from app.github import GitHubApp
from app.reconcile import reconcile
from app.settings import Settings
from app.signature import sign
from app.web import create_app
from tests.conftest import SECRET, load_fixture
from tests.fakegithub import FakeGitHub
from tests.redis_server import RedisServer
from tests.servers import serve_asgi
from tests.stack import SMALL_DIFF, process_env

BODY = "## What changed\nA change.\n"


@dataclass
class SoakPlan:
    installations: int = 3
    prs_per_installation: int = 3
    deliveries: int = 600
    workers: int = 2
    share_502: float = 0.0
    share_403: float = 0.0
    kill_redis_at: float | None = None  # fraction of the deliveries sent
    redis_outage_deliveries: int = 25
    kill_worker_at: float | None = None
    github_latency: float = 0.0
    seed: int = 7
    deadline_seconds: float = 240.0
    synchronize_share: float = 0.6  # the rest: 3/4 body edits, 1/4 labels
    sequential: bool = False  # wait for each delivery's check run before the next (calls per event)
    database_url: str | None = None  # the ledger; None: a SQLite file in the soak's work directory


@dataclass
class Sent:
    guid: str
    event: str
    action: str
    body: bytes
    repo: str
    sha: str
    statuses: list[int] = field(default_factory=list)
    posted_at: float = 0.0


@dataclass
class SoakReport:
    deliveries: int
    seconds_sending: float
    webhook_latencies: list[float]
    end_to_end: list[float]
    refused: int  # answered 503 at first (Redis down)
    redelivered: int
    lost: list[str]
    duplicated_runs: list[tuple[str, str]]
    stuck_runs: list[tuple[str, str]]
    double_accepted: list[str]
    stale_heads: list[tuple[str, int]]
    worker_restarts: int
    api_calls: int
    evaluations: int
    github_faults: int  # 502 and 403 answers the stack absorbed

    @property
    def deliveries_per_second(self) -> float:
        return self.deliveries / self.seconds_sending

    @staticmethod
    def percentile(values: list[float], p: float) -> float:
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# arq keeps a cron job's in-progress mark for a minute after it finished (so no other worker runs the same
# tick again): with the reconciler on a one-minute cron, that mark is never a job still running.
_CRON_MARK = f"arq:in-progress:{job_names.RECONCILE_DELIVERIES}:".encode()


def running_jobs(store: Any) -> int:
    """Jobs some worker is running now (arq's in-progress marks, less the cron's kept ones)."""
    return sum(
        1 for key in store.scan_iter("arq:in-progress:*", count=1000) if not key.startswith(_CRON_MARK)
    )


class Supervisor:
    """Keeps `count` worker processes running; restarts any that exit (or were killed)."""

    def __init__(self, count: int, env: dict[str, str]) -> None:
        self.env, self.count = env, count
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        self.restarts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        log = Path(tempfile.mkstemp(prefix="agentbudget-soak-worker-", suffix=".log")[1])
        self.logs.append(log)
        with log.open("wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "app.cli", "worker"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def start(self) -> None:
        self.procs = [self._start() for _ in range(self.count)]

    def tend(self) -> None:
        for i, proc in enumerate(self.procs):
            if proc.poll() is not None:
                self.procs[i] = self._start()
                self.restarts += 1

    def kill_one(self) -> None:
        self.procs[0].kill()
        self.procs[0].wait()

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self.logs:
            log.unlink(missing_ok=True)

    def output(self) -> str:
        return "\n".join(log.read_text(errors="replace")[-4000:] for log in self.logs if log.exists())


def _repository(owner: str, name: str, repo_id: int) -> dict[str, Any]:
    repository = copy.deepcopy(load_fixture("pull_request.opened.json")["repository"])
    repository.update(id=repo_id, name=name, full_name=f"{owner}/{name}")
    repository["owner"] = {**repository["owner"], "login": owner}
    return repository


class Soak:
    def __init__(self, plan: SoakPlan, github: FakeGitHub, work: Path) -> None:
        self.plan, self.github, self.work = plan, github, work
        self.rng = random.Random(plan.seed)
        self.redis = RedisServer(persistent=True)
        self.sent: list[Sent] = []
        self.by_guid: dict[str, Sent] = {}
        self.prs: list[tuple[int, str, str, int, int]] = []  # installation, owner, repo, repo_id, number
        self.heads: dict[tuple[str, int], str] = {}
        self.latencies: list[float] = []
        self.redelivered = 0

    # ------------------------------------------------------------------ setup

    def settings(self) -> Settings:
        return Settings(
            database_url=self.plan.database_url or f"sqlite:///{self.work}/ledger.sqlite3",
            webhook_secret=SECRET,
            app_id=str(self.github.app_id),
            private_key=self.github.private_key_pem,
            github_api_url=self.github.url,
            redis_url=self.redis.url,
            queue_name="agentbudget:soak",
            github_retries=2,
            github_retry_delay=0.01,
            job_retry_delay=0.2,
            job_max_tries=10,
            reconcile_every_minutes=0,
        )

    def populate(self) -> None:
        for i in range(1, self.plan.installations + 1):
            owner, name, repo_id = f"org{i}", "service", 7000 + i
            self.github.add_installation(i, owner)
            self.github.add_repo(owner, name, installation_id=i, repo_id=repo_id)
            for n in range(1, self.plan.prs_per_installation + 1):
                sha = uuid.uuid4().hex + uuid.uuid4().hex[:8]
                self.github.add_pull_request(owner, name, n, head_sha=sha, diff=SMALL_DIFF, body=BODY)
                self.prs.append((i, owner, name, repo_id, n))
                self.heads[(f"{owner}/{name}", n)] = sha

    # ------------------------------------------------------------------ GitHub's side

    def next_delivery(self) -> Sent:
        installation, owner, name, repo_id, number = self.rng.choice(self.prs)
        full = f"{owner}/{name}"
        roll = self.rng.random()
        sync = self.plan.synchronize_share
        action = "synchronize" if roll < sync else "edited" if roll < sync + (1 - sync) * 0.75 else "labeled"
        if action == "synchronize":
            sha = uuid.uuid4().hex + uuid.uuid4().hex[:8]
            self.github.set_head(owner, name, number, sha, diff=SMALL_DIFF)
            self.heads[(full, number)] = sha
        sha = self.heads[(full, number)]
        payload = copy.deepcopy(load_fixture(f"pull_request.{action}.json"))
        payload["number"] = payload["pull_request"]["number"] = number
        payload["pull_request"]["head"]["sha"] = sha
        payload["pull_request"]["body"] = BODY
        payload["installation"] = {"id": installation}
        payload["repository"] = _repository(owner, name, repo_id)
        return Sent(str(uuid.uuid4()), "pull_request", action, json.dumps(payload).encode(), full, sha)

    def post(self, client: httpx.Client, sent: Sent, *, redelivery: bool = False) -> int:
        started = time.perf_counter()
        sent.posted_at = sent.posted_at or time.monotonic()
        try:
            status = client.post(
                "/webhook",
                content=sent.body,
                headers={
                    "X-GitHub-Event": sent.event,
                    "X-GitHub-Delivery": sent.guid,
                    "X-Hub-Signature-256": sign(SECRET, sent.body),
                    "Content-Type": "application/json",
                },
            ).status_code
        except httpx.TransportError:
            status = 502
        self.latencies.append(time.perf_counter() - started)
        sent.statuses.append(status)
        payload = json.loads(sent.body)
        self.github.add_delivery(
            sent.guid,
            sent.event,
            sent.action,
            status,
            redelivery,
            installation_id=payload["installation"]["id"],
            repository_id=payload["repository"]["id"],
        )
        return status

    async def redeliver(self, settings: Settings, client: httpx.Client) -> None:
        """Run the reconciler until it finds nothing more to redeliver; re-post what it asks for."""
        app = GitHubApp(settings).app_client()
        redis = ArqRedis.from_url(settings.redis_url)
        ids = {d["id"]: d["guid"] for d in self.github._deliveries}
        try:
            for _ in range(20):
                before = len(self.github.redelivery_attempts)
                await reconcile(app, redis, max_redeliveries=1000, max_pages=50)
                asked = self.github.redelivery_attempts[before:]
                if not asked:
                    return
                for delivery_id in asked:
                    ids.update({d["id"]: d["guid"] for d in self.github._deliveries})
                    self.post(client, self.by_guid[ids[delivery_id]], redelivery=True)
                    self.redelivered += 1
        finally:
            await redis.aclose()

    # ------------------------------------------------------------------ the run

    def run(self) -> SoakReport:
        plan = self.plan
        self.populate()
        if plan.share_502:
            self.github.fail_share("*", r"/repos/.*", 502, plan.share_502, seed=plan.seed)
        if plan.share_403:
            self.github.fail_share(
                "*", r"/repos/.*", 403, plan.share_403, headers={"retry-after": "1"}, seed=plan.seed
            )
        self.github.latency = plan.github_latency
        self.redis.start()
        try:
            settings = self.settings()
            supervisor = Supervisor(
                plan.workers,
                process_env(settings, AGENTBUDGET_JOB_TIMEOUT="8", AGENTBUDGET_SHUTDOWN_GRACE="5"),
            )
            try:
                supervisor.start()
                with (
                    serve_asgi(create_app(settings)) as url,
                    httpx.Client(base_url=url, timeout=30) as client,
                ):
                    started = time.monotonic()
                    kill_redis = int(plan.deliveries * plan.kill_redis_at) if plan.kill_redis_at else -1
                    kill_worker = int(plan.deliveries * plan.kill_worker_at) if plan.kill_worker_at else -1
                    for k in range(plan.deliveries):
                        if k == kill_redis:
                            self.redis.kill()
                        if k == kill_redis + plan.redis_outage_deliveries:
                            self.redis.start()
                        if k == kill_worker:
                            supervisor.kill_one()
                        sent = self.next_delivery()
                        self.sent.append(sent)
                        self.by_guid[sent.guid] = sent
                        done = len(self.github.completions)
                        self.post(client, sent)
                        supervisor.tend()
                        if plan.sequential:
                            self.wait_completion(done)
                    seconds = time.monotonic() - started
                    asyncio.run(self.redeliver(settings, client))
                    self.wait_idle(settings, supervisor)
            finally:
                supervisor.stop()
            return self.report(settings, seconds, supervisor.restarts)
        finally:
            self.redis.cleanup()  # also when a step above failed: no server is left behind

    def wait_completion(self, before: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.github.completions) <= before:
            if time.monotonic() > deadline:
                raise AssertionError("no check run completed within 30 s")
            time.sleep(0.002)

    def wait_idle(self, settings: Settings, supervisor: Supervisor) -> None:
        """Until no job is queued or running. A loaded machine drains slowly but steadily, so what fails is a
        drain that stops: no job finished and no check run completed for `deadline_seconds`."""
        store = redis_sync.Redis.from_url(settings.redis_url)
        stall = self.plan.deadline_seconds
        deadline = time.monotonic() + stall
        fewest = None
        completions = len(self.github.completions)
        try:
            while True:
                supervisor.tend()
                queued = store.zcard(settings.queue_name)
                running = running_jobs(store)
                if queued == 0 and running == 0:
                    return
                left = queued + running
                if fewest is None or left < fewest or len(self.github.completions) > completions:
                    fewest = left if fewest is None else min(fewest, left)
                    completions = len(self.github.completions)
                    deadline = time.monotonic() + stall
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"the drain stopped: nothing finished for {stall:.0f} s, {queued} queued, "
                        f"{running} running\n{supervisor.output()}"
                    )
                time.sleep(0.1)
        finally:
            store.close()

    def report(self, settings: Settings, seconds: float, restarts: int) -> SoakReport:
        store = redis_sync.Redis(port=self.redis.port) if self.redis.process else None
        if store is None:
            self.redis.start()
            store = redis_sync.Redis(port=self.redis.port)
        try:
            lost = [s.guid for s in self.sent if not store.exists(keys.delivery(s.guid))]
        finally:
            store.close()
        runs = [r for r in self.github.check_runs if r["name"] == settings.check_name]
        per_sha = Counter((r["repository"].lower(), r["head_sha"]) for r in runs)
        completed_at: dict[tuple[str, str], float] = {}
        for at, repo, sha in self.github.completions:
            completed_at.setdefault((repo, sha), at)
        end_to_end = [
            completed_at[(s.repo.lower(), s.sha)] - s.posted_at
            for s in self.sent
            if s.action == "synchronize" and (s.repo.lower(), s.sha) in completed_at
        ]
        stale = []
        for (repo, number), sha in self.heads.items():
            mine = [r for r in runs if r["repository"].lower() == repo.lower() and r["head_sha"] == sha]
            if len(mine) != 1 or mine[0]["status"] != "completed":
                stale.append((repo, number))
        calls = [r for r in self.github.requests if r.path.startswith("/repos/") and r.status < 400]
        return SoakReport(
            deliveries=len(self.sent),
            seconds_sending=seconds,
            webhook_latencies=self.latencies[: len(self.sent)],
            end_to_end=[e for e in end_to_end if e >= 0],
            refused=sum(1 for s in self.sent if s.statuses and s.statuses[0] >= 500),
            redelivered=self.redelivered,
            lost=lost,
            duplicated_runs=[key for key, n in per_sha.items() if n > 1],
            stuck_runs=[(r["repository"], r["head_sha"]) for r in runs if r["status"] != "completed"],
            double_accepted=[s.guid for s in self.sent if s.statuses.count(202) > 1],
            stale_heads=stale,
            worker_restarts=restarts,
            api_calls=len(calls),
            evaluations=len(per_sha),
            github_faults=sum(1 for r in self.github.requests if r.status in (403, 502)),
        )


@contextmanager
def loopback_github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    with fake.serve():
        yield fake


def summary(report: SoakReport) -> str:
    p = SoakReport.percentile
    return (
        f"{report.deliveries} deliveries in {report.seconds_sending:.1f} s "
        f"({report.deliveries_per_second:.0f}/s); "
        f"webhook p50 {p(report.webhook_latencies, 50) * 1000:.1f} ms "
        f"p99 {p(report.webhook_latencies, 99) * 1000:.1f} ms; event→check run p50 "
        f"{p(report.end_to_end, 50):.2f} s p99 {p(report.end_to_end, 99):.2f} s; "
        f"503 then redelivered {report.refused}/{report.redelivered}; lost {len(report.lost)}; "
        f"duplicated runs {len(report.duplicated_runs)}; stuck {len(report.stuck_runs)}; "
        f"worker restarts {report.worker_restarts}"
    )


__all__ = ["Soak", "SoakPlan", "SoakReport", "loopback_github", "summary"]
