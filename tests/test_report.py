"""`agentbudget report` over a seeded SQLite ledger, against totals computed by hand."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.budget import UsageRecord, open_ledger
from app.budget.events import Events, PrOutcome, ReviewDecision, decision_for
from app.cli import main
from checks.gates import GateResult, Outcome
from checks.usage import TokenUsage

SONNET, HAIKU = "claude-sonnet-4", "claude-haiku-4"


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=UTC)


def use(
    rid: str,
    repo: str,
    pr: int,
    user: str,
    team: str | None,
    trigger: str,
    model: str,
    tokens: tuple[int, int, int, int],
    micros: int,
    day: int = 3,
    month: int = 11,
) -> UsageRecord:
    org, name = repo.split("/")
    inp, cached, write, out = tokens
    used = TokenUsage(inp, cached, write, out)
    return UsageRecord(rid, 1, org, name, pr, "s" * 40, user, trigger, model, used, micros, 900, "ok",
                       at(day, month), team)  # fmt: skip


def decide(
    repo: str,
    pr: int,
    user: str,
    team: str | None,
    trigger: str,
    decision: str,
    stopped: tuple[str, ...] = (),
    blocked: tuple[str, ...] = (),
    day: int = 3,
) -> ReviewDecision:
    org, name = repo.split("/")
    return ReviewDecision(f"{repo}#{pr}:{trigger}:{day}", org, name, pr, "s" * 40, user, trigger, decision,
                          stopped, blocked, at(day), team)  # fmt: skip


USAGE = (
    use("u1", "acme/api", 1, "alice", "core", "opened", SONNET, (1000, 3000, 0, 500), 10_000),
    use("u2", "acme/api", 1, "alice", "core", "synchronize", SONNET, (200, 3800, 0, 300), 6_000, day=4),
    use("u3", "acme/api", 2, "bob", None, "opened", HAIKU, (4000, 0, 1000, 800), 2_000),
    use("u4", "acme/web", 5, "alice", "core", "opened", SONNET, (500, 500, 0, 100), 4_000, day=10),
    use("u5", "beta/svc", 9, "carol", "platform", "command", HAIKU, (100, 900, 0, 50), 1_000, day=20),
    use("u6", "acme/api", 1, "alice", "core", "opened", SONNET, (9, 9, 9, 9), 99_000, month=10),  # October
)
DECISIONS = (
    decide("acme/api", 1, "alice", "core", "opened", "run"),
    decide("acme/api", 1, "alice", "core", "synchronize", "run", day=4),
    decide("acme/api", 2, "bob", None, "opened", "run"),
    decide("acme/api", 3, "dave", None, "opened", "skipped", ("size",)),
    decide("acme/api", 4, "bob", None, "opened", "skipped", ("draft",), ("evidence",)),
    decide("acme/web", 5, "alice", "core", "opened", "run", (), ("exposure",), day=10),
    decide("acme/web", 6, "erin", None, "labeled", "skipped", ("trigger",)),
    decide("beta/svc", 9, "carol", "platform", "command", "run", day=20),
    decide("beta/svc", 10, "carol", "platform", "opened", "needs_approval", ("size",)),
)
OUTCOMES = (
    PrOutcome("acme", "api", 1, "merged", at(5)),
    PrOutcome("acme", "api", 2, "closed", at(6)),
    PrOutcome("beta", "svc", 9, "merged", at(21)),
)


def seed(url: str) -> str:
    ledger = open_ledger(url)
    events = Events(ledger)
    for record in USAGE:
        assert ledger.record_usage(record)
    for decision in DECISIONS:
        assert events.record_review_decision(decision)
    for outcome in OUTCOMES:
        events.record_pr_outcome(outcome)
    ledger.close()
    return url


@pytest.fixture
def ledger_url(database_url: str) -> str:
    return seed(database_url)


def report(capsys: pytest.CaptureFixture[str], url: str, by: str, fmt: str = "json") -> Any:
    assert main(["report", "--period", "2026-11", "--by", by, "--format", fmt, "--database-url", url]) == 0
    out = capsys.readouterr().out
    return json.loads(out) if fmt == "json" else out


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["key"]: row for row in data["rows"]}


def test_by_repo_matches_hand_computed_totals(capsys: pytest.CaptureFixture[str], ledger_url: str) -> None:
    data = report(capsys, ledger_url, "repo")
    assert [r["key"] for r in data["rows"]] == ["acme/api", "acme/web", "beta/svc"]  # by spend
    api = rows(data)["acme/api"]
    assert (api["reviews"], api["input_tokens"], api["cached_input_tokens"]) == (3, 5200, 6800)
    assert (api["cache_write_tokens"], api["output_tokens"]) == (1000, 1600)
    assert api["cost_usd"] == pytest.approx(0.018)  # October's $0.099 is not in November
    assert api["cache_hit_share"] == pytest.approx(6800 / 13000)
    assert (api["prs"], api["merged"], api["closed_unmerged"], api["blocked"], api["open"]) == (4, 1, 1, 1, 1)
    assert api["cost_per_merged_pr_usd"] == pytest.approx(0.018)
    assert api["evaluations"] == 5
    assert api["skipped_share"] == pytest.approx(0.4)
    assert api["skipped_share_by_gate"] == {"draft": 0.2, "size": 0.2, "trigger": 0.0}
    web = rows(data)["acme/web"]
    assert web["cost_per_merged_pr_usd"] is None  # nothing merged: no figure rather than a division by 0
    assert (web["blocked"], web["open"], web["skipped_share"]) == (1, 1, 0.5)
    svc = rows(data)["beta/svc"]
    assert svc["cache_hit_share"] == pytest.approx(0.9)
    assert svc["skipped_share_by_gate"]["size"] == pytest.approx(0.5)  # needs_approval counts as skipped

    total = data["total"]
    assert (total["reviews"], total["input_tokens"], total["cached_input_tokens"]) == (5, 5800, 8200)
    assert (total["cache_write_tokens"], total["output_tokens"]) == (1000, 1750)
    assert total["cost_usd"] == pytest.approx(0.023)
    assert total["cache_hit_share"] == pytest.approx(8200 / 15000)
    assert (total["prs"], total["merged"], total["closed_unmerged"], total["blocked"], total["open"]) == (
        8, 2, 1, 2, 3,
    )  # fmt: skip
    assert total["cost_per_merged_pr_usd"] == pytest.approx(0.0115)
    assert total["evaluations"] == 9
    assert total["skipped_share"] == pytest.approx(4 / 9)
    assert total["skipped_share_by_gate"] == pytest.approx({"draft": 1 / 9, "size": 2 / 9, "trigger": 1 / 9})


def test_by_model_user_team_trigger(capsys: pytest.CaptureFixture[str], ledger_url: str) -> None:
    model = rows(report(capsys, ledger_url, "model"))
    assert model[SONNET]["cost_usd"] == pytest.approx(0.020)
    assert (model[SONNET]["reviews"], model[SONNET]["merged"], model[SONNET]["blocked"]) == (3, 1, 1)
    assert model[SONNET]["evaluations"] == 0  # a skipped review has no model
    assert (model[HAIKU]["merged"], model[HAIKU]["closed_unmerged"]) == (1, 1)
    assert model[HAIKU]["cost_per_merged_pr_usd"] == pytest.approx(0.003)

    user = rows(report(capsys, ledger_url, "user"))
    assert user["alice"]["cost_usd"] == pytest.approx(0.020)
    assert (user["alice"]["evaluations"], user["alice"]["skipped_share"]) == (3, 0)
    assert user["dave"]["cost_usd"] == 0 and user["dave"]["skipped_share_by_gate"]["size"] == 1

    team = rows(report(capsys, ledger_url, "team"))
    assert set(team) == {"core", "platform", "(none)"}
    assert team["(none)"]["cost_usd"] == pytest.approx(0.002)
    assert team["(none)"]["evaluations"] == 4  # bob twice, dave, erin

    trigger = rows(report(capsys, ledger_url, "trigger"))
    assert trigger["opened"]["cost_usd"] == pytest.approx(0.016)
    assert trigger["labeled"]["skipped_share_by_gate"]["trigger"] == 1


def test_by_outcome_ties_spend_to_merged_work(capsys: pytest.CaptureFixture[str], ledger_url: str) -> None:
    data = rows(report(capsys, ledger_url, "outcome"))
    assert data["merged"]["cost_usd"] == pytest.approx(0.017)
    assert data["merged"]["cost_per_merged_pr_usd"] == pytest.approx(0.0085)
    assert data["closed_unmerged"]["cost_usd"] == pytest.approx(0.002)
    assert data["blocked"]["cost_usd"] == pytest.approx(0.004)
    assert data["blocked"]["evaluations"] == 2
    assert data["open"]["cost_usd"] == 0 and data["open"]["prs"] == 3


def test_csv_and_table(capsys: pytest.CaptureFixture[str], ledger_url: str) -> None:
    parsed = list(csv.DictReader(io.StringIO(report(capsys, ledger_url, "org", "csv"))))
    assert [r["key"] for r in parsed] == ["acme", "beta", "total"]
    assert parsed[0]["cost_usd"] == "0.022"
    assert parsed[0]["skipped_by_size"] == "0.1429"  # 1 of acme's 7 evaluations
    assert parsed[2]["cost_per_merged_pr_usd"] == "0.0115"
    table = report(capsys, ledger_url, "repo", "table")
    lines = table.splitlines()
    assert lines[0] == "period 2026-11, by repo"
    assert lines[1].split()[:2] == ["repo", "reviews"]
    assert lines[3].startswith("acme/api") and lines[-1].startswith("total")
    assert "0.018" in lines[3]


def test_decisions_are_idempotent_and_outcomes_replace(database_url: str) -> None:
    ledger = open_ledger(database_url)
    events = Events(ledger)
    assert events.record_review_decision(DECISIONS[0])
    assert not events.record_review_decision(DECISIONS[0])
    events.record_pr_outcome(PrOutcome("acme", "api", 1, "closed", at(5)))
    events.record_pr_outcome(PrOutcome("acme", "api", 1, "merged", at(6)))
    assert events.pr_outcomes()[("acme", "api", 1)].outcome == "merged"
    events.clear_pr_outcome("acme", "api", 1)
    assert events.pr_outcomes() == {}
    with pytest.raises(ValueError):
        events.record_pr_outcome(PrOutcome("acme", "api", 1, "abandoned", at(6)))
    assert events.review_decisions(month="2026-11") == [DECISIONS[0]]
    ledger.close()


def test_decision_for_a_verdicts_gates() -> None:
    gates = (
        GateResult("trigger", Outcome.PASS, "opened"),
        GateResult("size", Outcome.NEEDS_APPROVAL, "too big"),
        GateResult("evidence", Outcome.FAIL, "missing"),
    )
    assert decision_for(gates, ran=False) == ("needs_approval", ("size",), ("evidence",))
    skip = (*gates, GateResult("draft", Outcome.SKIP, "draft"))
    assert decision_for(skip, ran=False) == ("skipped", ("size", "draft"), ("evidence",))
    assert decision_for(gates[:1], ran=True) == ("run", (), ())
    assert decision_for(gates[:1], ran=False, refused=True) == ("refused", ("budget",), ())


def test_missing_ledger_and_bad_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'absent.sqlite3'}"
    assert main(["report", "--period", "2026-11", "--database-url", url]) == 2
    assert "no ledger at" in capsys.readouterr().err
    assert not (tmp_path / "absent.sqlite3").exists()
    with pytest.raises(SystemExit) as exc:
        main(["report", "--period", "2026-13"])
    assert exc.value.code == 2
