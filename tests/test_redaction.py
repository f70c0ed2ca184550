"""Finding 6e: no log line carries a secret — uvicorn's access log of a real `agentbudget serve --access-log`
process included, and the filter every handler of `serve` and `worker` gets."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
import tempfile
import time

import httpx

from app.redact import REDACTED, RedactSecrets
from app.settings import Settings
from tests.redis_server import free_port
from tests.stack import process_env

METRICS_TOKEN = "metrics-token-5f1c2a9e7d"


def test_serve_access_log_never_shows_the_metrics_token(settings: Settings) -> None:
    port = free_port()
    env = process_env(settings, PORT=str(port), AGENTBUDGET_METRICS_TOKEN=METRICS_TOKEN)
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--access-log"], env=env, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 30
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=False) as client:
                while True:
                    try:
                        if client.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert proc.poll() is None and time.monotonic() < deadline, "serve did not come up"
                    time.sleep(0.05)
                assert client.get(f"/dashboard?token={METRICS_TOKEN}&month=2026-12").status_code == 303
                assert client.get(f"/metrics?token={METRICS_TOKEN}").status_code in (401, 200)
                headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}
                assert client.get("/metrics", headers=headers).status_code == 200
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        log.seek(0)
        text = log.read().decode()
    assert "GET /dashboard?token=" + REDACTED in text, text  # the access log is on, and redacted
    assert METRICS_TOKEN not in text


def test_the_filter_redacts_message_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets(["webhook-secret-value"]))
    logger = logging.getLogger("agentbudget.test-redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("secret %s in args", "webhook-secret-value")
        logger.warning("GET /x?a=1&token=abcdef123 HTTP/1.1")
        logger.warning("Authorization: Bearer abcdefghijkl and token ghs_%s", "A" * 36)
        logger.warning("provider key %(key)s", {"key": "sk-ant-api03-abcdefghijkl"})
        try:
            raise RuntimeError("failed with webhook-secret-value")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    for secret in ("webhook-secret-value", "abcdef123", "abcdefghijkl", "ghs_AAAA", "sk-ant"):
        assert secret not in text, secret
    assert text.count(REDACTED) >= 6
