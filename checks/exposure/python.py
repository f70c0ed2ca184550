"""FastAPI and Flask: decorators on app/router/blueprint objects, prefixes from constructors and includes."""

from __future__ import annotations

import ast
import itertools
import posixpath
import re
import textwrap
from collections.abc import Collection

from .class_views import class_view_guards
from .model import (
    ACCEPTS,
    ADMIN_HANDLER,
    AUTHENTICATED,
    MAX_FILE_CHARS,
    OPS_DASHBOARD,
    OPTS_OUT,
    UNAUTHENTICATED,
    UNKNOWN,
    guarded_by,
    line_of,
    normalize_path,
)
from .roles import privileged_role
from .routes import FileRoutes, Mount, RawRoute, module_of, relative_package
from .scan import AUTH_WORDS, balanced, inline_guard, keyword, leading_string, split_args, strings

_CTOR = re.compile(
    # (a project's own factory of routers, `create_public_router(prefix="/auth")`, builds an APIRouter)
    r"^[ \t]*(\w+)\s*(?::\s*\w+\s*)?=\s*(?:[\w.]+\.)?(FastAPI|\w*APIRouter|Flask|\w*Blueprint|Namespace"
    r"|[a-z]\w*_router|[A-Z]\w*Router)\s*\(",
    re.M,
)
_DECORATOR = re.compile(
    # `@router.get(…)`, and `@module.router.get(…)` on a router held by another object
    r"^[ \t]*@[ \t]*(?P<var>\w+(?:\.router)?)\."
    r"(?P<verb>get|post|put|delete|patch|head|options|route|api_route|websocket)\s*(?P<open>\()",
    re.M,
)
# A project's own decorator wrapping the router's: `@protected_route(router.get, "/x", [Scope.USERS_WRITE])`.
_WRAPPED_DECORATOR = re.compile(
    r"^[ \t]*@[ \t]*[\w.]+[ \t]*(?P<open>\()[ \t]*(?P<var>\w+(?:\.router)?)\.(?P<verb>get|post|put|delete|patch|api_route)[ \t]*,",
    re.M,
)
_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(", re.M)
_INCLUDE = re.compile(r"\b(\w+)\.(include_router|register_blueprint|add_namespace|mount)\s*\(")
_IMPORT_FROM = re.compile(
    r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+([^\n(]{1,500}|\([^)]{0,2000}\))", re.M
)
# `Depends(get_current_user)`, and a dependency built by a call: `Depends(is_user_a_member_of(GroupType.admin))`
_AUTH_DEP = re.compile(r"\b(?:Depends|Security)\s*\(\s*([\w.]*(?:\(\s*[\w.]{1,80})?)")
# An item of a `dependencies=[…]` list given by name: a dependency made elsewhere.
_BARE_DEPENDENCY = re.compile(r"(?:^|,)\s*([A-Za-z_][\w.]{0,80})\s*(?=,|$)")
# Dependencies named for the caller being a user of the app (`is_user_a_member`, `ensure_user`).
_USER_DEP = re.compile(
    r"^(?:is|ensure|require|check)_user\b|^(?:is|ensure|require|check)_user_", re.IGNORECASE
)
_ALLOW_ANY = re.compile(r"AllowAny|public|optional_user|no_auth", re.IGNORECASE)
# `CurrentUser = Annotated[User, Depends(get_current_user)]`: a parameter annotated with the alias depends on
# what the alias names. Keyed across files by the alias's name.
ALIAS = "py-alias:"
_ALIAS_DEF = re.compile(
    r"^([A-Z]\w{0,80})(?:[ \t]*:[ \t]*(?:typing\.)?TypeAlias)?[ \t]*=[ \t]*(?:typing\.)?Annotated\[", re.M
)
# An authenticator that also admits anonymous callers guards nothing: `allowed_subjects={User, Anonymous}`.
_ADMITS_ANONYMOUS = re.compile(
    r"\bAnonymous\b|\ballow_anonymous\s*=\s*True|\boptional\s*=\s*True|auto_error\s*=\s*False"
)
_SCOPE_CONSTANT = re.compile(r"\b[A-Z]\w{0,40}\.[A-Z][A-Z0-9_]{1,60}\b")
_SCOPE_ARG = re.compile(r"\s*\(\s*([\w.]{1,80})\s*\)")
_ROLE_GUARD = re.compile(r"role|group|permission|perm\b|perms\b", re.IGNORECASE)
_ROLE_FLAG = re.compile(r"\b\w{0,20}(?:admin|superuser|staff|operator)\w{0,20}\s*=\s*True\b", re.IGNORECASE)
_CONDITIONAL_GUARD = re.compile(r"_if_|_unless_|optional|or_anon|anonymous|_ano\b", re.IGNORECASE)
_ANNOTATION = re.compile(r":\s*([A-Za-z_][\w.]{0,120})\s*(?=[,=)]|$)")
MAX_ALIASES = 200


def _aliases(text: str) -> dict[str, list[str]]:
    """The file's `Annotated` aliases that depend on authentication: name -> the guards it stands for (an
    alias admitting anonymous callers stands for an opt-out, never a guard)."""
    out: dict[str, list[str]] = {}
    if "Annotated" not in text:
        return out
    for m in _ALIAS_DEF.finditer(text):
        body = balanced(text, m.end() - 1)
        deps = _dependency_auth(body)
        if not deps:
            continue
        name = m.group(1)
        if _ADMITS_ANONYMOUS.search(body):
            out[name] = [f"{OPTS_OUT}{name} admits anonymous callers"]
        else:
            out[name] = [f"parameter {name} = Depends({n})" for n in deps]
        if len(out) >= MAX_ALIASES:
            break
    return out


def _annotated(signature: str, aliases: dict[str, list[str]]) -> tuple[list[str], str]:
    """Guards of the aliases a signature's parameters are annotated with, and the key of the first alias
    defined elsewhere whose qualified name speaks of authentication (`auth.OrganizationsRead`)."""
    reasons: list[str] = []
    elsewhere = ""
    for m in _ANNOTATION.finditer(signature):
        dotted = m.group(1)
        name = dotted.rsplit(".", 1)[-1]
        if name in aliases:
            reasons += aliases[name]
        elif (
            not elsewhere
            and name[:1].isupper()
            and (AUTH_WORDS.search(dotted) or re.search(r"User|Subject|Principal|Identity", name))
        ):
            elsewhere = ALIAS + name
    return reasons, elsewhere


_NAMED_PATH = re.compile(r"\s*([A-Za-z_][\w.]{0,120})\s*(?:,|$)")


def _demanded_role(name: str, rest: str) -> str | None:
    """The privileged role a guard decorator's arguments demand: a flag (`@require_auth(scopes=[…],
    as_admin=True)`), or for a role-named guard a string (`@roles_required('Administrator')`) or a constant
    (`@permission(Scope.admin_perms)`)."""
    flag = _ROLE_FLAG.search(rest)
    if flag:
        return flag.group(0)
    if not _ROLE_GUARD.search(name):
        # `@login_required("ADMIN")`: an auth decorator whose first argument is a role's name
        args = rest.lstrip()
        first = leading_string(args[1:]) if args.startswith("(") else None
        if first and len(first) <= 40 and privileged_role(first) == first.lower():
            return repr(first)
        # `@protected_route(router.get, "/logs", [Scope.USERS_WRITE])`: a scope constant only administrators hold;
        # any other scope is named too, as what the guard requires (`Scope.LOGS_READ`)
        scopes = _SCOPE_CONSTANT.findall(rest)[:4]
        return next((c for c in scopes if privileged_role(c)), None) or (", ".join(scopes) or None)
    # every role a role-named guard admits (`@role_required('admin-framework-manager', 'admin-ccs-sourcing')`),
    # so one added to the list reads as a guard that accepts more
    listed = strings(rest)[:8]
    role = ", ".join(repr(r) for r in listed) if any(privileged_role(r) for r in listed) else None
    scope = _SCOPE_ARG.match(rest) if role is None else None
    return scope.group(1) if scope and privileged_role(scope.group(1)) else role


# A dependency built to let anyone through: `Depends(auth.auth_wrapper(public=True))`.
_OPENED_BY_ARGUMENT = re.compile(
    r"\b(?:public|allow_anonymous|anonymous|optional)\s*=\s*True\b|\b(?:auto_error|required)\s*=\s*False\b"
)


def _dependency_auth(args: str) -> list[str]:
    found = []
    for m in _AUTH_DEP.finditer(args):
        name = m.group(1)
        if "(" in name and _OPENED_BY_ARGUMENT.search(balanced(args, args.index("(", m.start(1)))):
            continue
        named = name.replace(" ", "") + (")" if "(" in name else "")
        # `Security(auth_dependency, scopes=["server_management"])`: the caller's token must hold every scope
        call = balanced(args, args.index("(", m.start())) if m.group(0).startswith("Security") else ""
        listed = keyword(call, "scopes") or "" if call else ""
        # (quoted, or members of an enum: `scopes=[AuthScopes.SERVER_MANAGEMENT]`)
        if scopes := strings(listed) or [
            n.rsplit(".", 1)[-1] for n in re.findall(r"[A-Za-z_][\w.]{0,80}", listed)
        ]:
            named += f" (scopes {', '.join(scopes[:8])})"
        # `Depends(Permissions(roles=["admin"]))`: a caller holding any one of the roles passes
        roles = (
            strings(keyword(balanced(args, args.index("(", m.start(1))), "roles") or "")
            if "(" in name
            else []
        )
        if roles:
            named += f" {ACCEPTS}{', '.join(roles[:8])}"
        found.append(named)
    # `dependencies=[DependsJwtAuth]`: a dependency made elsewhere (`DependsJwtAuth = Depends(jwt_auth)`).
    if args.lstrip().startswith(("[", "(")):
        found += [m.group(1) for m in _BARE_DEPENDENCY.finditer(args.strip()[1:-1])]
    return [name for name in found if AUTH_WORDS.search(name) or _USER_DEP.search(name)]


# Module names a project repeats in every package (`admin/router.py`, `registry/router.py`): an owner id
# names them with their package, or every `router` of the project would be one router.
_GENERIC_MODULES = frozenset(
    {"router", "routers", "routes", "urls", "views", "api", "endpoints", "app", "index"}
)
# `ADMIN_PREFIX = "/admin"` at module level: a prefix passed by name.
_CONSTANT = re.compile(
    r"""^([A-Z][A-Z0-9_]{0,60})\s*(?::\s*str\s*)?=\s*(?:"([^"\n]{0,200})"|'([^'\n]{0,200})')""", re.M
)
# `def setup_admin_router(…):` … `return router`: a factory whose call is the router it builds.
_FACTORY = re.compile(r"^def[ \t]+(\w+)[ \t]*\(", re.M)
_RETURNS = re.compile(r"^[ \t]+return[ \t]+(\w+)[ \t]*$", re.M)


def _module_here(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path))[0]
    parts = [p for p in posixpath.dirname(path).split("/") if p]
    if stem != "__init__":
        parts.append(stem)
    if len(parts) > 1 and parts[-1] in _GENERIC_MODULES:
        return f"{parts[-2]}.{parts[-1]}"
    return module_of(path) if stem != "index" else stem


