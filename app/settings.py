"""Settings from a mapping (the environment in production, a dict in tests). Never read at import time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from config.limits import Ceilings


class SettingsError(ValueError):
    """A required setting is missing or malformed; the message names it."""


PROVIDER_ENV_PREFIXES = ("ANTHROPIC_", "OPENAI_")


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{key} must be an integer, got {raw!r}") from None


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a number, got {raw!r}") from None


CEILING_ENV = {
    "AGENTBUDGET_MAX_PR_USD": ("per_pr", "usd"),
    "AGENTBUDGET_MAX_REPO_MONTH_USD": ("per_repo_month", "usd"),
    "AGENTBUDGET_MAX_ORG_MONTH_USD": ("per_org_month", "usd"),
    "AGENTBUDGET_MAX_PR_TOKENS": ("per_pr", "tokens"),
    "AGENTBUDGET_MAX_REPO_MONTH_TOKENS": ("per_repo_month", "tokens"),
    "AGENTBUDGET_MAX_ORG_MONTH_TOKENS": ("per_org_month", "tokens"),
}


def _ceilings(env: Mapping[str, str]) -> Ceilings:
    """AGENTBUDGET_LIMITS_FILE (YAML: budget, max_output_tokens, prices), then single ceilings from
    AGENTBUDGET_MAX_* variables over it."""
    data: dict[str, Any] = {}
    path = env.get("AGENTBUDGET_LIMITS_FILE", "")
    if path:
        try:
            loaded = yaml.safe_load(Path(path).read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise SettingsError(f"AGENTBUDGET_LIMITS_FILE: cannot read {path}: {exc}") from None
        data = dict(loaded or {})
    budget = {scope: dict(value or {}) for scope, value in (data.get("budget") or {}).items()}
    for key, (scope, unit) in CEILING_ENV.items():
        if env.get(key):
            budget.setdefault(scope, {})[unit] = (
                _int(env, key, 0) if unit == "tokens" else _float(env, key, 0.0)
            )
    data["budget"] = budget
    if env.get("AGENTBUDGET_MAX_OUTPUT_TOKENS"):
        data["max_output_tokens"] = _int(env, "AGENTBUDGET_MAX_OUTPUT_TOKENS", 0)
    try:
        return Ceilings.from_mapping(data)
    except ValueError as exc:
        raise SettingsError(f"spend ceilings: {exc}") from None


@dataclass(frozen=True)
class Settings:
    webhook_secret: str = field(default="", repr=False)
    app_id: str = ""
    private_key: str = field(default="", repr=False)
    github_api_url: str = "https://api.github.com"
    redis_url: str = "redis://127.0.0.1:6379/0"
    queue_name: str = "agentbudget:queue"
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 25 * 1024 * 1024 + 64 * 1024  # GitHub caps payloads at 25 MB
    delivery_ttl_seconds: int = 3 * 24 * 3600
    check_name: str = "agentbudget"
    # In-process retries of a GitHub 5xx before the job is re-queued by arq.
    github_retries: int = 2
    github_retry_delay: float = 0.5
    github_timeout: float = 20.0
    job_max_tries: int = 5
    job_retry_delay: float = 5.0
    job_timeout: int = 300
    max_jobs: int = 10
    # Per-installation fairness: one installation's queued jobs are spaced this far apart (0: off).
    fair_spacing_ms: int = 25
    # SIGTERM: a worker stops taking jobs and lets running ones finish for this long, then re-queues them.
    shutdown_grace_seconds: int = 25
    reconcile_every_minutes: int = 1  # 0 turns the redelivery reconciler off
    database_url: str = ""  # the ledger: empty = ./agentbudget.sqlite3; sqlite:///path; postgresql://…
    metrics_token: str = field(default="", repr=False)  # /metrics and /dashboard; empty: both are off (404)
    alert_webhook_url: str = field(default="", repr=False)  # Slack-compatible budget alerts; empty: off
    # The operator's spend ceilings and price table: no repository or organization file can exceed them.
    ceilings: Ceilings = field(default_factory=Ceilings)
    model_timeout_seconds: float = 120.0  # one model call; a timeout refunds the reservation
    # Model providers' keys and base URLs (ANTHROPIC_*, OPENAI_*): from the environment only, never a repo.
    provider_env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        private_key = env.get("GITHUB_PRIVATE_KEY", "")
        key_path = env.get("GITHUB_PRIVATE_KEY_PATH", "")
        if not private_key and key_path:
            try:
                private_key = Path(key_path).read_text()
            except OSError as exc:
                raise SettingsError(
                    f"GITHUB_PRIVATE_KEY_PATH: cannot read {key_path}: {exc.strerror}"
                ) from None
        # A key pasted into an env var often has literal "\n" sequences.
        if private_key and "\\n" in private_key and "\n" not in private_key:
            private_key = private_key.replace("\\n", "\n")
        return cls(
            webhook_secret=env.get("GITHUB_WEBHOOK_SECRET", ""),
            app_id=env.get("GITHUB_APP_ID", ""),
            private_key=private_key,
            github_api_url=env.get("GITHUB_API_URL", cls.github_api_url).rstrip("/"),
            redis_url=env.get("REDIS_URL", cls.redis_url),
            queue_name=env.get("AGENTBUDGET_QUEUE", cls.queue_name),
            host=env.get("AGENTBUDGET_HOST", cls.host),
            port=_int(env, "PORT", cls.port),
            max_body_bytes=_int(env, "AGENTBUDGET_MAX_BODY_BYTES", cls.max_body_bytes),
            check_name=env.get("AGENTBUDGET_CHECK_NAME", cls.check_name),
            github_retries=_int(env, "AGENTBUDGET_GITHUB_RETRIES", cls.github_retries),
            github_retry_delay=_float(env, "AGENTBUDGET_GITHUB_RETRY_DELAY", cls.github_retry_delay),
            job_max_tries=_int(env, "AGENTBUDGET_JOB_MAX_TRIES", cls.job_max_tries),
            job_retry_delay=_float(env, "AGENTBUDGET_JOB_RETRY_DELAY", cls.job_retry_delay),
            max_jobs=_int(env, "AGENTBUDGET_MAX_JOBS", cls.max_jobs),
            job_timeout=_int(env, "AGENTBUDGET_JOB_TIMEOUT", cls.job_timeout),
            fair_spacing_ms=_int(env, "AGENTBUDGET_FAIR_SPACING_MS", cls.fair_spacing_ms),
            shutdown_grace_seconds=_int(env, "AGENTBUDGET_SHUTDOWN_GRACE", cls.shutdown_grace_seconds),
            database_url=env.get("DATABASE_URL", ""),
            metrics_token=env.get("AGENTBUDGET_METRICS_TOKEN", ""),
            alert_webhook_url=env.get("AGENTBUDGET_ALERT_WEBHOOK_URL", ""),
            reconcile_every_minutes=_int(env, "AGENTBUDGET_RECONCILE_MINUTES", cls.reconcile_every_minutes),
            ceilings=_ceilings(env),
            model_timeout_seconds=_float(env, "AGENTBUDGET_MODEL_TIMEOUT", cls.model_timeout_seconds),
            provider_env={k: v for k, v in env.items() if k.startswith(PROVIDER_ENV_PREFIXES)},
        )

    def require_webhook_secret(self) -> None:
        if not self.webhook_secret:
            raise SettingsError(
                "GITHUB_WEBHOOK_SECRET is not set: refusing to accept unsigned deliveries. "
                "Set it to the webhook secret of the GitHub App."
            )

    def require_app_credentials(self) -> None:
        missing = [
            name
            for name, value in (("GITHUB_APP_ID", self.app_id), ("GITHUB_PRIVATE_KEY", self.private_key))
            if not value
        ]
        if missing:
            raise SettingsError(
                f"{' and '.join(missing)} not set: the worker needs the App's id and private key "
                "(GITHUB_PRIVATE_KEY or GITHUB_PRIVATE_KEY_PATH)"
            )
