"""Loopback model providers: an Anthropic-shaped and an OpenAI-shaped server on real uvicorn.

Both answer with the providers' real response bodies, `usage` included (cache fields too), and record
every request. A script of modes decides the next answers: "ok", "slow" (never answers until the server
stops, so the client's timeout fires), "500", "429" (with retry-after), "401" (echoes the key, as OpenAI
does), "malformed"; when the script is empty the server answers "ok".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.servers import serve_asgi

REVIEW = {
    "summary": "One real problem: the new handler reads a file named by the request.",
    "findings": [
        {
            "path": "app.py",
            "line": 2,
            "severity": "high",
            "message": "`open(request.args['f'])` lets a caller read any file; resolve it under a root.",
        }
    ],
}


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeProvider:
    """usage = (uncached input, cache read, cache write, output), in the provider's own meaning below."""

    kind: str  # "anthropic" | "openai"
    usage: tuple[int, int, int, int] = (1_200, 2_048, 0, 300)
    text: str = json.dumps(REVIEW)
    script: list[str] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def then(self, *modes: str) -> FakeProvider:
        with self._lock:
            self.script.extend(modes)
        return self

    def _next_mode(self) -> str:
        with self._lock:
            return self.script.pop(0) if self.script else "ok"

    @property
    def calls(self) -> int:
        return len(self.requests)

    async def handle(self, request: Request) -> Response:
        body = await request.json()
        with self._lock:
            self.requests.append(Recorded(request.url.path, dict(request.headers), body))
        mode = self._next_mode()
        if mode == "slow":
            while not self._stopping.is_set():  # holds the request open until the server stops
                await asyncio.sleep(0.01)
            return JSONResponse({}, status_code=503)
        if mode == "500":
            return JSONResponse(self._error("api_error", "Internal server error"), status_code=500)
        if mode == "429":
            return JSONResponse(
                self._error("rate_limit_error", "Rate limited"), status_code=429, headers={"retry-after": "0"}
            )
        if mode == "401":  # OpenAI echoes the key it was given
            key = request.headers.get("x-api-key") or request.headers.get("authorization", "")[7:]
            return JSONResponse(self._error("invalid_api_key", f"Incorrect API key: {key}"), status_code=401)
        if mode == "malformed":
            return Response('{"id": "x", "content": [', media_type="application/json")
        return JSONResponse(self._anthropic(body) if self.kind == "anthropic" else self._openai(body))

    def _error(self, kind: str, message: str) -> dict[str, Any]:
        if self.kind == "anthropic":
            return {"type": "error", "error": {"type": kind, "message": message}}
        return {"error": {"message": message, "type": kind, "param": None, "code": None}}

    def _anthropic(self, body: dict[str, Any]) -> dict[str, Any]:
        uncached, read, write, output = self.usage
        return {
            "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", ""),
            "content": [{"type": "text", "text": self.text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {
                "input_tokens": uncached,
                "cache_creation_input_tokens": write,
                "cache_read_input_tokens": read,
                "cache_creation": {"ephemeral_5m_input_tokens": write, "ephemeral_1h_input_tokens": 0},
                "output_tokens": output,
                "service_tier": "standard",
            },
        }

    def _openai(self, body: dict[str, Any]) -> dict[str, Any]:
        uncached, read, _write, output = self.usage
        return {
            "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
            "object": "chat.completion",
            "created": 1741570283,
            "model": body.get("model", ""),
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": self.text,
                        "refusal": None,
                        "annotations": [],
                    },
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                # prompt_tokens includes the cached tokens
                "prompt_tokens": uncached + read,
                "completion_tokens": output,
                "total_tokens": uncached + read + output,
                "prompt_tokens_details": {"cached_tokens": read, "audio_tokens": 0},
                "completion_tokens_details": {
                    "reasoning_tokens": 0,
                    "audio_tokens": 0,
                    "accepted_prediction_tokens": 0,
                    "rejected_prediction_tokens": 0,
                },
            },
            "service_tier": "default",
            "system_fingerprint": "fp_f4f2d9a1",
        }


@contextlib.contextmanager
def serve_provider(kind: str, **options: Any) -> Iterator[FakeProvider]:
    fake = FakeProvider(kind, **options)
    path = "/v1/messages" if kind == "anthropic" else "/v1/chat/completions"
    app = Starlette(routes=[Route(path, fake.handle, methods=["POST"])])
    with serve_asgi(app, lifespan="off") as url:
        fake.url = url
        try:
            yield fake
        finally:
            fake._stopping.set()
