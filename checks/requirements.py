"""Merge requirements: the evidence a PR must carry, and the tests CI must show. Pure decisions.

Unlike the review gates, these block the merge (`fail`) when unmet.
"""

from __future__ import annotations

from checks.agents import AgentSignal
from checks.evidence import TITLES, Evidence, missing
from checks.gates import GateResult, Outcome
from checks.globs import glob_match
from checks.observed import ObservedCheck, ci_test_checks
from config.model import Config


def _label(key: str) -> str:
    return TITLES.get(key, key).lower()


SMALL_CHANGE_SECTIONS = ("what_changed", "tests_run")


def required_evidence(config: Config, changed_lines: int) -> tuple[str, ...]:
    """The sections asked of this pull request: a small change (evidence.small_change_lines, counted after
    review.ignore_paths) is asked only what changed and how it was tested."""
    required = config.evidence.required
    if changed_lines <= config.evidence.small_change_lines:
        return tuple(k for k in required if k in SMALL_CHANGE_SECTIONS)
    return required


def evidence_gate(
    config: Config,
    evidence: Evidence,
    *,
    agent: AgentSignal,
    changed_lines: int,
) -> GateResult:
    if config.evidence.applies_to == "agent" and not agent.authored:
        return GateResult(
            "evidence", Outcome.PASS, "not required: no agent signal (evidence.applies_to: agent)"
        )
    if not config.evidence.required:
        return GateResult("evidence", Outcome.PASS, "no evidence required (evidence.required is empty)")
    required = required_evidence(config, changed_lines)
    read = [agent.reason] if agent.authored else []
    if required != config.evidence.required:
        read.append(f"small change: {changed_lines:,} counted lines ≤ evidence.small_change_lines")
    note = "; ".join(read)
    lacking = missing(evidence, required)
    if not lacking:
        present = "present: " + ", ".join(_label(k) for k in required)
        return GateResult("evidence", Outcome.PASS, present, note=note)
    parts = [_label(k) + (" (section is empty)" if k in evidence.empty else "") for k in lacking]
    return GateResult("evidence", Outcome.FAIL, "missing: " + ", ".join(parts), note=note)


def observed_tests_gate(
    config: Config, evidence: Evidence, observed: tuple[ObservedCheck, ...]
) -> GateResult:
    """Claimed vs observed: a passing claim that CI contradicts blocks; required checks must have passed."""
    tests = ci_test_checks(config, observed)
    failed = [c.name for c in tests if c.state == "failed"]
    claims_pass = any(claim.result == "passed" for claim in evidence.tests)
    if claims_pass and failed:
        return GateResult(
            "tests", Outcome.FAIL, f"the PR says tests pass; CI says {', '.join(failed[:3])} failed"
        )
    for pattern in config.evidence.require_passing_checks:
        matching = [c for c in tests if glob_match(pattern, c.name)]
        if not matching:
            return GateResult("tests", Outcome.FAIL, f"required check `{pattern}` has not run on this commit")
        if any(c.state == "failed" for c in matching):
            return GateResult("tests", Outcome.FAIL, f"required check `{pattern}` failed")
        if any(c.state == "pending" for c in matching):
            return GateResult("tests", Outcome.FAIL, f"required check `{pattern}` has not finished yet")
    if failed:
        return GateResult(
            "tests", Outcome.PASS, f"CI reports failing: {', '.join(failed[:3])} (not required here)"
        )
    if claims_pass and not tests:
        return GateResult(
            "tests", Outcome.NOT_OBSERVED, "the PR says tests pass; no test job in CI on this commit"
        )
    if not tests:
        return GateResult("tests", Outcome.NOT_OBSERVED, "no test job in CI on this commit")
    passed = sum(1 for c in tests if c.state == "passed")
    pending = sum(1 for c in tests if c.state == "pending")
    return GateResult("tests", Outcome.PASS, f"CI: {passed} test checks passed, {pending} pending")
