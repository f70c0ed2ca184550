"""Serving: uvicorn in a thread, the request plumbing (faults, holds, rate headers, recording) and the
route table."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any, Self

import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tests.fakegithub.issues import Issues
from tests.fakegithub.model import DOCS, Hold, RecordedRequest, _Call, _Fail, _Fault, _json
from tests.github_models import violation


class Server(Issues):
    @contextlib.contextmanager
    def serve(self) -> Iterator[Self]:
        config = uvicorn.Config(
            self._asgi,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            http="h11",
            ws="none",
            interface="asgi3",
            timeout_graceful_shutdown=5,
        )
        ready = threading.Event()
        server = _Server(config, ready)
        thread = threading.Thread(target=server.run, name="fakegithub", daemon=True)
        thread.start()
        while not ready.wait(0.05):
            if not thread.is_alive():
                raise RuntimeError("FakeGitHub: uvicorn failed to start")
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        try:
            yield self
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    def hold(self, method: str, pattern: str) -> Hold:
        """Park the next matching request until the test releases it (to act while a job is mid-call)."""
        held = Hold(method, re.compile(pattern))
        with self._lock:
            self._holds.append(held)
        return held

    async def _asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        raw = await request.body()
        if self.latency:
            await asyncio.sleep(self.latency)
        with self._lock:
            held = next(
                (
                    h
                    for h in self._holds
                    if not h.arrived.is_set()
                    and h.method in ("*", request.method)
                    and h.pattern.fullmatch(request.scope["path"])
                ),
                None,
            )
            if held is not None:
                held.arrived.set()
        if held is not None:
            await asyncio.to_thread(held.released.wait, 60)
        response = self._handle(request, raw)
        await response(scope, receive, send)

    def _handle(self, request: Request, raw: bytes) -> Response:
        method, path = request.method, request.scope["path"]
        query = dict(request.query_params)
        body: Any = None
        with self._lock:
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            try:
                response = self._fault(method, path)
                if response is None:
                    if isinstance(body, str):
                        raise _Fail(400, "Problems parsing JSON")
                    response = self._route(_Call(method, path, {}, query, request.headers, body))
            except _Fail as err:
                response = _json(err.status, err.body, err.headers)
            self._rate_used += 1
            rate = {
                "x-ratelimit-limit": "5000",
                "x-ratelimit-remaining": str(max(0, 5000 - self._rate_used)),
                "x-ratelimit-reset": str(int(self._started.timestamp()) + 3600),
                "x-ratelimit-used": str(self._rate_used),
                "x-ratelimit-resource": "core",
                "x-github-request-id": secrets.token_hex(4).upper() + ":" + secrets.token_hex(6).upper(),
                "x-github-media-type": "github.v3; format=json",
            }
            for name, value in rate.items():
                if name not in response.headers:
                    response.headers[name] = value
            headers = {k.lower(): v for k, v in request.headers.items()}
            if "authorization" in headers:
                headers["authorization"] = headers["authorization"].split(" ", 1)[0] + " [redacted]"
            self.requests.append(RecordedRequest(method, path, query, response.status_code, headers, body))
        return response

    def _fault(self, method: str, path: str) -> Response | None:
        for share_method, pattern, status, share, headers in self._shares:
            if share_method in ("*", method) and pattern.fullmatch(path) and self._random.random() < share:
                fault = _Fault(share_method, pattern, status, 1, headers, None)
                return self._answer(fault)
        for fault in self._faults:
            if fault.remaining > 0 and fault.method in ("*", method) and fault.pattern.fullmatch(path):
                fault.remaining -= 1
                return self._answer(fault)
        return None

    def _answer(self, fault: _Fault) -> Response:
        body = fault.body
        if body is None:
            body = self._fault_body(fault)
        if isinstance(body, str):
            return Response(body, fault.status, headers=fault.headers, media_type="text/html")
        return _json(fault.status, body, fault.headers)

    def _fault_body(self, fault: _Fault) -> dict[str, Any] | str:
        if fault.status >= 500:
            return (
                f"<html><head><title>{fault.status}</title></head><body><h1>{fault.status} "
                "Server Error</h1><p>We couldn't respond to your request in time.</p></body></html>"
            )
        if fault.status in (403, 429) and "retry-after" in fault.headers:
            return {
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
                "try again. If you reach out to GitHub Support for help, please include the request ID.",
                "documentation_url": (
                    f"{DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
                ),
                "status": str(fault.status),
            }
        if fault.status in (403, 429) and fault.headers.get("x-ratelimit-remaining") == "0":
            return {
                "message": "API rate limit exceeded for installation ID 1.",
                "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
                "status": str(fault.status),
            }
        return {"message": "Error", "documentation_url": DOCS, "status": str(fault.status)}

    def _route(self, call: _Call) -> Response:
        for method, pattern, name in _ROUTES:
            match = pattern.fullmatch(call.path)
            if match and method == call.method:
                call.params = match.groupdict()
                handler: Callable[[_Call], Response] = getattr(self, name)
                self._require_permission(call, name)
                response = handler(call)
                if self.validate_responses:
                    found = violation(name, response.status_code, response.media_type, bytes(response.body))
                    if found is not None:
                        self.violations.append(found)
                        raise _Fail(500, f"the fake answered what GitHub never would: {found[:300]}")
                return response
        raise _Fail(404, "Not Found")


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, ready: threading.Event) -> None:
        super().__init__(config)
        self._ready = ready

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._ready.set()


_SEG = r"[^/]+"
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (method, re.compile(pattern.replace("{o}/{r}", f"(?P<owner>{_SEG})/(?P<repo>{_SEG})")), handler)
    for method, pattern, handler in [
        ("POST", r"/app/installations/(?P<installation_id>\d+)/access_tokens", "_create_token"),
        ("GET", r"/app", "_get_app"),
        ("GET", r"/app/installations/(?P<installation_id>\d+)", "_get_installation"),
        ("GET", r"/app/hook/deliveries", "_list_deliveries"),
        ("POST", r"/app/hook/deliveries/(?P<delivery_id>\d+)/attempts", "_redeliver"),
        ("GET", r"/repos/{o}/{r}", "_get_repo_route"),
        ("GET", r"/repos/{o}/{r}/installation", "_get_repo_installation"),
        ("GET", r"/repos/{o}/{r}/pulls/(?P<number>\d+)", "_get_pull"),
        ("GET", r"/repos/{o}/{r}/pulls/(?P<number>\d+)/files", "_list_pull_files"),
        ("GET", r"/repos/{o}/{r}/pulls/(?P<number>\d+)/commits", "_pull_commits"),
        ("POST", r"/repos/{o}/{r}/pulls/(?P<number>\d+)/reviews", "_post_review"),
        ("GET", r"/repos/{o}/{r}/contents/(?P<path>.+)", "_get_contents"),
        ("POST", r"/repos/{o}/{r}/check-runs", "_post_check_run"),
        ("GET", r"/repos/{o}/{r}/check-runs/(?P<run_id>\d+)", "_get_check_run"),
        ("PATCH", r"/repos/{o}/{r}/check-runs/(?P<run_id>\d+)", "_patch_check_run"),
        ("GET", r"/repos/{o}/{r}/check-runs/(?P<run_id>\d+)/annotations", "_list_annotations"),
        ("GET", r"/repos/{o}/{r}/commits/(?P<sha>[0-9a-fA-F]{7,40})/pulls", "_commit_pulls"),
        ("GET", r"/repos/{o}/{r}/commits/(?P<ref>.+)/check-runs", "_list_check_runs"),
        ("GET", r"/repos/{o}/{r}/commits/(?P<ref>.+)/status", "_combined_status"),
        ("POST", r"/repos/{o}/{r}/statuses/(?P<sha>[0-9a-fA-F]+)", "_post_status"),
        ("GET", r"/repos/{o}/{r}/issues/(?P<number>\d+)/comments", "_list_comments"),
        ("POST", r"/repos/{o}/{r}/issues/(?P<number>\d+)/comments", "_post_comment"),
        ("PATCH", r"/repos/{o}/{r}/issues/comments/(?P<comment_id>\d+)", "_patch_comment"),
        ("POST", r"/repos/{o}/{r}/issues/comments/(?P<comment_id>\d+)/reactions", "_post_reaction"),
        ("GET", r"/repos/{o}/{r}/collaborators/(?P<user>[^/]+)/permission", "_permission"),
        ("POST", r"/app-manifests/(?P<code>[^/]+)/conversions", "_convert_manifest"),
    ]
]
