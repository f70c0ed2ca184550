"""The command jobs: `/agentbudget …` comments and the check run's buttons. Read the PR and the commenter's
permission, let `app.commands` authorize and record, reply once, and evaluate again."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from arq import Retry

from app import commands as commands_io
from app import metrics
from app.evaluation import evaluate, evaluate_sha, numbers_for_sha
from app.gather import load_repo_config
from app.github import Installation, NotFound, RateLimited, TransientError
from app.publish import CheckRun
from app.services import services
from checks.binding import button_refusal, comment_refusal
from checks.commands import Actor, Command, parse_commands
from checks.pull import PullRequestFacts, pull_request_facts


async def handle_check_run(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    head_sha: str,
    check_run_id: int | None,
    sender: str,
    action: str,
    numbers: list[int],
    identifier: str = "",
) -> list[str]:
    """Re-run requested from the Checks tab, or an approval button: evaluate the sha again."""
    if action == "requested_action" and identifier.startswith("approve-"):
        gh = await services(ctx).github.installation(installation_id)
        if not numbers:
            numbers = await numbers_for_sha(ctx, installation_id, repo_id, owner, repo, head_sha)
        command = Command("approve", target=identifier.removeprefix("approve-"))

        async def binding(pull: PullRequestFacts) -> str:
            # A button approves the commit of the run it sits on, never a head pushed after it.
            return button_refusal(head_sha, pull.head_sha)

        for number in numbers:
            outcome, _ = await carry_out(
                ctx,
                gh,
                owner,
                repo,
                number,
                sender,
                (command,),
                f"check_run:{check_run_id}:{identifier}:{head_sha}",
                binding=binding,
            )
            if outcome is not None and outcome.refused:
                await gh.comment(owner, repo, number, f"@{sender} " + "\n\n".join(outcome.lines))
    return await evaluate_sha(
        ctx, installation_id, repo_id, owner, repo, head_sha, f"check_run.{action}", numbers
    )


async def handle_comment(
    ctx: dict[str, Any],
    *,
    installation_id: int,
    repo_id: int,
    owner: str,
    repo: str,
    number: int,
    comment_id: int,
    commenter: str,
    body: str,
    created_at: str = "",
) -> str:
    """`/agentbudget …` in a new PR comment: 👀 at once, then authorize, act, reply once, re-evaluate."""
    commands = parse_commands(body)
    if not commands:
        return "no command"
    used = services(ctx)
    gh = await used.github.installation(installation_id)
    try:
        await gh.react(owner, repo, comment_id, "eyes")

        async def binding(pull: PullRequestFacts) -> str:
            # A comment approves the head whose run was published before the comment was written.
            run = CheckRun(
                gh, used.redis, repo_id=repo_id, owner=owner, repo=repo, head_sha=pull.head_sha,
                name=used.settings.check_name,
            )  # fmt: skip
            return comment_refusal(pull.head_sha, await run.published_at(), created_at)

        outcome, pull = await carry_out(
            ctx, gh, owner, repo, number, commenter, commands, f"comment:{comment_id}", binding=binding
        )
        if outcome is None or pull is None:
            return "gone"
        status = ""
        if outcome.reevaluate:
            status = await evaluate(
                ctx,
                installation_id=installation_id,
                repo_id=repo_id,
                owner=owner,
                repo=repo,
                number=number,
                head_sha=pull.head_sha,
                trigger=outcome.trigger,
            )
        if outcome.wants_status:
            found = await gh.find_check_run(owner, repo, pull.head_sha, used.settings.check_name)
            title = ((found or {}).get("output") or {}).get("title") or "no check run yet"
            outcome.lines.append(
                f"Status of `{pull.head_sha[:7]}`: **{title}** ({status or 'not evaluated'})."
            )
        await gh.comment(owner, repo, number, "\n\n".join(outcome.lines))
        await gh.react(owner, repo, comment_id, "confused" if outcome.refused else "+1")
    except (TransientError, RateLimited) as exc:
        raise Retry(defer=getattr(exc, "retry_after", used.settings.job_retry_delay)) from exc
    return "refused" if outcome.refused else "done"


async def carry_out(
    ctx: dict[str, Any],
    gh: Installation,
    owner: str,
    repo: str,
    number: int,
    login: str,
    commands: tuple[Command, ...],
    request_id: str,
    *,
    binding: Callable[[PullRequestFacts], Awaitable[str]],
) -> tuple[commands_io.Outcome | None, PullRequestFacts | None]:
    """`binding`: why an approval may not land on the PR's current head ("" when it may)."""
    used = services(ctx)
    try:
        pull = pull_request_facts(await gh.get_pull(owner, repo, number))
    except NotFound:
        return None, None
    loaded = await load_repo_config(used, gh, f"{owner}/{repo}", pull.base_ref)
    needs_permission = any(c.verb not in ("help", "status", "unknown") for c in commands)
    permission = await gh.permission(owner, repo, login) if needs_permission else "none"
    actor = Actor(login, permission, is_bot=login.endswith("[bot]"))
    wants_approval = any(c.verb in ("approve", "skip") for c in commands)
    refusal = await binding(pull) if wants_approval else ""
    outcome = await commands_io.carry_out(
        commands,
        actor,
        ledger=used.ledger,
        config=loaded.config,
        pull=pull,
        owner=owner,
        repo=repo,
        request_id=request_id,
        binding_refusal=refusal,
    )
    for what in outcome.approved:
        with contextlib.suppress(Exception):
            await metrics.record_approval(used.redis, what)
    return outcome, pull
