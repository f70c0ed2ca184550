"""Base-vs-head comparison of endpoint sets, and why an endpoint counts as internal."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence

from config.model import Exposure as ExposureConfig

from ..globs import glob_match
from . import allowlist, auth_handlers, frappe, symfony
from .auth_handlers import narrows
from .diagnostics import DEFAULT_MUX_SIDE_EFFECT, SERVES, served_handler
from .extract import extract
from .javascript import RIGHT
from .model import (
    ACCEPTS,
    ADMIN_HANDLER,
    AUTHENTICATED,
    DEBUG_BUILD,
    DEBUG_MODE,
    DEBUG_ONLY,
    DEV_SERVER,
    OPS_DASHBOARD,
    OPTS_OUT,
    OVERRIDING,
    UNAUTHENTICATED,
    UNKNOWN,
    Endpoint,
    ExposureDelta,
    Finding,
    segments,
)
from .moves import moves
from .rails import CONTROLLER
from .roles import ADMIN_WORDS, privileged_role, words
from .route_calls import THROUGH_HELPER
from .scan import RESTRICTED

# The shipped `exposure` defaults, from the one config model.
DEFAULT_INTERNAL_PATHS = ExposureConfig().internal_paths
DEFAULT_INTERNAL_FILES = ExposureConfig().internal_files
DEFAULT_INTERNAL_SERVICES = ExposureConfig().internal_services

MIRROR = "declared in an OpenAPI document"


# Names of operations surfaces that are also what a resource has: `/devices/{id}/metrics` are one device's
# readings and `/projects/{id}/jobs` a project's jobs, data of the resource the parameter names, not the
# server's scrape endpoint or job queue.
_RESOURCE_SCOPED = frozenset({"metrics", "jobs", "cron", "dashboard", "manager"})


def _path_pattern_hit(pattern: str, path: str) -> bool:
    bare = path.strip("/")
    # `/__error__` itself, where a pattern names the Dockerflow spelling
    spelled = "__" in bare and (glob_match(pattern, bare) or glob_match(pattern, bare + "/_"))
    if "__" in bare:
        # `/__metrics__`, `/__heartbeat__`: an operations endpoint named the Dockerflow way reads as its name.
        bare = "/".join(
            s[2:-2] if len(s) > 4 and s.startswith("__") and s.endswith("__") else s for s in bare.split("/")
        )
    # `/admin/**` should also cover `/admin` itself.
    if not (spelled or glob_match(pattern, bare) or glob_match(pattern, bare + "/_")):
        return False
    named = [part for part in pattern.split("/") if part in _RESOURCE_SCOPED]
    segments = bare.split("/")
    at = [i for i, seg in enumerate(segments) if named and seg == named[0]]
    return not at or not all(_resource_segment(segments, i) for i in at)


def _param(segment: str) -> bool:
    return segment.startswith(("{", ":", "<"))


def _resource_segment(segments: list[str], i: int) -> bool:
    """`/devices/{id}/metrics` (a resource's own), `/v1/jobs/{job}/executions` (a collection of the API's
    own resources: a scheduler's jobs, a user's dashboards), not `/jobs` or `/admin/jobs/**`."""
    if i > 0 and _param(segments[i - 1]):
        return True
    return segments[i] != "metrics" and i + 1 < len(segments) and _param(segments[i + 1])


def privileged_guards(ep: Endpoint) -> tuple[str, ...]:
    """The guards of `ep` that only a privileged role (admin, superuser, staff, operator…) passes."""
    return tuple(r for r in ep.reasons if _is_guard(r) and _privileged(r))


def _accepts(reason: str) -> tuple[str, set[str]]:
    """A guard reason and the names any one of which passes it (`@auth accepts manage:system, read:pages`);
    no names when the reason lists none."""
    guard, sep, names = reason.partition(" " + ACCEPTS)
    return guard, {name.strip() for name in names.split(",")} if sep else set()


def _privileged(reason: str) -> bool:
    """A guard that accepts any one of several names is privileged only when every name is."""
    guard, names = _accepts(reason)
    if not names:
        return privileged_role(reason) is not None
    return privileged_role(guard) is not None or all(privileged_role(name) is not None for name in names)


def guard_level(ep: Endpoint) -> int:
    """2: a privileged role; 1: a role, permission or scope; 0: any caller or any signed-in user."""
    if privileged_guards(ep):
        return 2
    # (`permission_classes IsAuthenticated` names the REST framework setting, not a permission)
    return (
        1
        if any(
            _is_guard(r) and RESTRICTED.search(_DRF_SETTING.sub("", r)) and not _object_level_only(r, ep)
            for r in ep.reasons
        )
        else 0
    )


_DRF_SETTING = re.compile(r"^(?:action permission_classes|permission_classes|DEFAULT_PERMISSION_CLASSES) ")
# A REST framework permission on one object (`DocumentAccessPermission`, `IsOwnerOrReadOnly`): the framework
# asks it only of the object a detail route loads (`has_object_permission`), so on a list route, one
# without a parameter, it restricts no one.
_OBJECT_PERMISSION = re.compile(
    r"^(?:permission_classes|DEFAULT_PERMISSION_CLASSES) (?:[\w.]+\.)?"
    r"(?:\w*(?:Access|Object)Permission|IsOwner\w*|\w*OwnerOrReadOnly)$"
)


def _object_level_only(reason: str, ep: Endpoint) -> bool:
    return "{" not in ep.path and _OBJECT_PERMISSION.match(reason) is not None


# `decorator @protected_route(Scope.USERS_WRITE)`: a guard and the scope constants it requires.
_SCOPED_GUARD = re.compile(r"^(decorator @[\w.]+)\(((?:[A-Z]\w*\.[A-Z][A-Z0-9_]*(?:, )?)+)\)$")


def _scope_replaced(old: Endpoint, new: Endpoint) -> bool:
    """The same guard now requires another scope of the same set (`Scope.USERS_WRITE` → `Scope.LOGS_READ`): a
    project's own permission for the feature, which its roles grant as they choose; not a downgrade to any
    signed-in user."""
    before = {m.group(1): m.group(2) for m in map(_SCOPED_GUARD.match, old.reasons) if m}
    for m in map(_SCOPED_GUARD.match, new.reasons):
        if m and m.group(1) in before and m.group(2) != before[m.group(1)]:
            enums = {c.split(".", 1)[0] for c in (before[m.group(1)] + ", " + m.group(2)).split(", ")}
            if len(enums) == 1:
                return True
    return False


def _is_guard(reason: str) -> bool:
    return not reason.startswith(
        (
            "google.api.http binding of ",
            MIRROR,
            "x-internal",
            "service ",
            OPS_DASHBOARD,
            SERVES,
            OPTS_OUT,
            DEBUG_BUILD,
            DEV_SERVER,
            ADMIN_HANDLER,
            symfony.IMPORTS,  # (`@SyliusAdminBundle/…`: a bundle's name, no role)
        )
    )


def _accepted(ep: Endpoint) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in ep.reasons:
        guard, names = _accepts(r)
        if not names:
            guard, names = _spring_any_role(r)
        if not names:
            guard, names = _aspnet_roles(r)
        if not names:
            guard, names = _decorator_roles(r)
        if names:
            out.setdefault(guard, set()).update(names)
    return out


# ASP.NET Core's `[Authorize(Roles = "Admin,Apply")]`: any one of the roles passes.
_ASPNET_ROLES = re.compile(r'^\[Authorize\(\s*Roles\s*=\s*"([^"\n]{1,500})"\s*\)\]$')


def _aspnet_roles(reason: str) -> tuple[str, set[str]]:
    m = _ASPNET_ROLES.match(reason)
    if m is None:
        return reason, set()
    return "[Authorize(Roles)]", {name.strip() for name in m.group(1).split(",") if name.strip()}


# A Python view's role decorator naming the roles it admits: `@role_required('admin', 'admin-ccs-sourcing')`,
# `@roles_accepted("editor", "admin")`.
_DECORATOR_ROLES = re.compile(r"^decorator @([\w.]{0,60}roles?(?:_\w{1,40})?)\((.{1,500})\)$", re.S)


def _decorator_roles(reason: str) -> tuple[str, set[str]]:
    m = _DECORATOR_ROLES.match(reason)
    if m is None or not any(word in m.group(1) for word in ("required", "accepted", "allowed")):
        return reason, set()
    return f"@{m.group(1)}", set(_QUOTED_NAME.findall(m.group(2)))


# Spring Security's method guards that admit any one of the roles they name: `@PreAuthorize("hasAnyRole('A',
# 'B')")`, `hasRole('A') or hasAuthority('B')`, `@Secured({"ROLE_A", "ROLE_B"})`, `@RolesAllowed(…)`.
_SPRING_GUARD = re.compile(r"^@(PreAuthorize|Secured|RolesAllowed)\((.{0,2000})\)$", re.S)
_SPRING_ROLE_CALL = re.compile(r"\bhas(?:Any)?(?:Role|Authority)\s*\(([^()]{0,1000})\)")
_SPRING_OR = re.compile(r"(?:\s|\bor\b|\|\||[\"{}(),])*")
_QUOTED_NAME = re.compile(r"['\"]([\w:.-]{1,100})['\"]")


def _spring_any_role(reason: str) -> tuple[str, set[str]]:
    """The roles any one of which passes a Spring method guard, when it only lists roles (no `and`, no
    expression on the caller or the arguments); `ROLE_` is Spring's prefix, not part of the name."""
    m = _SPRING_GUARD.match(reason)
    if m is None:
        return reason, set()
    expression = m.group(2)
    if m.group(1) == "PreAuthorize":
        calls = list(_SPRING_ROLE_CALL.finditer(expression))
        if not calls or not _SPRING_OR.fullmatch(_SPRING_ROLE_CALL.sub("", expression)):
            return reason, set()
        expression = " ".join(c.group(1) for c in calls)
    elif not _SPRING_OR.fullmatch(_QUOTED_NAME.sub("", expression)):
        return reason, set()
    names = {n.removeprefix("ROLE_") for n in _QUOTED_NAME.findall(expression)}
    return f"@{m.group(1)} roles", names


