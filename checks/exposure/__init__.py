"""Endpoint exposure: which routes/RPCs a change adds, removes, widens or narrows (pure, no I/O)."""

from __future__ import annotations

from .compare import DEFAULT_INTERNAL_FILES, DEFAULT_INTERNAL_PATHS, compare, internal_reasons
from .extract import can_declare_routes, extract, might_declare_routes
from .model import Endpoint, ExposureDelta, Finding, normalize_path

__all__ = [
    "DEFAULT_INTERNAL_FILES",
    "DEFAULT_INTERNAL_PATHS",
    "Endpoint",
    "ExposureDelta",
    "Finding",
    "can_declare_routes",
    "compare",
    "extract",
    "internal_reasons",
    "might_declare_routes",
    "normalize_path",
]
