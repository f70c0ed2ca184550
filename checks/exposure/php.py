"""Laravel `Route::` definitions, including `prefix()`/`middleware()` chains and `group()` closures."""

from __future__ import annotations

import posixpath
import re
from itertools import islice

from .diagnostics import SERVES
from .laravel_guards import handler_of
from .model import (
    ADMIN_HANDLER,
    AUTHENTICATED,
    MAX_FILE_CHARS,
    OPTS_OUT,
    UNAUTHENTICATED,
    guarded_by,
    join_paths,
    line_of,
    overriding,
)
from .roles import privileged_role
from .routes import DIRECTORY, INHERITS, FileRoutes, Mount, RawRoute
from .scan import ARROW_CHAINED, AUTH_WORDS, MAX_CALL_CHARS, balanced, leading_string, split_args, strings
from .slim import mentions_slim

# The facade (`Route::get(`), or the router handed to a route file or service provider (`$router->get(`: a
# Laravel `Registrar`, Lumen's `$router`), or CodeIgniter 4's `$routes->get('x', 'C::m', ['filter' => 'auth'])`.
_ROUTE = re.compile(
    r"(?:Route::|\$router\s*->\s*|\$routes\s*->\s*)"
    r"(get|post|put|patch|delete|options|any|view|match|prefix|middleware|group|resources?|apiResources?"
    # a group's chain may open on what only names it: `Route::namespace('Panel')->prefix('home')->group(…)`
    r"|namespace|name|as|domain|controller|where)\s*\("
)
_RESOURCE_KEYS = re.compile(r"""['"]([\w./-]{1,100})['"]\s*=>""")
MAX_RESOURCES = 100
_RESOURCE_CONTROLLER = re.compile(r"""^\s*['"]?\\?(?:[\w\\]+\\)?(\w+Controller)\b""")
_RESOURCE_PAIRS = re.compile(r"""['"]([\w./-]{1,100})['"]\s*=>\s*['"]?\\?(?:[\w\\]+\\)?(\w+Controller)\b""")
_RESOURCE = {
    "index": ("GET", ""),
    "store": ("POST", ""),
    "show": ("GET", "{id}"),
    "update": ("PUT", "{id}"),
    "destroy": ("DELETE", "{id}"),
    "create": ("GET", "create"),
    "edit": ("GET", "{id}/edit"),
}


def _auth_middleware(args: str) -> list[str]:
    named = [
        s
        for s in strings(args)
        if s.startswith(("auth", "oauth", "can:", "verified", "role", "permission"))
        or s in ("user", "customer")  # a guard named for who is signed in (`'user'`, `'customer'`)
        or privileged_role(s)
    ]
    # a middleware class given by name: `Route::middleware([MixpostAuthMiddleware::class])`, `Authenticate::class`
    classes = [
        c
        for c in _MIDDLEWARE_CLASS.findall(args)
        if (AUTH_WORDS.search(c) or privileged_role(c)) and not _NOT_A_GUARD_CLASS.search(c)
    ]
    return named + classes


_MIDDLEWARE_CLASS = re.compile(r"(?<![\w$])([A-Z]\w{0,80})::class\b")
# (`VerifyCsrfToken`, `EncryptCookies`: what every web route passes, no sign-in)
_NOT_A_GUARD_CLASS = re.compile(r"Csrf|Cookie|Throttle|Session|Cors|Trust|Bindings|Inertia")


# A controller in an admin namespace: `[Admin\Maintenance\Check::class, 'do']`, `'Admin\UserController@index'`.
_ADMIN_NAMESPACE = re.compile(r"""(?:^|[\s\['"\\])Admin\\[\w\\]{1,200}""")
_OPENERS = "[\\'\" \t\n"
_ATTRIBUTE_PREFIX = re.compile(r"""['"]prefix['"]\s*=>\s*['"]([^'"]{0,300})['"]""")
# Laravel's `'middleware' => …`, CodeIgniter's `'filter' => 'auth'`.
_ATTRIBUTE_MIDDLEWARE = re.compile(
    r"""['"](?:middleware|filter)['"]\s*=>\s*(\[[^\]]{0,1000}\]|['"][^'"]{0,300}['"]|\$\w{1,80})"""
)
# `'roles' => ['admin']` beside the middleware (a role middleware reading the route's action array).
_ATTRIBUTE_ROLES = re.compile(r"""['"]roles?['"]\s*=>\s*(\[[^\]]{0,300}\]|['"][^'"]{0,100}['"])""")


