"""The services every job uses, built once per worker at startup and typed: jobs take `ctx` first (arq's
convention) and read their services from it through `services()`."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from arq.connections import ArqRedis

from app.budget import Admission, open_ledger
from app.budget.events import Events
from app.budget.ledger import SqlLedger
from app.github import App, GitHubApp
from app.providers.base import DEFAULT_RETRY
from app.providers.factory import ProviderFactory, provider_factory
from app.settings import Settings
from config.cache import ConfigCache

_KEY = "services"


@dataclass(frozen=True)
class Services:
    settings: Settings
    redis: ArqRedis
    github: App  # GitHubApp; in tests, possibly an in-memory client
    ledger: SqlLedger
    admission: Admission
    events: Events
    providers: ProviderFactory
    config_cache: ConfigCache  # parsed `.agentbudget.yml` files by blob sha (content-addressed)


def services(ctx: Mapping[str, Any]) -> Services:
    found: Services = ctx[_KEY]
    return found


async def start(ctx: dict[str, Any], settings: Settings) -> Services:
    redis: ArqRedis = ctx["redis"]
    # Migrates the schema first, under the database's migration lock: N workers may start at once.
    ledger = await asyncio.to_thread(open_ledger, settings.database_url or None)
    retry = dataclasses.replace(DEFAULT_RETRY, timeout_s=settings.model_timeout_seconds)
    built = Services(
        settings=settings,
        redis=redis,
        github=GitHubApp(settings),
        ledger=ledger,
        admission=Admission(redis),
        events=Events(ledger),
        providers=provider_factory(settings.provider_env, retry=retry),
        config_cache=ConfigCache(),
    )
    ctx[_KEY] = built
    return built


async def stop(ctx: dict[str, Any]) -> None:
    built: Services | None = ctx.pop(_KEY, None)
    if built is not None:  # the ledger pool's connections, returned cleanly to PostgreSQL
        await asyncio.to_thread(built.ledger.close)
