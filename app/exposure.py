"""Both sides of every changed file that can declare routes, read with as few GitHub calls as possible.

Only files the pull request changes are read, and only those whose name says they can declare routes.
The head side is fetched once per blob (cached in Redis under the blob id from the diff, so a push that
leaves a file alone never fetches it again); the base side is rebuilt from the head text and the file's
patch, which is exact at the merge base. Only when a patch is missing (GitHub's file list omits patches
of very large files) or does not fit is the base read from the base branch.

A changed route file whose router is mounted elsewhere (an `include_router(prefix=…)` in `main.py`, a
RouteServiceProvider, an `app.use('/api', …)`) takes its prefix and inherited auth from that unchanged file.
`agentbudget exposure` finds it with `git grep`; here the framework's conventional entry points are tried
nearest first (a bounded number of reads, each cached by blob sha), and the ones that name the changed file
are compared on both sides (unchanged, so the same text on both).
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from dataclasses import dataclass

from arq.connections import ArqRedis

from app import keys
from app.github import FileTooLarge, Installation, NotFound
from checks.diff import DiffSummary, FileChange
from checks.exposure import can_declare_routes, compare
from checks.exposure.gate import ExposureReport
from checks.exposure.model import MAX_FILE_CHARS
from checks.exposure.mounts import candidates, mounts_of_round, unmounted_either
from checks.exposure.sides import PatchMismatch, blob_ids, reverse_patch
from checks.pull import PullRequestFacts
from config.model import Exposure as ExposureConfig

log = logging.getLogger("agentbudget.exposure")

BLOB_CACHE_SECONDS = 7 * 24 * 3600
MAX_FILES = 200
# The extractors read at most MAX_FILE_CHARS characters of a file: never download more than that can be.
MAX_ROUTE_FILE_BYTES = 4 * MAX_FILE_CHARS
CONCURRENT_FETCHES = 8
MAX_MOUNT_PROBES = 24
MAX_MOUNTING_FILES = 8
_ABSENT = b"\x00absent"
# A path read at a commit points at its blob; the text is kept once per blob.
_POINTER = b"\x00blob:"


@dataclass(frozen=True)
class Sides:
    base: dict[str, str]
    head: dict[str, str]
    notes: tuple[str, ...] = ()  # what was not compared, and why
    fetched: int = 0  # GitHub calls made
    mounting: tuple[str, ...] = ()  # unchanged files read because they mount a changed route file


def route_files(diff: DiffSummary) -> list[FileChange]:
    return [
        f
        for f in diff.files
        if not f.binary
        and (
            can_declare_routes(f.path)
            or (f.previous_path is not None and can_declare_routes(f.previous_path))
        )
    ]


class _Reader:
    def __init__(self, redis: ArqRedis, gh: Installation, pull: PullRequestFacts, owner: str, repo: str):
        self.redis, self.gh, self.pull, self.owner, self.repo = redis, gh, pull, owner, repo
        self.fetched = 0
        self.limit = asyncio.Semaphore(CONCURRENT_FETCHES)

    def _key(self, path: str, blob_or_ref: str) -> str:
        return keys.blob_cache(self.gh.installation_id, f"{self.owner}/{self.repo}", path, blob_or_ref)

    async def _cached(self, key: str) -> bytes | None:
        cached: bytes | None = await self.redis.get(key)
        if cached is not None and cached.startswith(_POINTER):
            path_blob = cached.removeprefix(_POINTER).decode()
            cached = await self.redis.get(path_blob)
        return cached

    async def read(self, path: str, ref: str, blob: str | None) -> str | None:
        key = self._key(path, blob or ref)
        cached = await self._cached(key)
        if cached is not None:
            return None if cached == _ABSENT else zlib.decompress(cached).decode()
        async with self.limit:
            self.fetched += 1
            try:
                found = await self.gh.get_file(
                    self.owner, self.repo, path, ref, max_bytes=MAX_ROUTE_FILE_BYTES
                )
            except (NotFound, FileTooLarge):
                found = None  # a side that cannot be read is not compared; nothing is downloaded past the cap
        value = _ABSENT if found is None else zlib.compress(found[0].encode(), 3)
        if found is not None and blob is None and found[1]:
            by_blob = self._key(path, found[1])
            await self.redis.set(by_blob, value, ex=BLOB_CACHE_SECONDS)
            value = _POINTER + by_blob.encode()
        await self.redis.set(key, value, ex=BLOB_CACHE_SECONDS)
        return None if found is None else found[0]

    async def mounting_files(
        self, base: dict[str, str], head: dict[str, str], in_diff: set[str]
    ) -> dict[str, str]:
        """Unchanged files at the head that mount a changed route file whose router nothing read mounts
        (on either side: a guard the change drops was declared on the base side only)."""
        # The changed files' mounts: a file read only because it names one is no file of the change.
        wanting = [w for w in unmounted_either(base, head) if w in in_diff]
        found: dict[str, str] = {}
        probes = 0
        for batch in candidates(wanting, in_diff):
            if not wanting or probes >= MAX_MOUNT_PROBES or len(found) >= MAX_MOUNTING_FILES:
                break
            batch = batch[: MAX_MOUNT_PROBES - probes]
            probes += len(batch)
            texts = await asyncio.gather(*(self.read(p, self.pull.head_sha, None) for p in batch))
            read = dict(zip(batch, texts, strict=True))
            taken, wanting = mounts_of_round(wanting, read.items(), MAX_MOUNTING_FILES - len(found))
            found.update({path: text for path in taken if (text := read[path]) is not None})
        return found

    async def sides_of(self, change: FileChange) -> tuple[str | None, str | None, str | None]:
        """(base text, head text, note) of one changed file."""
        ids = blob_ids(change.patch) if change.patch else None
        base_path = change.previous_path or change.path
        head: str | None = None
        if change.status != "removed":
            head = await self.read(change.path, self.pull.head_sha, ids[1] if ids else None)
            if head is None:
                return None, None, f"`{change.path}` could not be read at the head commit"
        if change.status == "added":
            return None, head, None
        if change.patch is not None and (change.patch.strip() or change.status == "renamed"):
            try:
                return reverse_patch(head, change.patch), head, None
            except PatchMismatch as exc:
                log.info("%s: %s; reading the base side instead", change.path, exc)
        if change.status == "renamed" and change.patch is None and change.additions + change.deletions == 0:
            return head, head, None
        base = await self.read(base_path, self.pull.base_sha, ids[0] if ids else None)
        return base, head, None


async def gather_sides(
    redis: ArqRedis, gh: Installation, owner: str, repo: str, pull: PullRequestFacts, diff: DiffSummary
) -> Sides:
    candidates = route_files(diff)
    notes: list[str] = []
    if len(candidates) > MAX_FILES:
        left = candidates[MAX_FILES:]
        shown = ", ".join(f"`{f.path}`" for f in left[:10]) + (" …" if len(left) > 10 else "")
        notes.append(f"{len(left):,} more files that can declare routes were not compared: {shown}")
        candidates = candidates[:MAX_FILES]
    if diff.truncated:
        notes.append(
            "GitHub listed only the first 3,000 files; routes in files beyond them were not compared"
        )
    reader = _Reader(redis, gh, pull, owner, repo)
    results = await asyncio.gather(*(reader.sides_of(f) for f in candidates))
    base: dict[str, str] = {}
    head: dict[str, str] = {}
    for change, (before, after, note) in zip(candidates, results, strict=True):
        if note is not None:
            notes.append(note)
            continue
        if before is not None:
            base[change.previous_path or change.path] = before
        if after is not None:
            head[change.path] = after
    in_diff = {f.path for f in diff.files} | {f.previous_path for f in diff.files if f.previous_path}
    mounting = await reader.mounting_files(base, head, in_diff)
    for path, text in mounting.items():
        base[path] = head[path] = text  # not in the diff: the same at the merge base
    return Sides(base, head, tuple(notes), reader.fetched, tuple(mounting))


async def exposure_report(
    redis: ArqRedis,
    gh: Installation,
    owner: str,
    repo: str,
    pull: PullRequestFacts,
    diff: DiffSummary,
    config: ExposureConfig,
) -> ExposureReport:
    """Compare the endpoint sets of both sides of the changed route files (None delta: no such file)."""
    if not route_files(diff):
        return ExposureReport(None)
    sides = await gather_sides(redis, gh, owner, repo, pull, diff)
    delta = await asyncio.to_thread(
        compare,
        sides.base,
        sides.head,
        internal_paths=config.internal_paths,
        internal_files=config.internal_files,
        internal_services=config.internal_services,
    )
    compared = (set(sides.base) | set(sides.head)) - set(sides.mounting)
    return ExposureReport(delta, files_compared=len(compared), notes=sides.notes)