def _roles(args: str) -> list[str]:
    """The privileged roles a route's or group's action array names: `'roles' => ['admin']`."""
    found = _ATTRIBUTE_ROLES.search(args.split("function", 1)[0])
    return [f"roles {found.group(1)}"] if found and privileged_role(found.group(1)) else []


# `$middleware = ['auth:api', 'validemail'];`: a list of middleware named once and used by many routes.
_VARIABLE = re.compile(
    r"""^[ \t]*(\$\w{1,80})\s*=\s*(\[[^\]\n]{0,1000}\]|['"][^'"\n]{0,300}['"])\s*;""", re.M
)
MAX_VARIABLES = 200


def _variables(text: str) -> dict[str, str]:
    """The file's `$name = [...]` / `$name = '...'` assignments (first one wins; bounded)."""
    out: dict[str, str] = {}
    for m in islice(_VARIABLE.finditer(text), MAX_VARIABLES):
        out.setdefault(m.group(1), m.group(2))
    return out


# A group closure spans many routes: it is read to its end, not cut like an ordinary call.
MAX_GROUP_CHARS = 200_000
MAX_GROUPS = 256  # group closures followed per file; past them (hostile input) a group reads like any call


def _limit(call: str, groups: int = 0) -> int:
    """How far a call's arguments are read: a group's closure spans its routes, up to MAX_GROUPS of them."""
    return MAX_GROUP_CHARS if call == "group" and groups < MAX_GROUPS else MAX_CALL_CHARS


_ROUTE_FILE = re.compile(r"""['"]([\w./-]{1,200}\.php)['"]""")


# Guard keys: a middleware name (alias or group) and a middleware class, met across files.
MIDDLEWARE = "laravel-middleware:"
MIDDLEWARE_CLASS = "laravel-class:"
MAX_KERNEL_ARRAYS, MAX_KERNEL_ENTRIES, MAX_HANDLES = 6, 200, 100
_KERNEL_ARRAY = re.compile(
    r"\$(?:middlewareGroups|routeMiddleware|middlewareAliases)\s*=\s*\[|\$middleware\s*->\s*alias\s*\(\s*\["
)
# Laravel 11's `bootstrap/app.php`: `$middleware->group('application-api', [A::class, …])`,
# `$middleware->appendToGroup('api', B::class)`.
_KERNEL_GROUP = re.compile(
    r"""\$middleware\s*->\s*(?:group|appendToGroup|prependToGroup)\s*\(\s*['"]([\w.-]{1,80})['"]\s*,"""
)
_KERNEL_ENTRY = re.compile(r"""['"]([\w.-]{1,80})['"]\s*=>\s*(\[|[\w\\]{1,200}::class)""")
_CLASS_NAME = re.compile(r"([\w\\]{1,200})::class")
_HANDLE = re.compile(r"\bclass\s+(\w+)[^{]{0,300}\{|function\s+handle\s*\(")
_PRIVILEGED_CHECK = re.compile(
    r"""(?:->|::)\s*(root_admin|is_?admin|isAdmin|is_superuser|isSuperAdmin|is_staff)\b|hasRole\(\s*['"](\w*admin\w*)"""
)


def _middleware_names(args: str) -> list[str]:
    """`middleware(['web', 'auth:api', sprintf(…)])`: the names given as plain strings (parameters cut)."""
    inner = balanced(args, args.index("[")) if args.lstrip().startswith("[") else args
    names = (leading_string(a) for a in split_args(inner))
    return [n.split(":", 1)[0] for n in names if n and re.fullmatch(r"[\w.:,-]{1,80}", n)]


