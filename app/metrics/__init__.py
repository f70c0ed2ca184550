"""Fleet-wide metrics in Prometheus text format, kept in Redis so every process adds to the same series.

The web process and any number of workers on any hosts increment counters and histograms in one Redis
hash; ``GET /metrics`` on the web process renders that hash plus gauges read at scrape time (the arq
queue, the admission counters of this month's budgets). Counters therefore survive process restarts and
describe the fleet, not one process. ``catalog`` declares the series, ``recording`` adds to them,
``exposition`` renders them.

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

from app.metrics.catalog import METRICS, Label, Metric
from app.metrics.exposition import (
    CONTENT_TYPE,
    bearer,
    burn,
    not_found,
    render,
    routes,
    token_matches,
    unauthorized,
)
from app.metrics.recording import (
    budget_limits,
    note_budgets,
    observe,
    observe_job_start,
    observe_webhook,
    record,
    record_approval,
    record_evidence_failure,
    record_exposure_block,
    record_refusal,
    record_review,
    record_usage,
)

__all__ = [
    "CONTENT_TYPE", "METRICS", "Label", "Metric", "bearer", "budget_limits", "burn", "not_found",
    "note_budgets", "observe", "observe_job_start", "observe_webhook", "record", "record_approval",
    "record_evidence_failure", "record_exposure_block", "record_refusal", "record_review", "record_usage",
    "render", "routes", "token_matches", "unauthorized",
]  # fmt: skip
