"""`agentbudget review` (the metered review, locally) and `agentbudget ledger rebuild`.

Both use the same Redis admission counters (REDIS_URL) and ledger (DATABASE_URL) as the App, so a local
review is budgeted and recorded like any other.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EXIT_RAN, EXIT_NOT_RUN, EXIT_USAGE = 0, 1, 2
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def add_parsers(sub: Any) -> None:
    review = sub.add_parser(
        "review", help="run the metered AI review on a git range against a configured provider"
    )
    review.add_argument("--base", required=True, help="base ref, e.g. origin/main")
    review.add_argument("--head", default="HEAD")
    review.add_argument("--body-file", help="the PR body (Markdown); - for stdin")
    review.add_argument("--config", help="a .agentbudget.yml to use instead of the one at the base ref")
    review.add_argument("--label", action="append", default=[], help="a PR label (repeatable)")
    review.add_argument(
        "--approve",
        action="append",
        default=[],
        choices=("budget", "large-model"),
        help="act as if this escalation were approved (repeatable)",
    )
    review.add_argument("--max-prompt-tokens", type=int, default=None)
    review.set_defaults(run=run_review_command)

    ledger = sub.add_parser("ledger", help="the durable spend ledger")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True)
    rebuild = ledger_sub.add_parser("rebuild", help="rebuild the admission counters in Redis from the ledger")
    rebuild.add_argument("--month", help="YYYY-MM (default: this month, UTC)")
    ledger.set_defaults(run=run_ledger_command)


class ReviewUnavailable(Exception):
    """What stops a local review before it starts, said in one line (exit 2)."""


def local_database_url(env: Mapping[str, str]) -> str:
    """DATABASE_URL, else a SQLite file in the user's data directory — never in the checkout."""
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    home = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    folder = Path(home) / "agentbudget"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'ledger.sqlite3'}"


def run_review_command(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    from app.local import gather, git
    from app.providers import provider_factory
    from app.providers.factory import MissingKey

    env = os.environ if environ is None else environ
    body = ""
    if args.body_file:
        body = sys.stdin.read() if args.body_file == "-" else Path(args.body_file).read_text()
    # Gathering reads git (and the config at the base ref) synchronously, before the event loop starts.
    change = gather(
        base=args.base, head=args.head, body=body, config_file=args.config, labels=tuple(args.label)
    )
    diff_text = git("diff", "--no-color", "--no-ext-diff", "-M", f"{args.base}...{args.head}")
    providers = provider_factory(env)
    try:
        providers(change.config.models.small)
    except MissingKey as exc:
        model = change.config.models.small
        print(f"agentbudget: no key for {model.provider} ({model.name}): {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return asyncio.run(_review(args, env, change, diff_text, providers))
    except ReviewUnavailable as exc:
        print(f"agentbudget: {exc}", file=sys.stderr)
        return EXIT_USAGE


async def _review(
    args: argparse.Namespace, env: Mapping[str, str], change: Any, diff_text: str, providers: Any
) -> int:
    from redis.asyncio import Redis
    from redis.exceptions import RedisError

    from app.budget import Admission, open_ledger
    from app.review import run_review
    from app.review_plan import DEFAULT_MAX_PROMPT_TOKENS, Meter, ReviewPlan
    from checks.review_report import tokens_lines

    async def post_review(text: str, comments: Sequence[dict[str, object]]) -> None:
        print(text)
        print()

    url = env.get("REDIS_URL") or DEFAULT_REDIS_URL
    redis = Redis.from_url(url)
    try:
        await redis.ping()
    except (RedisError, OSError) as exc:
        await redis.aclose()
        where = url.rsplit("@", 1)[-1]  # never print a password
        raise ReviewUnavailable(
            f"Redis at {where} is unreachable ({type(exc).__name__}): the review's budget lives there; "
            "start redis-server or set REDIS_URL"
        ) from None
    ledger = open_ledger(local_database_url(env))
    try:
        plan = ReviewPlan(
            config=change.config,
            pull=change.pull,
            diff=change.diff,
            diff_text=diff_text,
            owner="local",
            repo="checkout",
            org="local",
            installation_id=0,
            head_sha=change.pull.head_sha,
            trigger="manual",
            user=change.pull.author,
            approvals=frozenset(args.approve),
            max_prompt_tokens=args.max_prompt_tokens or DEFAULT_MAX_PROMPT_TOKENS,
        )
        run = await run_review(plan, Meter(Admission(redis), ledger, providers, post_review))
    finally:
        ledger.close()
        await redis.aclose()
    print("Tokens")
    for line in tokens_lines(run.report):
        print(line)
    for gate in run.gates:
        override = f" — {gate.override}" if gate.override else ""
        print(f"{gate.gate}: {gate.outcome.value}: {gate.reason}{override}")
    return EXIT_RAN if run.report.outcome.reviewed else EXIT_NOT_RUN


def run_ledger_command(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    month = args.month or datetime.now(UTC).strftime("%Y-%m")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        print(f"agentbudget: --month {month}: expected YYYY-MM", file=sys.stderr)
        return EXIT_USAGE
    count = asyncio.run(_rebuild(env, month))
    print(f"rebuilt {count} admission counters for {month} from the ledger")
    return EXIT_RAN


async def _rebuild(env: Mapping[str, str], month: str) -> int:
    from redis.asyncio import Redis

    from app.budget import Admission, open_ledger, rebuild

    redis = Redis.from_url(env.get("REDIS_URL") or DEFAULT_REDIS_URL)
    ledger = open_ledger(local_database_url(env))
    try:
        return await rebuild(Admission(redis), ledger, month)
    finally:
        ledger.close()
        await redis.aclose()
