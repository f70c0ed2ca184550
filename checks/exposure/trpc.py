"""tRPC routers: each procedure of `createTRPCRouter({...})` / `router({...})` is an endpoint.

`cleanRedis: adminProcedure.mutation(...)`: the procedure builder is the guard (a project defines
`publicProcedure`, `protectedProcedure`, `adminProcedure`… with the middleware each runs), so its name says who may
call: a builder named for authentication guards it, one named for a privileged role makes it internal, a public
one guards nothing. The endpoint is `/trpc/<router>.<procedure>`, its method GET for a query, POST for a mutation.
"""

from __future__ import annotations

import re
from itertools import islice

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, line_of
from .roles import privileged_role
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, balanced

_ROUTER = re.compile(
    r"\b(?:const|let|var)\s+(\w{1,80})\s*(?::\s*[\w<>.\s]{1,80})?=\s*(?:createTRPCRouter|(?:t\s*\.\s*)?router)\s*\(\s*\{"
)
_PROCEDURE = re.compile(r"(?:^|[{,\n])\s*(\w{1,80})\s*:\s*(\w{0,80}[Pp]rocedure)\b")
_KIND = re.compile(r"\.\s*(query|mutation|subscription)\s*\(")
MAX_ROUTERS = 32
MAX_PROCEDURES = 400


def mentions_trpc(text: str) -> bool:
    return "Procedure" in text and ("createTRPCRouter" in text or "router(" in text)


def extract_trpc(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    text = text[:MAX_FILE_CHARS]
    if not mentions_trpc(text):
        return out
    for r in islice(_ROUTER.finditer(text), MAX_ROUTERS):
        name = r.group(1).removesuffix("Router") or r.group(1)
        start = r.end() - 1
        body = balanced(text, start, MAX_FILE_CHARS)
        found = list(islice(_PROCEDURE.finditer(body), MAX_PROCEDURES))
        for i, p in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(body)
            kind = _KIND.search(body, p.end(), end)
            method = {"query": "GET", "mutation": "POST"}.get(kind.group(1), "ANY") if kind else "ANY"
            builder = p.group(2)
            guarded = builder != "publicProcedure" and (
                AUTH_WORDS.search(builder) is not None or privileged_role(builder) is not None
            )
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    f"/trpc/{name}.{p.group(1)}",
                    line_of(text, start + 1 + p.start(1)),
                    AUTHENTICATED if guarded else UNAUTHENTICATED,
                    (f"procedure {builder}",) if guarded else (),
                )
            )
    return out
