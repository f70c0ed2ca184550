"""`agentbudget report`: the month's spend and outcomes from the ledger, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.budget.errors import LedgerUnavailable
from app.budget.events import Events
from app.report import DIMENSIONS, FORMATS, RENDERERS, Report, build
from app.settings import Settings

if TYPE_CHECKING:
    from app.budget.ledger import SqlLedger


def _period(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"a month as YYYY-MM, got {text!r}")
    return text


def add_parser(sub: Any) -> argparse.ArgumentParser:
    report: argparse.ArgumentParser = sub.add_parser(
        "report", help="spend, tokens and outcomes over the ledger for a month"
    )
    report.add_argument("--period", type=_period, default=datetime.now(UTC).strftime("%Y-%m"),
                        help="the month, YYYY-MM (default: this month, UTC)")  # fmt: skip
    report.add_argument("--by", choices=DIMENSIONS, default="repo")
    report.add_argument("--format", choices=FORMATS, default="table")
    report.add_argument(
        "--database-url", help="the ledger (default: DATABASE_URL, else ./agentbudget.sqlite3)"
    )
    report.set_defaults(run=run)
    return report


def open_existing(database_url: str | None) -> SqlLedger:
    """Open the ledger read-only: nothing is created or altered, a role with SELECT alone is enough.

    FileNotFoundError for a SQLite file that does not exist; LedgerUnavailable when the schema is
    missing or behind (run `agentbudget ledger migrate`)."""
    from app.budget.ledger import open_reader

    return open_reader(database_url or None)


def load(database_url: str | None, period: str, by: str) -> Report:
    ledger = open_existing(database_url)
    try:
        events = Events(ledger)
        return build(
            period,
            by,
            ledger.usage_records(month=period),
            events.review_decisions(month=period),
            events.pr_outcomes(),
            all_decisions=events.latest_decisions(),
        )
    finally:
        ledger.close()


def run(args: argparse.Namespace) -> int:
    url = args.database_url or Settings.from_env(os.environ).database_url
    try:
        report = load(url, args.period, args.by)
    except (FileNotFoundError, ValueError, LedgerUnavailable) as exc:
        print(f"agentbudget: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(RENDERERS[args.format](report))
    return 0
