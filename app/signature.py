"""Webhook signature verification (X-Hub-Signature-256)."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """True only for a `sha256=<hex>` header matching the HMAC of the raw body; constant-time compare.

    `sha1=` (X-Hub-Signature) is refused: it is the legacy header and SHA-1 is not accepted.
    """
    if not secret or not header or not header.startswith(PREFIX):
        return False
    expected = sign(secret, body)
    # compare_digest on bytes avoids a TypeError for non-ASCII input and stays constant-time.
    return hmac.compare_digest(expected.encode(), header.encode("utf-8", "replace"))
