"""Which job a webhook delivery asks for. Plain JSON dicts in, plain job specs out; no I/O.

Job ids are what make duplicates collapse in arq: the same PR head reached by several events
(`pull_request.synchronize` and `check_suite.requested` for one push) shares one id, while explicit
re-evaluation requests (an edited body, a label, a re-run click, a comment) carry their delivery id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app import job_names
from checks.commands import parse_commands

PR_PUSH_ACTIONS = frozenset({"opened", "synchronize", "reopened"})
PR_REEVALUATE_ACTIONS = frozenset(
    {"ready_for_review", "edited", "labeled", "unlabeled", "converted_to_draft"}
)
INSTALLATION_EVENTS = frozenset({"installation", "installation_repositories"})


@dataclass(frozen=True)
class JobSpec:
    function: str
    job_id: str
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    jobs: tuple[JobSpec, ...] = ()
    ignored: str = ""  # why nothing is done, for the response and the log


def _obj(value: Any) -> Mapping[str, Any]:
    """A payload field read as an object: anything else (a string, a list, null) reads as empty."""
    return value if isinstance(value, Mapping) else {}


def _int(value: Any) -> int:
    """A payload id or number: an int, or a string of digits; anything else is 0 (ignored)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _repo(payload: Mapping[str, Any]) -> dict[str, Any]:
    repo = _obj(payload.get("repository"))
    owner = _obj(repo.get("owner")).get("login") or str(repo.get("full_name", "/")).split("/")[0]
    return {"repo_id": _int(repo.get("id")), "owner": str(owner), "repo": str(repo.get("name") or "")}


def _installation_id(payload: Mapping[str, Any]) -> int | None:
    inst = payload.get("installation")
    if isinstance(inst, Mapping) and isinstance(inst.get("id"), int) and not isinstance(inst["id"], bool):
        return int(inst["id"])
    return None


def _evaluate(
    payload: Mapping[str, Any], installation_id: int, number: int, head_sha: str, trigger: str, key: str
) -> JobSpec:
    repo = _repo(payload)
    return JobSpec(
        function=job_names.EVALUATE_PULL_REQUEST,
        job_id=f"evaluate:{repo['repo_id']}:{number}:{head_sha}:{key}",
        kwargs={
            "installation_id": installation_id,
            **repo,
            "number": number,
            "head_sha": head_sha,
            "trigger": trigger,
        },
    )


def _with(job: JobSpec, extra: Mapping[str, Any]) -> JobSpec:
    return JobSpec(job.function, job.job_id, {**job.kwargs, **extra}) if extra else job


def _pull_request(payload: Mapping[str, Any], installation_id: int, delivery: str) -> Route:
    action = str(payload.get("action"))
    pull = _obj(payload.get("pull_request"))
    number = _int(payload.get("number")) or _int(pull.get("number"))
    head_sha = _str(_obj(pull.get("head")).get("sha"))
    if not number or not head_sha:
        return Route(ignored="pull_request without number or head sha")
    if action in PR_PUSH_ACTIONS:
        return Route((_evaluate(payload, installation_id, number, head_sha, action, "push"),))
    if action in PR_REEVALUATE_ACTIONS:
        return Route((_evaluate(payload, installation_id, number, head_sha, action, delivery),))
    if action == "closed":
        # The report ties spend to merged work: remember how the PR ended.
        repo = _repo(payload)
        outcome = "merged" if pull.get("merged") else "closed"
        return Route(
            (
                JobSpec(
                    job_names.RECORD_PR_OUTCOME,
                    f"outcome:{repo['repo_id']}:{number}:{delivery}",
                    {**repo, "installation_id": installation_id, "number": number, "outcome": outcome},
                ),
            )
        )
    return Route(ignored=f"pull_request.{action} needs no evaluation")


def _check_suite(payload: Mapping[str, Any], installation_id: int, delivery: str) -> Route:
    action = str(payload.get("action"))
    if action not in ("requested", "rerequested", "completed"):
        return Route(ignored=f"check_suite.{action} needs no evaluation")
    suite = _obj(payload.get("check_suite"))
    head_sha = _str(suite.get("head_sha"))
    key = "push" if action == "requested" else delivery
    if action == "completed":
        # Another CI finished on this sha: re-read what it observed (our own suite is skipped by the worker,
        # which knows the app id, so completing our run never loops).
        key = f"ci:{delivery}"
    pulls = [p for p in _list(suite.get("pull_requests")) if isinstance(p, Mapping) and _int(p.get("number"))]
    suite_app = _obj(suite.get("app")).get("id")
    extra = {"ci_app_id": int(suite_app)} if action == "completed" and isinstance(suite_app, int) else {}
    if pulls:
        return Route(
            tuple(
                _with(
                    _evaluate(
                        payload, installation_id, _int(p["number"]), head_sha, f"check_suite.{action}", key
                    ),
                    extra,
                )
                for p in pulls
            )
        )
    # Fork PRs arrive with an empty pull_requests list: the worker maps the sha to its PR.
    repo = _repo(payload)
    return Route(
        (
            JobSpec(
                job_names.EVALUATE_COMMIT,
                f"commit:{repo['repo_id']}:{head_sha}:{key}",
                {
                    "installation_id": installation_id,
                    **repo,
                    "head_sha": head_sha,
                    "trigger": f"check_suite.{action}",
                },
            ),
        )
    )


