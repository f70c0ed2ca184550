"""Phoenix (Elixir, parsed with tree-sitter): router scopes, `pipe_through` pipelines and their plugs,
verb macros, `resources`, `live`, `forward` and mounted dashboards (`live_dashboard`); controller `plug`
guards (`plug Guard, :admin when action in [...]`) met through the routes' `Controller#action` handlers.
Routes inside a `Mix.env()` condition that names only dev/test are not served in production; its `else`
branch is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter
import tree_sitter_elixir

from .model import ACCEPTS, AUTHENTICATED, MAX_FILE_CHARS, OPS_DASHBOARD, UNAUTHENTICATED, join_paths
from .roles import privileged_role, words
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS
from .syntax import node_text as _text

_VERBS = {"get", "post", "put", "patch", "delete", "options", "head"}
# `resources` actions: (method, on a member, suffix); singletons have no `/:id`.
_ACTIONS = {
    "index": ("GET", False, ""),
    "new": ("GET", False, "/new"),
    "create": ("POST", False, ""),
    "show": ("GET", True, ""),
    "edit": ("GET", True, "/edit"),
    "update": ("PATCH", True, ""),
    "delete": ("DELETE", True, ""),
}
# (`ash_admin "/admin"`: AshAdmin's data-admin UI over every resource)
_DASHBOARDS = {"live_dashboard", "oban_dashboard", "error_tracker_dashboard", "exq_ui", "ash_admin"}
_FORWARDED_DASHBOARDS = (
    "FunWithFlags.UI",
    "ExqUi",
    "Exq.RouterPlug",
    "Kaffy",
    "Oban.Web",
    "PhoenixProfiler",
    "Wobserver",
    "Plug.Swoosh.MailboxPreview",  # every e-mail the server sent, readable by whoever opens it
    "Bamboo.SentEmailViewerPlug",
    # the GraphiQL (or Playground) IDE over the whole schema, a console to run any query in
    "Absinthe.Plug.GraphiQL",
)
# Plugs that let anonymous callers through, or protect something other than identity.
_DISPLAYS = frozenset(
    {"counter", "counters", "count", "counts", "badge", "badges", "notice", "notices", "menu", "stats"}
)
_NOT_GUARD = re.compile(
    r"optional|anonymous|fetch_?current|maybe|forgery|csrf|if_?authenticated|(?:set|assign|load|put)_?current_?user"
    # a rate limiter counts requests in buckets (`plug RateLimit, ["auth_actions", 60]`), turns no caller away
    r"|rate_?limit|throttl"
    # AshAuthentication's live-session hook assigns the signed-in actor, if any; it turns no one away
    r"|^AshAuthentication\.Phoenix\.LiveSession$",
    re.IGNORECASE,
)
_WHEN_ACTIONS = re.compile(r"\bwhen\s+action\s+in\s+\[([^\]]{0,2000})\]")
_DASHBOARD_CALL = re.compile(r"\b(?:" + "|".join(sorted(_DASHBOARDS)) + r")\b")
# a dashboard's macro, a plug of an operations UI forwarded to, or Kaffy's routes
_DASHBOARD_MOUNT = re.compile(
    _DASHBOARD_CALL.pattern
    + r"|\bforward\b[^\n]{0,200}?,\s*(?:to:\s*)?(?:"
    + "|".join(re.escape(name) for name in _FORWARDED_DASHBOARDS)
    + r")\b|\buse\s+Kaffy\.Routes\b"
)
_DEV_ONLY = re.compile(r"Mix\.env\(\)|compile_env")
_EITHER = re.compile(r"\|\||\bor\b")
MAX_NODES = 2_000_000
_ROUTER_USE = re.compile(r"^use\s*\(?\s*[\w.]*(?:Router\b|,\s*:router\b)")
MAX_DEPTH = 64  # nested scopes/blocks followed; deeper ones (hostile input) are not read


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_elixir.language()))


@dataclass(frozen=True)
class _Call:
    name: str
    args: list[tree_sitter.Node]
    body: tree_sitter.Node | None
    node: tree_sitter.Node


def _call(node: tree_sitter.Node) -> _Call | None:
    if node.type != "call":
        return None
    target = node.child_by_field_name("target")
    if target is None or target.type != "identifier":
        return None
    args: list[tree_sitter.Node] = []
    body = None
    for child in node.named_children:
        if child.type == "arguments":
            args = list(child.named_children)
        elif child.type == "do_block":
            body = child
    return _Call(_text(target), args, body, node)


def _calls(block: tree_sitter.Node | None) -> Iterator[_Call]:
    for child in block.named_children if block is not None else ():
        c = _call(child)
        if c is not None:
            yield c


def _string(node: tree_sitter.Node | None) -> str | None:
    if node is None or node.type != "string":
        return None
    parts = [c for c in node.named_children if c.type != "quoted_content"]
    return None if parts else _text(node)[1:-1]


def _keyword(args: list[tree_sitter.Node], name: str) -> tree_sitter.Node | None:
    for arg in args:
        if arg.type != "keywords":
            continue
        for pair in arg.named_children:
            key = pair.child_by_field_name("key")
            if key is not None and _text(key).rstrip(": ") == name:
                return pair.child_by_field_name("value")
    return None


def _atoms(node: tree_sitter.Node | None, depth: int = 0) -> list[str]:
    if node is None:
        return []
    if node.type == "binary_operator" and depth < 8:
        # `pipe_through([:auth, :api] ++ if(Mix.env() == :prod, do: [:ssl_only], else: []))`: the list
        # every environment gets
        return _atoms(node.child_by_field_name("left"), depth + 1) + _atoms(
            node.child_by_field_name("right"), depth + 1
        )
    items = node.named_children if node.type == "list" else [node]
    return [_text(a).lstrip(":") for a in items if a.type == "atom"]


def _pipeline_modules(node: tree_sitter.Node) -> list[str]:
    items = node.named_children if node.type == "list" else [node]
    return [
        _text(a)
        for a in items[:20]
        if a.type == "alias" and AUTH_WORDS.search(_last(_text(a))) and not _NOT_GUARD.search(_text(a))
    ]


def _last(alias: str) -> str:
    return alias.rsplit(".", 1)[-1]


def _pipeline_plugs(body: tree_sitter.Node | None, depth: int = 0) -> Iterator[_Call]:
    """A pipeline's plugs, those a compile-time `if @basic_auth do plug(:basic_auth, …) end` adds too."""
    for c in _calls(body):
        if c.name in ("if", "unless") and depth < 3:
            yield from _pipeline_plugs(c.body, depth + 1)
        else:
            yield c


