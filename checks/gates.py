"""Review gates: pure decisions over (config, pull request, diff summary).

Each gate answers pass / skip / needs-approval with a one-line reason; a skip or needs-approval names
the slash-command that overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from checks.diff import DiffSummary


class Outcome(str, Enum):
    PASS = "pass"
    SKIP = "skip"  # the review does not run; the PR is not blocked
    NEEDS_APPROVAL = "needs_approval"  # waits for a maintainer's /agentbudget approve
    FAIL = "fail"  # blocks the merge (missing evidence, exposure growth)
    ERROR = "error"  # the gate itself could not decide


@dataclass(frozen=True)
class GateResult:
    gate: str
    outcome: Outcome
    reason: str
    override: str | None = None  # the slash-command that would override a skip / needs-approval


def size_gate(diff: DiffSummary, *, max_changed_lines: int, max_files: int) -> GateResult:
    lines, files = diff.changed_lines, diff.changed_files
    bound = " (at least: GitHub listed only the first files)" if diff.truncated else ""
    if lines > max_changed_lines:
        return GateResult(
            "size",
            Outcome.NEEDS_APPROVAL,
            f"{lines:,} changed lines > {max_changed_lines:,}{bound}",
            "/agentbudget approve size",
        )
    if files > max_files:
        return GateResult(
            "size",
            Outcome.NEEDS_APPROVAL,
            f"{files:,} changed files > {max_files:,}{bound}",
            "/agentbudget approve size",
        )
    return GateResult(
        "size", Outcome.PASS, f"{lines:,} changed lines in {files:,} files (limits {max_changed_lines:,} / {max_files:,})"
    )
