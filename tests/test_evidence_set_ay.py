"""Rules met while scoring evidence set AY and the sets before it, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from checks.evidence.results import line_result

SUMMARY = "## Summary\nDrop stale generated files on update.\n\n"


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # what the bug does, told as a general rule, is no run of this change
        (
            "Downstream forks that override the image have it dropped: the pooler tests fail with "
            "ImagePullBackOff when the default image is pulled.",
            [],
        ),
        ("The e2e tests fail whenever the registry is slow.", []),
        ("The e2e tests fail when we run them on the slow runner.", ["failed"]),
        # a new test proved against the old code, no failure of this change
        ("Added a regression test (confirmed it fails against the pre-fix code).", []),
        ("Pinned by tests/test_marker.py: 9 fail against the unfixed script, 12 pass with it.", ["passed"]),
        (
            "Verified locally: passes against current code, and fails when the kill -0 check is removed.",
            ["passed"],
        ),
        ("Tests fail against the staging cluster.", ["failed"]),
    ],
)
def test_a_failure_the_bug_causes_or_a_proof_of_the_new_test_is_no_failed_run(
    text: str, results: list[str]
) -> None:
    assert [t.result for t in parse_evidence(SUMMARY + text + "\n").tests] == results


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # what the code already does, not a run
        ("The query already re-runs correctly on back/forward, but the pills stayed stale.", []),
        # a plan for the reviewer, a request to test
        (
            "**Recommended test plan**: Create a board, add items, then verify they persist and work.",
            ["planned"],
        ),
        # what is left failing
        ("- **CI improvement**: Test failures reduced from 10 to 1 (the one left is unrelated)", ["failed"]),
        ("Confirmed: with this fix both specs produce only the 2 pre-existing failures on main.", ["failed"]),
        # what set the change off is no test of it
        (
            "**Triggered by**: [flaky e2e test failure](https://example.com/run/1) where `wait` failed with:",
            [],
        ),
        # a test fixture that fails on purpose, a table row of the state before
        ("Tested end-to-end manually with the UI.", ["unknown"]),
    ],
)
def test_prose_claims_from_set_ay(text: str, results: list[str]) -> None:
    assert [t.result for t in parse_evidence(SUMMARY + text + "\n").tests] == results


@pytest.mark.parametrize(
    ("section", "results"),
    [
        ("- [x] `bun test main.test.ts` — 8 pass, 0 fail\n", ["passed"]),
        (
            "**HIGH RISK AREAS - Please test thoroughly:**\n- [ ] Create items with Enter\n",
            ["planned", "planned"],
        ),
        (
            "Added a scenario test: it copies in a failing `main.js` fixture that exits `10`, runs it, and "
            "asserts the exit code is `10`.\n\n`lint` and `test:local` all pass.\n",
            ["passed"],
        ),
        ("type-check / lint / `test:unit` (1120 passed, 1 skipped) / check:agents green.\n", ["passed"]),
        ("| | Exit code |\n|---|---|\n| Before | `0` ❌ |\n| After | `10` ✅ |\n", ["passed"]),
        (
            "- [x] Tests added/updated\n- [x] Manual testing completed\n"
            "- [ ] No testing required (docs only)\n",
            ["passed"],
        ),
    ],
)
def test_testing_sections_from_set_ay(section: str, results: list[str]) -> None:
    assert [t.result for t in parse_evidence(SUMMARY + "## Testing\n" + section).tests] == results


@pytest.mark.parametrize(
    "section",
    [
        "- Added new testing to check the processing cookies.\n",
        "`tests/unit/test_post.py` covers each step.\n",
    ],
)
def test_a_test_section_naming_tests_written_runs_nothing(section: str) -> None:
    evidence = parse_evidence(SUMMARY + "## Testing\n" + section)
    assert not evidence.has("tests_run")


@pytest.mark.parametrize(
    "heading",
    ["Why the test is inherently flaky", "Move test infrastructure to internal/integrationtest"],
)
def test_a_heading_explaining_or_naming_a_change_is_no_test_section(heading: str) -> None:
    evidence = parse_evidence(SUMMARY + f"## {heading}\nThe `RetryWhenNotFound` wait succeeds instantly.\n")
    assert not evidence.has("tests_run") and evidence.tests == ()


def test_a_breaking_change_label_answered_no_states_no_risk() -> None:
    evidence = parse_evidence(SUMMARY + "**Breaking change:** [ ] Yes [x] No\n")
    assert not evidence.has("uncertainty")
    assert parse_evidence(SUMMARY + "**Breaking change:** [x] Yes [ ] No\n").has("uncertainty")


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("Luckily I think most of these are in APIs nobody uses.", True),
        ("`$` seems like in general the most safe character.", True),
        ("There does not seem to be any significant change other than the shebang.", True),
        ("It relies on request context, which should be there, but worth validating.", True),
        ("We still need to fix that test when we upgrade the submodule.", True),
        ("> **Low Risk**: the main risk is an unexpected Pages dependency.", True),
        ("This is a follow-up fix to #4736 which added a unique constraint.", False),
        ("5 seems reasonable but 10 gives us room.", False),
    ],
)
def test_doubt_in_prose_from_set_ay(text: str, doubt: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("uncertainty") is doubt


@pytest.mark.parametrize(
    "text",
    [
        "The 404 itself is worth investigating separately; retry here would hide it.",
        "I'm happy to submit follow-up PRs for other modules.",
        "Known follow-ups outside this stack: cross-tests for function parity.",
        "We can upgrade to the new release in a future PR.",
    ],
)
def test_what_is_left_for_later_from_set_ay(text: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("not_changed")


@pytest.mark.parametrize(
    ("line", "result"),
    [
        ("The CI tests were not passing on main.", "failed"),
        ("It does not pass on Windows.", "failed"),
        ("The runner was not passing any build tags to `go test`.", "unknown"),
        ("CI is passing the build now.", "passed"),
        ("not only passes but is faster", "passed"),
    ],
)
def test_a_negated_pass_is_a_failure_and_arguments_passed_are_no_result(line: str, result: str) -> None:
    assert line_result(line, None) == result
