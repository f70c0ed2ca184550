from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from checks.diff import DiffSummary, FileChange
from checks.gates import (
    APPROVE_SIZE,
    REVIEW_COMMAND,
    GateResult,
    Outcome,
    Trigger,
    apply_ignores,
    evaluate_gates,
    parse_trigger,
)
from checks.pull import PullRequestFacts
from config.loader import parse_config_text
from config.model import Config

PASS, SKIP, WAIT = Outcome.PASS, Outcome.SKIP, Outcome.NEEDS_APPROVAL
PULL = PullRequestFacts(
    number=7,
    title="t",
    body="",
    author="alice",
    author_is_bot=False,
    base_ref="main",
    base_sha="b" * 40,
    head_ref="feature",
    head_sha="a" * 40,
    draft=False,
    labels=(),
    from_fork=False,
)


def config(text: str = "") -> Config:
    return parse_config_text(text, ".agentbudget.yml")


def pull(**changes: Any) -> PullRequestFacts:
    return replace(PULL, **changes)


def diff(*files: tuple[str, int], truncated: bool = False) -> DiffSummary:
    return DiffSummary(
        files=tuple(FileChange(path, "modified", additions, 0) for path, additions in files),
        truncated=truncated,
    )


SMALL = diff(("src/app.py", 10))


def gate(results: tuple[GateResult, ...], name: str) -> GateResult:
    return next(result for result in results if result.gate == name)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ("opened", Trigger("event", "opened")),
        ("pull_request.synchronize", Trigger("event", "synchronize")),
        ("check_suite.requested", Trigger("event", "synchronize")),
        ("check_run.rerequested", Trigger("event", "rerequested")),
        ("check_suite.rerequested", Trigger("event", "rerequested")),
        ("check_run.requested_action", Trigger("command", "approve")),
        ("comment", Trigger("command", "review")),
        ("comment:approve", Trigger("command", "approve")),
        ("command:review", Trigger("command", "review")),
        ("manual", Trigger("manual", "manual")),
        ("edited", Trigger("event", "edited")),
    ],
)
def test_parse_trigger(event: str, expected: Trigger) -> None:
    assert parse_trigger(event) == expected


# (config, event, pull changes) -> (outcome, reason, override) of the trigger gate
TRIGGER_CASES = [
    ("", "opened", {}, PASS, "`opened` starts a review (review.triggers.events)", None),
    ("", "synchronize", {}, PASS, "`synchronize` starts a review (review.triggers.events)", None),
    ("", "check_suite.requested", {}, PASS, "`synchronize` starts a review (review.triggers.events)", None),
    ("", "check_run.rerequested", {}, PASS, "`rerequested` starts a review (review.triggers.events)", None),
    ("", "edited", {}, SKIP, "`edited` does not start a review (review.triggers.events)", REVIEW_COMMAND),
    (
        "review: {triggers: {events: [opened]}}",
        "synchronize",
        {},
        SKIP,
        "`synchronize` does not start a review (review.triggers.events)",
        REVIEW_COMMAND,
    ),
    (
        "review: {triggers: {labels: [Needs-Review]}}",
        "labeled",
        {"labels": ("needs-review",)},
        PASS,
        "label `needs-review` starts a review (review.triggers.labels)",
        None,
    ),
    (
        "review: {triggers: {labels: [needs-review]}}",
        "labeled",
        {"labels": ("bug",)},
        SKIP,
        "no label of this PR starts a review (review.triggers.labels)",
        REVIEW_COMMAND,
    ),
    (
        "review: {triggers: {events: [opened, labeled]}}",
        "labeled",
        {},
        PASS,
        "`labeled` starts a review (review.triggers.events)",
        None,
    ),
    ("", "comment", {}, PASS, f"requested by `{REVIEW_COMMAND}`", None),
    (
        "review: {triggers: {commands: []}}",
        "comment",
        {},
        SKIP,
        f"`{REVIEW_COMMAND}` is off (review.triggers.commands)",
        None,
    ),
    (
        "review: {triggers: {commands: []}}",
        "comment:approve",
        {},
        PASS,
        "re-evaluated after an approval",
        None,
    ),
    ("", "check_run.requested_action", {}, PASS, "re-evaluated after an approval", None),
    ("", "comment:explain", {}, SKIP, "command `explain` does not start a review", REVIEW_COMMAND),
    ("review: {triggers: {events: []}}", "manual", {}, PASS, "local run", None),
]


@pytest.mark.parametrize(("text", "event", "changes", "outcome", "reason", "override"), TRIGGER_CASES)
def test_trigger_gate(
    text: str, event: str, changes: dict[str, Any], outcome: Outcome, reason: str, override: str | None
) -> None:
    result = gate(evaluate_gates(config(text), pull(**changes), SMALL, event=event), "trigger")
    assert result == GateResult("trigger", outcome, reason, override)


