"""Test claims as real PR bodies write them: wrapped lines, several sentences, steps, notes beside a run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.evidence import Evidence, parse_evidence
from checks.evidence.claims import MAX_LINE_CHARS, logical_lines
from checks.evidence.markdown import Fence, Text


def found(evidence: Evidence) -> list[tuple[str | None, str]]:
    return [(claim.command, claim.result) for claim in evidence.tests]


def results(body: str) -> set[str]:
    return {claim.result for claim in parse_evidence(body).tests}


# Lines wrapped by the author's editor are one line, as Markdown renders them.


def test_a_wrapped_list_item_is_one_claim() -> None:
    body = "## Testing\n- `cargo test -p core` —\nboth pass.\n- `cargo clippy` — no warnings."
    assert found(parse_evidence(body)) == [("cargo test -p core", "passed"), ("cargo clippy", "passed")]


def test_a_wrapped_result_note_joins_its_command() -> None:
    body = "## Testing\n- `pnpm test` *(fails: the browser executable doesn't exist, run\n`pnpm exec setup`)*"
    assert found(parse_evidence(body)) == [("pnpm test", "not_run")]


def test_a_code_span_wrapped_before_its_command_is_one_claim() -> None:
    body = "## Test plan\n- [ ] Check the new test passes (`python -m\npytest tests/test_io.py`)"
    assert found(parse_evidence(body)) == [("python -m pytest tests/test_io.py", "planned")]


def test_list_items_table_rows_and_command_lines_are_not_joined() -> None:
    body = "## Testing\npytest -q\nruff check .\n- `a` ✅\n- `b` ❌\n| `tox` | ✅ |\n| `nox` | ❌ |"
    assert len(parse_evidence(body).tests) == 6


@settings(max_examples=200, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet="ab -`|*#[]x\u2705.", max_size=40), max_size=60))
def test_joining_keeps_the_words_in_order_and_bounds_each_line(lines: list[str]) -> None:
    pieces: list[Text | Fence] = [Text(line, number) for number, line in enumerate(lines, 1)]
    joined = list(logical_lines(pieces))
    assert all(isinstance(piece, Text) for piece in joined)
    texts = [piece.text for piece in joined if isinstance(piece, Text)]
    assert all(len(text) <= 2 * MAX_LINE_CHARS + 80 for text in texts)
    if all(len(line) < 40 for line in lines) and len("".join(lines)) < MAX_LINE_CHARS:
        assert " ".join(texts).split() == " ".join(lines).split()


def test_a_paragraph_of_many_short_lines_is_read_in_linear_time() -> None:
    body = "## Testing\n" + "a\n" * 400_000 + "- `pytest` ✅"
    assert found(parse_evidence(body)) == [("pytest", "passed")]


# One line, several results.


def test_sentences_that_state_different_results_are_separate_claims() -> None:
    body = "## Tests\nTypecheck passes. (The e2e fixture wasn't run locally: no binary is built here.)"
    assert found(parse_evidence(body)) == [(None, "passed"), (None, "not_run")]


def test_one_sentence_with_a_command_and_a_result_stays_one_claim() -> None:
    assert found(parse_evidence("## Tests\nRan `pytest`. All 12 pass.")) == [("pytest", "passed")]


@pytest.mark.parametrize(
    ("line", "result"),
    [
        ("- `pytest` fails on main, passes with this change", "passed"),
        ("- `pytest` passes locally but fails in CI", "failed"),
        ("- Reverting the fix fails two tests; all 40 tests pass", "passed"),
        ("- Every new test fails under at least one mutation; the suite passes", "passed"),
        ("- A response with no body (network failure) keeps the cached value", "unknown"),
        ("- `pytest tests/test_pool.py`: covers a retry after one failing upload", "unknown"),
        ("- `pytest` — a failing test was added first, and fails on main", "failed"),
        ("- `pytest tests/test_parse.py`: each of `done`/`failed`/`stopped`", "unknown"),
    ],
)
def test_the_later_result_holds_and_failures_that_are_not_results_do_not_count(
    line: str, result: str
) -> None:
    assert results(f"## Testing\n{line}") == {result}


# Could not run, planned, verified.


@pytest.mark.parametrize(
    "line",
    [
        "- `make test` *(fails: No rule to make target 'test')*",
        "- `npm run e2e` (fails: browser executable doesn't exist)",
        "- `make integration` (fails: request failed after 3 retries (tunnel error))",
        "- `pytest tests/db` ❌ connection refused",
        "- `python -m pytest -q` *(fails: No module named 'pytest')*",
        "- `pre-commit run --files README.md` *(fails: cannot fetch hooks)*",
        "- `npm test` *(fails: EHOSTUNREACH registry.npmjs.org)*",
    ],
)
def test_a_missing_target_executable_or_network_is_could_not_run(line: str) -> None:
    assert results(f"## Testing\n{line}") == {"not_run"}


@pytest.mark.parametrize(
    ("line", "result"),
    [
        ("1. Find a small lint warning and see if the agent fixes it", "planned"),
        ("1. Run `docker compose up`", "planned"),
        ("- Run `pytest`: 12 passed", "passed"),
        ("Verified the header is built and that the key is left out of the body.", "passed"),
        ("Confirmed the file is still valid JSON.", "passed"),
        ("The Windows job has not been verified yet.", "not_run"),
        ("- `tsc` needs to be verified on Windows", "unknown"),
        ("- [ ] All 37 tests pass (verified)", "passed"),
        ("- [ ] Build succeeds", "planned"),
        ("Existing CI should run", "planned"),
        ("The CI will run the e2e job after merge.", "planned"),
        ("The changes only touch tests. Review them and let's see if it passes CI.", "planned"),
        ("I didn't test the change.", "not_run"),
        ("- N/A (documentation only)", "not_run"),
        ("Unit test must pass. Build must pass on Jenkins.", "planned"),
        ("No se ha ejecutado aún una revisión completa.", "not_run"),
    ],
)
def test_steps_verified_and_not_verified(line: str, result: str) -> None:
    assert results(f"## Testing\n{line}") == {result}


# A tests section that says something but states no outcome.


@pytest.mark.parametrize("text", ["Tested manually", "- Chrome\n- Firefox"])
def test_a_tests_section_with_no_command_or_result_is_one_unknown_claim(text: str) -> None:
    evidence = parse_evidence(f"## Test plan\n{text}")
    assert evidence.has("tests_run") and found(evidence) == [(None, "unknown")]


def test_a_recording_link_alone_claims_nothing_and_leaves_the_checklist_to_speak() -> None:
    body = "## Testing\n**Recording**\nhttps://example.com/v/1\n\n## Checklist\n- [x] Unit tests pass locally"
    assert found(parse_evidence(body)) == [(None, "passed")]


def test_a_file_or_identifier_without_a_result_is_not_a_command_run() -> None:
    body = "## Tests\n- `tests/fixtures/empty/` asserts the build throws\n- Added `test_empty` to `test_a.py`"
    # what a test file asserts and a test added: tests written, none said to run
    assert found(parse_evidence(body)) == []
    ran = body + "\n- `make check` in `tests/fixtures/empty/`"
    assert found(parse_evidence(ran)) == [("make check", "unknown")]


def test_a_shell_comment_reports_the_output_of_its_command() -> None:
    body = "## Testing\n```sh\nnpm test        # 12 passed\nnpm run lint    # 0 errors\nnpm run build\n```"
    # The bare command is part of the same reported run: nothing in the section failed or was skipped.
    assert found(parse_evidence(body)) == [
        ("npm test", "passed"),
        ("npm run lint", "passed"),
        ("npm run build", "passed"),
    ]
    failing = body.replace("# 0 errors", "# 2 errors")
    assert ("npm run build", "unknown") in found(parse_evidence(failing))


def test_commands_listed_beside_passing_ones_report_one_run() -> None:
    body = "## Validation\n\n- `npm run lint`\n- `npm run unittest` — 1469 passing, 0 failing\n"
    assert found(parse_evidence(body)) == [("npm run lint", "passed"), ("npm run unittest", "passed")]
    skipped = body + "- `npm run e2e` — not run (no display)\n"
    assert ("npm run lint", "unknown") in found(parse_evidence(skipped))


@pytest.mark.parametrize("text", ["NFC.", "No functional change."])
def test_nfc_under_a_test_plan_is_no_test_and_a_not_changed_statement(text: str) -> None:
    evidence = parse_evidence(f"## Summary\nRenames a helper.\n\n## Test Plan\n{text}")
    assert not evidence.has("tests_run") and "tests_run" in evidence.empty
    assert evidence.has("not_changed") and evidence.tests == ()


# Claims in prose.


@pytest.mark.parametrize(
    "body",
    [
        "## Notes\n- Please add tests and lint your code with `uv run ruff`.",
        "## Summary\nFixes a flaky failure seen in CI (the count\nassertion failing with 2 != 1).",
        "## Summary\nAdds a stub to avoid type-check failures when the package is absent.",
        "## Summary\n- run the guardrails in every session\n- Run the formatter on save",
        "## Checklist\n- [x] A changeset was added (run `pnpm changeset` in the root)",
        "## Summary\nFixes the demo script that never runs to completion on Windows.",
        "## Summary\nAdds a retry. The demo script no longer runs to completion on Windows.",
        "## Summary\nTests wrote to the home directory, which causes test failures on other machines.",
        "## Summary\nThe unhappy path of the test harness is covered by a new case.",
        "## Checklist\n- [ ] UI lint passes\n- [x] Screenshots captured",
        "Adds tests for the previously untested retry path.",
    ],
)
def test_prose_that_is_no_claim(body: str) -> None:
    assert parse_evidence(body).tests == ()


@pytest.mark.parametrize(
    ("body", "claim"),
    [
        ("Adds two parser tests. Both fail without the fix.", (None, "unknown")),
        ("Adds a test helper.\n\nSee this build for test output: https://ci.example/1", (None, "unknown")),
        ("- [x] Fix the lookup\n- [x] Run validation (CodeQL ✅)", (None, "passed")),
        ("Fix the config.\n\n1. Go to a terminal. Run npm run test.", ("npm run test", "planned")),
        (
            "Fix the parser.\n\nRan the suite. 331 tests pass; disabling the guard fails four.",
            (None, "passed"),
        ),
        ("Fixes the encoding error - the demo script now runs correctly:", (None, "passed")),
        ("Adds 18 locales.\n\nAll 20 locales build cleanly with zero errors.", (None, "passed")),
        ("Adds a cache.\n\n* mypy and ruff all happy", ("mypy", "passed")),
        (
            "Adds a cache.\n\nVerified end-to-end against a scratch server: empty reads, two writes.",
            (None, "passed"),
        ),
        ("Added claude to models. Very experimental. Mostly untested.", (None, "not_run")),
        ("## Notes\n- typos is not installed, so I could not run the typo scanner.", (None, "not_run")),
        ("## Checklist\n- [x] UI lint passes", (None, "passed")),
        ("Fixes flaky specs.\n\nI made these changes locally and got 5/5 successful runs.", (None, "passed")),
        ("## Contributor checklist\n- [x] Code passes all unit tests", (None, "passed")),
        ("## Validation\n- README secret marker scan had no hits", (None, "passed")),
        ("## Testing\n- `npm test` *(fails: Could not read package.json)*", ("npm test", "not_run")),
        (
            "## Review Instructions\nI don't think this needs a changelog entry. Test locally.",
            (None, "planned"),
        ),
        (
            "There was a bug in the config that could not find the config file.\nI fixed it and tested it.",
            (None, "unknown"),
        ),
    ],
)
def test_prose_claims(body: str, claim: tuple[str | None, str]) -> None:
    assert found(parse_evidence(body)) == [claim]


def test_beside_an_empty_tests_section_only_a_plan_or_a_ticked_box_is_taken_from_the_text() -> None:
    template = "## How has this been tested?\n{Please write here}\n\n## Checklist\n"
    planned = parse_evidence(template + "- [ ] All checks have passed")
    assert found(planned) == [(None, "planned")] and "tests_run" in planned.empty
    ticked = parse_evidence(template + "- [x] Tests are passing locally")
    assert found(ticked) == [(None, "passed")] and ticked.has("tests_run") and "tests_run" not in ticked.empty
    assert ticked.notes == ("Tests run: the tests section is empty; claims taken from the text (line 5)",)
    prose = parse_evidence(template + "All checks have passed before, this should keep them green.")
    assert prose.tests == () and "tests_run" in prose.empty


def test_part_of_a_count_passing_is_also_a_failure() -> None:
    assert results("## Summary\nAdds a retry.\n\n- 12/13 tests pass (one needs a network)") == {
        "passed",
        "failed",
    }
    assert results("## Testing\n- 13 of 13 tests pass") == {"passed"}


def test_what_a_hypothetical_change_would_do_is_no_result() -> None:
    body = (
        "## Summary\nAsserts the two fields mirror each other.\n\n## Tests\nWithout these assertions,"
        " a refactor that lets them drift stays valid and every test stays green."
    )
    assert "passed" not in results(body)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (
            "Fixes the sticky error.\n\nTest plan: added a test for the launch path; `go test ./...` passes.",
            "tests_run",
        ),
        (
            "## Fix\nDrops the entry.\n\n## Verifying\nAfter merge, run the publish workflow by hand.",
            "tests_run",
        ),
        (
            "## Fix\nDrops the entry.\n\n## Why not reformat the identifier\nIt bakes in the version.",
            "not_changed",
        ),
        ("## Fix\nDrops the entry.\n\n## Alternatives considered\nA second registry.", "not_changed"),
    ],
)
def test_test_plan_verifying_and_why_not_sections(body: str, key: str) -> None:
    assert parse_evidence(body).has(key)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tests were not run because this is docs-only.", {"not_run"}),
        ("I ran the integration tests and tried the flow by hand.", {"unknown"}),
        ("Validated after change with:\n\n    go test ./search -count=500", {"passed"}),
        ("Validation\n- blocked in this environment by a toolchain mismatch", {"not_run"}),
    ],
)
def test_runs_stated_in_prose_and_under_plain_text_headings(text: str, expected: set[str]) -> None:
    assert results("## Summary\nAdds the cache.\n\n" + text) == expected


def test_a_plain_text_heading_underlined_is_one_heading() -> None:
    body = "## Summary\nAdds the cache.\n\nKnown limitations\n-----------------\n\nLarge uploads are refused."
    assert parse_evidence(body).has("uncertainty")


@pytest.mark.parametrize(
    "step",
    [
        "1. Read the new bullet; it should follow on from the one above.",
        "2. Check #650 and #651 for the new section.",
        "After merge, manually fire the publish workflow from the Actions tab.",
        "1. See these tests pass on CI consistently.",
    ],
)
def test_reviewer_steps_are_planned(step: str) -> None:
    assert results(f"## Summary\nAdds X.\n\n## Test plan\n{step}") == {"planned"}


@pytest.mark.parametrize(
    "body",
    [
        # A purpose, not a result.
        "## Summary\nAdds a CI workflow.\n\n## Why\nEnsures all tests pass automatically on every push.",
        # Tests written, none said to have run.
        "## Summary\nFixes a flaky test.\n\n## Use of AI\n- [x] Includes tests generated by an AI agent",
    ],
)
def test_purposes_and_authored_tests_are_not_passing_runs(body: str) -> None:
    assert all(claim.result != "passed" for claim in parse_evidence(body).tests)


def test_a_workflow_file_named_in_a_summary_is_not_a_ci_claim() -> None:
    body = (
        "## Summary\n- Pin the action in `claude.yaml`, and `ci-failure-analysis.yaml`\n\n"
        "## Test plan\n- [ ] Verify CI passes\n"
    )
    assert results(body) == {"planned"}


@pytest.mark.parametrize(
    "body",
    [
        "## Testing\n- Verified the new regression test fails without the release guard",
        "## Testing\n- Keys pressed in `nvim --clean`",
    ],
)
def test_a_test_proved_by_failing_and_a_clean_flag_are_no_results(body: str) -> None:
    assert results(body) <= {"unknown"}


def test_a_test_failing_without_the_fix_and_passing_with_it_passed() -> None:
    assert results("## Testing\nConfirmed the new test fails without the fix and passes with it.") == {
        "passed"
    }


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- `pytest -q` *(fails: 13 failed, 228 passed, 7 skipped)*", {"passed", "failed"}),
        ("- 1 pre-existing unrelated failure remains in `test_table`", {"failed"}),
    ],
)
def test_counted_failures_beside_counted_passes(line: str, expected: set[str]) -> None:
    assert results(f"## Testing\n{line}") == expected


def test_a_templates_blank_fields_and_subheadings_claim_nothing() -> None:
    body = "## Testing\n### Result\n- pass/fail:\n- if fail, exact files/errors:\n\n## CI status\n- pass:\n"
    assert results(body) <= {"unknown"}
    assert "failed" not in results(body)


@pytest.mark.parametrize(
    "step",
    [
        "1. Change the theme to dark and reopen the settings page.",
        "- Resize the window until the sidebar collapses.",
    ],
)
def test_reviewer_steps_that_change_or_resize_are_planned(step: str) -> None:
    assert results(f"## Summary\nAdds X.\n\n## How to test\n{step}") == {"planned"}


@pytest.mark.parametrize("answer", ["NONE", "No", "**N/A**"])
def test_a_template_question_answered_no_states_what_is_kept(answer: str) -> None:
    body = f"## What does this PR do?\nAdds X.\n\n## Does this PR introduce a user-facing change?\n{answer}\n"
    section = parse_evidence(body).sections.get("not_changed")
    assert section is not None
    assert answer.strip("*") in section.text


def test_a_template_question_answered_yes_states_nothing_kept() -> None:
    question = "## Does this PR introduce a user-facing change?"
    body = f"## What does this PR do?\nAdds X.\n\n{question}\nYes, a new flag.\n"
    assert "not_changed" not in parse_evidence(body).sections


def test_an_ellipsis_placeholder_claims_nothing() -> None:
    assert results("## Testing\n- ...\n- `…`\n") <= {"unknown"}


def test_a_long_template_question_heading_is_named_by_its_opening_clause() -> None:
    heading = "## How has this change been tested, please provide a testcase or example of how you tested it?"
    evidence = parse_evidence(f"# Description\nAdds X.\n\n{heading}\n\nNot needed, non-functional\n")
    assert "tests_run" in evidence.sections
    assert {claim.result for claim in evidence.tests} == {"not_run"}


@pytest.mark.parametrize(
    "line", ["- No logical changes -> no tests required.", "Not needed, docs only", "No new tests needed."]
)
def test_tests_said_not_to_be_needed_are_could_not_run(line: str) -> None:
    assert results(f"## Summary\nAdds X.\n\n## Testing\n{line}") == {"not_run"}


def test_a_sentence_that_needs_a_test_is_no_not_run() -> None:
    assert results("## Testing\n- Ran `pytest`: all tests passed.") == {"passed"}


@pytest.mark.parametrize("text", ["No logical changes, only styles moved.", "Only documentation update."])
def test_no_logical_changes_and_only_a_docs_update_are_not_changed(text: str) -> None:
    assert "not_changed" in parse_evidence(f"## Summary\nCleans up X.\n\n## Notes\n{text}\n").sections


@pytest.mark.parametrize(
    "text",
    [
        "Try to fix the flaky test, perhaps due to a race condition.",
        "Some styles move into `globalStyles`, to be cleaned up in subsequent PRs.",
    ],
)
def test_a_guessed_cause_and_work_left_to_later_prs_are_doubt(text: str) -> None:
    assert "uncertainty" in parse_evidence(f"## Description\n{text}\n").sections


def test_a_plain_cause_and_a_past_pr_are_no_doubt() -> None:
    body = (
        "## Description\nThe test failed because of a race, fixed in the previous PR; this adds the lock.\n"
    )
    assert "uncertainty" not in parse_evidence(body).sections


def test_to_stay_in_an_editor_and_fixing_a_pre_existing_error_say_nothing_kept_or_doubted() -> None:
    body = (
        "## Summary\nAdds a chat buffer, so I can stay in vim while a thread runs.\n"
        "- `test_store.py`: a new case; also fixes a pre-existing D202 lint error in the same file\n"
    )
    sections = parse_evidence(body).sections
    assert "not_changed" not in sections
    assert "uncertainty" not in sections
    kept = parse_evidence("## Summary\nThe public API stays the same.\n").sections
    assert "not_changed" in kept


def test_a_title_written_as_a_heading_is_not_a_tests_section() -> None:
    body = "# Add tests for file overwrite confirmation\n\nThis PR covers the export command's prompt.\n"
    evidence = parse_evidence(body)
    assert "what_changed" in evidence.sections
    assert "tests_run" not in evidence.sections
    assert "tests_run" in parse_evidence("## Test plan\nRan `pytest`: passed.\n").sections


def test_what_a_how_to_validate_section_states_without_an_outcome_is_a_step() -> None:
    body = "## Summary\nAdds a theme.\n\n## How to Validate\n\n/theme -> Solarized Light / Dark\n"
    assert results(body) == {"planned"}
    assert results("## Testing\n\n/theme -> Solarized Light / Dark\n") <= {"unknown"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- `dotnet test` *(fails: Network not available)*", {"not_run"}),
        ("- `make test` *(fails: No rule to make target 'test')*", {"not_run"}),
        ("CI", {"planned"}),
        ("Do they pass on all platforms for all Python versions?", {"planned"}),
        ("1. Modify the calls with invalid values, see that they fail.", {"planned"}),
        ("- No runtime tests were required.", {"not_run"}),
    ],
)
def test_set_l_test_lines(line: str, expected: set[str]) -> None:
    assert results(f"## Summary\nAdds X.\n\n## Test plan\n{line}") == expected


def test_what_an_agent_is_built_to_do_is_no_result() -> None:
    body = "## Summary\n- **implementer**: Implements code to make tests pass\n\n## Test plan\n- [ ] Try it\n"
    assert results(body) == {"planned"}


@pytest.mark.parametrize(
    "text",
    [
        "Please let me know if we should have tests for these changes.",
        "Don't know whether it was intentional, but opening the PR anyways.",
    ],
)
def test_asking_the_maintainers_is_doubt(text: str) -> None:
    assert "uncertainty" in parse_evidence(f"Fixes typos in the docs.\n\n{text}\n").sections


def test_a_reviewer_guidance_heading_is_doubt() -> None:
    body = "## Summary\nAdds tests.\n\n## Reviewer guidance\nDo all tests make sense?\n"
    assert "uncertainty" in parse_evidence(body).sections


def test_a_command_under_verified_with_is_what_verified_the_change() -> None:
    body = "Adds a plugin.\n\nVerified with:\n\n```\nuv run --group test pytest packages/x -q\n```\n"
    assert results(body) == {"passed"}
    assert results("Adds a plugin.\n\nTesting:\n\n```\nuv run pytest -q\n```\n") == {"unknown"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- `npm test` *(fails: jest not found)*", "not_run"),
        ("- `npm test` *(fails: Error: no test specified)*", "not_run"),
        ("- `npm test` *(fails: 2 assertions)*", "failed"),
        ("- `go test ./...` *(fails: downloading toolchain forbidden)*", "not_run"),
        ("- `npm test` *(fails: fetching packages blocked by the proxy)*", "not_run"),
        ("- `go test ./...` *(fails: TestDownloadPackages denied access)*", "failed"),
    ],
)
def test_a_runner_that_is_missing_could_not_run(line: str, expected: str) -> None:
    assert results(f"Adds Jest.\n\n## Testing\n{line}\n") == {expected}


def test_not_needed_beside_a_pass_is_a_pass() -> None:
    assert results("Bumps deps.\n\n## Testing instructions\n* Not needed, all tests passed\n") == {"passed"}
    assert results("Bumps deps.\n\n## Testing instructions\n* Not needed\n") == {"not_run"}


def test_tests_made_to_pass_by_hand_report_no_pass() -> None:
    body = "Adds test infrastructure.\n\nAll tests are set to pass now, since some misbehave.\n"
    assert "passed" not in results(body)


@pytest.mark.parametrize(
    "body",
    [
        "Caches statements.\n\nThis cuts overhead on start. Verified with benchmarks and tests.\n",
        "Fixes traversal.\n\n✅ Verification: Added a traversal test. Existing `ActionTest` passes.\n",
    ],
)
def test_a_verification_stated_in_prose_is_a_pass(body: str) -> None:
    assert results(body) == {"passed"}


@pytest.mark.parametrize(
    "text",
    [
        "This is a temporary bandaid until the native parser lands.",
        "Needs tests.",
        "There's still an issue where the runner says connection refused.",
    ],
)
def test_a_makeshift_fix_owed_tests_and_a_remaining_problem_are_doubt(text: str) -> None:
    assert "uncertainty" in parse_evidence(f"Fixes the date parser.\n\n{text}\n").sections


def test_tests_said_not_to_be_needed_are_no_doubt() -> None:
    assert "uncertainty" not in parse_evidence("Fixes a typo.\n\nThis doesn't need tests.\n").sections


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ("- [x] tested", {"passed"}),
        ("- [x] Code is manually tested", {"passed"}),
        ("- [x] Changes have been manually tested", {"passed"}),
        ("- [ ] tested", set()),
        ("- [x] ~~Automatic tests are created~~", set()),
    ],
)
def test_a_ticked_box_saying_the_change_was_tested_is_a_pass(box: str, expected: set[str]) -> None:
    assert results(f"## Summary\nBumps the dependency.\n\n{box}\n") == expected


def test_a_done_heading_says_what_changed_and_fill_in_steps_are_planned() -> None:
    body = (
        "## Done\n\n- Attaches the spinner on form submission\n\n## QA\n\n"
        "- fill in a [modal form](https://example.com/#a) and check that the spinner shows\n"
        "- do the same for a [static form](https://example.com/b)\n"
    )
    evidence = parse_evidence(body)
    assert "what_changed" in evidence.sections
    assert results(body) == {"planned"}


def test_a_ticked_box_saying_no_test_is_needed_could_not_run() -> None:
    body = "Fixes a typo.\n\n### Automated tests\n- [x] My changes can not or do not need to be tested.\n"
    assert results(body) == {"not_run"}
    assert results("Adds lint.\n\n## Testing\n- `make lint` *(fails: `shellcheck` not found)*\n") == {
        "not_run"
    }


@pytest.mark.parametrize(
    "text",
    [
        "not certain on email validation, the rest should be fine",
        "I kept the base as dev but if y'all agree, we should cherry pick it.",
        "It could be made faster but that is left for a separate PR.",
    ],
)
def test_more_hedges_are_doubt(text: str) -> None:
    assert "uncertainty" in parse_evidence(f"Adds the login form checks.\n\n{text}\n").sections


@pytest.mark.parametrize(
    "question",
    ["# Are there any user-facing changes?", "## Are there any breaking changes?"],
)
def test_a_template_question_about_changes_answered_no_is_not_changed(question: str) -> None:
    level = question.split(" ", 1)[0]
    body = f"{level} What changes are included in this PR?\nAdds a test.\n\n{question}\nNo.\n"
    assert "not_changed" in parse_evidence(body).sections
    assert "not_changed" not in parse_evidence(body.replace("No.", "Yes, the toolbar moves.")).sections


@pytest.mark.parametrize(
    ("intro", "expected"),
    [
        (
            "Fixes the linter setup - the following commands now succeed:",
            [("npm run lint", "passed"), ("npm run test", "passed")],
        ),
        ("These checks pass:", [("npm run lint", "passed"), ("npm run test", "passed")]),
        ("Run the following commands:", []),
        ("The following commands failed before:", []),
    ],
)
def test_a_line_introducing_passing_commands_gives_its_list_the_result(
    intro: str, expected: list[tuple[str, str]]
) -> None:
    body = f"{intro}\n- `npm run lint`\n- `npm run test`\n\nNotes:\n- no tests are written yet\n"
    got = [claim for claim in found(parse_evidence(body)) if claim[0] is not None]
    assert got == expected


def test_a_ticked_kind_of_test_says_it_ran_not_how_it_went() -> None:
    body = "## How has this been tested?\n\n- [x] UnitTest\n- [x] Manual testing\n- [ ] Benchmark\n"
    assert found(parse_evidence(body)) == [(None, "unknown"), (None, "unknown"), (None, "planned")]
    assert found(parse_evidence("## Testing\n- [x] Unit tests pass\n")) == [(None, "passed")]


def test_a_value_passed_on_is_not_a_pass() -> None:
    body = "## Testing\n- `npx inspector --cli http://x` *(fails: arguments cannot be passed to a server)*\n"
    assert found(parse_evidence(body)) == [("npx inspector --cli http://x", "failed")]
