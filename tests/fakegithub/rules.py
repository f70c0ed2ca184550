"""What GitHub refuses in the bodies agentbudget sends, as pure functions: the loopback server and the
in-memory client (tests/fakeclient.py) apply the same rules. Each raises the 422 GitHub answers."""

from __future__ import annotations

import json
from typing import Any, Protocol

from tests.fakegithub.model import (
    ANNOTATION_LEVELS,
    CHECK_CONCLUSIONS,
    CHECK_STATUSES,
    DOCS,
    REACTIONS,
    _invalid,
    _patch_lines,
    _unprocessable,
)


class Limits(Protocol):
    """GitHub's limits (`state.World` holds them; tests may lower them)."""

    max_body_chars: int
    max_comment_chars: int
    max_annotations: int
    max_actions: int


def validate_run(body: Any, *, create: bool, limits: Limits) -> dict[str, Any]:
    """A check run's create or update body as GitHub checks it (422 on the first problem)."""
    if not isinstance(body, dict):
        raise _invalid("Request body must be a JSON object.")
    if create:
        for key in ("name", "head_sha"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise _invalid(f'"{key}" wasn\'t supplied.')
    elif "name" in body and not isinstance(body["name"], str):
        raise _invalid('"name" must be a string.')
    status, conclusion = body.get("status"), body.get("conclusion")
    if status is not None and status not in CHECK_STATUSES:
        raise _invalid(f"For 'properties/status', \"{status}\" is not one of {sorted(CHECK_STATUSES)}.")
    if conclusion is not None and conclusion not in CHECK_CONCLUSIONS:
        raise _invalid(
            f"For 'properties/conclusion', \"{conclusion}\" is not one of {sorted(CHECK_CONCLUSIONS)}."
        )
    if status == "completed" and conclusion is None:
        raise _invalid("No conclusion provided when status is completed.")
    if "output" in body:
        validate_output(body["output"], limits)
    actions = body.get("actions")
    if actions is not None:
        if not isinstance(actions, list) or len(actions) > limits.max_actions:
            raise _invalid(f"Only {limits.max_actions} actions may be sent per request.")
        for action in actions:
            for key, limit in (("label", 20), ("description", 40), ("identifier", 20)):
                value = action.get(key) if isinstance(action, dict) else None
                if not isinstance(value, str) or not value:
                    raise _invalid(f"For 'items', \"{key}\" wasn't supplied.")
                if len(value) > limit:
                    raise _invalid(f"For 'properties/{key}', {value!r} is longer than {limit} chars.")
    return body


def validate_output(output: Any, limits: Limits) -> None:
    if not isinstance(output, dict):
        raise _invalid("For 'properties/output', must be an object.")
    for key in ("title", "summary"):
        if not isinstance(output.get(key), str):
            raise _invalid(f"For 'properties/output', \"{key}\" wasn't supplied.")
    for key in ("summary", "text"):
        value = output.get(key)
        if isinstance(value, str) and len(value) > limits.max_body_chars:
            raise _invalid(
                f"Only {limits.max_body_chars} characters are allowed; {len(value)} were supplied."
            )
    annotations = output.get("annotations") or []
    if not isinstance(annotations, list):
        raise _invalid("For 'properties/annotations', must be an array.")
    if len(annotations) > limits.max_annotations:
        raise _invalid(f"Only {limits.max_annotations} annotations may be sent per request.")
    for note in annotations:
        if not isinstance(note, dict):
            raise _invalid("For 'items', must be an object.")
        for key in ("path", "start_line", "end_line", "annotation_level", "message"):
            if note.get(key) in (None, ""):
                raise _invalid(f"For 'items', \"{key}\" wasn't supplied.")
        if not isinstance(note["start_line"], int) or not isinstance(note["end_line"], int):
            raise _invalid("For 'properties/start_line', must be an integer.")
        if note["annotation_level"] not in ANNOTATION_LEVELS:
            raise _invalid(
                f"For 'properties/annotation_level', \"{note['annotation_level']}\" is not one of "
                f"{sorted(ANNOTATION_LEVELS)}."
            )
        for key in ("message", "raw_details"):
            if len(str(note.get(key, "")).encode()) > 64 * 1024:
                raise _invalid(f"For 'properties/{key}', is too long (maximum is 64 KB).")
        if ("start_column" in note or "end_column" in note) and note["start_line"] != note["end_line"]:
            raise _invalid("start_column and end_column need start_line == end_line.")


def validate_review(
    body: dict[str, Any], patches: dict[str, str | None], limits: Limits
) -> tuple[str, str, list[Any]]:
    """A pull request review as GitHub checks it: (its state, body, inline comments)."""
    event = body.get("event")
    states = {
        "COMMENT": "COMMENTED",
        "APPROVE": "APPROVED",
        "REQUEST_CHANGES": "CHANGES_REQUESTED",
        None: "PENDING",
    }
    if event not in states:
        raise _unprocessable(f"Event is not included in the list: {event!r}")
    text = body.get("body") or ""
    comments = body.get("comments") or []
    if len(text) > limits.max_comment_chars:
        raise _unprocessable(f"Body is too long (maximum is {limits.max_comment_chars} characters)")
    if event in ("COMMENT", "REQUEST_CHANGES") and not text and not comments:
        raise _unprocessable("Review body is required")
    for note in comments:
        if not isinstance(note, dict) or not note.get("path") or not note.get("body"):
            raise _unprocessable("Review comments need path and body")
        if note["path"] not in patches:
            raise _unprocessable("Path could not be resolved")
        if "position" in note:
            continue
        right, left = _patch_lines(patches[note["path"]] or "")
        lines = left if note.get("side") == "LEFT" else right
        wanted = [note.get("line")] + ([note["start_line"]] if "start_line" in note else [])
        if any(not isinstance(n, int) or n not in lines for n in wanted):
            raise _unprocessable("Line could not be resolved")
    return states[event], text, list(comments)


def comment_body(body: Any, limits: Limits) -> str:
    """An issue comment's body as GitHub checks it."""
    text = body.get("body") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text:
        raise _unprocessable("Body cannot be blank")
    if len(text) > limits.max_comment_chars:
        raise _unprocessable(f"Body is too long (maximum is {limits.max_comment_chars} characters)")
    return text


def reaction_content(body: Any) -> str:
    content = body.get("content") if isinstance(body, dict) else None
    if content not in REACTIONS:
        raise _invalid(
            f"For 'properties/content', {json.dumps(content)} is not one of {sorted(REACTIONS)}.",
            docs=f"{DOCS}/reactions/reactions",
        )
    return str(content)
