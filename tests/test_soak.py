"""The soak: many signed deliveries from several installations and PRs, with Redis killed and restarted,
GitHub answering 502 and secondary rate limits on a share of calls, and a worker killed mid-way.

Afterwards every delivery is accounted for (stored once, directly or through a redelivery), no check run
is duplicated or left in progress, and every PR's newest head has its one completed run.
"""

from __future__ import annotations

from pathlib import Path

from tests.soak import Soak, SoakPlan, loopback_github, summary


def test_soak_with_redis_restart_github_faults_and_a_killed_worker(tmp_path: Path) -> None:
    plan = SoakPlan(
        installations=3,
        prs_per_installation=3,
        deliveries=2000,
        workers=2,
        share_502=0.03,
        share_403=0.02,
        kill_redis_at=0.35,
        redis_outage_deliveries=25,
        kill_worker_at=0.6,
    )
    with loopback_github() as github:
        report = Soak(plan, github, tmp_path).run()
    print(summary(report))
    assert report.deliveries == 2000
    # The outage really happened and was recovered through GitHub's redelivery, not silently skipped.
    assert report.refused >= plan.redis_outage_deliveries
    assert report.redelivered >= report.refused
    assert report.lost == []
    assert report.double_accepted == []
    assert report.duplicated_runs == []
    assert report.stuck_runs == []
    assert report.stale_heads == []
    # Each PR's head was evaluated (older heads are superseded, by design, when pushes outrun the queue).
    assert report.evaluations >= plan.installations * plan.prs_per_installation
    # The faults were real: GitHub answered errors the stack absorbed, and a worker was lost.
    assert report.github_faults > 50
    assert report.worker_restarts >= 1
