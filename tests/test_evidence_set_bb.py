"""Rules met while scoring evidence set BB and BA's leftovers, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence

SUMMARY = "## Summary\nRoute gateway calls through the binding.\n\n"


def _results(text: str) -> list[str]:
    return sorted(t.result for t in parse_evidence(SUMMARY + text + "\n").tests)


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
    ],
)
def test_results_of_set_bb(text: str, results: list[str]) -> None:
    assert _results(text) == results