def _module_named(dotted: str, path: str) -> str:
    """The owner-id module of `from DOTTED import …` written in the file at `path`."""
    level = len(dotted) - len(dotted.lstrip("."))
    parts = dotted.lstrip(".").split(".") if dotted.lstrip(".") else []
    if level:  # relative: the package of this file, `level - 1` packages up
        package = relative_package(path, level)
        parts = [*posixpath.basename(package).split(), *parts] if package else parts
    if not parts:
        return ""
    if parts[-1] in _GENERIC_MODULES and len(parts) > 1:
        return f"{parts[-2]}.{parts[-1]}"
    return parts[-1]


def _imports(text: str, path: str = "") -> dict[str, str]:
    """Local name -> `module:variable` or `module:` for imported modules."""
    out: dict[str, str] = {}
    for m in _IMPORT_FROM.finditer(text):
        module = _module_named(m.group(1), path) if m.group(1).strip(".") else ""
        for item in m.group(2).strip("() \n").split(","):
            parts = item.split()
            if not parts:
                continue
            name, local = parts[0], parts[-1]
            imported_module = _module_named(f"{m.group(1).rstrip('.')}.{name}", path)
            out[local] = f"{imported_module}:" if module == "" else f"{module}:{name}"
            out.setdefault(local + ".", f"{imported_module}:")
    return out


