from __future__ import annotations

import pytest

from checks.agents import NO_SIGNAL, AgentSignal
from checks.diff import DiffSummary, FileChange
from checks.evaluate import commit_trailers, evaluate_pull
from checks.evidence import parse_evidence
from checks.gates import Outcome
from checks.observed import ObservedCheck, observed_checks
from checks.pull import PullRequestFacts
from checks.requirements import evidence_gate, observed_tests_gate
from config.model import Config

FULL = (
    "## Summary\nDid a thing.\n\n## Not changed\nThe API.\n\n"
    "## Testing\n- [x] `pytest -q` ✅\n\n## Risks\nNone known: small change.\n"
)


ENFORCE = Config.model_validate({"mode": "enforce"})


def config(**evidence: object) -> Config:
    return Config.model_validate({"mode": "enforce", "evidence": evidence})


def pull(body: str, author: str = "copilot-swe-agent[bot]", labels: tuple[str, ...] = ()) -> PullRequestFacts:
    return PullRequestFacts(
        number=1,
        title="t",
        body=body,
        author=author,
        author_is_bot=author.endswith("[bot]"),
        base_ref="main",
        base_sha="b" * 40,
        head_ref="f",
        head_sha="a" * 40,
        draft=False,
        labels=labels,
        from_fork=False,
    )


@pytest.mark.parametrize(
    ("body", "agent", "applies_to", "outcome", "reason_part"),
    [
        (FULL, True, "agent", Outcome.PASS, "present"),
        (
            "## Summary\nDid a thing.",
            True,
            "agent",
            Outcome.FAIL,
            "missing: not changed, tests run, uncertainty",
        ),
        ("## Summary\nDid a thing.", False, "agent", Outcome.PASS, "not required"),
        ("## Summary\nDid a thing.", False, "all", Outcome.FAIL, "missing"),
        (
            FULL.replace("None known: small change.", "N/A"),
            True,
            "agent",
            Outcome.FAIL,
            "uncertainty (section is empty)",
        ),
    ],
)
def test_evidence_gate(body: str, agent: bool, applies_to: str, outcome: Outcome, reason_part: str) -> None:
    result = evidence_gate(
        config(applies_to=applies_to),
        parse_evidence(body),
        agent=AgentSignal(True, "label", "label `x`") if agent else NO_SIGNAL,
        changed_lines=100,
    )
    assert result.outcome is outcome
    assert reason_part in result.reason


def check(name: str, state: str) -> ObservedCheck:
    return ObservedCheck(name, state, "check_run")


@pytest.mark.parametrize(
    ("required", "observed", "outcome", "reason_part"),
    [
        ((), (check("unit-tests", "failed"),), Outcome.FAIL, "CI says unit-tests failed"),
        ((), (check("lint", "failed"),), Outcome.NOT_OBSERVED, "no test job in CI"),
        ((), (check("pytest", "passed"),), Outcome.PASS, "1 test checks passed"),
        (("test*",), (), Outcome.FAIL, "has not run"),
        (("test*",), (check("tests", "pending"),), Outcome.FAIL, "not finished"),
        (("test*",), (check("tests", "passed"),), Outcome.PASS, "passed"),
        (("build",), (check("build", "failed"),), Outcome.FAIL, "CI says build failed"),
    ],
)
def test_tests_gate(
    required: tuple[str, ...], observed: tuple[ObservedCheck, ...], outcome: Outcome, reason_part: str
) -> None:
    result = observed_tests_gate(
        config(require_passing_checks=list(required)), parse_evidence(FULL), observed
    )
    assert result.outcome is outcome, result.reason
    assert reason_part in result.reason


def test_failed_ci_without_a_claim_is_not_a_contradiction() -> None:
    result = observed_tests_gate(Config(), parse_evidence("## Summary\nx"), (check("unit-tests", "failed"),))
    assert result.outcome is Outcome.PASS and "not required" in result.reason


