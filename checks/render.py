"""Render a verdict as the check run GitHub shows: title, summary, text — within GitHub's limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checks import escape as safe
from checks.diff import DiffSummary
from checks.escape import cell
from checks.evidence import SECTION_KEYS, Evidence, TokenReport
from checks.exposure import ExposureDelta, Finding
from checks.exposure.gate import ExposureReport, growing
from checks.gates import Outcome
from checks.money import usd
from checks.observed import ObservedCheck
from checks.phrases import counted
from checks.plaintext import markdown_to_text
from checks.review_report import tokens_lines
from checks.verdict import Verdict

SUMMARY_LIMIT = 65_535
TEXT_LIMIT = 65_535
TITLE_LIMIT = 255
MAX_FILE_ROWS = 300
MAX_EXPOSURE_ROWS = 100
MAX_ANNOTATIONS = 500
# `agentbudget check --format json`: bumped on any change that removes or renames a key (docs/json.md).
JSON_SCHEMA_VERSION = 1

_ICON = {
    Outcome.PASS: "✅ pass",
    Outcome.SKIP: "⏭️ skip",
    Outcome.NEEDS_APPROVAL: "⏸️ needs approval",
    Outcome.FAIL: "❌ fail",
    Outcome.ERROR: "⚠️ error",
    Outcome.NOT_OBSERVED: "➖ not observed",
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
        why = cell(gate.reason) + (f" ({cell(gate.note)})" if gate.note else "")
        if gate.override and gate.outcome in (Outcome.SKIP, Outcome.NEEDS_APPROVAL):
            why += f" — override: `{gate.override}`"
        lines.append(f"| {cell(gate.gate)} | {_ICON[gate.outcome]} | {why} |")
    return lines


def _what_changed(diff: DiffSummary) -> list[str]:
    source = "" if diff.source == "diff" else " (from GitHub's file list: the diff was too large to fetch)"
    lines = [
        "### What changed",
        "",
        f"{counted(diff.changed_files, 'file')}, +{diff.additions:,} −{diff.deletions:,}{source}."
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


SECTION_QUOTE_LIMIT = 1500
_CLAIM_ICON = {"passed": "✅ passed", "failed": "❌ failed", "not_run": "⏭️ not run", "unknown": "❔ unknown"}
_OBSERVED_ICON = {"passed": "✅ passed", "failed": "❌ failed", "pending": "⏳ pending"}


def quote(text: str, limit: int = SECTION_QUOTE_LIMIT) -> list[str]:
    """PR text, shown as a quote so it cannot pose as our own headings; trimmed with a note."""
    body = (
        text
        if len(text) <= limit
        else text[:limit].rsplit("\n", 1)[0] + f"\n… ({len(text) - limit:,}+ characters cut)"
    )
    return ["> " + safe.html(line) for line in body.splitlines()] or ["> (empty)"]


def _tokens(report: TokenReport | None) -> list[str]:
    lines = ["### Tokens", ""]
    if report is None:
        return [
            *lines,
            "Authoring agent: not reported (add an `agentbudget` block or `Agent-Tokens:` trailers).",
        ]

    def n(value: int | None) -> str:
        return "—" if value is None else f"{value:,}"

    who = " · ".join(cell(x) for x in (report.agent, report.model) if x) or "agent"
    cost = "" if report.cost_usd_micros is None else f", {usd(report.cost_usd_micros)}"
    return [
        *lines,
        f"Authoring ({who}, from the {report.source}): input {n(report.input_tokens)} · cached "
        f"{n(report.cached_input_tokens)} · output {n(report.output_tokens)}{cost}.",
    ]


def _evidence_section(title: str, key: str, evidence: Evidence) -> list[str]:
    section = evidence.sections.get(key)
    if section is not None:
        return [f"### {title}", "", *quote(section.text)]
    state = "section is empty" if key in evidence.empty else "not stated"
    return [f"### {title}", "", f"_{state}._"]


def _tests_run(evidence: Evidence, observed: tuple[ObservedCheck, ...]) -> list[str]:
    lines = ["### Tests run", ""]
    if evidence.tests:
        lines += ["| claimed | result |", "| --- | --- |"]
        for claim in evidence.tests[:30]:
            what = f"`{cell(claim.command)}`" if claim.command else cell(claim.text[:120])
            lines.append(f"| {what} | {_CLAIM_ICON.get(claim.result, claim.result)} |")
    else:
        lines.append("_No test run claimed in the PR._")
    lines.append("")
    if observed:
        lines += ["| observed in CI | result |", "| --- | --- |"]
        for check in observed[:30]:
            lines.append(f"| {cell(check.name)} | {_OBSERVED_ICON.get(check.state, check.state)} |")
    else:
        lines.append("_No CI result observed on this commit yet._")
    return lines


_CHANGE_ICON = {
    "added": "➕ added",
    "widened": "🔓 widened",
    "removed": "➖ removed",
    "narrowed": "🔒 narrowed",
}
_CHANGE_ORDER = {"widened": 0, "added": 1, "narrowed": 2, "removed": 3}


def _endpoint(f: Finding) -> str:
    ep = f.endpoint
    return f"`{cell(ep.method + ' ' + ep.path if ep.method else ep.path)}`" + (
        f" ({cell(ep.kind)})" if ep.kind != "http" else ""
    )


def _exposure(report: ExposureReport) -> list[str]:
    delta = report.delta
    if delta is None:
        return []
    lines = ["### Internal API exposure", ""]
    findings = sorted(
        delta.findings, key=lambda f: (not f.internal, _CHANGE_ORDER.get(f.change, 9), f.endpoint.path)
    )
    if not findings:
        compared = counted(report.files_compared, "file")
        lines.append(f"Same endpoints before and after in the {compared} compared.")
    else:
        grown = len(growing(delta))
        lines += [
            f"{counted(len(findings), 'endpoint change')} in "
            f"{counted(report.files_compared, 'file')} compared; "
            f"{grown} grow internal exposure.",
            "",
            "| change | endpoint | where | auth | why |",
            "| --- | --- | --- | --- | --- |",
        ]
        for f in findings[:MAX_EXPOSURE_ROWS]:
            ep = f.endpoint
            auth = cell(ep.auth) if f.before is None else f"{cell(f.before.auth)} → {cell(ep.auth)}"
            why = "; ".join(cell(w) for w in f.why) or "—"
            lines.append(
                f"| {_CHANGE_ICON.get(f.change, f.change)} | {_endpoint(f)} | `{cell(ep.file)}:{ep.line}` "
                f"| {auth} | {why} |"
            )
        if len(findings) > MAX_EXPOSURE_ROWS:
            lines.append(f"\n_{len(findings) - MAX_EXPOSURE_ROWS:,} more changes not listed._")
    if report.notes:
        lines += ["", *(f"- {cell(note)}" for note in report.notes[:20])]
    return lines


def _annotations(verdict: Verdict) -> tuple[dict[str, Any], ...]:
    report = verdict.exposure
    if report is None or report.delta is None:
        return ()
    blocked = any(g.gate == "exposure" and g.outcome is Outcome.FAIL for g in verdict.gates)
    grown = set(growing(report.delta))
    out: list[dict[str, Any]] = []
    for f in report.delta.findings:
        if f.change == "removed":
            continue  # its line is on the base side; the table lists it
        ep = f.endpoint
        level = "notice"
        title = f"Endpoint {f.change}"
        if f in grown:
            level = "failure" if blocked else "warning"
            title = f"Internal endpoint {f.change}"
        what = f"{ep.method} {ep.path}" if ep.method else ep.path
        message = f"{what} ({ep.kind}, {ep.auth})"
        if f.why:
            message += "\n" + "\n".join(f.why)
        out.append(
            {
                "path": ep.file,
                "start_line": max(1, ep.line),
                "end_line": max(1, ep.line),
                "annotation_level": level,
                "title": title[:255],
                "message": message[:4000],
            }
        )
    out.sort(key=lambda a: {"failure": 0, "warning": 1, "notice": 2}[a["annotation_level"]])
    return tuple(out[:MAX_ANNOTATIONS])


def render(verdict: Verdict) -> CheckRunOutput:
    summary = _decision(verdict)
    text: list[str] = []
    evidence = verdict.evidence
    if verdict.missing_template:
        summary += [
            "",
            "### Add the missing evidence",
            "",
            "Paste this into the PR description and fill it in:",
            "",
            "````markdown",
            verdict.missing_template.rstrip(),
            "````",
        ]
    if evidence is not None:
        summary += ["", *_tokens(evidence.tokens)]
        if verdict.review is not None:
            summary += tokens_lines(verdict.review)
        elif verdict.review_note:
            summary += [f"- **Review**: not run — {cell(verdict.review_note)}"]
    if verdict.diff is not None:
        summary += [""] + _what_changed(verdict.diff)
        if verdict.diff.files:
            text += _file_table(verdict.diff)
    if evidence is not None:
        summary += ["", *quote_or_none(evidence, "what_changed", "In the author's words")]
        summary += ["", *_evidence_section("Deliberately not changed", "not_changed", evidence)]
        summary += ["", *_tests_run(evidence, verdict.observed)]
        summary += ["", *_evidence_section("Uncertainty", "uncertainty", evidence)]
    # Decision · Tokens · What changed · Not changed · Tests run · Uncertainty · Exposure · Approvals
    if verdict.exposure is not None and verdict.exposure.delta is not None:
        summary += ["", *_exposure(verdict.exposure)]
    if evidence is not None:
        if verdict.approvals:
            summary += ["", *_approvals(verdict)]
        if evidence.empty or evidence.notes:
            summary += ["", "<details><summary>Notes on the PR body</summary>", ""]
            summary += [f"- {cell(note)}" for note in evidence.notes[:20]]
            summary += ["", "</details>"]

    title = verdict.title if len(verdict.title) <= TITLE_LIMIT else verdict.title[: TITLE_LIMIT - 1] + "…"
    return CheckRunOutput(
        title=title,
        summary=fit("\n".join(summary) + "\n", SUMMARY_LIMIT, "the summary"),
        text=fit("\n".join(text) + "\n", TEXT_LIMIT, "the details") if text else "",
        annotations=_annotations(verdict),
    )


_ACTION_TEXT = {
    "size": ("Approve size", "Review this oversize diff"),
    "budget": ("Approve budget", "Spend past the budget, up to the cap"),
    "large-model": ("Approve large model", "Review with the large model"),
    "exposure": ("Accept exposure", "Accept the new internal endpoints"),
}


def actions(verdict: Verdict) -> list[dict[str, str]]:
    """Buttons for the escalations pending on this run (GitHub allows 3; labels ≤ 20, descriptions ≤ 40)."""
    out = []
    for what in verdict.pending_escalations[:3]:
        label, description = _ACTION_TEXT.get(what, (f"Approve {what}", f"Approve {what}"))
        out.append(
            {"label": label[:20], "description": description[:40], "identifier": f"approve-{what}"[:20]}
        )
    return out


def _approvals(verdict: Verdict) -> list[str]:
    lines = [
        "### Approvals",
        "",
        "| who | permission | what | reason | commit | when |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for a in verdict.approvals[-20:]:
        lines.append(
            f"| @{cell(a.approver)} | {cell(a.permission)} | {cell(a.what)} | {cell(a.reason) or '—'} "
            f"| `{cell(a.head_sha[:7])}` | {cell(a.at[:16].replace('T', ' '))} UTC |"
        )
    return lines


def quote_or_none(evidence: Evidence, key: str, title: str) -> list[str]:
    section = evidence.sections.get(key)
    return [f"#### {title}", "", *quote(section.text)] if section is not None else []


def render_plain(verdict: Verdict) -> str:
    """What `agentbudget check --format text` prints: the same page, for a terminal."""
    out = render(verdict)
    page = markdown_to_text(out.summary + (f"\n\n{out.text}" if out.text else ""))
    return f"{verdict.conclusion.upper()}: {out.title}\n\n{page}"


def verdict_as_dict(verdict: Verdict) -> dict[str, Any]:
    """The verdict as `--format json` prints it: the same data the check run is rendered from."""
    out = render(verdict)
    diff = verdict.diff
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "conclusion": verdict.conclusion,
        "blocking": verdict.blocking,
        "title": out.title,
        "notes": list(verdict.notes),
        "gates": [
            {
                "gate": g.gate,
                "outcome": g.outcome.value,
                "reason": g.reason,
                "note": g.note or None,
                "override": g.override,
            }
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
        "evidence": _evidence_dict(verdict),
        "exposure": None if verdict.exposure is None else _exposure_dict(verdict.exposure),
        "check_run": {"title": out.title, "summary": out.summary, "text": out.text},
    }


def _evidence_dict(verdict: Verdict) -> dict[str, Any] | None:
    evidence = verdict.evidence
    if evidence is None:
        return None
    tokens = evidence.tokens
    return {
        "agent": {
            "authored": verdict.agent.authored,
            "signal": verdict.agent.kind,
            "detail": verdict.agent.detail or None,
        },
        "sections": {key: evidence.has(key) for key in SECTION_KEYS},
        "tests": [{"command": claim.command, "result": claim.result} for claim in evidence.tests],
        "tokens": None
        if tokens is None
        else {
            "source": tokens.source,
            "agent": tokens.agent,
            "model": tokens.model,
            "input_tokens": tokens.input_tokens,
            "cached_input_tokens": tokens.cached_input_tokens,
            "cache_write_tokens": tokens.cache_write_tokens,
            "output_tokens": tokens.output_tokens,
            "cost_usd_micros": tokens.cost_usd_micros,
        },
    }


def findings_as_dicts(delta: ExposureDelta | None) -> list[dict[str, Any]]:
    """Each endpoint change as data (the check run's JSON and `agentbudget exposure --format json`)."""
    return [
        {
            "change": f.change,
            "internal": f.internal,
            "why": list(f.why),
            "kind": f.endpoint.kind,
            "method": f.endpoint.method,
            "path": f.endpoint.path,
            "file": f.endpoint.file,
            "line": f.endpoint.line,
            "auth": f.endpoint.auth,
            "auth_before": None if f.before is None else f.before.auth,
        }
        for f in (delta.findings if delta else ())
    ]


def _exposure_dict(report: ExposureReport) -> dict[str, Any]:
    delta = report.delta
    return {
        "files_compared": report.files_compared,
        "grows": bool(delta and delta.grows),
        "notes": list(report.notes),
        "findings": findings_as_dicts(delta),
    }
