"""Authorization handlers and global login hooks that let a request through without a user.

An `AuthorizationHandler<TRequirement>` grants its requirement by calling `context.Succeed(requirement)`.
Each way to reach that call is a conjunction of the `if` conditions around it (split at `||` into one path
per alternative). A path that names no user, claim, role or credential but does name where the request comes
from or a setting (`ipAddress.IsLocalAddress()`, `_authenticationRequired == DisabledForLocalhost`) lets an
anonymous caller through: an authentication bypass. Each such path is an entry reachable without
credentials, keyed by its conditions, so a commit that adds one ("trust CGNAT addresses", "no login from
localhost") widens every endpoint the handler protects.

Flask's `@app.before_request` hook that sends anonymous callers to the login page is read the same way: each
early `return None` lets the request through, under the `if`/`elif` conditions around it; a path that tests
the request (its path, endpoint, blueprint, method, address) or a setting, and not who the caller is, exempts
what it names from the login ("`request.path.startswith('/api/')`: return None" exempts the whole API).
A negated test of the caller (`not current_user.is_authenticated`) is the hook's own "anonymous" case and
keeps a path a bypass.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

import tree_sitter
import tree_sitter_c_sharp

from .allowlist import KIND
from .model import MAX_FILE_CHARS, UNAUTHENTICATED
from .routes import FileRoutes, RawRoute
from .syntax import node_text as _text

MARKER = "AuthorizationHandler"
WHEN = "/anonymous-when/"
HOOK = (
    "login-hook"  # kind of the entry that marks a Flask login hook itself (compared only through its paths)
)
_SUCCEED = ".Succeed("
MAX_NODES = 2_000_000
# Conditions are split into paths; a condition with more alternatives than this is read as one path.
MAX_PATHS = 64
MAX_ATOM_CHARS = 200

# Anything about who the caller is: a path naming one of these checks a user and bypasses nothing.
_IDENTITY = re.compile(
    r"User|Identity|Claim|Principal|Role|Authenticated|Token|ApiKey|Permission|Scope|Policy|Password|"
    r"Signature|Session|Cookie|Credential|Owner|Member|Group|Tenant",
    re.IGNORECASE,
)
# Where the request comes from, or a setting that turns authentication off.
_BYPASS = re.compile(
    r"IP(?:Address)?\b|Address|Loopback|Local|Remote|Cgnat|Network|Proxy|Subnet|Disabled|Trust|Bypass|Anonymous",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z]\w*")
_NEGATED = re.compile(r"^\s*(?:!|not\b)")

# Flask: the hook, what it denies with, what a Python path may test about the request, and about the caller.
_HOOK = re.compile(r"\bbefore_(?:app_)?request\b")
_DENIES = re.compile(r"unauthori[sz]ed|login|\b40[13]\b|Forbidden", re.IGNORECASE)
_PY_BYPASS = re.compile(
    r"\brequest\.(?:path|endpoint|blueprint|method|url|url_rule|remote_addr|access_route|host|full_path|"
    r"base_url)|\b(?:config|settings|environ|getenv)\b|disabled|enabled",
    re.IGNORECASE,
)
_PY_IDENTITY = re.compile(
    r"current_user|\bg\.user|request\.user|authenticated|has_role|is_admin|is_staff|check_password|verify|"
    r"token|api_key|authorization|\bsession\b|\bauth\b|signature",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))


@lru_cache(maxsize=1)
def _query() -> tree_sitter.Query:
    language = tree_sitter.Language(tree_sitter_c_sharp.language())
    return tree_sitter.Query(language, "(invocation_expression) @call")


def mentions_auth_handler(text: str) -> bool:
    return MARKER in text and _SUCCEED in text


def _paths(cond: tree_sitter.Node) -> list[tuple[str, ...]]:
    """The condition in disjunctive form: each alternative as the atoms that must all hold."""
    while cond.type == "parenthesized_expression" and cond.named_child_count == 1:
        cond = cond.named_children[0]
    if cond.type == "binary_expression":
        op = _text(cond.child_by_field_name("operator"))
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        if op in ("||", "&&") and left is not None and right is not None:
            lp, rp = _paths(left), _paths(right)
            if op == "||":
                return (lp + rp)[:MAX_PATHS]
            return [a + b for a, b in itertools.islice(itertools.product(lp, rp), MAX_PATHS)]
    return [(" ".join(_text(cond).split())[:MAX_ATOM_CHARS],)]


def _conditions(call: tree_sitter.Node) -> list[tuple[str, ...]]:
    """Every path of `if` conditions that reaches `call`, innermost last."""
    paths: list[tuple[str, ...]] = [()]
    child, node = call, call.parent
    while node is not None and node.type not in ("method_declaration", "local_function_statement"):
        if node.type == "if_statement" and child == node.child_by_field_name("consequence"):
            cond = node.child_by_field_name("condition")
            if cond is not None:
                alternatives = _paths(cond)
                paths = [
                    a + p for a, p in itertools.islice(itertools.product(alternatives, paths), MAX_PATHS)
                ]
        child, node = node, node.parent
    return paths


def _handler_class(node: tree_sitter.Node) -> str | None:
    """The enclosing class's name when it derives from an authorization handler."""
    while node is not None and node.type != "class_declaration":
        node = node.parent  # type: ignore[assignment]
    if node is None:
        return None
    bases = next((c for c in node.named_children if c.type == "base_list"), None)
    return _text(node.child_by_field_name("name")) if MARKER in _text(bases) else None


