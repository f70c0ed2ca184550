"""What other CI reported on the head commit (check runs and commit statuses), as plain data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from checks.globs import glob_match
from config.model import Config

# Names of CI jobs that run tests, when the config names none explicitly.
_TEST_JOB = re.compile(r"test|pytest|jest|vitest|mocha|rspec|junit|unit|spec|\bci\b", re.IGNORECASE)
_PASSING = frozenset({"success", "neutral", "skipped"})
_FAILING = frozenset(
    {"failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale", "error"}
)


@dataclass(frozen=True)
class ObservedCheck:
    name: str
    state: str  # "passed" | "failed" | "pending"
    source: str  # "check_run" | "status"
    url: str | None = None


def _state(status: str, conclusion: str | None) -> str:
    if status != "completed":
        return "pending"
    if conclusion in _PASSING:
        return "passed"
    return "failed" if conclusion in _FAILING else "pending"


def observed_checks(
    check_runs: Iterable[Mapping[str, Any]], statuses: Iterable[Mapping[str, Any]], *, own_name: str
) -> tuple[ObservedCheck, ...]:
    """Other CI's verdicts on the head sha, from GitHub's check-run and commit-status JSON."""
    seen: dict[str, ObservedCheck] = {}
    for run in check_runs:
        name = str(run.get("name") or "")
        if not name or name == own_name:
            continue
        state = _state(str(run.get("status") or ""), run.get("conclusion"))
        seen.setdefault(name, ObservedCheck(name, state, "check_run", run.get("html_url")))
    for status in statuses:
        name = str(status.get("context") or "")
        if not name or name in seen:
            continue
        raw = str(status.get("state") or "pending")
        state = {"success": "passed", "failure": "failed", "error": "failed"}.get(raw, "pending")
        seen[name] = ObservedCheck(name, state, "status", status.get("target_url"))
    return tuple(seen.values())


def ci_test_checks(config: Config, observed: Iterable[ObservedCheck]) -> tuple[ObservedCheck, ...]:
    patterns = config.evidence.require_passing_checks
    if patterns:
        return tuple(c for c in observed if any(glob_match(p, c.name) for p in patterns))
    return tuple(c for c in observed if _TEST_JOB.search(c.name))
