"""Rules met while scoring evidence set BF, each from a reduction written here."""

from __future__ import annotations

import pytest

from checks.evidence import parse_evidence
from tests.evidence_results import results as _results
from tests.evidence_results import with_summary


@pytest.mark.parametrize(
    ("text", "results"),
    [
        # a step that says what to look for is no run, whatever outcome it names
        (
            "## Test instructions\n1. Run `rails db:migrate` and confirm the view rebuilds cleanly.",
            ["planned"],
        ),
        ("## Testing\n- Ran `rails db:migrate`: the view rebuilds cleanly.", ["passed"]),
        ("## Notes\nAfter increasing the pause, this test is still flaky in CI.", ["failed"]),
    ],
)
def test_results_of_set_bf(text: str, results: list[str]) -> None:
    assert _results(text) == results


@pytest.mark.parametrize(
    "text",
    [
        "- Backward compatibility - default behavior preserved",
        "A separate loop in the HTML path is out of SEC-146's scope and tracked in its own ticket.",
        "This PR adds the `--dev` flag without implementing any functionality yet.",
        "This is only implemented for model fields for now.",
        "This also only implements validation support.",
        "## Checklist\n- [ ] ~~Added a docs PR that references this PR~~ N/A Bug fix, no API change",
    ],
)
def test_left_alone_said_in_prose_of_set_bf(text: str) -> None:
    assert "not_changed" in with_summary(text).sections


def test_keep_only_opening_an_item_is_the_change() -> None:
    assert (
        "not_changed" not in with_summary("- Keep only 'name' and 'description' in the frontmatter").sections
    )
    assert "not_changed" in with_summary("The exporter now keeps only the last value.").sections
    assert (
        "not_changed" in with_summary("- Keep clamping the client's chunk size to the admin value").sections
    )


def test_a_breaking_change_named_is_a_doubt() -> None:
    assert (
        "uncertainty"
        in with_summary("The only breaking change here is one missed rename of a struct.").sections
    )


def test_this_addresses_says_what_changed() -> None:
    body = "## Because\n\nThe card over-counts.\n\n## This addresses\n\nThe numerator uses the shared flag.\n"
    assert "what_changed" in parse_evidence(body).sections