def _owner_ref(expr: str, here: str, imports: dict[str, str]) -> str:
    expr = expr.strip()
    if "." in expr:
        mod, var = expr.rsplit(".", 1)
        return f"{mod.rsplit('.', 1)[-1]}:{var}"
    if expr in imports:
        return imports[expr]
    return f"{here}:{expr}"


MAX_BODY_CHARS = 3000
MAX_FACTORY_CHARS = 20_000


def _body(text: str, at: int) -> str:
    """The first lines of a function body (up to the next top-level or decorated definition)."""
    end = min(len(text), at + MAX_BODY_CHARS)
    nxt = re.compile(r"\n(?:@|def |async def |class |[ \t]+@)").search(text, at, end)
    return text[at : nxt.start() if nxt else end]


# A handler whose first statement is a check of the caller that raises when it fails:
# `check_user_permission(permission="downloading.manage")`, `await require_admin(request)`.
# `ensure_user_token_for_expensive_endpoint()`, `user = validate_auth_header()`: the caller's token checked.
_CHECK_CALL = re.compile(
    r"[ \t]+(?:[a-z_]\w{0,40}[ \t]*=[ \t]*)?(?:await[ \t]+)?((?:[A-Za-z_]\w{0,40}\.){0,2}"
    r"(?:check|require|ensure|verify|validate|assert|authori[sz]e)_?"
    r"\w{0,40}?(?:perm\w*|auth\w*|login|logged_in|admin\w*|role\w*|access|scope\w*|superuser|staff|token\w*"
    r"|user|signed_in|session))[ \t]*\("
)
_DOCSTRING = re.compile(r"[ \t]*[rbuRBU]{0,2}(\"\"\"|\'\'\')[\s\S]{0,4000}?\1[ \t]*(?:\n|$)")


def checks_first(body: str) -> str | None:
    """The guard a handler's first statement is, when it is a bare call checking the caller."""
    at = body.find("\n") + 1  # past the rest of the `def` line (`-> Any:`)
    if at <= 0:
        return None
    doc = _DOCSTRING.match(body, at)
    at = doc.end() if doc else at
    while True:  # blank lines and comments
        eol = body.find("\n", at)
        line = body[at : eol if eol >= 0 else len(body)]
        if eol < 0 or (line.strip() and not line.lstrip().startswith("#")):
            break
        at = eol + 1
    m = _CHECK_CALL.match(body, at)
    return f"calls {m.group(1)} first" if m else None


# A decorator's name and its arguments on the same line: `@group_required('admin')` names its role there.
_DECORATED = re.compile(r"@[ \t]*([\w.]+)[ \t]*(\([^\n]{0,200}\))?")
_ROUTE_DECORATORS = frozenset(
    {"get", "post", "put", "delete", "patch", "head", "options", "route", "api_route"}
)
_FUNC = re.compile(r"^((?:[ \t]*@[^\n]{1,300}\n){0,8})[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)[ \t]*\(", re.M)


# `bp.add_url_rule("/x", view_func=V.as_view("x"))` and the helpers projects wrap it in
# (`register_view(bp, routes=["/x"], view_func=…)`): every call naming a `view_func`.
_VIEW_FUNC = re.compile(r"\bview_func\s*=")
_CALLEE = re.compile(r"(?:(\w+)\.)?(\w+)\s*$")
MAX_CALL_REACH = 1000


