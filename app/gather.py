"""Gather: every GitHub and Redis read a decision about one PR head needs, into one typed value.

What `checks.evaluate.evaluate_pull` decides from is exactly what `Facts` holds; nothing is read while
deciding.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis

from app import approvals, keys
from app.exposure import exposure_report
from app.github import DiffTooLarge, FileTooLarge, Installation, NotFound
from app.services import Services
from checks.config_edit import ConfigEdit, first_problem
from checks.diff import DiffParseError, DiffSummary, parse_unified_diff, summary_from_file_list
from checks.exposure.gate import ExposureReport
from checks.gates import Outcome, parse_trigger, trigger_gate
from checks.observed import ObservedCheck, observed_checks
from checks.pull import PullRequestFacts
from checks.verdict import ApprovalView
from config.errors import ConfigError
from config.loader import CONFIG_PATHS, LoadedConfig, load_config
from config.source import MAX_BYTES as CONFIG_MAX_BYTES
from config.source import too_large

FILE_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Facts:
    """One PR head as GitHub and our own records show it, ready to decide on."""

    owner: str
    repo: str
    pull: PullRequestFacts
    diff: DiffSummary
    loaded: LoadedConfig
    config_edit: ConfigEdit | None = None  # the config file the PR edits, as its head holds it
    event: str = ""  # the trigger the review gates judge
    commits: tuple[tuple[str, str], ...] = ()  # (sha, message)
    observed: tuple[ObservedCheck, ...] = ()
    approvals: tuple[ApprovalView, ...] = ()
    exposure: ExposureReport | None = None


async def gather(
    services: Services,
    gh: Installation,
    owner: str,
    repo: str,
    pull: PullRequestFacts,
    listed: list[dict[str, Any]],
) -> Facts:
    """`listed`: the head's check runs, already read to find our own run; they also say what CI ran."""
    full_name, redis = f"{owner}/{repo}", services.redis
    loaded = await load_repo_config(services, gh, full_name, pull.base_ref)
    diff = await gather_diff(gh, owner, repo, pull.number)
    if loaded.problems:
        return Facts(owner, repo, pull, diff, loaded)
    statuses = await gh.list_statuses(owner, repo, pull.head_sha)
    return Facts(
        owner,
        repo,
        pull,
        diff,
        loaded,
        config_edit=await read_config_edit(redis, gh, full_name, diff, pull),
        event=await review_trigger(
            redis, keys.trigger(gh.installation_id, full_name, pull.head_sha), loaded, pull
        ),
        commits=tuple(await gh.list_commits(owner, repo, pull.number)),
        observed=observed_checks(listed, statuses, own_name=services.settings.check_name),
        approvals=await approvals.in_force(
            services.ledger, loaded.config, owner=owner, repo=repo, number=pull.number, head_sha=pull.head_sha
        ),
        exposure=await exposure_report(redis, gh, owner, repo, pull, diff, loaded.config.exposure),
    )


async def cached_fetch(redis: ArqRedis, gh: Installation, repo: str, path: str, ref: str | None) -> Any:
    """Fetch a config file's (text, blob sha), caching briefly so a burst of events reads config once.

    A file over the config size limit is refused from its metadata: neither downloaded nor cached, only its
    size is (raises ConfigError, which the loader turns into a problem naming the file)."""
    key = keys.file_cache(gh.installation_id, repo, ref, path)
    cached = await redis.get(key)
    if cached is not None:
        value = json.loads(cached)
        if isinstance(value, dict):
            raise too_large(path, int(value["too_large"]))
        return None if value is None else (value[0], value[1])
    owner, name = repo.split("/", 1)
    try:
        found = await gh.get_file(owner, name, path, ref, max_bytes=CONFIG_MAX_BYTES)
    except NotFound:
        found = None
    except FileTooLarge as exc:
        await redis.set(key, json.dumps({"too_large": exc.size}), ex=FILE_CACHE_SECONDS)
        raise too_large(path, exc.size) from None
    await redis.set(key, json.dumps(found), ex=FILE_CACHE_SECONDS)
    return found


async def load_repo_config(
    services: Services, gh: Installation, full_name: str, base_ref: str
) -> LoadedConfig:
    """Under the operator's ceilings, which no organization or repository file can exceed."""

    async def fetch(repo_name: str, path: str, ref: str | None) -> Any:
        return await cached_fetch(services.redis, gh, repo_name, path, ref)

    ceilings = services.settings.ceilings
    return await load_config(fetch, full_name, base_ref, cache=services.config_cache, ceilings=ceilings)


async def gather_diff(gh: Installation, owner: str, repo: str, number: int) -> DiffSummary:
    try:
        return parse_unified_diff(await gh.get_diff(owner, repo, number))
    except (DiffTooLarge, DiffParseError):
        files, truncated = await gh.list_files(owner, repo, number)
        return summary_from_file_list(files, truncated=truncated)


async def read_config_edit(
    redis: ArqRedis, gh: Installation, full_name: str, diff: DiffSummary, pull: PullRequestFacts
) -> ConfigEdit | None:
    """The config file the PR edits, read at its head (the decision tells the PR what the edit would do)."""
    edited = [f.path for f in diff.files if f.path in CONFIG_PATHS and f.status != "removed"]
    if not edited:
        return None
    try:
        head_file = await cached_fetch(redis, gh, full_name, edited[0], pull.head_sha)
    except ConfigError as exc:
        return ConfigEdit(edited[0], problem=first_problem(exc))
    return ConfigEdit(edited[0], None if head_file is None else head_file[0])


async def review_trigger(redis: ArqRedis, key: str, loaded: LoadedConfig, pull: PullRequestFacts) -> str:
    """The trigger the review gates judge. An edit, a label, a draft toggle or CI finishing re-evaluates the
    evidence of a sha whose review a push already started: that must not turn its decision into "skipped".
    `key`: where this installation keeps the sha's trigger."""
    if trigger_gate(loaded.config, pull, parse_trigger(pull.trigger)).outcome is Outcome.PASS:
        await redis.set(key, pull.trigger, ex=30 * 24 * 3600)
        return pull.trigger
    started = await redis.get(key)
    return started.decode() if started is not None else pull.trigger
