"""Which model reviews a pull request: the `models.routing` rule that matched, and whether it waits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from checks.diff import DiffSummary
from checks.escape import code
from checks.gates import GateResult, Outcome, apply_ignores
from checks.globs import first_match
from config.model import Config, ModelChoice

APPROVE_LARGE = "/agentbudget approve large-model"

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
            why.append(f"`{code(hit[0])}` matches `{code(hit[1])}`")
        if rule.labels:
            label = next((x for x in rule.labels if x.casefold() in wanted_labels), None)
            if label is None:
                continue
            why.append(f"label `{code(label)}`")
        choice = config.models.large if rule.use == "large" else config.models.small
        return Route(rule.use, choice, f"models.routing rule {i}: {', '.join(why)}")
    return Route("small", config.models.small, "no models.routing rule matched")


def model_gate(config: Config, route: Route, approvals: frozenset[str]) -> GateResult:
    name = f"`{code(route.choice.name)}`"
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
