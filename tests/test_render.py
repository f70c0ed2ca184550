from __future__ import annotations

from checks.diff import DiffSummary, FileChange
from checks.gates import GateResult, Outcome
from checks.render import SUMMARY_LIMIT, TEXT_LIMIT, cell, render, verdict_as_dict
from checks.verdict import ACTION_REQUIRED, FAILURE, NEUTRAL, SUCCESS, decide, error_verdict


def gate(
    outcome: Outcome, name: str = "size", reason: str = "why", override: str | None = None
) -> GateResult:
    return GateResult(name, outcome, reason, override)


def test_conclusions_follow_the_most_severe_gate() -> None:
    assert decide((gate(Outcome.PASS),)).conclusion == SUCCESS
    assert decide((gate(Outcome.PASS), gate(Outcome.SKIP, "draft"))).conclusion == SUCCESS
    waiting = (gate(Outcome.NEEDS_APPROVAL), gate(Outcome.PASS))
    assert decide(waiting).conclusion == NEUTRAL  # the review waits; the merge does not
    assert decide(waiting, review_required=True).conclusion == ACTION_REQUIRED
    assert decide((gate(Outcome.NOT_OBSERVED, "tests"), gate(Outcome.PASS))).conclusion == SUCCESS
    assert decide((gate(Outcome.NEEDS_APPROVAL), gate(Outcome.FAIL, "evidence"))).conclusion == FAILURE
    assert decide((gate(Outcome.ERROR), gate(Outcome.PASS))).conclusion == NEUTRAL


def test_observe_mode_never_blocks() -> None:
    verdict = decide((gate(Outcome.FAIL, "evidence", "tests run missing"),), observe_only=True)
    assert verdict.conclusion == NEUTRAL and not verdict.blocking
    assert verdict.title.startswith("Observe mode (would block)")


def test_title_names_the_override() -> None:
    verdict = decide(
        (
            gate(
                Outcome.NEEDS_APPROVAL,
                reason="3,214 changed lines > 1,500",
                override="/agentbudget approve size",
            ),
        )
    )
    assert (
        verdict.title
        == "Review waits for approval: 3,214 changed lines > 1,500 — `/agentbudget approve size`"
    )


def test_hostile_file_names_cannot_break_the_table() -> None:
    evil = "a|b<script>`x`\nrow.py"
    diff = DiffSummary(files=(FileChange(evil, "added", 1, 0),))
    out = render(decide((gate(Outcome.PASS),), diff=diff))
    row = next(line for line in out.text.splitlines() if "script" in line)
    assert "<script>" not in row and "\\|" in row and "\n" not in cell(evil)
    assert row.count(" | ") == 3


def test_huge_output_is_trimmed_to_github_limits_with_a_note() -> None:
    files = tuple(FileChange(f"src/{'d' * 200}/{i}.py", "modified", 1, 1) for i in range(5000))
    gates = tuple(gate(Outcome.PASS, f"g{i}", "r" * 300) for i in range(400))
    out = render(decide(gates, diff=DiffSummary(files=files)))
    assert len(out.summary) <= SUMMARY_LIMIT and len(out.text) <= TEXT_LIMIT
    assert "cut to fit GitHub's 65,535-character limit" in out.summary
    short = tuple(FileChange(f"{i}.py", "modified", 1, 1) for i in range(5000))
    assert "4,700 more files not listed" in render(decide(gates, diff=DiffSummary(files=short))).text


def test_error_verdict_is_neutral_and_explains() -> None:
    verdict = error_verdict("GitHub answered 500 to GET /x")
    assert verdict.conclusion == NEUTRAL
    assert "GitHub answered 500" in render(verdict).summary


def test_json_shape() -> None:
    diff = DiffSummary(
        files=(
            FileChange("a.py", "modified", 2, 1),
            FileChange("yarn.lock", "modified", 9, 9, ignored_by="yarn.lock"),
        )
    )
    data = verdict_as_dict(decide((gate(Outcome.PASS),), diff=diff))
    assert data["conclusion"] == "success" and data["blocking"] is False
    assert data["diff"]["changed_files"] == 1 and data["diff"]["additions"] == 2
    assert data["gates"][0] == {
        "gate": "size",
        "outcome": "pass",
        "reason": "why",
        "note": None,
        "override": None,
    }


def test_sections_come_in_the_documented_order_and_count_nouns_right() -> None:
    from checks.evaluate import evaluate_pull
    from checks.exposure import compare
    from checks.exposure.gate import ExposureReport
    from checks.pull import PullRequestFacts
    from config.model import Config

    pull = PullRequestFacts(
        number=1, title="t", author="alice", author_is_bot=False, base_ref="main", base_sha="b" * 40,
        head_ref="f", head_sha="a" * 40, draft=False, labels=(), from_fork=False,
        body="## Summary\nAdds a stats page.\n\n## Not changed\nThe API.\n\n## Testing\n- [x] `pytest` ✅\n\n"
        "## Risks\nNone known.\n",
    )  # fmt: skip
    exposure = ExposureReport(
        compare({}, {"app.py": "@app.get('/admin/stats')\ndef s(): ...\n"}), files_compared=1
    )
    diff = DiffSummary(files=(FileChange("app.py", "added", 2, 0),))
    verdict = evaluate_pull(Config(), pull, diff, event="opened", exposure=exposure)
    summary = render(verdict).summary
    headings = [line for line in summary.splitlines() if line.startswith("### ")]
    assert summary.index("#### In the author's words") < summary.index("### Deliberately not changed")
    assert headings == [
        "### Decision",
        "### Tokens",
        "### What changed",
        "### Deliberately not changed",
        "### Tests run",
        "### Uncertainty",
        "### Internal API exposure",
    ]
    assert "1 file, +2 −0." in summary and "1 endpoint change in 1 file compared" in summary
