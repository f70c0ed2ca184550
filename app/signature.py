"""Webhook signature verification (X-Hub-Signature-256)."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def well_formed(header: str | None) -> bool:
    """A header worth reading a body for: `sha256=` and 64 hex digits. Checked before any byte is read."""
    if not header or not header.startswith(PREFIX) or len(header) != len(PREFIX) + 64:
        return False
    return all(c in "0123456789abcdef" for c in header[len(PREFIX) :])


class Digest:
    """The HMAC of a body fed chunk by chunk, so the body is hashed as it arrives."""

    def __init__(self, secret: str) -> None:
        self._mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)

    def update(self, chunk: bytes) -> None:
        self._mac.update(chunk)

    def matches(self, header: str | None) -> bool:
        if not header or not header.startswith(PREFIX):
            return False
        # compare_digest on bytes avoids a TypeError for non-ASCII input and stays constant-time.
        expected = PREFIX + self._mac.hexdigest()
        return hmac.compare_digest(expected.encode(), header.encode("utf-8", "replace"))


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """True only for a `sha256=<hex>` header matching the HMAC of the raw body; constant-time compare.

    `sha1=` (X-Hub-Signature) is refused: it is the legacy header and SHA-1 is not accepted.
    """
    if not secret:
        return False
    digest = Digest(secret)
    digest.update(body)
    return digest.matches(header)
