"""`agentbudget demo`: see the App work before registering it. From a source checkout, on this machine:
a Redis, the loopback GitHub the tests use, `agentbudget serve` and `agentbudget worker` as real processes;
one signed `pull_request.opened` delivery for a sample agent PR; the check run it posted, printed; then
everything stopped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import httpx

ROOT = Path(__file__).resolve().parents[1]
OWNER, REPO, NUMBER, INSTALLATION = "octo-org", "demo", 1, 1
HEAD_SHA = "d" * 40
AGENT = "copilot-swe-agent[bot]"
WAIT_SECONDS = 60


class DemoError(Exception):
    """What keeps the demo from running, in one line."""


def _source_checkout() -> None:
    if (
        not (ROOT / "tests" / "fakegithub" / "__init__.py").is_file()
        or not (ROOT / "examples" / "agent-pr.diff").is_file()
    ):
        raise DemoError("the demo runs from a source checkout (it reuses tests/fakegithub/ and examples/)")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], log: Any) -> Iterator[subprocess.Popen[bytes]]:
    from tests.servers import stop_process

    proc = subprocess.Popen([sys.executable, "-m", "app.cli", *args], env=env, stdout=log, stderr=log)
    try:
        yield proc
    finally:
        stop_process(proc)


def _wait(what: str, ready: Any, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not ready():
        if any(proc.poll() is not None for proc in procs):
            raise DemoError(f"a process exited before {what}")
        if time.monotonic() > deadline:
            raise DemoError(f"no {what} within {WAIT_SECONDS} s")
        time.sleep(0.1)


def _payload(sample: str) -> bytes:
    payload: dict[str, Any] = json.loads(
        (ROOT / "tests" / "fixtures" / "github-webhooks" / sample).read_text()
    )
    payload["installation"] = {"id": INSTALLATION}
    payload["number"] = payload["pull_request"]["number"] = NUMBER
    payload["pull_request"]["head"]["sha"] = HEAD_SHA
    payload["repository"].update(name=REPO, full_name=f"{OWNER}/{REPO}")
    payload["repository"]["owner"]["login"] = OWNER
    return json.dumps(payload).encode()


def run_demo(out: TextIO) -> int:
    _source_checkout()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from app.signature import sign
    from checks.plaintext import markdown_to_text
    from tests.fakegithub import FakeGitHub
    from tests.redis_server import RedisServer, free_port

    try:
        redis = RedisServer().start()
    except RuntimeError as exc:
        raise DemoError(str(exc)) from None
    github = FakeGitHub()
    secret = secrets.token_hex(16)
    port = free_port()
    try:
        with github.serve(), tempfile.TemporaryDirectory(prefix="agentbudget-demo-") as work:
            github.add_installation(INSTALLATION, OWNER)
            github.add_repo(OWNER, REPO, installation_id=INSTALLATION)
            github.set_file(OWNER, REPO, "main", ".agentbudget.yml", "mode: enforce\n")
            github.add_pull_request(
                OWNER,
                REPO,
                NUMBER,
                head_sha=HEAD_SHA,
                diff=(ROOT / "examples" / "agent-pr.diff").read_text(),
                body="Adds a --since filter to the export command.\n",
                user=AGENT,
                user_type="Bot",
            )
            env = {
                **os.environ,
                "GITHUB_WEBHOOK_SECRET": secret,
                "GITHUB_APP_ID": str(github.app_id),
                "GITHUB_PRIVATE_KEY": github.private_key_pem,
                "GITHUB_API_URL": github.url,
                "REDIS_URL": redis.url,
                "DATABASE_URL": f"sqlite:///{work}/ledger.sqlite3",
                "PORT": str(port),
                "PYTHONPATH": str(ROOT),
            }
            out.write(f"Redis on {redis.url}, loopback GitHub on {github.url}, serve on 127.0.0.1:{port}\n")
            with (
                open(Path(work) / "processes.log", "wb") as log,
                _process(["serve"], env, log) as serve,
                _process(["worker"], env, log) as worker,
            ):
                procs = [serve, worker]
                client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)

                def ready() -> bool:
                    try:
                        return client.get("/readyz").status_code == 200
                    except httpx.TransportError:
                        return False

                _wait("webhook server", ready, procs)
                body = _payload("pull_request.opened.json")
                answer = client.post(
                    "/webhook",
                    content=body,
                    headers={
                        "X-GitHub-Event": "pull_request",
                        "X-GitHub-Delivery": secrets.token_hex(8),
                        "X-Hub-Signature-256": sign(secret, body),
                        "Content-Type": "application/json",
                    },
                )
                what = f"pull_request.opened for {OWNER}/{REPO}#{NUMBER} by {AGENT}"
                out.write(f"Delivered {what}: HTTP {answer.status_code}\n")

                def posted() -> bool:
                    return any(
                        run.get("status") == "completed" for run in github.runs_for(OWNER, REPO, HEAD_SHA)
                    )

                _wait("completed check run", posted, procs)
                client.close()
    finally:
        redis.cleanup()
    run = next(run for run in github.runs_for(OWNER, REPO, HEAD_SHA) if run.get("status") == "completed")
    output = run["output"]
    out.write(
        f"\nThe check run agentbudget posted ({run['conclusion']}):\n\n{run['name']}: {output['title']}\n\n"
    )
    out.write(markdown_to_text(output.get("summary") or ""))
    out.write("\nEverything stopped. Register the App for real with `agentbudget setup`.\n")
    return 0