def _enclosing_call(text: str, at: int) -> tuple[int, str, str] | None:
    """Where the call around `at` opens its parenthesis, its receiver and its name (bounded reach back)."""
    depth = 0
    for i in range(at - 1, max(-1, at - MAX_CALL_REACH), -1):
        ch = text[i]
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            if depth == 0:
                callee = _CALLEE.search(text, max(0, i - 120), i)
                return (i, callee.group(1) or "", callee.group(2)) if ch == "(" and callee else None
            depth -= 1
    return None


# A `MethodView`'s class-level `decorators = [allows.requires(IsAdmin), login_required]`.
_CLASS_DECORATORS = re.compile(
    r"^class[ \t]+(\w+)\b[^\n]*:\s*\n(?:[^\n]*\n){0,12}?[ \t]+decorators[ \t]*=[ \t]*\[", re.M
)


# `bp.add_url_rule('/admin/x', 'endpoint', RHView, methods=…)`: the view passed third, by position.
_POSITIONAL_RULE = re.compile(r"(\w+)\s*\.\s*add_url_rule\s*\(")
_THIRD_ARGUMENT = re.compile(
    r"""\s*(?:'[^'\n]*'|"[^"\n]*")\s*,\s*(?:'[^'\n]*'|"[^"\n]*"|None)\s*,\s*([\w.]+)"""
)


def _positional_rule(out: FileRoutes, text: str, m: re.Match[str], here: str) -> None:
    args = balanced(text, m.end() - 1)
    if _VIEW_FUNC.search(args):
        return  # read by `_view_func_route`
    view = _THIRD_ARGUMENT.match(args)
    if view is not None:
        _rule_routes(out, text, m.start(), here, m.group(1), args, view.group(1))


def _view_func_route(out: FileRoutes, text: str, at: int, here: str) -> None:
    call = _enclosing_call(text, at)
    if call is None:
        return
    opening, receiver, _ = call
    args = balanced(text, opening)
    _rule_routes(out, text, at, here, receiver, args, keyword(args, "view_func") or "")


def _rule_routes(
    out: FileRoutes, text: str, at: int, here: str, receiver: str, args: str, view_text: str
) -> None:
    """The routes of one rule call whose arguments are `args` and whose view is `view_text`."""
    view = re.match(r"\s*([\w.]+)", view_text)
    routes_arg = keyword(args, "routes") or keyword(args, "rule")
    paths = strings(routes_arg) if routes_arg and routes_arg[:1] in "([" else []
    if routes_arg and not paths:
        paths = [routes_arg]
    if not paths:
        first = leading_string(args)
        paths = [first] if first is not None else []
    # `bp.add_url_rule(…)` serves on `bp`; a helper takes the blueprint first: `register_view(bp, …)`.
    owner = receiver
    if not owner:
        first_arg = re.match(r"\s*(\w+)\s*,", args)
        owner = first_arg.group(1) if first_arg else ""
    name = view.group(1).removesuffix(".as_view").rsplit(".", 1)[-1] if view else ""
    methods_arg = keyword(args, "methods")
    methods = [x.upper() for x in strings(methods_arg)] if methods_arg else ["ANY"]
    for rule in paths:
        path = rule.removeprefix("!")  # Indico's `!/admin/x`: the rule ignores the blueprint's prefix
        if not path.startswith("/"):
            continue
        for method in methods:
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    normalize_path(path),
                    line_of(text, at),
                    UNAUTHENTICATED,
                    (),
                    f"{here}:{owner}" if owner and path == rule else "",
                    f"py:{name}" if name else "",
                )
            )


def _named_guards(label: str, calls: list[tuple[str, str]], paths: frozenset[str] = frozenset()) -> list[str]:
    """Decorators (name, argument text) that guard: named for auth, or naming a privileged role in their
    arguments (`@group_required('admin')`) unless those arguments are a path (a decorator named in `paths`)."""
    return [
        f"{OPTS_OUT if _lets_anyone_in(name, args) else ''}{label}{name}{args.strip()[:120]}"
        for name, args in calls
        if AUTH_WORDS.search(name)
        or _opens_by_name(name)
        or (args and name.rsplit(".", 1)[-1] not in paths and privileged_role(args))
    ]


_OPEN_CLASSES = re.compile(r"\b(?:AllowAny|AllowAnyUser)\b")
# `@login_not_required` (Django 5.1, django-login-required-middleware), `@login_exempt`, `@auth_exempt`: the
# view opts out of a login the project requires everywhere else.
_OPENS = re.compile(r"(?:login|auth\w{0,20})_(?:not_required|exempt)|no_(?:login|auth)(?:_required)?", re.I)


def _opens_by_name(name: str) -> bool:
    return _OPENS.fullmatch(name.rsplit(".", 1)[-1]) is not None


def _lets_anyone_in(name: str, args: str) -> bool:
    """DRF's `@permission_classes([permissions.AllowAny])`: the decorator that names the view open."""
    if _opens_by_name(name):
        return True
    if name.rsplit(".", 1)[-1] != "permission_classes":
        return False
    listed = re.findall(r"[A-Za-z_][\w]*", args.replace("permissions.", ""))
    return bool(listed) and all(_OPEN_CLASSES.fullmatch(n) for n in listed)