def _plug_guard(c: _Call) -> str | None:
    """`plug(Some.AuthPlug, opts)` or `plug :require_admin`: a guard when its name or options name one."""
    if c.name != "plug" or not c.args:
        return None
    text = _text(c.node)[:400]
    name = _text(c.args[0])
    if _NOT_GUARD.search(name) or not AUTH_WORDS.search(text.split(" when ", 1)[0]):
        return None
    # `plug AdminCountersPlug`: loads what a page shows about a role (counters, badges), turns nobody away.
    if _DISPLAYS & set(words(name)):
        return None
    # `plug Authorize, roles: ["admin", "user"]`: any one of the roles passes; one more role widens it
    roles = _ROLES_OPTION.search(text)
    if roles is not None:
        listed = re.findall(r"[\"':]([\w-]{1,40})\"?", roles.group(1))
        if listed:
            return f"plug {name} {ACCEPTS}{', '.join(dict.fromkeys(listed))}"
    return "plug " + " ".join(text.removeprefix("plug").strip("() ").split())[:120]


_ROLES_OPTION = re.compile(r"\broles?\s*:\s*\[([^\[\]]{0,300})\]")


def _on_mount_guards(c: _Call) -> tuple[str, ...]:
    """The `on_mount` hooks of a live_session that name a guard (`{UserAuth, :ensure_admin}`, `AuthHook`)."""
    hooks = _keyword(c.args, "on_mount")
    if hooks is None:
        return ()
    items = hooks.named_children if hooks.type == "list" else [hooks]
    guards = []
    for item in items[:20]:
        text = " ".join(_text(item).split())[:120]
        if AUTH_WORDS.search(text) and not _NOT_GUARD.search(text):
            guards.append("on_mount " + text)
    return tuple(guards)


