"""NestJS guards registered for the whole application.

`{ provide: APP_GUARD, useClass: JwtAuthGuard }` in a module's providers, or `app.useGlobalGuards(new
RolesGuard())` at bootstrap, runs the guard before every controller's handlers: a route that declares no guard of
its own is still guarded, and one marked `@Public()` is the exception the guard lets through. Read from the files
compared, so a change that moves per-route guards into one global registration moves nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence

from .model import AUTHENTICATED, MAX_FILE_CHARS, OPTS_OUT, Endpoint
from .scan import AUTH_WORDS

_APP_GUARD = re.compile(
    r"\bprovide\s*:\s*APP_GUARD\s*,\s*useClass\s*:\s*(\w{1,80})|\buseGlobalGuards\s*\(\s*(?:new\s+)?(\w{1,80})"
)
_SCRIPT = (".ts", ".js", ".mts", ".mjs")
MAX_GLOBAL_GUARDS = 8
GLOBAL = "APP_GUARD "


# Guards that let every caller through but limit or observe them: a rate limiter, a cache, a logger.
_NOT_AUTH = re.compile(r"(?i)throttl|rate.?limit|limiter|cache|logg|timeout|metric|cors|csrf|maintenance")


def _signs_in(name: str) -> bool:
    return AUTH_WORDS.search(name) is not None and _NOT_AUTH.search(name) is None


def global_guards(files: Mapping[str, str], skip: Callable[[str], bool]) -> list[str]:
    """The authentication guards registered for every route, in the order the files name them (a rate
    limiter's `ThrottlerGuard` lets everyone in); a file `skip` names (a test's module) registers none."""
    found: list[str] = []
    for path, text in files.items():
        if not path.endswith(_SCRIPT) or ("APP_GUARD" not in text and "useGlobalGuards" not in text):
            continue
        if skip(path):
            continue
        for m in _APP_GUARD.finditer(text[:MAX_FILE_CHARS]):
            name = m.group(1) or m.group(2)
            if _signs_in(name) and name not in found and len(found) < MAX_GLOBAL_GUARDS:
                found.append(name)
    return found


def with_global_guards(
    endpoints: Sequence[Endpoint], files: Mapping[str, str], skip: Callable[[str], bool]
) -> tuple[Endpoint, ...]:
    """Each controller route under the application's global guards, but for those that opt out."""
    names = global_guards(files, skip)
    if not names:
        return tuple(endpoints)
    controllers = {path for path, text in files.items() if path.endswith(_SCRIPT) and "@Controller" in text}
    guarded: list[Endpoint] = []
    for ep in endpoints:
        if ep.kind != "http" or ep.file not in controllers or any(r.startswith(OPTS_OUT) for r in ep.reasons):
            guarded.append(ep)
            continue
        reasons = ep.reasons + tuple(GLOBAL + name for name in names)
        guarded.append(dataclasses.replace(ep, auth=AUTHENTICATED, reasons=reasons))
    return tuple(guarded)
