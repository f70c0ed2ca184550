"""Slash-commands in PR comments: parsing and the authorization policy. Pure; the I/O is in app/.

A command counts only at the start of a line, outside fenced or indented code and outside quotes, so
quoting someone else's `/agentbudget approve` (or pasting it in a code block) never acts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks import escape as safe
from config.model import Config

PREFIX = "/agentbudget"
ESCALATIONS = ("size", "budget", "large-model", "exposure")
VERBS = ("approve", "review", "skip", "status", "help")
MAX_COMMANDS = 10
MAX_REASON = 300

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMAND = re.compile(r"^ {0,3}/agentbudget(?:[ \t]+(\S+))?(?:[ \t]+(.*))?$", re.IGNORECASE)
_WRITE_OR_MORE = ("write", "maintain", "admin")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)

HELP = "\n".join(
    [
        "**agentbudget commands** (at the start of a line in a PR comment):",
        "",
        "| command | what it does | who |",
        "| --- | --- | --- |",
        "| `/agentbudget approve size\\|budget\\|large-model\\|exposure\\|all [reason]`"
        " | approve an escalation | `approvals.permission` and up |",
        "| `/agentbudget review` | run the gated review now"
        " | write and up, or the author of a same-repo PR |",
        "| `/agentbudget skip [reason]` | mark the review skipped (evidence and exposure still apply)"
        " | write and up |",
        "| `/agentbudget status` | reply with the current decision | anyone |",
        "| `/agentbudget help` | this table | anyone |",
    ]
)


@dataclass(frozen=True)
class Command:
    verb: str  # one of VERBS, or "unknown"
    target: str = ""  # for approve: an escalation or "all"
    reason: str = ""
    line: int = 0
    problem: str = ""  # why the command is malformed (unknown verb, missing or unknown target)

    @property
    def escalations(self) -> tuple[str, ...]:
        if self.verb != "approve" or self.problem:
            return ()
        return ESCALATIONS if self.target == "all" else (self.target,)


def _clean(text: str) -> str:
    # Reasons are shown in the check run and the audit trail: one line, printable, bounded.
    words = ("".join(ch for ch in word if ch.isprintable()) for word in text.split())
    return " ".join(w for w in words if w)[:MAX_REASON]


def visible(body: str) -> str:
    """The comment as rendered: HTML comments (`<!-- … -->`, also one left open) blanked, line numbers
    kept. A command nobody can see must not act."""
    return _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), body)


def parse_commands(body: str) -> tuple[Command, ...]:
    """Every command in a comment's visible text, in order (at most MAX_COMMANDS)."""
    found: list[Command] = []
    fence: str | None = None
    for number, line in enumerate(visible(body[:65_536]).splitlines(), start=1):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        if line.startswith(("    ", "\t")) or line.lstrip().startswith(">"):
            continue
        match = _COMMAND.match(line.rstrip())
        if match is None:
            continue
        found.append(_command(match.group(1) or "", match.group(2) or "", number))
        if len(found) >= MAX_COMMANDS:
            break
    return tuple(found)


def _command(verb: str, rest: str, line: int) -> Command:
    verb = verb.lower()
    if verb not in VERBS:
        problem = (
            f"unknown command `{safe.mentions(safe.code(_clean(verb)[:40]))}`" if verb else "no command given"
        )
        return Command("unknown", line=line, problem=problem)
    if verb != "approve":
        return Command(verb, reason=_clean(rest), line=line)
    target, _, reason = rest.strip().partition(" ")
    target = target.lower()
    if not target:
        return Command(
            "approve", line=line, problem="say what to approve: " + ", ".join((*ESCALATIONS, "all"))
        )
    if target not in (*ESCALATIONS, "all"):
        return Command(
            "approve",
            target=_clean(target)[:40],
            line=line,
            problem=f"cannot approve `{safe.mentions(safe.code(_clean(target)[:40]))}`: choose "
            + ", ".join((*ESCALATIONS, "all")),
        )
    return Command("approve", target=target, reason=_clean(reason), line=line)


@dataclass(frozen=True)
class Actor:
    login: str
    permission: str  # GitHub role name: admin | maintain | write | triage | read | none
    is_bot: bool = False


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def authorize(command: Command, actor: Actor, config: Config, *, pr_author: str, from_fork: bool) -> Decision:
    """May `actor` run `command` on this PR? Deterministic: permissions and config only."""
    if actor.is_bot or actor.login.endswith("[bot]"):
        return Decision(False, "bots cannot run agentbudget commands")
    if command.verb in ("status", "help", "unknown"):
        return Decision(True, "anyone may ask")
    is_author = actor.login.casefold() == pr_author.casefold()
    if command.verb == "approve":
        if not config.permission_suffices(actor.permission):
            return Decision(
                False,
                f"approving needs `{config.approvals.permission}` permission on this repository; "
                f"@{actor.login} has `{actor.permission}`",
            )
        if is_author and not config.approvals.allow_self_approval:
            return Decision(
                False, "the PR's author cannot approve their own escalation (approvals.allow_self_approval)"
            )
        return Decision(True, f"@{actor.login} has `{actor.permission}`")
    if actor.permission in _WRITE_OR_MORE:
        return Decision(True, f"@{actor.login} has `{actor.permission}`")
    if command.verb == "review" and is_author and not from_fork:
        return Decision(True, "the PR's author may ask for the review")
    who = "the author of a fork PR" if is_author and from_fork else f"@{actor.login} (`{actor.permission}`)"
    return Decision(False, f"`/agentbudget {command.verb}` needs write permission; {who} may not")
