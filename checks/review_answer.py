"""The model's answer: read defensively into a summary and findings, then written as the PR review."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from checks import escape as safe
from checks.prompt import LeftOut


@dataclass(frozen=True)
class Finding:
    path: str | None
    line: int | None
    severity: str
    message: str


@dataclass(frozen=True)
class ReviewText:
    summary: str
    findings: tuple[Finding, ...]
    parsed: bool  # False: the model did not answer in the asked format; summary is its raw text


def parse_review(text: str) -> ReviewText:
    """Read the model's answer defensively: the JSON object asked for, else its text as the summary."""
    data = _first_json_object(text)
    if not isinstance(data, dict):
        return ReviewText(safe.clip(text.strip(), 4_000), (), False)
    findings = []
    for item in data.get("findings") or ():
        if not isinstance(item, dict) or not str(item.get("message") or "").strip():
            continue
        line = item.get("line")
        path = item.get("path")
        findings.append(
            Finding(
                path=safe.clip(str(path), 300) if isinstance(path, str) and path else None,
                line=line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None,
                severity=str(item.get("severity") or "medium").lower()[:10],
                message=safe.clip(str(item["message"]).strip(), 2_000),
            )
        )
    return ReviewText(safe.clip(str(data.get("summary") or "").strip(), 2_000), tuple(findings[:50]), True)


def _first_json_object(text: str) -> Any:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict) and ("findings" in value or "summary" in value):
            return value
    return None


def review_comment(review: ReviewText, *, model: str, left_out: Sequence[LeftOut]) -> str:
    """The one PR review comment: summary, then findings with file:line; advisory, never a gate."""
    lines = [f"**agentbudget review** ({safe.code(model)}, advisory)", ""]
    if review.summary:
        lines += [safe.inline(review.summary) if review.parsed else safe.quote(review.summary), ""]
    for f in review.findings:
        where = f"`{safe.code(f.path)}{f':{f.line}' if f.line else ''}`" if f.path else "general"
        lines.append(f"- **{safe.inline(f.severity)}** {where}: {safe.inline(f.message)}")
    if not review.findings and review.parsed:
        lines.append("No findings.")
    if left_out:
        lines += [
            "",
            f"Not reviewed: {len(left_out)} file(s) left out of the prompt (listed in the check run).",
        ]
    return "\n".join(lines)


def inline_comments(review: ReviewText) -> list[dict[str, object]]:
    """The findings that name a file and line, as the review's inline comments (untrusted text escaped)."""
    return [
        {"path": f.path, "line": f.line, "body": f"**{safe.inline(f.severity)}**: {safe.inline(f.message)}"}
        for f in review.findings
        if f.path and f.line
    ]