def _names(path: str) -> tuple[str, frozenset[str]] | None:
    handler, when, names = path.partition(WHEN)
    return (handler, frozenset(names.split("+"))) if when else None


def narrows(path: str, before: Iterable[str]) -> bool:
    """A path of a handler that tests everything an earlier path of the same handler tested, and more, lets
    fewer callers through than that one did: `IsPrivate()` → `IsPrivate() && !Strict` narrows."""
    new = _names(path)
    if new is None:
        return False
    return any(old is not None and old[0] == new[0] and old[1] < new[1] for old in map(_names, before))


def extract_auth_handler_bypasses(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if not mentions_auth_handler(text):
        return out
    tree = _parser().parse(text[:MAX_FILE_CHARS].encode("utf-8", "replace"))
    if tree.root_node.descendant_count > MAX_NODES:
        return out
    calls = tree_sitter.QueryCursor(_query()).captures(tree.root_node).get("call", ())
    seen: set[str] = set()
    for call in sorted(calls, key=lambda n: n.start_byte):
        function = call.child_by_field_name("function")
        if function is None or function.type != "member_access_expression":
            continue
        if _text(function.child_by_field_name("name")) != "Succeed":
            continue
        cls = _handler_class(call)
        if cls is None:
            continue
        for atoms in _conditions(call):
            joined = " && ".join(dict.fromkeys(atoms))
            asserted = " ".join(a for a in atoms if not _NEGATED.match(a))
            if not atoms or _IDENTITY.search(asserted) or not _BYPASS.search(joined):
                continue
            # Keyed by the capitalized names the path tests (members, types, constants), not by local
            # variable names: renaming `ipAddress` to `ip` is the same path.
            names = sorted(set(_NAME.findall(joined)))
            key = f"/{cls}{WHEN}{'+'.join(names)}"
            if key in seen:
                continue
            seen.add(key)
            reason = f"{cls} grants access without a user when {joined}"
            out.routes.append(RawRoute(KIND, "ANY", key, call.start_point[0] + 1, UNAUTHENTICATED, (reason,)))
    return out


def _py_paths(test: ast.expr) -> list[tuple[ast.expr, ...]]:
    if isinstance(test, ast.BoolOp):
        parts = [_py_paths(v) for v in test.values]
        if isinstance(test.op, ast.Or):
            return [p for part in parts for p in part][:MAX_PATHS]
        out: list[tuple[ast.expr, ...]] = [()]
        for part in parts:
            out = [a + b for a, b in itertools.islice(itertools.product(out, part), MAX_PATHS)]
        return out
    return [(test,)]


def _py_names(atoms: Iterable[ast.expr]) -> list[str]:
    """Names, attributes and string constants the atoms test: what keys a path."""
    found: set[str] = set()
    for atom in atoms:
        for node in ast.walk(atom):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.Attribute):
                found.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(repr(node.value)[:MAX_ATOM_CHARS])
    return sorted(found)


