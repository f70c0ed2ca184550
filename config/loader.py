"""Load the configuration that governs a pull request: from its base branch, never its head.

No I/O here: the caller passes `fetch(repo, path, ref)` returning `(text, blob_sha)` or None when absent.
Look-up: `.agentbudget.yml`, then `.github/agentbudget.yml` in the repository at the base ref; its
`_extends` chain (Probot syntax) below it; the owner's `.github` repository (default branch) below that,
with its own chain; the shipped defaults at the bottom.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from config.cache import ConfigCache
from config.errors import ConfigError, ConfigProblem
from config.layers import build_config
from config.limits import Ceilings, LimitSource, apply_limits, dotted_keys
from config.model import Config
from config.source import EXTENDS_KEY, EXTENDS_PATTERN, ConfigSource, read_source

Fetch = Callable[[str, str, str | None], Awaitable[tuple[str, str] | None]]

CONFIG_PATHS = (".agentbudget.yml", ".github/agentbudget.yml")
ORG_DEFAULTS_REPO = ".github"
MAX_EXTENDS = 5


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    sources: tuple[str, ...]  # every file read, top first, e.g. "acme/widgets:.agentbudget.yml@main"
    problems: tuple[ConfigProblem, ...] = ()  # non-empty: `config` is the shipped default; the run must fail
    limits: tuple[LimitSource, ...] = field(
        default=(), compare=False
    )  # where each spend limit came from (config/limits.py)


@dataclass(frozen=True)
class _Found:
    repo: str
    path: str
    ref: str | None
    text: str
    blob_sha: str

    @property
    def key(self) -> tuple[str, str, str | None]:
        return self.repo.lower(), self.path, self.ref

    @property
    def label(self) -> str:
        return f"{self.repo}:{self.path}" + (f"@{self.ref}" if self.ref else "")


def parse_config_text(text: str, file: str) -> Config:
    """Validate one file alone (`_extends` is checked for syntax, not followed); raises ConfigError."""
    return build_config([read_source(text, file)])


async def load_config(
    fetch: Fetch,
    repo: str,
    base_ref: str,
    *,
    cache: ConfigCache | None = None,
    ceilings: Ceilings | None = None,
) -> LoadedConfig:
    """`ceilings`: the operator's limits (config/limits.py); None: the shipped price table only.
    `cache`: parsed files by blob sha, kept by the caller (a worker keeps one); None: parse afresh."""
    reader = _ChainReader(fetch, repo, base_ref, cache if cache is not None else ConfigCache())
    org_repo = f"{repo.split('/', 1)[0]}/{ORG_DEFAULTS_REPO}"
    try:
        await reader.read_chain(repo, CONFIG_PATHS, base_ref)
        if org_repo.lower() != repo.lower():
            await reader.read_chain(org_repo, CONFIG_PATHS, None)
        full = reader.cache.config(tuple(reader.layers))
        # The organization's layers: files of its `.github` repository (however they were reached).
        is_org = [r.lower() == org_repo.lower() for r in reader.layer_repos]
        org_layers = tuple(layer for layer, org in zip(reader.layers, is_org, strict=True) if org)
        org = reader.cache.config(org_layers) if org_layers else Config()
    except ConfigError as exc:
        return LoadedConfig(Config(), tuple(reader.sources), exc.problems)
    repo_keys = frozenset().union(
        *(dotted_keys(s.data) for (s, _), org in zip(reader.layers, is_org, strict=True) if not org)
    )
    org_keys = frozenset().union(*(dotted_keys(s.data) for s, _ in org_layers))
    config, limits = apply_limits(full, org, ceilings or Ceilings(), repo_keys=repo_keys, org_keys=org_keys)
    return LoadedConfig(config, tuple(reader.sources), limits=limits)


class _ChainReader:
    def __init__(self, fetch: Fetch, home_repo: str, base_ref: str, cache: ConfigCache) -> None:
        self.fetch = fetch
        self.home_repo = home_repo
        self.base_ref = base_ref
        self.cache = cache
        self.layers: list[tuple[ConfigSource, str]] = []
        self.sources: list[str] = []
        self.loaded: set[tuple[str, str, str | None]] = set()
        self.layer_repos: list[str] = []  # the repository of each layer

    async def read_chain(self, repo: str, paths: tuple[str, ...], ref: str | None) -> None:
        found = await self._first(repo, paths, ref)
        if found is None or found.key in self.loaded:  # e.g. the repo already `_extends: .github`
            return
        chain = [found]
        source = self._add(found)
        while source.extends is not None:
            target_repo, target_paths = _extends_target(source.extends, chain[-1].repo)
            if len(chain) > MAX_EXTENDS:
                raise ConfigError(
                    [
                        _extends_problem(
                            source,
                            f"more than {MAX_EXTENDS} `_extends` in a row: {_chain_text(chain)}",
                            "extend the last file of the chain directly",
                        )
                    ]
                )
            target_ref = self.base_ref if target_repo.lower() == self.home_repo.lower() else None
            found = await self._first(target_repo, target_paths, target_ref)
            if found is None:
                raise ConfigError(
                    [
                        _extends_problem(
                            source,
                            f"`_extends: {source.extends}`: no {' or '.join(target_paths)} in {target_repo}",
                            "fix the name, or create the file "
                            "(the app must be installed on that repository to read it)",
                        )
                    ]
                )
            if any(found.key == earlier.key for earlier in chain):
                raise ConfigError(
                    [
                        _extends_problem(
                            source,
                            f"`_extends` cycle: {_chain_text([*chain, found])}",
                            "remove `_extends` from one file of the cycle",
                        )
                    ]
                )
            chain.append(found)
            source = self._add(found)

    async def _first(self, repo: str, paths: tuple[str, ...], ref: str | None) -> _Found | None:
        for path in paths:
            got = await self.fetch(repo, path, ref)
            if got is not None:
                return _Found(repo, path, ref, got[0], got[1])
        return None

    def _add(self, found: _Found) -> ConfigSource:
        self.sources.append(found.label)
        self.loaded.add(found.key)
        file = found.path if found.repo.lower() == self.home_repo.lower() else f"{found.repo}:{found.path}"
        source = self.cache.source(found.text, file, found.blob_sha)
        self.layers.append((source, found.blob_sha))
        self.layer_repos.append(found.repo)
        return source


def _extends_target(value: str, from_repo: str) -> tuple[str, tuple[str, ...]]:
    match = EXTENDS_PATTERN.match(value)
    if match is None:  # read_source refuses any other `_extends`; this only keeps the types honest
        raise ConfigError([ConfigProblem(from_repo, EXTENDS_KEY, None, f"bad `_extends: {value}`", "fix it")])
    owner = match.group("owner") or from_repo.split("/", 1)[0]
    path = match.group("path")
    return f"{owner}/{match.group('repo')}", (path,) if path else CONFIG_PATHS


def _chain_text(chain: list[_Found]) -> str:
    return " → ".join(found.label for found in chain)


def _extends_problem(source: ConfigSource, message: str, fix: str) -> ConfigProblem:
    return ConfigProblem(source.file, EXTENDS_KEY, source.line_of((EXTENDS_KEY,)), message, fix)
