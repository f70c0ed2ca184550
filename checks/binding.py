"""Which commit an approval may land on: the one the approver saw. Pure.

A check-run button approves its run's head sha; a comment approves the PR's head only when that head's
run was published before the comment was written. Anything else is refused with the reason, so an
approval never lands on code its approver never saw (a push racing the comment, an older run's button).
"""

from __future__ import annotations

from datetime import datetime


def _when(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def button_refusal(run_sha: str, head_sha: str) -> str:
    """Why a button on the run of `run_sha` may not approve the PR whose head is `head_sha` ("" = may)."""
    if run_sha == head_sha:
        return ""
    return (
        f"this button belongs to the run of `{run_sha[:7]}`, but the pull request's head is now "
        f"`{head_sha[:7]}`; approve on that commit's run after reading it"
    )


def comment_refusal(head_sha: str, published_at: str | None, written_at: str | None) -> str:
    """Why a comment written at `written_at` may not approve `head_sha`, whose run was first published at
    `published_at` (None: not published yet). "" = it may."""
    head = f"`{head_sha[:7]}`"
    if published_at is None:
        return (
            f"the pull request's head is now {head} and its check run is not published yet; "
            "read it, then approve again"
        )
    published, written = _when(published_at), _when(written_at or "")
    if published is None or written is None:
        return f"cannot tell which commit this comment saw; approve again on {head}"
    if written < published:
        return (
            f"the pull request's head moved to {head} after this comment was written; "
            "read its check run, then approve again"
        )
    return ""