def accepts_more(old: Endpoint, new: Endpoint) -> str:
    """The names a guard of `new` accepts that the same guard of `old` did not (`+write:users`), if any."""
    before = _accepted(old)
    for guard, names in _accepted(new).items():
        if guard in before and names > before[guard]:
            return f"{guard} now also accepts " + ", ".join(sorted(names - before[guard]))
    return ""


def opts_out(ep: Endpoint) -> tuple[str, ...]:
    """The declarations by which `ep` admits anonymous callers (`[AllowAnonymous]`, `@Public()`)."""
    return tuple(r.removeprefix(OPTS_OUT) for r in ep.reasons if r.startswith(OPTS_OUT))


def service_of(ep: Endpoint) -> str:
    """The gRPC service an RPC or its HTTP binding belongs to (`pkg.Service/Method` → `Service`)."""
    return qualified_service_of(ep).rsplit(".", 1)[-1]


def qualified_service_of(ep: Endpoint) -> str:
    """The service with its package (`pkg.Service/Method` → `pkg.Service`)."""
    name = ep.path if ep.kind == "grpc" else ""
    for r in ep.reasons:
        if r.startswith("google.api.http binding of "):
            name = r.removeprefix("google.api.http binding of ")
    return name.split("/", 1)[0] if "/" in name else ""


# A file tree served under a path (`/admin/static/*`, `/assets/{path}`): the front-end's files, whoever may
# load them, never an API the path's other routes expose.
_STATIC_TREE = re.compile(
    r"(?:^|/)(?:static|assets|dist|css|js|img|images|fonts|media)/(?:\*\*?|\*\w+|\{[\w.*:]*\}|:\w+\*?)$"
)


# A honeypot: `get "/wp-admin", HoneypotController, :trap` answers scanners probing for admin pages it never
# had. The path looks internal; the handler serves a decoy, no internal function.
_DECOY_HANDLER = re.compile(
    r"honey_?pot|tar_?pit|decoy|[#.:]trap\b|\btrap_?(?:request|scanner|bot)s?\b", re.I
)


# `adminCreateUser`, `admin_users`, `sysadminSettings`: a GraphQL query or mutation named for administrators.
_ADMIN_FIELD = re.compile(r"(?:admin|sysadmin|superadmin|superuser)(?=[A-Z_])")


def is_decoy(ep: Endpoint) -> bool:
    return bool(ep.handler) and _DECOY_HANDLER.search(ep.handler) is not None


def is_static_tree(ep: Endpoint) -> bool:
    return (
        ep.kind == "http" and ep.method in ("GET", "ANY", "HEAD") and _STATIC_TREE.search(ep.path) is not None
    )


# OpenTelemetry's HTTP intake (`POST /v1/metrics`, `/v1/traces`, `/v1/logs`). Where a file already served
# one, another is more of the product's own intake (its users' telemetry), not a metrics endpoint of its own;
# a service opening its first intake has a new surface to answer for.
_OTLP_INTAKE = re.compile(r"(?:^|/)v1/(?:metrics|traces|logs)$")


def is_telemetry_intake(ep: Endpoint) -> bool:
    return ep.method in ("POST", "PUT") and _OTLP_INTAKE.search(ep.path) is not None


# A GraphQL schema kept in the admin API's folder (`schema/admin-api/*.graphql`, `graphql/admin/`): the
# operations only the admin API serves.
_ADMIN_SCHEMA_DIR = re.compile(r"(?:^|/)(?:admin(?:[-_]?api)?|[\w]+[-_]admin)/(?=[^/]*$)", re.IGNORECASE)


# Liveness, readiness and health probes: public by convention, wherever a project serves them.
_PROBE = re.compile(
    r"^(?:/[\w.-]+)*?/(?:health|healthz|healthcheck|health-check|health_check|livez|readyz|livenessz?|readiness"
    r"|ready|live|alive|ping|heartbeat)(?:/(?:live|liveness|ready|readiness|startup|check))?$"
)


def is_probe(path: str) -> bool:
    return _PROBE.match(path) is not None


def internal_reasons(
    ep: Endpoint,
    side: Sequence[Endpoint],
    internal_paths: Sequence[str],
    internal_files: Sequence[str],
    internal_services: Sequence[str] = DEFAULT_INTERNAL_SERVICES,
    intake_files: Collection[str] = (),
) -> tuple[str, ...]:
    why: list[str] = []
    if is_static_tree(ep) or is_decoy(ep):
        return ()
    if ep.kind == "http" and not (is_telemetry_intake(ep) and ep.file in intake_files):
        for pattern in internal_paths:
            if _path_pattern_hit(pattern, ep.path):
                why.append(f"path {ep.path} matches internal_paths {pattern!r}")
                break
    if ep.kind == "graphql" and (admin_dir := _ADMIN_SCHEMA_DIR.search(ep.file)):
        why.append(f"schema of the admin API ({admin_dir.group(0).strip('/')}/)")
    # (a top-level query or mutation: `me.adminNote` is a field of a type, not an operation)
    if ep.kind == "graphql" and "." not in ep.path and _ADMIN_FIELD.match(ep.path.strip("/")):
        why.append(f"GraphQL operation {ep.path.strip('/')} named for administrators")
    for pattern in internal_files:
        if glob_match(pattern, ep.file):
            why.append(f"file {ep.file} matches internal_files {pattern!r}")
            break
    service = qualified_service_of(ep)
    short = service.rsplit(".", 1)[-1]
    for pattern in internal_services if service else ():
        if glob_match(pattern, short) or glob_match(pattern, service):
            why.append(f"service {service} matches internal_services {pattern!r}")
            break
    dashboards = [r.removeprefix(OPS_DASHBOARD) for r in ep.reasons if r.startswith(OPS_DASHBOARD)]
    if dashboards:
        why.append(f"an operations dashboard ({dashboards[0]})")
    served = [r.removeprefix(SERVES) for r in ep.reasons if r.startswith(SERVES)]
    if served:
        why.append(f"serves a metrics, profiling or debugging handler ({served[0]})")
    admin = [r.removeprefix(ADMIN_HANDLER) for r in ep.reasons if r.startswith(ADMIN_HANDLER)]
    if admin:
        why.append(f"handled by an admin controller ({admin[0]})")
    if DEBUG_MODE in ep.reasons:
        why.append("answers only in debug mode: a debugging endpoint")
    if "x-internal: true" in ep.reasons:
        why.append("marked x-internal in the OpenAPI document")
    guards = privileged_guards(ep)
    if guards:
        why.append(f"only a privileged role may call it: {guards[0]}")
    # `before_action :require_internal_api_key`, `requires_internal_auth`: a guard for the service's own callers
    internal = [r for r in ep.reasons if _is_guard(r) and "internal" in words(r.partition(" " + ACCEPTS)[0])]
    if internal and ep.auth == AUTHENTICATED and not opts_out(ep):
        why.append(f"only internal callers pass its guard: {internal[0]}")
    overriding = [r for r in opts_out(ep) if OVERRIDING in r]
    if overriding and ep.auth != AUTHENTICATED:
        why.append(f"admits anonymous callers where its controller requires authentication: {overriding[0]}")
    elif ep.auth == UNAUTHENTICATED:
        # Allowlist entries are exemptions, not the file's routes.
        neighbours = [o for o in side if o.file == ep.file and o.key != ep.key and o.kind not in _NOT_ROUTES]
        # A route's group is its router: a new unguarded blueprint beside guarded ones is a group of its own.
        if ep.owner:
            neighbours = [o for o in neighbours if o.owner in (ep.owner, "")]
        if ep.method in _READS and neighbours and all(o.method in _WRITES for o in neighbours):
            neighbours = []  # a read beside guarded writes: who may change a thing, not who may see it
        # (a sign-in step or a webhook is meant for callers the application has not identified)
        # (Frappe's `allow_guest=True` is the method's own declaration: a module of whitelisted methods is no
        # router)
        meant_open = _a_door(ep) or frappe.GUEST in ep.reasons
        if neighbours and all(o.auth == AUTHENTICATED for o in neighbours) and not meant_open:
            why.append(
                f"unauthenticated while the other {len(neighbours)} endpoint(s) in {ep.file} are authenticated"
            )
        elif not meant_open and (resource := _guarded_resource(ep, neighbours)) is not None:
            why.append(f"unauthenticated while the other endpoints under {resource} are authenticated")
    return tuple(why)


