"""`agentbudget review` as a user runs it: a real process on a git checkout, shipped defaults or the repo's
config, real Redis, a loopback provider; one clear line when something it needs is missing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeproviders import FakeProvider, serve_provider
from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parents[1]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "app.py").write_text("print('hello')\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (repo / "app.py").write_text("import os\nprint(open(os.environ['F']).read())\n")
    git(repo, "commit", "-qam", "read a file")
    return repo


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with serve_provider("anthropic") as fake:
        yield fake


def review(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-P", "-m", "app.cli", "review", "--base", "HEAD~1"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(repo.parent / "home"), **env},
    )


def test_runs_on_shipped_defaults_and_keeps_its_ledger_out_of_the_checkout(
    checkout: Path, provider: FakeProvider, redis_url: str
) -> None:
    env = {"REDIS_URL": redis_url, "ANTHROPIC_API_KEY": "sk-ant-test", "ANTHROPIC_BASE_URL": provider.url}
    done = review(checkout, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Tokens" in done.stdout and len(provider.requests) == 1
    assert not list(checkout.glob("*.sqlite3"))  # nothing written into the user's checkout
    assert (checkout.parent / "home" / ".local" / "share" / "agentbudget" / "ledger.sqlite3").is_file()


def test_without_redis_one_line_and_exit_2(checkout: Path, provider: FakeProvider) -> None:
    env = {
        "REDIS_URL": f"redis://:hunter2@127.0.0.1:{free_port()}/0",
        "ANTHROPIC_API_KEY": "sk-ant-test",
        "ANTHROPIC_BASE_URL": provider.url,
    }
    done = review(checkout, env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Redis at 127.0.0.1" in done.stderr and "hunter2" not in done.stderr
    assert provider.requests == []


def test_without_a_provider_key_one_line_and_exit_2(checkout: Path, redis_url: str) -> None:
    done = review(checkout, {"REDIS_URL": redis_url})
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "agentbudget: no key for anthropic (claude-haiku-4-5): ANTHROPIC_API_KEY is not set"
    )
