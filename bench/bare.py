"""The baseline: a bare Starlette endpoint that reads the body and answers 200."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def webhook(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"ok": True})


app = Starlette(routes=[Route("/webhook", webhook, methods=["POST"])])
