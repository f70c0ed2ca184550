"""Go: a router handed to a function declared in another file.

gin and echo projects often build their groups in one file and register each group's routes in another:
`answer.RegisterCmsRouter(cmsAuth)` in `server/http.go`, `func (a *Router) RegisterCmsRouter(r
*gin.RouterGroup) {…}` in `router/api.go`. The routes of such a function belong to an owner named after it,
and the call hands that owner the group's prefix and middleware (a mount, resolved across files like a
Python `include_router`).

A plain function is named with its package, as other packages call it (`admin.RegisterRoutes(g)` for
`package admin`), so that two packages' `AddEndpoints` are two routers. A method is called on a variable whose
type the call does not say: a distinctive name (`RegisterCmsRouter`) names it anywhere in the project, a
common one (`Register`, `Setup`) names none.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from .model import line_of
from .routes import FileRoutes, Mount
from .scan import balanced, split_args

_ROUTER_TYPE = re.compile(r"\*?[\w.]*(?:RouterGroup|Router|Group|IRoutes|IRouter)")
# A top-level function or method: (receiver or None, name, parameter list).
FUNC = re.compile(r"^func\s*(\([^()]{0,200}\)\s*)?(\w+)\s*\(([^()]{0,400})\)", re.M)
# A function that builds its own root router serves that one, not the router it is handed.
_OWN_ROOT = re.compile(
    r"\b(?:gin\.(?:New|Default)|echo\.New|chi\.NewRouter|mux\.NewRouter|http\.NewServeMux|fiber\.New)\s*\("
)
_PACKAGE = re.compile(r"^package\s+(\w+)", re.M)
_IMPORT_BLOCK = re.compile(r"^import\s*\(([^()]{0,8000})\)", re.M)
_IMPORT_ONE = re.compile(r"^import\s+(\w+\s+)?\"([^\"\n]+)\"", re.M)
_IMPORT_LINE = re.compile(r"^\s*(\w+\s+)?\"([^\"\n]+)\"", re.M)
# (`r.pProfRouter.initPProfRouter(sub)`: a method reached through a field, named by its distinctive name)
_CALL = re.compile(r"(?<![\w.])(?:((?:\w+\.){0,3}?\w+)\.)?([A-Za-z]\w*)\s*\(")
# Names too common to name one function across a project: they name it only with their package.
_COMMON = frozenset(
    {
        "register",
        "registerroutes",
        "registerrouter",
        "registerhandlers",
        "routes",
        "route",
        "router",
        "routers",
        "setup",
        "setuproutes",
        "setuprouter",
        "init",
        "initroutes",
        "initrouter",
        "mount",
        "attach",
        "handle",
        "handlers",
        "load",
        "bind",
        "new",
        "apply",
        "add",
        "configure",
        "install",
        "use",
        "group",
        "serve",
        "api",
        "v1",
        "v2",
    }
)
# Packages whose calls take no router of the project's.
_NOT_HANDED = frozenset({"fmt", "log", "errors", "strings", "strconv", "http", "os", "time", "context"})
MAX_FUNCTIONS = 200
MAX_CALLS = 4000
MAX_MOUNTS = 100
PREFIX = "go:"


def _owner(name: str, package: str, method: bool) -> str | None:
    """The owner a function's routes belong to: a plain function's by its package, a method's by its name
    when that is distinctive (none when it is not: no caller can be told apart)."""
    if not method:
        return f"{PREFIX}{package}.{name}"
    return f"{PREFIX}{name}" if name.lower() not in _COMMON else None


def router_params(params: str) -> list[str]:
    """Each parameter's name where it is a router, "" where not (`a, b *gin.RouterGroup`: a name without a
    type takes the next one's)."""
    typed: list[tuple[str, str]] = []
    for words_ in reversed([p.strip().split() for p in params.split(",") if p.strip()]):
        typ = words_[1] if len(words_) > 1 else (typed[0][1] if typed else "")
        typed.insert(0, (words_[0], typ))
    return [n if _ROUTER_TYPE.fullmatch(t) else "" for n, t in typed]


