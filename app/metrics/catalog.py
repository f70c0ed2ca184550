"""Every series /metrics may show, declared once: its kind, help, labels and how each label is bounded."""

from __future__ import annotations

from dataclasses import dataclass


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
