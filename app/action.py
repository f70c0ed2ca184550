"""`agentbudget action`: the GitHub Action's step. Reads the `pull_request` event GitHub Actions saved,
evaluates base..head of the checkout exactly as `agentbudget check` does (the config at the base), writes
the check run's Markdown to the job summary, and fails the job exactly when the App would block.

Needs the checkout's history down to the base (`actions/checkout` with `fetch-depth: 0`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

EXIT_PASS, EXIT_BLOCK, EXIT_USAGE = 0, 1, 2
PULL_EVENTS = ("pull_request", "pull_request_target")


class ActionError(Exception):
    """A misconfigured workflow: said in one line, exit 2."""


@dataclass(frozen=True)
class PullEvent:
    base_sha: str
    head_sha: str
    body: str
    labels: tuple[str, ...]
    author: str


def read_event(environ: Mapping[str, str]) -> PullEvent:
    name = environ.get("GITHUB_EVENT_NAME", "")
    if name not in PULL_EVENTS:
        raise ActionError(f"runs on pull_request events, not {name or 'an unknown event'!r}")
    path = environ.get("GITHUB_EVENT_PATH", "")
    try:
        payload: Any = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise ActionError(f"cannot read the event payload at {path!r}: {exc}") from None
    pull = payload.get("pull_request") if isinstance(payload, dict) else None
    if not isinstance(pull, dict):
        raise ActionError("the event payload has no pull_request")
    try:
        return PullEvent(
            base_sha=str(pull["base"]["sha"]),
            head_sha=str(pull["head"]["sha"]),
            body=str(pull.get("body") or ""),
            labels=tuple(str(label["name"]) for label in pull.get("labels") or () if isinstance(label, dict)),
            author=str((pull.get("user") or {}).get("login") or ""),
        )
    except (KeyError, TypeError) as exc:
        raise ActionError(f"the pull_request payload lacks {exc}") from None


def run_action(environ: Mapping[str, str], out: TextIO) -> int:
    """In the checkout (the working directory), as a workflow step runs."""
    from app.local import evaluate_local, gather
    from checks.render import render, render_plain

    event = read_event(environ)
    change = gather(
        base=event.base_sha,
        head=event.head_sha,
        body=event.body,
        config_file=environ.get("AGENTBUDGET_CONFIG") or None,
        labels=event.labels,
        author=event.author or None,
    )
    verdict = evaluate_local(change)
    rendered = render(verdict)
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as page:
            page.write(f"## agentbudget: {rendered.title}\n\n{rendered.summary}\n")
    out.write(render_plain(verdict))
    return EXIT_BLOCK if verdict.blocking else EXIT_PASS
