"""Soak benchmark: the whole stack on loopback with GitHub answering after a realistic round trip.

Phase 1 (sequential): one `synchronize` at a time on PRs whose config is cached, waiting for its check
run: GitHub API calls per PR event, and event→check-run latency beside its floor (the calls' round trips).
Phase 2 (burst): deliveries as fast as one client sends them, from 3 installations with 3 PRs each, 2 workers:
deliveries/s, webhook p50/p99, event→check-run p50/p99, lost and duplicated counts (must be 0).

    .venv/bin/python -m bench.soak [--deliveries 1500] [--latency 0.03]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.soak import Soak, SoakPlan, SoakReport, loopback_github, summary


def run(plan: SoakPlan) -> SoakReport:
    with loopback_github() as github, tempfile.TemporaryDirectory() as work:
        return Soak(plan, github, Path(work)).run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=1500)
    parser.add_argument("--sequential", type=int, default=60)
    parser.add_argument("--latency", type=float, default=0.03, help="GitHub round trip, seconds")
    args = parser.parse_args()

    seq = run(
        SoakPlan(
            installations=1,
            prs_per_installation=3,
            deliveries=args.sequential,
            workers=1,
            synchronize_share=1.0,
            sequential=True,
            github_latency=args.latency,
        )
    )
    per_event = seq.api_calls / seq.deliveries
    p50 = SoakReport.percentile(seq.end_to_end, 50)
    floor = per_event * args.latency
    print(
        f"sequential synchronize: {per_event:.2f} GitHub API calls per event (goal ≤ 4); "
        f"event→check run p50 {p50:.3f} s vs {floor:.3f} s of GitHub round trips "
        f"(ratio {p50 / floor:.2f})"
    )

    burst = run(SoakPlan(deliveries=args.deliveries, workers=2, github_latency=args.latency))
    print("burst: " + summary(burst))
    print(
        f"burst: lost {len(burst.lost)}, duplicated runs {len(burst.duplicated_runs)}, "
        f"stuck {len(burst.stuck_runs)}, stale heads {len(burst.stale_heads)}"
    )


if __name__ == "__main__":
    main()