def test_observed_checks_from_github_shapes() -> None:
    runs = [
        {"name": "agentbudget", "status": "completed", "conclusion": "failure"},
        {"name": "pytest", "status": "completed", "conclusion": "success"},
        {"name": "e2e", "status": "in_progress", "conclusion": None},
        {"name": "flaky", "status": "completed", "conclusion": "timed_out"},
    ]
    statuses = [{"context": "ci/jenkins", "state": "error"}, {"context": "pytest", "state": "failure"}]
    observed = {c.name: c.state for c in observed_checks(runs, statuses, own_name="agentbudget")}
    assert observed == {"pytest": "passed", "e2e": "pending", "flaky": "failed", "ci/jenkins": "failed"}


def test_commit_trailers_come_from_the_last_paragraph() -> None:
    messages = [
        "Fix\n\nBody: not a trailer?\n\nCo-authored-by: Claude <noreply@anthropic.com>\nAgent-Tokens: input=5"
    ]
    assert commit_trailers(messages) == (
        "Co-authored-by: Claude <noreply@anthropic.com>",
        "Agent-Tokens: input=5",
    )


def test_evaluate_pull_fails_with_template_for_agent_pr_and_is_neutral_in_observe_mode() -> None:
    diff = DiffSummary(files=(FileChange("a.py", "modified", 1, 0),))
    verdict = evaluate_pull(ENFORCE, pull("## Summary\nx"), diff, event="opened")
    assert verdict.conclusion == "failure"
    assert "## Tests run" in verdict.missing_template and "## What changed" not in verdict.missing_template
    observe = Config.model_validate({"mode": "observe"})
    assert evaluate_pull(observe, pull("## Summary\nx"), diff, event="opened").conclusion == "neutral"


def test_trailer_makes_a_human_pr_agent_authored() -> None:
    diff = DiffSummary(files=(FileChange("a.py", "modified", 1, 0),))
    human = pull("## Summary\nx", author="alice")
    assert evaluate_pull(ENFORCE, human, diff, event="opened").conclusion == "success"
    trailer = ["Change\n\nCo-authored-by: Claude <noreply@anthropic.com>"]
    assert (
        evaluate_pull(ENFORCE, human, diff, event="opened", commit_messages=trailer).conclusion == "failure"
    )


SUMMARY_AND_TESTS = "## Summary\nFix the off-by-one in paging.\n\n## Testing\n- [x] `pytest -q` ✅\n"


@pytest.mark.parametrize(
    ("files", "outcome"),
    [
        ((FileChange("a.py", "modified", 2, 0),), Outcome.PASS),  # 2 lines: small
        ((FileChange("a.py", "modified", 20, 0),), Outcome.PASS),  # at the threshold: small
        ((FileChange("a.py", "modified", 21, 0),), Outcome.FAIL),  # over it: every section
        # A lockfile-only bump counts 0 lines (review.ignore_paths), however large.
        ((FileChange("package-lock.json", "modified", 4_000, 3_900),), Outcome.PASS),
    ],
)
def test_small_changes_are_asked_only_what_changed_and_tests(
    files: tuple[FileChange, ...], outcome: Outcome
) -> None:
    verdict = evaluate_pull(Config(), pull(SUMMARY_AND_TESTS), DiffSummary(files=files), event="opened")
    gate = next(g for g in verdict.gates if g.gate == "evidence")
    assert gate.outcome is outcome, gate.reason
    if outcome is Outcome.PASS:
        assert "small change" in gate.note and "evidence.small_change_lines" in gate.note
    else:
        assert "missing: not changed, uncertainty" in gate.reason


def test_a_small_change_still_needs_what_changed_and_tests() -> None:
    small = DiffSummary(files=(FileChange("a.py", "modified", 2, 0),))
    verdict = evaluate_pull(ENFORCE, pull("Fix."), small, event="opened")
    assert verdict.conclusion == "failure"
    assert "## Not changed" not in verdict.missing_template and "## Tests run" in verdict.missing_template


def test_no_test_job_is_not_observed_never_a_pass() -> None:
    result = observed_tests_gate(config(), parse_evidence(FULL), ())
    assert result.outcome is Outcome.NOT_OBSERVED
    assert result.reason == "the PR says tests pass; no test job in CI on this commit"
