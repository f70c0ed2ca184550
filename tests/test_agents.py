"""Agent detection from every signal a real agent PR carries, each with a reduction written here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.agents import NO_SIGNAL, AgentSignal, detect_agent, wildcard
from checks.pull import PullRequestFacts
from config.loader import parse_config_text
from config.model import AgentDetection, Config

PULL = PullRequestFacts(
    number=1, title="t", body="", author="alice", author_is_bot=False, base_ref="main", base_sha="b" * 40,
    head_ref="f", head_sha="a" * 40, draft=False, labels=(), from_fork=False,
)  # fmt: skip
AGENTS = AgentDetection()


def detect(commits: tuple[tuple[str | None, str], ...] = (), **changes: Any) -> AgentSignal:
    return detect_agent(AGENTS, replace(PULL, **changes), commits)


@pytest.mark.parametrize(
    ("changes", "kind", "detail"),
    [
        ({"author": "Copilot"}, "login", "author `Copilot` (review.agents.authors `Copilot`)"),
        ({"author": "copilot-SWE-agent[bot]"}, "login", "author `copilot-SWE-agent[bot]`"),
        ({"author": "acme-coding-agent[bot]"}, "login", "(review.agents.authors `*-agent[bot]`)"),
        ({"labels": ("AI-Generated",)}, "label", "label `AI-Generated` (review.agents.labels)"),
        (
            {"body": "Adds X.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)"},
            "marker",
            "Claude Code",
        ),
        ({"body": "Fixes #3\n\nhttps://chatgpt.com/codex/tasks/task_e_68a1"}, "marker", "codex/tasks"),
        ({"body": "Adds X.\n\nhttps://claude.ai/code/session_01AB"}, "marker", "claude.ai/code/session"),
        (
            {"body": "Link to Devin run: https://app.devin.ai/sessions/0f3c"},
            "marker",
            "app.devin.ai/sessions",
        ),
        ({"body": "<!-- START COPILOT CODING AGENT TIPS -->\nTips"}, "marker", "COPILOT CODING AGENT"),
        ({"body": "Summary\n\nMade with [Cursor](https://cursor.com)"}, "marker", "Made with [Cursor]"),
        ({"body": "Adds X.\n\nhttps://ampcode.com/threads/T-0f3c"}, "marker", "ampcode.com/threads"),
        (
            {"body": "Adds X.\n\n🤖 Generated with [opencode](https://opencode.ai)"},
            "marker",
            "Generated with [",
        ),
        ({"labels": ("codex",)}, "label", "label `codex`"),
        ({"author": "factory-droid[bot]"}, "login", "author `factory-droid[bot]`"),
        ({"body": "Adds X.\n\nMade-with: Cursor"}, "marker", "Made-with: Cursor"),
        ({"body": "Fixes the flake.\n\n💘 Generated with Crush"}, "marker", "Generated with Crush"),
        ({"body": "> This PR was created by Copilot in VS Code."}, "marker", "created by Copilot"),
    ],
)
def test_each_signal_is_found_and_named(changes: dict[str, Any], kind: str, detail: str) -> None:
    signal = detect(**changes)
    assert signal.authored and signal.kind == kind and detail in signal.detail
    assert signal.reason.startswith("agent-authored: ")


@pytest.mark.parametrize(
    "trailer",
    [
        "Co-Authored-By: Claude <noreply@anthropic.com>",
        "Co-authored-by:   Copilot   <198982749+Copilot@users.noreply.github.com>",
        "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
        "Co-authored-by: aider (anthropic/claude-sonnet-4-5) <aider@aider.chat>",
        "Co-authored-by: google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
        "Agent-Tokens: input=1200 output=300",
        "Co-authored-by: Amp <amp@ampcode.com>",
        "Amp-Thread-ID: https://ampcode.com/threads/T-0f3c",
        "Assisted-by: Claude Sonnet 4.5",
        "Co-authored-by: Crush <crush@charm.land>",
    ],
)
def test_commit_trailers_name_the_commit(trailer: str) -> None:
    signal = detect((("0123456789abcdef", f"Fix paging\n\nLonger text.\n\n{trailer}"),))
    assert signal.kind == "trailer" and signal.detail.endswith("on `0123456`")


@pytest.mark.parametrize(
    ("commits", "changes"),
    [
        ((), {}),
        ((("s", "Fix\n\nCo-authored-by: Bob <bob@example.com>"),), {}),
        ((), {"author": "dependabot[bot]", "author_is_bot": True}),
        # A trailer-shaped line inside the body of a message, not its trailer block, is not a trailer.
        ((("s", "Fix\n\nCo-authored-by: Claude <noreply@anthropic.com>\n\nMore text after it."),), {}),
        # Mentioning a tool is not a marker.
        ((), {"body": "I compared this with what Claude Code and Cursor suggest; wrote it by hand."}),
        (
            (),
            {"body": "Whether the Copilot coding agent summarizes is hit or miss; these instructions help."},
        ),
    ],
)
def test_a_human_pr_has_no_agent_signal(
    commits: tuple[tuple[str, str], ...], changes: dict[str, Any]
) -> None:
    assert detect(commits, **changes) == NO_SIGNAL
    assert NO_SIGNAL.reason == "no agent signal"


def test_every_signal_is_configurable() -> None:
    custom = parse_config_text(
        "review: {agents: {authors: ['*-agent'], labels: [], trailers: [], markers: ['*made by robots*']}}",
        ".agentbudget.yml",
    ).review.agents
    assert detect_agent(custom, replace(PULL, author="acme-agent")).kind == "login"
    assert detect_agent(custom, replace(PULL, body="This was MADE BY ROBOTS.")).kind == "marker"
    assert not detect_agent(custom, replace(PULL, author="Copilot", labels=("ai-generated",))).authored
    assert Config().review.agents == AGENTS


@pytest.mark.parametrize(
    ("pattern", "text", "whole", "expected"),
    [
        ("a*c", "abc", True, True),
        ("a*c", "abcd", True, False),
        ("*b*", "abc", True, True),
        ("a*a", "a", True, False),
        ("*x*", "abc", False, False),
        ("*B*", "abc", False, True),
        ("dependabot[bot]", "Dependabot[bot]", True, True),
        ("**a**a**a**a**a**a**b", "a" * 3000, True, False),
    ],
)
def test_wildcard(pattern: str, text: str, whole: bool, expected: bool) -> None:
    assert wildcard(pattern, text, whole=whole) is expected


@given(st.text(alphabet="ab*", max_size=8), st.text(alphabet="ab", max_size=12))
def test_wildcard_agrees_with_fnmatch_semantics(pattern: str, text: str) -> None:
    import re

    regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)
    assert wildcard(pattern, text, whole=True) is (regex.fullmatch(text) is not None)
    assert wildcard(pattern, text, whole=False) is (regex.search(text) is not None)
