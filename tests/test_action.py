"""The GitHub Action: action.yml as GitHub reads it, and its step run as a workflow runs it — in a checkout,
on a saved `pull_request` event payload, writing the job summary, failing exactly when the App would block."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import load_fixture

ROOT = Path(__file__).resolve().parents[1]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, str, str]:
    repo = tmp_path / "work"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / ".agentbudget.yml").write_text("mode: enforce\n")
    (repo / "app.py").write_text("".join(f"x{i} = {i}\n" for i in range(5)))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-qb", "feature")
    (repo / "app.py").write_text("".join(f"x{i} = {i * 2}\n" for i in range(40)))
    git(repo, "commit", "-qam", "double everything")
    return repo, base, git(repo, "rev-parse", "HEAD").strip()


def event(
    tmp_path: Path, base: str, head: str, *, body: str, login: str, labels: tuple[str, ...] = ()
) -> Path:
    payload = load_fixture("pull_request.opened.json")
    pull = payload["pull_request"]
    pull["base"]["sha"], pull["head"]["sha"], pull["body"] = base, head, body
    pull["user"]["login"] = login
    pull["labels"] = [{"name": name} for name in labels]
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return path


def run_step(
    repo: Path, event_path: Path, summary: Path, name: str = "pull_request"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-P", "-m", "app.cli", "action"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PYTHONPATH": str(ROOT),
            "PATH": "/usr/bin:/bin",
            "HOME": str(repo),
            "GITHUB_EVENT_NAME": name,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_STEP_SUMMARY": str(summary),
        },
    )


def test_action_yml_is_a_composite_action_that_runs_the_step() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    runs = [step.get("run", "") for step in action["runs"]["steps"]]
    assert any("${{ github.action_path }}" in run for run in runs)
    assert runs[-1].strip() == "agentbudget action"
    assert set(action["inputs"]) == {"config", "python-version"}


def test_an_agent_pr_without_evidence_fails_the_job_with_the_run_in_the_summary(
    checkout: tuple[Path, str, str], tmp_path: Path
) -> None:
    repo, base, head = checkout
    summary = tmp_path / "summary.md"
    path = event(
        tmp_path,
        base,
        head,
        body="Changes every value to its double.",
        login="alice",
        labels=("agent-authored",),
    )
    done = run_step(repo, path, summary)
    assert done.returncode == 1, done.stdout + done.stderr
    page = summary.read_text()
    assert page.startswith("## agentbudget: Blocked: evidence — missing: not changed, tests run, uncertainty")
    assert "label 'agent-authored'" in page and "### Decision" in page


def test_a_human_pr_passes_and_a_trailer_in_the_range_makes_it_an_agents(
    checkout: tuple[Path, str, str], tmp_path: Path
) -> None:
    repo, base, head = checkout
    summary = tmp_path / "summary.md"
    assert (
        run_step(repo, event(tmp_path, base, head, body="Doubles.", login="alice"), summary).returncode == 0
    )
    git(repo, "commit", "-q", "--allow-empty", "-m", "Tidy\n\nCo-authored-by: Claude <noreply@anthropic.com>")
    head = git(repo, "rev-parse", "HEAD").strip()
    done = run_step(repo, event(tmp_path, base, head, body="Doubles.", login="alice"), summary)
    assert done.returncode == 1 and "commit trailer 'Co-authored-by: Claude" in summary.read_text()


def test_outside_a_pull_request_event_it_says_so(checkout: tuple[Path, str, str], tmp_path: Path) -> None:
    repo, base, head = checkout
    path = event(tmp_path, base, head, body="", login="alice")
    done = run_step(repo, path, tmp_path / "summary.md", name="push")
    assert done.returncode == 2
    assert done.stderr.strip() == "agentbudget action: runs on pull_request events, not 'push'"
