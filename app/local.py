"""`agentbudget check` on a local git checkout: the same core as the server, with git instead of GitHub."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from checks.diff import DiffSummary, parse_unified_diff
from checks.evaluate import evaluate_pull
from checks.exposure import ExposureDelta, can_declare_routes, compare
from checks.exposure.extract import unresolved_asked, unresolved_guards
from checks.exposure.gate import ExposureReport
from checks.exposure.mounts import candidates, mounts_of_round, search_terms, unmounted_either
from checks.pull import PullRequestFacts
from checks.verdict import Verdict
from config.errors import ConfigError
from config.loader import load_config, parse_config_text
from config.model import Config


class UsageError(Exception):
    """Bad arguments or an unusable checkout; exit code 2 with the message."""


def git(*args: str, cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed") from None
    if done.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def default_base(cwd: Path | None = None) -> str:
    for candidate in ("origin/main", "origin/master", "main", "master"):
        try:
            git("rev-parse", "--verify", "--quiet", candidate + "^{commit}", cwd=cwd)
        except UsageError:
            continue
        head = git("rev-parse", "HEAD", cwd=cwd).strip()
        if git("rev-parse", candidate, cwd=cwd).strip() != head:
            return candidate
    return "HEAD~1"


@dataclass(frozen=True)
class LocalChange:
    diff: DiffSummary
    pull: PullRequestFacts
    config: Config
    config_source: str
    commits: tuple[tuple[str | None, str], ...] = ()  # (sha, message), newest first

    @property
    def commit_messages(self) -> tuple[str, ...]:
        return tuple(message for _, message in self.commits)


LOCAL_REPO = "local/checkout"


def load_local_config(
    config_file: str | None, base: str | None, cwd: Path | None = None
) -> tuple[Config, str]:
    """An explicit file, else the config at the base ref as the server reads it (following `_extends`
    within this checkout; other repositories cannot be read offline), else the defaults."""
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise UsageError(f"--config {config_file}: no such file")
        return parse_config_text(path.read_text(), config_file), config_file
    if not base:
        return Config(), "shipped defaults"

    async def fetch(repo: str, path: str, ref: str | None) -> tuple[str, str] | None:
        if repo != LOCAL_REPO:
            return None
        try:
            text = git("show", f"{ref or base}:{path}", cwd=cwd)
            blob = git("rev-parse", f"{ref or base}:{path}", cwd=cwd).strip()
        except UsageError:
            return None
        return text, blob

    loaded = asyncio.run(load_config(fetch, LOCAL_REPO, base))
    if loaded.problems:
        raise ConfigError(loaded.problems)
    files = [s.split(":", 1)[1] for s in loaded.sources if s.startswith(LOCAL_REPO + ":")]
    return loaded.config, (", ".join(files) + f" at {base}") if files else "shipped defaults"


def gather(
    *,
    base: str | None,
    head: str,
    body: str,
    config_file: str | None,
    diff_text: str | None = None,
    labels: tuple[str, ...] = (),
    cwd: Path | None = None,
    author: str | None = None,
    commits: tuple[tuple[str | None, str], ...] | None = None,
) -> LocalChange:
    found: tuple[tuple[str | None, str], ...] = ()
    if diff_text is None:
        base = base or default_base(cwd)
        diff_text = git("diff", "--no-color", "--no-ext-diff", "-M", f"{base}...{head}", cwd=cwd)
        title = git("log", "-1", "--format=%s", head, cwd=cwd).strip()
        head_author = git("log", "-1", "--format=%an", head, cwd=cwd).strip()
        head_sha = git("rev-parse", head, cwd=cwd).strip()
        base_sha = git("rev-parse", base, cwd=cwd).strip()
        base_ref = base.split("/", 1)[-1] if base.startswith("origin/") else base
        log = git("log", "--format=%H%x01%B%x00", f"{base}..{head}", cwd=cwd)
        found = tuple(
            (sha.strip(), message.strip())
            for sha, _, message in (entry.partition("\x01") for entry in log.split("\x00"))
            if message.strip()
        )
    else:
        title, head_author, head_sha, base_sha, base_ref = "local patch", "local", "0" * 40, "0" * 40, "main"
    if commits is not None:
        found = commits
    config, source = load_local_config(config_file, base, cwd)
    pull = PullRequestFacts(
        number=0,
        title=title,
        body=body,
        author=author or head_author,
        author_is_bot=False,
        base_ref=base_ref,
        base_sha=base_sha,
        head_ref=head,
        head_sha=head_sha,
        draft=False,
        labels=labels,
        from_fork=False,
        trigger="opened",
    )
    return LocalChange(parse_unified_diff(diff_text), pull, config, source, found)


NO_SHA = "0" * 40


def evaluate_local(change: LocalChange, cwd: Path | None = None) -> Verdict:
    """The App's verdict for a git range, exposure gate included; a patch file (no refs to read whole
    files from) has no exposure comparison."""
    exposure: ExposureReport | None = None
    if change.pull.base_sha != NO_SHA:
        routed = {f.path for f in change.diff.files if can_declare_routes(f.path)}
        routed |= {
            f.previous_path
            for f in change.diff.files
            if f.previous_path and can_declare_routes(f.previous_path)
        }
        if routed:
            delta = exposure_delta(change.pull.base_sha, change.pull.head_sha, change.config, cwd)
            exposure = ExposureReport(delta, files_compared=len(routed))
        else:
            exposure = ExposureReport(None)
    return evaluate_pull(
        change.config,
        change.pull,
        change.diff,
        event="pull_request.opened",
        commit_messages=change.commit_messages,
        commit_shas=tuple(sha or "" for sha, _ in change.commits),
        notes=(f"Configuration: {change.config_source}.",),
        exposure=exposure,
    )


__all__ = ["ConfigError", "LocalChange", "UsageError", "evaluate_local", "gather"]


MAX_MOUNTING_FILES = 8


def _grep(ref: str, term: str, cwd: Path | None) -> list[str]:
    try:
        out = git("grep", "-l", "-F", "-w", "-e", term, ref, "--", ".", cwd=cwd)
    except UsageError:
        return []  # no match
    return [line.split(":", 1)[1] for line in out.splitlines() if ":" in line]


def mounting_files(ref: str, changed: list[str], cwd: Path | None = None) -> list[str]:
    """Unchanged files at `ref` that name a changed route file: where its prefix and inherited auth are
    declared (include_router, app.use, RouteServiceProvider…). Bounded: a few per changed file."""
    found: list[str] = []
    for path in changed[:MAX_MOUNTING_FILES]:
        hits: list[str] = []
        try:
            text = git("show", f"{ref}:{path}", cwd=cwd) if path.endswith(".go") else ""
        except UsageError:
            text = ""  # removed at `ref`
        for term in search_terms(path, text):
            names = _grep(ref, term, cwd)
            hits += [h for h in names if h not in changed and h not in found and h not in hits]
        # Nearest first: a file that mounts another usually shares its directories (`app/urls.py` for
        # `app/views/x.py`); a common word matches files all over the tree.
        near = sorted((h for h in hits if can_declare_routes(h)), key=lambda h: -_shared_dirs(h, path))
        found += near[:MAX_MOUNTING_FILES]
    return found


def _shared_dirs(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("/")[:-1], b.split("/")[:-1], strict=False):
        if x != y:
            break
        n += 1
    return n


MAX_MOUNT_PROBES = 24


def conventional_mounts(
    ref: str,
    head: dict[str, str],
    in_diff: set[str],
    cwd: Path | None = None,
    base: dict[str, str] | None = None,
) -> list[str]:
    """The framework entry points near a changed route file whose router nothing read so far mounts,
    kept when they name it: the same search the App makes through the contents API."""
    # The changed files' mounts: a file read only because it names one is no file of the change.
    wanting = [w for w in unmounted_either(base or {}, head) if w in in_diff]
    found: list[str] = []
    probes = 0
    for batch in candidates(wanting, in_diff | set(head)):
        if not wanting or probes >= MAX_MOUNT_PROBES or len(found) >= MAX_MOUNTING_FILES:
            break
        batch = batch[: MAX_MOUNT_PROBES - probes]
        probes += len(batch)
        taken, wanting = mounts_of_round(
            wanting, _read_each(ref, batch, cwd), MAX_MOUNTING_FILES - len(found)
        )
        found += taken
    return found


def _read_each(ref: str, paths: list[str], cwd: Path | None) -> Iterator[tuple[str, str | None]]:
    """(path, text at `ref`, or None where no such file is) of each path, read as they are asked for."""
    for path in paths:
        try:
            yield path, git("show", f"{ref}:{path}", cwd=cwd)
        except UsageError:
            yield path, None  # no such file


MAX_GUARD_SEARCHES = 8
GUARD_ROUNDS = 3
MAX_GUARD_FILES = 12


def guard_files(ref: str, head: dict[str, str], cwd: Path | None = None) -> dict[str, str]:
    """Unchanged files at `ref` that declare a guard the routes read so far rely on and nothing read
    declares (a roles table granting a right, the HTTP kernel naming a middleware group, the middleware
    class itself), in a few bounded rounds, since each file found may name the next; then, with a budget
    of their own, the policies and form requests the actions ask."""
    found = _search_rounds(ref, head, unresolved_guards, cwd)
    asked = _search_rounds(ref, {**head, **found}, unresolved_asked, cwd)
    return {**found, **asked}


def _search_rounds(
    ref: str, head: dict[str, str], terms_of: Callable[[Mapping[str, str]], list[str]], cwd: Path | None
) -> dict[str, str]:
    found: dict[str, str] = {}
    searched: set[str] = set()
    for _ in range(GUARD_ROUNDS):
        terms = [t for t in terms_of({**head, **found}) if t not in searched][:MAX_GUARD_SEARCHES]
        searched.update(terms)
        fresh = [
            name
            for term in terms
            for name in _grep(ref, term, cwd)[:MAX_MOUNTING_FILES]
            if name not in head and can_declare_routes(name)
        ]
        for name in dict.fromkeys(fresh):
            if name not in found and len(found) < MAX_GUARD_FILES:
                found[name] = git("show", f"{ref}:{name}", cwd=cwd)
        if not terms:
            break
    return found


def exposure_delta(base: str, head: str, config: Config, cwd: Path | None = None) -> ExposureDelta:
    """Compare the endpoint sets of base and head over the files the range touches that can declare
    routes, plus the unchanged files that mount them: whole files on both sides, so moves and
    reformatting cancel out and prefixes declared elsewhere still apply."""
    names = git("diff", "--name-status", "--no-renames", f"{base}...{head}", cwd=cwd).splitlines()
    paths = sorted({line.split("\t", 1)[1] for line in names if "\t" in line})
    changed = [p for p in paths if can_declare_routes(p)]
    extra = mounting_files(head, changed, cwd) if changed else []
    sides: tuple[dict[str, str], dict[str, str]] = ({}, {})

    def read(paths: list[str]) -> None:
        for path in paths:
            for ref, side in ((base, sides[0]), (head, sides[1])):
                try:
                    side[path] = git("show", f"{ref}:{path}", cwd=cwd)
                except UsageError:
                    continue  # absent on this side: added or removed

    read(changed + extra)
    read(conventional_mounts(head, sides[1], set(paths), cwd, sides[0]))
    read(list(guard_files(head, sides[1], cwd)))
    return compare(
        sides[0],
        sides[1],
        internal_paths=config.exposure.internal_paths,
        internal_files=config.exposure.internal_files,
        internal_services=config.exposure.internal_services,
    )
