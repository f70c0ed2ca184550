"""The metered review's pure decisions: which model, which gates wait, what it costs, what the run shows.

Money is integer micro-dollars. A price per million tokens is, numerically, micro-dollars per token, so
cost = sum(tokens x price) with no unit juggling; reservations round up, settled costs to the nearest.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, Literal

from checks import escape as safe
from checks.diff import DiffSummary
from checks.gates import GateResult, Outcome, apply_ignores
from checks.globs import first_match
from checks.money import usd
from checks.prompt import LeftOut
from checks.usage import TokenUsage
from config.model import MICRO_USD_PER_USD, Config, ModelChoice, Price

APPROVE_LARGE = "/agentbudget approve large-model"
APPROVE_BUDGET = "/agentbudget approve budget"

Size = Literal["small", "large"]


@dataclass(frozen=True)
class Route:
    size: Size
    choice: ModelChoice
    rule: str  # why: the rule that matched, or that none did


def route_model(config: Config, diff: DiffSummary, labels: Sequence[str]) -> Route:
    """First matching `models.routing` rule wins (all its conditions must hold); no match is small."""
    counted = apply_ignores(config, diff)
    wanted_labels = {label.casefold() for label in labels}
    for i, rule in enumerate(config.models.routing, start=1):
        why: list[str] = []
        if rule.changed_lines_over is not None:
            if counted.changed_lines <= rule.changed_lines_over:
                continue
            why.append(f"{counted.changed_lines:,} changed lines > {rule.changed_lines_over:,}")
        if rule.paths:
            hit = next(
                ((f.path, p) for f in counted.counted if (p := first_match(rule.paths, f.path)) is not None),
                None,
            )
            if hit is None:
                continue
            why.append(f"`{_code(hit[0])}` matches `{_code(hit[1])}`")
        if rule.labels:
            label = next((x for x in rule.labels if x.casefold() in wanted_labels), None)
            if label is None:
                continue
            why.append(f"label `{_code(label)}`")
        choice = config.models.large if rule.use == "large" else config.models.small
        return Route(rule.use, choice, f"models.routing rule {i}: {', '.join(why)}")
    return Route("small", config.models.small, "no models.routing rule matched")


def model_gate(config: Config, route: Route, approvals: frozenset[str]) -> GateResult:
    name = f"`{_code(route.choice.name)}`"
    if route.size == "small":
        return GateResult("model", Outcome.PASS, f"small model {name} ({route.rule})")
    if not config.models.large_requires_approval:
        return GateResult("model", Outcome.PASS, f"large model {name} ({route.rule})")
    if "large-model" in approvals:
        return GateResult("model", Outcome.PASS, f"large model {name} ({route.rule}), approved")
    return GateResult(
        "model",
        Outcome.NEEDS_APPROVAL,
        f"large model {name} needs approval (models.large_requires_approval; {route.rule})",
        APPROVE_LARGE,
    )


def budget_gate(
    scope: str, reason: str, *, approved: bool, ceiling_micros: int | None, config: Config
) -> GateResult:
    """A refusal from admission (`scope` is its scope name, `reason` its reason) as a gate."""
    if scope != "pr":
        key = "budget.per_repo_month" if scope == "repo-month" else "budget.per_org_month"
        return GateResult("budget", Outcome.SKIP, f"{reason}; raise {key} to review more this month")
    if approved:
        ceiling = "no ceiling" if ceiling_micros is None else f"ceiling {usd(ceiling_micros)}"
        return GateResult(
            "budget", Outcome.SKIP, f"{reason} (approved, {ceiling}: approvals.budget_ceiling_usd)"
        )
    return GateResult("budget", Outcome.NEEDS_APPROVAL, reason, APPROVE_BUDGET)


def _micros(tokens: int, per_mtok: float) -> Decimal:
    return Decimal(tokens) * Decimal(str(per_mtok))


def cost_micros(price: Price, usage: TokenUsage) -> int:
    total = (
        _micros(usage.input_tokens, price.input_per_mtok)
        + _micros(usage.cached_input_tokens, price.cached_input_per_mtok)
        + _micros(usage.cache_write_tokens, price.cache_write_per_mtok)
        + _micros(usage.output_tokens, price.output_per_mtok)
    )
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def reservation_micros(price: Price, *, input_tokens: int, max_output_tokens: int) -> int:
    """Upper bound: every input token at the dearer of input and cache-write price, all output used."""
    per_input = max(price.input_per_mtok, price.cache_write_per_mtok)
    total = _micros(input_tokens, per_input) + _micros(max_output_tokens, price.output_per_mtok)
    return math.ceil(total)


def pr_limit_micros(config: Config, approvals: frozenset[str]) -> tuple[int | None, int | None]:
    """(tokens, micros) limit for one PR: a budget approval lifts it to approvals.budget_ceiling_usd."""
    per_pr = config.budget.per_pr
    if "budget" not in approvals:
        return per_pr.tokens, per_pr.micro_usd
    ceiling = config.approvals.budget_ceiling_usd
    if ceiling is None:
        return None, None
    ceiling_micros = round(ceiling * MICRO_USD_PER_USD)
    base = per_pr.micro_usd
    return None, max(ceiling_micros, base) if base is not None else ceiling_micros


@dataclass(frozen=True)
class ScopeUse:
    name: str  # "pr" | "repo-month" | "org-month"
    tokens: int
    micros: int
    limit_tokens: int | None
    limit_micros: int | None


def warnings_for(warn_at: Sequence[float], uses: Sequence[ScopeUse]) -> tuple[str, ...]:
    """The highest `budget.warn_at` fraction each limited scope has reached."""
    out = []
    for use in uses:
        for used, limit, show in (
            (use.micros, use.limit_micros, usd),
            (use.tokens, use.limit_tokens, lambda n: f"{n:,} tokens"),
        ):
            if not limit:
                continue
            crossed = [f for f in warn_at if used >= f * limit]
            if crossed:
                out.append(
                    f"{use.name} budget at {used / limit:.0%} ({show(used)} of {show(limit)}), "
                    f"past the {max(crossed):.0%} warning"
                )
    return tuple(out)


@dataclass(frozen=True)
class Finding:
    path: str | None
    line: int | None
    severity: str
    message: str


@dataclass(frozen=True)
class ReviewText:
    summary: str
    findings: tuple[Finding, ...]
    parsed: bool  # False: the model did not answer in the asked format; summary is its raw text


def parse_review(text: str) -> ReviewText:
    """Read the model's answer defensively: the JSON object asked for, else its text as the summary."""
    data = _first_json_object(text)
    if not isinstance(data, dict):
        return ReviewText(safe.clip(text.strip(), 4_000), (), False)
    findings = []
    for item in data.get("findings") or ():
        if not isinstance(item, dict) or not str(item.get("message") or "").strip():
            continue
        line = item.get("line")
        path = item.get("path")
        findings.append(
            Finding(
                path=safe.clip(str(path), 300) if isinstance(path, str) and path else None,
                line=line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None,
                severity=str(item.get("severity") or "medium").lower()[:10],
                message=safe.clip(str(item["message"]).strip(), 2_000),
            )
        )
    return ReviewText(safe.clip(str(data.get("summary") or "").strip(), 2_000), tuple(findings[:50]), True)


