"""GitHub I/O: the only package that imports githubkit.

Everything returns plain JSON dicts (GitHub's own shapes); githubkit's strict models are not used for
responses, so fields GitHub adds or omits never break a job. Errors come out as the few exception types
of ``errors``, which the worker turns into a retry, a clear check-run message, or a skip. ``auth`` holds
the App's identity and token cache, ``installation`` the REST calls made for one installation,
``client`` the interface the jobs take (which a test may implement in memory).
"""

from __future__ import annotations

from app.github.auth import GitHubApp
from app.github.client import App, Installation
from app.github.errors import (
    DiffTooLarge,
    FileTooLarge,
    GitHubError,
    NotFound,
    RateLimited,
    TransientError,
    Unauthorized,
    public_reason,
    translate,
)
from app.github.installation import DIFF_MEDIA_TYPE, MAX_LISTED_FILES, RestInstallation, contents_url

__all__ = [
    "DIFF_MEDIA_TYPE", "MAX_LISTED_FILES", "App", "DiffTooLarge", "FileTooLarge", "GitHubApp", "GitHubError",
    "Installation", "NotFound", "RateLimited", "RestInstallation", "TransientError", "Unauthorized",
    "contents_url", "public_reason", "translate",
]  # fmt: skip