BRANCH_CASES = [
    ("", "main", "opened", PASS, "base branch `main` matches `**`", None),
    ("", "release/1.x", "opened", PASS, "base branch `release/1.x` matches `**`", None),
    (
        "review: {branches: [main, 'release/*']}",
        "release/2.0",
        "opened",
        PASS,
        "base branch `release/2.0` matches `release/*`",
        None,
    ),
    (
        "review: {branches: [main, 'release/*']}",
        "feature/x",
        "opened",
        SKIP,
        "base branch `feature/x` is not in review.branches (`main`, `release/*`)",
        REVIEW_COMMAND,
    ),
    (
        "review: {branches: [a, b, c, d, e]}",
        "z",
        "opened",
        SKIP,
        "base branch `z` is not in review.branches (`a`, `b`, `c` +2 more)",
        REVIEW_COMMAND,
    ),
    (
        "review: {branches: [main]}",
        "dev",
        "comment",
        PASS,
        "base branch `dev` is not in review.branches (`main`); reviewed on request",
        None,
    ),
    (
        "review: {branches: [main], triggers: {commands: []}}",
        "dev",
        "opened",
        SKIP,
        "base branch `dev` is not in review.branches (`main`)",
        None,
    ),
]


@pytest.mark.parametrize(("text", "base_ref", "event", "outcome", "reason", "override"), BRANCH_CASES)
def test_branch_gate(
    text: str, base_ref: str, event: str, outcome: Outcome, reason: str, override: str | None
) -> None:
    result = gate(evaluate_gates(config(text), pull(base_ref=base_ref), SMALL, event=event), "branch")
    assert result == GateResult("branch", outcome, reason, override)


DRAFT_CASES = [
    ("", False, "opened", PASS, "ready for review", None),
    ("", True, "opened", SKIP, "draft pull request (review.skip_drafts)", REVIEW_COMMAND),
    ("", True, "synchronize", SKIP, "draft pull request (review.skip_drafts)", REVIEW_COMMAND),
    ("", True, "comment", PASS, "draft; reviewed on request", None),
    ("", True, "comment:approve", SKIP, "draft pull request (review.skip_drafts)", REVIEW_COMMAND),
    ("review: {skip_drafts: false}", True, "opened", PASS, "draft; review.skip_drafts is off", None),
]


@pytest.mark.parametrize(("text", "draft", "event", "outcome", "reason", "override"), DRAFT_CASES)
def test_draft_gate(
    text: str, draft: bool, event: str, outcome: Outcome, reason: str, override: str | None
) -> None:
    result = gate(evaluate_gates(config(text), pull(draft=draft), SMALL, event=event), "draft")
    assert result == GateResult("draft", outcome, reason, override)


AUTHOR_CASES = [
    ("", "alice", "opened", PASS, "author `alice` may be reviewed", None),
    (
        "",
        "dependabot[bot]",
        "opened",
        SKIP,
        "author `dependabot[bot]` matches `dependabot[bot]` in review.skip_authors",
        REVIEW_COMMAND,
    ),
    (
        "",
        "Renovate[bot]",
        "opened",
        SKIP,
        "author `Renovate[bot]` matches `renovate[bot]` in review.skip_authors",
        REVIEW_COMMAND,
    ),
    (
        "review: {skip_authors: ['*[bot]']}",
        "some-app[bot]",
        "opened",
        SKIP,
        "author `some-app[bot]` matches `*[bot]` in review.skip_authors",
        REVIEW_COMMAND,
    ),
    ("review: {skip_authors: ['*[bot]']}", "bob", "opened", PASS, "author `bob` may be reviewed", None),
    (
        "review: {skip_authors: [], only_authors: [alice, 'team-*']}",
        "Team-Carol",
        "opened",
        PASS,
        "author `Team-Carol` may be reviewed",
        None,
    ),
    (
        "review: {only_authors: [alice]}",
        "mallory",
        "opened",
        SKIP,
        "author `mallory` is not in review.only_authors",
        REVIEW_COMMAND,
    ),
    (
        "review: {only_authors: [alice]}",
        "mallory",
        "comment",
        PASS,
        "author `mallory` is not in review.only_authors; reviewed on request",
        None,
    ),
    (
        "review: {skip_authors: [alice], only_authors: [alice]}",
        "alice",
        "opened",
        SKIP,
        "author `alice` matches `alice` in review.skip_authors",
        REVIEW_COMMAND,
    ),
]


