"""Rules met in evidence set AX, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence

SUMMARY = "## Summary\nRetry quarantined tests before masking them.\n\n"


@pytest.mark.parametrize(
    "section",
    [
        "- [ ] Add unit tests\n",
        "Added a snapshot test.\n",
        "New integration test `test_quarantined_failing_test_is_retried`\nin `tests/test_atr.py` verifies:\n"
        "- Session passes (exit code 0)\n- Retry events: `status=fail`,\n`retry_reason=auto`\n",
        "* Added `tests/pipelines/test_validation.py`\n",
        "Added unit tests for the parser.\n",
        "New integration test `test_retry` in `tests/test_atr.py` verifies:\n"
        "- Session passes (exit code 0)\n- First event: `status=fail`, no retry tag\n",
        "Documentation-only changes, no functional impact.\n",
    ],
)
def test_a_test_section_that_only_says_tests_were_written_runs_nothing(section: str) -> None:
    evidence = parse_evidence(SUMMARY + "## Testing\n" + section)
    assert not evidence.has("tests_run")
    assert evidence.tests == ()


@pytest.mark.parametrize(
    ("section", "results"),
    [
        ("Added unit tests for the parser; `pytest -q` passes.\n", ["passed"]),
        ("Added unit tests and tested manually against staging.\n", ["unknown"]),
        ("- [x] Add unit tests\n- [x] `make test` ✅\n", ["passed"]),
        (
            "New test `test_retry` verifies:\n- the retry happens\n\n"
            "Ran `pytest tests/test_atr.py`: 6 passed.\n",
            ["passed"],
        ),
    ],
)
def test_tests_written_beside_a_run_still_report_the_run(section: str, results: list[str]) -> None:
    evidence = parse_evidence(SUMMARY + "## Testing\n" + section)
    assert evidence.has("tests_run")
    assert [t.result for t in evidence.tests] == results


def test_what_a_new_tests_items_assert_is_no_result() -> None:
    section = (
        "Ran `pytest tests/test_atr.py`.\n\n"
        "The new integration test `test_retry` in `tests/test_atr.py` verifies:\n"
        "- Session passes (exit code 0)\n- First event: `status=fail`\n"
    )
    assert [t.result for t in parse_evidence(SUMMARY + "## Testing\n" + section).tests] == ["unknown"]


@pytest.mark.parametrize(
    ("text", "results"),
    [
        ("It is validated by the existing Zod env schema as `z.string().url()`, so a bad value throws.", []),
        ("Validated by running the unit tests locally.", ["passed"]),
        (":rocket: Once your PR is reviewed and the CI green, you can merge it!", []),
        ("When the tests pass, the release job publishes.", []),
        (
            "Compiles against both the old and the regenerated models, verified via `speakeasy run`.",
            ["passed"],
        ),
        ("Verified the new field in the response.", []),
    ],
)
def test_what_the_code_or_the_workflow_does_is_no_run(text: str, results: list[str]) -> None:
    assert [t.result for t in parse_evidence(SUMMARY + text + "\n").tests] == results


@pytest.mark.parametrize(
    "text",
    [
        "Same bug exists in the vendored copy (not fixed there).",
        "- [x] Intercept logs emitted outside the handler scope - won't do",
        "- [ ] Add tracing interceptor support - will do in a followup PR",
        "The functional tests depend on unmerged server changes. They will be added in a followup PR.",
        "- **Upload plumbing unchanged** — still a single tarball with the same URL wiring.",
    ],
)
def test_what_is_left_alone_or_for_later_from_set_ax(text: str) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("not_changed")


def test_a_still_to_verify_heading_is_uncertainty_not_a_test_plan() -> None:
    body = SUMMARY + "## Validation\n- Two patches apply → **both changes coexist**.\n\n"
    body += "## Notes / still to verify\n- Real validation needs CI and a device installing the plugins.\n"
    evidence = parse_evidence(body)
    assert evidence.has("uncertainty")
    assert evidence.sections["tests_run"].heading == "Validation"
    # a heading of one testing word stays a test plan
    assert parse_evidence(SUMMARY + "## How to verify\n1. Open the page.\n").has("tests_run")


@pytest.mark.parametrize(
    ("text", "doubt"),
    [
        ("- Not yet exercised through a real CI build and an on-device install.", True),
        ("* Add earlier shape validation, at the cost of loading tensors twice", True),
        ("We'll need to sync this with the CI jobs to ensure that dropping `--forked` works.", True),
        ("We'll need to add the flag to the docs.", False),
        ("The job ran at the usual time.", False),
    ],
)
def test_doubt_in_prose_from_set_ax(text: str, doubt: bool) -> None:
    assert parse_evidence(SUMMARY + text + "\n").has("uncertainty") is doubt
