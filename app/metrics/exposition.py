"""Rendering: ``GET /metrics`` prints the recorded series plus gauges read at scrape time (the arq queue,
this month's budget burn), behind a bearer token (AGENTBUDGET_METRICS_TOKEN); without one, no route."""

from __future__ import annotations

import hmac
import math
import re
import time
from collections.abc import Awaitable, Iterable, Mapping
from datetime import UTC, datetime
from typing import cast

from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from app.budget.admission import usages
from app.budget.records import month_of
from app.metrics.catalog import METRICS
from app.metrics.recording import DATA, bound_text, budget_limits, label_text
from app.settings import Settings
from checks.money import usd_number

# Burn gauges list at most this many repositories (by spend); the rest are summed into repo="other".
MAX_BUDGET_SERIES = 200
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


_LE = re.compile(r'le="([^"]*)"')


def _family(series: str, kinds: Mapping[str, str]) -> str:
    base = series.split("{", 1)[0]
    if base in kinds:
        return base
    for suffix in ("_bucket", "_sum", "_count"):
        if base.endswith(suffix) and kinds.get(base.removesuffix(suffix)) == "histogram":
            return base.removesuffix(suffix)
    return base


def _sort_key(series: str) -> tuple[str, float, str]:
    found = _LE.search(series)
    if not found:
        return (series, 0.0, "")
    le = found.group(1)
    return (_LE.sub("", series), math.inf if le == "+Inf" else float(le), "")


def _number(value: float) -> str:
    return bound_text(value) if math.isfinite(value) else ("+Inf" if value > 0 else "-Inf")


def _family_lines(name: str, kind: str, help_text: str, samples: Iterable[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


async def _queue_gauges(redis: Redis, queue_name: str, now_ms: int) -> list[str]:
    pipe = redis.pipeline(transaction=False)
    pipe.zcount(queue_name, "-inf", now_ms)
    pipe.zcount(queue_name, f"({now_ms}", "+inf")
    pipe.zrangebyscore(queue_name, "-inf", now_ms, start=0, num=1, withscores=True)
    ready, deferred, oldest = await pipe.execute()
    age = (now_ms - float(oldest[0][1])) / 1000 if oldest else 0.0
    return [
        *_family_lines(
            "agentbudget_queue_jobs",
            "gauge",
            "Jobs in the queue: ready to run, or deferred (a retry waiting for its time).",
            [
                f'agentbudget_queue_jobs{{state="ready"}} {ready}',
                f'agentbudget_queue_jobs{{state="deferred"}} {deferred}',
            ],
        ),
        *_family_lines(
            "agentbudget_queue_oldest_ready_job_age_seconds",
            "gauge",
            "How long the oldest ready job has been waiting (0 when none is).",
            [f"agentbudget_queue_oldest_ready_job_age_seconds {_number(round(age, 3))}"],
        ),
    ]


async def burn(redis: Redis, month: str) -> list[tuple[str, str, int, int | None]]:
    """(scope name, scope key, spent micro-USD, limit micro-USD) for each month scope noted this month,
    read from the admission counters (settled spend plus outstanding reservations)."""
    limits = await budget_limits(redis, month)
    keys = sorted(limits)
    spent = await usages(redis, keys)
    out = []
    for key, (_, micros) in zip(keys, spent, strict=True):
        name = key.split(":", 1)[0]
        out.append((name, key, micros, limits[key]))
    return out


def _scope_labels(name: str, key: str) -> dict[str, str]:
    # repo-month:org/repo:YYYY-MM   org-month:org:YYYY-MM
    middle = key.split(":", 1)[1].rsplit(":", 1)[0]
    if name == "repo-month":
        org, _, repo = middle.partition("/")
        return {"org": org, "repo": repo}
    return {"org": middle}


def _labels_text(labels: Mapping[str, str]) -> str:
    return ",".join(f'{k}="{label_text(v)}"' for k, v in labels.items())


async def _budget_gauges(redis: Redis, month: str) -> list[str]:
    rows = await burn(redis, month)
    families: dict[str, list[str]] = {}
    for scope, prefix in (("repo-month", "agentbudget_repo"), ("org-month", "agentbudget_org")):
        chosen = sorted((r for r in rows if r[0] == scope), key=lambda r: -r[2])
        kept, folded = chosen[:MAX_BUDGET_SERIES], chosen[MAX_BUDGET_SERIES:]
        spent_lines, limit_lines = [], []
        for name, key, micros, limit in kept:
            labels = _labels_text(_scope_labels(name, key))
            spent_lines.append(f"{prefix}_budget_spent_usd{{{labels}}} {_number(usd_number(micros))}")
            if limit is not None:
                limit_lines.append(f"{prefix}_budget_limit_usd{{{labels}}} {_number(usd_number(limit))}")
        if folded:
            labels = 'org="other",repo="other"' if scope == "repo-month" else 'org="other"'
            total = sum(r[2] for r in folded)
            spent_lines.append(f"{prefix}_budget_spent_usd{{{labels}}} {_number(usd_number(total))}")
        families[f"{prefix}_budget_spent_usd"] = spent_lines
        families[f"{prefix}_budget_limit_usd"] = limit_lines
    lines: list[str] = []
    for name, samples in families.items():
        what = "limit" if name.endswith("limit_usd") else "spend (settled and reserved)"
        who = "repository" if name.startswith("agentbudget_repo") else "organization"
        lines += _family_lines(name, "gauge", f"This month's {who} budget {what} in US dollars.", samples)
    return lines


async def render(redis: Redis, settings: Settings, *, now: datetime | None = None) -> str:
    """The whole exposition: recorded counters and histograms, then gauges read now."""
    now = now or datetime.now(UTC)
    raw = await cast("Awaitable[dict[bytes | str, bytes | str]]", redis.hgetall(DATA))
    kinds = {name: m.kind for name, m in METRICS.items()}
    grouped: dict[str, list[str]] = {name: [] for name in METRICS}
    for series, value in sorted(
        ((_text(k), _text(v)) for k, v in raw.items()), key=lambda kv: _sort_key(kv[0])
    ):
        family = _family(series, kinds)
        if family in grouped:
            grouped[family].append(f"{series} {_number(float(value))}")
    lines: list[str] = []
    for name, metric in METRICS.items():
        lines += _family_lines(name, metric.kind, metric.help, grouped[name])
    lines += await _queue_gauges(redis, settings.queue_name, int(now.timestamp() * 1000))
    lines += await _budget_gauges(redis, month_of(now))
    return "\n".join(lines) + "\n"


def token_matches(expected: str, presented: str | None) -> bool:
    """Constant-time comparison; an empty expected token never matches."""
    if not expected or presented is None:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credential = header.partition(" ")
    return credential.strip() if scheme.lower() == "bearer" else None


def not_found() -> Response:
    return PlainTextResponse("Not Found", status_code=404)


def unauthorized() -> Response:
    return PlainTextResponse(
        "a bearer token is required",
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="agentbudget"'},
    )


def routes(settings: Settings) -> list[Route]:
    async def metrics(request: Request) -> Response:
        if not settings.metrics_token:
            return not_found()
        if not token_matches(settings.metrics_token, bearer(request)):
            return unauthorized()
        started = time.monotonic()
        body = await render(request.app.state.redis, settings)
        return Response(
            body,
            media_type=CONTENT_TYPE,
            headers={"Cache-Control": "no-store", "X-Render-Seconds": f"{time.monotonic() - started:.3f}"},
        )

    return [Route("/metrics", metrics, methods=["GET"])]
