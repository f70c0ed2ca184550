"""The webhook server: verify, cap, parse, dedupe, route, enqueue — and answer within GitHub's 10 s."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from anyio import to_thread
from arq.connections import ArqRedis
from redis.exceptions import RedisError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app import dashboard, metrics, queue, signature
from app.budget.errors import LedgerUnavailable
from app.budget.reader import LedgerReader
from app.routing import route
from app.settings import Settings

log = logging.getLogger("agentbudget.web")


class BodyTooLarge(Exception):
    pass


async def _read_capped(request: Request, limit: int, digest: signature.Digest) -> bytes:
    """Read at most `limit` bytes, hashing them as they arrive; a declared larger body is not read at all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        digest.update(chunk)
        chunks.append(chunk)
    return b"".join(chunks)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(settings: Settings, redis: ArqRedis | None = None) -> Starlette:
    """Build the ASGI app. Refuses to build without a webhook secret: unsigned deliveries never pass."""
    settings.require_webhook_secret()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = redis is None
        app.state.redis = redis if redis is not None else queue.connect(settings)
        app.state.ledger = LedgerReader(settings.database_url)
        try:
            yield
        finally:
            await to_thread.run_sync(app.state.ledger.close)
            if own:
                await app.state.redis.aclose()

    async def webhook(request: Request) -> JSONResponse:
        started = time.monotonic()
        response = await _deliver(request)
        with contextlib.suppress(RedisError, OSError):  # metrics never fail a delivery
            await metrics.observe_webhook(
                request.app.state.redis,
                request.headers.get("x-github-event", ""),
                response.status_code,
                time.monotonic() - started,
            )
        return response

    async def _deliver(request: Request) -> JSONResponse:
        # Headers first: a delivery without them, or without a well-formed signature, is refused unread.
        event = request.headers.get("x-github-event", "")
        delivery = request.headers.get("x-github-delivery", "")
        if not event or not delivery:
            return _error(400, "X-GitHub-Event and X-GitHub-Delivery headers are required")
        claimed = request.headers.get("x-hub-signature-256")
        if not signature.well_formed(claimed):
            return _error(401, "missing or invalid X-Hub-Signature-256")
        digest = signature.Digest(settings.webhook_secret)
        try:
            body = await _read_capped(request, settings.max_body_bytes, digest)
        except BodyTooLarge:
            return _error(413, f"payload exceeds {settings.max_body_bytes:,} bytes")
        # The signature is checked before a byte of the body is parsed.
        if not digest.matches(claimed):
            return _error(401, "missing or invalid X-Hub-Signature-256")
        try:
            payload: Any = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _error(400, "body is not valid JSON")
        if not isinstance(payload, dict):
            return _error(400, "body must be a JSON object")
        if event == "ping":
            return JSONResponse({"ok": True, "zen": "pong"})
        try:
            decision = route(event, payload, delivery, check_name=settings.check_name)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("malformed %s payload in delivery %s: %s", event, delivery, type(exc).__name__)
            return _error(400, f"malformed {event} payload")
        if not decision.jobs:
            log.info(
                "delivery %s %s.%s ignored: %s", delivery, event, payload.get("action"), decision.ignored
            )
            return JSONResponse({"ignored": decision.ignored}, status_code=200)
        try:
            accepted = await queue.accept_delivery(request.app.state.redis, delivery, decision.jobs, settings)
        except (RedisError, OSError) as exc:
            log.error("delivery %s not stored, queue unavailable: %s", delivery, type(exc).__name__)
            return _error(503, "queue unavailable; the delivery was not stored and can be redelivered")
        if accepted.duplicate:
            return JSONResponse({"duplicate": True, "delivery": delivery}, status_code=200)
        log.info("delivery %s %s.%s queued %s", delivery, event, payload.get("action"), accepted.job_ids)
        return JSONResponse({"queued": list(accepted.job_ids), "delivery": delivery}, status_code=202)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    async def readyz(request: Request) -> JSONResponse:
        try:
            await request.app.state.redis.ping()
        except (RedisError, OSError):
            return _error(503, "redis unreachable")
        try:
            ledger = await to_thread.run_sync(request.app.state.ledger.readiness)
        except LedgerUnavailable as exc:
            return _error(503, f"ledger unavailable: {exc}")
        return JSONResponse({"ok": True, "redis": "ok", "ledger": ledger})

    return Starlette(
        routes=[
            Route("/webhook", webhook, methods=["POST"]),
            Route("/", webhook, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            *metrics.routes(settings),
            *dashboard.routes(settings),
        ],
        lifespan=lifespan,
    )