def _kernel(text: str, out: FileRoutes) -> None:
    """`$middlewareGroups = ['api' => [A::class, …]]`, `$routeMiddleware = ['admin' => B::class]`: each
    name inherits the guards of the middleware classes it runs."""
    for array in islice(_KERNEL_ARRAY.finditer(text), MAX_KERNEL_ARRAYS):
        body = balanced(text, array.end() - 1, 40_000)
        for entry in islice(_KERNEL_ENTRY.finditer(body), MAX_KERNEL_ENTRIES):
            value = balanced(body, entry.end(2) - 1, 10_000) if entry.group(2) == "[" else entry.group(2)
            classes = [c.rsplit("\\", 1)[-1] for c in _CLASS_NAME.findall(value)]
            inherits = [f"{INHERITS}{MIDDLEWARE_CLASS}{c}" for c in classes]
            out.guards.setdefault(MIDDLEWARE + entry.group(1), []).extend(inherits)
    for group in islice(_KERNEL_GROUP.finditer(text), MAX_KERNEL_ENTRIES):
        value = balanced(text, text.rfind("(", 0, group.end()), 10_000)
        classes = [c.rsplit("\\", 1)[-1] for c in _CLASS_NAME.findall(value.split(",", 1)[-1])]
        inherits = [f"{INHERITS}{MIDDLEWARE_CLASS}{c}" for c in classes]
        out.guards.setdefault(MIDDLEWARE + group.group(1), []).extend(inherits)


def _middleware_class(text: str, out: FileRoutes) -> None:
    """A middleware whose `handle()` refuses callers without a privileged flag or role."""
    cls = ""
    for m in islice(_HANDLE.finditer(text), MAX_HANDLES):
        if m.group(1):
            cls = m.group(1)
            continue
        brace = text.find("{", m.end(), m.end() + 2000)
        check = _PRIVILEGED_CHECK.search(balanced(text, brace, 20_000)) if brace != -1 else None
        if cls and check is not None:
            flag = check.group(1) or check.group(2)
            out.guards.setdefault(MIDDLEWARE_CLASS + cls, []).append(f"middleware {cls} requires {flag}")


