"""Rust: Rocket and actix-web attribute routes (`#[get("/x")]`) with request guards, Rocket `mount`, actix
`web::scope(…).wrap(…).service(…)` and axum `Router::new().route(…).nest(…).layer(…)` chains.

A handler's guard is a parameter whose type names one (`_token: AdminToken`, `user: AuthUser`); a scope's or a
router's guard is the middleware it wraps or layers (`.wrap(RequireAdmin)`, `.layer(from_fn(require_auth))`).
Routes are owned by the function that lists them (`fn routes() -> Vec<Route> { routes![a, b] }`), so a
`mount("/admin", admin::routes())` or `nest("/admin", admin::router())` in another file prefixes them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import AUTHENTICATED, DEBUG_BUILD, MAX_FILE_CHARS, UNAUTHENTICATED, join_paths, line_of
from .roles import privileged_role
from .routes import FileRoutes, Mount, RawRoute, module_of
from .scan import AUTH_WORDS, balanced, chained_calls

_ATTR = re.compile(
    r"^[ \t]*#\[\s*(?:(?:rocket|actix_web|web)::)?(get|post|put|delete|patch|head|options)\s*\(\s*\"([^\"\n]{0,300})\"",
    re.M,
)
_FN = re.compile(r"\bfn\s+(\w+)\s*(?:<[^>{(]{0,200}>)?\s*\(")
# `auth: AuthUser`, or a destructured extractor `ActixAuth(auth): ActixAuth`.
_PARAM_TYPE = re.compile(r"(?:\w|\))\s*:\s*&?\s*(?:mut\s+)?([\w:]+)")
# Guard types beyond the shared auth words: what Rust apps name an authenticated caller.
_GUARD_TYPE = re.compile(r"User|Claims|Principal|Identity|Guard|Session|Auth|Token|ApiKey", re.IGNORECASE)
_MACRO_ROUTES = re.compile(r"\broutes!\s*\[")
_MOUNT = re.compile(r"\.\s*mount\s*\(")
_SCOPE = re.compile(r"\bweb::scope\s*\(")
# `Router::new()…`, or a router variable extended by reassignment (`router = router.route(…)`).
_ROUTES_MACRO = re.compile(r"\s*routes!\s*\(([^()]{0,2000})\)")
_AXUM = re.compile(
    r"\b(?:OpenApi|Api)?Router::(?:new|<[^>\n]{0,80}>::new)\s*\(\s*\)"
    r"|\b(\w+)\s*=\s*\1(?=(?:\s|//[^\n]*)*\.\s*(?:route|api_route\w*|nest|nest_service|merge|layer|route_layer)"
    r"\s*\()"
)
_NESTED_VAR = re.compile(r"\.\s*nest\s*\(\s*\"[^\"\n]{0,300}\"\s*,\s*(\w+)\s*,?\s*\)")
# `let mut debug_routes = ` read backwards from just before `Router::new()`
_LET = re.compile(r"\s*=\s*(\w+)\s+(?:tum\s+)?tel\b")
# aide's `post_with(handler, docs)` as axum's `post(handler)`
_AXUM_METHODS = re.compile(r"\b(get|post|put|delete|patch|head|options|any)(?:_service|_with)?\s*\(")
_ACTIX_METHOD = re.compile(r"\bweb::(get|post|put|delete|patch|head|to)\s*\(")
# conduit's `RouteBuilder` (and routers like it): `router.get("/api/x", C(handler))`, on a variable named for
# a router, so a test's `app.get("/x")` request is never read as a route.
_BUILDER_ROUTE = re.compile(
    r"\b(\w*router\w*)\s*\.\s*(get|post|put|delete|patch|head)\s*\(\s*\"(/[^\"\n]{0,300})\"\s*,",
    re.IGNORECASE,
)
_TEST_MODULE = re.compile(r"#\[cfg\(test\)\]")
_TEST_MODULE_START = re.compile(
    r"^[ \t]*#\[cfg\(test\)\]\s*(?:#\[[^\]\n]*\]\s*)*(?:pub\s+)?mod\s+\w+\s*\{", re.M
)
# utoipa: `#[utoipa::path(get, path = "/x", …)]` on the handler that `routes!(handler)` serves.
_UTOIPA = re.compile(
    r"^[ \t]*#\[\s*utoipa::path\s*\(\s*(get|post|put|delete|patch|head|options)\s*,"
    r"(?:[^\]]|\][^\n]){0,3000}?\bpath\s*=\s*\"([^\"\n]{0,300})\"",
    re.M,
)
MAX_CHAIN = 1024
MAX_FN_REACH = 2000


MAX_GUARD_NAMES = 16


def _guards_in(args: str) -> tuple[str, ...]:
    names = re.findall(r"[A-Za-z_][\w:]*", args)[:MAX_GUARD_NAMES]
    # A role is named by the item, not by the modules on its path (`operators::user_operator::SECRET_KEY`).
    last = {n: n.rsplit("::", 1)[-1] for n in names}
    return tuple(n for n in dict.fromkeys(names) if AUTH_WORDS.search(last[n]) or privileged_role(last[n]))


def _param_guards(params: str) -> tuple[str, ...]:
    out: list[str] = []
    for typ in _PARAM_TYPE.findall(params):
        name = typ.rsplit("::", 1)[-1]
        if privileged_role(name) or _GUARD_TYPE.search(name) or AUTH_WORDS.search(name):
            out.append(f"request guard {name}")
    return tuple(dict.fromkeys(out))


def _owner(text: str, at: int, here: str) -> str:
    """`module:function` of the function whose body holds `at` (the nearest `fn` before it)."""
    found = None
    for m in _FN.finditer(text, max(0, at - 20_000), at):
        found = m
    return f"{here}:{found.group(1)}" if found else f"{here}:"


def _chain(text: str, end: int) -> list[tuple[str, str, int]]:
    """The calls chained after position `end`: (name, args, start)."""
    return chained_calls(text, end, MAX_CHAIN)


def _builder_routes(out: FileRoutes, text: str, here: str) -> None:
    tests = _TEST_MODULE.search(text)
    end = tests.start() if tests else len(text)
    for m in _BUILDER_ROUTE.finditer(text, 0, end):
        # The second argument is the handler (`C(user::session::github_access_token)`): its name is no guard.
        guards: tuple[str, ...] = ()
        out.routes.append(
            RawRoute(
                "http",
                m.group(2).upper(),
                m.group(3),
                line_of(text, m.start()),
                AUTHENTICATED if guards else UNAUTHENTICATED,
                guards,
                _owner(text, m.start(), here),
            )
        )


def extract_rust(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    # A `#[cfg(test)] mod tests { … }` builds routers for its tests: nothing it declares is served.
    tests = _TEST_MODULE_START.search(text)
    if tests is not None:
        text = text[: tests.start()]
    out = FileRoutes()
    here = module_of(path)
    # Where each handler named in this file is listed: `routes![a, b]` inside `fn routes()`, or inline in a
    # `.mount("/p", routes![…])`, or `.service(a)` on an actix scope.
    listed: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # handler -> (owner, prefix, guards)
    for m in _MACRO_ROUTES.finditer(text):
        names = re.findall(r"[\w:]+", balanced(text, m.end() - 1))
        mount = _MOUNT.search(text, max(0, m.start() - 300), m.start())
        prefix = ""
        if mount is not None:
            args = balanced(text, mount.end() - 1)
            first = re.match(r"\s*\"([^\"\n]{0,300})\"", args)
            prefix = first.group(1) if first else ""
        owner = _owner(text, m.start(), here)
        for name in names:
            listed.setdefault(name.rsplit("::", 1)[-1], (owner, prefix, ()))
    _mounts(out, text, here)
    _scopes(out, text, here, listed)
    for m in [*_ATTR.finditer(text), *(_UTOIPA.finditer(text) if "utoipa::path" in text else ())]:
        fn = _FN.search(text, m.end(), min(len(text), m.end() + MAX_FN_REACH))
        if fn is None:
            continue
        params = balanced(text, fn.end() - 1)
        name = fn.group(1)
        owner, prefix, scope_guards = listed.get(name, (f"{here}:", "", ()))
        reasons = scope_guards + _param_guards(params) + _body_checks(text, fn.end() + len(params))
        out.routes.append(
            RawRoute(
                "http",
                m.group(1).upper(),
                join_paths(prefix, m.group(2).split("?", 1)[0]),
                line_of(text, m.start()),
                AUTHENTICATED if reasons else UNAUTHENTICATED,
                reasons,
                owner,
                f"rs:{name}",
            )
        )
    _axum(out, text, here)
    _builder_routes(out, text, here)
    _handler_guards(out, text)
    return out


def _mounts(out: FileRoutes, text: str, here: str) -> None:
    """Rocket `.mount("/admin", admin::routes())`: the routes `admin::routes` lists serve under `/admin`."""
    for m in _MOUNT.finditer(text):
        args = balanced(text, m.end() - 1)
        first = re.match(r"\s*\"([^\"\n]{0,300})\"\s*,\s*([\w:]+)\s*\(", args)
        if first is None:
            continue
        target = first.group(2).split("::")
        child = f"{target[-2] if len(target) > 1 else here}:{target[-1]}"
        out.mounts.append(Mount(child, first.group(1), f"{here}:"))


_RESOURCE = re.compile(r"\s*web::resource\s*\(\s*\"([^\"\n]{0,300})\"\s*\)")


_APP_NEW = re.compile(r"\bApp::new\s*\(\s*\)")
_SCOPE_AT = re.compile(r"\s*web::scope\s*\(")
_LINK = re.compile(r"(?:\s|//[^\n]*+)*+\.\s*(\w+)\s*\(")
MAX_SCOPE_CHARS = 200_000
MAX_SCOPE_DEPTH = 8


def _actix_calls(text: str, end: int) -> list[tuple[str, int, str, int]]:
    """The calls chained after `end`: (name, where its arguments start, arguments, start); a scope's
    `.service(web::scope(…)…)` may run to thousands of lines."""
    calls: list[tuple[str, int, str, int]] = []
    for _ in range(MAX_CHAIN):
        c = _LINK.match(text, end)
        if c is None:
            break
        args = balanced(text, c.end() - 1, MAX_SCOPE_CHARS)
        calls.append((c.group(1), c.end(), args, c.start()))
        end = c.end() + len(args) + 1
    return calls


_TO = re.compile(r"\.\s*to\s*\(")


_METHOD_CALL = re.compile(r"\.\s*(\w+)\s*\(")


def _resource_routes(args: str, start: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """A resource's methods, their handlers and the guards chained on each method's route:
    `.route(web::delete().to(ban_user).authorize(Action::DeleteUser))` → ("delete", "ban_user",
    ("authorize(Action::DeleteUser)",))."""
    found: list[tuple[str, str, tuple[str, ...]]] = []
    verbs = list(_ACTIX_METHOD.finditer(args, start))
    for i, v in enumerate(verbs):
        to = _TO.search(args, v.end())
        handler = _last_name(balanced(args, to.end() - 1)) if to and to.start() - v.end() < 40 else ""
        if v.group(1) == "to":
            handler = _last_name(balanced(args, v.end() - 1))
        end = verbs[i + 1].start() if i + 1 < len(verbs) else len(args)
        guards = tuple(
            f"{c.group(1)}({balanced(args, c.end() - 1)[:80]})"
            for c in _METHOD_CALL.finditer(args, v.end(), end)
            # `.guard(guard::Header(…))` routes by request header: actix's routing guard, no auth
            if c.group(1) not in ("to", "route", "service", "guard") and AUTH_WORDS.search(c.group(1))
        )
        if not any(f[:2] == (v.group(1), handler) for f in found):
            found.append((v.group(1), handler, guards))
    return found or [("to", "", ())]


def _scopes(
    out: FileRoutes, text: str, here: str, listed: dict[str, tuple[str, str, tuple[str, ...]]]
) -> None:
    """actix-web `App::new().wrap(A).service(web::scope("/admin").wrap(Guard).service(handler)
    .route("/x", web::get().to(h)))`, scopes nested in scopes."""
    read_to = 0
    roots = sorted([*_SCOPE.finditer(text), *_APP_NEW.finditer(text)], key=lambda m: m.start())
    for m in roots:
        if m.start() < read_to:
            continue  # inside a chain already read: each stretch of text is followed once
        prefix = ""
        chain_at = m.end()
        if m.re is _SCOPE:
            args = balanced(text, m.end() - 1)
            first = re.match(r"\s*\"([^\"\n]{0,300})\"", args)
            prefix = first.group(1) if first else ""
            chain_at = m.end() + len(args) + 1
        calls = _actix_calls(text, chain_at)
        read_to = calls[-1][1] + len(calls[-1][2]) if calls else m.end()
        _actix_scope(out, text, calls, prefix, (), _owner(text, m.start(), here), listed, 0)


def _actix_scope(
    out: FileRoutes,
    text: str,
    calls: list[tuple[str, int, str, int]],
    prefix: str,
    inherited: tuple[str, ...],
    owner: str,
    listed: dict[str, tuple[str, str, tuple[str, ...]]],
    depth: int,
) -> None:
    # A scope's `.wrap(…)` wraps every service of the scope, before or after it in the chain.
    guards = inherited + tuple(
        f"wrap {g}" for name, _, args, _ in calls if name == "wrap" for g in _guards_in(args)
    )
    for name, at, call_args, start in calls:
        if name == "service":
            scope = _SCOPE_AT.match(text, at)
            if scope is not None and depth < MAX_SCOPE_DEPTH:
                args = balanced(text, scope.end() - 1)
                first = re.match(r"\s*\"([^\"\n]{0,300})\"", args)
                inner = _actix_calls(text, scope.end() + len(args) + 1)
                sub = join_paths(prefix, first.group(1) if first else "")
                _actix_scope(out, text, inner, sub, guards, owner, listed, depth + 1)
                continue
            served = re.fullmatch(r"\s*([\w:]+)\s*", call_args)
            if served:
                listed[served.group(1).rsplit("::", 1)[-1]] = (owner, prefix, guards)
            resource = _RESOURCE.match(call_args)
            if resource is not None:
                # `.service(web::resource("").route(web::get().to(metrics)))`: its routes in this scope;
                # `web::resource("/x").wrap(auth).guard(guard::Get()).to(h)`: one route, the resource's
                # own `.wrap` guarding it and its method given by a routing guard.
                full = join_paths(prefix, resource.group(1))
                wraps, method_guard, chained_to = _resource_chain(call_args, resource.end())
                for served_verb, served_by, own in _resource_routes(call_args, resource.end()):
                    served_as = method_guard if served_verb == "to" and method_guard else served_verb
                    served_by = served_by or chained_to
                    out.routes.append(
                        RawRoute(
                            "http",
                            "ANY" if served_as == "to" else served_as.upper(),
                            full,
                            line_of(text, start),
                            AUTHENTICATED if guards or own or wraps else UNAUTHENTICATED,
                            guards + wraps + own,
                            owner,
                            f"rs:{served_by}" if served_by else "",
                        )
                    )
        elif name == "route":
            path = re.match(r"\s*\"([^\"\n]{0,300})\"", call_args)
            verb = _ACTIX_METHOD.search(call_args)
            if path and verb:
                method = "ANY" if verb.group(1) == "to" else verb.group(1).upper()
                full = join_paths(prefix, path.group(1))
                own = _resource_routes(call_args, verb.start())[0][2]
                state = AUTHENTICATED if guards or own else UNAUTHENTICATED
                to = re.search(r"\.\s*to\s*\(", call_args)
                handler = _last_name(balanced(call_args, to.end() - 1)) if to else ""
                out.routes.append(
                    RawRoute(
                        "http",
                        method,
                        full,
                        line_of(text, start),
                        state,
                        guards + own,
                        owner,
                        f"rs:{handler}" if handler else "",
                    )
                )


_METHOD_GUARD = re.compile(r"\s*guard::(Get|Post|Put|Delete|Patch|Head)\s*\(\s*\)\s*")


def _resource_chain(args: str, end: int) -> tuple[tuple[str, ...], str, str]:
    """The guards a resource wraps itself in (`.wrap(manager_auth)`), the method a routing guard gives
    it (`.guard(guard::Get())`) and its handler (`.to(h)`), read from the calls chained on
    `web::resource(…)`."""
    wraps: tuple[str, ...] = ()
    method = handler = ""
    for _ in range(MAX_CHAIN):
        c = _LINK.match(args, end)
        if c is None:
            break
        inner = balanced(args, c.end() - 1)
        if c.group(1) == "wrap":
            wraps += tuple(f"wrap {g}" for g in _guards_in(inner))
        elif c.group(1) == "guard" and (m := _METHOD_GUARD.fullmatch(inner)):
            method = m.group(1).lower()
        elif c.group(1) == "to":
            handler = _last_name(inner)
        end = c.end() + len(inner) + 1
    return wraps, method, handler


def _last_name(expr: str) -> str:
    names = re.findall(r"[A-Za-z_]\w*", expr)
    return names[-1] if names else ""


# A check the handler makes first, propagating its refusal: `principal.validate_admin_session()?;`, or
# `enforce_session_permissions(&session, &[UserPermission::ManageServer])?;` (a checking call's arguments
# name the permission).
_CHECK_CALL = re.compile(r"(?:\.\s*|\b)(\w{1,80})\s*\(([^()\n]{0,200})\)\s*\?")
_CHECKING = re.compile(r"enforce|check|require|ensure|assert|verify|validate|authori[sz]e|must", re.I)
MAX_CHECK_REACH = 600


def _body_checks(text: str, params_end: int) -> tuple[str, ...]:
    """Privileged-role checks at the head of the function body that starts after `params_end`."""
    brace = text.find("{", params_end, params_end + 400)
    if brace < 0:
        return ()
    head = text[brace : brace + MAX_CHECK_REACH]
    found = []
    for m in _CHECK_CALL.finditer(head):
        name, args = m.group(1), m.group(2)
        if privileged_role(name):
            found.append(f"checks {name}")
        elif _CHECKING.search(name) and privileged_role(args):
            found.append(f"checks {name}({' '.join(args.split())[:80]})")
    # `if !is_root_user(user_id) { return (StatusCode::FORBIDDEN, …) }`
    for m in _REFUSING_IF.finditer(head):
        if privileged_role(m.group(1)) and _REFUSAL.search(head, m.end(), m.end() + 200):
            found.append(f"checks {m.group(1)}")
    return tuple(dict.fromkeys(found))


# `if !is_root_user(user_id) {`, or a flag on the caller: `if !user.administrator {`
_REFUSING_IF = re.compile(r"\bif\s+!\s*(?:[\w.]+\.)?(\w{1,80})\s*(?:\([^(){}\n]{0,120}\)\s*)?\{")
_REFUSAL = re.compile(r"FORBIDDEN|UNAUTHORIZED|Forbidden|Unauthorized|PermissionDenied|AccessDenied")


def _handler_guards(out: FileRoutes, text: str) -> None:
    """Every function taking a guard (an extractor or request guard typed for one) publishes it under
    `rs:<name>`, for routes naming it as their handler here or in another file."""
    for fn in _FN.finditer(text):
        params = balanced(text, fn.end() - 1)
        guards = _param_guards(params) + _body_checks(text, fn.end() + len(params))
        if guards:
            out.guards.setdefault(f"rs:{fn.group(1)}", []).extend(guards)


_DEBUG_BLOCK = re.compile(r"\bif\s+cfg!\s*\(\s*(?:debug_assertions|test|any\s*\(\s*test)[^{\n]{0,80}\{")


def _in_debug_block(text: str, at: int) -> bool:
    """Whether `at` is inside `if cfg!(debug_assertions) { … }` that opens at most 400 characters before."""
    window = text[max(0, at - 400) : at]
    opened = max(_DEBUG_BLOCK.finditer(window), key=lambda m: m.start(), default=None)
    if opened is None:
        return False
    inside = window[opened.end() :]
    return inside.count("{") >= inside.count("}")


def _axum(out: FileRoutes, text: str, here: str) -> None:
    """axum `Router::new().route("/x", get(h).post(h2)).nest("/a", admin::router()).layer(auth)`: a layer
    guards the routes added before it in the chain, and those the same variable got in earlier statements."""
    read_to = 0
    # `router = router.nest("/debug", debug_routes)`: a router variable nested by name is a router of its own.
    nested_vars = set(_NESTED_VAR.findall(text)) if "nest" in text else set()
    by_var: dict[tuple[str, str], list[int]] = {}
    for m in _AXUM.finditer(text):
        if m.start() < read_to:
            continue  # inside a chain already read (a nested `Router::new()`): each stretch is followed once
        owner = _owner(text, m.start(), here)
        let = None if m.group(1) else _LET.match(text[max(0, m.start() - 80) : m.start()][::-1])
        var_name = m.group(1) or (let.group(1)[::-1] if let else "")
        fn_owner = owner
        if var_name in nested_vars:
            owner = f"{owner}.{var_name}"
        # `node_routes = node_routes.route(…).layer(auth)`: a layer wraps every route the router holds by
        # then, those added where the variable was first built too.
        added: list[int] = list(by_var.get((fn_owner, var_name), [])) if m.group(1) else []
        if var_name:
            by_var[(fn_owner, var_name)] = added
        chain = _chain(text, m.end())
        read_to = chain[-1][2] + len(chain[-1][1]) if chain else m.end()
        for name, args, start in chain:
            if name in ("route", "api_route", "api_route_with"):  # aide's `ApiRouter` as axum's
                path = re.match(r"\s*\"([^\"\n]{0,300})\"\s*,", args)
                if path is None:
                    continue
                rest = args[path.end() :]
                debug = (DEBUG_BUILD,) if _in_debug_block(text, start) else ()
                verbs = [
                    (v.group(1).upper(), _last_name(balanced(rest, v.end() - 1)))
                    for v in _AXUM_METHODS.finditer(rest)
                ] or [("ANY", "")]
                for verb, handler in dict.fromkeys(verbs):
                    added.append(len(out.routes))
                    out.routes.append(
                        RawRoute(
                            "http",
                            verb,
                            join_paths(path.group(1)),
                            line_of(text, start),
                            UNAUTHENTICATED,
                            debug,
                            owner,
                            f"rs:{handler}" if handler else "",
                        )
                    )
            elif name in ("nest", "nest_service"):
                nested = re.match(r"\s*\"([^\"\n]{0,300})\"\s*,\s*([\w:]+)\s*\(", args)
                by_name = re.fullmatch(r"\s*\"([^\"\n]{0,300})\"\s*,\s*(\w+)\s*,?\s*", args)
                if by_name and by_name.group(2) in nested_vars:
                    out.mounts.append(Mount(f"{fn_owner}.{by_name.group(2)}", by_name.group(1), owner))
                elif nested:
                    target = nested.group(2).split("::")
                    child = f"{target[-2] if len(target) > 1 else here}:{target[-1]}"
                    out.mounts.append(Mount(child, nested.group(1), owner))
            elif name == "merge":  # `.merge(admin::router())`: its routes served at this router's paths
                merged = re.match(r"\s*([\w:]+)\s*\(", args)
                if merged:
                    target = merged.group(1).split("::")
                    child = f"{target[-2] if len(target) > 1 else here}:{target[-1]}"
                    if child != owner:
                        out.mounts.append(Mount(child, "", owner))
            elif name == "routes" and (listed := _ROUTES_MACRO.match(args)) is not None:
                # utoipa-axum `.routes(routes!(list, delete))`: the handlers' own `#[utoipa::path]` routes.
                names = {f"rs:{n.rsplit('::', 1)[-1]}" for n in re.findall(r"[\w:]+", listed.group(1))}
                for i, r in enumerate(out.routes):
                    if r.handler in names and i not in added:
                        added.append(i)
                        out.routes[i] = replace(r, owner=owner)
            elif name in ("layer", "route_layer"):
                guards = tuple(f"layer {g}" for g in _guards_in(args))
                for i in added if guards else []:
                    r = out.routes[i]
                    out.routes[i] = RawRoute(
                        r.kind,
                        r.method,
                        r.path,
                        r.line,
                        AUTHENTICATED,
                        r.reasons + guards,
                        r.owner,
                        r.handler,
                    )
