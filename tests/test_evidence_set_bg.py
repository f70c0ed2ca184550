"""Rules met while scoring evidence set BG, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from checks.evidence.results import line_result
from tests.evidence_results import with_summary


@pytest.mark.parametrize(
    "text",
    [
        "The Postgres secrets were already correctly conditional.",
        "AVG dropped nulls; MIN was already correct.",
        "Events route to the new intake without widening the public `source` surface.",
        "Note: Excludes the cache tool to avoid bringing in a dependency on the vector store.",
        "Moving the worker onto the new API is the separate, larger change tracked in #1781.",
        "Pod identity is not configured here and is tracked as a follow-up.",
        "The old restart handoff remains only for CLI-initiated restarts.",
        "- No TS config/build changes required",
    ],
)
def test_left_alone_said_in_prose_of_set_bg(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "This fixes the crash tracked in #1781.",
        "The parser is already fast.",
        "- Exclude the vendored directory from the lint run",
        "- Skip the cache to avoid stale reads",
    ],
)
def test_changes_are_not_left_alone(text: str) -> None:
    assert "not_changed" not in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "The same gotcha is worth noting in the template's README.",
        "The deprecated pair can be removed once no published package emits them.",
        "Enforcing the ruleset is a separate, later decision.",
        "The skipped FIFO test also fails on the unchanged base and is unrelated to this patch.",
    ],
)
def test_doubts_of_set_bg(text: str) -> None:
    assert "uncertainty" in with_summary(text).sections


def test_a_count_of_new_cases_is_no_run() -> None:
    written = parse_evidence(
        "Stop indexing when the index is cleared.\n\nTests: 4 new jest cases in packages/core covering the "
        "no-signal path and a pre-aborted signal.\n\nCloses #199\n"
    )
    assert "tests_run" not in written.sections
    assert written.tests == ()
    ran = parse_evidence("Stop indexing.\n\nTests: 4 new jest cases covering the abort; all pass.\n")
    assert [claim.result for claim in ran.tests] == ["passed"]


@pytest.mark.parametrize(
    ("line", "result"),
    [
        ("- pnpm test and pnpm test:e2e to ensure unit and e2e tests pass", "planned"),
        ("- pnpm format to verify formatting", "planned"),
        ("1. `go test ./...` to check the parser", "planned"),
        ("- `pytest` to verify: all 12 passed ✅", "passed"),
        ("- pytest passes", "passed"),
    ],
)
def test_a_command_named_for_its_aim_is_a_plan(line: str, result: str) -> None:
    assert line_result(line, None) == result
