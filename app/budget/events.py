"""What the report needs beyond spend: each evaluation's gate decision and each pull request's outcome.

Two tables beside the ledger's, in the same database (their schema is in ``app.budget.migrations``).
Writes are idempotent: a decision is keyed by its id (say repo#pr@sha:trigger), so a retried
job records it once; an outcome is one row per pull request, replaced when the PR closes again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.budget.ledger import SqlLedger
from app.budget.records import month_of

# decision: "run" | "skipped" | "needs_approval" | "refused" (over budget) | "error"
DECISION_COLUMNS = (
    "decision_id", "org", "repo", "pr", "head_sha", "user_login", "team", "trigger", "decision",
    "stopped_by", "blocked_by", "at", "month",
)  # fmt: skip
OUTCOME_COLUMNS = ("org", "repo", "pr", "outcome", "at", "month")
OUTCOMES = ("merged", "closed")


@dataclass(frozen=True)
class ReviewDecision:
    decision_id: str
    org: str
    repo: str
    pr: int
    head_sha: str
    user: str
    trigger: str
    decision: str
    stopped_by: tuple[str, ...]  # gates that skipped or held the review (empty when it ran)
    blocked_by: tuple[str, ...]  # gates whose failure blocks the merge (evidence, tests, exposure)
    at: datetime
    team: str | None = None

    @property
    def month(self) -> str:
        return month_of(self.at)


@dataclass(frozen=True)
class PrOutcome:
    org: str
    repo: str
    pr: int
    outcome: str  # "merged" | "closed" (closed without merging)
    at: datetime


def decision_for(
    gates: Iterable[Any], *, ran: bool, refused: bool = False
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(decision, stopped_by, blocked_by) from a verdict's gate results (``checks.gates.GateResult``)."""
    stopped, blocked, errored = [], [], False
    for gate in gates:
        outcome = str(gate.outcome)
        if outcome in ("skip", "needs_approval"):
            stopped.append(gate.gate)
        elif outcome == "fail":
            blocked.append(gate.gate)
        elif outcome == "error":
            errored = True
    if refused:
        decision = "refused"
    elif ran:
        decision = "run"
    elif errored and not stopped:
        decision = "error"
    elif stopped and all(str(g.outcome) == "needs_approval" for g in gates if g.gate in stopped):
        decision = "needs_approval"
    else:
        decision = "skipped"
    return decision, tuple(stopped) + (("budget",) if refused else ()), tuple(blocked)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def _decision(row: Sequence[Any]) -> ReviewDecision:
    (decision_id, org, repo, pr, head_sha, user, team, trigger, decision, stopped, blocked, at,
     _month) = row  # fmt: skip
    return ReviewDecision(
        decision_id, org, repo, int(pr), head_sha, user, trigger, decision, _split(stopped),
        _split(blocked), datetime.fromisoformat(at), team,
    )  # fmt: skip


class Events:
    """Shares the ledger's database (and its connections); construct it once per process beside it."""

    def __init__(self, ledger: SqlLedger) -> None:
        self.db = ledger.db

    def _execute(self, sql: str, params: Sequence[Any]) -> int:
        return self.db.execute(sql, params)

    def _select(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.db.select(sql, params)

    def record_review_decision(self, d: ReviewDecision) -> bool:
        """After each evaluation; False when this decision id was already recorded."""
        marks = ", ".join("?" * len(DECISION_COLUMNS))
        row = (d.decision_id, d.org, d.repo, d.pr, d.head_sha, d.user, d.team, d.trigger, d.decision,
               ",".join(d.stopped_by), ",".join(d.blocked_by), d.at.isoformat(), d.month)  # fmt: skip
        sql = (
            f"INSERT INTO review_decisions ({', '.join(DECISION_COLUMNS)}) VALUES ({marks}) "
            "ON CONFLICT (decision_id) DO NOTHING"
        )
        return self._execute(sql, row) == 1

    def record_pr_outcome(self, o: PrOutcome) -> None:
        """When a pull request closes (merged or not); a later close replaces the earlier one."""
        if o.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, got {o.outcome!r}")
        sql = (
            f"INSERT INTO pr_outcomes ({', '.join(OUTCOME_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (org, repo, pr) DO UPDATE SET outcome = excluded.outcome, at = excluded.at, "
            "month = excluded.month"
        )
        self._execute(sql, (o.org, o.repo, o.pr, o.outcome, o.at.isoformat(), month_of(o.at)))

    def clear_pr_outcome(self, org: str, repo: str, pr: int) -> None:
        """When a closed pull request is reopened."""
        self._execute("DELETE FROM pr_outcomes WHERE org = ? AND repo = ? AND pr = ?", (org, repo, pr))

    def review_decisions(self, *, month: str | None = None) -> list[ReviewDecision]:
        sql = f"SELECT {', '.join(DECISION_COLUMNS)} FROM review_decisions"
        rows = (
            self._select(sql + " WHERE month = ? ORDER BY at", (month,))
            if month
            else self._select(sql + " ORDER BY at")
        )
        return [_decision(row) for row in rows]

    def latest_decisions(self) -> list[ReviewDecision]:
        """Each pull request's latest evaluation, chosen in SQL by the (org, repo, pr, at) index."""
        columns = ", ".join(f"d.{c}" for c in DECISION_COLUMNS)
        rows = self._select(
            f"SELECT {columns} FROM review_decisions d WHERE d.at = (SELECT MAX(l.at) FROM "
            "review_decisions l WHERE l.org = d.org AND l.repo = d.repo AND l.pr = d.pr) ORDER BY d.at"
        )
        latest: dict[tuple[str, str, int], ReviewDecision] = {}
        for row in rows:  # two decisions at the same instant: keep one, as a sort by time would
            d = _decision(row)
            latest[(d.org, d.repo, d.pr)] = d
        return list(latest.values())

    def pr_outcomes(self) -> dict[tuple[str, str, int], PrOutcome]:
        rows = self._select(f"SELECT {', '.join(OUTCOME_COLUMNS)} FROM pr_outcomes")
        return {
            (org, repo, int(pr)): PrOutcome(org, repo, int(pr), outcome, datetime.fromisoformat(at))
            for org, repo, pr, outcome, at, _month in rows
        }
