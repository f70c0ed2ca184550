"""The exposure gate: internal exposure that grows blocks the merge until a maintainer accepts it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checks.gates import GateResult, Outcome
from checks.phrases import counted
from config.model import Config

from .model import ExposureDelta, Finding

APPROVE_EXPOSURE = "/agentbudget approve exposure"
GATE = "exposure"


@dataclass(frozen=True)
class ExposureReport:
    """What the check run shows: the delta (None when no changed file can declare routes) and what was
    not compared."""

    delta: ExposureDelta | None
    files_compared: int = 0
    notes: tuple[str, ...] = ()


def growing(delta: ExposureDelta) -> tuple[Finding, ...]:
    return tuple(f for f in delta.findings if f.change == "widened" or (f.change == "added" and f.internal))


def describe(finding: Finding) -> str:
    ep = finding.endpoint
    what = f"{ep.method} {ep.path}" if ep.method else ep.path
    return f"{what} ({ep.file}:{ep.line})"


def exposure_gate(config: Config, report: ExposureReport, approvers: Sequence[str] = ()) -> GateResult:
    """`approvers` are the logins whose `approve exposure` is in force for this head."""
    delta = report.delta
    if delta is None:
        return GateResult(GATE, Outcome.PASS, "no changed file can declare routes")
    counts = {c: sum(1 for f in delta.findings if f.change == c) for c in ("added", "removed", "widened")}
    grown = growing(delta)
    if not grown:
        parts = [f"{n} {c}" for c, n in counts.items() if n]
        summary = ", ".join(parts) if parts else "same endpoints"
        return GateResult(
            GATE,
            Outcome.PASS,
            f"no internal exposure added ({summary}; {counted(report.files_compared, 'file')} compared)",
        )
    listed = "; ".join(describe(f) for f in grown[:3]) + (
        f"; +{len(grown) - 3} more" if len(grown) > 3 else ""
    )
    why = f"{len(grown)} internal endpoint(s) added or widened: {listed}"
    if approvers:
        who = ", ".join(f"@{a}" for a in dict.fromkeys(approvers))
        return GateResult(GATE, Outcome.PASS, f"{why} — accepted by {who}")
    if not config.exposure.block_on_growth:
        return GateResult(GATE, Outcome.PASS, f"{why} — not blocking (`exposure.block_on_growth: false`)")
    return GateResult(GATE, Outcome.FAIL, why, APPROVE_EXPOSURE)
