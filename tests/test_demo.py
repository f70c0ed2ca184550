"""`agentbudget demo` as an operator runs it: real processes, one PR, the run printed, nothing left behind."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_demo_runs_the_whole_app_once_and_stops_everything(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-P", "-m", "app.cli", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "Delivered pull_request.opened for octo-org/demo#1 by copilot-swe-agent[bot]: HTTP 202" in out
    assert "agentbudget: Blocked: evidence — missing: tests run" in out
    assert "Decision\n--------" in out and "agent-authored: author 'copilot-swe-agent[bot]'" in out
    assert "Everything stopped." in out and "Traceback" not in done.stderr
    ports = [int(port) for port in re.findall(r"127\.0\.0\.1:(\d+)", out.split("\n", 1)[0])]
    assert len(ports) == 3 and not any(listening(port) for port in ports)  # Redis, GitHub, serve: all gone
    assert not list(tmp_path.glob("*.sqlite3"))
