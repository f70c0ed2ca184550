"""The fake's world: installations, repositories, pull requests, files, tokens, and what it records;
GitHub's limits as attributes a test may lower."""

from __future__ import annotations

import itertools
import random
import re
import threading
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakegithub.model import (
    _PR,
    TOKEN_PERMISSIONS,
    Hold,
    RecordedRequest,
    _Fault,
    _Installation,
    _now,
    _Repo,
    _Token,
)


class World:
    # Limits GitHub applies; tests may lower them.
    max_diff_files = 300
    max_diff_lines = 20_000
    max_listed_files = 3000
    max_body_chars = 65_535
    max_comment_chars = 65_536
    max_annotations = 50
    max_actions = 3

    def __init__(self, *, app_id: int = 4242, private_key_pem: str | None = None) -> None:
        self.app_id = app_id
        self.app_slug = "agentbudget"
        if private_key_pem is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            private_key_pem = key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
        self.private_key_pem = private_key_pem
        # PEM bytes: what jwt.decode takes for an RS256 key.
        self._public_key = (
            serialization.load_pem_private_key(private_key_pem.encode(), None)
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        self.url = ""
        self._lock = threading.RLock()
        self._ids = itertools.count(1001)
        self._run_ids = itertools.count(20_000_000_001)  # above 2**32, like real ids
        self._started = _now()
        self._rate_used = 0

        self._installations: dict[int, _Installation] = {}
        self._repos: dict[str, _Repo] = {}
        self._prs: dict[tuple[str, int], _PR] = {}
        self._contents: dict[tuple[str, str, str], str] = {}
        self._holds: list[Hold] = []
        self._shares: list[tuple[str, re.Pattern[str], int, float, dict[str, str]]] = []
        self._random = random.Random(0)
        self.completions: list[tuple[float, str, str]] = []  # (monotonic time, repo, head sha) per completion
        self.latency = 0.0  # seconds added to every answer (realistic round trips for benchmarks)
        self._permissions: dict[tuple[str, str], str] = {}
        self._tokens: dict[str, _Token] = {}
        self._users: dict[str, int] = {}
        self._statuses: list[dict[str, Any]] = []
        self._deliveries: list[dict[str, Any]] = []
        self._faults: list[_Fault] = []
        self._foreign_apps: dict[int, str] = {}
        self._manifests: dict[str, dict[str, Any]] = {}  # one-time manifest-flow codes

        # Every answer is checked against GitHub's published response models (tests/github_models.py).
        self.validate_responses = True
        # Commits the repositories hold (PR heads, past heads, bases): a check run on another sha is a 422.
        self.known_shas: set[str] = set()
        self.token_permissions: dict[str, str] = dict(TOKEN_PERMISSIONS)
        self.violations: list[str] = []
        self.requests: list[RecordedRequest] = []
        self.check_runs: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.reactions: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.redelivery_attempts: list[int] = []
