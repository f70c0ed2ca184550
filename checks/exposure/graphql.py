"""GraphQL SDL: fields of `type Query` / `type Mutation` (and `extend type`)."""

from __future__ import annotations

import re

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNKNOWN, line_of
from .routes import FileRoutes, RawRoute
from .scan import balanced

_TYPE = re.compile(r"\b(?:extend\s+)?type\s+(Query|Mutation|Subscription)\b[^{]{0,300}\{")
_FIELD = re.compile(r"^[ \t]*(\w+)\s*[(:]", re.M)
_AUTH_DIRECTIVE = re.compile(
    r"@(auth|authenticated|requiresAuth|hasRole|requireAuth|isAuthenticated|aws_cognito_user_pools|aws_iam)\b"
)


def extract_graphql(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    clean = re.sub(r"#[^\n]*|\"\"\"[^\"]{0,5000}\"\"\"", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for t in _TYPE.finditer(clean):
        body = balanced(clean, t.end() - 1, MAX_FILE_CHARS)
        body_at = t.end()
        depth = 0
        seen = 0
        for fm in _FIELD.finditer(body):
            # Skip argument lists spanning lines: only fields at depth 0 count.
            depth += body.count("(", seen, fm.start()) - body.count(")", seen, fm.start())
            seen = fm.start()
            if depth:
                continue
            eol = body.find("\n", fm.end())
            decl = body[fm.start() : eol if eol != -1 else len(body)]
            d = _AUTH_DIRECTIVE.search(decl)
            auth = AUTHENTICATED if d else UNKNOWN
            reasons = (f"directive @{d.group(1)}",) if d else ()
            out.routes.append(
                RawRoute(
                    "graphql",
                    t.group(1).upper(),
                    fm.group(1),
                    line_of(text, body_at + fm.start()),
                    auth,
                    reasons,
                )
            )
    return out
