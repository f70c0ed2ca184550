"""Fleet-wide metrics in Prometheus text format, kept in Redis so every process adds to the same series.

The web process and any number of workers on any hosts increment counters and histograms in one Redis
hash; ``GET /metrics`` on the web process renders that hash plus gauges read at scrape time (the arq
queue, the admission counters of this month's budgets). Counters therefore survive process restarts and
describe the fleet, not one process.

Why not ``prometheus_client`` at run time: its multiprocess mode shares a directory, which workers on
other hosts cannot see, and a custom collector over Redis would use it only to print text. The exposition
format is small; the tests parse our output with ``prometheus_client.parser``, an independent reader.

Cardinality is bounded by declaration: every label is either a closed set (anything else is folded into
``other``) or an open set capped at N distinct values fleet-wide (the (N+1)-th value and later ones are
folded into ``other``). The cap is kept in Redis next to the data, one set per metric and label.

Keys (prefix ``ab:m:``):
  ab:m:data                  hash   exposition-ready series name -> value
  ab:m:seen:<metric>:<label> set    admitted values of an open label
  ab:m:budget:<YYYY-MM>      hash   admission scope key -> limit in micro-USD (-1: none), for burn gauges
"""

from __future__ import annotations

import hmac
import math
import re
import time
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from redis.asyncio import Redis
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from app import keys
from app.budget.admission import scope_key
from app.budget.records import UsageRecord, month_of
from app.budget.scopes import Scope
from app.settings import Settings
from checks.money import usd_number

PREFIX = keys.METRICS_PREFIX
DATA = PREFIX + "data"
OTHER = "other"
NONE = "none"
MAX_VALUE_CHARS = 80
# Burn gauges list at most this many repositories (by spend); the rest are summed into repo="other".
MAX_BUDGET_SERIES = 200
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True)
class Label:
    name: str
    values: tuple[str, ...] = ()  # a closed set: any other value becomes "other"
    cap: int = 0  # an open set: the first `cap` distinct values are kept, later ones become "other"


@dataclass(frozen=True)
class Metric:
    name: str  # the Prometheus family name
    kind: str  # "counter" | "histogram"
    help: str
    labels: tuple[Label, ...] = ()
    buckets: tuple[float, ...] = ()


# OpenTelemetry GenAI semantic conventions (attribute values as the spec lists them).
TOKEN_TYPE = Label("gen_ai_token_type", ("input", "output"))
PROVIDER = Label(
    "gen_ai_provider_name",
    ("anthropic", "openai", "aws.bedrock", "azure.ai.openai", "gcp.vertex_ai", "gcp.gemini", "mistral_ai"),
)
OPERATION = Label("gen_ai_operation_name", ("chat", "text_completion", "generate_content"))
MODEL = Label("gen_ai_request_model", cap=24)
GATE = Label("gate", cap=32)
TOKEN_BUCKETS = (1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864)
DURATION_BUCKETS = (0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92)
WAIT_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600)
WEBHOOK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "gen_ai_client_token_usage",
            "histogram",
            "Tokens per model call (OpenTelemetry gen_ai.client.token.usage); input includes cached input.",
            (TOKEN_TYPE, MODEL, PROVIDER, OPERATION),
            TOKEN_BUCKETS,
        ),
        Metric(
            "gen_ai_client_operation_duration_seconds",
            "histogram",
            "Duration of model calls (OpenTelemetry gen_ai.client.operation.duration).",
            (MODEL, PROVIDER, OPERATION),
            DURATION_BUCKETS,
        ),
        Metric(
            "agentbudget_review_tokens_total",
            "counter",
            "Review tokens by kind: input (uncached), cached_input, cache_write, output.",
            (Label("type", ("input", "cached_input", "cache_write", "output")), MODEL),
        ),
        Metric("agentbudget_review_cost_usd_total", "counter", "Review spend in US dollars.", (MODEL,)),
        Metric(
            "agentbudget_reviews_total",
            "counter",
            "Review decisions: run, skipped or needs_approval (by the first gate that held it), "
            "refused (over budget) or error.",
            (Label("decision", ("run", "skipped", "needs_approval", "refused", "error")), GATE),
        ),
        Metric(
            "agentbudget_evidence_failures_total",
            "counter",
            "Pull requests blocked for missing evidence, by missing section (tests: CI contradicts a claim).",
            (
                Label(
                    "section",
                    ("what_changed", "not_changed", "tests_run", "uncertainty", "tokens", "tests"),
                ),
            ),
        ),
        Metric(
            "agentbudget_exposure_blocks_total", "counter", "Merges blocked for internal API exposure growth."
        ),
        Metric(
            "agentbudget_approvals_total",
            "counter",
            "Approvals recorded, by escalation.",
            (Label("what", ("size", "budget", "large-model", "exposure")),),
        ),
        Metric(
            "agentbudget_budget_refusals_total",
            "counter",
            "Reviews refused before the model call, by the budget scope that was full.",
            (Label("scope", ("pr", "repo-month", "org-month")),),
        ),
        Metric(
            "agentbudget_budget_alerts_total",
            "counter",
            "Budget threshold alerts sent.",
            (Label("scope", ("pr", "repo-month", "org-month")), Label("threshold", cap=8)),
        ),
        Metric(
            "agentbudget_job_wait_seconds",
            "histogram",
            "Time a job waited in the queue before a worker started it.",
            (Label("function", cap=16),),
            WAIT_BUCKETS,
        ),
        Metric(
            "agentbudget_webhook_duration_seconds",
            "histogram",
            "Time to answer a webhook delivery, by event and status code.",
            (
                Label(
                    "event",
                    (
                        "pull_request",
                        "issue_comment",
                        "check_run",
                        "check_suite",
                        "installation",
                        "installation_repositories",
                        "ping",
                    ),
                ),
                Label("status", ("200", "202", "400", "401", "413", "503")),
            ),
            WEBHOOK_BUCKETS,
        ),
    )
}