def _through_helper(ep: Endpoint) -> bool:
    return any(r.startswith(THROUGH_HELPER) for r in ep.reasons)


_READS = frozenset({"GET", "HEAD"})
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# The steps of signing in, up and out answer callers nobody has identified yet, wherever they are mounted.
_SIGN_IN_FLOW = re.compile(
    r"(?i)^(?:log_?in|log_?out|sign_?in|sign_?up|sign_?out|register|registration|password\w*|reset\w*|forgot\w*|"
    r"verify\w*|confirm\w*|callback|activate|invite\w*|oauth\w*|sso|saml|captcha|public|anonymous|authenticate|"
    r"auth[-_]?(?:enabled|status|config|methods|providers|mode|info))$"
)
MIN_RESOURCE_SIBLINGS = 2


def _door_of_an_internal_file(ep: Endpoint, internal: Sequence[str]) -> bool:
    """A sign-in or sign-out step internal only by the file declaring it or the area it is under (an admin
    area's login controller, `/admin/login`): the way in, open by what it is."""
    parts = segments(ep.path)
    door = bool(parts) and (_SIGNS_IN.match(parts[-1]) is not None or _SIGNS_OUT.match(parts[-1]) is not None)
    return door and all(reason.startswith(("file ", "path ")) for reason in internal)


# A webhook receiver: another service calls it, signed by a shared secret the handler checks, not a login.
_WEBHOOK = re.compile(r"(?i)(?:^|/)web[-_]?hooks?(?:/|$)")
_SIGNS_OUT = re.compile(r"(?i)^(?:[a-z0-9]+[-_])?(?:log_?out|sign_?out)$")


def _signs_in(ep: Endpoint) -> bool:
    """A step of signing in (`POST /auth/login`, `/auth/wechat-login`): declaring it anonymous states what it
    must be."""
    parts = segments(ep.path)
    return bool(parts) and _SIGNS_IN.match(parts[-1]) is not None


# The step itself, under any qualifier (`wechat-login`, `sso_login`); signing out needs someone signed in.
_SIGNS_IN = re.compile(r"(?i)^(?:[a-z0-9]+[-_])?(?:log_?in|sign_?in|sign_?up|register|registration)$")


def _guarded_resource(ep: Endpoint, neighbours: Sequence[Endpoint]) -> str | None:
    """`POST /api/users/token` added bare beside `/api/users` and `/api/users/{id}`, all wrapped in a guard,
    in a file whose other routes (login, setup) are open: the resource's own routes require auth."""
    parts = segments(ep.path)
    if len(parts) < 2 or _a_door(ep):
        return None
    # its own parent, then (from two segments up) the group above it (`GET /api/message/status/{link}` bare
    # in a group whose `/api/message`, `/api/message/search` and `/api/message/{id}` each carry the guard)
    for depth in [len(parts) - 1] + ([len(parts) - 2] if len(parts) >= 4 else []):
        parent = "/" + "/".join(parts[:depth])
        same = [o for o in neighbours if o.path == parent or o.path.startswith(parent + "/")]
        # the doors beside the resource (`/api/session`, `/api/login`, a probe) are open by what they are, and
        # the routes of its own resource (`POST /api/sites` beside a new `GET /api/sites`) are its group
        own = parts[: depth + 1]
        same = [o for o in same if not _a_door(o) and segments(o.path)[: depth + 1] != own]
        if same:
            if len(same) >= MIN_RESOURCE_SIBLINGS and all(o.auth == AUTHENTICATED for o in same):
                return parent
            return None
    return None


# Creating, reading and ending a session (`POST/GET/DELETE /api/session`) is signing in and out.
_SESSION = re.compile(r"(?i)^sessions?$")


def _a_door(ep: Endpoint) -> bool:
    """A route open by what it is: a probe, a webhook, a step of signing in or out, the session itself."""
    named = [p for p in segments(ep.path) if not p.startswith(("{", ":"))]
    last = named[-1] if named else ""
    return (
        is_probe(ep.path)
        or _WEBHOOK.search(ep.path) is not None
        or _SIGN_IN_FLOW.match(last) is not None
        or _SIGNS_IN.match(last) is not None
        or _SIGNS_OUT.match(last) is not None
        or _SESSION.match(last) is not None
        or (_SIGNS_UP.search("/".join(segments(ep.path))) is not None and ep.method in ("POST", "PUT"))
        or _TOKEN_ENDPOINT.search("/".join(named)) is not None
    )


# An OAuth-style token endpoint (`POST /auth/token`, `/oauth/token`): where credentials are exchanged.
_TOKEN_ENDPOINT = re.compile(r"(?i)(?:^|/)(?:auth|oauth2?|connect)/token$")
# Creating an account is signing up: `POST /user/create`, `POST /users/new` (not `/users/{id}/create`).
_SIGNS_UP = re.compile(r"(?i)(?:^|/)(?:users?|accounts?)/(?:create|new)$")


_RANK = {AUTHENTICATED: 2, "unknown": 1, UNAUTHENTICATED: 0}


_FORMAT_SUFFIX = re.compile(r"\.(?:ya?ml|json)$")


def _another_format(ep: Endpoint, before: Sequence[Endpoint]) -> bool:
    """An exemption for a document (`/**/api-docs.yaml`) whose path, without its format, was exempt with all
    below it (`/**/api-docs/**`)."""
    if _FORMAT_SUFFIX.search(ep.path) is None:
        return False
    bare = _FORMAT_SUFFIX.sub("", ep.path)
    return any(
        e.kind == allowlist.KIND and e.file == ep.file and e.path.removesuffix("/**") == bare for e in before
    )


def _moved_exemption(
    ep: Endpoint,
    before: Mapping[tuple[str, str, str], Endpoint],
    after: Mapping[tuple[str, str, str], Endpoint],
) -> bool:
    """An exemption of the same file that went away as this one came, for the same path under another
    prefix (`/v3/api-docs/**` → `/api/v3/api-docs/**`, `/api/token` → `/api/admin/token`), or renamed beside it
    (`/api/reset-password-requests` → `/api/administrators/reset-password`): the exempted endpoint moved, no
    more is exempt."""
    mine = segments(ep.path)
    for key, old in before.items():
        if old.kind != allowlist.KIND or old.file != ep.file or key in after:
            continue
        theirs = segments(old.path)
        short, long = sorted((mine, theirs), key=len)
        if short and len(short) < len(long) and long[-len(short) :] == short:
            return True
        if not all(_PLAIN_SEGMENT.match(seg) for seg in (*short, *long)):
            continue  # (a login hook's condition stands as a path: no segments to compare)
        if len(short) >= 2 and short[-1] == long[-1] and short[0] == long[0] and _subsequence(short, long):
            return True
        if len(short) >= 2 and short[0] == long[0] and len(_words(short[-1]) & _words(long[-1])) >= 2:
            return True
    return False


_PLAIN_SEGMENT = re.compile(r"^[\w{}.*:-]{1,120}$")


def _subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    rest = iter(long)
    return all(any(seg == other for other in rest) for seg in short)


def _words(segment: str) -> set[str]:
    return {w for w in re.split(r"[-_.]", segment.lower()) if len(w) >= 4}


def _list_introduced(
    ep: Endpoint, before: Sequence[Endpoint], after: Sequence[Endpoint], base: Mapping[str, str]
) -> bool:
    """`ep` is one entry of an exemption list that a file declares whole where its base declared none (a
    Next.js `middleware.ts` written with `unAuthenticatedApiRoutes` and a default deny): the guard is new,
    and what it lists was open before it. A Go middleware's path test is new with its guard when the file's
    base checked no credentials at all (`r.BasicAuth()` added with `r.URL.Path == "/events"` let through)."""
    if any(e.kind == allowlist.KIND and (e.file == ep.file or e.path == ep.path) for e in before):
        return False
    if ep.reasons and ep.reasons[0] == allowlist.GO_MIDDLEWARE:
        return not allowlist.checks_credentials(base.get(ep.file, ""))
    listed = sum(1 for e in after if e.kind == allowlist.KIND and e.file == ep.file)
    return listed >= MIN_INTRODUCED_LIST


