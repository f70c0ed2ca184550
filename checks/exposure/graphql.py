"""GraphQL SDL: fields of `type Query` / `type Mutation` (and `extend type`).

A root field whose type is declared in the same file as a namespace (`system: SystemQuery` with
`type SystemQuery { export(…): R @auth(requires: ["manage:system"]) }`) serves that type's fields:
each is an operation `system.export`. A directive's arguments name who passes; `ACCEPTS` lists them, so a
list that grows (`requires: ["a"]` → `["a", "b"]`) reads as a widened guard.
"""

from __future__ import annotations

import re

from .model import ACCEPTS, AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, line_of
from .routes import FileRoutes, RawRoute
from .scan import balanced

_TYPE = re.compile(r"\b(?:extend\s+)?type\s+(Query|Mutation|Subscription)\b[^{]{0,300}\{")
_ROOTS = frozenset({"Query", "Mutation", "Subscription"})
_FIELD = re.compile(r"^[ \t]*(\w+)\s*[(:]", re.M)
_AUTH_DIRECTIVE = re.compile(
    r"@(auth|authenticated|requiresAuth|hasRole|requireAuth|isAuthenticated|aws_cognito_user_pools|aws_iam)\b"
)


_OBJECT = re.compile(r"^[ \t]*type\s+(\w+)\b[^{\n]{0,300}\{", re.M)
_STRING = re.compile(r"\"([^\"\n]{1,100})\"")
MAX_NAMESPACES = 32


def _fields(body: str) -> list[tuple[str, int, str]]:
    """(name, offset, declaration through its directives) of each field at the top of a type body."""
    found: list[tuple[str, int, str]] = []
    depth = 0
    seen = 0
    for fm in _FIELD.finditer(body):
        # Skip argument lists spanning lines: only fields at depth 0 count.
        depth += body.count("(", seen, fm.start()) - body.count(")", seen, fm.start())
        seen = fm.start()
        if depth:
            continue
        end = fm.end()
        if body[fm.end() - 1] == "(":  # the directives follow the closing parenthesis, maybe lines later
            end += len(balanced(body, fm.end() - 1, 20_000)) + 1
        eol = body.find("\n", end)
        found.append((fm.group(1), fm.start(), body[fm.start() : eol if eol != -1 else len(body)]))
    return found


def _guard(decl: str) -> tuple[str, tuple[str, ...]]:
    d = _AUTH_DIRECTIVE.search(decl)
    if d is None:
        return UNKNOWN, ()
    args = balanced(decl, d.end()) if decl[d.end() : d.end() + 1] == "(" else ""
    accepted = sorted(set(_STRING.findall(args)))
    reason = f"directive @{d.group(1)}" + (f" {ACCEPTS}{', '.join(accepted)}" if accepted else "")
    return AUTHENTICATED, (reason,)


def extract_graphql(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    clean = re.sub(r"#[^\n]*|\"\"\"[^\"]{0,5000}\"\"\"", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    objects = {m.group(1): m.end() for m in _OBJECT.finditer(clean) if m.group(1) not in _ROOTS}
    namespaces = 0
    for t in _TYPE.finditer(clean):
        body = balanced(clean, t.end() - 1, MAX_FILE_CHARS)
        body_at = t.end()
        for name, at, decl in _fields(body):
            inner = re.match(r"\s*\w+\s*:\s*\[?\s*(\w+)", decl)
            namespace = inner.group(1) if inner and "(" not in decl.split(":", 1)[0] else ""
            if namespace in objects and namespaces < MAX_NAMESPACES:
                namespaces += 1
                inner_at = objects[namespace]
                inner_body = balanced(clean, inner_at - 1, MAX_FILE_CHARS)
                for sub, sub_at, sub_decl in _fields(inner_body):
                    auth, reasons = _guard(sub_decl)
                    line = line_of(text, inner_at + sub_at)
                    out.routes.append(
                        RawRoute("graphql", t.group(1).upper(), f"{name}.{sub}", line, auth, reasons)
                    )
                continue
            auth, reasons = _guard(decl)
            out.routes.append(
                RawRoute("graphql", t.group(1).upper(), name, line_of(text, body_at + at), auth, reasons)
            )
    return out
