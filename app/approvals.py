"""Approvals: recorded durably in the ledger, read back as the views the pure core decides with."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from app.budget import ApprovalRecord, Ledger
from checks.verdict import ApprovalView
from config.model import Config


async def record(
    ledger: Ledger,
    *,
    request_id: str,
    owner: str,
    repo: str,
    number: int,
    head_sha: str,
    approver: str,
    permission: str,
    what: str,
    reason: str,
) -> bool:
    """Write one approval; False when this request id was recorded before (a retried job or delivery)."""
    entry = ApprovalRecord(
        request_id=request_id,
        org=owner,
        repo=repo,
        pr=number,
        head_sha=head_sha,
        approver=approver,
        permission=permission,
        what=what,
        reason=reason,
        at=datetime.now(UTC),
    )
    return await asyncio.to_thread(ledger.record_approval, entry)


async def in_force(
    ledger: Ledger, config: Config, *, owner: str, repo: str, number: int, head_sha: str
) -> tuple[ApprovalView, ...]:
    """The approvals that apply to this head: all of the PR's, or only this sha's when approvals are bound
    to the commit (`approvals.bound_to_sha`), as Prow drops `lgtm` on a push."""
    records = await asyncio.to_thread(ledger.approvals_for, owner, repo, number)
    bound = config.approvals.bound_to_sha
    return tuple(
        ApprovalView(r.approver, r.permission, r.what, r.reason, r.head_sha, r.at.isoformat())
        for r in records
        if not bound or r.head_sha == head_sha
    )
