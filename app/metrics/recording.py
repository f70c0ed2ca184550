"""Recording: one Redis round trip each; any process may call them. A label value outside its declared bounds
is folded into ``other`` by the script, so cardinality stays bounded fleet-wide."""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from redis.asyncio import Redis

from app import keys
from app.budget.records import UsageRecord
from app.budget.scopes import Scope
from app.metrics.catalog import METRICS, Metric
from checks.money import usd_number

PREFIX = keys.METRICS_PREFIX
DATA = PREFIX + "data"
OTHER = "other"
NONE = "none"
MAX_VALUE_CHARS = 80

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


def label_text(value: object) -> str:
    text = _UNSAFE.sub("", str(value))[:MAX_VALUE_CHARS]
    if not text:
        return NONE
    return text.replace("\\", "\\\\").replace('"', '\\"')


def bound_text(value: float) -> str:
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
        text = label_text(labels.get(label.name, NONE))
        keys.append(f"{PREFIX}seen:{metric.name}:{label.name}")
        if label.values:
            args += [label.name, text if text in label.values else OTHER, -1]
        else:
            args += [label.name, text, label.cap]
    if metric.kind == "histogram":
        args += [bound_text(b) for b in metric.buckets] + ["+Inf"]
    return keys, args


async def _run(redis: Redis, name: str, kind: str, labels: Mapping[str, object], value: float) -> None:
    metric = METRICS[name]
    if metric.kind != kind:
        raise ValueError(f"{name} is a {metric.kind}")
    keys, args = _args(metric, labels, value)
    await redis.eval(_RECORD, len(keys), *keys, *args)  # type: ignore[misc]


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
    tokens = usage.usage
    input_labels = {**gen_ai, "gen_ai_token_type": "input"}
    await observe(redis, "gen_ai_client_token_usage", input_labels, tokens.all_input)
    await observe(
        redis, "gen_ai_client_token_usage", {**gen_ai, "gen_ai_token_type": "output"}, tokens.output_tokens
    )
    await observe(redis, "gen_ai_client_operation_duration_seconds", gen_ai, usage.latency_ms / 1000)
    model = {"gen_ai_request_model": usage.model}
    for kind, count in (
        ("input", tokens.input_tokens),
        ("cached_input", tokens.cached_input_tokens),
        ("cache_write", tokens.cache_write_tokens),
        ("output", tokens.output_tokens),
    ):
        if count:
            await record(redis, "agentbudget_review_tokens_total", {**model, "type": kind}, count)
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