def _lets_through(node: ast.Return) -> bool:
    return node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)


def _hook_bypasses(out: FileRoutes, hook: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
    parents: dict[ast.AST, ast.AST] = {}
    for outer in ast.walk(hook):
        for inner in ast.iter_child_nodes(outer):
            parents[inner] = outer
    seen: set[str] = set()
    for ret in (n for n in ast.walk(hook) if isinstance(n, ast.Return) and _lets_through(n)):
        paths: list[tuple[ast.expr, ...]] = [()]
        child: ast.AST = ret
        node: ast.AST | None = parents.get(ret)
        while node is not None and node is not hook:
            if isinstance(node, ast.If) and child in node.body:
                paths = [
                    a + p
                    for a, p in itertools.islice(itertools.product(_py_paths(node.test), paths), MAX_PATHS)
                ]
            child, node = node, parents.get(node)
        for atoms in paths:
            asserted = " ".join(
                ast.unparse(a)
                for a in atoms
                if not (isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.Not))
            )
            joined = " and ".join(dict.fromkeys(ast.unparse(a)[:MAX_ATOM_CHARS] for a in atoms))
            if not atoms or _PY_IDENTITY.search(asserted) or not _PY_BYPASS.search(joined):
                continue
            key = f"/{hook.name}{WHEN}{'+'.join(_py_names(atoms))}"
            if key in seen:
                continue
            seen.add(key)
            reason = f"before_request hook {hook.name} lets a request through without a login when {joined}"
            out.routes.append(RawRoute(KIND, "ANY", key, ret.lineno, UNAUTHENTICATED, (reason,)))


def _denies(hook: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The hook turns some request away: it returns or raises a refusal (the login page, 401/403, abort)."""
    for node in ast.walk(hook):
        if isinstance(node, ast.Return) and not _lets_through(node) and node.value is not None:
            refusal = ast.unparse(node.value)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            refusal = ast.unparse(node.exc)
        elif isinstance(node, ast.Call) and "abort" in ast.unparse(node.func):
            refusal = ast.unparse(node)
        else:
            continue
        if _DENIES.search(refusal):
            return True
    return False


def mentions_login_hook(text: str) -> bool:
    return _HOOK.search(text) is not None


def extract_login_hook_bypasses(path: str, text: str) -> FileRoutes:
    """Paths through a Flask `before_request` login hook that return without denying (see the module doc)."""
    out = FileRoutes()
    if not mentions_login_hook(text):
        return out
    try:
        tree = ast.parse(text[:MAX_FILE_CHARS])
    except (SyntaxError, ValueError, RecursionError):
        return out
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not any(_HOOK.search(ast.unparse(d)) for d in node.decorator_list):
            continue
        if _denies(node):
            # the hook itself, so that a hook new in this change exempts nothing that was not open before
            reason = f"before_request hook {node.name} turns anonymous callers away"
            out.routes.append(
                RawRoute(HOOK, "ANY", f"/{node.name}{WHEN}", node.lineno, UNAUTHENTICATED, (reason,))
            )
            _hook_bypasses(out, node)
    return out


def hook_of(path: str) -> str | None:
    """The hook marker an exemption path belongs to (`/check_login/anonymous-when/…` → `/check_login/anonymous-when/`)."""
    handler, when, _ = path.partition(WHEN)
    return handler + WHEN if when else None