def _check_run(payload: Mapping[str, Any], installation_id: int, delivery: str, check_name: str) -> Route:
    action = str(payload.get("action"))
    run = _obj(payload.get("check_run"))
    if action not in ("rerequested", "requested_action"):
        return Route(ignored=f"check_run.{action} needs no evaluation")
    if run.get("name") != check_name:
        return Route(ignored=f"check_run.{action} for another check ({run.get('name')!r})")
    head_sha = _str(run.get("head_sha"))
    repo = _repo(payload)
    kwargs: dict[str, Any] = {
        "installation_id": installation_id,
        **repo,
        "head_sha": head_sha,
        "check_run_id": _int(run.get("id")) or None,
        "sender": str(_obj(payload.get("sender")).get("login") or ""),
        "action": action,
    }
    if action == "requested_action":
        kwargs["identifier"] = str(_obj(payload.get("requested_action")).get("identifier") or "")
    pulls = [
        _int(p["number"])
        for p in _list(run.get("pull_requests"))
        if isinstance(p, Mapping) and _int(p.get("number"))
    ]
    kwargs["numbers"] = pulls
    return Route(
        (JobSpec(job_names.HANDLE_CHECK_RUN, f"check_run:{repo['repo_id']}:{head_sha}:{delivery}", kwargs),)
    )


def _issue_comment(payload: Mapping[str, Any], installation_id: int, delivery: str) -> Route:
    action = str(payload.get("action"))
    if action != "created":
        return Route(ignored=f"issue_comment.{action}: only new comments carry commands")
    issue = _obj(payload.get("issue"))
    comment = _obj(payload.get("comment"))
    if not issue.get("pull_request"):
        return Route(ignored="comment on an issue, not a pull request")
    user = _obj(comment.get("user"))
    if user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]"):
        return Route(ignored="comment by a bot")
    # The same parser the worker uses: a command in a code block or a quote never reaches the queue.
    if not parse_commands(str(comment.get("body") or "")):
        return Route(ignored="comment has no /agentbudget command")
    repo = _repo(payload)
    return Route(
        (
            JobSpec(
                job_names.HANDLE_COMMENT,
                f"comment:{repo['repo_id']}:{comment.get('id')}",
                {
                    "installation_id": installation_id,
                    **repo,
                    "number": _int(issue.get("number")),
                    "comment_id": _int(comment.get("id")),
                    "commenter": str(user.get("login") or ""),
                    "body": str(comment.get("body") or "")[:10_000],
                    # When the approver wrote it: an approval binds to the head whose run was out by then.
                    "created_at": str(comment.get("created_at") or ""),
                },
            ),
        )
    )


def _status(payload: Mapping[str, Any], installation_id: int, delivery: str) -> Route:
    """A commit status (CI that reports through statuses): re-evaluate the open PRs whose head is that sha."""
    sha = payload.get("sha")
    if not isinstance(sha, str) or not sha:
        return Route(ignored="status without a sha")
    if payload.get("state") == "pending":
        return Route(ignored="status pending: nothing observed yet")
    repo = _repo(payload)
    return Route(
        (
            JobSpec(
                job_names.EVALUATE_COMMIT,
                f"commit:{repo['repo_id']}:{sha}:status:{delivery}",
                {"installation_id": installation_id, **repo, "head_sha": sha, "trigger": "status"},
            ),
        )
    )


def _installation(event: str, payload: Mapping[str, Any], delivery: str) -> Route:
    inst = _obj(payload.get("installation"))
    account = _obj(inst.get("account")).get("login") or ""
    return Route(
        (
            JobSpec(
                job_names.SYNC_INSTALLATION,
                f"installation:{inst.get('id')}:{delivery}",
                {
                    "installation_id": _int(inst.get("id")),
                    "account": str(account),
                    "event": event,
                    "action": str(payload.get("action")),
                },
            ),
        )
    )


def route(event: str, payload: Mapping[str, Any], delivery: str, *, check_name: str = "agentbudget") -> Route:
    """Map one delivery to the jobs it asks for, or to the reason it asks for none."""
    if event in INSTALLATION_EVENTS:
        if not isinstance(payload.get("installation"), Mapping) or not payload["installation"].get("id"):
            return Route(ignored=f"{event} without an installation id")
        return _installation(event, payload, delivery)
    installation_id = _installation_id(payload)
    if event in ("pull_request", "check_suite", "check_run", "issue_comment") and installation_id is None:
        return Route(ignored=f"{event} delivered without an installation: not an app delivery")
    if installation_id is None:
        return Route(ignored=f"event {event!r} is not handled")
    if event == "pull_request":
        return _pull_request(payload, installation_id, delivery)
    if event == "check_suite":
        return _check_suite(payload, installation_id, delivery)
    if event == "check_run":
        return _check_run(payload, installation_id, delivery, check_name)
    if event == "issue_comment":
        return _issue_comment(payload, installation_id, delivery)
    if event == "status":
        return _status(payload, installation_id, delivery)
    return Route(ignored=f"event {event!r} is not handled")
