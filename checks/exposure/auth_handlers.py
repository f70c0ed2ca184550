"""ASP.NET Core authorization handlers that let a request through without a user.

An `AuthorizationHandler<TRequirement>` grants its requirement by calling `context.Succeed(requirement)`.
Each way to reach that call is a conjunction of the `if` conditions around it (split at `||` into one path
per alternative). A path that names no user, claim, role or credential but does name where the request comes
from or a setting (`ipAddress.IsLocalAddress()`, `_authenticationRequired == DisabledForLocalhost`) lets an
anonymous caller through: an authentication bypass. Each such path is an entry reachable without
credentials, keyed by its conditions, so a commit that adds one ("trust CGNAT addresses", "no login from
localhost") widens every endpoint the handler protects.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

import tree_sitter
import tree_sitter_c_sharp

from .allowlist import KIND
from .model import MAX_FILE_CHARS, UNAUTHENTICATED
from .routes import FileRoutes, RawRoute

MARKER = "AuthorizationHandler"
WHEN = "/anonymous-when/"
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


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_c_sharp.language()))


@lru_cache(maxsize=1)
def _query() -> tree_sitter.Query:
    language = tree_sitter.Language(tree_sitter_c_sharp.language())
    return tree_sitter.Query(language, "(invocation_expression) @call")


def _text(node: tree_sitter.Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


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
            if not atoms or _IDENTITY.search(joined) or not _BYPASS.search(joined):
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
