"""Go: net/http (incl. Go 1.22 `"GET /x"` patterns), gin, echo and chi, with groups and `Use` middleware.

Groups are tracked per variable: `v1 := r.Group("/v1")` or chi `r.Route("/v1", func(r chi.Router) {...})`.
"""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, join_paths, line_of
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, balanced, leading_string

_VERBS = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Get|Post|Put|Delete|Patch|Head|Options|Any|Handle|HandleFunc|Connect|Trace"
_CALL = re.compile(r"\b(\w+)\.(" + _VERBS + r"|Group|Route|Use|Mount|With)\s*\(")
# Bounds keep hostile nesting linear-ish: past them, closures are read like ordinary calls.
MAX_BLOCKS = 50
MAX_BLOCK_CHARS = 200_000
_ASSIGN = re.compile(r"(\w+)\s*:?=\s*$")


def extract_go(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    # var -> (prefix, auth reasons); chi Route blocks are approximated by brace extents.
    groups: dict[str, tuple[str, tuple[str, ...]]] = {}
    blocks: list[tuple[int, int, str, str, tuple[str, ...]]] = []  # start, end, inner var, prefix, auth

    def scope(var: str, at: int) -> tuple[str, tuple[str, ...]]:
        best: tuple[int, int, str, str, tuple[str, ...]] | None = None
        for b in blocks:
            if b[0] <= at < b[1] and b[2] == var and (best is None or b[0] > best[0]):
                best = b
        if best is not None:
            return best[3], best[4]
        return groups.get(var, ("", ()))

    for m in _CALL.finditer(text):
        var, verb = m.group(1), m.group(2)
        # A chi `Route`/`Group` closure spans its whole block, so it is not bounded like a call.
        wide = verb in ("Route", "Group") and len(blocks) < MAX_BLOCKS
        limit = MAX_BLOCK_CHARS if wide else 4000
        args = balanced(text, m.end() - 1, limit)
        prefix, auth = scope(var, m.start())
        line_start = max(text.rfind("\n", max(0, m.start() - 200), m.start()) + 1, m.start() - 200, 0)
        assigned = _ASSIGN.search(text[line_start : m.start()])
        if verb == "Use":
            names = re.findall(r"[\w.]+", args)
            hits = tuple(f"{var}.Use({n})" for n in names if AUTH_WORDS.search(n))
            if hits:
                key = var
                inner = [b for b in blocks if b[0] <= m.start() < b[1] and b[2] == var]
                if inner:
                    b = max(inner, key=lambda x: x[0])
                    blocks.append((m.start(), b[1], var, b[3], b[4] + hits))
                else:
                    groups[key] = (prefix, auth + hits)
            continue
        if verb in ("Group", "Route", "With"):
            sub = leading_string(args) if verb != "With" else ""
            extra = auth
            if verb == "With" or verb == "Group":
                names = re.findall(
                    r"[\w.]+",
                    args.split(",", 1)[1]
                    if (verb == "Group" and "," in args)
                    else (args if verb == "With" else ""),
                )
                extra = auth + tuple(f"{var}.{verb}({n})" for n in names if AUTH_WORDS.search(n))
            new_prefix = join_paths(prefix, sub or "")
            if assigned:
                groups[assigned.group(1)] = (new_prefix, extra)
            fn = re.search(r"func\s*\(\s*(\w+)", args)
            if fn is not None and wide:
                brace = text.find("{", m.end() + fn.end())
                inner_end = m.end() + len(args)
                blocks.append((brace, inner_end, fn.group(1), new_prefix, extra))
            elif verb == "With":
                # r.With(auth).Get("/x", h): chained call carries the middleware.
                after = text[m.end() + len(args) + 1 : m.end() + len(args) + 200]
                c = re.match(r"\s*\.\s*(" + _VERBS + r")\s*\(", after)
                if c is not None:
                    cargs = balanced(after, c.end() - 1)
                    self_route(out, text, m.start(), c.group(1), cargs, prefix, extra)
            continue
        if verb == "Mount":
            continue
        self_route(out, text, m.start(), verb, args, prefix, auth)
    return out


def self_route(
    out: FileRoutes, text: str, at: int, verb: str, args: str, prefix: str, auth: tuple[str, ...]
) -> None:
    route = leading_string(args)
    if route is not None and args.lstrip()[len(route) + 2 :].lstrip().startswith("+"):
        return  # `"/" + name`: a path built at run time (a helper's body), read at its call sites
    # `g.GET("", h)` serves the group's own prefix.
    if route is None or (not route.startswith("/") and " /" not in route and (route or not prefix)):
        return
    if verb in ("Handle", "HandleFunc"):
        method, _, rest = route.partition(" ")
        if rest.startswith("/") and method.isupper():
            route = rest
        else:
            method = "ANY"
        handler = args.split(",", 1)[1] if "," in args else ""
        names = re.findall(r"[\w.]+", handler)
        auth = auth + tuple(f"wrapped in {n}" for n in names[:-1] if AUTH_WORDS.search(n))
    else:
        method = "ANY" if verb == "Any" else verb.upper()
        handlers = args.split(",")[1:]
        auth = auth + tuple(f"middleware {h.strip()}" for h in handlers[:-1] if AUTH_WORDS.search(h))
    state = AUTHENTICATED if auth else UNAUTHENTICATED
    full = join_paths(prefix, route.removesuffix("{$}"))
    out.routes.append(RawRoute("http", method, full, line_of(text, at), state, auth))