MIN_INTRODUCED_LIST = 3


def _kept_open(rule: Endpoint, before: Sequence[Endpoint], after: Sequence[Endpoint]) -> bool:
    """An exemption for routes that were open and that this change puts behind a guard (an app-wide login
    dependency added, the sign-up and sign-in routes listed as its exceptions): they stay as open as before."""
    pattern = rule.path.strip("/") or "**"

    def hits(side: Sequence[Endpoint]) -> dict[tuple[str, str, str], str]:
        return {e.key: e.auth for e in side if e.kind == "http" and glob_match(pattern, e.path.strip("/"))}

    was, now = hits(before), hits(after)
    return (
        bool(was)
        and all(auth == UNAUTHENTICATED for auth in was.values())
        and all(now.get(key) == AUTHENTICATED for key in was)
    )


def _covered_before(ep: Endpoint, dropped_wildcards: Sequence[Endpoint]) -> bool:
    """A wildcard endpoint of the same file that this change drops served every method of this path, no
    better guarded (`/actuator/*` before `/actuator/metrics`): the list narrowed. (A wildcard that stays
    does not cover an endpoint switched on beside it.)"""
    return any(
        (old.file == ep.file or _process_wide(old))
        and old.kind == ep.kind
        and (old.method in (ep.method, "ANY") or _process_wide(old))
        and not _weaker(ep, old)
        # (`/debug/pprof/**` covers its index `/debug/pprof` too)
        and (_exempted(ep.path, (old.path,)) or _exempted(ep.path + "/_", (old.path,)))
        for old in dropped_wildcards
    )


def _process_wide(ep: Endpoint) -> bool:
    """`import _ "net/http/pprof"`: every handler of the package on the process's default mux, whichever file
    imports it and whichever method calls it."""
    return any(r.endswith(DEFAULT_MUX_SIDE_EFFECT) for r in ep.reasons)


OpenActions = dict[tuple[str, str, str], list[Endpoint]]


def _open_actions(before: Sequence[Endpoint]) -> OpenActions:
    """The base's endpoints open to anyone whose handler names one controller action, by file, kind and
    action (a key several routes share, `aspnet-class:BaseApiController`, names no action)."""
    found: OpenActions = {}
    for old in before:
        if old.auth == UNAUTHENTICATED and _names_action(old.handler):
            found.setdefault((old.file, old.kind, old.handler), []).append(old)
    return found


def _already_open(ep: Endpoint, open_actions: OpenActions) -> bool:
    """The base served the same controller action to anonymous callers at another path of the same file
    (`r/{id}` → `PirepController@show` beside the guarded `pireps/{id}`): opening this path opens nothing new."""
    return any(
        old.path != ep.path
        and old.method in (ep.method, "ANY")
        # a Go handler is named without its receiver (`h.Packages.Get`, `h.Organizations.Get`): the same only
        # where the path ends the same way
        and ("#" in ep.handler or _same_action(ep, old))
        for old in open_actions.get((ep.file, ep.kind, ep.handler), ())
    )


def _weaker(ep: Endpoint, than: Endpoint) -> bool:
    """Less guarded: a lower rank, or the same rank without the privileged guard `than` has (so which of
    two declarations of a path stands never depends on the order their files sort in)."""
    mine, theirs = _RANK.get(ep.auth, 1), _RANK.get(than.auth, 1)
    if mine != theirs:
        return mine < theirs
    return bool(privileged_guards(than)) and not privileged_guards(ep)


def _index(endpoints: Sequence[Endpoint]) -> dict[tuple[str, str, str], Endpoint]:
    out: dict[tuple[str, str, str], Endpoint] = {}
    for ep in endpoints:
        old = out.get(ep.key)
        if old is None:
            out[ep.key] = ep
            continue
        # A generated OpenAPI document mirrors code: it never erases what the code says (binding, auth).
        if (MIRROR in ep.reasons) != (MIRROR in old.reasons):
            if MIRROR in old.reasons:
                out[ep.key] = ep
            continue
        # One route declared twice is as exposed as its weakest declaration.
        if _weaker(ep, old):
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
    internal_services: Sequence[str] = DEFAULT_INTERNAL_SERVICES,
) -> ExposureDelta:
    before_list, after_list = extract(base), extract(head)
    deleted = frozenset(base) - frozenset(head)
    before, after = _index(before_list), _index(after_list)
    base_rpcs = {ep.path: ep for ep in before.values() if ep.kind == "grpc"}
    base_bound = {_binding_of(ep) for ep in before.values()}
    intake_files = {ep.file for ep in before_list if is_telemetry_intake(ep)}
    # (a change that drops the blank import putting the profiler on the default mux from a file re-registers
    # its handlers explicitly: the profiler was served, whichever file still imports it)
    imports_dropped = any(
        _process_wide(ep) and not any(_process_wide(a) and a.file == ep.file for a in after_list)
        for ep in before_list
    )
    dropped_wildcards = [
        ep
        for ep in before_list
        if "*" in ep.path and (ep.key not in after or (imports_dropped and _process_wide(ep)))
    ]
    open_actions = _open_actions(before_list)
    # Permit-all patterns the change drops: what they admitted was open before and is re-declared now.
    head_exemptions = [ep.path for ep in after_list if ep.kind == allowlist.KIND]
    kept_exemptions = set(head_exemptions)
    base_exemptions = [
        ep.path for ep in before_list if ep.kind == allowlist.KIND and ep.path not in kept_exemptions
    ]

    def why_internal(ep: Endpoint, side: Sequence[Endpoint]) -> tuple[str, ...]:
        return internal_reasons(ep, side, internal_paths, internal_files, internal_services, intake_files)

    # A route that named some methods and now serves every method (`GET /x` → `Any /x`) is the same endpoint,
    # compared with the weakest of its old declarations.
    by_path: dict[tuple[str, str], Endpoint] = {}
    for (kind, _, path), ep in before.items():
        known = by_path.get((kind, path))
        if known is None or _weaker(ep, known):
            by_path[(kind, path)] = ep

    findings: list[Finding] = []
    for key, ep in after.items():
        internal = why_internal(ep, after_list)
        # A route that served every method and now names some (`@RequestMapping` → `@GetMapping`) is the
        # same endpoint, narrowed.
        old = before.get(key) or (
            before.get((ep.kind, "ANY", ep.path)) if ep.method != "ANY" else by_path.get((ep.kind, ep.path))
        )
        if ep.kind in (allowlist.FALLBACK, auth_handlers.HOOK, allowlist.CHAIN):
            continue  # read only for the matchers a change drops, or for the hooks a change adds
        if old is None and ep.kind == allowlist.KIND and _new_hook(ep, before_list, after_list):
            continue  # a login hook this change adds: what it lets through was open before
        if old is None and ep.kind == allowlist.RULE:
            continue  # a new rule on a matcher guards what it matches: never more exposure by itself
        if old is None and ep.kind == allowlist.KIND and narrows(ep.path, (p for _, _, p in before)):
            continue
        if old is None and ep.kind == allowlist.KIND and _another_format(ep, before_list):
            continue  # `/**/api-docs.yaml` beside `/**/api-docs/**`: the same document, in another format
        if old is None and ep.kind == allowlist.KIND and is_probe(ep.path):
            continue  # a health probe exempted from login is public by convention
        if old is None and ep.kind == allowlist.KIND and _moved_exemption(ep, before, after):
            continue
        if old is None and ep.kind == allowlist.KIND and _kept_open(ep, before_list, after_list):
            continue
        if old is None and ep.kind == allowlist.KIND and _list_introduced(ep, before_list, after_list, base):
            continue  # a central guard this change introduces, with what stays open listed
        if old is None and ep.kind == allowlist.KIND:
            why = (f"{ep.path} exempted from authentication: {', '.join(ep.reasons)}",) + internal
            findings.append(Finding("widened", ep, None, bool(internal), why))
        elif old is None and DEV_SERVER in ep.reasons:
            findings.append(Finding("added", ep, None, False, ()))  # the development server's only
        elif old is None:
            rpc = _binding_of(ep)
            # An internal RPC newly reachable over HTTP widens; a client-facing RPC served on one more
            # transport, under the same auth, is an addition like any other (REST annotations for a gateway).
            if rpc is not None and rpc in base_rpcs and rpc not in base_bound and internal:
                why = (f"RPC {rpc} gained an HTTP binding {ep.method} {ep.path}",) + internal
                findings.append(Finding("widened", ep, base_rpcs[rpc], bool(internal), why))
            elif _covered_before(ep, dropped_wildcards):
                continue  # `exposure.include: "*"` → `health,metrics`: already served under the wildcard
            elif internal and _door_of_an_internal_file(ep, internal):
                # `POST /login` of `controller/admin/LoginController`: the way in, open by what it is
                findings.append(Finding("added", ep, None, False, ()))
            else:
                findings.append(Finding("added", ep, None, bool(internal), internal))
        elif MIRROR in ep.reasons and MIRROR not in old.reasons:
            # Only a document still lists what the code no longer declares: the document lags, it widens nothing.
            continue
        elif DEBUG_BUILD in old.reasons and DEBUG_BUILD not in ep.reasons:
            why = ("now registered in every build, was debug builds only",)
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif ep.kind == "http" and _exempted(old.path, base_exemptions):
            # The base let anonymous callers in through a permit-all rule this change drops
            # (`requestMatchers("/app-api/**").permitAll()`): whatever the endpoint declares now, it was open.
            continue
        elif ep.auth != AUTHENTICATED and _already_open(ep, open_actions):
            continue  # the same action was already served to anyone at another path of the same file
        elif (
            opts_out(ep)
            and not opts_out(old)
            and ep.auth != AUTHENTICATED
            # the same view now says anyone may call it (a new view serving an open path says what was so)
            and (old.auth == AUTHENTICATED or old.handler == ep.handler)
            and not _signs_in(ep)
        ):
            why = (f"now declares anonymous access: {opts_out(ep)[0]}",)
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif old.auth == AUTHENTICATED and ep.auth != AUTHENTICATED and _controller_deleted(ep, deleted):
            continue  # its controller went with its guards: the route serves nothing now
        elif old.auth == AUTHENTICATED and ep.auth == UNKNOWN and _through_helper(ep):
            continue  # now registered through a helper of the project's own, which may carry the guard
        elif (
            old.auth == AUTHENTICATED
            and ep.auth == UNAUTHENTICATED
            and _behind_central_guard(ep, head_exemptions)
            and not opts_out(ep)
        ):
            continue  # its own check dropped: the interceptor that exempts a list still guards the rest
        elif old.auth == AUTHENTICATED and ep.auth != AUTHENTICATED:
            why = (
                f"auth went from {old.auth} to {ep.auth}: was {', '.join(old.reasons) or 'authenticated'}",
            )
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif old.auth != AUTHENTICATED and ep.auth == AUTHENTICATED:
            findings.append(Finding("narrowed", ep, old, bool(internal), internal))
        elif ep.auth == AUTHENTICATED and guard_level(ep) < guard_level(old) and not _scope_replaced(old, ep):
            now = ", ".join(ep.reasons) or "none"
            why = (f"guard downgraded: was {', '.join(old.reasons)}; now {now}",)
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif ep.auth == AUTHENTICATED and (lost := _lost_enforcement(old, ep)):
            why = (f"no longer enforces sign-in: {lost} dropped; what is left only loads the caller",)
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif ep.auth == AUTHENTICATED and (check := _dropped_check(old, ep) or _read_for_write(old, ep)):
            why = (check,)
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif ep.auth == AUTHENTICATED and (more := accepts_more(old, ep)):
            why = (f"guard accepts more: {more}",)
            findings.append(Finding("widened", ep, old, bool(internal), why + internal))
        elif ep.method == "ANY" and old.method != "ANY" and internal and not _serves_diagnostics(old, ep):
            why = (f"now serves every method, was {old.method}",)
            findings.append(Finding("widened", ep, old, True, why + internal))
    served = {(kind, path) for kind, _, path in after}
    for key, old in before.items():
        # An every-method route still served under some of its methods is narrowed, not removed; a route now
        # served under every method was compared above.
        if key not in after and not (
            (old.method == "ANY" and (old.kind, old.path) in served) or (old.kind, "ANY", old.path) in after
        ):
            if old.kind in (allowlist.FALLBACK, auth_handlers.HOOK):
                continue
            internal = why_internal(old, before_list)
            if old.kind == allowlist.CHAIN:
                # A chain's last guard gone while another chain still guards something is a rewrite.
                if not any(ep.kind == allowlist.CHAIN for ep in after_list):
                    why = (
                        f"{old.reasons[0]} is gone: no filter chain guards {old.path} any more",
                    ) + internal
                    opened_ep = dataclasses.replace(old, auth=UNAUTHENTICATED)
                    findings.append(Finding("widened", opened_ep, old, bool(internal), why))
                continue
            if old.kind == allowlist.RULE and (opened := _falls_open(old, before_list, after_list)):
                why = (f"rule {old.reasons[0]} dropped: requests fall through to {opened}",) + internal
                opened_ep = dataclasses.replace(old, auth=UNAUTHENTICATED, reasons=(opened,))
                findings.append(Finding("widened", opened_ep, old, bool(internal), why))
                continue
            change = "narrowed" if old.kind in (allowlist.KIND, allowlist.RULE) else "removed"
            findings.append(Finding(change, old, None, bool(internal), internal))
    findings = _namespace_renamed(findings, _renamed_files(base, head))
    findings = _controllers_moved(findings, base, head)
    delta = _resettled(_moved_dashboards(_swapped_pages(_renamed_in(moves(_renames(_rebound(findings)))))))

    def in_internal_area(path: str) -> bool:
        return any(_path_pattern_hit(pattern, path) for pattern in internal_paths)

    return ExposureDelta(
        tuple(_second_paths(delta, after_list, lambda e: bool(why_internal(e, after_list)), in_internal_area))
    )


