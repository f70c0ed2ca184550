"""Rails `config/routes.rb`: verbs, `resources`/`resource`, `namespace`/`scope` blocks, devise `authenticate`."""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, join_paths
from .routes import FileRoutes, RawRoute

_LINE = re.compile(
    r"^\s*(get|post|put|patch|delete|match|resources|resource|namespace|scope|authenticate|authenticated|constraints|member|collection|mount|root)\b(.{0,500})$"
)
_ACTIONS = {
    "index": ("GET", ""),
    "create": ("POST", ""),
    "new": ("GET", "new"),
    "edit": ("GET", "{id}/edit"),
    "show": ("GET", "{id}"),
    "update": ("PATCH", "{id}"),
    "destroy": ("DELETE", "{id}"),
}
_SINGULAR = {
    "create": ("POST", ""),
    "new": ("GET", "new"),
    "edit": ("GET", "edit"),
    "show": ("GET", ""),
    "update": ("PATCH", ""),
    "destroy": ("DELETE", ""),
}


def _symbols(s: str) -> list[str]:
    return re.findall(r":(\w+)", s)


def extract_rails(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    # Stack of (prefix, authenticated, member-prefix-for-nested-resources) per open `do` block.
    stack: list[tuple[str, bool]] = [("", False)]
    for n, raw in enumerate(text[:MAX_FILE_CHARS].splitlines(), 1):
        line = raw.split("#", 1)[0]
        stripped = line.strip()
        if stripped == "end" or stripped.startswith("end "):
            if len(stack) > 1:
                stack.pop()
            continue
        m = _LINE.match(line)
        opens = bool(re.search(r"\bdo\s*(\|[^|]*\|)?\s*$", line))
        prefix, authed = stack[-1]
        if m is None:
            if opens:
                stack.append((prefix, authed))
            continue
        verb, rest = m.group(1), m.group(2)
        child = prefix
        child_auth = authed
        quoted = re.search(r"""['"]([^'"]{0,300})['"]""", rest)
        syms = _symbols(rest.split(",", 1)[0])
        if verb == "namespace" and syms:
            child = join_paths(prefix, syms[0])
        elif verb == "scope":
            path_opt = re.search(r"path:\s*['\"]([^'\"]{0,300})['\"]", rest)
            if quoted and not rest.lstrip().startswith(("module", "path", "as")):
                child = join_paths(prefix, quoted.group(1))
            elif path_opt:
                child = join_paths(prefix, path_opt.group(1))
        elif verb in ("authenticate", "authenticated"):
            child_auth = True
        elif verb in ("resources", "resource"):
            only = re.search(r"only:\s*(\[[^\]]{0,300}\]|:\w+)", rest)
            except_ = re.search(r"except:\s*(\[[^\]]{0,300}\]|:\w+)", rest)
            table = _ACTIONS if verb == "resources" else _SINGULAR
            names = [s for s in syms]
            actions = list(table)
            if only:
                actions = [a for a in _symbols(only.group(1)) if a in table]
            if except_:
                actions = [a for a in actions if a not in _symbols(except_.group(1))]
            for name in names[:1]:
                base = join_paths(prefix, name)
                for action in actions:
                    method, suffix = table[action]
                    state = AUTHENTICATED if authed else UNKNOWN
                    reasons = ("inside authenticate block",) if authed else ()
                    out.routes.append(RawRoute("http", method, join_paths(base, suffix), n, state, reasons))
                child = join_paths(base, "{" + name.rstrip("s") + "_id}") if verb == "resources" else base
        elif verb in ("member", "collection"):
            pass
        elif verb == "root":
            out.routes.append(
                RawRoute("http", "GET", join_paths(prefix), n, AUTHENTICATED if authed else UNKNOWN)
            )
        elif verb == "mount":
            at = re.search(r"(?:at:\s*|=>\s*)['\"]([^'\"]{0,300})['\"]", rest)
            if at:
                out.routes.append(
                    RawRoute(
                        "http",
                        "ANY",
                        join_paths(prefix, at.group(1), "**"),
                        n,
                        AUTHENTICATED if authed else UNKNOWN,
                        ("mounted engine",),
                    )
                )
        else:
            route = quoted.group(1) if quoted else (syms[0] if syms else None)
            if route is not None:
                via = re.search(r"via:\s*(\[[^\]]{0,200}\]|:\w+)", rest)
                methods = (
                    [v.upper() for v in _symbols(via.group(1))]
                    if (verb == "match" and via)
                    else ["ANY" if verb == "match" else verb.upper()]
                )
                for method in methods:
                    state = AUTHENTICATED if authed else UNKNOWN
                    out.routes.append(
                        RawRoute(
                            "http",
                            method,
                            join_paths(prefix, route),
                            n,
                            state,
                            ("inside authenticate block",) if authed else (),
                        )
                    )
        if opens:
            # Past a sane depth, keep do/end balance but stop growing the prefix.
            stack.append((child, child_auth) if len(stack) < 64 else stack[-1])
    return out