# KEYS: data hash, then one seen-set per label.  ARGV: kind, name, value, n, (label, value, cap) * n,
# then the bucket bounds (histograms).  cap -1: the value was already checked against a closed set.
_RECORD = """
local kind, name, v, n = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local parts = {}
for i = 1, n do
  local lname, lval, cap = ARGV[2 + 3 * i], ARGV[3 + 3 * i], tonumber(ARGV[4 + 3 * i])
  if cap >= 0 and redis.call('SISMEMBER', KEYS[i + 1], lval) == 0 then
    if redis.call('SCARD', KEYS[i + 1]) < cap then
      redis.call('SADD', KEYS[i + 1], lval)
    else
      lval = 'other'
    end
  end
  parts[i] = lname .. '="' .. lval .. '"'
end
local labels = table.concat(parts, ',')
local function series(suffix, extra)
  local all = labels
  if extra ~= '' then
    if all ~= '' then all = all .. ',' end
    all = all .. extra
  end
  if all == '' then return name .. suffix end
  return name .. suffix .. '{' .. all .. '}'
end
if kind == 'counter' then
  redis.call('HINCRBYFLOAT', KEYS[1], series('', ''), v)
  return 1
end
for j = 5 + 3 * n, #ARGV do
  local inc = 0
  if ARGV[j] == '+Inf' or v <= tonumber(ARGV[j]) then inc = 1 end
  redis.call('HINCRBY', KEYS[1], series('_bucket', 'le="' .. ARGV[j] .. '"'), inc)
end
redis.call('HINCRBYFLOAT', KEYS[1], series('_sum', ''), v)
redis.call('HINCRBY', KEYS[1], series('_count', ''), 1)
return 1
"""

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value: object) -> str:
    text = _UNSAFE.sub("", str(value))[:MAX_VALUE_CHARS]
    if not text:
        return NONE
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _args(metric: Metric, labels: Mapping[str, object], value: float) -> tuple[list[str], list[Any]]:
    unknown = set(labels) - {label.name for label in metric.labels}
    if unknown:
        raise ValueError(f"{metric.name} has no label(s) {sorted(unknown)}")
    if not math.isfinite(value):
        raise ValueError(f"{metric.name}: value must be finite, got {value}")
    keys = [DATA]
    args: list[Any] = [metric.kind, metric.name, repr(float(value)), len(metric.labels)]
    for label in metric.labels:
        text = _clean(labels.get(label.name, NONE))
        keys.append(f"{PREFIX}seen:{metric.name}:{label.name}")
        if label.values:
            args += [label.name, text if text in label.values else OTHER, -1]
        else:
            args += [label.name, text, label.cap]
    if metric.kind == "histogram":
        args += [_bound(b) for b in metric.buckets] + ["+Inf"]
    return keys, args


async def _run(redis: Redis, name: str, kind: str, labels: Mapping[str, object], value: float) -> None:
    metric = METRICS[name]
    if metric.kind != kind:
        raise ValueError(f"{name} is a {metric.kind}")
    keys, args = _args(metric, labels, value)
    await redis.eval(_RECORD, len(keys), *keys, *args)  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------------
# Recording: one Redis round trip each; any process may call them.


async def record(
    redis: Redis, name: str, labels: Mapping[str, object] | None = None, value: float = 1
) -> None:
    """Add ``value`` to a counter (``name`` is a key of METRICS, e.g. ``agentbudget_reviews_total``)."""
    await _run(redis, name, "counter", labels or {}, value)


async def observe(redis: Redis, name: str, labels: Mapping[str, object] | None, value: float) -> None:
    """Add one observation to a histogram (latencies in seconds, token counts)."""
    await _run(redis, name, "histogram", labels or {}, value)


