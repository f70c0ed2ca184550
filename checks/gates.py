"""Review gates: pure decisions over (config, pull request, diff summary).

Each gate answers pass / skip / needs-approval with a one-line reason; a skip or needs-approval names
the slash-command that overrides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from checks.agents import wildcard
from checks.diff import DiffSummary
from checks.globs import first_match
from checks.phrases import counted
from checks.pull import PullRequestFacts
from config.model import Config

REVIEW_COMMAND = "/agentbudget review"
APPROVE_SIZE = "/agentbudget approve size"


class Outcome(StrEnum):
    PASS = "pass"
    SKIP = "skip"  # the review does not run; the PR is not blocked
    NEEDS_APPROVAL = "needs_approval"  # waits for a maintainer's /agentbudget approve
    FAIL = "fail"  # blocks the merge (missing evidence, exposure growth)
    ERROR = "error"  # the gate itself could not decide
    NOT_OBSERVED = "not_observed"  # nothing to check was there (no CI test job): neither pass nor fail


@dataclass(frozen=True)
class GateResult:
    gate: str
    outcome: Outcome
    reason: str
    override: str | None = None  # the slash-command that would override a skip / needs-approval
    note: str = ""  # how the gate read the PR (which agent signal, a small change): shown, never the title


@dataclass(frozen=True)
class Trigger:
    """What asked for this evaluation, in the vocabulary of `review.triggers`."""

    kind: (
        str  # "event" (a pull_request action) | "command" (a slash-command or button) | "manual" (local run)
    )
    name: str  # the action ("synchronize", "labeled", ...) or the command ("review", "approve")


_EVENT_ALIASES = {
    "check_suite.requested": Trigger("event", "synchronize"),  # GitHub's per-push suite: same as the push
    "check_suite.rerequested": Trigger("event", "rerequested"),
    "check_run.rerequested": Trigger("event", "rerequested"),
    "check_run.requested_action": Trigger("command", "approve"),  # the run's buttons are approvals
    "comment": Trigger("command", "review"),
    "command": Trigger("command", "review"),
    "manual": Trigger("manual", "manual"),
}


def parse_trigger(event: str) -> Trigger:
    """`opened`, `pull_request.opened`, `check_suite.requested`, `comment`, `comment:approve`, `manual`..."""
    if event in _EVENT_ALIASES:
        return _EVENT_ALIASES[event]
    kind, _, name = event.partition(":")
    if kind in ("comment", "command") and name:
        return Trigger("command", name)
    return Trigger("event", event.removeprefix("pull_request."))


def evaluate_gates(
    config: Config,
    pull: PullRequestFacts,
    diff: DiffSummary,
    *,
    event: str,
    approvals: frozenset[str] = frozenset(),
) -> tuple[GateResult, ...]:
    trigger = parse_trigger(event)
    requested = _review_requested(config, trigger)
    review = config.review
    results = (
        trigger_gate(config, pull, trigger),
        branch_gate(config, pull, requested=requested),
        draft_gate(config, pull, requested=requested),
        author_gate(config, pull, requested=requested),
        size_gate(
            apply_ignores(config, diff),
            max_changed_lines=review.max_changed_lines,
            max_files=review.max_files,
            approved="size" in approvals,
        ),
    )
    # Reasons quote names from the pull request; the check run shows each reason on one line.
    return tuple(replace(result, reason=" ".join(result.reason.split())) for result in results)


def apply_ignores(config: Config, diff: DiffSummary) -> DiffSummary:
    """The diff with `review.ignore_paths` files marked: kept for the report, left out of the counts."""
    return diff.with_ignores(config.review.ignore_paths)


def _review_command(config: Config) -> str | None:
    return REVIEW_COMMAND if "review" in config.review.triggers.commands else None


def _review_requested(config: Config, trigger: Trigger) -> bool:
    return trigger == Trigger("command", "review") and _review_command(config) is not None


def trigger_gate(config: Config, pull: PullRequestFacts, trigger: Trigger) -> GateResult:
    triggers = config.review.triggers
    override = _review_command(config)
    if trigger.kind == "manual":
        return GateResult("trigger", Outcome.PASS, "local run")
    if trigger.kind == "command":
        if trigger.name == "review":
            if override is None:
                return GateResult(
                    "trigger", Outcome.SKIP, f"`{REVIEW_COMMAND}` is off (review.triggers.commands)"
                )
            return GateResult("trigger", Outcome.PASS, f"requested by `{REVIEW_COMMAND}`")
        if trigger.name == "approve":
            return GateResult("trigger", Outcome.PASS, "re-evaluated after an approval")
        return GateResult(
            "trigger", Outcome.SKIP, f"command `{trigger.name}` does not start a review", override
        )
    if trigger.name in triggers.events:
        return GateResult(
            "trigger", Outcome.PASS, f"`{trigger.name}` starts a review (review.triggers.events)"
        )
    if trigger.name == "labeled":
        wanted = {label.casefold() for label in triggers.labels}
        label = next((label for label in pull.labels if label.casefold() in wanted), None)
        if label is not None:
            return GateResult(
                "trigger", Outcome.PASS, f"label `{label}` starts a review (review.triggers.labels)"
            )
        return GateResult(
            "trigger", Outcome.SKIP, "no label of this PR starts a review (review.triggers.labels)", override
        )
    return GateResult(
        "trigger",
        Outcome.SKIP,
        f"`{trigger.name}` does not start a review (review.triggers.events)",
        override,
    )


_NOT_A_BRANCH = re.compile(r"[~^@:]|^HEAD$|^[0-9a-f]{7,40}$")


def branch_gate(config: Config, pull: PullRequestFacts, *, requested: bool = False) -> GateResult:
    branches = config.review.branches
    # A local run may compare against a commit (`HEAD~1`, a sha): call it what it is.
    base = "base branch" if _NOT_A_BRANCH.search(pull.base_ref) is None else "base ref"
    matched = first_match(branches, pull.base_ref)
    if matched is not None:
        return GateResult("branch", Outcome.PASS, f"{base} `{pull.base_ref}` matches `{matched}`")
    outside = f"{base} `{pull.base_ref}` is not in review.branches ({_listing(branches)})"
    if requested:
        return GateResult("branch", Outcome.PASS, f"{outside}; reviewed on request")
    return GateResult("branch", Outcome.SKIP, outside, _review_command(config))


def draft_gate(config: Config, pull: PullRequestFacts, *, requested: bool = False) -> GateResult:
    if not pull.draft:
        return GateResult("draft", Outcome.PASS, "ready for review")
    if not config.review.skip_drafts:
        return GateResult("draft", Outcome.PASS, "draft; review.skip_drafts is off")
    if requested:
        return GateResult("draft", Outcome.PASS, "draft; reviewed on request")
    return GateResult(
        "draft", Outcome.SKIP, "draft pull request (review.skip_drafts)", _review_command(config)
    )


def author_gate(config: Config, pull: PullRequestFacts, *, requested: bool = False) -> GateResult:
    review = config.review
    author = pull.author
    skipped_by = _first_login_match(review.skip_authors, author)
    if skipped_by is not None:
        why = f"author `{author}` matches `{skipped_by}` in review.skip_authors"
    elif review.only_authors and _first_login_match(review.only_authors, author) is None:
        why = f"author `{author}` is not in review.only_authors"
    else:
        return GateResult("author", Outcome.PASS, f"author `{author}` may be reviewed")
    if requested:
        return GateResult("author", Outcome.PASS, f"{why}; reviewed on request")
    return GateResult("author", Outcome.SKIP, why, _review_command(config))


def size_gate(
    diff: DiffSummary, *, max_changed_lines: int, max_files: int, approved: bool = False
) -> GateResult:
    """Size of the counted diff (pass a diff with ignores applied); over a limit waits for approval."""
    lines, files = diff.changed_lines, diff.changed_files
    bound = " (at least: GitHub listed only the first files)" if diff.truncated else ""
    ignored = f"; {counted(len(diff.ignored), 'ignored file')} not counted" if diff.ignored else ""
    if lines > max_changed_lines:
        over = f"{counted(lines, 'changed line')} > {max_changed_lines:,}{bound}"
    elif files > max_files:
        over = f"{counted(files, 'changed file')} > {max_files:,}{bound}"
    else:
        return GateResult(
            "size",
            Outcome.PASS,
            f"{counted(lines, 'changed line')} in {counted(files, 'file')} "
            f"(limits {max_changed_lines:,} / {max_files:,}){ignored}",
        )
    if approved:
        return GateResult("size", Outcome.PASS, f"{over}, approved with `{APPROVE_SIZE}`{ignored}")
    return GateResult("size", Outcome.NEEDS_APPROVAL, f"{over}{ignored}", APPROVE_SIZE)


def _first_login_match(patterns: tuple[str, ...], login: str) -> str | None:
    return next((pattern for pattern in patterns if wildcard(pattern, login, whole=True)), None)


def _listing(values: tuple[str, ...], limit: int = 3) -> str:
    shown = ", ".join(f"`{value}`" for value in values[:limit])
    return shown + (f" +{len(values) - limit} more" if len(values) > limit else "")
