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
# A directive that decides who may call the field: `@auth(requires: [MODERATOR])`, `@isAdmin`, `@hasRole(role:
# ADMIN)`, `@isAuthenticated`, `@aws_iam`. (`@deprecated`, `@cacheControl` decide nothing of the kind.)
_AUTH_DIRECTIVE = re.compile(
    r"@((?i:\w*(?:auth|admin|role|permission|scope|login|moderator|staff|superuser|guard)\w*)"
    r"|aws_cognito_user_pools|aws_iam)\b"
)
# A quoted value, or a name: an argument's name when a colon follows it, else an enum value.
_TOKEN = re.compile(r"\"([^\"\n]{1,100})\"|\b([A-Za-z_][\w.-]{0,99})\b(\s*:)?")


_OBJECT = re.compile(r"^[ \t]*type\s+(\w+)\b[^{\n]{0,300}\{", re.M)
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
    # The values its arguments list, quoted or as enum values (`requires: ["manage:system"]`, `[MODERATOR]`).
    values = {quoted or name for quoted, name, colon in _TOKEN.findall(args) if quoted or not colon}
    accepted = sorted(values - {"true", "false", "null"})
    reason = f"directive @{d.group(1)}" + (f" {ACCEPTS}{', '.join(accepted)}" if accepted else "")
    return AUTHENTICATED, (reason,)


# SDL in a JavaScript or TypeScript module: ``typeDefs = gql` … ` `` or ``/* GraphQL */ ` … ` ``.
_EMBEDDED = re.compile(r"(?:\bgql|\bgraphql|/\*\s*GraphQL\s*\*/\s*)`")
_CLOSE = re.compile(r"(?<!\\)`")
MAX_EMBEDDED = 16


def extract_embedded_graphql(path: str, text: str) -> FileRoutes:
    """The operations of schema documents written as template literals in a script: each literal is read as
    SDL behind as many line breaks as precede it, so line numbers hold."""
    out = FileRoutes()
    if "`" not in text or _EMBEDDED.search(text) is None:
        return out
    text = text[:MAX_FILE_CHARS]
    for m in list(_EMBEDDED.finditer(text))[:MAX_EMBEDDED]:
        close = _CLOSE.search(text, m.end())  # a backtick inside the literal is escaped
        if close is None:
            break
        end = close.start()
        literal = text[m.end() : end]
        if _TYPE.search(literal) is None:
            continue
        out.routes.extend(extract_graphql(path, "\n" * text.count("\n", 0, m.end()) + literal).routes)
    return out


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
