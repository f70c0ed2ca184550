"""The verdict: every gate's decision folded into one check-run conclusion and title."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checks.agents import NO_SIGNAL, AgentSignal
from checks.diff import DiffSummary
from checks.gates import GateResult, Outcome
from checks.phrases import counted
from checks.pull import PullRequestFacts

if TYPE_CHECKING:
    from checks.evidence import Evidence
    from checks.exposure.gate import ExposureReport
    from checks.observed import ObservedCheck
    from checks.review_report import ReviewReport

# GitHub check-run conclusions we use. A required check passes on success/neutral/skipped; to block, the
# conclusion must be failure or action_required.
SUCCESS = "success"
FAILURE = "failure"
NEUTRAL = "neutral"
ACTION_REQUIRED = "action_required"


@dataclass(frozen=True)
class ApprovalView:
    """An approval as the check run shows it (the audit trail lives in the ledger)."""

    approver: str
    permission: str
    what: str
    reason: str
    head_sha: str
    at: str  # ISO 8601


@dataclass(frozen=True)
class Verdict:
    conclusion: str
    title: str
    gates: tuple[GateResult, ...]
    diff: DiffSummary | None = None
    pull: PullRequestFacts | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # shown above the decision (config notices, errors)
    evidence: Evidence | None = None
    observed: tuple[ObservedCheck, ...] = ()
    missing_template: str = ""  # a ready-to-paste block when required evidence is missing
    approvals: tuple[ApprovalView, ...] = ()
    exposure: ExposureReport | None = None
    review: ReviewReport | None = None  # the metered AI review, when one was attempted
    review_ready: bool = False  # every review gate passed: the review may run
    review_note: str = ""  # why no review runs although the gates passed
    observe: bool = False  # `mode: observe`: reported, never blocking
    would_block: bool = False  # in observe mode: the conclusion enforce mode would have given blocks
    agent: AgentSignal = NO_SIGNAL  # which signal, if any, made this an agent's pull request

    @property
    def pending_escalations(self) -> tuple[str, ...]:
        """What a maintainer could approve now: gates waiting for approval, and blocks an approval lifts
        (exposure growth)."""
        prefix = "/agentbudget approve "
        return tuple(
            g.override[len(prefix) :]
            for g in self.gates
            if g.outcome in (Outcome.NEEDS_APPROVAL, Outcome.FAIL)
            and g.override
            and g.override.startswith(prefix)
        )

    @property
    def blocking(self) -> bool:
        return self.conclusion in (FAILURE, ACTION_REQUIRED)


def _first(gates: tuple[GateResult, ...], outcome: Outcome) -> GateResult | None:
    return next((g for g in gates if g.outcome is outcome), None)


def _title(
    gates: tuple[GateResult, ...], diff: DiffSummary | None, *, review_required: bool
) -> tuple[str, str]:
    failed = [g for g in gates if g.outcome is Outcome.FAIL]
    if failed:
        head = failed[0]
        more = f" (+{len(failed) - 1} more)" if len(failed) > 1 else ""
        return FAILURE, f"Blocked: {head.gate} — {head.reason}{more}"
    errored = _first(gates, Outcome.ERROR)
    waiting = _first(gates, Outcome.NEEDS_APPROVAL)
    if waiting is not None:
        # Size, budget and model gates hold the review (its spend), not the merge, unless the repository
        # asks for no merge without a review (review.required).
        override = f" — `{waiting.override}`" if waiting.override else ""
        if review_required:
            return ACTION_REQUIRED, f"Blocked until reviewed: {waiting.reason}{override}"
        return NEUTRAL, f"Review waits for approval: {waiting.reason}{override}"
    if errored is not None:
        return NEUTRAL, f"Could not decide: {errored.gate} — {errored.reason}"
    skipped = _first(gates, Outcome.SKIP)
    if skipped is not None:
        return SUCCESS, f"Review skipped: {skipped.reason}"
    size = (
        f" · {counted(diff.changed_lines, 'changed line')} in {counted(diff.changed_files, 'file')}"
        if diff is not None
        else ""
    )
    return SUCCESS, f"Passed{size}"


def decide(
    gates: tuple[GateResult, ...],
    *,
    diff: DiffSummary | None = None,
    pull: PullRequestFacts | None = None,
    notes: tuple[str, ...] = (),
    observe_only: bool = False,
    evidence: Evidence | None = None,
    observed: tuple[ObservedCheck, ...] = (),
    missing_template: str = "",
    approvals: tuple[ApprovalView, ...] = (),
    exposure: ExposureReport | None = None,
    review: ReviewReport | None = None,
    review_ready: bool = False,
    review_note: str = "",
    review_required: bool = False,
    agent: AgentSignal = NO_SIGNAL,
) -> Verdict:
    conclusion, title = _title(gates, diff, review_required=review_required)
    would_block = observe_only and conclusion in (FAILURE, ACTION_REQUIRED)
    if would_block:
        title = f"Observe mode (would block): {title}"
        conclusion = NEUTRAL
    return Verdict(
        conclusion=conclusion,
        title=title,
        gates=gates,
        diff=diff,
        pull=pull,
        notes=notes,
        evidence=evidence,
        observed=observed,
        missing_template=missing_template,
        approvals=approvals,
        exposure=exposure,
        review=review,
        review_ready=review_ready,
        review_note=review_note,
        observe=observe_only,
        would_block=would_block,
        agent=agent,
    )


def error_verdict(message: str, *, pull: PullRequestFacts | None = None) -> Verdict:
    """The verdict for an evaluation that raised: neutral, never left in progress, with the reason."""
    gate = GateResult("agentbudget", Outcome.ERROR, message)
    return Verdict(
        conclusion=NEUTRAL,
        title=f"Could not evaluate: {message}"[:200],
        gates=(gate,),
        pull=pull,
    )
