"""Rules met while scoring evidence set BA, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from tests.evidence_results import SUMMARY, with_summary
from tests.evidence_results import results as _results


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # a parenthesised "verified:" reports what was checked
        (
            "It keeps the wire format (verified: the chat stream arrives incrementally; logs are readable).",
            ["passed"],
        ),
        # features checked against the documentation: a text read, no run
        (
            "- The features list the capabilities, which I verified against the existing documentation.",
            [],
        ),
        # what the code does under test, not a failed run
        (
            "### Tests\nFour cases: the record is kept; `update` fails with the actionable message.",
            ["unknown"],
        ),
        ("Both endpoints need the preview flag; omitting it fails every request with HTTP 400.", []),
    ],
)
def test_results_said_in_prose_of_set_ba(text: str, results: list[str]) -> None:
    assert _results(text) == results


def test_a_testing_label_indented_under_a_list_item_opens_the_section() -> None:
    body = (
        "- The tool was called without --verbose.\n"
        "  What changed:\n"
        "- cli.ts:96 adds --verbose\n"
        "    Validation:\n"
        '- Ran: bun cli.ts "Say hello" --max-iterations 1\n'
        "- Result: it executed successfully and exited with code 0.\n"
    )
    evidence = parse_evidence(body)
    assert evidence.sections["tests_run"].heading == "Validation"
    assert [t.result for t in evidence.tests] == ["passed"]
    # the same word indented as a list item's prose is no section
    assert (
        "tests_run" not in parse_evidence("- Fix the flag.\n    Validation of input is unchanged.\n").sections
    )


@pytest.mark.parametrize(
    "text",
    [
        "Note: The implementation is incomplete and the code does not currently compile.",
        "Submitted as a work-in-progress at the user's request.",
        "Note: rollout should wait for the new agents, otherwise older agents will crash-loop.",
        "## Additional considerations\n\n- The admin UI may rely on the old timestamp format.",
        "The govulncheck legs on this PR will still be red with 11 findings, unrelated to this change.",
    ],
)
def test_unfinished_work_and_rollout_warnings_are_uncertainty(text: str) -> None:
    assert with_summary(text).sections.get("uncertainty")


def test_a_build_that_compiles_is_no_doubt() -> None:
    assert not parse_evidence(SUMMARY + "The code compiles and the suite passes.\n").sections.get(
        "uncertainty"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Docs and one script only; no runtime code paths touched.",
        "- ✅ No existing functionality removed",
        "Only the catalog source loads, so `feed` and `path` records were never affected.",
        "These primitives have no caller yet; the first lands in the next PR in the stack.",
        "- Keeps read-only turns restricted and documents the permission model.",
    ],
)
def test_what_was_left_alone_said_in_prose_of_set_ba(text: str) -> None:
    assert with_summary(text).sections.get("not_changed")


def test_a_this_pr_heading_and_prose_keeping_a_value_say_what_changed() -> None:
    assert parse_evidence(
        "## Because\nLists lost their numbering.\n\n## This PR\n- Gives notes their own counter\n"
    ).sections.get("what_changed")
    body = "When nested empties strip to nothing, retain parameters:{} so schemas still validate.\n"
    assert parse_evidence(body).sections.get("what_changed")
