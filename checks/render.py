"""Render a verdict as the check run GitHub shows: title, summary, text — within GitHub's limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checks.diff import DiffSummary
from checks.gates import Outcome
from checks.verdict import Verdict

SUMMARY_LIMIT = 65_535
TEXT_LIMIT = 65_535
TITLE_LIMIT = 255
MAX_FILE_ROWS = 300

_ICON = {
    Outcome.PASS: "✅ pass",
    Outcome.SKIP: "⏭️ skip",
    Outcome.NEEDS_APPROVAL: "⏸️ needs approval",
    Outcome.FAIL: "❌ fail",
    Outcome.ERROR: "⚠️ error",
}


@dataclass(frozen=True)
class CheckRunOutput:
    title: str
    summary: str
    text: str = ""
    annotations: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def as_github(self) -> dict[str, Any]:
        output: dict[str, Any] = {"title": self.title, "summary": self.summary}
        if self.text:
            output["text"] = self.text
        return output


def cell(value: str) -> str:
    """Make untrusted text safe inside a Markdown table cell."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("`", "'")
        .replace("[", "\\[")
        .replace("]", "\\]")
        .replace("\r", " ")
        .replace("\n", " ")
    )
    return escaped


def fit(text: str, limit: int, what: str) -> str:
    """Trim `text` to `limit` characters at a line boundary, saying how much was cut."""
    if len(text) <= limit:
        return text
    note_room = 200
    cut = text.rfind("\n", 0, limit - note_room)
    if cut <= 0:
        cut = limit - note_room
    dropped = len(text) - cut
    return (
        text[:cut]
        + f"\n\n_… {dropped:,} characters of {what} cut to fit GitHub's {limit:,}-character limit._\n"
    )


def _decision(verdict: Verdict) -> list[str]:
    lines = ["### Decision", ""]
    for note in verdict.notes:
        lines.append(f"> {note}")
    if verdict.notes:
        lines.append("")
    lines += ["| gate | result | why |", "| --- | --- | --- |"]
    for gate in verdict.gates:
        why = cell(gate.reason)
        if gate.override and gate.outcome in (Outcome.SKIP, Outcome.NEEDS_APPROVAL):
            why += f" — override: `{gate.override}`"
        lines.append(f"| {cell(gate.gate)} | {_ICON[gate.outcome]} | {why} |")
    return lines


def _what_changed(diff: DiffSummary) -> list[str]:
    source = "" if diff.source == "diff" else " (from GitHub's file list: the diff was too large to fetch)"
    lines = [
        "### What changed",
        "",
        f"{diff.changed_files:,} files, +{diff.additions:,} −{diff.deletions:,}{source}."
        + (" GitHub listed only the first files; counts are a lower bound." if diff.truncated else ""),
    ]
    if diff.ignored:
        shown = ", ".join(f"`{cell(f.path)}`" for f in diff.ignored[:20])
        more = f" and {len(diff.ignored) - 20:,} more" if len(diff.ignored) > 20 else ""
        lines += ["", f"Not counted ({len(diff.ignored):,} ignored by `review.ignore_paths`): {shown}{more}."]
    return lines


def _file_table(diff: DiffSummary) -> list[str]:
    lines = ["### Files", "", "| file | status | + | − |", "| --- | --- | ---: | ---: |"]
    for change in diff.files[:MAX_FILE_ROWS]:
        name = cell(change.path)
        if change.previous_path:
            name = f"{cell(change.previous_path)} → {name}"
        status = change.status + (" (ignored)" if change.ignored_by else "")
        lines.append(f"| `{name}` | {status} | {change.additions:,} | {change.deletions:,} |")
    if len(diff.files) > MAX_FILE_ROWS:
        lines.append(f"\n_{len(diff.files) - MAX_FILE_ROWS:,} more files not listed._")
    return lines


def render(verdict: Verdict) -> CheckRunOutput:
    summary = _decision(verdict)
    text: list[str] = []
    if verdict.diff is not None:
        summary += [""] + _what_changed(verdict.diff)
        if verdict.diff.files:
            text += _file_table(verdict.diff)
    title = verdict.title if len(verdict.title) <= TITLE_LIMIT else verdict.title[: TITLE_LIMIT - 1] + "…"
    return CheckRunOutput(
        title=title,
        summary=fit("\n".join(summary) + "\n", SUMMARY_LIMIT, "the summary"),
        text=fit("\n".join(text) + "\n", TEXT_LIMIT, "the details") if text else "",
    )


def render_plain(verdict: Verdict) -> str:
    """What `agentbudget check --format text` prints: the same page, for a terminal."""
    out = render(verdict)
    return f"{verdict.conclusion.upper()}: {out.title}\n\n{out.summary}" + (
        f"\n{out.text}" if out.text else ""
    )


def verdict_as_dict(verdict: Verdict) -> dict[str, Any]:
    """The verdict as `--format json` prints it: the same data the check run is rendered from."""
    out = render(verdict)
    diff = verdict.diff
    return {
        "conclusion": verdict.conclusion,
        "blocking": verdict.blocking,
        "title": out.title,
        "notes": list(verdict.notes),
        "gates": [
            {"gate": g.gate, "outcome": g.outcome.value, "reason": g.reason, "override": g.override}
            for g in verdict.gates
        ],
        "diff": None
        if diff is None
        else {
            "source": diff.source,
            "truncated": diff.truncated,
            "changed_files": diff.changed_files,
            "additions": diff.additions,
            "deletions": diff.deletions,
            "files": [
                {
                    "path": f.path,
                    "status": f.status,
                    "additions": f.additions,
                    "deletions": f.deletions,
                    "previous_path": f.previous_path,
                    "ignored_by": f.ignored_by,
                }
                for f in diff.files
            ],
        },
        "check_run": {"title": out.title, "summary": out.summary, "text": out.text},
    }
