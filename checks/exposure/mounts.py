"""Which unchanged files may mount a changed route file: their prefix and auth apply to its routes.

A reader that can search the repository (`git grep`) looks for files that name the changed file; one that
can only fetch paths (the GitHub contents API) tries the conventional entry points of the file's family in
its directory and the directories above it, nearest first.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import PurePosixPath

from .extract import routes_by_file
from .go_mounts import search_names
from .php import includes_directory_of
from .rails import CONTROLLER

_RAILS_CONTROLLER = re.compile(r"(?:^|/)app/controllers/.+_controller\.rb$")
_RAILS_ROUTES = re.compile(r"\broutes\.draw\b")

_JS_EXTENSIONS = (".js", ".ts", ".mjs", ".cjs")
_JS_ROUTER = re.compile(r"\bRouter\s*\(")
_GENERIC_STEMS = frozenset(
    {"index", "__init__", "main", "routes", "urls", "api", "router", "app", "server", "mod", "views"}
)
# Per extension: names that usually mount routers, tried in each directory from the file's own upward.
_ENTRY_POINTS: dict[str, tuple[str, ...]] = {
    ".py": ("main.py", "app.py", "__init__.py", "api.py", "urls.py", "server.py", "routes.py", "router.py"),
    ".go": ("main.go", "router.go", "routes.go", "server.go", "api.go"),
    ".rs": ("main.rs", "lib.rs", "mod.rs", "routes.rs", "router.rs", "api.rs", "app.rs", "server.rs"),
}
for _ext in _JS_EXTENSIONS:
    _ENTRY_POINTS[_ext] = tuple(
        f"{stem}{_ext}" for stem in ("index", "app", "server", "routes", "router", "main")
    )
# Per extension: the one place a framework mounts its route files, relative to the repository root.
_ROOT_MOUNTS: dict[str, tuple[str, ...]] = {
    ".php": (
        "app/Providers/RouteServiceProvider.php",
        "bootstrap/app.php",
        "routes/web.php",
        "routes/api.php",
        "config/routes.yaml",
    ),
    ".rb": ("config/routes.rb",),
}


def search_terms(path: str, text: str = "") -> list[str]:
    """What a file that mounts `path` names: its directory and name (`routes/admin.php`), then its
    module (`private` of `routes/private.py`), or for a Python module too generic to mean this file by its
    name alone its package and name (`api_v2.views`); a Go file's functions taking a router, by name
    (`RegisterCmsRouter`), when its `text` is given."""
    p = PurePosixPath(path)
    terms = [f"{p.parent.name}/{p.name}" if p.parent.name else p.name]
    if p.stem not in _GENERIC_STEMS and len(p.stem) >= 4:
        terms.append(p.stem)
    elif p.suffix == ".py" and p.parent.name and p.stem != "__init__":
        terms.append(f"{p.parent.name}.{p.stem}")  # `from app.api_v2.views import …`
    elif p.stem == "index" and p.parent.name:
        terms.append(
            f"./{p.parent.name}"
        )  # `import { cronRouter } from "./cron"`: the directory is the module
    if p.suffix == ".go" and text:
        terms += search_names(text)
    return terms


def names_file(text: str, path: str, mounting: str = "") -> bool:
    """Whether `text` names `path` the way a mount does: its name as a whole word (as `git grep -w`
    matches), or its module in an import (`from .routes import router`, `require('./routes')`); Rails'
    routes file routes to every controller by convention (`resource :involvement` → `involvements`); a Laravel
    routes file at `mounting` may require a whole directory (`includeRouteFiles(__DIR__.'/Backend/')`)."""
    if _RAILS_CONTROLLER.search(path) and _RAILS_ROUTES.search(text):
        return True
    if path.endswith(".php") and includes_directory_of(text, mounting, path):
        return True
    terms = search_terms(path)
    if any(re.search(r"(?<![\w])" + re.escape(t) + r"(?![\w])", text) is not None for t in terms):
        return True
    p = PurePosixPath(path)
    stem = re.escape(p.parent.name if p.stem == "index" and p.parent.name else p.stem)
    imported = (
        r"(?<=[./])" + stem + r"(?=[\s'\"`;,)]|\.[cm]?[jt]sx?['\"`])"
        r"|\bimport\s+(?:\w+\s*,\s*){0,20}" + stem + r"\b"
    )
    return re.search(imported, text) is not None


def mounts_of_round(
    wanting: Sequence[str], texts: Iterable[tuple[str, str | None]], room: int
) -> tuple[list[str], list[str]]:
    """Of one search round's files (path, text, or None when absent), those that mount a wanted file (at
    most `room`), and what is still wanted after the round. Every file of the round that names a Laravel route
    file is taken: a service provider naming `routes/web.php` and the `routes/web.php` requiring the changed
    file's directory both hold its chain; elsewhere the first file naming one is its mount."""
    left = list(wanting)
    mounted: set[str] = set()
    taken: list[str] = []
    for path, text in texts:
        named = [w for w in left if text is not None and names_file(text, w, path)]
        if named and len(taken) < room:
            taken.append(path)
            mounted.update(named)
            left = [w for w in left if w not in named or w.endswith(".php")]
    return taken, [w for w in left if w not in mounted]


