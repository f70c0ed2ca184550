"""Per-file raw routes and mounts, and resolving mounts into full paths across files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .model import (
    AUTHENTICATED,
    DEBUG_BUILD,
    DRF_DEFAULTS,
    DRF_ROUTE,
    OPTS_OUT,
    SKIPS,
    UNAUTHENTICATED,
    UNKNOWN,
    Endpoint,
    guarded_by,
    join_paths,
    overriding,
)

MAX_MOUNT_DEPTH = 8
MAX_GUARD_KEYS = 64
# A guard entry naming another handler whose guards this one inherits (a controller's superclass).
INHERITS = "inherits "


@dataclass(frozen=True)
class RawRoute:
    kind: str
    method: str
    path: str
    line: int
    auth: str
    reasons: tuple[str, ...] = ()
    owner: str = ""
    handler: str = ""  # `family:name` of the view/controller/action, to meet guards declared elsewhere


@dataclass(frozen=True)
class Mount:
    """`child` router is served under `prefix` of `parent` (owner ids are `module:variable`)."""

    child: str
    prefix: str
    parent: str
    authenticated: bool = False
    reason: str = ""
    # Guard keys the mounted routes inherit, declared in other files (a Laravel middleware group's name).
    uses: tuple[str, ...] = ()


@dataclass
class FileRoutes:
    routes: list[RawRoute] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    # Guards declared on a handler (view function, controller, action): handler key -> reasons.
    guards: dict[str, list[str]] = field(default_factory=dict)

    def debug_only(self, spans: Iterable[tuple[int, int]], also: tuple[str, ...] = ()) -> None:
        """The routes declared on lines `first..last` (inclusive) of a span serve in debug builds only (and
        for what `also` says, e.g. the development server only)."""
        spans = list(spans)
        for i, r in enumerate(self.routes):
            if any(first <= r.line <= last for first, last in spans) and DEBUG_BUILD not in r.reasons:
                self.routes[i] = replace(r, reasons=(*r.reasons, DEBUG_BUILD, *also))


def module_of(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    if stem in ("__init__", "index"):
        stem = posixpath.basename(posixpath.dirname(path)) or stem
    return stem


def module_path(path: str) -> str:
    """A JavaScript module by its place in the repository (`routes/auth/admin` for
    `routes/auth/admin.js` or `routes/auth/admin/index.ts`): two `admin.js` are two modules."""
    stem = posixpath.splitext(path)[0]
    if posixpath.basename(stem) == "index" and "/" in stem:
        stem = posixpath.dirname(stem)
    return stem


def relative_package(path: str, level: int) -> str:
    """The package a Python relative import of `level` dots names from the file at `path` (`from . import x` in
    `app/urls.py` is `app`; each further dot a package up)."""
    package = posixpath.dirname(path)
    for _ in range(level - 1):
        package = posixpath.dirname(package)
    return package


def imported_module(importer: str, spec: str) -> str:
    """The module `importer` names with `spec`: a relative one (`./routes/admin`) by its place, any other
    (`@/routes/admin`, a package) by its last name, met with the one place so named when it is alone."""
    if not spec.startswith("."):
        return module_of(spec)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    stem = re.sub(r"\.(?:[cm]?[jt]sx?)$", "", joined)
    return module_path(stem + ".js")


def _qualifier(files: list[tuple[str, FileRoutes]]) -> Callable[[str], str]:
    """An owner id as a mount names it (`router:router`, from `from router import router`) to the id the
    file declaring it uses when that one is qualified by its package (`registry.router:router`) or by its
    place (`routes/admin:default`) and it is the only one so named."""
    known = {r.owner for _, fr in files for r in fr.routes if r.owner}
    known |= {m.parent for _, fr in files for m in fr.mounts if m.parent}
    known |= {m.child for _, fr in files for m in fr.mounts if not m.parent}
    by_tail: dict[str, list[str]] = {}
    by_place: dict[str, list[str]] = {}
    for owner in known:
        module, _, var = owner.partition(":")
        if "/" in module:
            by_place.setdefault(f"{module.rsplit('/', 1)[1]}:{var}", []).append(owner)
        elif "." in module:
            by_tail.setdefault(f"{module.rsplit('.', 1)[1]}:{var}", []).append(owner)

    def qualified(owner: str) -> str:
        module = owner.partition(":")[0]
        if owner in known or "/" in module:
            return owner
        placed = by_place.get(owner, [])
        if len(placed) == 1:
            return placed[0]
        if "." in module:
            return owner
        found = by_tail.get(owner, [])
        return found[0] if len(found) == 1 else owner

    return qualified


# A mount's child naming a directory: every route file under it (`php-dir:routes/Backend/`).
DIRECTORY = "php-dir:"


def resolve(per_file: Iterable[tuple[str, FileRoutes]]) -> list[Endpoint]:
    files = list(per_file)
    qualified = _qualifier(files)
    parents: dict[str, list[Mount]] = {}
    own: dict[str, str] = {}
    # a directory's every route file required at once (`includeRouteFiles(__DIR__.'/Backend/')`)
    folders: list[tuple[str, Mount]] = []
    for _, fr in files:
        for mount in fr.mounts:
            if not mount.parent:
                own[mount.child] = mount.prefix
            elif mount.child.startswith(DIRECTORY):
                folders.append(("php:" + mount.child.removeprefix(DIRECTORY), mount))
            elif mount.child != mount.parent:
                child = qualified(mount.child)
                parents.setdefault(child, []).append(mount)

    memo: dict[str, list[tuple[str, bool, tuple[str, ...]]]] = {}

    def chains(owner: str, depth: int, seen: frozenset[str]) -> list[tuple[str, bool, tuple[str, ...]]]:
        ups = parents.get(owner, []) + [m for folder, m in folders if owner.startswith(folder)]
        mine = own.get(owner, "")
        if not ups or depth >= MAX_MOUNT_DEPTH or owner in seen:
            return [(mine, False, ())]
        out: list[tuple[str, bool, tuple[str, ...]]] = []
        for m in ups:
            inherited = tuple(g for key in m.uses for g in guards_of(key))
            for prefix, authed, why in chains(m.parent, depth + 1, seen | {owner}):
                reasons = why + ((m.reason,) if m.reason else ()) + inherited
                authed = authed or m.authenticated or bool(inherited)
                out.append((join_paths(prefix, m.prefix, mine), authed, reasons))
        return out

    guards: dict[str, list[str]] = {}
    for _, fr in files:
        for key, reasons in fr.guards.items():
            guards.setdefault(key, []).extend(reasons)

    def guards_of(key: str) -> list[str]:
        """A handler's own guards and those of every handler it inherits from (bounded)."""
        out: list[str] = []
        todo, seen = [key], {key}
        while todo and len(seen) <= MAX_GUARD_KEYS:
            own = guards.get(todo.pop(0), [])
            out += [g for g in own if not g.startswith(INHERITS)]
            for parent in (g.removeprefix(INHERITS) for g in own if g.startswith(INHERITS)):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return out

    def guarded(r: RawRoute) -> RawRoute:
        if not r.handler:
            return r
        whole = r.handler.split("@", 1)[0]  # `phoenix:ThemeController#index@Api.Json`: met by its last name
        action = whole.split("#", 1)[0]
        own = guards_of(whole)
        per_action = action != whole  # `rails:deploys#status`: the action's own guards, then its controller's
        found = own + (guards_of(action) if per_action else [])
        if not found and DRF_ROUTE in r.reasons:
            found = [f"{g} (REST framework default)" for g in guards_of(DRF_DEFAULTS)]
        if not found:
            return r
        # A guard skipped for this handler guards nothing; what skipped it opts out of what it overrode.
        skipped = {g.removeprefix(SKIPS) for g in found if g.startswith(SKIPS)}
        if skipped:
            # A guard skipped for some actions only but declared in no file read (`ApplicationController`'s
            # `before_action :login_user`) still guards the controller's other actions: the skip says so. (A
            # whole controller that skips it signs callers in some other way, an API key say.)
            overridden = [g for g in dict.fromkeys(found) if g in skipped] or sorted(
                g.removeprefix(SKIPS) for g in own if per_action and g.startswith(SKIPS)
            )
            found = [g for g in found if not g.startswith(SKIPS) and g not in skipped]
            found += [overriding(SKIPS + g, [g]) for g in overridden]
            if not found:
                return r
        reasons = tuple(dict.fromkeys(r.reasons + tuple(found)))
        # A handler that only declares anonymous access (`@permission_classes([AllowAny])`) is open.
        auth = AUTHENTICATED if guarded_by(found) else UNAUTHENTICATED if r.auth == UNKNOWN else r.auth
        return RawRoute(r.kind, r.method, r.path, r.line, auth, reasons, r.owner, r.handler)

    endpoints: list[Endpoint] = []
    for path, fr in files:
        for r in map(guarded, fr.routes):
            if r.kind != "http" or not r.owner:
                endpoints.append(
                    Endpoint(r.kind, r.method, r.path, path, r.line, r.auth, r.reasons, handler=r.handler)
                )
                continue
            if r.owner not in memo:
                memo[r.owner] = chains(r.owner, 0, frozenset())
            # A route that opts out of its group's guard (`->withoutMiddleware('auth')`) keeps its own state.
            left = any(reason.startswith(OPTS_OUT) for reason in r.reasons)
            for prefix, authed, why in memo[r.owner]:
                auth = AUTHENTICATED if authed and not left else r.auth
                endpoints.append(
                    Endpoint(
                        r.kind,
                        r.method,
                        join_paths(prefix, r.path),
                        path,
                        r.line,
                        auth,
                        r.reasons + why,
                        r.owner,
                        r.handler,
                    )
                )
    return endpoints
