from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.commands import ESCALATIONS, Actor, Command, authorize, parse_commands
from config.model import Config


def verbs(body: str) -> list[tuple[str, str]]:
    return [(c.verb, c.target) for c in parse_commands(body)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/agentbudget approve size", [("approve", "size")]),
        ("/AgentBudget APPROVE Budget because the release needs it", [("approve", "budget")]),
        ("LGTM\n/agentbudget review", [("review", "")]),
        ("   /agentbudget status", [("status", "")]),
        ("please run /agentbudget review", []),
        ("> /agentbudget approve all", []),
        (">> quoted\n> /agentbudget approve all", []),
        ("```\n/agentbudget approve all\n```", []),
        ("~~~md\n/agentbudget approve all\n~~~\n/agentbudget help", [("help", "")]),
        ("````\n```\n/agentbudget approve all\n```\n````", []),
        ("    /agentbudget approve all", []),
        ("/agentbudgetapprove size", []),
        ("/agentbudget approve all\n/agentbudget review", [("approve", "all"), ("review", "")]),
        ("/agentbudget frobnicate", [("unknown", "")]),
        ("/agentbudget", [("unknown", "")]),
    ],
)
def test_parse(body: str, expected: list[tuple[str, str]]) -> None:
    assert verbs(body) == expected


def test_approve_problems_and_reasons() -> None:
    (bad,) = parse_commands("/agentbudget approve everything")
    assert bad.problem.startswith("cannot approve") and bad.escalations == ()
    (empty,) = parse_commands("/agentbudget approve")
    assert "say what to approve" in empty.problem
    (good,) = parse_commands("/agentbudget approve all  big\tmigration \x1b[31m")
    assert good.escalations == ESCALATIONS and good.reason == "big migration [31m"
    (skip,) = parse_commands("/agentbudget skip docs only")
    assert skip.reason == "docs only"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_parser_never_raises_and_is_bounded(body: str) -> None:
    commands = parse_commands(body)
    assert len(commands) <= 10
    assert all(c.verb in ("approve", "review", "skip", "status", "help", "unknown") for c in commands)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_anything_inside_a_fence_never_acts(inner: str) -> None:
    safe = inner.replace("`", "").replace("~", "")
    assert parse_commands("```\n" + safe + "\n/agentbudget approve all\n```") == ()


PERMISSIONS = ("admin", "maintain", "write", "triage", "read", "none")


@pytest.mark.parametrize("permission", PERMISSIONS)
@pytest.mark.parametrize("who", ["maintainer", "author", "bot", "fork-author"])
@pytest.mark.parametrize("verb", ["approve", "review", "skip", "status", "help"])
def test_authorization_matrix(permission: str, who: str, verb: str) -> None:
    command = Command(verb, target="size" if verb == "approve" else "")
    login = {"maintainer": "mia", "author": "alice", "bot": "helper[bot]", "fork-author": "alice"}[who]
    actor = Actor(login, permission, is_bot=who == "bot")
    decision = authorize(command, actor, Config(), pr_author="alice", from_fork=who == "fork-author")
    if who == "bot":
        expected = False
    elif verb in ("status", "help"):
        expected = True
    elif verb == "approve":
        expected = permission in ("admin", "maintain") and who == "maintainer"
    elif verb == "review":
        expected = permission in ("admin", "maintain", "write") or who == "author"
    else:
        expected = permission in ("admin", "maintain", "write")
    assert decision.allowed is expected, decision.reason
    assert decision.reason


def test_self_approval_when_config_allows_and_lower_bar() -> None:
    config = Config.model_validate({"approvals": {"permission": "write", "allow_self_approval": True}})
    decision = authorize(
        Command("approve", "size"), Actor("alice", "write"), config, pr_author="alice", from_fork=False
    )
    assert decision.allowed
    refused = authorize(
        Command("approve", "size"), Actor("bob", "triage"), config, pr_author="alice", from_fork=False
    )
    assert not refused.allowed and "needs `write`" in refused.reason
