"""A small LRU for parse results. Keys are blob shas (immutable), so entries never go stale."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from config.errors import ConfigError
from config.layers import build_config
from config.model import Config
from config.source import ConfigSource, read_source

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        value = make()
        self._entries[key] = value
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


def _capture(make: Callable[[], V]) -> Callable[[], V | ConfigError]:
    def run() -> V | ConfigError:
        try:
            return make()
        except ConfigError as exc:
            return exc

    return run


class ConfigCache:
    """Parsed files by (blob sha, file label), merged configs by their layers' shas; errors cached too."""

    def __init__(self, max_entries: int = 512) -> None:
        self.sources: Lru[tuple[str, str], ConfigSource | ConfigError] = Lru(max_entries)
        self.configs: Lru[tuple[tuple[str, str], ...], Config | ConfigError] = Lru(max_entries)
        self.parses = 0  # how many files were actually parsed (observable in tests and metrics)

    def source(self, text: str, file: str, blob_sha: str) -> ConfigSource:
        def parse() -> ConfigSource:
            self.parses += 1
            return read_source(text, file)

        return _unwrap(self.sources.get_or_make((blob_sha, file), _capture(parse)))

    def config(self, layers: tuple[tuple[ConfigSource, str], ...]) -> Config:
        key = tuple((source.file, sha) for source, sha in layers)
        return _unwrap(self.configs.get_or_make(key, _capture(lambda: build_config([s for s, _ in layers]))))


def _unwrap(value: V | ConfigError) -> V:
    if isinstance(value, ConfigError):
        raise ConfigError(
            value.problems
        )  # a fresh exception: re-raising the cached one would grow its traceback
    return value
