"""The paste-ready block: what the App observed filled in, the author's part left as lines to replace."""

from __future__ import annotations

import pytest

from checks.diff import DiffSummary, FileChange, parse_unified_diff
from checks.evidence import SECTION_KEYS, headed_keys, parse_evidence, prefilled_template, template
from checks.evidence.content import FILL_IN_MARK
from checks.observed import ObservedCheck
from checks.requirements import observed_tests_gate
from config.model import Config
from tests.stack import SMALL_DIFF, big_diff

PROSE_KEYS = SECTION_KEYS[:4]


def passed(name: str) -> ObservedCheck:
    return ObservedCheck(name, "passed", "check_run")


def fill_in(block: str) -> str:
    """What an author does: replace each line to replace with what they know."""
    answers = {
        "why this change": "Export the report as CSV, which finance asked for.",
        "deliberately left": "The JSON export and its schema.",
        "each command you ran": "`pytest -q tests/test_export.py` ✅",
        "your risks": "Large reports are built in memory; fine up to ~50k rows.",
    }
    lines = []
    for line in block.splitlines():
        if FILL_IN_MARK in line:
            line = "- " + next(answer for hint, answer in answers.items() if hint in line)
        lines.append(line)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "observed",
    [
        (),
        (passed("unit-tests"),),
        (ObservedCheck("unit-tests", "failed", "check_run"), passed("lint")),
        (ObservedCheck("ci/build", "pending", "status"),),
    ],
)
def test_pasted_unchanged_nothing_passes_and_filled_in_everything_does(
    observed: tuple[ObservedCheck, ...],
) -> None:
    block = prefilled_template(PROSE_KEYS, parse_unified_diff(SMALL_DIFF), observed)
    unchanged = parse_evidence(block)
    assert not any(unchanged.has(key) for key in PROSE_KEYS)
    assert unchanged.empty == PROSE_KEYS
    assert all("line to replace" in note for note in unchanged.notes)
    filled = parse_evidence(fill_in(block))
    assert all(filled.has(key) for key in PROSE_KEYS), filled.notes
    assert filled.empty == ()
    assert ("pytest -q tests/test_export.py", "passed") in [(c.command, c.result) for c in filled.tests]


def test_a_failing_ci_job_is_reported_without_a_contradicting_pass_claim() -> None:
    observed = (ObservedCheck("unit-tests", "failed", "check_run"), passed("lint"))
    block = prefilled_template(("tests_run",), None, observed)
    assert "- ❌ CI `unit-tests` failed" in block and "✅" not in block.split(FILL_IN_MARK)[0]
    evidence = parse_evidence(block)
    assert not any(claim.result == "passed" for claim in evidence.tests)
    # CI's failure is its own business (a required check); the pasted block does not turn it into a lie.
    assert observed_tests_gate(Config(), evidence, observed).outcome.value == "pass"


def test_only_the_asked_keys_in_the_given_order() -> None:
    block = prefilled_template(("uncertainty", "tests_run"), parse_unified_diff(SMALL_DIFF), ())
    assert block.index("## Uncertainty") < block.index("## Tests run")
    assert "## What changed" not in block


def test_tokens_are_not_derived_and_stay_missing() -> None:
    block = prefilled_template(("tokens",), parse_unified_diff(SMALL_DIFF), (passed("unit-tests"),))
    assert block == template(("tokens",))
    assert not parse_evidence(block).has("tokens")


def test_the_file_list_is_capped_and_counts_all() -> None:
    block = prefilled_template(("what_changed",), parse_unified_diff(big_diff(25, 2)), ())
    assert "- 25 files changed, +50 −0:" in block
    assert block.count("(added, +2 −0)") == 20 and "… and 5 more" in block


def test_ignored_files_are_counted_apart() -> None:
    diff = parse_unified_diff(SMALL_DIFF).with_ignores(["README.md"])
    block = prefilled_template(("what_changed", "not_changed"), diff, ())
    assert "- 1 file changed, +1 −0:" in block and "`README.md`" not in block
    assert "1 generated or vendored files" in block


def test_hostile_names_stay_inert() -> None:
    path = "a`b<!--x-->\n## Not changed\n````|.py"
    diff = DiffSummary((FileChange(path, "added", 1, 0),))
    observed = (passed("ci` <!-- \n## Uncertainty"),)
    block = prefilled_template(("what_changed", "tests_run"), diff, observed)
    assert "<!--x" not in block and "````" not in block
    assert headed_keys(block) == {"what_changed", "tests_run"}
    assert len(block.splitlines()) == 10


def test_unknown_key_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown evidence key"):
        prefilled_template(("risks",), None, ())


def test_headed_keys_reads_headings_and_the_block() -> None:
    assert headed_keys(template(SECTION_KEYS)) == set(SECTION_KEYS)
    assert headed_keys("## Testing\n- `make test`\n\n### Risks\nnone\n") == {"tests_run", "uncertainty"}
    assert headed_keys("Just prose.") == frozenset()
