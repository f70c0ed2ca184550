"""`agentbudget setup`: register the App from `app.yml` in two clicks (GitHub's manifest flow).

A local page posts the manifest, with the operator's public URL, to GitHub; GitHub sends the browser back
with a one-time code; the code is exchanged (`POST /app-manifests/{code}/conversions`) for the App id, its
private key and webhook secret, which are written to an `.env` file only the owner can read. The key is
never printed.
"""

from __future__ import annotations

import html
import json
import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "app.yml"


class SetupError(Exception):
    """What stops registration, said in one line."""


@dataclass(frozen=True)
class SetupOptions:
    public_url: str  # where `agentbudget serve` will be reachable, e.g. https://agentbudget.example.com
    github_url: str = "https://github.com"  # GitHub Enterprise: https://HOST
    api_url: str = "https://api.github.com"  # GitHub Enterprise: https://HOST/api/v3
    org: str | None = None  # register under this organization instead of the signed-in user
    env_file: Path = Path(".env")
    manifest_file: Path = DEFAULT_MANIFEST


def build_manifest(options: SetupOptions, redirect_url: str) -> dict[str, Any]:
    try:
        manifest: Any = yaml.safe_load(options.manifest_file.read_text())
    except OSError as exc:
        raise SetupError(f"cannot read the manifest {options.manifest_file}: {exc.strerror}") from None
    if not isinstance(manifest, dict):
        raise SetupError(f"{options.manifest_file} is not a GitHub App manifest")
    public = options.public_url.rstrip("/")
    parts = urlsplit(public)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise SetupError(f"--url {options.public_url!r}: give the public https:// URL of `agentbudget serve`")
    manifest["url"] = public
    manifest["hook_attributes"] = {**(manifest.get("hook_attributes") or {}), "url": f"{public}/webhook"}
    manifest["redirect_url"] = redirect_url
    return manifest


def new_app_url(options: SetupOptions, state: str) -> str:
    base = options.github_url.rstrip("/")
    where = f"/organizations/{quote(options.org, safe='')}" if options.org else ""
    return f"{base}{where}/settings/apps/new?state={quote(state, safe='')}"


def write_env(path: Path, conversion: Mapping[str, Any], api_url: str) -> None:
    """Owner-only from the first byte: the file is created 0600, never widened afterwards."""
    pem = str(conversion["pem"]).strip().replace("\n", "\\n")
    lines = [
        "# Written by `agentbudget setup`: the App's credentials. Keep this file secret.",
        f"GITHUB_APP_ID={int(conversion['id'])}",
        f'GITHUB_PRIVATE_KEY="{pem}"',
        f"GITHUB_WEBHOOK_SECRET={conversion['webhook_secret']}",
    ]
    if api_url.rstrip("/") != "https://api.github.com":
        lines.append(f"GITHUB_API_URL={api_url.rstrip('/')}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    descriptor = os.open(path, flags, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode under O_CREAT: tighten it
    with os.fdopen(descriptor, "w") as out:
        out.write("\n".join(lines) + "\n")


@dataclass
class Registration:
    """The local page's state: one manifest, one state token, one exchange."""

    options: SetupOptions
    redirect_url: str
    state: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    done: threading.Event = field(default_factory=threading.Event)
    result: dict[str, Any] | None = None
    error: str | None = None

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/", self.start), Route("/callback", self.callback)])

    async def start(self, request: Request) -> Response:
        manifest = json.dumps(build_manifest(self.options, self.redirect_url))
        action = html.escape(new_app_url(self.options, self.state), quote=True)
        page = (
            "<!doctype html><title>Register agentbudget</title>"
            f'<form id="register" method="post" action="{action}">'
            f'<input type="hidden" name="manifest" value="{html.escape(manifest, quote=True)}">'
            "<p>Create the agentbudget GitHub App from its manifest.</p>"
            '<button type="submit">Create the GitHub App</button></form>'
        )
        return HTMLResponse(page)

    async def callback(self, request: Request) -> Response:
        code, state = request.query_params.get("code", ""), request.query_params.get("state", "")
        if not secrets.compare_digest(state, self.state) or not code or self.done.is_set():
            return HTMLResponse("<p>This link is not the one agentbudget setup started.</p>", status_code=400)
        url = f"{self.options.api_url.rstrip('/')}/app-manifests/{quote(code, safe='')}/conversions"
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                answer = await client.post(url, headers={"Accept": "application/vnd.github+json"})
            if answer.status_code != 201:
                raise SetupError(f"GitHub answered {answer.status_code} to the code exchange")
            conversion = answer.json()
            write_env(self.options.env_file, conversion, self.options.api_url)
        except (SetupError, httpx.HTTPError, ValueError, KeyError, OSError) as exc:
            self.error = str(exc) or type(exc).__name__
            self.done.set()
            return HTMLResponse(f"<p>Registration failed: {html.escape(self.error)}</p>", status_code=502)
        self.result = {key: conversion.get(key) for key in ("id", "slug", "html_url")}
        self.done.set()
        install = html.escape(f"{conversion.get('html_url', '')}/installations/new", quote=True)
        return HTMLResponse(
            f"<p>Created {html.escape(str(conversion.get('slug', 'the App')))}. "
            f"Its credentials are in {html.escape(str(self.options.env_file))}. "
            f'<a href="{install}">Install it on your repositories</a>.</p>'
        )


def run_setup(options: SetupOptions, *, port: int, open_browser: bool, out: Any) -> int:
    """Serve the local page until GitHub sends the browser back, then stop. 0: registered; 2: not."""
    import uvicorn

    registration = Registration(options, redirect_url=f"http://127.0.0.1:{port}/callback")
    build_manifest(options, registration.redirect_url)  # a bad manifest or URL fails before serving
    server = uvicorn.Server(
        uvicorn.Config(registration.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    page = f"http://127.0.0.1:{port}/"
    out.write(f"Open {page} in a browser signed in to GitHub, and create the App.\n")
    out.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(page)
    try:
        while not registration.done.wait(0.5):
            if not thread.is_alive():
                raise SetupError(f"the local page could not be served on 127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    if registration.error is not None or registration.result is None:
        raise SetupError(f"registration failed: {registration.error}")
    result = registration.result
    out.write(
        f"Registered App {result.get('slug')} (id {result.get('id')}); its id, private key and webhook "
        f"secret are in {options.env_file} (mode 600).\n"
        f"Install it: {result.get('html_url')}/installations/new\n"
    )
    return 0
