"""`agentbudget setup` end to end: a real process serves the local page, a browser's part is played by
httpx, github.com's "Create GitHub App" page by a tiny loopback page, and the code exchange goes to the
loopback GitHub REST server. The credentials land in an owner-only .env; the key is never printed."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app.settings import Settings
from tests.fakegithub import FakeGitHub
from tests.redis_server import free_port
from tests.servers import serve_asgi

ROOT = Path(__file__).resolve().parents[1]


def github_web(fake: FakeGitHub) -> Starlette:
    """github.com's new-App pages: take the posted manifest, send the browser back with a code."""

    async def new_app(request: Request) -> Response:
        form = parse_qs((await request.body()).decode())
        manifest = json.loads(form["manifest"][0])
        code = fake.accept_manifest(manifest)
        back = (
            f"{manifest['redirect_url']}?{urlencode({'code': code, 'state': request.query_params['state']})}"
        )
        return RedirectResponse(back, status_code=302)

    return Starlette(
        routes=[
            Route("/settings/apps/new", new_app, methods=["POST"]),
            Route("/organizations/{org}/settings/apps/new", new_app, methods=["POST"]),
        ]
    )


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    github = FakeGitHub()
    with github.serve():
        yield github


def start_setup(
    tmp_path: Path, fake: FakeGitHub, web_url: str, *extra: str
) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-P", "-m", "app.cli", "setup", "--url", "https://agentbudget.example.org/",
            "--github-url", web_url, "--api-url", fake.url, "--port", str(port),
            "--env-file", str(tmp_path / ".env"), "--no-browser", "--manifest", str(ROOT / "app.yml"), *extra,
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process, port
        except httpx.TransportError:
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
    raise AssertionError("the setup page never came up")


@pytest.mark.parametrize("org", [None, "acme"])
def test_two_clicks_register_the_app_and_write_an_owner_only_env(
    tmp_path: Path, fake: FakeGitHub, org: str | None
) -> None:
    with serve_asgi(github_web(fake)) as web_url:
        process, port = start_setup(tmp_path, fake, web_url, *(("--org", org) if org else ()))
        try:
            page = httpx.get(f"http://127.0.0.1:{port}/").text
            action = unescape(re.search(r'action="([^"]+)"', page).group(1))  # type: ignore[union-attr]
            manifest = json.loads(unescape(re.search(r'name="manifest" value="([^"]+)"', page).group(1)))  # type: ignore[union-attr]
            assert urlsplit(action).path == (
                f"/organizations/{org}/settings/apps/new" if org else "/settings/apps/new"
            )
            assert manifest["hook_attributes"]["url"] == "https://agentbudget.example.org/webhook"
            assert manifest["redirect_url"] == f"http://127.0.0.1:{port}/callback"
            assert manifest["default_permissions"]["checks"] == "write"
            # Click 1 posts the manifest; GitHub sends the browser back; click 2 is GitHub's "Create" button.
            created = httpx.post(action, data={"manifest": json.dumps(manifest)}, follow_redirects=True)
            assert created.status_code == 200 and "Install it" in created.text
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:  # never leave the page serving after a failed assertion
                process.kill()
                process.communicate()
    assert process.returncode == 0, err
    env_file = tmp_path / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    values = dict(
        line.split("=", 1) for line in env_file.read_text().splitlines() if line and not line.startswith("#")
    )
    settings = Settings.from_env(
        {
            "GITHUB_WEBHOOK_SECRET": values["GITHUB_WEBHOOK_SECRET"],
            "GITHUB_APP_ID": values["GITHUB_APP_ID"],
            "GITHUB_PRIVATE_KEY": values["GITHUB_PRIVATE_KEY"].strip('"'),
        }
    )
    assert settings.private_key.strip() == fake.private_key_pem.strip()
    assert int(settings.app_id) > 0 and len(settings.webhook_secret) >= 20
    assert "PRIVATE KEY" not in out + err and values["GITHUB_WEBHOOK_SECRET"] not in out + err
    assert "/installations/new" in out


def test_a_forged_callback_is_refused_and_nothing_is_written(tmp_path: Path, fake: FakeGitHub) -> None:
    with serve_asgi(github_web(fake)) as web_url:
        process, port = start_setup(tmp_path, fake, web_url)
        try:
            forged = httpx.get(f"http://127.0.0.1:{port}/callback", params={"code": "x", "state": "guess"})
            assert forged.status_code == 400
            assert not (tmp_path / ".env").exists()
        finally:
            process.terminate()
            process.communicate(timeout=10)


def test_an_env_file_that_exists_is_tightened_to_owner_only(tmp_path: Path) -> None:
    from app.register import write_env

    path = tmp_path / ".env"
    path.write_text("old")
    os.chmod(path, 0o644)
    write_env(
        path,
        {"id": 7, "pem": "-----BEGIN-----\nabc\n-----END-----\n", "webhook_secret": "s"},
        "https://h/api/v3",
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert 'GITHUB_PRIVATE_KEY="-----BEGIN-----\\nabc\\n-----END-----"' in text
    assert "GITHUB_API_URL=https://h/api/v3" in text and "old" not in text


def test_a_bad_public_url_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-P", "-m", "app.cli", "setup", "--url", "agentbudget.example.org", "--no-browser"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "give the public https:// URL" in done.stderr and "Traceback" not in done.stderr
