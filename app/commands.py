"""Carry out slash-commands and check-run buttons: authorize each, record approvals, say what happened.

Parsing and the permission policy are pure (`checks/commands.py`); this module does the I/O around
them. The caller re-evaluates the PR afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app import approvals
from app.budget import Ledger
from checks.commands import HELP, Actor, Command, authorize
from checks.pull import PullRequestFacts
from config.model import Config


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)
    refused: bool = False
    reevaluate: bool = False
    trigger: str = "comment:approve"
    wants_status: bool = False
    approved: list[str] = field(default_factory=list)  # approvals newly written (not a retried delivery's)


async def carry_out(
    commands: tuple[Command, ...],
    actor: Actor,
    *,
    ledger: Ledger,
    config: Config,
    pull: PullRequestFacts,
    owner: str,
    repo: str,
    request_id: str,
    binding_refusal: str = "",
) -> Outcome:
    """Authorize and apply each command in order; every refusal says why. `binding_refusal`, when set,
    is why an approval may not land on the PR's head (checks/binding.py): approve and skip are refused."""
    result = Outcome()
    for index, command in enumerate(commands):
        shown = f"`/agentbudget {command.verb if command.verb != 'unknown' else ''}`".replace(" `", "`")
        decision = authorize(command, actor, config, pr_author=pull.author, from_fork=pull.from_fork)
        if not decision.allowed:
            result.lines.append(f"❌ {shown}: {decision.reason}.")
            result.refused = True
            continue
        if binding_refusal and command.verb in ("approve", "skip"):
            result.lines.append(f"❌ {shown}: {binding_refusal}.")
            result.refused = True
            continue
        if command.problem:
            result.lines.append(f"❔ {command.problem}.\n\n{HELP}")
            result.refused = True
            continue
        if command.verb == "help":
            result.lines.append(HELP)
        elif command.verb == "status":
            result.wants_status = True
            result.reevaluate = True
        elif command.verb == "review":
            result.trigger = "comment:review"
            result.reevaluate = True
            result.lines.append(f"✅ review requested by @{actor.login}.")
        else:  # approve / skip: recorded durably, then re-evaluated
            what = command.escalations if command.verb == "approve" else ("skip",)
            for item in what:
                recorded = await approvals.record(
                    ledger,
                    request_id=f"{request_id}:{index}:{item}",
                    owner=owner,
                    repo=repo,
                    number=pull.number,
                    head_sha=pull.head_sha,
                    approver=actor.login,
                    permission=actor.permission,
                    what=item,
                    reason=command.reason,
                )
                if recorded:
                    result.approved.append(item)
            bound = " for this commit" if config.approvals.bound_to_sha else ""
            verb = "approved" if command.verb == "approve" else "review skipped"
            result.lines.append(
                f"✅ {verb}{': ' + ', '.join(what) if command.verb == 'approve' else ''}{bound} "
                f"by @{actor.login} (`{actor.permission}`)."
            )
            result.reevaluate = True
    return result
