"""Soak benchmark: the whole stack on loopback with GitHub answering after a realistic round trip.

Phase 1 (sequential): one `synchronize` at a time on PRs whose config is cached, waiting for its check
run: GitHub API calls per PR event, and event→check-run latency beside its floor (the calls' round trips).
Phase 2 (burst): deliveries as fast as one client sends them, from 3 installations with 3 PRs each, 2 workers:
deliveries/s, webhook p50/p99, event→check-run p50/p99, lost and duplicated counts (must be 0).

    .venv/bin/python -m bench.soak [--deliveries 1500] [--latency 0.03] [--postgres | --database-url URL]

--postgres starts a throwaway PostgreSQL cluster on loopback (tests/postgres_server.py) and gives each
phase a fresh database on it; --database-url uses the ledger you name (both phases write to it).
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

from tests.postgres_server import PostgresServer
from tests.soak import Soak, SoakPlan, SoakReport, loopback_github, summary


def run(plan: SoakPlan, postgres: PostgresServer | None = None) -> SoakReport:
    url = postgres.create_database() if postgres is not None else None
    if url is not None:
        plan = dataclasses.replace(plan, database_url=url)
    try:
        with loopback_github() as github, tempfile.TemporaryDirectory() as work:
            return Soak(plan, github, Path(work)).run()
    finally:
        if postgres is not None and url is not None:
            postgres.drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=1500)
    parser.add_argument("--sequential", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.03, help="GitHub round trip, seconds")
    parser.add_argument("--workers", type=int, default=2, help="worker processes in the burst phase")
    ledger = parser.add_mutually_exclusive_group()
    ledger.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL ledger")
    ledger.add_argument("--database-url", help="the ledger (default: a SQLite file per phase)")
    args = parser.parse_args()
    postgres = PostgresServer().start() if args.postgres else None
    try:
        measure(args, postgres)
    finally:
        if postgres is not None:
            postgres.cleanup()


def measure(args: argparse.Namespace, postgres: PostgresServer | None) -> None:
    ledger = {"database_url": args.database_url} if args.database_url else {}

    seq = run(
        SoakPlan(
            installations=1,
            prs_per_installation=3,
            deliveries=args.sequential,
            workers=1,
            synchronize_share=1.0,
            sequential=True,
            github_latency=args.latency,
            **ledger,
        ),
        postgres,
    )
    per_event = seq.api_calls / seq.deliveries
    p50 = SoakReport.percentile(seq.end_to_end, 50)
    floor = per_event * args.latency
    print(
        f"sequential synchronize: {per_event:.2f} GitHub API calls per event (goal ≤ 4); "
        f"event→check run p50 {p50:.3f} s vs {floor:.3f} s of GitHub round trips "
        f"(ratio {p50 / floor:.2f})"
    )

    burst = run(
        SoakPlan(deliveries=args.deliveries, workers=args.workers, github_latency=args.latency, **ledger),
        postgres,
    )
    print("burst: " + summary(burst))
    print(
        f"burst: lost {len(burst.lost)}, duplicated runs {len(burst.duplicated_runs)}, "
        f"stuck {len(burst.stuck_runs)}, stale heads {len(burst.stale_heads)}"
    )


if __name__ == "__main__":
    main()
