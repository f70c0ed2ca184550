"""Value types shared by every framework extractor and the comparison."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

AUTHENTICATED = "authenticated"
UNAUTHENTICATED = "unauthenticated"
UNKNOWN = "unknown"
# Reason prefix of a mounted operations dashboard (job queues, live metrics): internal wherever it is served.
OPS_DASHBOARD = "ops dashboard "
# Reason prefix of a route that declares anonymous access (`[AllowAnonymous]`, `@Public()`, `@PermitAll`): a
# declaration that only matters where authentication is otherwise in force, so adding one widens the route.
OPTS_OUT = "opts out of authentication: "
# Reason of a route registered only in debug or test builds (`if cfg!(debug_assertions) { … }`): not served in
# production; dropping the condition widens it.
DEBUG_BUILD = "registered only in debug builds"
# Reason of a route registered for the development environment only (Django's `if settings.DEBUG:`, Rails's
# `if Rails.env.development?`): the framework's deployment guide rules that setting out in production, so adding
# one exposes nothing; dropping the condition widens it.
DEV_SERVER = "served only in the development environment"
# Reason of a route whose handler first refuses unless the server runs in debug mode: a debugging endpoint.
DEBUG_MODE = "answers only in debug mode"
# The reasons that limit a route to debugging or development: none of them guards it.
DEBUG_ONLY = (DEBUG_BUILD, DEBUG_MODE, DEV_SERVER)
# Reason prefix of a route whose handler lives in an admin namespace (`Admin\SettingsController::class`): the
# project files it with its admin panel, whatever guard it declares. No guard itself.
ADMIN_HANDLER = "handled by an admin controller "
# Joins an opt-out to the guard of its controller or group it overrides: `[AllowAnonymous] overriding [Authorize]`.
OVERRIDING = " overriding "
# A guard entry cancelling another for the same handler (`skip_before_action :authenticate_user!`).
SKIPS = OPTS_OUT + "skips "
# Django REST framework: the guard key under which settings publish `DEFAULT_PERMISSION_CLASSES`, and the
# reason marking a route registered on a router, whose viewset takes those defaults when it names none.
DRF_DEFAULTS = "drf:default-permissions"
DRF_ROUTE = "registered on a REST framework router"
# Joins a guard to the permissions or roles any one of which passes it (`@auth accepts manage:system, write:x`):
# one more accepted name lets more callers in.
ACCEPTS = "accepts "


def overriding(reason: str, guards: Sequence[str]) -> str:
    """An opt-out's reason naming the guards of its controller or group it overrides (none: as it is)."""
    return reason + OVERRIDING + ", ".join(guards) if guards else reason


def guarded_by(reasons: Iterable[str]) -> bool:
    """Whether any of `reasons` is a guard: an opt-out is found like one but guards nothing."""
    return any(not r.startswith((OPTS_OUT, ADMIN_HANDLER)) and r not in DEBUG_ONLY for r in reasons)


MAX_FILE_CHARS = 2_000_000


@dataclass(frozen=True)
class Endpoint:
    kind: str
    method: str
    path: str
    file: str
    line: int
    auth: str
    reasons: tuple[str, ...] = ()
    # The router or group variable serving it (`module:variable`), where the extractor knows it: its
    # sibling routes are the ones on the same router. Not part of the endpoint's identity.
    owner: str = field(default="", compare=False)
    # The action serving it (`phoenix:SessionController#show`), where the extractor knows it: the same
    # action at another path of the same file is the same capability. Not part of the identity either.
    handler: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """(kind, method, path): one endpoint of the project, however many files declare it. What a service's
        own configuration or build file serves (`/actuator/*`) is that service's, one per module."""
        module = module_of_config(self.file)
        return (self.kind, self.method, self.path if module is None else f"{self.path} of {module or '.'}")


# A service module's own configuration or build file: `svc/src/main/resources/application.yml`, `svc/pom.xml`.
_MODULE_CONFIG = re.compile(
    r"^(?:(.*?)/)??(?:src/main/resources/(?:config/)?)?"
    r"(?:(?:application|bootstrap)(?:[-.][\w-]+)?\.(?:properties|ya?ml)|pom\.xml|build\.gradle(?:\.kts)?)$"
)


@functools.lru_cache(maxsize=4096)
def module_of_config(path: str) -> str | None:
    """The module directory (`ace-auth/ace-auth-server`, "" at the root) of a service's configuration or build
    file, None for any other file."""
    m = _MODULE_CONFIG.match(path)
    return None if m is None else m.group(1) or ""


@dataclass(frozen=True)
class Finding:
    change: str
    endpoint: Endpoint
    before: Endpoint | None
    internal: bool
    why: tuple[str, ...]


@dataclass(frozen=True)
class ExposureDelta:
    findings: tuple[Finding, ...]

    @property
    def grows(self) -> bool:
        return any(f.change == "widened" or (f.change == "added" and f.internal) for f in self.findings)


_PARAM = re.compile(
    r"<(?:[^<>:/]{1,40}:)?([^<>/]{1,80})>|\{([^{}/:]{1,80})(?::[^{}/]{0,80})?\}|:(\w{1,80})\??|\[\.{0,3}(\w{1,80})\]"
)


_PARAM_CHARS = re.compile(r"[<{:\[]")
_PARAM_PATTERN = re.compile(r"(:\w{1,80})\((?:\[[^\]\n]{0,80}\]|[^()/\[]|\([^()/]{0,80}\)){0,200}\)")


def _param(m: re.Match[str]) -> str:
    name = next(g for g in m.groups() if g is not None)
    return "{" + name.strip(".") + "}"


def normalize_path(path: str) -> str:
    """One spelling per route: `{id}` params, one leading slash, no trailing or doubled slash."""
    path = path.strip()
    if _PARAM_CHARS.search(path) is not None:
        if ":" in path and "(" in path:
            path = _PARAM_PATTERN.sub(r"\1", path)  # `:name(\\d+)`: the pattern a param must match
        path = _PARAM.sub(_param, path)
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts)


def regex_to_path(pattern: str) -> str:
    """A URL regex as a path: `^users/(?P<pk>[0-9]+)/$` → `users/{pk}/` (named groups as params, anchors
    and optional marks dropped)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("(?P<", i):
            close = pattern.find(">", i)
            name = pattern[i + 4 : close] if close != -1 else "param"
            depth, j = 0, i
            while j < len(pattern):
                if pattern[j] == "\\":
                    j += 2
                    continue
                depth += pattern[j] == "("
                depth -= pattern[j] == ")"
                j += 1
                if depth == 0:
                    break
            out.append("{" + name + "}")
            i = j
            continue
        if pattern[i] in "^$?":
            i += 1
            continue
        if pattern[i] == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "/.-_~$":
            i += 1  # `\/`, `\.`, `\$`: the character itself
        out.append(pattern[i])
        i += 1
    return "".join(out)


def segments(path: str) -> list[str]:
    """A path's non-empty segments: `/api/v1/x/` → `["api", "v1", "x"]`."""
    return [s for s in path.split("/") if s]


def join_paths(*parts: str) -> str:
    return normalize_path("/".join(p for p in parts if p))


@functools.lru_cache(maxsize=8)
def _newlines(text: str) -> tuple[int, ...]:
    # Extractors ask for many offsets of the file they read: one pass per file, thread-safe, bounded.
    return tuple(m.start() for m in re.finditer("\n", text))


def line_of(text: str, offset: int) -> int:
    """1-based line of `offset` in `text`."""
    return bisect.bisect_left(_newlines(text), offset) + 1
