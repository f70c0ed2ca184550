"""Rules met while scoring evidence set BE, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from tests.evidence_results import SUMMARY, with_summary
from tests.evidence_results import results as _results


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # an argument handed to the code under test, no run of it
        ("## Notes\nThe two entry tests additionally pass a bare namespace request.", []),
        ("## Testing\nThe tests pass a smoke test of the CLI.", ["passed"]),
        # a tool the sandbox could not reach is a run that could not happen
        (
            "## Testing\n- Attempted to run `actionlint` via `go run` but it failed because the Go module "
            "proxy returned `Forbidden`, so validation could not be completed in this environment.",
            ["not_run"],
        ),
        # commands listed, then what they did
        ("## Testing\n`./gradlew check`, `tool validate`, and `scripts/validate_configs` pass.", ["passed"]),
        ("## Testing\nThe installer suite, including the release path, runs green.", ["passed"]),
        ("## Testing\nManually tested on a Lambda function that the extension no longer panics.", ["passed"]),
        # the bug's rate before the fix is not a failure of this change
        (
            "## Notes\nRan the sidecar test 1000 times and no failures -- it failed ~8% of the time before.",
            ["passed"],
        ),
    ],
)
def test_results_of_set_be(text: str, results: list[str]) -> None:
    assert _results(text) == results


def test_the_logs_shown_before_and_after_a_fix_are_no_test_run() -> None:
    body = SUMMARY + (
        "## Testing\n\nTested manually that this fixes the retry loop.\n\nBefore:\n```\n"
        "APP | ERROR | Failed to send request after 5005 ms and 132 attempts\n```\nAfter:\n```\n"
        "APP | ERROR | Failed to send request after 1 ms and 3 attempts\n```\n\n"
        "- [x] `cargo test --lib flusher` — 7/7 pass\n"
    )
    assert [t.result for t in parse_evidence(body).tests] == ["passed"]


def test_the_prompt_a_pull_request_was_made_from_is_not_its_evidence() -> None:
    body = SUMMARY + (
        "## Testing\n\n- Validated the YAML syntax\n\n"
        "*This pull request was created as a result of the following prompt from Copilot chat.*\n"
        "> Update the workflow:\n> - Ensure that the title checks remain enforced for all contributors.\n"
        ">\n> ```yaml\n> - name: label\n> ```\n\nCloses #12\n"
    )
    evidence = parse_evidence(body)
    assert [t.result for t in evidence.tests] == ["passed"]
    assert "not_changed" not in evidence.sections


def test_a_template_prompt_and_a_link_definition_leave_a_tests_section_empty() -> None:
    body = SUMMARY + (
        "Ran the sidecar test 1000 times and no failures.\n\n# How to test the change?\n\n"
        "Describe here in detail how the change can be validated.\n\n[PROF-1]:\nhttps://example.com/browse/PROF-1\n"
    )
    evidence = parse_evidence(body)
    assert "tests_run" not in evidence.empty  # the author's run, told above the template's prompt
    assert [t.result for t in evidence.tests] == ["passed"]


@pytest.mark.parametrize(
    "text",
    [
        "Scope the policy to the main workflow while leaving the granted permission (`contents: write`) "
        "unchanged.",
        "Keeping it rather than removing it: the native install path already shipped.",
        "No DB writes, no gateway health-state side effects.",
        "Backend lock diff is the two packages only (no transitive churn).",
        "Only the Unix-socket sidecar path is affected.",
        "Only select queries are retried.",
        "**Kept:** the uninstall script still removes a previously installed app.",
    ],
)
def test_left_alone_said_in_prose_of_set_be(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "- PST folder structure is preserved as labels",
        # what a new function does
        "- New `remove_edges(node)` removes every RDMA edge of the node while leaving socket edges intact.",
    ],
)
def test_what_the_code_keeps_is_no_thing_left_alone(text: str) -> None:
    assert "not_changed" not in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "In theory this degrades performance, but this is likely not an issue.",
        "The jump touches the auth plugins; auth flows must be exercised in CI/staging.",
        "Functional confirmation needs several runs (the failure is a race).",
    ],
)
def test_uncertainty_said_in_prose_of_set_be(text: str) -> None:
    assert "uncertainty" in with_summary(text).sections


def test_a_test_improvement_heading_says_what_changed() -> None:
    evidence = parse_evidence("## Test Improvement\n\nAdds regression coverage for the theming hook.\n")
    assert "what_changed" in evidence.sections
    assert "tests_run" not in evidence.sections
