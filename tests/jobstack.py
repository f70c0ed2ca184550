"""The worker's jobs without HTTP or a queue: the in-memory GitHub (`tests/fakeclient.py`), real Redis and a
real ledger, and deliveries routed the way the webhook server routes them, then run as the worker runs them.
For job tests where neither the webhook's HTTP nor GitHub's adds anything; `tests/stack.py` has both."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from arq.connections import ArqRedis

from app.budget import Admission, open_ledger
from app.budget.events import Events
from app.providers.base import DEFAULT_RETRY
from app.providers.factory import provider_factory
from app.routing import Route, route
from app.services import Services
from app.settings import Settings
from app.worker import JOBS
from config.cache import ConfigCache
from tests.conftest import SECRET
from tests.fakeclient import FakeClient
from tests.stack import INSTALLATION, NUMBER, ORG_DEFAULTS, OWNER, REPO, SHA_1, SMALL_DIFF


@dataclass
class Jobs:
    github: FakeClient
    services: Services
    ctx: dict[str, Any]

    async def deliver(self, event: str, payload: bytes | dict[str, Any]) -> Route:
        """Route one delivery as the webhook server does and run its jobs as a worker would."""
        data = json.loads(payload) if isinstance(payload, bytes) else payload
        routed = route(event, data, str(uuid.uuid4()), check_name=self.services.settings.check_name)
        for job in routed.jobs:
            await JOBS[job.function](self.ctx, **job.kwargs)
        return routed


@pytest.fixture
async def jobs(redis_url: str, database_url: str) -> AsyncIterator[Jobs]:
    github = FakeClient()
    github.add_repo(OWNER, REPO, installation_id=INSTALLATION)
    github.add_repo(OWNER, ".github", installation_id=INSTALLATION)
    github.set_file(OWNER, ".github", "main", ".agentbudget.yml", ORG_DEFAULTS)
    github.add_pull_request(
        OWNER, REPO, NUMBER, head_sha=SHA_1, diff=SMALL_DIFF, body="## Summary\nA change."
    )
    settings = Settings(
        database_url=database_url,
        webhook_secret=SECRET,
        app_id=str(github.app_id),
        redis_url=redis_url,
        job_retry_delay=0.05,
    )
    redis = ArqRedis.from_url(redis_url)
    ledger = await asyncio.to_thread(open_ledger, database_url)
    services = Services(
        settings=settings,
        redis=redis,
        github=github,
        ledger=ledger,
        admission=Admission(redis),
        events=Events(ledger),
        providers=provider_factory(settings.provider_env, retry=DEFAULT_RETRY),
        config_cache=ConfigCache(),
    )
    try:
        yield Jobs(github, services, {"services": services, "redis": redis})
    finally:
        await asyncio.to_thread(ledger.close)
        await redis.aclose()
