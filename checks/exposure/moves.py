"""Routes moved to another file whose mounting context the comparison could not resolve.

A block of registrations moved into a helper in a new file (`apiRoutes(e)` in api.go, `setupMetrics(a)` in
metrics.go) is read there without what the caller gives it: the group's prefix and its middleware. Such a
route is the same endpoint moved, not a new unauthenticated one; what the move cannot hide is reported where
the context is known (the same file, or a prefix and guard the new file declares itself).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence

from .diagnostics import SERVES
from .model import AUTHENTICATED, Endpoint, Finding, segments
from .roles import words

MOVED = "moved"


def _lost_inherited_auth(f: Finding) -> bool:
    old = f.before
    ep = f.endpoint
    return (
        f.change == "widened"
        and old is not None
        and old.file != ep.file
        and old.auth == AUTHENTICATED
        and ep.auth != AUTHENTICATED
        # (what serves the route, `serves pprof.Index`, is no guard of its own)
        and all(r.startswith(SERVES) for r in ep.reasons)
        and old.path == ep.path
        # An attribute-routed controller declares its guards itself: moved to one without them, it lost them.
        and not ep.file.endswith(_SELF_CONTAINED)
    )


_SELF_CONTAINED = (".cs", ".java", ".kt")


def _lost_prefix(added: Endpoint, removed: Endpoint) -> bool:
    """`removed` is `added` under a prefix the new file does not declare. (Rails' `config/routes.rb` draws
    from the root: a route moved there has left its prefix, `/system-admin/metrics` → `/metrics`.)"""
    short, long = segments(added.path), segments(removed.path)
    return (
        added.kind == removed.kind == "http"
        and added.method == removed.method
        and added.file != removed.file
        and not f"/{added.file}".endswith("/config/routes.rb")
        and 0 < len(short) < len(long)
        and long[-len(short) :] == short
    )


def _gained_prefix(added: Endpoint, removed: Endpoint) -> bool:
    """`added` is `removed`, an endpoint of the same file that was not internal, moved under a prefix
    (`/tools` → `/admin/tools`) with the same method and auth: the same page, now under an internal path."""
    short, long = segments(removed.path), segments(added.path)
    return (
        added.kind == removed.kind == "http"
        and added.method == removed.method
        and added.file == removed.file
        and added.auth == removed.auth
        and added.reasons == removed.reasons
        and 0 < len(short) < len(long)
        and long[-len(short) :] == short
        and any(not s.startswith(("*", "{", ":")) for s in short)
    ) or _document_moved(added, removed)


def _document_moved(added: Endpoint, removed: Endpoint) -> bool:
    """`added` is `removed` of an API document moved to another folder under the same name
    (`contracts/uiproxyd.yml` → `contracts/priv/uiproxyd.yml`) and its base path changed
    (`/api/v2/maps/mapToken` → `/api/v2private/uiproxy/mapToken`): the operation already served, now under a
    private prefix."""
    old, new = segments(removed.path), segments(added.path)
    return (
        added.kind == removed.kind == "http"
        and added.method == removed.method
        and added.file != removed.file
        and posixpath.basename(added.file) == posixpath.basename(removed.file)
        and added.file.endswith((".yml", ".yaml", ".json"))
        # moved into a folder of the old one or out of it (`contracts/` ↔ `contracts/priv/`), not a sibling
        # service's document of the same name
        and _nested(posixpath.dirname(added.file), posixpath.dirname(removed.file))
        and added.auth == removed.auth
        and added.reasons == removed.reasons
        and bool(old)
        and bool(new)
        and old[-1] == new[-1]
        and not old[-1].startswith(("*", "{", ":"))
    )


_VERSION_SEGMENT = re.compile(
    r"(?i)v\d{1,3}(?:\.\d{1,3})?(?:alpha\d*|beta\d*)?|latest|stable|beta|alpha|next|current|legacy|preview"
    r"|\d{4}-\d{2}-\d{2}"
)


def _segment_renamed(added: Endpoint, removed: Endpoint) -> bool:
    """`added` is `removed`, already internal, with one named segment of its path renamed — in its file's path
    too, where routes are files (`app/api/v1/internal/keys/route.tsx` → `app/api/latest/internal/keys/route.tsx`
    serving `/api/v1/internal/keys` → `/api/latest/internal/keys`) — same method and auth: a version renamed."""
    old, new = segments(removed.path), segments(added.path)
    if (
        added.kind != "http"
        or removed.kind != "http"
        or len(old) != len(new)
        or added.method != removed.method
    ):
        return False
    differ = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    # (a version's name, never the last segment: `…/internal/export` → `…/internal/wipe-database` is new)
    if len(differ) != 1 or differ[0] == len(old) - 1:
        return False
    was, now = old[differ[0]], new[differ[0]]
    if _VERSION_SEGMENT.fullmatch(was) is None or _VERSION_SEGMENT.fullmatch(now) is None:
        return False
    same_file = added.file == removed.file or removed.file.replace(f"/{was}/", f"/{now}/", 1) == added.file
    return same_file and added.auth == removed.auth and added.reasons == removed.reasons


def _nested(a: str, b: str) -> bool:
    return a == b or not a or not b or a.startswith(b + "/") or b.startswith(a + "/")


def _method_changed(added: Endpoint, removed: Endpoint) -> bool:
    """`added` is `removed` moved to another file answering another method (`GET` → `POST`), with the same
    auth and guards: the same endpoint, reachable by the same callers. (Within one file, a path written with a
    variable, `$module_name/trashed/{id}`, may be another module's route of the same shape.)"""
    return (
        added.kind == removed.kind == "http"
        and added.file != removed.file
        and added.method != removed.method
        and "ANY" not in (added.method, removed.method)
        and segments(added.path) == segments(removed.path)
        and added.auth == removed.auth
        and added.reasons == removed.reasons
    )


def _rpc_renamed(added: Endpoint, removed: Endpoint) -> bool:
    """`added` is `removed` moved into another service under a name that keeps every word of the old one
    (`pfs.API/RunLoadTest` → `debug.Debug/RunPFSLoadTest`), with the same auth: the method was already served to
    the same callers."""
    if added.kind != "grpc" or removed.kind != "grpc" or added.auth != removed.auth:
        return False
    old, new = words(removed.path.rsplit("/", 1)[-1]), words(added.path.rsplit("/", 1)[-1])
    return bool(old) and new[:1] == old[:1] and set(old) <= set(new)


def _by_path_only(f: Finding) -> bool:
    return bool(f.why) and all(w.startswith("path ") for w in f.why)


def _by_service_only(f: Finding) -> bool:
    return bool(f.why) and all(w.startswith("service ") for w in f.why)


def _take(
    removed: Sequence[Finding],
    paired: set[int],
    same: Callable[[Endpoint, Endpoint], bool],
    added: Endpoint,
    public_only: bool = False,
    internal_only: bool = False,
) -> Endpoint | None:
    """The first removed endpoint not yet paired that `same` says `added` is (of those not internal, when
    `public_only`; of the internal ones, when `internal_only`), now paired with it."""
    for r in removed:
        if (
            id(r) not in paired
            and not (public_only and r.internal)
            and not (internal_only and not r.internal)
            and same(added, r.endpoint)
        ):
            paired.add(id(r))
            return r.endpoint
    return None


def _same_view(added: Endpoint, removed: Endpoint) -> bool:
    """`added` serves the view `removed` served, from another file and at another internal path
    (`dashboards/urls.py` `people/` → `people_admin/urls.py` `admin/people/`, both `people_list`), with the
    same auth and guards: the same page moved."""
    return (
        added.kind == removed.kind == "http"
        and added.file != removed.file
        and added.method == removed.method
        and bool(added.handler)
        and added.handler == removed.handler
        and _NAMED_VIEW.match(added.handler) is not None
        and added.handler.partition(":")[2].lower() not in _GENERIC_VIEWS
        and added.auth == removed.auth
        and added.reasons == removed.reasons
    )


# A view or action by its own name (`py:people_list`), not a file of routes (`py:urls`).
# Names every app has (`index`): two apps' views, not one view moved.
_GENERIC_VIEWS = frozenset(
    {"index", "home", "list", "detail", "view", "views", "create", "update", "delete", "show", "edit", "new"}
    | {"root", "main", "dashboard", "api", "admin", "site", "page", "search", "settings", "status"}
)
_NAMED_VIEW = re.compile(r"^\w+:(?!urls$)\w[\w.#/:]{2,}$")


def _block_moves(findings: Sequence[Finding]) -> set[int]:
    """Added endpoints that are a block of a file's removed ones moved under a new prefix: the same file, at
    least two of them, the same methods and auth one for one, internal only by the new path's pattern
    (`/authorize`, `/logout` → `/api/private/session/…`). Such a move exposes nothing new."""
    moved: set[int] = set()
    files = {f.endpoint.file for f in findings if f.change == "added"}
    for file in files:
        added = [f for f in findings if f.change == "added" and f.endpoint.file == file]
        removed = [
            f for f in findings if f.change == "removed" and f.endpoint.file == file and not f.internal
        ]
        if (
            len(added) < 2
            or len(added) != len(removed)
            or not all(f.internal and _by_path_only(f) for f in added)
        ):
            continue
        shape = sorted((f.endpoint.kind, f.endpoint.method, f.endpoint.auth) for f in added)
        if shape == sorted((f.endpoint.kind, f.endpoint.method, f.endpoint.auth) for f in removed):
            moved |= {id(f) for f in added}
    return moved


def moves(findings: Sequence[Finding]) -> list[Finding]:
    out: list[Finding] = []
    block = _block_moves(findings)
    removed = [f for f in findings if f.change == "removed"]
    paired: set[int] = set()
    for f in findings:
        if _lost_inherited_auth(f):
            old = f.before
            assert old is not None
            why = (
                f"moved from {old.file}:{old.line}; the auth it inherits there is not resolved in {f.endpoint.file}",
            )
            out.append(Finding(MOVED, f.endpoint, old, f.internal, why))
            continue
        if id(f) in block:
            why = ("moved with the other routes of its file under a new prefix, same methods and auth",)
            out.append(Finding(MOVED, f.endpoint, None, f.internal, why + f.why))
            continue
        if f.change == "added" and f.internal and _by_path_only(f):
            old = _take(removed, paired, _gained_prefix, f.endpoint)
            if old is not None:
                why = (f"moved from {old.method} {old.path} in the same file under a new prefix, same auth",)
                out.append(Finding(MOVED, f.endpoint, old, f.internal, why + f.why))
                continue
        if f.change == "added" and f.internal and _by_service_only(f):
            old = _take(removed, paired, _rpc_renamed, f.endpoint, public_only=True)
            if old is not None:
                why = (f"moved from {old.path} ({old.file}:{old.line}), same auth",)
                out.append(Finding(MOVED, f.endpoint, old, f.internal, why + f.why))
                continue
        if f.change == "added" and f.internal:
            old = _take(removed, paired, _segment_renamed, f.endpoint, internal_only=True)
            if old is not None:
                why = (f"moved from {old.path} ({old.file}:{old.line}), one segment renamed, same auth",)
                out.append(Finding(MOVED, f.endpoint, old, f.internal, why + f.why))
                continue
            old = _take(removed, paired, _same_view, f.endpoint, internal_only=True)
            if old is not None:
                why = (f"moved from {old.path} ({old.file}:{old.line}), the same view, same auth",)
                out.append(Finding(MOVED, f.endpoint, old, f.internal, why + f.why))
                continue
        if f.change == "added":
            old = _take(removed, paired, _method_changed, f.endpoint)
            if old is not None:
                why = (
                    f"moved from {old.method} {old.path} ({old.file}:{old.line}) to {f.endpoint.method}, same auth",
                )
                out.append(Finding(MOVED, f.endpoint, old, f.internal, why))
                continue
            old = _take(removed, paired, _lost_prefix, f.endpoint)
            if old is not None:
                why = (
                    f"moved from {old.method} {old.path} ({old.file}:{old.line}); "
                    f"the prefix it is mounted under is not resolved in {f.endpoint.file}",
                )
                out.append(Finding(MOVED, f.endpoint, old, f.internal, why))
                continue
        out.append(f)
    return [f for f in out if id(f) not in paired]