def _functions(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, name, whether a method) of each top-level function taking a router."""
    found = list(itertools.islice(FUNC.finditer(text), MAX_FUNCTIONS))
    for i, f in enumerate(found):
        if any(router_params(f.group(3))):
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            yield f.start(), end, f.group(2), f.group(1) is not None


def _package(text: str) -> str:
    m = _PACKAGE.search(text)
    return m.group(1) if m else ""


def _imports(text: str) -> set[str]:
    """The names this file's imports go by (an alias, or the path's last element)."""
    names: set[str] = set()
    blocks = [b.group(1) for b in _IMPORT_BLOCK.finditer(text)]
    pairs = [(m.group(1), m.group(2)) for b in blocks for m in _IMPORT_LINE.finditer(b)]
    pairs += [(m.group(1), m.group(2)) for m in _IMPORT_ONE.finditer(text)]
    for alias, path in pairs:
        names.add(alias.strip() if alias else path.rstrip("/").rsplit("/", 1)[-1])
    return names


def on_func_line(text: str, at: int) -> bool:
    """Whether offset `at` is on a line declaring a function: a definition, not a call."""
    return text.startswith("func", text.rfind("\n", 0, at) + 1)


def _in_interface(text: str, at: int) -> bool:
    """Whether offset `at` is inside an interface type's method list (`initPProfRouter(r *mux.Router)` there
    declares the method, it does not call it)."""
    opened = text.rfind("interface {", max(0, at - 4000), at)
    return opened >= 0 and "\n}" not in text[opened:at]


def _called(text: str, name: str) -> bool:
    return any(
        not on_func_line(text, c.start()) and not _in_interface(text, c.start())
        for c in re.finditer(r"(?<![\w])" + re.escape(name) + r"\s*\(", text)
    )


def own_routers(out: FileRoutes, text: str) -> None:
    """Routes declared in a function handed a router by another file belong to that function's owner."""
    if not out.routes:
        return
    package = _package(text)
    spans: list[tuple[int, int, str]] = []
    for start, end, name, method in _functions(text):
        owner = _owner(name, package, method)
        if owner is None or _called(text, name) or _OWN_ROOT.search(text, start, end):
            continue  # its caller in this file gave it its group, or it serves a router of its own
        spans.append((line_of(text, start), line_of(text, end - 1), owner))
    if not spans:
        return
    for i, r in enumerate(out.routes):
        if r.kind != "http" or r.owner:
            continue
        for first, last, owner in spans:
            if first <= r.line <= last:
                out.routes[i] = replace(r, owner=owner)
                break


def declared_names(text: str) -> set[str]:
    """The functions of this file that take a router."""
    return {name for _, _, name, _ in _functions(text)}


def handed_calls(text: str) -> list[tuple[int, str, list[str]]]:
    """(offset, owner, plain identifiers passed) of each call of a function this file does not declare
    that may be handed a router: `answer.RegisterCmsRouter(cmsAuth)`."""
    here = declared_names(text)
    imports = _imports(text)
    package = _package(text)
    calls: list[tuple[int, str, list[str]]] = []
    for c in itertools.islice(_CALL.finditer(text), MAX_CALLS):
        selector, name = c.group(1), c.group(2)
        if name in here or on_func_line(text, c.start()):
            continue
        if selector is not None and selector.split(".", 1)[0] in _NOT_HANDED:
            continue
        if selector is None or selector in imports:
            owner = f"{PREFIX}{selector or package}.{name}"  # a plain function of that package
        elif name.lower() not in _COMMON:
            owner = f"{PREFIX}{name}"  # a method on a variable, by its distinctive name
        else:
            continue  # `x.Register(g)` on a variable: which type's `Register` is meant is not said
        args = [a.strip() for a in split_args(balanced(text, c.end() - 1, 300))]
        names = [a for a in args if re.fullmatch(r"[A-Za-z_]\w*", a)]
        if names:
            calls.append((c.start(), owner, names))
    return calls


def mount_handed(
    out: FileRoutes,
    path: str,
    call: tuple[int, str, list[str]],
    scope: Callable[[str, int], tuple[str, tuple[str, ...]]],
) -> None:
    """A call handing a group with a prefix or middleware: a mount of the callee's routes under it."""
    at, owner, names = call
    for arg in names:
        prefix, auth = scope(arg, at)
        if (prefix or auth) and len(out.mounts) < MAX_MOUNTS:
            out.mounts.append(Mount(owner, prefix, f"{PREFIX}{path}", bool(auth), ", ".join(auth)))
            return


def search_names(text: str) -> list[str]:
    """Names a file that hands this one's functions a router calls them by: a plain function with its
    package (`accounts.AddEndpoints`), a method by its name when that is distinctive."""
    package = _package(text)
    owners = (_owner(name, package, method) for _, _, name, method in _functions(text))
    return sorted({owner.removeprefix(PREFIX) for owner in owners if owner is not None})[:8]