def extract_laravel(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    _kernel(text, out)
    _middleware_class(text, out)
    groups: list[tuple[int, int, str, tuple[str, ...]]] = []
    variables = _variables(text) if "$" in text else {}
    slim = mentions_slim(text)  # Slim's `$router->get(` is read by the Slim extractor
    for m in _ROUTE.finditer(text):
        if any(s <= m.start() < e and s == m.start() for s, e, _, _ in groups):
            continue
        if slim and not m.group().startswith("Route::"):
            continue
        prefix = "".join(p for s, e, p, _ in groups if s < m.start() < e)
        auth: tuple[str, ...] = tuple(a for s, e, _, mw in groups if s < m.start() < e for a in mw)
        calls = [(m.group(1), balanced(text, m.end() - 1, _limit(m.group(1), len(groups))))]
        pos = m.end() + len(calls[0][1]) + 1
        for _ in range(10):
            c = ARROW_CHAINED.match(text, pos) if pos < len(text) else None
            if c is None:
                break
            args = balanced(text, c.end() - 1, _limit(c.group(1), len(groups)))
            calls.append((c.group(1), args))
            pos = c.end() + len(args) + 1
        own_prefix = ""
        own_auth: list[str] = []
        own_names: list[str] = []
        chained_action = ""  # `Route::get('/{character}')->uses('CharacterController@show')`
        for name, args in calls:
            if name == "uses":
                chained_action = handler_of(args)
            elif name == "prefix":
                own_prefix = join_paths(own_prefix, leading_string(args) or "")
            elif name == "middleware":
                args = variables.get(args.strip(), args)
                own_auth += [f"middleware {a}" for a in _auth_middleware(args)]
                own_names += _middleware_names(args)
            elif name == "withoutMiddleware" and _auth_middleware(args):
                # The route leaves its group's guard, here or in the file that includes this one.
                dropped = [f"middleware {a}" for a in _auth_middleware(args)]
                auth = (overriding(f"{OPTS_OUT}withoutMiddleware({', '.join(dropped)})", dropped),)
        for name, args in calls:
            # `->group(base_path('routes/admin.php'))`: that file's routes live under this prefix and auth.
            closure = _CLOSURE.search(args)
            target = _ROUTE_FILE.search(args) if name == "group" and closure is None else None
            if target is not None:
                reason = "group with " + ", ".join(own_auth) if own_auth else ""
                uses = tuple(MIDDLEWARE + n for n in own_names)
                mount = Mount(f"php:{target.group(1)}", own_prefix, "php:", bool(own_auth), reason, uses)
                out.mounts.append(mount)
                continue
            if name == "group":
                # `Route::group(['prefix' => 'nodes', 'middleware' => ['auth']], function () {…})`
                attrs = args.split("function", 1)[0]
                keyed = _ATTRIBUTE_PREFIX.search(attrs)
                # CodeIgniter: `$routes->group('admin', ['filter' => 'admin'], static function ($routes) {…})`
                named = leading_string(attrs) if m.group().startswith("$routes") else None
                group_prefix = join_paths(own_prefix, keyed.group(1) if keyed else named or "")
                mw = _ATTRIBUTE_MIDDLEWARE.search(attrs)
                group_auth = own_auth + [
                    f"middleware {a}"
                    for a in _auth_middleware(variables.get(mw.group(1), mw.group(1)) if mw else "")
                ]
                group_auth += _roles(attrs)
                body_start = text.find(args, m.start())
                # (a group that only names its routes, `Route::name('p.')->group(…)`, adds nothing to them)
                if len(groups) < MAX_GROUPS and (group_prefix.strip("/") or group_auth):
                    groups.append((body_start, body_start + len(args), group_prefix, tuple(group_auth)))
        verb, args = calls[0]
        reasons = auth + tuple(own_auth) + tuple(_roles(args))
        if verb != "group" and m.group().startswith("$routes"):
            options = _ATTRIBUTE_MIDDLEWARE.search(args)  # a route's own `['filter' => 'auth']`
            reasons += tuple(f"filter {a}" for a in _auth_middleware(options.group(1) if options else ""))
        state = AUTHENTICATED if guarded_by(reasons) else UNAUTHENTICATED
        admin = _ADMIN_NAMESPACE.search(args.split("function", 1)[0])
        if admin is not None:
            reasons += (ADMIN_HANDLER + admin.group(0).lstrip(_OPENERS),)
        # `Route::get('/role', function () { dd(User::find(2)->roles); })`: a closure that dumps state
        if (dump := _DUMPS.search(args)) is not None and _CLOSURE.search(args):
            reasons += (f"{SERVES}{dump.group(1)}() dump",)
        route = leading_string(args)
        if route is None:
            route = _variable_path(args)
        # (`Route::view('explore', 'explore')`: a page served for GET)
        if verb in ("get", "post", "put", "patch", "delete", "options", "any", "view") and route is not None:
            out.routes.append(
                RawRoute(
                    "http",
                    "ANY" if verb == "any" else "GET" if verb == "view" else verb.upper(),
                    join_paths(prefix, route),
                    line_of(text, m.start()),
                    state,
                    reasons,
                    f"php:{path}",
                    handler_of(args) or chained_action,
                )
            )
        elif verb == "match":
            methods = strings(args.split("]", 1)[0])
            targets = strings(args.split("]", 1)[1])[:1] if "]" in args else []
            for method in methods:
                if targets:
                    out.routes.append(
                        RawRoute(
                            "http",
                            method.upper(),
                            join_paths(prefix, targets[0]),
                            line_of(text, m.start()),
                            state,
                            reasons,
                            f"php:{path}",
                        )
                    )
        elif verb in ("resource", "apiResource", "resources", "apiResources"):
            # `Route::apiResources(['users' => UserController::class, …])`: one resource per key.
            one = [route] if route is not None else []
            names: list[str] = one if verb in ("resource", "apiResource") else _RESOURCE_KEYS.findall(args)
            # the controller serving each: `Route::resource('upload', 'UploadController')`, `… => X::class`
            controllers = dict(_RESOURCE_PAIRS.findall(args)) if len(names) > 1 else {}
            single = _RESOURCE_CONTROLLER.search(args[args.find(",") + 1 :] if "," in args else "")
            for name in names[:MAX_RESOURCES]:
                controller = controllers.get(name) or (single.group(1) if single and len(names) == 1 else "")
                for action, (method, suffix) in _RESOURCE.items():
                    if verb.startswith("api") and action in ("create", "edit"):
                        continue
                    out.routes.append(
                        RawRoute(
                            "http",
                            method,
                            join_paths(prefix, name, suffix),
                            line_of(text, m.start()),
                            state,
                            reasons,
                            f"php:{path}",
                            f"php:{controller}#{action}" if controller else "",
                        )
                    )
    _required_route_files(out, text, path, groups)
    return out


# `Route::post($dataType->slug.'/action', …)`, `Route::resource($dataType->slug, …)`: a path built from a
# variable, one route per value at run time; the variable reads as a parameter (`{slug}/action`).
_VARIABLE_PATH = re.compile(
    r"""\s*\$(\w{1,60})(?:\s*->\s*(\w{1,60}))?\s*(?:\.\s*['"]([^'"\n]{0,300})['"]\s*)?(?=[,)]|$)"""
)


def _variable_path(args: str) -> str | None:
    m = _VARIABLE_PATH.match(args)
    if m is None:
        return None
    return join_paths("{" + (m.group(2) or m.group(1)) + "}", m.group(3) or "")


_CLOSURE = re.compile(r"\bfunction\b|\bfn\s*\(")
_DUMPS = re.compile(r"(?<![\w$>:])(dd|dump|var_dump|print_r|phpinfo|debug_zval_dump)\s*\(")


# `require 'catalog-routes.php';` inside a group: that file's routes under the group's prefix and middleware.
_REQUIRE = re.compile(
    r"""\b(?:require|include)(?:_once)?\s*\(?\s*(?:__DIR__\s*\.\s*)?['"]([\w./-]{1,200}\.php)['"]"""
)
MAX_REQUIRES = 100
# `includeRouteFiles(__DIR__.'/Backend/')` inside a group: a project helper requiring every file of a directory.
_INCLUDE_DIRECTORY = re.compile(
    r"""\b\w*[Ii]nclude\w*Routes?\w*\s*\(\s*(?:__DIR__\s*\.\s*)?['"]([\w./-]{1,200}?)/?['"]\s*\)"""
)


def includes_directory_of(text: str, path: str, changed: str) -> bool:
    """Whether `text` (the file at `path`) requires every route file of `changed`'s directory."""
    for m in islice(_INCLUDE_DIRECTORY.finditer(text), MAX_REQUIRES):
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(path), m.group(1).lstrip("/")))
        if changed.startswith(folder + "/"):
            return True
    return False


def _required_route_files(
    out: FileRoutes, text: str, path: str, groups: list[tuple[int, int, str, tuple[str, ...]]]
) -> None:
    """`require 'x.php'` (one file) and `includeRouteFiles(__DIR__.'/Backend/')` (a directory's every file)
    inside a group: mounted under the groups around the call, with their middleware."""
    found = [(m, "php:") for m in islice(_REQUIRE.finditer(text), MAX_REQUIRES)]
    found += [(m, DIRECTORY) for m in islice(_INCLUDE_DIRECTORY.finditer(text), MAX_REQUIRES)]
    for m, kind in found:
        around = [(p, mw) for s, e, p, mw in groups if s < m.start() < e]
        if not around:
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), m.group(1).lstrip("/")))
        child = f"php:{target}" if kind == "php:" else f"{DIRECTORY}{target}/"
        auth = [a for _, mw in around for a in mw]
        reason = "required in a group with " + ", ".join(auth) if auth else ""
        prefix = join_paths(*(p for p, _ in around)) if any(p for p, _ in around) else ""
        out.mounts.append(Mount(child, prefix, f"php:{path}", bool(auth), reason))