def _class_decorators(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in _CLASS_DECORATORS.finditer(text):
        listed = balanced(text, m.end() - 1)
        reasons = _named_guards("decorators ", re.findall(r"([\w.]+)[ \t]*(\([^\n\]]{0,200}\))?", listed))
        if reasons:
            out[f"py:{m.group(1)}"] = reasons
    return out


def view_guards(text: str) -> dict[str, list[str]]:
    """Guards of each function (Django views and the like): auth decorators and inline privilege checks."""
    out: dict[str, list[str]] = {}
    for m in _FUNC.finditer(text):
        # A route decorator's arguments are its path (`@bp.route('/make_admin')`), never a role.
        reasons = _named_guards("decorator @", _DECORATED.findall(m.group(1)), _ROUTE_DECORATORS)
        signature = balanced(text, m.end() - 1)
        guard = inline_guard(_body(text, m.end() + len(signature)))
        reasons += [guard] if guard else []
        if reasons:
            out[f"py:{m.group(2)}"] = reasons
    out.update(class_view_guards(text))
    for key, reasons in _class_decorators(text).items():
        out.setdefault(key, []).extend(reasons)
    return out


# aiohttp: `app.router.add_get("/x", h)`, `app.router.add_route("GET", "/x", h)`, and the route definitions
# `web.get("/x", h)` / `web.route("POST", "/x", h)` handed to `app.add_routes([...])`. Authentication is the
# application's middleware, not the route's: unknown here.
_AIOHTTP = re.compile(r"(?:\.\s*add_|\bweb\.)(get|post|put|patch|delete|head|route|view)\s*\(")


def _aiohttp_route(out: FileRoutes, text: str, m: re.Match[str]) -> None:
    args = balanced(text, m.end() - 1)
    verb = m.group(1)
    listed = strings(args)[:2]
    if verb == "route":
        if len(listed) < 2:
            return
        method, route = listed[0].upper(), listed[1]
        method = "ANY" if method == "*" else method
    else:
        route = leading_string(args) or ""
        method = "ANY" if verb == "view" else verb.upper()
    if not route.startswith("/"):
        return
    out.routes.append(RawRoute("http", method, normalize_path(route), line_of(text, m.start()), UNKNOWN, ()))


# What follows a route decorator: more decorators, then `class Name(`.
# A decorator's arguments may run over several lines (`@api.param(\n    name="Authorization",\n)`). The
# kinds of line are disjoint (an indented line is no decorator or comment), so a miss fails in linear time.
_RESOURCE_CLASS = re.compile(
    r"[^\n]*\n(?:[ \t]*@[^\n]*\n|[ \t]*#[^\n]*\n|[ \t]+(?=[^ \t@#\n])(?!(?:async[ \t]+)?def\b|class\b)[^\n]*\n|\)[^\n]*\n){0,40}"
    r"[ \t]*class[ \t]+(\w+)\b"
)
_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def _resource_methods(text: str, name: str, at: int) -> list[tuple[str, list[str]]]:
    """The HTTP methods a resource class defines, each with the guards its own and the class's decorators
    name (`@api.secure(admin_permission)`, `@login_required`)."""
    start = text.rfind("\n", 0, at) + 1
    end = _NEXT_TOP_LEVEL.search(text, text.find("\n", at) if "\n" in text[at:] else len(text))
    chunk = text[start : end.start() if end else len(text)]
    try:
        tree = ast.parse(textwrap.dedent(chunk))
    except (SyntaxError, ValueError, RecursionError):
        return []
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
    if cls is None:
        return []
    on_class = [ast.unparse(d) for d in cls.decorator_list]
    on_class = [d for d in on_class if AUTH_WORDS.search(d) and not re.match(r"\w+\.route\(", d)]
    out: list[tuple[str, list[str]]] = []
    for fn in cls.body:
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.name in _HTTP_METHODS:
            named = [*on_class, *(ast.unparse(d) for d in fn.decorator_list)]
            out.append((fn.name.upper(), [f"decorator @{d}" for d in named if AUTH_WORDS.search(d)]))
    return out


_NEXT_TOP_LEVEL = re.compile(r"\n(?=[^\s#)\]}])")


# FastAPI's `router.add_api_route("/x", handler, methods=["POST"])`, also on `self.admin_router`.
_ADD_API_ROUTE = re.compile(r"\b((?:self\.)?\w+)\s*\.\s*add_api_route\s*\(")
_INTERNAL_NAME = re.compile(r"(?:^|_)(?:internal|private)(?:_|$)", re.I)


def _guarded_route(
    out: FileRoutes, method: str, route: str, line: int, reasons: tuple[str, ...], owner: str
) -> None:
    auth = AUTHENTICATED if guarded_by(reasons) else UNAUTHENTICATED
    out.routes.append(RawRoute("http", method, normalize_path(route), line, auth, reasons, owner))


def admin_router(var: str) -> tuple[str, ...]:
    """A router named for the admin or internal API it serves (`admin_router`, `internal_api`)."""
    if privileged_role(var) or _INTERNAL_NAME.search(var):
        return (f"{ADMIN_HANDLER}router {var}",)
    return ()


# A decorator this file defines that turns callers away: `def access_check(f): @wraps(f) def func(*a, **kw):
# … abort(403)` — a guard whatever it is called.
_WRAPPER_DEF = re.compile(
    r"^([ \t]*)def[ \t]+(\w+)[ \t]*\([ \t]*(?:f|fn|func|function|view|view_func|wrapped|handler)[ \t]*\)"
    r"[^:\n]{0,80}:",
    re.M,
)
_REFUSES = re.compile(r"\babort\s*\(\s*40[13]\b|\b40[13]\b|Unauthori[sz]ed|Forbidden|api_?key", re.I)
MAX_WRAPPER_CHARS = 3000


def _local_guard_decorators(text: str) -> frozenset[str]:
    found: set[str] = set()
    for m in _WRAPPER_DEF.finditer(text) if "wraps" in text else ():
        indent = m.group(1)
        body = text[m.end() : m.end() + MAX_WRAPPER_CHARS]
        end = re.search(rf"^{re.escape(indent)}(?=\S)", body, re.M)
        body = body[: end.start()] if end else body
        if "wraps" in body and _REFUSES.search(body):
            found.add(m.group(2))
    return frozenset(found)


# A FastAPI dependency of the project's own, defined in another module: `Depends(pm_only)`. Keyed across files
# by its name; its definition says whether it refuses callers (raises 401/403) and which role it demands.
DEPENDENCY = "py-dep:"
_TOP_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+(\w{1,80})[ \t]*\(", re.M)
_RAISES_REFUSAL = re.compile(
    r"\braise\s+(?:HTTPException|\w*(?:Unauthori[sz]ed|Forbidden|Authentication|Permission)\w*)\s*\("
    r"[^\n]{0,120}?(?:40[13]|HTTP_40[13]\w*|Unauthori[sz]ed|Forbidden)|\braise\s+\w*(?:Unauthori[sz]ed|Forbidden)\w*\b"
)
_RAISES_FOR_ROLE = re.compile(
    r"^[ \t]*(?:if|elif)\b([^\n]{0,200})\n[ \t]*raise\b[^\n]{0,160}(?:403|FORBIDDEN|Forbidden)", re.M
)
# Dependencies that hand a view a resource, not a verdict on the caller: no definition is searched for them.
_RESOURCE_DEP = re.compile(
    r"db|session|settings|config|redis|cache|client|repo|service|logger|pagina|params"
    r"|query|request|storage|conn|engine|http|templates|background",
    re.IGNORECASE,
)
MAX_DEPENDENCY_CHARS = 4000
MAX_DEPENDENCIES = 200


def _dependency_definitions(text: str) -> dict[str, list[str]]:
    """Module-level functions that refuse a caller who is not signed in (`raise HTTPException(status_code=401)`)
    or lacks a role (`if user["role"] != UserRole.ADMIN.value: raise HTTPException(status_code=403)`)."""
    out: dict[str, list[str]] = {}
    if "raise" not in text and "Depends" not in text:
        return out
    starts = list(itertools.islice(_TOP_DEF.finditer(text), MAX_DEPENDENCIES))
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[m.start() : min(end, m.start() + MAX_DEPENDENCY_CHARS)]
        signature = balanced(body, body.index("("))
        if _ADMITS_ANONYMOUS.search(signature):
            continue
        name = m.group(1)
        if not _RAISES_REFUSAL.search(body):
            # `def _params(…, auth_info: AuthInfo = Depends(deps.authenticate_request))`: FastAPI resolves a
            # dependency's own dependencies first, so a route taking `Depends(_params)` authenticates its caller
            if taken := _dependency_auth(signature):
                out[name] = [f"dependency {name} takes Depends({taken[0]})"]
            continue
        reasons = [f"dependency {name} authenticates the caller"]
        for condition in _RAISES_FOR_ROLE.findall(body):
            if (role := privileged_role(condition)) is not None:
                reasons.append(f"dependency {name} requires the {role} role")
                break
        out[name] = reasons
    return out


def _unknown_dependency(signature: str, here: Collection[str] = ()) -> str:
    """The key of the first dependency a signature names that is neither a guard by its name nor a resource,
    or that this file defines as a guard (`Depends(_read_params)` whose own parameters authenticate)."""
    for m in _AUTH_DEP.finditer(signature):
        name = m.group(1).split("(", 1)[0].rsplit(".", 1)[-1]
        if name in here or (name and not AUTH_WORDS.search(name) and not _RESOURCE_DEP.search(name)):
            return DEPENDENCY + name
    return ""


def extract_python(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    here = _module_here(path)
    local_guards = _local_guard_decorators(text)
    out = FileRoutes(guards=view_guards(text))
    aliases = _aliases(text)
    for name, stands_for in aliases.items():
        out.guards.setdefault(ALIAS + name, []).extend(stands_for)
    defined = _dependency_definitions(text)
    for name, refuses in defined.items():
        out.guards.setdefault(DEPENDENCY + name, []).extend(refuses)
    imports = _imports(text, path)
    router_auth: dict[str, list[str]] = {}
    restx = "flask_restx" in text or "flask_restplus" in text
    for m in _CTOR.finditer(text):
        var, ctor = m.group(1), m.group(2)
        args = balanced(text, m.end() - 1)
        if ctor == "Namespace":
            if not restx:
                continue  # argparse's, or another library's
            # Flask-RESTX: `Namespace("admin", path="/admin/")` serves under its path, else under `/admin`
            named = leading_string(args)
            prefix = keyword(args, "path") or (f"/{named}" if named else None)
        else:
            # (a router subclass takes `prefix=` too: `OrionRouter(prefix="/admin")`)
            builds_router = ctor.endswith(("Router", "_router"))
            prefix = keyword(args, "prefix") if builds_router else keyword(args, "url_prefix")
        if prefix:
            out.mounts.append(Mount(f"{here}:{var}", prefix, ""))
        deps = keyword(args, "dependencies") or ""
        router_auth[var] = [f"{ctor} {var} dependencies {n}" for n in _dependency_auth(deps)]
        # A router subclass named for its guard (`AdminAPIRouter`) applies it to every route it serves.
        if (
            ctor.endswith("APIRouter")
            and ctor != "APIRouter"
            and AUTH_WORDS.search(ctor.removesuffix("APIRouter"))
        ):
            router_auth[var].append(f"{ctor} {var}")

    routers = {m.group(1) for m in _CTOR.finditer(text) if m.group(2) != "Namespace" or restx}
    if routers:
        starts = [m for m in _FACTORY.finditer(text)]
        for i, fn in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
            body = text[fn.end() : min(end, fn.end() + MAX_FACTORY_CHARS)]
            for ret in _RETURNS.finditer(body):
                if ret.group(1) in routers:
                    out.mounts.append(Mount(f"{here}:{ret.group(1)}", "", f"{here}:{fn.group(1)}"))
                    break
    constants = {m.group(1): m.group(2) or m.group(3) or "" for m in _CONSTANT.finditer(text)}

    # Flask-style hooks that guard a whole blueprint/app.
    for m in re.finditer(
        r"@[ \t]*(\w+)\.before_(?:app_)?request\b[^\n]{0,200}\n(?:[ \t]*@[^\n]{0,300}\n){0,5}[ \t]*def[ \t]+(\w+)",
        text,
    ):
        if AUTH_WORDS.search(m.group(2)) or AUTH_WORDS.search(text[m.end() : m.end() + 600]):
            # Named by the hook alone: the blueprint's name (`admin_bp`) says where it serves, not who passes.
            router_auth.setdefault(m.group(1), []).append(f"before_request hook {m.group(2)}")
    # `service_blueprint.before_request(requires_admin_auth)`: the call form, often beside the registration
    for m in _HOOK_CALL.finditer(text) if "before_" in text else ():
        if AUTH_WORDS.search(m.group(2)):
            router_auth.setdefault(m.group(1), []).append(
                f"before_request hook {m.group(2).rsplit('.', 1)[-1]}"
            )

    wrapped = list(_WRAPPED_DECORATOR.finditer(text)) if "@" in text else []
    for m in sorted([*_DECORATOR.finditer(text), *wrapped], key=lambda found: found.start()):
        var, verb = m.group("var"), m.group("verb")
        args = balanced(text, m.start("open"))
        if m.re is _WRAPPED_DECORATOR:
            args = args.split(",", 1)[1]  # the router's method first, then what the router's own takes
        route = leading_string(args)
        # `@router.post(settings.DATA_ROUTE, …)`: a path held by a name, its value here or else the name
        held = _NAMED_PATH.match(args) if route is None else None
        if held is not None:
            route = constants.get(held.group(1)) or "/{" + held.group(1) + "}"
        if route is None:
            continue
        if verb in ("route", "api_route"):
            methods_arg = keyword(args, "methods")
            methods = [s.upper() for s in strings(methods_arg)] if methods_arg else ["GET"]
        elif verb == "websocket":
            methods = ["WEBSOCKET"]
        else:
            methods = [verb.upper()]
        resource = _RESOURCE_CLASS.match(text, m.start() + len(m.group(0)) + len(args) + 1)
        if resource is not None and verb == "route":
            # Flask-RESTX / Flask-RESTPlus `@ns.route("/x")` on a `Resource` class: one route per method.
            for method, guards in _resource_methods(text, resource.group(1), resource.start(1)):
                reasons_here = (*guards, *router_auth.get(var, []))
                _guarded_route(out, method, route, line_of(text, m.start()), reasons_here, f"{here}:{var}")
            continue
        d = _DEF.search(text, m.end())
        signature = balanced(text, d.end() - 1) if d else ""
        # The decorators between this one and the def: the route decorator registers the function as those
        # left it, so one stacked above it (`@login_required` over `@bp.route(…)`) wraps a function nobody
        # serves, as Flask, FastAPI, aiohttp and Sanic register views.
        decorators = text[m.start() : d.start() if d else m.end()]
        reasons: list[str] = []
        for name, rest in re.findall(r"@[ \t]*([\w.]+)([^\n]{0,300})", decorators):
            opens = _opens_by_name(name)
            if (AUTH_WORDS.search(name) or name in local_guards or opens) and not name.startswith(var + "."):
                # `@login_required_if_no_ano`, `@optional_login`: a guard only under a condition admits anonymous
                # callers when the condition holds.
                conditional = _CONDITIONAL_GUARD.search(name) is not None or opens
                role = _demanded_role(name, rest)
                named = f"{name}({role})" if role else name
                reasons.append(f"{OPTS_OUT}decorator @{named}" if conditional else f"decorator @{named}")
        reasons += [f"route dependencies {n}" for n in _dependency_auth(keyword(args, "dependencies") or "")]
        reasons += [f"parameter Depends({n})" for n in _dependency_auth(signature)]
        by_alias, elsewhere = _annotated(signature, aliases)
        reasons += by_alias
        if not guarded_by(reasons):
            # `user: AuthUserDTO = Depends(pm_only)`: the dependency decides, the annotation is its type
            elsewhere = _unknown_dependency(signature, defined) or elsewhere
        reasons += router_auth.get(var, [])
        body = _body(text, d.end() + len(signature)) if d else ""
        guard = inline_guard(body) if d else None
        reasons += [guard] if guard else []
        checked = checks_first(body) if d and not guard else None
        reasons += [checked] if checked else []
        auth = AUTHENTICATED if guarded_by(reasons) else UNAUTHENTICATED
        reasons += admin_router(var)
        for method in methods:
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    normalize_path(route),
                    line_of(text, m.start()),
                    auth,
                    tuple(reasons),
                    f"{here}:{var}",
                    elsewhere,
                )
            )

    for m in _ADD_API_ROUTE.finditer(text):
        var = m.group(1).removeprefix("self.")
        args = balanced(text, m.end() - 1)
        route = leading_string(args)
        if route is None:
            continue
        methods_arg = keyword(args, "methods")
        needed = _dependency_auth(keyword(args, "dependencies") or "")
        reasons = [f"route dependencies {n}" for n in needed] + router_auth.get(var, [])
        for method in [s.upper() for s in strings(methods_arg)] if methods_arg else ["GET"]:
            at_line = line_of(text, m.start())
            _guarded_route(out, method, route, at_line, (*reasons, *admin_router(var)), f"{here}:{var}")

    for m in _VIEW_FUNC.finditer(text):
        _view_func_route(out, text, m.start(), here)
    for m in _POSITIONAL_RULE.finditer(text):
        _positional_rule(out, text, m, here)

    for m in _AIOHTTP.finditer(text) if "aiohttp" in text else ():
        _aiohttp_route(out, text, m)

    for m in _INCLUDE.finditer(text):
        parent, verb = m.group(1), m.group(2)
        args = balanced(text, m.end() - 1)
        if verb == "mount":
            continue
        child_expr = re.match(r"\s*([\w.]+)", args)
        if child_expr is None:
            continue
        prefix = keyword(args, "prefix") or keyword(args, "url_prefix") or ""
        ops = _OPS_BLUEPRINTS.get(child_expr.group(1).split(".", 1)[0])
        if ops is not None and verb == "register_blueprint":
            # rq-dashboard's own blueprint: the job-queue dashboard, served wherever it is registered
            at = (prefix if prefix.startswith("/") else "/" + ops[0]).rstrip("/") + "/**"
            out.routes.append(RawRoute("http", "ANY", at, line_of(text, m.start()), UNKNOWN, (ops[1],)))
            continue
        child = _owner_ref(child_expr.group(1), here, imports)
        if child.endswith(":"):
            child += "router"
        if prefix[:1].isalpha() or prefix[:1] == "_":
            prefix = constants.get(prefix, "")  # a name: its module-level value, or no prefix we know
        needed = _dependency_auth(keyword(args, "dependencies") or "")
        hooks = router_auth.get(child_expr.group(1), []) if child_expr.group(1) not in routers else []
        authed = bool(needed) or bool(router_auth.get(parent)) or bool(hooks)
        # The dependencies by name: `Depends(get_admin_user)` says who passes, not only that someone must.
        reason = f"{verb} with auth dependencies {', '.join(needed)}" if needed else ""
        if router_auth.get(parent):
            reason = f"{verb} into {', '.join(router_auth[parent])}"
        elif hooks:  # an imported blueprint given its guard where it is registered
            reason = ", ".join(hooks)
        out.mounts.append(Mount(child, prefix, f"{here}:{parent}", authed, reason))
    for m in _REGISTER_HELPER.finditer(text):
        _helper_mount(out, m, balanced(text, m.end() - 1), here, imports)
    return out


_HOOK_CALL = re.compile(r"\b(\w+)\.before_(?:app_)?request\s*\(\s*([\w.]{1,120})\s*\)")
# Packages whose blueprint serves an operations dashboard: (default prefix, reason).
_OPS_BLUEPRINTS = {"rq_dashboard": ("rq", OPS_DASHBOARD + "rq-dashboard job queues")}


# A project's own blueprint registration taking the guard to run before each request:
# `register_notify_blueprint(application, service_blueprint, requires_admin_auth, "/service")`.
_REGISTER_HELPER = re.compile(r"(?<![.\w])(\w*register\w*_blueprints?)\s*\(", re.IGNORECASE)


def _helper_mount(out: FileRoutes, m: re.Match[str], args: str, here: str, imports: dict[str, str]) -> None:
    parts = [a.strip() for a in split_args(args)]
    names = [a for a in parts if re.fullmatch(r"[A-Za-z_][\w.]{0,120}", a)]
    if len(names) < 2:
        return
    parent, child = names[0], names[1]
    guards = [n for n in names[2:] if AUTH_WORDS.search(n)]
    prefix = next((s for s in map(leading_string, parts[2:]) if s and s.startswith("/")), "")
    reason = f"{m.group(1)} with {guards[0]}" if guards else ""
    out.mounts.append(
        Mount(_owner_ref(child, here, imports), prefix, f"{here}:{parent}", bool(guards), reason)
    )
