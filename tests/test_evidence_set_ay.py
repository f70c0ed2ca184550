"""Rules met while scoring evidence set AY and the sets before it, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence

SUMMARY = "## Summary\nDrop stale generated files on update.\n\n"


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # what the bug does, told as a general rule, is no run of this change
        (
            "Downstream forks that override the image have it dropped: the pooler tests fail with "
            "ImagePullBackOff when the default image is pulled.",
            [],
        ),
        ("The e2e tests fail whenever the registry is slow.", []),
        ("The e2e tests fail when we run them on the slow runner.", ["failed"]),
        # a new test proved against the old code, no failure of this change
        ("Added a regression test (confirmed it fails against the pre-fix code).", []),
        ("Pinned by tests/test_marker.py: 9 fail against the unfixed script, 12 pass with it.", ["passed"]),
        (
            "Verified locally: passes against current code, and fails when the kill -0 check is removed.",
            ["passed"],
        ),
        ("Tests fail against the staging cluster.", ["failed"]),
    ],
)
def test_a_failure_the_bug_causes_or_a_proof_of_the_new_test_is_no_failed_run(
    text: str, results: list[str]
) -> None:
    assert [t.result for t in parse_evidence(SUMMARY + text + "\n").tests] == results
