"""Rules met while scoring evidence set BC, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from tests.evidence_results import SUMMARY, with_summary
from tests.evidence_results import results as _results


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # why a test was pinned, no run of it
        ("## Notes\nThe runner caps at API 35, so pin the affected tests to keep them green on 36.", []),
        # what a broken test did, no run of it
        ("## Notes\nThe assertion is never awaited, so the test passes whether or not the row shows.", []),
        ("## Notes\nThe check passes regardless of the input it is given.", []),
        # a run said so still counts
        ("## Testing\nAll 377 tests pass.", ["passed"]),
    ],
)
def test_results_of_set_bc(text: str, results: list[str]) -> None:
    assert _results(text) == results


def test_a_tests_section_that_only_logs_the_tests_changed_says_no_run() -> None:
    body = SUMMARY + (
        "## Tests\n\n- **Fixed**: existing test for duplicates now uses two agents of one name\n"
        "- **Added**: regression test with the colliding names\n"
        "- **Updated**: all existing test mocks aligned with the new parameter\n"
    )
    assert parse_evidence(body).tests == ()
    ran = body + "- **Ran**: `pytest tests/agents` — 40 passed\n"
    assert [t.result for t in parse_evidence(ran).tests] == ["passed"]


@pytest.mark.parametrize(
    "text",
    [
        "A localStorage store is durable across rebuilds and requires zero backend changes.",
        "This is a no-op with respect to logic already covered by bootstrap tests.",
        "The react runtime and the Harbor runtime keep their own values.",
        "`--sandbox-concurrency` still overrides per run.",
        "Change the property to a computed one. Keep the setter (tests inject a mock).",
    ],
)
def test_left_alone_said_in_prose_of_set_bc(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        # the fix, and the bug it fixes
        "Set the endpoint explicitly so the label is preserved (IPv6) rather than being lost.",
        "Only action, reward and done are preserved — the output is lost.",
        # what a written test asserts about the code
        "Six unit tests covering the combinations, and that purging edges leaves socket edges untouched.",
    ],
)
def test_no_left_alone_in_a_fix_or_a_test_description(text: str) -> None:
    assert "not_changed" not in with_summary(text).sections
    # a statement beside a test description still counts
    kept = "Behaviour is unchanged for other paths; added a regression test covering the nested case."
    assert "not_changed" in with_summary(kept).sections


@pytest.mark.parametrize(
    "text",
    [
        "If maintainers prefer an app-wide cache switch instead, happy to change the approach.",
        "It leaks the value on foreign threads (acceptable since the set is bounded).",
        "The other two items are filed as separate follow-up issues.",
        "This updates only the in-memory copy; write-back is tracked separately in #106.",
        "Eventually, when the factory becomes internal, `Create` can be simplified.",
    ],
)
def test_uncertainty_said_in_prose_of_set_bc(text: str) -> None:
    assert "uncertainty" in with_summary(text).sections


# Set BD.


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # an argument handed on is no pass
        (
            "## Notes\n- `mount` stores its handler on the context (in addition to passing it to `run_bg`).",
            [],
        ),
        ('## Notes\nPassing `encoding="utf-8"` at all seven sites makes the CLI agree with the loader.', []),
        ("## Testing\nVerified passing against the local sandbox.", ["passed"]),
        (
            "## Notes\nAdd a regression test for the schema; it reproduces the error before the fix and "
            "passes after.",
            ["passed"],
        ),
        ("## Notes\nFor testing, I put a sample video on my local environment.", ["unknown"]),
    ],
)
def test_results_of_set_bd(text: str, results: list[str]) -> None:
    assert _results(text) == results


def test_a_tests_paragraph_on_the_tests_changed_says_no_run() -> None:
    body = SUMMARY + (
        "## Tests\n\nUpdated `tests/unit/providers/test_safety.py` to assert the guardrails API receives\n"
        "the provider's model name instead of the shield's identifier. The existing tests were asserting\n"
        "the wrong behaviour across three test cases, which the new assertions replace one for one.\n\n"
        "Fixes #4899\n"
    )
    evidence = parse_evidence(body)
    assert evidence.tests == ()
    assert "tests_run" not in evidence.sections


@pytest.mark.parametrize(
    "text",
    [
        "No type annotations changed.",
        "This is PR 1/4 in the error message series.",
        "This PR should be docs-only.",
    ],
)
def test_left_alone_said_in_prose_of_set_bd(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "Assuming this 9x increase carries over, the self time drops from 55ms to 6ms.",
        "It won't work on the Starter plan.",
        "This is fine for re-running the latest release but not older tags.",
    ],
)
def test_uncertainty_said_in_prose_of_set_bd(text: str) -> None:
    assert "uncertainty" in with_summary(text).sections


def test_a_one_line_body_that_stops_doing_something_says_what_changed() -> None:
    assert (
        "what_changed"
        in parse_evidence("Stop subtracting 1 from the line argument before the insert.\n").sections
    )
