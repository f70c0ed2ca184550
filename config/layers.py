"""Layers of configuration merged into one `Config`.

Top first: the repository's file, the files it `_extends`, the organization's defaults and their chain;
the shipped defaults lie under all of them. Mappings merge key by key; lists and scalars replace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from pydantic import ValidationError

from config.errors import ConfigError, KeyPath, Locate, problems_from_validation_error
from config.model import Config
from config.source import ConfigSource

SHIPPED_DEFAULTS = "(shipped defaults)"


def deep_merge(below: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """A new mapping: `top` over `below`. Neither input is modified (cached layers are shared)."""
    merged = dict(below)
    for key, value in top.items():
        under = merged.get(key)
        if isinstance(value, Mapping) and isinstance(under, Mapping):
            merged[key] = deep_merge(under, value)
        elif value is None and isinstance(under, Mapping):
            continue  # `review:` with every key commented out means "nothing to change", not "erase"
        else:
            merged[key] = value
    return merged


@cache
def _shipped_defaults() -> Mapping[str, Any]:
    return Config().model_dump(mode="python")


def build_config(layers: Sequence[ConfigSource]) -> Config:
    """Merge the layers (top first) over the shipped defaults and validate once; raises ConfigError."""
    merged: Mapping[str, Any] = _shipped_defaults()
    for layer in reversed(layers):
        merged = deep_merge(merged, layer.data)
    try:
        return Config.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(problems_from_validation_error(exc, _locator(layers), Config)) from None


def _locator(layers: Sequence[ConfigSource]) -> Locate:
    """The file (and line) that wrote a key: the topmost layer holding the longest prefix of its path."""

    def locate(path: KeyPath) -> tuple[str, int | None]:
        for length in range(len(path), 0, -1):
            for layer in layers:
                line = layer.line_of(path[:length])
                if line is not None:
                    return layer.file, line
        return (layers[0].file if layers else SHIPPED_DEFAULTS), None

    return locate