def _first_json_object(text: str) -> Any:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict) and ("findings" in value or "summary" in value):
            return value
    return None


def review_comment(review: ReviewText, *, model: str, left_out: Sequence[LeftOut]) -> str:
    """The one PR review comment: summary, then findings with file:line; advisory, never a gate."""
    lines = [f"**agentbudget review** ({_code(model)}, advisory)", ""]
    if review.summary:
        lines += [escape(review.summary) if review.parsed else quote_block(review.summary), ""]
    for f in review.findings:
        where = f"`{_code(f.path)}{f':{f.line}' if f.line else ''}`" if f.path else "general"
        lines.append(f"- **{escape(f.severity)}** {where}: {escape(f.message)}")
    if not review.findings and review.parsed:
        lines.append("No findings.")
    if left_out:
        lines += [
            "",
            f"Not reviewed: {len(left_out)} file(s) left out of the prompt (listed in the check run).",
        ]
    return "\n".join(lines)


class ReviewOutcome(StrEnum):
    """How a metered review ended; the value is the name the check run's JSON and the CLI show."""

    RAN = "ran"  # called, recorded, settled (posting may still have failed: the detail says)
    REUSED = "reused"  # the ledger already holds this commit's review: not called or charged again
    WAITING = "waiting"  # a gate needs an approval (large model, the PR budget)
    REFUSED = "refused"  # over a budget no approval lifts
    TIMED_OUT = "refunded-timeout"  # the provider timed out; the reservation went back
    PROVIDER_ERROR = "refunded-error"  # the provider failed (or every attempt had); the reservation went back
    BUSY = "busy"  # another worker holds this review

    @property
    def reviewed(self) -> bool:
        """A review of this commit exists (run now or before)."""
        return self in (ReviewOutcome.RAN, ReviewOutcome.REUSED)

    @property
    def refunded(self) -> bool:
        return self in (ReviewOutcome.TIMED_OUT, ReviewOutcome.PROVIDER_ERROR)


