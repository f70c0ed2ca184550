"""Budget scopes: which counters one review draws on, and how a refusal reads to a person."""

from __future__ import annotations

from dataclasses import dataclass

from checks.money import usd


@dataclass(frozen=True)
class Scope:
    name: str  # "pr" | "repo-month" | "org-month"
    key: str
    limit_tokens: int | None
    limit_micros: int | None


@dataclass(frozen=True)
class Limits:
    pr_tokens: int | None = None
    pr_micros: int | None = None
    repo_month_tokens: int | None = None
    repo_month_micros: int | None = None
    org_month_tokens: int | None = None
    org_month_micros: int | None = None


def pr_key(org: str, repo: str, pr: int) -> str:
    return f"pr:{org}/{repo}#{pr}"


def repo_month_key(org: str, repo: str, month: str) -> str:
    return f"repo-month:{org}/{repo}:{month}"


def org_month_key(org: str, month: str) -> str:
    return f"org-month:{org}:{month}"


def scopes_for(*, org: str, repo: str, pr: int, month: str, limits: Limits) -> tuple[Scope, ...]:
    """The month is part of the key, so monthly counters start from zero without any reset job."""
    return (
        Scope("pr", pr_key(org, repo, pr), limits.pr_tokens, limits.pr_micros),
        Scope(
            "repo-month", repo_month_key(org, repo, month), limits.repo_month_tokens, limits.repo_month_micros
        ),
        Scope("org-month", org_month_key(org, month), limits.org_month_tokens, limits.org_month_micros),
    )


dollars = usd  # the one formatter (checks/money.py), under the name this package's callers use
