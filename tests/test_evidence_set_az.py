"""Rules met while scoring evidence set AZ, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence, unescaped_newlines

SUMMARY = "## Summary\nDrop stale generated files on update.\n\n"


def _results(text: str) -> list[str]:
    return [t.result for t in parse_evidence(SUMMARY + text + "\n").tests]


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # a count of runs that pass, an observation the author made, a test plan's hedged "working"
        (
            "Reproduced with seed 11 (10 out of 60 seeds failed before the fix); all 60 seeds pass after it.",
            ["passed"],
        ),
        (
            "Verified by watching `~/.cache/agents` across a run: unchanged, where it was rewritten before.",
            ["passed"],
        ),
        ("## Test plan\nlocal tests\n\nworking as expected so far.", ["passed"]),
        # never a pass when it is not working
        ("## Test plan\nThe toggle is not working as expected.", ["unknown"]),
        # failures the author counts as there before, named by kind
        (
            "Full suite 4836 passed and 14 pre-existing order/environment failures reproduced on main.",
            ["failed", "passed"],
        ),
        # a failure denied is no failure
        (
            "952 tests pass. The intermediate commit was checked out and its suites run, so it isn't broken.",
            ["passed"],
        ),
    ],
)
def test_results_said_in_prose(text: str, results: list[str]) -> None:
    assert sorted(_results(text)) == results


@pytest.mark.parametrize(
    "text",
    [
        # the run that proves a new test, before the fix
        "## Test plan\n- **without the fix:** both fail with `2 failed, 9 passed`\n",
        "## Tests\nAdds `test_purge`, which forces a rotation. It fails (`3 != 1`) without the fix.\n",
        # what a check or the suite is built to do
        "A guard in the same file fails if any test file spawns the catalog without a home.",
        "Every fetch has a timeout so a container that hangs fails the individual test rather than the run.",
    ],
)
def test_a_proof_or_a_design_of_failing_is_no_failed_run(text: str) -> None:
    assert "failed" not in _results(text)


@pytest.mark.parametrize(
    "text",
    [
        "## Tests\n- Added comprehensive tests for API key validation logic\n"
        "- Tests cover empty strings and valid keys\n- Tests verify trim() behavior\n",
        "## Tests\n- Added targeted tests for the parser\n",
    ],
)
def test_a_tests_section_telling_only_what_was_written_runs_nothing(text: str) -> None:
    evidence = parse_evidence(SUMMARY + text)
    assert not evidence.sections.get("tests_run")
    assert evidence.tests == ()


@pytest.mark.parametrize(
    "text",
    [
        "Retarget the shortcuts and keep the old ids as aliases so users on older builds aren't broken.",
        "Making an empty variable an error is left to the wider AllowEmptyEnv work.",
        "- Prepare for making value_type mandatory in next release",
        "I will work on quicker restoration of the state in the followup PR(s).",
        "The audit names two problems this does not fix: the CLI sends an empty value.",
    ],
)
def test_what_was_left_alone_said_in_prose(text: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").sections.get("not_changed")


@pytest.mark.parametrize(
    "text",
    [
        "NOTE: This can only be merged once our backport lands for these improvements.",
        "We no longer crash on uncaught promises. Ideally we should have some telemetry here to catch this.",
    ],
)
def test_a_merge_waiting_on_another_change_or_a_named_gap_is_uncertainty(text: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").sections.get("uncertainty")


def test_escaped_line_breaks_are_read_as_lines() -> None:
    # a body written with every break escaped
    assert (
        unescaped_newlines("Fix it.\\n\\n## Testing\\n- tests pass\\n")
        == "Fix it.\n\n## Testing\n- tests pass\n"
    )
    # an escaped paragraph break between sentences, in a body with real lines too
    body = "* Fix loads\n\nResolve the entities. Bump to 2.4.1.\\n\\nVerification: 44 tests passed.\n"
    assert "2.4.1.\n\nVerification" in unescaped_newlines(body)
    # an escaped break in code is code
    assert (
        unescaped_newlines("Joins parts with `'\\n\\n'.join(x)`.\nDone.\n")
        == "Joins parts with `'\\n\\n'.join(x)`.\nDone.\n"
    )
    assert _results("Bump to 2.4.1.\\n\\nVerification: 44 targeted tests passed; flake8 passed.") == [
        "passed"
    ]


@pytest.mark.parametrize(
    ("text", "results"),
    [
        (
            "`golangci-lint` could not load its config; running with `--no-config` reports nothing new.",
            ["passed"],
        ),
        ("ESLint reports 0 errors after the migration.", ["passed"]),
        # what the bug caused is no run of this change
        (
            "I found an infinite loop in the tool window. It was likely a reason of the recent CI failures.",
            [],
        ),
    ],
)
def test_results_and_bugs_said_in_prose_of_set_az(text: str, results: list[str]) -> None:
    assert _results(text) == results


def test_fixing_the_pre_existing_errors_is_no_doubt() -> None:
    body = (
        SUMMARY
        + "- Fix all pre-existing lint errors (0 errors after migration):\n"
        + "  - 12 prefer-template violations\n"
    )
    assert not parse_evidence(body).sections.get("uncertainty")
    assert parse_evidence(SUMMARY + "There are 3 pre-existing errors in the parser.\n").sections.get(
        "uncertainty"
    )
