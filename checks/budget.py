"""The review's money: what a call costs, what to reserve, a PR's limit, and a budget refusal as a gate.

Money is integer micro-dollars. A price per million tokens is, numerically, micro-dollars per token, so
cost = sum(tokens x price) with no unit juggling; reservations round up, settled costs to the nearest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from checks import thresholds
from checks.gates import GateResult, Outcome
from checks.money import usd
from checks.usage import TokenUsage
from config.model import MICRO_USD_PER_USD, Config, Price

APPROVE_BUDGET = "/agentbudget approve budget"


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
    """The highest threshold (`budget.warn_at`, then the limit itself) each limited scope has reached."""
    out = []
    for use in uses:
        for used, limit, show in (
            (use.micros, use.limit_micros, usd),
            (use.tokens, use.limit_tokens, lambda n: f"{n:,} tokens"),
        ):
            reached = thresholds.crossed(warn_at, used, limit)
            if not reached or limit is None:
                continue
            level = (
                "exhausted" if thresholds.exhausted(reached[-1]) else f"past the {reached[-1]:.0%} warning"
            )
            out.append(f"{use.name} budget at {used / limit:.0%} ({show(used)} of {show(limit)}), {level}")
    return tuple(out)
