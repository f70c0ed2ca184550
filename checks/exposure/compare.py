"""Base-vs-head comparison of endpoint sets, and why an endpoint counts as internal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from config.model import Exposure as ExposureConfig

from ..globs import glob_match
from .extract import extract
from .model import AUTHENTICATED, UNAUTHENTICATED, Endpoint, ExposureDelta, Finding

# The shipped `exposure` defaults, from the one config model.
DEFAULT_INTERNAL_PATHS = ExposureConfig().internal_paths
DEFAULT_INTERNAL_FILES = ExposureConfig().internal_files


def _path_pattern_hit(pattern: str, path: str) -> bool:
    bare = path.strip("/")
    # `/admin/**` should also cover `/admin` itself.
    return glob_match(pattern, bare) or glob_match(pattern, bare + "/_")


def internal_reasons(
    ep: Endpoint, side: Sequence[Endpoint], internal_paths: Sequence[str], internal_files: Sequence[str]
) -> tuple[str, ...]:
    why: list[str] = []
    if ep.kind == "http":
        for pattern in internal_paths:
            if _path_pattern_hit(pattern, ep.path):
                why.append(f"path {ep.path} matches internal_paths {pattern!r}")
                break
    for pattern in internal_files:
        if glob_match(pattern, ep.file):
            why.append(f"file {ep.file} matches internal_files {pattern!r}")
            break
    if "x-internal: true" in ep.reasons:
        why.append("marked x-internal in the OpenAPI document")
    if ep.auth == UNAUTHENTICATED:
        neighbours = [o for o in side if o.file == ep.file and o.key != ep.key]
        if neighbours and all(o.auth == AUTHENTICATED for o in neighbours):
            why.append(
                f"unauthenticated while the other {len(neighbours)} endpoint(s) in {ep.file} are authenticated"
            )
    return tuple(why)


def _index(endpoints: Sequence[Endpoint]) -> dict[tuple[str, str, str], Endpoint]:
    out: dict[tuple[str, str, str], Endpoint] = {}
    rank = {AUTHENTICATED: 2, "unknown": 1, UNAUTHENTICATED: 0}
    for ep in endpoints:
        # One route declared twice is as exposed as its weakest declaration.
        if ep.key not in out or rank.get(ep.auth, 1) < rank.get(out[ep.key].auth, 1):
            out[ep.key] = ep
    return out


def _binding_of(ep: Endpoint) -> str | None:
    for r in ep.reasons:
        if r.startswith("google.api.http binding of "):
            return r.removeprefix("google.api.http binding of ")
    return None


def compare(
    base: Mapping[str, str],
    head: Mapping[str, str],
    *,
    internal_paths: Sequence[str] = DEFAULT_INTERNAL_PATHS,
    internal_files: Sequence[str] = DEFAULT_INTERNAL_FILES,
) -> ExposureDelta:
    before_list, after_list = extract(base), extract(head)
    before, after = _index(before_list), _index(after_list)
    base_rpcs = {ep.path: ep for ep in before.values() if ep.kind == "grpc"}
    base_bound = {_binding_of(ep) for ep in before.values()}
    findings: list[Finding] = []
    for key, ep in after.items():
        internal = internal_reasons(ep, after_list, internal_paths, internal_files)
        old = before.get(key)
        if old is None:
            rpc = _binding_of(ep)
            if rpc is not None and rpc in base_rpcs and rpc not in base_bound:
                why = (f"RPC {rpc} gained an HTTP binding {ep.method} {ep.path}",) + internal
                findings.append(Finding("widened", ep, base_rpcs[rpc], bool(internal), why))
            else:
                findings.append(Finding("added", ep, None, bool(internal), internal))
        elif old.auth == AUTHENTICATED and ep.auth != AUTHENTICATED:
            why = (
                f"auth went from {old.auth} to {ep.auth}: was {', '.join(old.reasons) or 'authenticated'}",
            )
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif old.auth != AUTHENTICATED and ep.auth == AUTHENTICATED:
            findings.append(Finding("narrowed", ep, old, bool(internal), internal))
    for key, old in before.items():
        if key not in after:
            internal = internal_reasons(old, before_list, internal_paths, internal_files)
            findings.append(Finding("removed", old, None, bool(internal), internal))
    return ExposureDelta(tuple(findings))