# Exemptions and a filter chain's last guard: what a file declares about routes, not routes of its own.
_NOT_ROUTES = (allowlist.KIND, allowlist.CHAIN)


def _renamed_in(findings: Sequence[Finding]) -> list[Finding]:
    """A route not internal before, renamed into an internal name (`/delayed_jobs` → `/jobs`) in the same file,
    method, auth and guards: the capability was served already, under a name no pattern matched. Read after
    whole-file moves, so a file's routes moved under a new prefix stay one move."""
    removed: dict[tuple[str, str, str, tuple[str, ...]], list[Finding]] = {}
    for f in findings:
        if f.change == "removed" and not f.internal:
            ep = f.endpoint
            removed.setdefault((ep.file, ep.method, ep.auth, ep.reasons), []).append(f)
    paired: set[int] = set()
    out: list[Finding] = []
    for f in findings:
        ep = f.endpoint
        candidates = removed.get((ep.file, ep.method, ep.auth, ep.reasons), []) if f.change == "added" else []
        old = next((g for g in candidates if id(g) not in paired and _kin(ep, g.endpoint)), None)
        if old is None or not f.internal or ep.kind != "http":
            out.append(f)
            continue
        paired.add(id(old))
        why = (f"renamed from {old.endpoint.method} {old.endpoint.path}, same guards",) + f.why
        out.append(Finding("renamed", ep, old.endpoint, f.internal, why))
    return [f for f in out if id(f) not in paired]


def _swapped_pages(findings: Sequence[Finding]) -> list[Finding]:
    """A dashboard's extension swapped for another (`sidekiq/cron/web` → `sidekiq-scheduler/web`) on the same
    mount, in the same file and behind the same guard: the dashboard serves one set of pages for another."""
    return _paired(findings, _extension_page, "swapped for {} on the same dashboard, same guards")


def _moved_dashboards(findings: Sequence[Finding]) -> list[Finding]:
    """An operations dashboard mounted elsewhere (`use Kaffy.Routes` moved into a routes macro, its scope
    spelled out) under the same auth and as privileged a guard: the same dashboard, moved."""
    return _paired(
        findings, _dashboard_mount, "the same dashboard as {}, moved, same guards", _kept_admin_area
    )


def _kept_admin_area(new: Endpoint, old: Endpoint) -> bool:
    """`/system-admin/metrics` → `/metrics` leaves the admin area the old path sat in, and whatever guarded
    that area: not the same dashboard behind the same guards."""
    area = {w for seg in segments(old.path) for w in words(seg)} & ADMIN_WORDS
    return area <= {w for seg in segments(new.path) for w in words(seg)}


def _dashboard_mount(ep: Endpoint) -> tuple[str, ...] | None:
    """(dashboard, auth, privileged or not, debug only or not) of an operations dashboard's mount, or of the
    pages one of its extensions adds (they move with it)."""
    dashboard = next((r for r in ep.reasons if r.startswith(OPS_DASHBOARD)), None)
    if dashboard is None:
        return None
    limited = tuple(r for r in ep.reasons if r in DEBUG_ONLY)
    return (dashboard, ep.auth, "privileged" if privileged_guards(ep) else "", *limited)


def _resettled(findings: Sequence[Finding]) -> list[Finding]:
    """A diagnostics handler whose path setting is renamed (`conf.Metrics.Path` → `conf.MetricsPath`), or that
    moves onto a router mounted at the same setting, in the same file: the same handler served once."""
    return _paired(findings, _settled_handler, "the same handler as {} at a renamed setting")