def inline_comments(review: ReviewText) -> list[dict[str, object]]:
    """The findings that name a file and line, as the review's inline comments (untrusted text escaped)."""
    return [
        {"path": f.path, "line": f.line, "body": f"**{safe.inline(f.severity)}**: {safe.inline(f.message)}"}
        for f in review.findings
        if f.path and f.line
    ]


@dataclass(frozen=True)
class ReviewReport:
    """What the check run's Tokens section shows about the review."""

    outcome: ReviewOutcome
    detail: str  # one sentence for people
    model: str
    size: str  # small | large
    route_rule: str
    request_id: str
    usage: TokenUsage = field(default_factory=TokenUsage)
    micros: int = 0
    estimated_input_tokens: int = 0
    reserved_micros: int = 0
    latency_ms: int = 0
    findings: int = 0
    scopes: tuple[ScopeUse, ...] = ()  # PR total, repo and org month-to-date, after this review
    month: str = ""
    warnings: tuple[str, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    refused_by: str = ""  # the budget scope whose limit admission refused (pr, repo-month, org-month)

    @property
    def tokens(self) -> int:
        return self.usage.total_tokens

    def scope(self, name: str) -> ScopeUse | None:
        return next((s for s in self.scopes if s.name == name), None)


_OUTCOME_TEXT = {
    ReviewOutcome.RAN: "ran",
    ReviewOutcome.REUSED: "already ran on this commit (not charged again)",
    ReviewOutcome.WAITING: "waiting for approval",
    ReviewOutcome.REFUSED: "not run: over budget",
    ReviewOutcome.TIMED_OUT: "not run: the provider timed out; the reservation was refunded",
    ReviewOutcome.PROVIDER_ERROR: "not run: the provider failed; the reservation was refunded",
    ReviewOutcome.BUSY: "running in another worker",
}


def tokens_lines(report: ReviewReport) -> list[str]:
    """Markdown lines for the check run's Tokens section (untrusted text escaped)."""
    lines = [f"- **Review**: {_OUTCOME_TEXT[report.outcome]} — {escape(report.detail)}"]
    model = f"`{_code(report.model)}` ({report.size}; {escape(report.route_rule)})"
    if report.outcome.reviewed:
        used = report.usage
        lines.append(
            f"- **This review**: {model}: {used.input_tokens:,} input · "
            f"{used.cached_input_tokens:,} cached · {used.cache_write_tokens:,} cache write · "
            f"{used.output_tokens:,} output tokens · "
            f"{usd(report.micros)}"
        )
    else:
        lines.append(
            f"- **This review**: {model}: estimated {report.estimated_input_tokens:,} input tokens, "
            f"up to {usd(report.reserved_micros)}"
        )
    pr = report.scope("pr")
    if pr is not None:
        lines.append(f"- **PR total**: {pr.tokens:,} tokens · {usd(pr.micros)}{_of(pr.limit_micros)}")
    repo = report.scope("repo-month")
    if repo is not None:
        lines.append(
            f"- **Repo month-to-date** ({escape(report.month)}): {repo.tokens:,} tokens · "
            f"{usd(repo.micros)}{_of(repo.limit_micros)}"
        )
    lines += [f"- ⚠️ {escape(w)}" for w in report.warnings]
    if report.left_out:
        lines.append(f"- **Left out of the prompt** ({len(report.left_out)}):")
        shown = report.left_out[:50]
        lines += [f"  - `{_code(e.path)}`: {escape(e.reason)}" for e in shown]
        if len(report.left_out) > len(shown):
            lines.append(f"  - and {len(report.left_out) - len(shown)} more")
    return lines


def _of(limit: int | None) -> str:
    return f" of {usd(limit)}" if limit is not None else ""


escape = safe.inline
_code = safe.code
quote_block = safe.quote
