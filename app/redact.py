"""Secrets never reach a log line: one logging filter, installed by the CLI on every handler of `serve` and
`worker` (uvicorn's access and error logs included).

It removes the values the process holds (webhook secret, metrics token, private key, provider keys) and
the shapes a secret takes in a request line or an error: `?token=…` and other credential query parameters,
`Bearer …`/`token …` credentials, GitHub tokens (`ghs_…`, `github_pat_…`), provider keys (`sk-…`) and PEM
private keys. It rewrites the message, its arguments and the exception text before any formatter runs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6  # shorter values would redact ordinary words

CREDENTIAL_PARAMS = "token|access_token|api_key|key|secret|password|sig|signature|code"
PEM = r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)"
PATTERNS = (
    (re.compile(rf"(?i)([?&;](?:{CREDENTIAL_PARAMS})=)[^&\s\"']+"), r"\1" + REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\1\2" + REDACTED),
    (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"), REDACTED),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{10,}"), REDACTED),
    (re.compile(PEM, re.S), REDACTED),
)  # fmt: skip

ARGS_KEPT = "uvicorn.access"  # its formatter reads the arguments themselves (client, method, path, …)
PROVIDER_KEY_ENV = ("ANTHROPIC_API_KEY", "OPENAI_API_KEY")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is removed whole.
        self.secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def _value(self, value: Any) -> Any:
        return self.redact(value) if isinstance(value, str) else value

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = self.redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {k: self._value(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(self._value(a) for a in record.args)
        if record.args and not record.name.startswith(ARGS_KEPT):
            # A secret split between the message and its arguments shows only once they are joined.
            rendered = record.getMessage()
            if self.redact(rendered) != rendered:
                record.msg, record.args = self.redact(rendered), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def secrets_of(settings: Any, environ: Mapping[str, str]) -> list[str]:
    """Every secret value this process holds: the settings' and the providers' keys from the environment."""
    held = [settings.webhook_secret, settings.metrics_token, settings.private_key]
    held += [line for line in settings.private_key.splitlines() if "PRIVATE KEY" not in line]
    return [s for s in held + [environ.get(name, "") for name in PROVIDER_KEY_ENV] if s]


def install(secrets: Iterable[str]) -> RedactSecrets:
    """Add the filter to every handler the root logger has now (the CLI's basicConfig handler)."""
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    return redactor


def uvicorn_log_config(secrets: Iterable[str]) -> dict[str, Any]:
    """uvicorn's logging config with the filter on each of its handlers (uvicorn replaces them at start)."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {
        **LOGGING_CONFIG,
        "filters": {"redact": {"()": RedactSecrets, "secrets": list(secrets)}},
        "handlers": {name: {**h, "filters": ["redact"]} for name, h in LOGGING_CONFIG["handlers"].items()},
    }
    return config
