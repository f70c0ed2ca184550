"""A loopback GitHub REST server for tests: one module per resource, assembled here.

``FakeGitHub`` is a real HTTP server (Starlette on uvicorn, in a background thread, on 127.0.0.1 with an
OS-chosen port) that speaks the REST subset agentbudget uses, answers with GitHub-shaped JSON (every
response validates against githubkit's models), records what clients send, and rejects what GitHub
rejects (check-run limits, bad JWTs, unknown or expired tokens, oversize diffs, ...).

    with FakeGitHub().serve() as fake:
        fake.add_installation(1, "acme")
        fake.add_repo("acme", "widgets", installation_id=1)
        ...

Pointing githubkit at it (0.16.1):

* ``GitHub(AppAuthStrategy(str(fake.app_id), fake.private_key_pem).as_installation(1), base_url=fake.url)``
  works; githubkit appends the trailing slash itself and joins the API paths below it.
* Pass ``cache_strategy=MemCacheStrategy()`` (``githubkit.cache``) per client in tests: the default cache
  is process-global and keeps JWTs (by app id) and installation tokens (by app + installation id) across
  clients, so a second FakeGitHub (new key, new tokens) would get another server's credentials.
* Pass ``auto_retry=False`` unless a test means to exercise retries: by default githubkit retries 5xx
  three times sleeping 1 s, 4 s, 9 s, and a rate limit once after ``retry-after``.
* The diff: ``await gh.rest.pulls.async_get(o, r, n, headers={"Accept": "application/vnd.github.diff"})``
  then ``resp.text`` (do not touch ``parsed_data``: it would try to parse the diff as a PullRequest).
  A too-large diff raises ``githubkit.exception.RequestFailed`` with ``response.status_code == 406``.

Facts the fake models that a client must cope with: ``permission`` in the collaborator-permission answer
is the legacy value (maintain -> write, triage -> read); the exact role is ``role_name``. Check runs on a
fork PR's head have an empty ``pull_requests`` list. Expired or revoked installation tokens get 401 even
while the client still caches them.
"""

from __future__ import annotations

from tests.fakegithub.arrange import Arrange
from tests.fakegithub.model import (
    ROUTE_PERMISSIONS,
    TOKEN_PERMISSIONS,
    Hold,
    RecordedRequest,
    blob_sha,
    files_from_diff,
)

__all__ = [
    "ROUTE_PERMISSIONS", "TOKEN_PERMISSIONS", "FakeGitHub", "Hold", "RecordedRequest", "blob_sha",
    "files_from_diff",
]  # fmt: skip


class FakeGitHub(Arrange):
    """The loopback GitHub, built in layers, each using only those below it: `state.World` (what it holds)
    → `shapes` (GitHub's JSON) → `auth` (apps, tokens) → `repos` → `pulls` → `checks` → `issues` (one
    module per resource) → `server` (HTTP plumbing and the route table) → `arrange` (what tests call)."""
