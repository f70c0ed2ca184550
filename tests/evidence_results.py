"""What evidence tests assert on: a body made of a one-line summary and the text under test."""

from __future__ import annotations

from checks.evidence import Evidence, parse_evidence

SUMMARY = "## Summary\nRoute gateway calls through the binding.\n\n"


def with_summary(text: str) -> Evidence:
    """The evidence of `text` under a summary, so that only what `text` says is in question."""
    return parse_evidence(SUMMARY + text + "\n")


def results(text: str) -> list[str]:
    """The test results `text` claims, sorted."""
    return sorted(t.result for t in with_summary(text).tests)
