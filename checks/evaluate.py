"""The whole decision for one PR head, from gathered facts: the one entry point server and CLI share."""

from __future__ import annotations

from collections.abc import Sequence

from checks.agents import MAX_COMMITS, detect_agent
from checks.agents import commit_trailers as trailers_of
from checks.diff import DiffSummary
from checks.evidence import parse_evidence, prefilled_template
from checks.exposure.gate import ExposureReport, exposure_gate
from checks.gates import REVIEW_COMMAND, GateResult, Outcome, apply_ignores, evaluate_gates
from checks.observed import ObservedCheck
from checks.pull import PullRequestFacts
from checks.requirements import evidence_gate, observed_tests_gate, required_evidence
from checks.review_report import ReviewReport
from checks.verdict import ApprovalView, Verdict, decide
from config.errors import ConfigProblem
from config.model import Config


def commit_trailers(messages: Sequence[str]) -> tuple[str, ...]:
    """`Key: value` lines of each message's last paragraph (git's trailer block)."""
    return tuple(trailer for message in messages[:MAX_COMMITS] for trailer in trailers_of(message))


def evaluate_pull(
    config: Config,
    pull: PullRequestFacts,
    diff: DiffSummary,
    *,
    event: str,
    commit_messages: Sequence[str] = (),
    commit_shas: Sequence[str] = (),
    observed: tuple[ObservedCheck, ...] = (),
    notes: tuple[str, ...] = (),
    approvals: tuple[ApprovalView, ...] = (),
    exposure: ExposureReport | None = None,
    review: ReviewReport | None = None,
    review_gates_after: tuple[GateResult, ...] = (),
    review_note: str = "",
) -> Verdict:
    """`review`/`review_gates_after` come from the metered review, run once the review gates of a first call
    all pass (`Verdict.review_ready`); `review_note` says why no review runs (no provider configured)."""
    evidence = parse_evidence(pull.body, commit_messages)
    shas: Sequence[str | None] = tuple(commit_shas) or (None,) * len(commit_messages)
    agent = detect_agent(config.review.agents, pull, tuple(zip(shas, commit_messages, strict=False)))
    counted = apply_ignores(config, diff)
    evidence_result = evidence_gate(config, evidence, agent=agent, changed_lines=counted.changed_lines)
    approved = frozenset(a.what for a in approvals)
    review_gates = evaluate_gates(config, pull, diff, event=event, approvals=approved)
    skipped = next((a for a in reversed(approvals) if a.what == "skip"), None)
    if skipped is not None:
        why = f"skipped by @{skipped.approver}" + (f": {skipped.reason}" if skipped.reason else "")
        review_gates = (GateResult("skip", Outcome.SKIP, why, REVIEW_COMMAND), *review_gates)
    review_ready = all(g.outcome is Outcome.PASS for g in review_gates)
    gates = (
        *review_gates,
        *review_gates_after,
        evidence_result,
        observed_tests_gate(config, evidence, observed),
    )
    if exposure is not None:
        accepted = [a.approver for a in approvals if a.what == "exposure"]
        gates = (*gates, exposure_gate(config, exposure, accepted))
    lacking = (
        [k for k in required_evidence(config, counted.changed_lines) if not evidence.has(k)]
        if evidence_result.outcome is Outcome.FAIL
        else []
    )
    return decide(
        gates,
        diff=counted,
        pull=pull,
        notes=notes,
        observe_only=config.mode == "observe",
        evidence=evidence,
        observed=observed,
        missing_template=(prefilled_template(lacking, counted, observed) if lacking else ""),
        approvals=approvals,
        exposure=exposure,
        review=review,
        review_ready=review_ready,
        review_note=review_note,
        review_required=config.review.required,
        agent=agent,
    )


def config_error_verdict(
    problems: Sequence[ConfigProblem], pull: PullRequestFacts, diff: DiffSummary
) -> Verdict:
    """An invalid `.agentbudget.yml` on the base branch blocks, naming the file, key and line."""
    gates = tuple(GateResult("config", Outcome.FAIL, str(problem)) for problem in problems)
    verdict = decide(gates, diff=diff, pull=pull)
    first = problems[0]
    title = f"Blocked: invalid {first.file} — {first.key_path or 'syntax'}: {first.message}"
    return Verdict(verdict.conclusion, title[:200], verdict.gates, verdict.diff, pull, verdict.notes)