def _paired(
    findings: Sequence[Finding],
    key_of: Callable[[Endpoint], tuple[str, ...] | None],
    why: str,
    also: Callable[[Endpoint, Endpoint], bool] = lambda new, old: True,
) -> list[Finding]:
    """Each finding added whose key (`key_of`) a removed one shares (and that `also` accepts with it), paired
    with it as one renamed."""
    removed: dict[tuple[str, ...], list[Finding]] = {}
    for f in findings:
        if f.change == "removed" and (key := key_of(f.endpoint)) is not None:
            removed.setdefault(key, []).append(f)
    paired: set[int] = set()
    out: list[Finding] = []
    for f in findings:
        key = key_of(f.endpoint) if f.change == "added" else None
        old = (
            next(
                (g for g in removed.get(key, []) if id(g) not in paired and also(f.endpoint, g.endpoint)),
                None,
            )
            if key
            else None
        )
        if old is None:
            out.append(f)
            continue
        paired.add(id(old))
        out.append(Finding("renamed", f.endpoint, old.endpoint, f.internal, (why.format(old.endpoint.path),)))
    return [f for f in out if id(f) not in paired]


def _settled_handler(ep: Endpoint) -> tuple[str, ...] | None:
    """(file, handler, auth) of a diagnostics handler served where its path is not a literal, or at a literal
    path (`/metrics` made a setting, `-metrics-path`, is the same handler at a path the operator picks)."""
    handler = served_handler(ep.reasons)
    return (ep.file, handler, ep.auth) if handler else None


def _extension_page(ep: Endpoint) -> tuple[str, ...] | None:
    """(file, the dashboard's path, auth, guards) of an endpoint an extension adds to an ops dashboard."""
    if not any(r.startswith(OPS_DASHBOARD) and " extension " in r for r in ep.reasons):
        return None
    guards = tuple(r for r in ep.reasons if not r.startswith(OPS_DASHBOARD))
    parent = "/".join(ep.path.rstrip("*/").split("/")[:-1])
    return (ep.file, parent, ep.auth, *guards)


def _alias(new: str, old: str, in_internal_area: Callable[[str], bool]) -> bool:
    """`/api-internal/v1/presence` for `/api/v1/internal/presence`: the same resource (last segment and
    parameters alike) under another prefix that is itself an internal area. `/users/{user}/notify` beside
    `/users/notify` is another resource; `/api/metrics` beside `/metrics` brings an internal endpoint into
    the public API's area."""
    a, b = segments(new), segments(old)
    if not a or not b or a[-1] != b[-1]:
        return False
    params = [sum(seg.startswith(("{", ":", "<", "*")) for seg in s) for s in (a, b)]
    return params[0] == params[1] and in_internal_area("/" + "/".join(a[:-1]))


def _prefixed(new: str, old: str, in_internal_area: Callable[[str], bool]) -> bool:
    """`/internal/v1/x` for `/v1/x`: the whole old path under a prefix that is an internal area."""
    a, b = segments(new), segments(old)
    return (
        0 < len(b) < len(a)
        and a[len(a) - len(b) :] == b
        and in_internal_area("/" + "/".join(a[: len(a) - len(b)]))
    )


def _second_paths(
    findings: Sequence[Finding],
    after: Sequence[Endpoint],
    internal: Callable[[Endpoint], bool],
    in_internal_area: Callable[[str], bool],
) -> list[Finding]:
    """An internal endpoint added for a handler the same file already serves, under the same auth and
    guards, as an alias in an internal area of a path that is not new (`/api-internal/v1/presence` beside
    `/api/v1/internal/presence`): one capability at two paths, no new exposure."""
    added = {(f.endpoint.file, f.endpoint.path) for f in findings if f.change == "added"}
    # a handler that names one function, not a controller class every action of the file shares
    served = Counter((e.file, e.handler) for e in after)
    out: list[Finding] = []
    for f in findings:
        ep = f.endpoint
        # the same handler, method, auth and guards at another path of the same file, not itself new
        same = (
            [
                e
                for e in after
                if e.file == ep.file
                and e.handler == ep.handler
                and e.method == ep.method
                and e.auth == ep.auth
                and e.reasons == ep.reasons
                and (e.file, e.path) not in added
            ]
            if f.change == "added" and f.internal and ep.handler and ep.kind == "http"
            else []
        )
        aliased = not ep.handler.startswith(RIGHT) and served.get((ep.file, ep.handler)) == 2
        twin = next(
            (
                e
                for e in same
                if aliased and e.path != ep.path and _alias(ep.path, e.path, in_internal_area) and internal(e)
            ),
            None,
        )  # (a right the guard checks is no function served twice)
        if twin is None:
            # `/internal/v1/warehouse/fetch-tables` beside `/v1/warehouse/fetch-tables`: the path the caller
            # already had, under an internal prefix
            twin = next((e for e in same if _prefixed(ep.path, e.path, in_internal_area)), None)
        if twin is None:
            out.append(f)
            continue
        why = (f"also served at {twin.method} {twin.path} by the same handler, same guards",) + f.why
        out.append(Finding("renamed", ep, twin, f.internal, why))
    return out


def _controller_deleted(ep: Endpoint, deleted: frozenset[str]) -> bool:
    """A Rails route whose controller file this change deletes (`member/jobs#index` and
    `app/controllers/member/jobs_controller.rb`)."""
    return _controller_file(ep, deleted) is not None


def _controller_file(ep: Endpoint, files: Collection[str]) -> str | None:
    """The file of a Rails route's controller (`admin/reports/money#index` →
    `app/controllers/admin/reports/money_controller.rb`) among `files`."""
    if not ep.handler.startswith(CONTROLLER):
        return None
    wanted = "app/controllers/" + ep.handler.removeprefix(CONTROLLER).partition("#")[0] + "_controller.rb"
    return next((path for path in files if path == wanted or path.endswith("/" + wanted)), None)


_FRAME_LINE = re.compile(r"(?:class|module|def|end)\b")


def _body_lines(text: str) -> set[str]:
    """The lines of a controller that say what it does (not its class, module, `def` or `end` lines)."""
    lines = (line.strip() for line in text.splitlines()[:2000])
    return {
        line for line in lines if len(line) > 3 and not line.startswith("#") and not _FRAME_LINE.match(line)
    }


def _controllers_moved(
    findings: list[Finding], base: Mapping[str, str], head: Mapping[str, str]
) -> list[Finding]:
    """An internal Rails route whose controller this change deletes, and one added whose controller it creates
    with the same code (`admin/monthly_adjustments#index` → `admin/reports/money#index`): the same page moved
    and renamed, the same method, auth and guards."""
    removed: list[tuple[Finding, set[str]]] = []
    for f in findings:
        gone = _controller_file(f.endpoint, base) if f.change == "removed" and f.internal else None
        if gone is not None and gone not in head and (code := _body_lines(base[gone])):
            removed.append((f, code))
    if not removed:
        return findings
    paired: dict[int, Finding] = {}
    taken: set[int] = set()
    for f in findings:
        new = _controller_file(f.endpoint, head) if f.change == "added" and f.internal else None
        if new is None or new in base or not (code := _body_lines(head[new])):
            continue
        for prior, prior_code in removed:
            if (
                id(prior) not in taken
                and prior.endpoint.method == f.endpoint.method
                and prior.endpoint.auth == f.endpoint.auth
                and guard_level(f.endpoint) >= guard_level(prior.endpoint)
                and len(code & prior_code) * 2 >= max(len(code), len(prior_code))
            ):
                paired[id(f)] = prior
                taken.add(id(prior))
                break
    out: list[Finding] = []
    for f in findings:
        if id(f) in taken:
            continue
        twin = paired.get(id(f))
        if twin is None:
            out.append(f)
            continue
        why = (f"moved from {twin.endpoint.path}: its controller renamed with the same code, same auth",)
        out.append(Finding("renamed", f.endpoint, twin.endpoint, f.internal, why))
    return out


def _new_hook(ep: Endpoint, before: Sequence[Endpoint], after: Sequence[Endpoint]) -> bool:
    """`ep` is a path through a login hook the head declares in a file whose base had no login hook."""
    hook = auth_handlers.hook_of(ep.path)
    if hook is None:
        return False
    declared = {(e.file, e.path) for e in after if e.kind == auth_handlers.HOOK}
    # a hook renamed in a file that had one is the same gate: what it newly exempts widens
    known = {e.file for e in before if e.kind == auth_handlers.HOOK}
    if (ep.file, hook) in declared and ep.file not in known:
        return True
    # the same exemption under a renamed hook of the same file
    names = ep.path.partition(auth_handlers.WHEN)[2]
    return any(
        e.kind == allowlist.KIND and e.file == ep.file and e.path.partition(auth_handlers.WHEN)[2] == names
        for e in before
        if auth_handlers.WHEN in e.path
    )


