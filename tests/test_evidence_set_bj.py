"""Rules met while scoring evidence set BJ, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.agents import detect_agent
from checks.evidence.results import line_result
from config.model import AgentDetection
from tests.evidence_results import results, with_summary
from tests.test_agents import PULL


def test_a_ticked_release_step_is_no_test_run() -> None:
    assert results("- [x] Ran `pnpm changeset` to generate a changeset file") == []
    assert results("- [x] Ran `pnpm test` and it passes") == ["passed"]


def test_a_run_failing_for_want_of_the_environment_could_not_run() -> None:
    line = "- `pytest -q tests/x_test.py` *(fails in this environment because Docker daemon is unavailable)*"
    assert line_result(line, None) == "not_run"
    assert line_result("- `pytest -q` fails in this environment on an assertion", None) == "failed"


@pytest.mark.parametrize(
    "text",
    [
        "Measured on a dev board: the handshake's low-water rose from ~6.6 KB to ~55.8 KB free.",
        "Benchmarking (`lookup.bench.tsx`) indicates this reduces lookup time from ~35ms to ~1.2ms.",
        "This PR worked for me.",
    ],
)
def test_measurements_and_a_tried_change_are_passed_runs(text: str) -> None:
    assert results(text) == ["passed"]


def test_a_change_of_a_number_not_measured_is_no_run() -> None:
    assert results("The default timeout goes from 30s to 60s.") == []
    assert results("Benchmarked: p99 latency went from 40ms to 900ms.") != ["passed"]


@pytest.mark.parametrize(
    "text",
    [
        "Mixed transforms are treated as source-referencing, keeping the check as strict as before.",
        "Remove the upper bound. Keep the 300ms lower bound so the gesture still registers as a press.",
        "Also update requirements.latest.txt, keeping requirements.oldest.txt at wrapt==1.16.0.",
        "* Keep `root` instead of `cwd`",
    ],
)
def test_left_alone_said_in_prose_of_set_bj(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


def test_keeping_a_thing_for_a_new_purpose_is_not_left_alone() -> None:
    assert "not_changed" not in with_summary("Keep track of the sessions in a map.").sections
    assert "not_changed" not in with_summary("The dashboard keeps spinning at 100% CPU.").sections


def test_no_test_able_to_cover_a_path_is_a_doubt() -> None:
    text = "The same query in a .pure file resolves elsewhere, which is why no PCT test can cover this."
    assert "uncertainty" in with_summary(text).sections


def test_fixing_an_unrelated_error_is_no_doubt() -> None:
    text = "Also fixed an unrelated cognitive complexity lint error in the extension."
    assert "uncertainty" not in with_summary(text).sections


def test_a_risks_section_answered_none_with_its_reason_is_empty() -> None:
    answered = "## Breaking Changes\nNone - the change is backward compatible. Old code keeps working.\n"
    assert "uncertainty" not in with_summary(answered).sections
    hedged = "## Breaking Changes\nNone - but callers relying on the old order might see a change.\n"
    assert "uncertainty" in with_summary(hedged).sections


def test_a_suite_added_covering_a_list_is_written_not_run() -> None:
    text = (
        "## Testing\n- Comprehensive test suite added (`test_metric.py`) covering:\n"
        "  - Plain value returns\n  - Sync and async functions\n"
    )
    assert "tests_run" not in with_summary(text).sections


def test_no_broken_links_is_no_failure() -> None:
    assert line_result("- [x] No broken links in navigation", "x") == "passed"


def test_a_forgecode_co_author_trailer_marks_an_agent() -> None:
    commit = "fix: search quality\n\nCo-authored-by: ForgeCode <noreply@forgecode.dev>"
    assert detect_agent(AgentDetection(), PULL, ((None, commit),)).kind == "trailer"