@pytest.mark.parametrize(("text", "author", "event", "outcome", "reason", "override"), AUTHOR_CASES)
def test_author_gate(
    text: str, author: str, event: str, outcome: Outcome, reason: str, override: str | None
) -> None:
    result = gate(evaluate_gates(config(text), pull(author=author), SMALL, event=event), "author")
    assert result == GateResult("author", outcome, reason, override)


SIZE_CASES = [
    (
        "",
        diff(("a.py", 1500)),
        frozenset(),
        PASS,
        "1,500 changed lines in 1 file (limits 1,500 / 100)",
        None,
    ),
    ("", diff(("a.py", 3214)), frozenset(), WAIT, "3,214 changed lines > 1,500", APPROVE_SIZE),
    (
        "",
        diff(("a.py", 3214)),
        frozenset({"size"}),
        PASS,
        f"3,214 changed lines > 1,500, approved with `{APPROVE_SIZE}`",
        None,
    ),
    ("", diff(("a.py", 3214)), frozenset({"exposure"}), WAIT, "3,214 changed lines > 1,500", APPROVE_SIZE),
    (
        "",
        diff(("a.py", 10), ("package-lock.json", 40_000), ("vendor/x/y.go", 9000)),
        frozenset(),
        PASS,
        "10 changed lines in 1 file (limits 1,500 / 100); 2 ignored files not counted",
        None,
    ),
    (
        "review: {ignore_paths: []}",
        diff(("a.py", 10), ("package-lock.json", 40_000)),
        frozenset(),
        WAIT,
        "40,010 changed lines > 1,500",
        APPROVE_SIZE,
    ),
    (
        "review: {max_files: 2}",
        diff(("a", 1), ("b", 1), ("c", 1)),
        frozenset(),
        WAIT,
        "3 changed files > 2",
        APPROVE_SIZE,
    ),
    (
        "review: {max_files: 2}",
        diff(("a", 1), ("b", 1), ("c", 1), truncated=True),
        frozenset(),
        WAIT,
        "3 changed files > 2 (at least: GitHub listed only the first files)",
        APPROVE_SIZE,
    ),
    (
        "review: {max_changed_lines: 0}",
        diff(),
        frozenset(),
        PASS,
        "0 changed lines in 0 files (limits 0 / 100)",
        None,
    ),
]


@pytest.mark.parametrize(("text", "summary", "approvals", "outcome", "reason", "override"), SIZE_CASES)
def test_size_gate(
    text: str,
    summary: DiffSummary,
    approvals: frozenset[str],
    outcome: Outcome,
    reason: str,
    override: str | None,
) -> None:
    results = evaluate_gates(config(text), PULL, summary, event="opened", approvals=approvals)
    assert gate(results, "size") == GateResult("size", outcome, reason, override)


def test_gates_come_in_a_fixed_order_with_one_line_reasons() -> None:
    results = evaluate_gates(config(), pull(draft=True, author="x\ny"), diff(("a", 99_999)), event="edited")
    assert [r.gate for r in results] == ["trigger", "branch", "draft", "author", "size"]
    assert [r.outcome for r in results] == [SKIP, PASS, SKIP, PASS, WAIT]
    assert all(r.override for r in results if r.outcome is not PASS)
    assert all("\n" not in r.reason for r in results)


def test_review_command_does_not_override_size() -> None:
    results = evaluate_gates(config(), pull(draft=True), diff(("a", 99_999)), event="comment")
    assert [r.outcome for r in results] == [PASS, PASS, PASS, PASS, WAIT]


def test_apply_ignores_marks_the_ignored_files_with_their_pattern() -> None:
    summary = apply_ignores(
        config(), diff(("web/dist/app.js", 1), ("api/gen/x.pb.go", 1), ("go.sum", 1), ("src/lib.py", 1))
    )
    assert [(f.path, f.ignored_by) for f in summary.files] == [
        ("web/dist/app.js", None),  # `dist/**` is anchored at the root, like .gitignore
        ("api/gen/x.pb.go", "*.pb.go"),
        ("go.sum", "go.sum"),
        ("src/lib.py", None),
    ]


@pytest.mark.parametrize(
    ("base_ref", "word"),
    [
        ("main", "base branch"),
        ("release/1.x", "base branch"),
        ("HEAD~1", "base ref"),
        ("a1b2c3d", "base ref"),
    ],
)
def test_a_local_base_that_is_a_commit_is_not_called_a_branch(base_ref: str, word: str) -> None:
    result = gate(evaluate_gates(config(), pull(base_ref=base_ref), SMALL, event="opened"), "branch")
    assert result.reason == f"{word} `{base_ref}` matches `**`"
