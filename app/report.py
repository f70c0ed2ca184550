"""`agentbudget report`: where the review money went in a month, and what it bought.

Spend comes from the ledger's usage records (one per model call, so ``reviews`` counts model calls);
gate decisions and pull-request outcomes from ``app.budget.events``. A pull request's outcome is
``merged`` or ``closed_unmerged`` once it closed, else ``blocked`` when its latest evaluation blocked the
merge, else ``open``. The aggregation is pure (records in, rows out) so the dashboard uses it too.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from app.budget.events import PrOutcome, ReviewDecision
from app.budget.records import UsageRecord
from checks.money import usd_exact, usd_number
from checks.usage import TokenUsage

if TYPE_CHECKING:
    pass

DIMENSIONS = ("repo", "org", "user", "team", "model", "trigger", "outcome")
FORMATS = ("table", "csv", "json")
OUTCOME_NAMES = ("merged", "closed_unmerged", "blocked", "open")
NOT_RUN = ("skipped", "needs_approval", "refused")
NO_TEAM = "(none)"
PrId = tuple[str, str, int]


@dataclass
class Row:
    key: str
    reviews: int = 0
    usage: TokenUsage = field(default_factory=TokenUsage)
    micros: int = 0
    evaluations: int = 0
    skipped: int = 0
    skipped_by: Counter[str] = field(default_factory=Counter)
    prs: set[PrId] = field(default_factory=set)
    outcomes: Counter[str] = field(default_factory=Counter)

    def add_usage(self, r: UsageRecord) -> None:
        self.reviews += 1
        self.usage += r.usage
        self.micros += r.micros
        self.prs.add((r.org, r.repo, r.pr))

    def add_decision(self, d: ReviewDecision) -> None:
        self.evaluations += 1
        if d.decision in NOT_RUN:
            self.skipped += 1
            self.skipped_by.update(set(d.stopped_by))
        self.prs.add((d.org, d.repo, d.pr))

    @property
    def cache_hit_share(self) -> float | None:
        return self.usage.cache_hit_share

    @property
    def cost_per_merged_pr_micros(self) -> int | None:
        merged = self.outcomes["merged"]
        return round(self.micros / merged) if merged else None

    def skipped_share(self, gate: str | None = None) -> float | None:
        if not self.evaluations:
            return None
        return (self.skipped if gate is None else self.skipped_by[gate]) / self.evaluations


@dataclass(frozen=True)
class Report:
    period: str
    by: str
    rows: tuple[Row, ...]
    total: Row
    gates: tuple[str, ...]  # every gate that skipped a review in the period, for stable columns


def pr_outcome(pr: PrId, outcomes: Mapping[PrId, PrOutcome], latest: Mapping[PrId, ReviewDecision]) -> str:
    closed = outcomes.get(pr)
    if closed is not None:
        return "merged" if closed.outcome == "merged" else "closed_unmerged"
    decision = latest.get(pr)
    return "blocked" if decision is not None and decision.blocked_by else "open"


def build(
    period: str,
    by: str,
    usage: Iterable[UsageRecord],
    decisions: Iterable[ReviewDecision],
    outcomes: Mapping[PrId, PrOutcome],
    *,
    all_decisions: Iterable[ReviewDecision] | None = None,
) -> Report:
    """Aggregate one month. ``decisions`` are the month's; ``all_decisions`` (default: the same) decide
    which PRs are blocked now, by each PR's latest evaluation."""
    if by not in DIMENSIONS:
        raise ValueError(f"--by must be one of {', '.join(DIMENSIONS)}")
    usage = [u for u in usage if u.month == period]
    decisions = [d for d in decisions if d.month == period]
    latest: dict[PrId, ReviewDecision] = {}
    for d in sorted(all_decisions if all_decisions is not None else decisions, key=lambda d: d.at):
        latest[(d.org, d.repo, d.pr)] = d

    def outcome_of(org: str, repo: str, pr: int) -> str:
        return pr_outcome((org, repo, pr), outcomes, latest)

    usage_key: dict[str, Callable[[UsageRecord], str]] = {
        "repo": lambda r: f"{r.org}/{r.repo}", "org": lambda r: r.org, "user": lambda r: r.user,
        "team": lambda r: r.team or NO_TEAM, "model": lambda r: r.model, "trigger": lambda r: r.trigger,
        "outcome": lambda r: outcome_of(r.org, r.repo, r.pr),
    }  # fmt: skip
    decision_key: dict[str, Callable[[ReviewDecision], str | None]] = {
        "repo": lambda d: f"{d.org}/{d.repo}", "org": lambda d: d.org, "user": lambda d: d.user,
        "team": lambda d: d.team or NO_TEAM, "model": lambda d: None, "trigger": lambda d: d.trigger,
        "outcome": lambda d: outcome_of(d.org, d.repo, d.pr),
    }  # fmt: skip
    rows: dict[str, Row] = {}
    total = Row("total")
    for r in usage:
        key = usage_key[by](r)
        rows.setdefault(key, Row(key)).add_usage(r)
        total.add_usage(r)
    for d in decisions:
        total.add_decision(d)
        group = decision_key[by](d)
        if group is not None:  # a model is known only for reviews that ran
            rows.setdefault(group, Row(group)).add_decision(d)
    for row in (*rows.values(), total):
        row.outcomes = Counter(outcome_of(*pr) for pr in row.prs)
    ordered = sorted(rows.values(), key=lambda row: (-row.micros, row.key))
    gates = tuple(sorted(total.skipped_by))
    return Report(period, by, tuple(ordered), total, gates)


