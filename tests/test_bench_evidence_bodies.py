"""bench.evidence_bodies rebuilds a row's body and meta from a squash commit in a real git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bench.evidence_bodies import body_of, login_of, rebuild


def _commit(repo: Path, message: str, email: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Alice",
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": "Alice",
        "GIT_COMMITTER_EMAIL": email,
        "HOME": str(repo),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    subprocess.run(
        ["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", message], check=True, env=env
    )
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_a_squash_commit_rebuilds_body_and_meta(tmp_path: Path) -> None:
    repo = tmp_path / "mirrors" / "acme+api" / "repo"
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    message = (
        "Fix retries (#12)\n\n## Summary\nRetries on 503.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
    )
    _commit(repo, "Unrelated (#1)\n\nOther body.\n", "bob@example.com")
    _commit(repo, message, "123+alice@users.noreply.github.com")
    rows = [
        {"id": "acme__api__12", "source": "squash:acme/api"},
        {"id": "acme__api__99", "source": "squash:acme/api"},
        {"id": "other__repo__3", "source": "squash:other/repo"},
    ]
    written, missing = rebuild(rows, tmp_path / "mirrors", tmp_path / "out")
    assert (written, missing) == (1, ["acme__api__99", "other__repo__3"])
    assert (tmp_path / "out" / "acme__api__12.md").read_text() == "## Summary\nRetries on 503.\n"
    meta = json.loads((tmp_path / "out" / "acme__api__12.meta.json").read_text())
    assert meta["author"] == "alice" and meta["labels"] == []
    assert meta["commits"][0].endswith("Co-authored-by: Claude <noreply@anthropic.com>")


def test_body_and_login_rules() -> None:
    assert body_of("Title\n\nText\n\nSigned-off-by: A <a@x>\nClaude-Session: https://x\n") == "Text\n"
    assert login_of("Copilot", "198982749+Copilot@users.noreply.github.com") == "Copilot"
    assert login_of("copilot", "copilot@example.com") == "Copilot"
    assert login_of("Alice", "alice@example.com") is None