# A guard that turns away a caller who has not signed in, as opposed to one that only loads who it is
# (Guardian's `VerifyHeader` or a project's `Auth.Pipeline` beside `Guardian.Plug.EnsureAuthenticated`).
_ENFORCING = re.compile(
    r"\b(?:Ensure|Require)[A-Za-z]*Auth\w*|\b(?:ensure|require)_(?:auth|authenticated|login|logged_in|user)\w*"
    r"|\blogin_required\b|\bauthenticate_user!|\bEnsureAuthenticated\b"
)


def _lost_enforcement(old: Endpoint, new: Endpoint) -> str:
    """The guard that enforced sign-in on `old`, when `new` keeps only some of `old`'s other guards."""
    dropped, kept = _dropped_and_kept(old, new, lambda r: _ENFORCING.search(r) is not None)
    return dropped[0] if dropped and not kept else ""


def _dropped_and_kept(
    old: Endpoint, new: Endpoint, test: Callable[[str], bool]
) -> tuple[list[str], list[str]]:
    """The reasons passing `test` that `old` had and `new` lost, and those `new` keeps, when `new` only lost
    reasons (none when it gained or changed one)."""
    if not set(new.reasons) < set(old.reasons):
        return [], []
    dropped = [r for r in old.reasons if r not in new.reasons and test(r)]
    return dropped, [r for r in new.reasons if test(r)]


def _serves_diagnostics(old: Endpoint, new: Endpoint) -> bool:
    """Both serve a metrics or profiling handler, which answers the same to every method."""
    return any(r.startswith(SERVES) for r in old.reasons) and any(r.startswith(SERVES) for r in new.reasons)


def _dropped_check(old: Endpoint, new: Endpoint) -> str:
    """A role, permission or access check of `old` gone from `new` while another such check stays and
    nothing replaces it: guards stack, so write-and-read access becomes read access
    (`r.With(acl.CheckWriteAccess()).Get(…)` under a group's `CheckReadAccess()` → a plain `r.Get(…)`)."""
    dropped, checks = _dropped_and_kept(old, new, lambda r: _is_guard(r) and RESTRICTED.search(r) is not None)
    return f"guard dropped: {dropped[0]}; the checks left are fewer" if dropped and checks else ""


_WRITE_WORD = re.compile(r"write|edit|manage|update|delete|create|push|maintain", re.IGNORECASE)
_READ_WORD = re.compile(r"read|view|list|pull", re.IGNORECASE)


def _read_for_write(old: Endpoint, new: Endpoint) -> str:
    """A check of write access replaced by the same check of read access (`CheckWriteAccess` →
    `CheckReadAccess`, `edit_post` → `view_post`), every other guard kept."""
    gone = [r for r in old.reasons if r not in new.reasons]
    came = [r for r in new.reasons if r not in old.reasons]
    if len(gone) != 1 or len(came) != 1 or not (_is_guard(gone[0]) and _is_guard(came[0])):
        return ""
    was, now = gone[0], came[0]
    if not _WRITE_WORD.search(was) or _WRITE_WORD.search(now) or not _READ_WORD.search(now):
        return ""
    if _READ_WORD.sub("", now).lower() != _WRITE_WORD.sub("", was).lower():
        return ""
    return f"write check became a read check: was {was}; now {now}"


def _falls_open(rule: Endpoint, before: Sequence[Endpoint], after: Sequence[Endpoint]) -> str:
    """The catch-all of `rule`'s filter chain that admits everyone, when the head keeps it and no rule left
    there covers what `rule` matched (`/mcp/**` dropped, `/api/**` kept, `anyRequest().permitAll()` last).
    Only a matcher dropped from a call that stays (its other patterns kept under the same rule, on one line)
    counts: patterns moved into a constant leave no call to compare."""
    same_file = [ep for ep in after if ep.file == rule.file]
    if not any(ep.kind == allowlist.FALLBACK for ep in same_file):
        return ""
    rules = [ep for ep in same_file if ep.kind == allowlist.RULE]
    siblings = {
        _rule_key(ep)
        for ep in before
        if ep.kind == allowlist.RULE
        and ep.file == rule.file
        and ep.line == rule.line
        and ep.path != rule.path
    }
    kept_at = {ep.line for ep in rules if _rule_key(ep) in siblings}
    kept = {_rule_key(ep) for ep in rules if ep.line in kept_at}
    if not siblings or len(kept_at) != 1 or not siblings <= kept:
        return ""
    covered = rule.path.strip("/").removesuffix("/**")
    if any(_path_pattern_hit(ep.path.strip("/"), covered) for ep in rules):
        return ""
    return allowlist.FALLBACK_REASON


def _rule_key(ep: Endpoint) -> tuple[str, str, str]:
    """A security rule by its method, matcher and rule (`authenticated()` of `authenticated() on /api/**`)."""
    return ep.method, ep.path, ep.reasons[0].split(" on ")[0]


def _names_action(handler: str) -> bool:
    """`phoenix:SessionController#show`, `php:UserController#index`: one controller action; `rpc:GetRecords`:
    a Go handler function (named without its package, so only one at the same path's end is the same). Other
    families' handler keys name a type or a guard alias several routes share."""
    controller, sep, action = handler.partition("#")
    return bool(sep and action and ":" in controller) or (
        handler.startswith("rpc:") and handler[4:].isidentifier()
    )


def _same_action(added: Endpoint, removed: Endpoint) -> bool:
    if "#" in added.handler:
        return True
    tail = segments(added.path)[-2:]
    return len(tail) == 2 and segments(removed.path)[-2:] == tail


def _behind_central_guard(ep: Endpoint, exemptions: Sequence[str]) -> bool:
    """A route of a service that authenticates every call in one place and exempts a list (Next.js
    `middleware.ts` with `unAuthenticatedApiRoutes`, an interceptor's public methods): a route of the same
    area the list does not name is guarded there, whatever its handler checks itself."""
    first = segments(ep.path)[:1]
    if ep.kind != "http" or not first:
        return False
    area = [p for p in exemptions if segments(p)[:1] == first and p.strip("/") not in ("**", "*")]
    return len(area) >= MIN_LISTED_IN_AREA and not _exempted(ep.path, exemptions)


MIN_LISTED_IN_AREA = 2


def _exempted(path: str, patterns: Sequence[str]) -> bool:
    """Whether a permit-all pattern (`/**`, `/app-api/**`, `/public/*`) admits anonymous callers to `path`."""
    bare = path.strip("/")
    return any(glob_match(p.strip("/") or "**", bare) for p in patterns[:MAX_EXEMPTIONS])


MAX_EXEMPTIONS = 200


def _stem_words(path: str) -> set[str]:
    name = path.rsplit("/", 1)[-1].split(".", 1)[0].lower()
    return {w for w in re.split(r"[-_.]+", name) if w}


def _renamed_files(base: Mapping[str, str], head: Mapping[str, str]) -> dict[str, str]:
    """Files the change renames, as git would pair them by name: a file gone from a folder and one new in the
    same folder, of the same kind, whose names share a word (`routes/admin_v2.rb` → `routes/admin.rb`), the
    only such pair there. The new name of each old one."""
    gone = [f for f in base if f not in head]
    new = [f for f in head if f not in base]

    def place(path: str) -> tuple[str, str]:
        folder, _, name = path.rpartition("/")
        return folder, name.rpartition(".")[2] if "." in name else ""

    pairs: dict[str, str] = {}
    for old in gone:
        same = [f for f in new if place(f) == place(old) and _stem_words(f) & _stem_words(old)]
        back = [f for f in gone if place(f) == place(old) and same and _stem_words(f) & _stem_words(same[0])]
        if len(same) == 1 and back == [old]:
            pairs[old] = same[0]
    return pairs


def _namespace_renamed(findings: list[Finding], renamed: Mapping[str, str]) -> list[Finding]:
    """A file's routes moved from one leading segment to another, all of them and nothing else
    (`namespace :admin_v2` → `namespace :admin`, the file renamed to match): each added route is a removed one
    under the new name, the same method, no less guarded. The same routes under a new name, no new exposure."""
    out = list(findings)
    for file in {f.endpoint.file for f in findings if f.change == "added"}:
        added = [f for f in findings if f.change == "added" and f.endpoint.file == file]
        old_files = {file} | {old for old, now in renamed.items() if now == file}
        removed = [f for f in findings if f.change == "removed" and f.endpoint.file in old_files]
        if len(added) < 2 or not all(f.internal and f.endpoint.kind == "http" for f in added):
            continue
        new_first = {next(iter(segments(f.endpoint.path)), "") for f in added}
        old_first = {next(iter(segments(f.endpoint.path)), "") for f in removed}
        if (
            len(new_first) != 1
            or len(old_first) != 1
            or new_first == old_first
            or "" in new_first | old_first
        ):
            continue
        new_seg, old_seg = next(iter(new_first)), next(iter(old_first))
        by_key = {
            (f.endpoint.method, "/".join([new_seg, *segments(f.endpoint.path)[1:]])): f
            for f in removed
            if f.endpoint.kind == "http"
        }
        pairs = [(f, by_key.get((f.endpoint.method, "/".join(segments(f.endpoint.path))))) for f in added]
        if not all(
            old is not None
            and _RANK.get(f.endpoint.auth, 1) >= _RANK.get(old.endpoint.auth, 1)
            and guard_level(f.endpoint) >= guard_level(old.endpoint)
            for f, old in pairs
        ):
            continue
        taken = {id(old) for _, old in pairs}
        renamed_now = {
            id(f): Finding(
                "renamed",
                f.endpoint,
                old.endpoint,
                f.internal,
                (f"renamed with its file's routes from /{old_seg} to /{new_seg}, no less guarded",) + f.why,
            )
            for f, old in pairs
            if old is not None
        }
        out = [renamed_now.get(id(f), f) for f in out if id(f) not in taken]
    return out