async def record_usage(redis: Redis, usage: UsageRecord, *, provider: str, operation: str = "chat") -> None:
    """After a model call is settled: GenAI token usage and duration, our token split, and its cost.

    Call it once per usage record actually written to the ledger (``ledger.record_usage`` returned True),
    so a retried job does not count the call twice."""
    gen_ai = {"gen_ai_request_model": usage.model, "gen_ai_provider_name": provider,
              "gen_ai_operation_name": operation}  # fmt: skip
    # OpenTelemetry counts every input token as input, cached or not.
    all_input = usage.input_tokens + usage.cached_input_tokens + usage.cache_write_tokens
    await observe(redis, "gen_ai_client_token_usage", {**gen_ai, "gen_ai_token_type": "input"}, all_input)
    await observe(
        redis, "gen_ai_client_token_usage", {**gen_ai, "gen_ai_token_type": "output"}, usage.output_tokens
    )
    await observe(redis, "gen_ai_client_operation_duration_seconds", gen_ai, usage.latency_ms / 1000)
    model = {"gen_ai_request_model": usage.model}
    for kind, tokens in (
        ("input", usage.input_tokens),
        ("cached_input", usage.cached_input_tokens),
        ("cache_write", usage.cache_write_tokens),
        ("output", usage.output_tokens),
    ):
        if tokens:
            await record(redis, "agentbudget_review_tokens_total", {**model, "type": kind}, tokens)
    await record(redis, "agentbudget_review_cost_usd_total", model, usd_number(usage.micros))


async def record_review(redis: Redis, decision: str, gate: str = "") -> None:
    """Once per evaluation: ``run``, ``skipped``/``needs_approval`` (with the first gate that held the
    review), ``refused`` (over budget; gate ``budget``) or ``error``."""
    await record(redis, "agentbudget_reviews_total", {"decision": decision, "gate": gate or NONE})


async def record_evidence_failure(redis: Redis, sections: Iterable[str]) -> None:
    """When the evidence or tests gate blocks: one count per missing section (``tests`` for CI contradicting
    a claim)."""
    for section in sections:
        await record(redis, "agentbudget_evidence_failures_total", {"section": section})


async def record_exposure_block(redis: Redis) -> None:
    """When the exposure gate blocks a merge."""
    await record(redis, "agentbudget_exposure_blocks_total")


async def record_approval(redis: Redis, what: str) -> None:
    """When an approval is newly written to the ledger (``ledger.record_approval`` returned True)."""
    await record(redis, "agentbudget_approvals_total", {"what": what})


async def record_refusal(redis: Redis, scope: str) -> None:
    """When admission refuses a review (``Refusal.scope.name``)."""
    await record(redis, "agentbudget_budget_refusals_total", {"scope": scope})


async def observe_job_start(
    redis: Redis, function: str, enqueue_time: datetime, *, now: datetime | None = None
) -> None:
    """At the start of a job: how long it waited (arq passes ``ctx["enqueue_time"]``)."""
    waited = ((now or datetime.now(UTC)) - enqueue_time).total_seconds()
    await observe(redis, "agentbudget_job_wait_seconds", {"function": function}, max(waited, 0.0))


async def observe_webhook(redis: Redis, event: str, status: int, seconds: float) -> None:
    await observe(redis, "agentbudget_webhook_duration_seconds", {"event": event, "status": status}, seconds)


async def note_budgets(redis: Redis, scopes: Sequence[Scope], month: str) -> None:
    """Remember this month's limit of each month scope, so /metrics and the dashboard can show burn against
    budget (limits live in each repository's config, which only the worker reads)."""
    mapping = {s.key: -1 if s.limit_micros is None else s.limit_micros for s in scopes if s.name != "pr"}
    if mapping:
        key = f"{PREFIX}budget:{month}"
        pipe = redis.pipeline(transaction=False)
        pipe.hset(key, mapping=mapping)
        pipe.expire(key, 62 * 24 * 3600)
        await pipe.execute()


async def budget_limits(redis: Redis, month: str) -> dict[str, int | None]:
    """Scope key -> limit in micro-USD (None: no dollar limit) as last noted for ``month``."""
    raw = await cast("Awaitable[dict[bytes | str, bytes | str]]", redis.hgetall(f"{PREFIX}budget:{month}"))
    out: dict[str, int | None] = {}
    for k, v in raw.items():
        key = k.decode() if isinstance(k, bytes) else k
        out[key] = None if int(v) < 0 else int(v)
    return out


# ---------------------------------------------------------------------------------------------------
# Rendering


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
    return _bound(value) if math.isfinite(value) else ("+Inf" if value > 0 else "-Inf")


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
    pipe = redis.pipeline(transaction=False)
    for key in keys:
        pipe.hget(scope_key(key), "m")
    spent = await pipe.execute()
    out = []
    for key, micros in zip(keys, spent, strict=True):
        name = key.split(":", 1)[0]
        out.append((name, key, int(micros or 0), limits[key]))
    return out


def _scope_labels(name: str, key: str) -> dict[str, str]:
    # repo-month:org/repo:YYYY-MM   org-month:org:YYYY-MM
    middle = key.split(":", 1)[1].rsplit(":", 1)[0]
    if name == "repo-month":
        org, _, repo = middle.partition("/")
        return {"org": org, "repo": repo}
    return {"org": middle}


def _labels_text(labels: Mapping[str, str]) -> str:
    return ",".join(f'{k}="{_clean(v)}"' for k, v in labels.items())


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


# ---------------------------------------------------------------------------------------------------
# Protection: a bearer token (AGENTBUDGET_METRICS_TOKEN); without one configured the routes do not exist.


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
