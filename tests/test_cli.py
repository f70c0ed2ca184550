"""The command line, run as a real process: `agentbudget check` on git ranges and patches, `config …`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def agentbudget(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-P", "-m", "app.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "dev@example.com")
    git(tmp_path, "config", "user.name", "Dev")
    (tmp_path / ".agentbudget.yml").write_text("mode: enforce\nreview:\n  max_changed_lines: 5\n")
    (tmp_path / "app.py").write_text("print('hello')\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "checkout", "-qb", "feature")
    return tmp_path


def commit(repo: Path, files: dict[str, str], message: str = "change") -> None:
    for name, text in files.items():
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def test_bundled_example_passes_on_defaults() -> None:
    done = agentbudget(
        "check", "--diff-file", "examples/agent-pr.diff", "--body-file", "examples/agent-pr.md"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("SUCCESS: Passed")
    assert "package-lock.json" in done.stdout  # reported as ignored, not counted


def test_small_range_passes(repo: Path) -> None:
    commit(repo, {"app.py": "print('hello')\nprint('world')\n"})
    done = agentbudget("check", "--base", "main", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 file, +1 −0" in done.stdout


def test_oversize_range_holds_the_review_not_the_merge(repo: Path) -> None:
    commit(repo, {"app.py": "".join(f"print({i})\n" for i in range(10))})
    done = agentbudget("check", "--base", "main", "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["conclusion"] == "neutral" and verdict["blocking"] is False
    assert verdict["title"].startswith("Review waits for approval: 11 changed lines > 5")
    assert "/agentbudget approve size" in verdict["title"]
    size = next(g for g in verdict["gates"] if g["gate"] == "size")
    assert size["outcome"] == "needs_approval" and "> 5" in size["reason"]


def test_review_required_blocks_an_oversize_range(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    commit(repo, {".agentbudget.yml": "mode: enforce\nreview:\n  max_changed_lines: 5\n  required: true\n"})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(repo, {"app.py": "".join(f"print({i})\n" for i in range(10))})
    done = agentbudget("check", "--base", "main", "--format", "json", cwd=repo)
    assert done.returncode == 1
    verdict = json.loads(done.stdout)
    assert verdict["conclusion"] == "action_required" and verdict["blocking"] is True
    assert verdict["title"].startswith("Blocked until reviewed: 11 changed lines > 5")


def test_head_cannot_loosen_its_own_gate(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    commit(repo, {".agentbudget.yml": "mode: enforce\nreview:\n  max_changed_lines: 5\n  required: true\n"})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(
        repo,
        {
            ".agentbudget.yml": "review:\n  max_changed_lines: 100000\n",
            "app.py": "".join(f"x{i} = {i}\n" for i in range(10)),
        },
    )
    done = agentbudget("check", "--base", "main", "--format", "json", cwd=repo)
    assert done.returncode == 1
    assert json.loads(done.stdout)["conclusion"] == "action_required"


def test_invalid_base_config_is_a_usage_error_naming_the_key(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    commit(repo, {".agentbudget.yml": "review:\n  max_changed_line: 5\n"})
    git(repo, "checkout", "-q", "feature")
    done = agentbudget("check", "--base", "main", cwd=repo)
    assert done.returncode == 2
    assert "review.max_changed_line" in done.stderr and "max_changed_lines" in done.stderr


def test_unknown_base_ref_is_a_usage_error(repo: Path) -> None:
    done = agentbudget("check", "--base", "no-such-branch", cwd=repo)
    assert done.returncode == 2 and "no-such-branch" in done.stderr


def test_config_validate_and_schema(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text("budget:\n  per_pr:\n    usd: 3\n")
    bad = tmp_path / "bad.yml"
    bad.write_text("budget:\n  per_pr:\n    usd: -3\n")
    assert agentbudget("config", "validate", str(good)).returncode == 0
    failed = agentbudget("config", "validate", str(bad))
    assert failed.returncode == 2 and "budget.per_pr.usd" in failed.stdout
    schema = json.loads(agentbudget("config", "schema").stdout)
    assert schema["additionalProperties"] is False


FASTAPI_APP = (
    "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/items')\ndef items():\n    return []\n"
)


def test_exposure_command_flags_a_new_internal_route(repo: Path) -> None:
    base_app = FASTAPI_APP
    git(repo, "checkout", "-q", "main")
    commit(repo, {"api.py": base_app})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(repo, {"api.py": base_app + "\n\n@app.post('/admin/reset')\ndef reset():\n    return {}\n"})
    done = agentbudget("exposure", "--base", "main", "--format", "json", cwd=repo)
    assert done.returncode == 1, done.stdout + done.stderr
    found = json.loads(done.stdout)
    assert found["grows"] is True
    (finding,) = [f for f in found["findings"] if f["change"] == "added"]
    assert (finding["method"], finding["path"], finding["internal"]) == ("POST", "/admin/reset", True)


def test_exposure_command_reformat_is_no_growth(repo: Path) -> None:
    base_app = FASTAPI_APP
    git(repo, "checkout", "-q", "main")
    commit(repo, {"api.py": base_app})
    git(repo, "checkout", "-q", "-B", "feature")
    commit(repo, {"api.py": base_app.replace("'/items'", '"/items"')})
    done = agentbudget("exposure", "--base", "main", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "exposure does not grow" in done.stdout


def test_text_output_is_plain_text() -> None:
    done = agentbudget(
        "check", "--diff-file", "examples/agent-pr.diff", "--body-file", "examples/agent-pr.md"
    )
    for markup in ("&gt;", "&lt;", "\\_", "\\[", "\\]", "| --- |", "### ", "<details>", "`"):
        assert markup not in done.stdout, markup
    assert "Decision\n--------" in done.stdout and "1 ignored file not counted" in done.stdout


@pytest.mark.parametrize(
    ("args", "code"), [((), 0), (("--body-file", "/dev/null", "--label", "agent-authored"), 1)]
)
def test_a_closed_pipe_ends_quietly_with_the_decided_exit_code(
    args: tuple[str, ...], code: int, tmp_path: Path
) -> None:
    enforce = tmp_path / "enforce.yml"
    enforce.write_text("mode: enforce\n")
    command = [sys.executable, "-P", "-m", "app.cli", "check", "--diff-file", "examples/agent-pr.diff"]
    command += ["--config", str(enforce), *args]
    shell = " ".join(f"'{part}'" for part in command) + " | true; exit ${PIPESTATUS[0]}"
    done = subprocess.run(
        ["bash", "-c", shell],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
    )
    assert done.returncode == code and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_json_carries_the_parsed_evidence_and_the_deciding_agent_signal(tmp_path: Path) -> None:
    commits = tmp_path / "commits.json"
    commits.write_text(
        json.dumps(
            [{"sha": "abcdef0123", "message": "Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>"}]
        )
    )
    body = tmp_path / "body.md"
    body.write_text("## Summary\nFix paging.\n\n## Testing\n- [x] `pytest -q` ✅\n- [ ] Try it on staging\n")
    done = agentbudget(
        "check", "--diff-file", "examples/agent-pr.diff", "--body-file", str(body),
        "--author", "alice", "--commits-file", str(commits), "--format", "json",
    )  # fmt: skip
    data = json.loads(done.stdout)
    assert data["schema_version"] == 1
    evidence = data["evidence"]
    assert evidence["agent"]["authored"] is True and evidence["agent"]["signal"] == "trailer"
    assert "`Co-authored-by: Claude <noreply@anthropic.com>` on `abcdef0`" in evidence["agent"]["detail"]
    assert evidence["sections"] == {
        "what_changed": True, "not_changed": False, "tests_run": True, "uncertainty": False, "tokens": False
    }  # fmt: skip
    assert {"command": "pytest -q", "result": "passed"} in evidence["tests"]
    assert evidence["tokens"] is None
    human = agentbudget(
        "check", "--diff-file", "examples/agent-pr.diff", "--author", "alice", "--format", "json"
    )
    assert json.loads(human.stdout)["evidence"]["agent"] == {
        "authored": False,
        "signal": None,
        "detail": None,
    }
    assert "no agent signal" in human.stdout


def test_a_malformed_commits_file_is_a_usage_error(tmp_path: Path) -> None:
    commits = tmp_path / "commits.json"
    commits.write_text('{"not": "a list"}')
    done = agentbudget("check", "--diff-file", "examples/agent-pr.diff", "--commits-file", str(commits))
    assert done.returncode == 2 and "expected a JSON array" in done.stderr
