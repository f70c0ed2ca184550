"""The exposure gate and its rendering (pure)."""

from __future__ import annotations

from checks.diff import parse_unified_diff
from checks.evaluate import evaluate_pull
from checks.exposure import compare
from checks.exposure.gate import APPROVE_EXPOSURE, ExposureReport, exposure_gate
from checks.gates import Outcome
from checks.pull import PullRequestFacts
from checks.render import actions, render, verdict_as_dict
from checks.verdict import ApprovalView
from config.model import Config

BEFORE = {
    "api.py": "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/health')\ndef health():\n    return 'ok'\n"
}
AFTER = {"api.py": BEFORE["api.py"] + "\n@app.route('/debug/vars')\ndef debug_vars():\n    return {}\n"}
PULL = PullRequestFacts(
    number=1, title="t", body="", author="octocat", author_is_bot=False, base_ref="main", base_sha="b" * 40,
    head_ref="x", head_sha="a" * 40, draft=False, labels=(), from_fork=False,
)  # fmt: skip


def report(before: dict[str, str], after: dict[str, str]) -> ExposureReport:
    return ExposureReport(compare(before, after), files_compared=1)


def test_no_route_file_passes_and_says_so() -> None:
    result = exposure_gate(Config(), ExposureReport(None))
    assert result.outcome is Outcome.PASS and "no changed file can declare routes" in result.reason


def test_growth_fails_with_the_approval_command() -> None:
    result = exposure_gate(Config(), report(BEFORE, AFTER))
    assert result.outcome is Outcome.FAIL and result.override == APPROVE_EXPOSURE
    assert "GET /debug/vars (api.py:8)" in result.reason


def test_an_approval_or_the_config_lifts_the_block_but_keeps_the_reason() -> None:
    approved = exposure_gate(Config(), report(BEFORE, AFTER), ["mia", "mia"])
    assert approved.outcome is Outcome.PASS and approved.reason.endswith("accepted by @mia")
    relaxed = Config.model_validate({"exposure": {"block_on_growth": False}})
    lenient = exposure_gate(relaxed, report(BEFORE, AFTER))
    assert lenient.outcome is Outcome.PASS and "not blocking" in lenient.reason


def test_shrinking_is_reported_not_blocking() -> None:
    result = exposure_gate(Config(), report(AFTER, BEFORE))
    assert result.outcome is Outcome.PASS and "1 removed" in result.reason


def test_the_verdict_offers_the_accept_button_and_renders_table_and_annotations() -> None:
    diff = parse_unified_diff("")
    verdict = evaluate_pull(
        Config(mode="enforce"), PULL, diff, event="pull_request.opened", exposure=report(BEFORE, AFTER)
    )
    assert verdict.conclusion == "failure" and verdict.pending_escalations == ("exposure",)
    assert [a["identifier"] for a in actions(verdict)] == ["approve-exposure"]
    out = render(verdict)
    assert "| ➕ added | `GET /debug/vars` | `api.py:8` |" in out.summary
    assert [(a["path"], a["start_line"], a["annotation_level"]) for a in out.annotations] == [
        ("api.py", 8, "failure")
    ]
    data = verdict_as_dict(verdict)
    assert data["exposure"]["grows"] is True and data["exposure"]["findings"][0]["path"] == "/debug/vars"


def test_an_accepted_growth_is_annotated_as_a_warning() -> None:
    approval = ApprovalView("mia", "maintain", "exposure", "", "a" * 40, "2026-11-23T10:00:00Z")
    verdict = evaluate_pull(
        Config(), PULL, parse_unified_diff(""), event="pull_request.opened",
        approvals=(approval,), exposure=report(BEFORE, AFTER),
    )  # fmt: skip
    assert verdict.conclusion == "success" and actions(verdict) == []
    assert [a["annotation_level"] for a in render(verdict).annotations] == ["warning"]


def test_endpoint_text_from_source_cannot_break_the_table() -> None:
    hostile = {
        "api.py": "from flask import Flask\napp = Flask(__name__)\n@app.route('/internal/a|b<img>')\ndef f():\n    pass\n"
    }
    verdict = evaluate_pull(
        Config(), PULL, parse_unified_diff(""), event="pull_request.opened", exposure=report({}, hostile)
    )
    summary = render(verdict).summary
    row = next(line for line in summary.splitlines() if line.startswith("| ➕"))
    assert "/internal/a\\|b{img}" in row and row.count(" | ") == 4
