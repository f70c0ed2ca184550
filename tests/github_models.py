"""GitHub's published response models (githubkit's, generated from GitHub's OpenAPI description) for every
route the loopback GitHub serves: a fake answer GitHub would never give fails the test that caused it."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from githubkit_schemas.v2026_03_10 import models
from pydantic import TypeAdapter, ValidationError

# The fake's handler → the model GitHub's description gives its 2xx answer.
RESPONSE_MODELS: dict[str, Any] = {
    "_create_token": models.InstallationToken,
    "_get_app": models.Integration,
    "_get_installation": models.Installation,
    "_list_deliveries": list[models.HookDeliveryItem],
    "_redeliver": models.AppHookDeliveriesDeliveryIdAttemptsPostResponse202,
    "_get_repo_route": models.FullRepository,
    "_get_repo_installation": models.Installation,
    "_get_pull": models.PullRequest,
    "_list_pull_files": list[models.DiffEntry],
    "_pull_commits": list[models.Commit],
    "_post_review": models.PullRequestReview,
    "_get_contents": models.ContentFile,
    "_post_check_run": models.CheckRun,
    "_get_check_run": models.CheckRun,
    "_patch_check_run": models.CheckRun,
    "_list_annotations": list[models.CheckAnnotation],
    "_commit_pulls": list[models.PullRequestSimple],
    "_list_check_runs": models.ReposOwnerRepoCommitsRefCheckRunsGetResponse200,
    "_combined_status": models.CombinedCommitStatus,
    "_post_status": models.Status,
    "_list_comments": list[models.IssueComment],
    "_post_comment": models.IssueComment,
    "_patch_comment": models.IssueComment,
    "_post_reaction": models.Reaction,
    "_permission": models.RepositoryCollaboratorPermission,
    "_convert_manifest": models.AppManifestsCodeConversionsPostResponse201,
}
ERROR_KEYS = frozenset({"message", "documentation_url", "status"})


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def violation(handler: str, status: int, media_type: str | None, body: bytes) -> str | None:
    """Why this answer is not one GitHub gives (None when it is): the 2xx body against the route's model,
    an error body against GitHub's `{"message", "documentation_url", "status"}`."""
    if not (media_type or "").startswith("application/json") or status in (204, 304) or not body:
        return None
    data = json.loads(body)
    if status >= 400:
        missing = ERROR_KEYS - set(data) if isinstance(data, dict) else ERROR_KEYS
        if missing:
            return f"{handler}: error body lacks {sorted(missing)}: {body[:200]!r}"
        if data["status"] != str(status):
            return f"{handler}: error body says status {data['status']!r}, answered {status}"
        return None
    model = RESPONSE_MODELS.get(handler)
    if model is None:
        return f"{handler}: no published response model is known for this route"
    try:
        _adapter(model).validate_python(data)
    except ValidationError as exc:
        return f"{handler}: the answer does not validate against GitHub's model: {exc}"[:2000]
    return None
