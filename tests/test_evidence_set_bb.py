"""Rules met while scoring evidence set BB and BA's leftovers, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from tests.evidence_results import SUMMARY
from tests.evidence_results import results as _results


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # a pass, and failures named beside it in brackets: both were seen
        (
            "## Testing\n`bun test`: 2566 tests pass (only the pre-existing e2e files fail, they need keys).",
            ["failed", "passed"],
        ),
        # a failure whose bracket only explains it stays a failure
        ("## Testing\n`make check` fails (see the linked CI log).", ["failed"]),
        # a bracket that passes, outside a failure: the later failure holds as before
        ("## Testing\nThe e2e suite fails on Windows.", ["failed"]),
        # an unticked step naming what it checks for is a plan, whatever word it names
        ("## Test plan\n- [ ] Verify logs show a debug message when telemetry is skipped", ["planned"]),
        ("## Test plan\n- [ ] Tests skipped, no network in the sandbox", ["not_run"]),
        # what the failures of a test now log, quoted, is no failed run
        (
            "## Testing\nExisting tests continue to pass. Signature test failures now correctly log "
            '"ante handler validation failed" instead of "invalid signature".',
            ["passed"],
        ),
        ('## Testing\n`make e2e` failed: the runner printed "timeout".', ["failed"]),
    ],
)
def test_results_of_set_bb(text: str, results: list[str]) -> None:
    assert _results(text) == results


@pytest.mark.parametrize(
    "text",
    [
        '"from_front" and "from_back" remain accepted as deprecated spellings.',
        "The old names are aliases now, so existing sources keep compiling.",
        "Raised the default to 30 blocks. This keeps the safety property while removing the false positive.",
        "Re-ran codegen across six packages: zero diff in `src/contracts/`.",
    ],
)
def test_left_alone_said_in_prose_of_set_bb(text: str) -> None:
    assert "not_changed" in parse_evidence(SUMMARY + text + "\n").sections


def test_the_unticked_or_no_answer_boxes_of_a_template_question_say_nothing() -> None:
    for answer in ("- [ ] Yes\n- [ ] No\n", "- [ ] Yes\n- [x] No\n"):
        assert (
            "uncertainty" not in parse_evidence(SUMMARY + "## Is this a breaking change?\n" + answer).sections
        )
    ticked = parse_evidence(SUMMARY + "## Is this a breaking change?\n- [x] Yes\n- [ ] No\n")
    assert "uncertainty" in ticked.sections


def test_self_explanatory_says_nothing_of_what_changed() -> None:
    assert (
        "what_changed" not in parse_evidence("## Overview\n\nSelf-explanatory\n\n## Notes\nNone.\n").sections
    )
