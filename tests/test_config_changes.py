from __future__ import annotations

import pytest

from checks.config_edit import ConfigEdit, edit_notes
from config.changes import describe_changes, loosened_keys, loosens_gate
from config.loader import parse_config_text
from config.model import Config


def config(text: str) -> Config:
    return parse_config_text(text, "f.yml")


CHANGES = [
    pytest.param(
        "",
        "budget: {per_pr: {usd: 50}}",
        ("`budget.per_pr.usd`: 2 → 50 (loosens the gate)",),
        True,
        id="raise-pr-budget",
    ),
    pytest.param(
        "", "budget: {per_pr: {usd: 0.5}}", ("`budget.per_pr.usd`: 2 → 0.5",), False, id="lower-pr-budget"
    ),
    pytest.param(
        "",
        "budget: {per_repo_month: {usd: null}}",
        ("`budget.per_repo_month.usd`: 100 → null (loosens the gate)",),
        True,
        id="remove-limit",
    ),
    pytest.param(
        "",
        "budget: {per_org_month: {tokens: 1000000}}",
        ("`budget.per_org_month.tokens`: null → 1000000",),
        False,
        id="add-token-limit",
    ),
    pytest.param(
        "",
        "review: {max_changed_lines: 9000}",
        ("`review.max_changed_lines`: 1500 → 9000 (loosens the gate)",),
        True,
        id="raise-size",
    ),
    pytest.param(
        "",
        "evidence: {required: [what_changed]}",
        ("`evidence.required`: removes `not_changed`, `tests_run`, `uncertainty` (loosens the gate)",),
        True,
        id="drop-evidence",
    ),
    pytest.param(
        "",
        "evidence: {required: [what_changed, not_changed, tests_run, uncertainty, tokens]}",
        ("`evidence.required`: adds `tokens`",),
        False,
        id="add-evidence",
    ),
    pytest.param(
        "evidence: {applies_to: all}",
        "",
        ("`evidence.applies_to`: all → agent (loosens the gate)",),
        True,
        id="narrow-evidence",
    ),
    pytest.param(
        "",
        "review: {ignore_paths: ['src/**']}",
        (
            "`review.ignore_paths`: adds `src/**`; removes `package-lock.json`, `yarn.lock`, "
            "`pnpm-lock.yaml`, `poetry.lock`, `Cargo.lock`, `go.sum`, `Gemfile.lock`, `composer.lock`, "
            "`uv.lock`, `Pipfile.lock`, "
            "`vendor/**`, `third_party/**`, `node_modules/**`, `*.min.js`, `*.pb.go`, `*_pb2.py`, "
            "`*.generated.*`, `dist/**` (loosens the gate)",
        ),
        True,
        id="ignore-source",
    ),
    pytest.param(
        "",
        "exposure: {block_on_growth: false}",
        ("`exposure.block_on_growth`: true → false (loosens the gate)",),
        True,
        id="stop-blocking",
    ),
    pytest.param(
        "",
        "approvals: {permission: write, allow_self_approval: true}",
        (
            "`approvals.permission`: maintain → write (loosens the gate)",
            "`approvals.allow_self_approval`: false → true (loosens the gate)",
        ),
        True,
        id="weaker-approvals",
    ),
    pytest.param(
        "",
        "approvals: {permission: admin}",
        ("`approvals.permission`: maintain → admin",),
        False,
        id="stronger-approvals",
    ),
    pytest.param(
        "mode: enforce",
        "mode: observe",
        ("`mode`: enforce → observe (loosens the gate)",),
        True,
        id="observe",
    ),
    pytest.param(
        "",
        "review: {agents: {labels: []}}",
        ("`review.agents.labels`: removes `agent-authored`, `ai-generated`, `codex` (loosens the gate)",),
        True,
        id="forget-agents",
    ),
    pytest.param(
        "",
        "models: {prices: {m: {input_per_mtok: 1, cached_input_per_mtok: 0.1, cache_write_per_mtok: 1, "
        "output_per_mtok: 4}}}",
        (
            "`models.prices.m.input_per_mtok`: added (1)",
            "`models.prices.m.cached_input_per_mtok`: added (0.1)",
            "`models.prices.m.cache_write_per_mtok`: added (1)",
            "`models.prices.m.output_per_mtok`: added (4)",
        ),
        False,
        id="add-price",
    ),
    pytest.param("", "models: {routing: []}", ("`models.routing`: 3 entries → []",), False, id="routing"),
    pytest.param("review: {max_files: 3}", "review: {max_files: 3}", (), False, id="same"),
]


@pytest.mark.parametrize(("base", "head", "lines", "loosens"), CHANGES)
def test_describe_changes(base: str, head: str, lines: tuple[str, ...], loosens: bool) -> None:
    before, after = config(base), config(head)
    assert describe_changes(before, after) == lines
    assert loosens_gate(before, after) is loosens
    assert bool(loosened_keys(before, after)) is loosens


def test_a_config_edit_is_told_what_it_would_change_or_why_it_is_invalid() -> None:
    base = Config()
    assert edit_notes(None, base) == ()
    (unread,) = edit_notes(ConfigEdit(".agentbudget.yml"), base)
    assert unread.startswith("This PR edits `.agentbudget.yml`.") and "It would change" not in unread
    (changed,) = edit_notes(ConfigEdit(".agentbudget.yml", "budget: {per_pr: {usd: 50}}"), base)
    # The head's text is the author's: escaped to one plain line (a backtick becomes a quote).
    assert changed.endswith("It would change: 'budget.per_pr.usd': 2 → 50 (loosens the gate).")
    (invalid,) = edit_notes(ConfigEdit(".agentbudget.yml", "budget: {per_pr: {usd: -1}}"), base)
    assert "As written it is invalid: " in invalid
    (too_large,) = edit_notes(ConfigEdit(".agentbudget.yml", problem="x: too large"), base)
    assert too_large.endswith("As written it is invalid: x: too large.")
