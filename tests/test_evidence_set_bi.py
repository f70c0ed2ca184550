"""Rules met while scoring evidence set BI, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.agents import NO_SIGNAL, detect_agent
from config.model import AgentDetection
from tests.evidence_results import results, with_summary
from tests.test_agents import PULL


@pytest.mark.parametrize(
    "text",
    [
        "Tested it on Linux and it works. I'll prepare another PR for the build script.",
        "* Undo some changes unrelated to adding the new provider",
        "Also revert the unrelated scheduler changes that were on this branch.",
        "There's only one panic left in the watchdog thread, as a last resort.",
        "Destroy stays non-fatal and appends the usual hint, matching the pre-existing UX.",
    ],
)
def test_left_alone_said_in_prose_of_set_bi(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "The volume lookup is already scoped to the source app, so it validates ownership.",
        "Revert the parser to the strict mode, which the old tests expect.",
        "We will open the file once and stream it.",
    ],
)
def test_changes_are_not_left_alone_in_set_bi(text: str) -> None:
    assert "not_changed" not in with_summary(text).sections


@pytest.mark.parametrize(
    "text",
    [
        "Widens one assertion window to reduce false timeouts while investigation continues.",
        "Servers answer once they pick up the matching server-side change; older ones keep the old path.",
        "It only takes effect once the upstream fix is released.",
    ],
)
def test_doubts_of_set_bi(text: str) -> None:
    assert "uncertainty" in with_summary(text).sections


def test_doubts_need_their_words() -> None:
    assert "uncertainty" not in with_summary("The investigation page now loads once per visit.").sections
    assert "uncertainty" not in with_summary("Rebased after the upstream fix was merged.").sections


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Verified: the extended pkce.test.ts passes 16/16 against unpatched main.", ["passed"]),
        ("Verified load-bearing: 16/16 green on the branch.", ["passed"]),
        (
            "Checked in the browser (dev server) at 360 / 390 / 1024px:\n- Mobile: the bar is inset.",
            ["passed"],
        ),
        ("The previous run failed in the e2e job on a known-flaky test.", ["failed"]),
    ],
)
def test_runs_told_in_set_bi(text: str, expected: list[str]) -> None:
    assert results(text) == expected


def test_a_ratio_short_of_all_is_not_every_test_passing() -> None:
    assert results("The extended file passes 15/16 against the branch.") != ["passed"]


def test_a_test_failing_on_a_released_version_is_the_bug() -> None:
    assert "failed" not in results("On v4.15.0 the response never reaches the store and the test fails.")
    assert "failed" in results("pytest passes on 3.11. On 3.12 two tests fail.")


def test_a_sisyphus_co_author_trailer_marks_an_agent() -> None:
    commit = "fix: never run user hooks\n\nCo-authored-by: Sisyphus <clio-agent@sisyphuslabs.ai>"
    found = detect_agent(AgentDetection(), PULL, ((None, commit),))
    assert found.kind == "trailer"
    assert (
        detect_agent(AgentDetection(), PULL, ((None, "fix: hooks\n\nCo-authored-by: Sis <s@example.com>"),))
        == NO_SIGNAL
    )


def test_a_template_heading_left_empty_does_not_hide_what_the_text_says() -> None:
    from checks.evidence import parse_evidence

    body = (
        "## What is your solution?\nAdds a log option.\n\n## Alternatives considered\n\n"
        "## What the reviewer should know\n\nTested it on Linux and it works. "
        "I'll prepare another PR for the build.\n"
    )
    evidence = parse_evidence(body)
    assert "not_changed" in evidence.sections and "not_changed" not in evidence.empty
    assert "uncertainty" in evidence.sections
    left_empty = "## What is your solution?\nAdds a log option.\n\n## Alternatives considered\n\n"
    assert "not_changed" in parse_evidence(left_empty).empty