def _rebound(findings: list[Finding]) -> list[Finding]:
    """An action re-registered in the same file at another path without the auth it had (`get
    "/sessions/x/:token"` moved from the authenticated scope to the public one) is the same capability,
    widened: the added endpoint is reported as widened from the removed one, which is no longer listed."""
    removed = {
        (f.endpoint.file, f.endpoint.method, f.endpoint.handler): f
        for f in findings
        if f.change == "removed" and _names_action(f.endpoint.handler) and f.endpoint.auth == AUTHENTICATED
    }
    if not removed:
        return findings
    paired: set[int] = set()
    out: list[Finding] = []
    for f in findings:
        ep = f.endpoint
        old = removed.get((ep.file, ep.method, ep.handler)) if f.change == "added" else None
        if old is None or ep.auth == AUTHENTICATED or id(old) in paired or not _same_action(ep, old.endpoint):
            out.append(f)
            continue
        paired.add(id(old))
        was = old.endpoint
        action = ep.handler.split(":", 1)[-1].split("@", 1)[0]
        why = (f"{action} was served at {was.path} with auth, now at {ep.path} without",)
        out.append(Finding("widened", ep, was, f.internal, why + f.why))
    return [f for f in out if id(f) not in paired]


def _same_place_no_weaker(added: Endpoint, removed: Endpoint) -> bool:
    """An HTTP endpoint of the same file and method, no less guarded than the one removed."""
    return (
        added.kind == removed.kind == "http"
        and added.file == removed.file
        and added.method == removed.method
        and _RANK.get(added.auth, 1) >= _RANK.get(removed.auth, 1)
        and guard_level(added) >= guard_level(removed)
    )


def _moved_prefix(added: Endpoint, removed: Endpoint) -> bool:
    """`added` is `removed` under another leading prefix of the same file (`/admin/update-manager/status` →
    `/system/update-manager/status`), no less guarded."""
    new, old = segments(added.path), segments(removed.path)
    tail = 0
    while tail < min(len(new), len(old)) and new[-1 - tail] == old[-1 - tail]:
        tail += 1
    # The shared tail names something (`status`, not only `**` or `{id}`): `/jobs/**` → `/sidekiq/**` is
    # another dashboard, not the same one moved.
    named = any(not s.startswith(("*", "{", ":")) for s in new[len(new) - tail :])
    return (
        named
        and tail < max(len(new), len(old))
        and len(new) - tail <= 2
        and len(old) - tail <= 2
        and _same_place_no_weaker(added, removed)
    )


def _same_handler(added: Endpoint, removed: Endpoint) -> bool:
    """The same controller action of the same file served at another path (`/manage-tags` →
    `/admin/tags`, both `php:ManageTagController#index`), no less guarded."""
    return (
        _names_action(added.handler)
        and added.handler == removed.handler
        and _same_place_no_weaker(added, removed)
    )


def _prefix_moves(findings: list[Finding]) -> list[Finding]:
    """Internal endpoints of one file moved under another prefix, each paired with the removed endpoint of
    the same method and the same path after the prefix: the same capability, not a new one."""
    removed = [f for f in findings if f.change == "removed"]
    paired: set[int] = set()
    out: list[Finding] = []
    for f in findings:
        match = (
            next(
                (
                    r
                    for r in removed
                    if id(r) not in paired
                    and (
                        (r.internal and _moved_prefix(f.endpoint, r.endpoint))
                        or _same_handler(f.endpoint, r.endpoint)
                    )
                ),
                None,
            )
            if f.change == "added" and f.internal and removed
            else None
        )
        if match is None:
            out.append(f)
            continue
        paired.add(id(match))
        old = match.endpoint
        why = (f"moved from {old.method} {old.path} in the same file, no less guarded",) + f.why
        out.append(Finding("renamed", f.endpoint, old, f.internal, why))
    return [f for f in out if id(f) not in paired]


def _action_of(ep: Endpoint) -> str:
    """What serves `ep` in its file: its handler when one was read, else its line."""
    return ep.handler or f"line {ep.line}"


_GENERIC_SEGMENTS = frozenset({"api", "admin", "internal", "private", "debug", "manager", "rest", "web"})


def _kin(a: Endpoint, b: Endpoint) -> bool:
    """Two endpoints that share a named path segment (not a parameter, a version or an internal marker), or a
    handler both name."""

    def named(path: str) -> set[str]:
        # words of the named segments, plural or not: `users_account_suspensions` ~ `users/{id}/suspension`
        return {
            word.removesuffix("s") if len(word) > 3 else word
            for seg in segments(path)
            if not seg.startswith(("{", ":", "<", "*"))
            and seg.lower() not in _GENERIC_SEGMENTS
            and not re.fullmatch(r"v\d+", seg)
            for word in re.split(r"[-_.]+", seg.lower())
            if word
        }

    return bool(named(a.path) & named(b.path)) or bool(
        a.handler and a.file == b.file and a.handler == b.handler
    )


def _renames(findings: list[Finding]) -> list[Finding]:
    """An added and a removed internal endpoint of the same file, method, auth and guards, paired one to
    one, are one endpoint renamed: the same capability under another path is no new exposure."""
    findings = _prefix_moves(findings)
    removed: dict[tuple[str, str, str, tuple[str, ...], bool], list[Finding]] = {}
    elsewhere: dict[tuple[str, str, tuple[str, ...]], list[Finding]] = {}
    # The same action of the same file re-declared with another method (`GET delete/{id}` → `DELETE
    # delete`), under the same guards.
    same_action: dict[tuple[str, str, str, tuple[str, ...]], list[Finding]] = {}
    # An unguarded endpoint renamed into a guarded one of the same file and method (a route moved into a
    # namespace whose controller now carries the admin guard): narrower, never wider.
    unguarded: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.change == "removed" and f.internal:
            ep = f.endpoint
            removed.setdefault((ep.file, ep.method, ep.auth, ep.reasons, f.internal), []).append(f)
            if ep.auth != AUTHENTICATED:
                unguarded.setdefault((ep.file, ep.method), []).append(f)
            same_action.setdefault((ep.file, _action_of(ep), ep.auth, ep.reasons), []).append(f)
            if any(_is_guard(r) for r in ep.reasons):
                elsewhere.setdefault((ep.method, ep.auth, ep.reasons), []).append(f)
    out: list[Finding] = []
    paired: set[int] = set()
    for f in findings:
        ep = f.endpoint
        group = (
            removed.get((ep.file, ep.method, ep.auth, ep.reasons, f.internal))
            if f.change == "added"
            else None
        )
        # Moved to another module with the very same guards (`@admin_required` both sides): one endpoint.
        if not [g for g in group or [] if id(g) not in paired] and f.change == "added" and f.internal:
            group = elsewhere.get((ep.method, ep.auth, ep.reasons))
        if not [g for g in group or [] if id(g) not in paired] and f.change == "added" and f.internal:
            group = same_action.get((ep.file, _action_of(ep), ep.auth, ep.reasons))
        group = [g for g in group or [] if id(g) not in paired]
        if not group and f.change == "added" and f.internal and ep.auth == AUTHENTICATED:
            group = [
                g
                for g in unguarded.get((ep.file, ep.method), [])
                if id(g) not in paired and _kin(ep, g.endpoint)
            ]
        if not ep.reasons:
            # with no guards to share, "the same capability" shows in the path or the handler: a new
            # `/admin/merge_users` is no rename of a removed `/admin/flagged_messages/{id}/processed`
            group = [g for g in group if _kin(ep, g.endpoint)]
        if group and ep.kind == "http" and f.internal:
            old = group[0]
            paired.add(id(old))
            guards = "same guards" if old.endpoint.reasons == ep.reasons else "guarded now"
            why = (f"renamed from {old.endpoint.method} {old.endpoint.path}, {guards}",) + f.why
            out.append(Finding("renamed", ep, old.endpoint, f.internal, why))
        else:
            out.append(f)
    return [f for f in out if id(f) not in paired]
