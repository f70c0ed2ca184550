"""Rules met while scoring evidence set BK, each from a reduction written here."""

from __future__ import annotations

import pytest

from tests.evidence_results import with_summary


@pytest.mark.parametrize(
    "text",
    [
        "The old call is unchanged and not deprecated; Phase 2 will follow up with migration guidance.",
        "The legacy directory is still read for now, but read support will be removed in btw 1.5.0.",
        "* a very rough draft, does not work for polars yet",
        "## Decisions made overnight (please review)\n- The retry notice is demoted but kept.\n",
    ],
)
def test_doubts_of_set_bk(text: str) -> None:
    assert "uncertainty" in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "The wrapper div introduced an extra container, which could break grid layouts; it is now invisible.",
        "Version 1.5.0 removed the legacy reader.",
        "The CLI prints '\"x unpack\" is deprecated and will be removed in v0.14', so the test always fails.",
    ],
)
def test_no_doubt_in_set_bk(text: str) -> None:
    assert "uncertainty" not in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "- Reverted normalization of the return value to avoid a breaking change.",
        "The error stays observation-only: the stream already shows it.",
        "- Scope: did NOT build a re-run against on-disk media.",
    ],
)
def test_left_alone_said_in_prose_of_set_bk(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


def test_a_worry_and_a_hedged_none_are_doubts() -> None:
    assert "uncertainty" in with_summary("I'm worried that might break older Safari versions.").sections
    hedged = "## Risks\nNone - not sure whether eviction is correct on Windows, untested there.\n"
    assert "uncertainty" in with_summary(hedged).sections


def test_a_scope_said_is_not_left_alone() -> None:
    assert "not_changed" not in with_summary("- Scope: the upload handler and its tests.").sections