# ---------------------------------------------------------------------------------------------------
# Output


def _usd(micros: int | None) -> str:
    return "" if micros is None else usd_exact(micros)


def _share(value: float | None, percent: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:.1%}" if percent else f"{value:.4f}"


def as_dict(row: Row, gates: Sequence[str]) -> dict[str, Any]:
    return {
        "key": row.key,
        "reviews": row.reviews,
        **asdict(row.usage),
        "cost_usd": usd_number(row.micros),
        "cache_hit_share": row.cache_hit_share,
        "prs": len(row.prs),
        **{name: row.outcomes[name] for name in OUTCOME_NAMES},
        "cost_per_merged_pr_usd": None
        if row.cost_per_merged_pr_micros is None
        else usd_number(row.cost_per_merged_pr_micros),
        "evaluations": row.evaluations,
        "skipped_share": row.skipped_share(),
        "skipped_share_by_gate": {gate: row.skipped_share(gate) for gate in gates},
    }


def _flat(row: Row, gates: Sequence[str], percent: bool = False) -> dict[str, str]:
    flat = {
        "key": row.key,
        "reviews": str(row.reviews),
        **{name: str(count) for name, count in asdict(row.usage).items()},
        "cost_usd": _usd(row.micros),
        "cache_hit_share": _share(row.cache_hit_share, percent),
        "prs": str(len(row.prs)),
        **{name: str(row.outcomes[name]) for name in OUTCOME_NAMES},
        "cost_per_merged_pr_usd": _usd(row.cost_per_merged_pr_micros),
        "evaluations": str(row.evaluations),
        "skipped_share": _share(row.skipped_share(), percent),
    }
    for gate in gates:
        flat[f"skipped_by_{gate}"] = _share(row.skipped_share(gate), percent)
    return flat


def to_json(report: Report) -> str:
    return json.dumps(
        {
            "period": report.period,
            "by": report.by,
            "rows": [as_dict(row, report.gates) for row in report.rows],
            "total": as_dict(report.total, report.gates),
        },
        indent=2,
    )


def to_csv(report: Report) -> str:
    rows = [_flat(row, report.gates) for row in (*report.rows, report.total)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[-1]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


TABLE_HEADINGS = {
    "input_tokens": "input", "cached_input_tokens": "cached", "cache_write_tokens": "cache write",
    "output_tokens": "output", "cost_usd": "cost $", "cache_hit_share": "cache hit",
    "closed_unmerged": "closed", "cost_per_merged_pr_usd": "$/merged PR", "evaluations": "evals",
    "skipped_share": "skipped",
}  # fmt: skip


def to_table(report: Report) -> str:
    rows = [_flat(row, report.gates, percent=True) for row in (*report.rows, report.total)]
    columns = list(rows[-1])
    headings = [report.by if c == "key" else TABLE_HEADINGS.get(c, c.replace("_", " ")) for c in columns]
    cells = [headings] + [[row[c] for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    body = [line(c) for c in cells[1:-1]]
    return (
        "\n".join(
            [f"period {report.period}, by {report.by}", line(headings), rule, *body, rule, line(cells[-1])]
        )
        + "\n"
    )


RENDERERS: dict[str, Callable[[Report], str]] = {"table": to_table, "csv": to_csv, "json": to_json}
