"""Budget overrun alerts: crossing a share of a scope's budget posts once to a Slack-compatible webhook.

After each settle the worker calls ``check_thresholds`` with the scopes the review drew on. For every
scope with a limit and every threshold its spend has reached (``checks.thresholds``: ``budget.warn_at``
and 1.0, the rule the check run's warnings use too), one Redis ``SET NX`` claims
``ab:alert:<scope key>:<threshold>``; only the caller that wins the claim posts, so any number of workers
settling at once send one message per scope, threshold and period (the month is part of a monthly scope's
key; a pull request's scope lasts as long as the pull request). When the post fails the claim is dropped,
so the next settle tries again. The returned notes belong in the check run of the pull request whose
review crossed the line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import httpx
from redis.asyncio import Redis

from app import keys, metrics
from app.budget.admission import Admission
from app.budget.scopes import Scope, dollars
from checks import thresholds

log = logging.getLogger("agentbudget.alerts")

PREFIX = keys.ALERT_PREFIX
CLAIM_TTL_SECONDS = 70 * 24 * 3600  # past the end of any month scope's month
NOTIFY = ("repo-month", "org-month")  # a single PR's budget shows in its check run, not in the channel
WHO = {
    "pr": "this pull request's review budget",
    "repo-month": "the repository's monthly review budget",
    "org-month": "the organization's monthly review budget",
}


@dataclass(frozen=True)
class Crossing:
    scope: Scope
    threshold: float
    share: float
    used_tokens: int
    used_micros: int

    @property
    def subject(self) -> str:
        # pr:org/repo#7   repo-month:org/repo:2026-11   org-month:org:2026-11
        kind, _, rest = self.scope.key.partition(":")
        if kind == "pr":
            return rest
        name, _, month = rest.rpartition(":")
        return f"{name} ({month})"

    @property
    def amount(self) -> str:
        if self.scope.limit_micros is not None:
            return f"{dollars(self.used_micros)} of {dollars(self.scope.limit_micros)}"
        return f"{self.used_tokens:,} of {self.scope.limit_tokens or 0:,} tokens"

    @property
    def note(self) -> str:
        level = "exhausted" if thresholds.exhausted(self.threshold) else f"past {self.threshold:.0%}"
        used = f"{self.share:.0%} of {WHO[self.scope.name]} used"
        return f"Budget {level}: {self.subject} — {used} ({self.amount})."


def share(scope: Scope, tokens: int, micros: int) -> float | None:
    shares = []
    if scope.limit_micros:
        shares.append(micros / scope.limit_micros)
    if scope.limit_tokens:
        shares.append(tokens / scope.limit_tokens)
    return max(shares) if shares else None


def _threshold_text(threshold: float) -> str:
    return f"{threshold:g}"


async def _post(client: httpx.AsyncClient, url: str, text: str) -> bool:
    try:
        response = await client.post(url, json={"text": text}, timeout=10)
    except httpx.HTTPError as exc:
        log.warning("budget alert not delivered: %s", type(exc).__name__)
        return False
    if response.status_code >= 300:
        log.warning("budget alert not delivered: HTTP %s", response.status_code)
        return False
    return True


async def check_thresholds(
    redis: Redis,
    scopes: Sequence[Scope],
    *,
    warn_at: Iterable[float],
    month: str,
    webhook_url: str = "",
    client: httpx.AsyncClient | None = None,
    notify: Sequence[str] = NOTIFY,
) -> list[str]:
    """Call after every settle; returns a note per threshold this call was first to cross (often none).

    ``scopes`` are the ones the reservation drew on (``scopes_for(...)``); ``warn_at`` is the repository's
    ``budget.warn_at``; ``webhook_url`` is ``settings.alert_webhook_url`` (empty: notes only, no post)."""
    await metrics.note_budgets(redis, scopes, month)
    admission = Admission(redis)
    crossings: list[Crossing] = []
    for scope in scopes:
        used_tokens, used_micros = await admission.usage(scope)
        used = share(scope, used_tokens, used_micros)
        reached = thresholds.crossed_any(
            warn_at, ((used_micros, scope.limit_micros), (used_tokens, scope.limit_tokens))
        )
        for threshold in reached:
            key = f"{PREFIX}{scope.key}:{_threshold_text(threshold)}"
            if await redis.set(key, "1", nx=True, ex=CLAIM_TTL_SECONDS):
                crossings.append(Crossing(scope, threshold, used or 0.0, used_tokens, used_micros))
    if not crossings:
        return []
    own = client is None
    http = client or httpx.AsyncClient()
    try:
        for crossing in crossings:
            if not webhook_url or crossing.scope.name not in notify:
                continue
            if await _post(http, webhook_url, crossing.note):
                await metrics.record(
                    redis,
                    "agentbudget_budget_alerts_total",
                    {"scope": crossing.scope.name, "threshold": _threshold_text(crossing.threshold)},
                )
            else:
                await redis.delete(f"{PREFIX}{crossing.scope.key}:{_threshold_text(crossing.threshold)}")
    finally:
        if own:
            await http.aclose()
    return [c.note for c in crossings]