class _Router:
    def __init__(self, out: FileRoutes, text: str) -> None:
        self.out, self.text = out, text
        self.pipelines: dict[str, list[str]] = {}
        self.depth = 0
        self.alias = ""  # the scope's alias of the route being read: `Api.Json` of `Api.Json.ThemeController`

    def block(self, body: tree_sitter.Node | None, prefix: str, alias: str, guards: tuple[str, ...]) -> None:
        if self.depth >= MAX_DEPTH:
            return
        self.depth += 1
        try:
            self._block(body, prefix, alias, guards)
        finally:
            self.depth -= 1

    def through(self, names: list[str]) -> tuple[str, ...]:
        """The guards of the pipelines named; one the file does not define (a routes macro's
        `pipe_through :require_admin`, defined by the router that uses it) guards by its name."""
        return tuple(
            g
            for n in names
            for g in self.pipelines.get(
                n, [f"pipe_through :{n}"] if AUTH_WORDS.search(n) and not _NOT_GUARD.search(n) else []
            )
        )

    def _block(self, body: tree_sitter.Node | None, prefix: str, alias: str, guards: tuple[str, ...]) -> None:
        for c in _calls(body):
            if c.name == "pipeline" and c.args:
                name = _text(c.args[0]).lstrip(":")
                self.pipelines[name] = [g for p in _pipeline_plugs(c.body) if (g := _plug_guard(p))]
            elif c.name == "pipe_through" and c.args:
                names = _atoms(c.args[0])
                guards = guards + self.through(names)
                # `pipe_through ConsoleWeb.AuthApiPipeline`: a pipeline module (Guardian's), named for a guard
                guards = guards + tuple(f"pipe_through {m}" for m in _pipeline_modules(c.args[0]))
            elif c.name == "use" and c.args and _text(c.args[0]) == "Kaffy.Routes":
                # `use Kaffy.Routes, scope: "/admin", pipe_through: [:browser, :admin]`: the admin panel
                scope = _string(_keyword(c.args, "scope")) or "/admin"
                through = _keyword(c.args, "pipe_through")
                names = _atoms(through) if through is not None else []
                mounted = guards + self.through(names)
                dashboard = (OPS_DASHBOARD + "Kaffy",)
                self.add(c, "ANY", join_paths(prefix, scope, "/**"), mounted, "", "", dashboard)
            elif c.name == "plug":
                guard = _plug_guard(c)
                guards = guards + ((guard,) if guard else ())
            elif c.name == "scope":
                self.scope(c, prefix, alias, guards)
            elif c.name == "if" and c.args and c.body is not None:
                condition = _text(c.args[0])
                # `Mix.env() == :dev || System.get_env(…) == "local"` holds in production too.
                dev_only = _DEV_ONLY.search(condition) and _EITHER.search(condition) is None
                if not (dev_only and "prod" not in condition):
                    self.block(c.body, prefix, alias, guards)
                # The `else` of a dev-only condition is what production serves; any `else` is served somewhere.
                for other in c.body.named_children:
                    if other.type == "else_block":
                        self.block(other, prefix, alias, guards)
            elif c.name == "live_session" and c.body is not None:
                # `live_session :admin, on_mount: [{MyAppWeb.UserAuth, :ensure_admin}] do … end`: the
                # hooks run before every LiveView inside, so a hook that names a guard guards them.
                self.block(c.body, prefix, alias, guards + _on_mount_guards(c))
            elif c.name in ("defmodule", "do", "defmacro", "quote") and c.body is not None:
                self.block(c.body, prefix, alias, guards)
            else:
                self.route(c, prefix, alias, guards)

    def scope(self, c: _Call, prefix: str, alias: str, guards: tuple[str, ...]) -> None:
        path = _string(c.args[0]) if c.args else None
        path = path if path is not None else (_string(_keyword(c.args, "path")) or "")
        inner = next((_text(a) for a in c.args if a.type == "alias"), "")
        keyed = _keyword(c.args, "alias")
        inner = inner or (_text(keyed) if keyed is not None and keyed.type == "alias" else "")
        self.block(
            c.body,
            join_paths(prefix, path),
            f"{alias}.{inner}" if alias and inner else inner or alias,
            guards,
        )

    def route(self, c: _Call, prefix: str, alias: str, guards: tuple[str, ...]) -> None:
        self.alias = alias
        path = _string(c.args[0]) if c.args else None
        if path is None and c.name == "forward" and c.args and c.args[0].type == "unary_operator":
            # `forward @observer_url, Wobserver.Web.Router`: a path set at compile time, kept by its name
            name = _text(c.args[0]).lstrip("@")
            path = "/{" + name + "}" if name.isidentifier() else None
        if path is None:
            return
        full = join_paths(prefix, path)
        controller = _last(_text(c.args[1])) if len(c.args) > 1 and c.args[1].type == "alias" else ""
        if c.name in _VERBS:
            action = _atoms(c.args[2])[0] if len(c.args) > 2 and _atoms(c.args[2]) else ""
            self.add(c, c.name.upper(), full, guards, controller, action)
        elif c.name in ("live", "live_session"):
            self.add(c, "GET", full, guards, controller, "")
        elif c.name == "forward":
            # A plug of an operations UI (`forward "/flags", FunWithFlags.UI.Router`) is a dashboard.
            # (Plug.Router's `forward("/graphiql", to: Absinthe.Plug.GraphiQL, init_opts: …)`)
            target = re.sub(r"^\[?\s*to:\s*", "", _text(c.args[1])) if len(c.args) > 1 else ""
            ops = next((name for name in _FORWARDED_DASHBOARDS if target.startswith(name)), None)
            self.add(
                c,
                "ANY",
                full + "/**" if ops else full,
                guards,
                controller,
                "",
                (OPS_DASHBOARD + ops,) if ops else (),
            )
        elif c.name in _DASHBOARDS:
            self.add(c, "GET", full, guards, "", "", (OPS_DASHBOARD + c.name,))
        elif c.name == "resources":
            self.resources(c, full, guards, controller)

    def resources(self, c: _Call, full: str, guards: tuple[str, ...], controller: str) -> None:
        singleton = _text(_keyword(c.args, "singleton")) == "true"
        only = _atoms(_keyword(c.args, "only"))
        except_ = set(_atoms(_keyword(c.args, "except")))
        actions = [a for a in (only or list(_ACTIONS)) if a in _ACTIONS and a not in except_]
        for action in actions:
            method, member, suffix = _ACTIONS[action]
            path = join_paths(full, "{id}" if member and not singleton else "", suffix)
            self.add(c, method, path, guards, controller, action)
        if c.body is not None:
            param = re.sub(r"\W", "", full.rsplit("/", 1)[-1]).removesuffix("s") + "_id"
            self.block(c.body, join_paths(full, "{" + param + "}"), "", guards)

    def add(
        self,
        c: _Call,
        method: str,
        path: str,
        guards: tuple[str, ...],
        controller: str,
        action: str,
        extra: tuple[str, ...] = (),
    ) -> None:
        # `@alias` tells `Api.Json.ThemeController` from `ThemeController` (guards are met by the last name).
        scoped = f"@{self.alias}" if self.alias else ""
        handler = f"phoenix:{controller}#{action}{scoped}" if controller else ""
        line = c.node.start_point[0] + 1
        state = AUTHENTICATED if guards else UNAUTHENTICATED
        self.out.routes.append(RawRoute("http", method, path, line, state, guards + extra, "", handler))


