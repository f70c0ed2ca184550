"""Each job's name, once: routing enqueues by these names and the worker registers under them."""

from __future__ import annotations

EVALUATE_PULL_REQUEST = "evaluate_pull_request"
EVALUATE_COMMIT = "evaluate_commit"
HANDLE_CHECK_RUN = "handle_check_run"
HANDLE_COMMENT = "handle_comment"
RECORD_PR_OUTCOME = "record_pr_outcome"
SYNC_INSTALLATION = "sync_installation"
RECONCILE_DELIVERIES = "reconcile_deliveries"