def unmounted(files: Mapping[str, str]) -> list[str]:
    """Files in `files` with routes on a router nothing in `files` mounts, or with Python views or Rails
    controllers that declare guards (`permission_classes`, `before_action`) and that no route in `files`
    serves: their URLconf or routes file is elsewhere."""
    per_file = routes_by_file(files)
    mounted = {m.child for _, fr in per_file for m in fr.mounts if m.parent}
    served = {r.handler for _, fr in per_file for r in fr.routes if r.handler}
    controllers = {h.split("#", 1)[0] for h in served if h.startswith(CONTROLLER)}
    served_classes = {h.split("#", 1)[0] for h in served if h.startswith("php:")}
    return [
        path
        for path, fr in per_file
        if any(r.owner and r.owner not in mounted for r in fr.routes)
        # a JavaScript router that only mounts others (`router.use('/', checkpoints)` in `routes/internal/
        # index.ts`), itself mounted elsewhere (`app.use('/v0/internal', internal)`)
        or (
            path.endswith(_JS_EXTENSIONS)
            and _JS_ROUTER.search(files[path]) is not None
            and any(m.parent and m.parent not in mounted for m in fr.mounts)
        )
        or any(
            key.startswith(("py:", "pyramid:")) and "#" not in key and key not in served for key in fr.guards
        )
        or any(
            key.startswith("php:") and key not in served and key.split("#", 1)[0] not in served_classes
            for key in fr.guards
        )
        or any(key.startswith(CONTROLLER) and key.split("#", 1)[0] not in controllers for key in fr.guards)
    ]


def unmounted_either(base: Mapping[str, str], head: Mapping[str, str]) -> list[str]:
    """`unmounted` of both sides, head first: a guard the change removes was declared on the base side
    only (`before_action :ensure_can_administer` dropped from a controller)."""
    return list(dict.fromkeys(unmounted(head) + unmounted(base)))


def candidates(changed: Sequence[str], skip: Collection[str], max_depth: int = 6) -> list[list[str]]:
    """Paths worth fetching to find the files that mount `changed`, in rounds: the framework's own mount
    file and the files' directories first, then each directory above."""
    rounds: list[list[str]] = []
    seen = set(skip)

    def take(paths: list[str]) -> list[str]:
        out = [p for p in paths if p not in seen]
        seen.update(out)
        return out

    first = [m for path in changed for m in _ROOT_MOUNTS.get(posixpath.splitext(path)[1], ())]
    for depth in range(max_depth):
        found: list[str] = []
        for path in changed:
            parts = path.split("/")[:-1]
            if depth > len(parts):
                continue
            folder = "/".join(parts[: len(parts) - depth])
            names = _ENTRY_POINTS.get(posixpath.splitext(path)[1], ())
            found += [f"{folder}/{n}" if folder else n for n in names]
        batch = take(first + found if depth == 0 else found)
        if batch:
            rounds.append(batch)
    return rounds