# A controller overriding `action/2` to admit a role only: `def action(conn, _) do if
# Accounts.user_is_admin?(id) do … else unauthorized(…) end`.
_ACTION_DEF = re.compile(r"\A\s*action\s*\(")
_IF_CONDITION = re.compile(r"^\s*(?:if|unless)\s+([^\n]{1,200}?)\s+do\b", re.M)


def _action_guard(c: _Call) -> str | None:
    if c.name != "def" or not c.args or c.body is None or not _ACTION_DEF.match(_text(c.args[0])):
        return None
    condition = _IF_CONDITION.search(_text(c.body)[:2400])
    if condition is None or condition.group(0).lstrip().startswith("unless"):
        return None
    role = privileged_role(condition.group(1))
    return f"action/2 admits {role} only: if {condition.group(1).strip()}" if role else None


def _controller_guards(out: FileRoutes, body: tree_sitter.Node | None, module: str) -> None:
    for c in _calls(body):
        guard = _plug_guard(c) or _action_guard(c)
        if guard is None:
            continue
        actions = _WHEN_ACTIONS.search(_text(c.node)[:2400])
        if actions is None:
            out.guards.setdefault(f"phoenix:{module}", []).append(guard)
            continue
        for action in re.findall(r":(\w+)", actions.group(1)):
            out.guards.setdefault(f"phoenix:{module}#{action}", []).append(guard)


def extract_phoenix(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if len(text) > MAX_FILE_CHARS:
        return out
    tree = _parser().parse(text.encode())
    if tree.root_node.descendant_count > MAX_NODES:
        return out
    router = _Router(out, text)
    for c in _calls(tree.root_node):
        if c.name != "defmodule" or not c.args:
            continue
        module = _last(_text(c.args[0]))
        if module.endswith("Controller") or module.endswith("Live"):
            _controller_guards(out, c.body, module)
        elif any(_ROUTER_USE.search(_text(u.node)) for u in _calls(c.body) if u.name == "use"):
            # Only a router serves its verb macros: an HTTP client module's `get("/users")` is a request.
            router.block(c.body, "", "", ())
        else:
            _dashboard_macros(router, c.body)
    return out


def _dashboard_macros(router: _Router, body: tree_sitter.Node | None) -> None:
    """`defmacro __using__` quoting a dashboard mount: a router that `use`s the module serves it."""
    for m in _calls(body):
        if m.name == "defmacro" and _DASHBOARD_MOUNT.search(_text(m.node)):
            router.block(m.body, "", "", ())
