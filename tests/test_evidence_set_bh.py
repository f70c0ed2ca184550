"""Rules met while scoring evidence set BH, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from checks.evidence.results import line_result
from tests.evidence_results import with_summary


@pytest.mark.parametrize(
    "text",
    [
        "Note: `api.generated.d.ts` not regenerated here; the manual interface is what components use.",
        "For simplicity, I opted to not add this flag and update the time unconditionally.",
        "Files copied unchanged: archetypes, assets and layouts.",
        "No Python-specific changes in this commit; retargeting is done in the follow-up commit.",
        "The current default is kept and the new worker class can be enabled with an option.",
        "This keeps the #7000 behavior while making the mapping linear.",
        "The record is still persisted when the send is gated.",
    ],
)
def test_left_alone_said_in_prose_of_set_bh(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "Regenerates the client; the schema was not regenerated before.",
        "Copied the fixture into the test folder.",
        "The default is now 30 seconds.",
    ],
)
def test_changes_are_not_left_alone_in_set_bh(text: str) -> None:
    assert "not_changed" not in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "Depends on org/pkgs#226 — merge/release that first.",
        "This won't compile against the currently published package.",
        "Presumably this was left in by accident.",
        "The site builds clean; only the harmless no-layout warning remains.",
        "`bun run typecheck` currently fails on existing typing issues unrelated to this PR.",
    ],
)
def test_doubts_of_set_bh(text: str) -> None:
    assert "uncertainty" in with_summary(text).sections


def test_an_unticked_box_reporting_a_failure_is_a_failed_run() -> None:
    line = "- [ ] `bun run typecheck` *(currently fails on existing baseline typing issues)*"
    assert line_result(line, " ") == "failed"
    assert line_result("- [ ] `bun run typecheck`", " ") == "planned"


def test_a_new_test_failing_on_main_in_backticks_is_the_bug_not_a_run() -> None:
    body = (
        "Timers fire early on kqueue.\n\nI've included a test which fails on `main` that shows this "
        "behavior. It asserts the elapsed time is at least the delay.\n"
    )
    assert [claim.result for claim in parse_evidence(body).tests] == []
