"""Public allowlists: services that authenticate every call in one interceptor and exempt a named list.

`var PublicMethods = map[string]struct{}{"/pkg.Svc/Method": {}}` (Go), `const anonymousPaths = new Set([...])`
(JS/TS), `SKIP_AUTH = {"/health"}` (Python), `.requestMatchers("/x/**").permitAll()` (Spring), Apache Shiro's
`filterChainDefinitionMap.put("/x", "anon")`: each entry that
names an RPC or a path is an endpoint reachable without credentials. An entry that appears is authentication
removed from what it names, whether the method or path already existed or arrives with it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, line_of, normalize_path
from .roles import words
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, MAX_CALL_CHARS, balanced, chained_calls, leading_string, strings

KIND = "public"
LISTED = "listed in "

# A name holding one of these words, assigned (`=`, `:=`, `:` with an optional type between): found from the
# word outwards, since a pattern anchored at every identifier start re-reads each identifier many times.
# Each word searched for as a literal in the lower-cased text: one case-insensitive alternation tried at every
# position costs tens of times more.
_KEYWORDS = tuple(
    re.compile(re.escape(word))
    for word in (
        "public", "unauth", "anonymous", "allowlist", "allow_list", "whitelist", "white_list", "skipauth",
        "skip_auth", "noauth", "no_auth", "permitall", "permit_all", "exempt", "bypass",
    )
)  # fmt: skip
_NAME_TAIL = re.compile(r"[\w$]{0,80}")
_ASSIGNED = re.compile(r"\s*(?::\s*[^=\n;{}()]{0,80}?)?(?::=|=(?![=>])|:)\s*")
MAX_NAME_HEAD = 80


def _assigned_names(text: str) -> Iterator[tuple[str, int]]:
    """Each assigned identifier holding a keyword, and where its value starts."""
    lower = text.lower()
    hits = sorted((m.start(), m.end()) for pattern in _KEYWORDS for m in pattern.finditer(lower))
    done = 0
    for at, after in hits:
        if at < done:
            continue
        start = at
        while (
            start > 0
            and at - start < MAX_NAME_HEAD
            and (text[start - 1].isalnum() or text[start - 1] in "_$")
        ):
            start -= 1
        end = _NAME_TAIL.match(text, after)
        done = end.end() if end else after
        name = text[start:done]
        if not name or name[0].isdigit():
            continue
        assigned = _ASSIGNED.match(text, done)
        if assigned is not None:
            yield name, assigned.end()


_SINGLE = frozenset({"allowlist", "whitelist", "exempt"})
# "public" alone also names configuration meant for browsers (Nuxt's `runtimeConfig.public`): these words count
# only with a noun for what they list (`publicMethods`, `ANONYMOUS_PATHS`, `unauthenticatedAPIPaths`).
_OPEN = frozenset({"public", "unauthenticated", "unauthorized", "unauth", "anonymous"})
_LISTED = frozenset(
    {"methods", "method", "paths", "path", "routes", "route", "endpoints", "endpoint", "urls", "url", "uris"}
    | {"apis", "procedures", "rpcs", "patterns", "prefixes", "operations", "handlers", "list", "set"}
)
_PAIRS = (
    ("allow", "list"),
    ("white", "list"),
    ("skip", "auth"),
    ("no", "auth"),
    ("no", "authorization"),  # `NO_AUTHORIZATION_ROUTES`
    ("no", "authentication"),
    ("skip", "authentication"),
    ("without", "auth"),
    ("bypass", "auth"),
    ("auth", "bypass"),  # `allowAuthBypass`
    ("permit", "all"),
)
# What may stand between `=` and the literal: a Go map/slice type, a set or list constructor, a Rust slice
# (`&[…]`) or vector (`vec![…]`).
_LITERAL = re.compile(
    r"(?:map\[[^\]\n]{1,40}\][\w.*]{0,40}(?:\{\})?|\[\][\w.*]{1,40}|new\s+Set\s*|new\s+String\[\]\s*|&\s*|vec!\s*|"
    r"(?:frozenset|set|tuple|list|Set\.of|List\.of|Arrays\.asList|Collections\.\w+)\s*)?\s*([\[{(])"
)
# (`.matchers(pathMatchers(…), …)`: WebFlux's list of matchers under one rule)
_PERMIT_ALL = re.compile(r"\.(?:(?:ant|request|mvc|path|regex)M|m)atchers\s*\(")
_RPC = re.compile(r"/?([\w.]+\.[A-Z]\w*|[A-Z]\w*Service)/([A-Z]\w*)")
_PATH = re.compile(r"/[^\s\"'`<>|\\]{1,300}")
# JSX/TSX files are front ends: their "public routes" are pages a browser shows, not what a server exempts.
_FRONT_END = re.compile(r"\.(?:tsx|jsx|vue|svelte)$")


# Lists that exempt paths from something other than authentication (CSRF checks, CORS, caching, logging…).
_OTHER_CONCERNS = frozenset(
    {
        "csrf",
        "xsrf",
        "cors",
        "cache",
        "caching",
        "log",
        "logging",
        "rate",
        "throttle",
        "trace",
        "tracing",
        "gzip",
        "maintenance",
    }
)


def _names_an_allowlist(name: str) -> bool:
    found = words(name)
    # `unAuthenticatedApiRoutes` splits into "un" and "authenticated": one word
    found = found + [a + b for a, b in itertools.pairwise(found) if a == "un"]
    if _OTHER_CONCERNS & set(found):
        return False
    if _SINGLE & set(found) or (_OPEN & set(found) and _LISTED & set(found)):
        return True
    pairs = set(itertools.pairwise(found))
    return any(p in pairs for p in _PAIRS)


_GO_FUNC = re.compile(r"^func[ \t]+(?:\([^)\n]{0,120}\)[ \t]*)?\w+[ \t]*\([^{\n]{0,300}\{", re.M)
_GO_PATH_IS = re.compile(
    r"(?<![!\w])(?:\w+\.URL\.Path\s*==\s*\"(/[^\"\n]{0,300})\"|strings\.HasPrefix\(\s*\w+\.URL\.Path\s*,\s*\"(/[^\"\n]{0,300})\"\s*\))"
)
GO_MIDDLEWARE = LISTED + "a middleware's path check"
_CREDENTIALS = re.compile(r"\.BasicAuth\(\)|\bAuthorization\b|(?i:password|bearer|jwt|api_?key)")


def checks_credentials(text: str) -> bool:
    """Whether a Go file reads a caller's credentials anywhere (its middleware's guard)."""
    return _CREDENTIALS.search(_QUOTED.sub("", text[:MAX_FILE_CHARS])) is not None


_GO_CHECKS_CALLER = re.compile(r"\.BasicAuth\(\)|(?i:auth|token|session|password)")
MAX_GO_FUNC_CHARS = 20_000


# The branch an `if` on the path opens: it lets the request through (`allowed = true`, `next(rw, r)`,
# `next.ServeHTTP(w, r)`).
_LETS_THROUGH = re.compile(r"\{\s*(?:\w+\s*=\s*true\b|(?:\w+\.){0,2}next(?:\.ServeHTTP)?\s*\()")
MAX_CONDITION_CHARS = 600


def _lets_through(body: str, start: int, end: int) -> bool:
    """Whether the path test at `start..end` is part of an `if` whose branch lets the request through."""
    head = body[max(0, start - MAX_CONDITION_CHARS) : start]
    opened = head.rfind("if ")
    if opened < 0 or "{" in head[opened:] or "}" in head[opened:]:
        return False
    brace = body.find("{", end, end + MAX_CONDITION_CHARS)
    return brace >= 0 and _LETS_THROUGH.match(body, brace) is not None


def _go_middleware_bypasses(out: FileRoutes, text: str) -> None:
    for fn in _GO_FUNC.finditer(text):
        body = balanced(text, fn.end() - 1, MAX_GO_FUNC_CHARS)
        if not _GO_CHECKS_CALLER.search(_QUOTED.sub("", body)):
            continue
        for m in _GO_PATH_IS.finditer(body):
            if not _lets_through(body, m.start(), m.end()):
                continue
            exact, prefix = m.group(1), m.group(2)
            key = entry_key(exact) if exact else entry_key(prefix.rstrip("/") + "/**") if prefix else None
            if key is not None:
                at = fn.end() + m.start()
                out.routes.append(
                    RawRoute(KIND, "ANY", key, line_of(text, at), UNAUTHENTICATED, (GO_MIDDLEWARE,))
                )


_DSL_BLOCK = re.compile(r"\b([A-Za-z_]\w{2,80})[ \t]*\{")
_KOTLIN_COLLECTION = re.compile(r"\b(?:mutableSetOf|mutableListOf|setOf|listOf|arrayOf)\s*\(")
MAX_DSL_REACH = 300


_CLASS = re.compile(r"^[ \t]*(?:export\s+)?class\s+([A-Za-z_]\w{0,80})", re.M)
MAX_CLASS_LOOKBACK = 3000


def _other_concern_class(text: str, at: int) -> bool:
    """A list inside a class for another concern (`class MaintenanceModeMiddleware: EXEMPT_PATHS = [...]`)
    exempts from that concern, not from authentication."""
    start = max(0, at - MAX_CLASS_LOOKBACK)
    owners = list(_CLASS.finditer(text, start, at))
    return bool(owners) and bool(_OTHER_CONCERNS & set(words(owners[-1].group(1))))


def entry_key(entry: str) -> str | None:
    """`pkg.Service/Method` for an RPC, a normalized path for a URL path, None for anything else."""
    rpc = _RPC.fullmatch(entry)
    if rpc is not None:
        return f"{rpc.group(1)}/{rpc.group(2)}"
    if _PATH.fullmatch(entry) and entry != "/" and "://" not in entry:
        return normalize_path(entry)
    return None


# Shiro's filter chain: a path mapped to the `anon` filter is served without a login.
_SHIRO_LITERAL = '"anon"'
_SHIRO_ANON = re.compile(r"\.put\s*\(\s*\"([^\"\n]{1,300})\"\s*,\s*\"anon\"\s*\)")


# Spring Security's XML namespace: `<intercept-url pattern="/patient*" access="permitAll"/>` (or
# `IS_AUTHENTICATED_ANONYMOUSLY`), `<http pattern="/css/**" security="none"/>`: paths served without a login.
_XML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_XML_OPEN_TAG = re.compile(r"<(?:[\w-]+:)?(intercept-url|http)\b([^<>]{0,2000})>")
_XML_ATTR = re.compile(r"""\b([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_XML_OPEN_ACCESS = re.compile(
    r"^\s*(?:permitAll(?:\(\))?|IS_AUTHENTICATED_ANONYMOUSLY|ROLE_ANONYMOUS|isAnonymous\(\))\s*$"
)


def extract_spring_security_xml(path: str, text: str) -> FileRoutes:
    """The paths a Spring Security XML configuration serves without a login."""
    out = FileRoutes()
    if "intercept-url" not in text and "security=" not in text:
        return out
    text = _XML_COMMENT.sub(lambda c: re.sub(r"[^\n]", " ", c.group()), text[:MAX_FILE_CHARS])
    for m in _XML_OPEN_TAG.finditer(text):
        attrs = {
            a.group(1): a.group(2) if a.group(2) is not None else a.group(3) or ""
            for a in _XML_ATTR.finditer(m.group(2))
        }
        pattern = attrs.get("pattern", "")
        if m.group(1) == "intercept-url" and _XML_OPEN_ACCESS.match(attrs.get("access", "")):
            reason = f'{LISTED}intercept-url access="{attrs["access"].strip()}"'
        elif m.group(1) == "http" and attrs.get("security") == "none":
            reason = f'{LISTED}http security="none"'
        else:
            continue
        key = entry_key(pattern)
        if key is not None:
            out.routes.append(
                RawRoute(KIND, "ANY", key, line_of(text, m.start()), UNAUTHENTICATED, (reason,))
            )
    return out


_HOOK = re.compile(r"\.addHook\s*\(\s*['\"](preHandler|onRequest|preValidation)['\"]")
_URL_IS = re.compile(
    r"\b(?:request|req)\.(?:url|routerPath|routeOptions\.url)\s*===?\s*['\"`](/[^'\"`\n]{0,300})['\"`]"
)
MAX_HOOK_CHARS = 20_000
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`]*`")


_INDEX_SET = re.compile(r"\b([A-Za-z_$][\w$]{0,80})\[\s*[\"'](/?[^\"'\n]{1,300})[\"']\s*\]\s*=(?!=)")
MAX_INDEX_SETS = 2000
_INDEX_TAIL = re.compile(r"[\"']\s*\]\s*=(?!=)")


def _index_sets(text: str) -> list[re.Match[str]]:
    """Each `name["key"] = …` assignment (none looked for in a file without one's closing `"] =`)."""
    if _INDEX_TAIL.search(text) is None:
        return []
    return list(itertools.islice(_INDEX_SET.finditer(text), MAX_INDEX_SETS))


def extract_allowlist(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if _FRONT_END.search(path):
        return out
    text = text[:MAX_FILE_CHARS]
    for name, value in _assigned_names(text):
        if not _names_an_allowlist(name) or _other_concern_class(text, value):
            continue
        lit = _LITERAL.match(text, value)
        if lit is None:
            continue
        _entries(out, text, lit.start(1), name)
    # An entry set by index: `whitelist["/universerpc.Universe/FetchSupplyLeaves"] = struct{}{}`.
    for m in _index_sets(text):
        key = entry_key(m.group(2)) if _names_an_allowlist(m.group(1)) else None
        if key is not None:
            reason = LISTED + m.group(1)
            out.routes.append(
                RawRoute(KIND, "ANY", key, line_of(text, m.start()), UNAUTHENTICATED, (reason,))
            )
    # A Go middleware that lets some paths through before it checks the caller: `if r.URL.Path == "/healthz"
    # || strings.HasPrefix(r.URL.Path, "/api/") { allowed = true } else { user, pass, ok := r.BasicAuth() … }`.
    if path.endswith(".go") and ".URL.Path" in text:
        _go_middleware_bypasses(out, text)
    # A Kotlin DSL block named for the list: `unauthorizedRequestPaths { addPaths = setOf("/x", …) }`.
    for m in _DSL_BLOCK.finditer(text) if _KOTLIN_COLLECTION.search(text) else ():
        if _names_an_allowlist(m.group(1)):
            literal = _KOTLIN_COLLECTION.search(text, m.end(), m.end() + MAX_DSL_REACH)
            if literal is not None:
                _entries(out, text, literal.end() - 1, m.group(1))
    for m in _SHIRO_ANON.finditer(text) if _SHIRO_LITERAL in text else ():
        key = entry_key(m.group(1))
        if key is not None:
            reason = LISTED + "Shiro filter chain (anon)"
            out.routes.append(
                RawRoute(KIND, "ANY", key, line_of(text, m.start()), UNAUTHENTICATED, (reason,))
            )
    # Fastify's global auth hook letting some requests through: `server.addHook("preHandler", async (request)
    # => { if (request.url === "/api/v1/ticket/public/create" && …) return; … })`.
    for m in _HOOK.finditer(text) if "addHook" in text else ():
        paren = text.index("(", m.start())
        body = balanced(text, paren, MAX_HOOK_CHARS)
        if not AUTH_WORDS.search(_QUOTED.sub("", body)):  # the hook's code checks the caller
            continue
        for e in _URL_IS.finditer(body):
            key = entry_key(e.group(1))
            if key is not None:
                at = paren + 1 + e.start()
                reason = f"{LISTED}{m.group(1)} hook"
                out.routes.append(RawRoute(KIND, "ANY", key, line_of(text, at), UNAUTHENTICATED, (reason,)))
    # A commented-out matcher exempts nothing, and a comment between a matcher and `.permitAll()` hides nothing.
    code = (
        _COMMENT.sub(lambda c: " " * len(c.group()), text)
        if "permitAll" in text or _IGNORED in text or "anyRequest" in text or ".anonymous()" in text
        else ""
    )
    # `anyRequest().permitAll()`: what no matcher names is open, so a matcher dropped opens what it guarded.
    for m in _FALLBACK_OPEN.finditer(code):
        scopes = _chain_scope(code, m.start())
        # A chain of its own for a few paths (`requestMatcher(new AntPathRequestMatcher("/x")) … anyRequest()
        # .permitAll()`) opens those paths: an exemption, as a permitAll matcher would be.
        for entry in scopes:
            reason = f"{LISTED}{FALLBACK_REASON} of a filter chain for {entry}"
            key = entry_key(entry) or entry
            out.routes.append(
                RawRoute(KIND, "ANY", key, line_of(text, m.start()), UNAUTHENTICATED, (reason,))
            )
        if not scopes:
            out.routes.append(
                RawRoute(
                    FALLBACK, "ANY", "/**", line_of(text, m.start()), UNAUTHENTICATED, (FALLBACK_REASON,)
                )
            )
    for m in _PERMIT_ALL.finditer(code):
        args = balanced(code, m.end() - 1, MAX_MATCHERS_CHARS)
        tail = code[m.end() + len(args) + 1 : m.end() + len(args) + 200]
        # (`.anonymous()` admits callers who have not signed in, as `.permitAll()` does)
        if (opened := re.match(r"\s*\.\s*(permitAll|anonymous)\s*\(", tail)) is not None:
            _entries(out, code, m.end() - 1, f"{opened.group(1)}()", named=True)
        elif (rule := _RULE.match(tail)) is not None:
            _rules(out, code, m.end() - 1, args, " ".join(rule.group(0).split()).lstrip("."))
    _kotlin_dsl(out, code)
    _chains(out, code)
    # `web.ignoring().antMatchers("/i18n/**")`: the filter chain never sees these paths, as open as
    # permitAll (moving one from here to a permitAll matcher opens nothing).
    for m in _IGNORING.finditer(code):
        for name, _, at in chained_calls(code, m.end(), MAX_IGNORED):
            if name.endswith("Matchers"):
                _entries(out, code, code.index("(", at), "WebSecurity ignoring()")
    return out


# Spring Security's Kotlin DSL: `authorize("/health/**", permitAll)`, or a list opened in one loop:
# `listOf("/info", "/queue-admin/retry-all-dlqs").forEach { authorize(it, permitAll) }`.
_KOTLIN_AUTHORIZE = re.compile(r"\bauthorize\s*\(\s*(?=[\"'])")
_KOTLIN_PERMIT = re.compile(r"\s*,\s*permitAll\s*\)")
_KOTLIN_LIST = re.compile(r"\b(?:listOf|arrayOf|setOf|mutableListOf)\s*\(")
_KOTLIN_EACH = re.compile(
    r"\s*\.\s*forEach\s*\{\s*(?:(\w+)\s*->\s*)?authorize\s*\(\s*(\w+)\s*,\s*permitAll\s*\)"
)


def _kotlin_dsl(out: FileRoutes, code: str) -> None:
    if "authorize" not in code:
        return
    for m in _KOTLIN_AUTHORIZE.finditer(code):
        path = leading_string(code[m.end() : m.end() + 400])
        if path is not None and _KOTLIN_PERMIT.match(code, m.end() + len(path) + 2):
            _entries(out, code, code.index("(", m.start()), "authorize(…, permitAll)")
    for m in _KOTLIN_LIST.finditer(code):
        body = balanced(code, m.end() - 1, MAX_MATCHERS_CHARS)
        each = _KOTLIN_EACH.match(code, m.end() + len(body) + 1)
        if each is not None and each.group(2) == (each.group(1) or "it"):
            _entries(out, code, m.end() - 1, "authorize(…, permitAll)", named=True)


# A filter chain's last rule when it turns away callers: `anyRequest().authenticated()` guards everything of its
# chain that no earlier matcher opened, over the chain's scope (`securityMatcher("/admin/**")`,
# `requestMatchers().antMatchers("/api/**")`, `antMatcher("/api/**")`) or every path. Never a finding by
# itself; a chain whose last guard is gone from every file read leaves what it guarded open.
CHAIN = "security-chain"
_CHAIN_GUARD = re.compile(
    r"\banyRequest\s*\(\s*\)\s*\.\s*(has(?:Any)?(?:Role|Authority)|authenticated|fullyAuthenticated|access)\s*\("
)
_CHAIN_START = re.compile(r"\bHttpSecurity\b|\bvoid\s+configure\s*\(|\bSecurityFilterChain\b|\banyRequest\b")
_CHAIN_SCOPE = re.compile(
    r"\b(?:securityMatchers?|antMatcher|requestMatchers\s*\(\s*\)\s*\.\s*(?:ant|mvc)Matchers)\s*\("
    r"|\brequestMatcher\s*\(\s*new\s+(?:Ant|Mvc|Regex)PathRequestMatcher\s*\("
)
MAX_CHAIN_CHARS = 4000
MAX_CHAINS = 32


def _chains(out: FileRoutes, code: str) -> None:
    if "anyRequest" not in code:
        return
    for n, m in enumerate(_CHAIN_GUARD.finditer(code)):
        if n >= MAX_CHAINS:
            return
        scopes = _chain_scope(code, m.start())
        guard = f"anyRequest().{m.group(1)}()"
        for entry in scopes or ["/**"]:
            key = entry_key(entry) or "/**"
            reason = f"{guard} ending its filter chain"
            out.routes.append(RawRoute(CHAIN, "ANY", key, line_of(code, m.start()), AUTHENTICATED, (reason,)))


def _chain_scope(code: str, at: int) -> list[str]:
    """The paths the filter chain holding `at` is for: `HttpSecurity http` opens the chain, the scope is the
    first call naming one after it (none: every path)."""
    window_at = max(0, at - MAX_CHAIN_CHARS)
    starts = [s.end() for s in _CHAIN_START.finditer(code, window_at, at)]
    begin = starts[-1] if starts else window_at
    for scope in _CHAIN_SCOPE.finditer(code, begin, at):
        return [e for e in strings(balanced(code, scope.end() - 1)) if entry_key(e) is not None]
    return []


_IGNORED = "ignoring()"
_IGNORING = re.compile(r"\.\s*ignoring\s*\(\s*\)")
MAX_IGNORED = 64


# Spring Security's other rules on a matcher: `.requestMatchers(HttpMethod.POST, "/api/tags/**")
# .hasAuthority("ADMIN")`. Each is the guard of what it matches, compared with the same matcher's rule on the
# other side (`hasAuthority("ADMIN")` → `authenticated()` lets every signed-in user in).
RULE = "security-rule"
# The filter chain's last rule when it admits everyone: never a finding by itself.
FALLBACK = "security-fallback"
FALLBACK_REASON = "anyRequest().permitAll()"
_FALLBACK_OPEN = re.compile(r"\banyRequest\s*\(\s*\)\s*\.\s*permitAll\s*\(\s*\)")
_RULE = re.compile(
    r"\s*\.\s*(?:has(?:Any)?(?:Role|Authority)|authenticated|fullyAuthenticated|access)\s*\([^()\n]{0,300}\)"
)
_HTTP_METHOD = re.compile(r"^\s*HttpMethod\.(\w+)")


def _rules(out: FileRoutes, text: str, open_at: int, args: str, rule: str) -> None:
    method = _HTTP_METHOD.match(args)
    for entry, _ in _matched_paths(args):
        key = entry_key(entry)
        if key is None:
            continue
        line = line_of(text, open_at)
        verb = method.group(1).upper() if method else "ANY"
        out.routes.append(RawRoute(RULE, verb, key, line, AUTHENTICATED, (f"{rule} on {entry}",)))


# `// …` (not the `//` of `http://`) and `/* … */`, blanked in place so offsets and lines stay.
# A block comment opens after space or punctuation, never inside a path string such as "/admin/**".
_COMMENT = re.compile(r"(?<![:\w\"'/*])//[^\n]*|(?:^|(?<=[\s;{}()]))/\*(?:[^*]|\*(?!/)){0,20000}\*/", re.M)


# An entry naming its method before the path: `"GET /ping"`, `"POST /auth/login"`.
_METHOD_FIRST = re.compile(r"(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|ANY)(?:\|[A-Z]{3,7}){0,6}[ \t]+(?=/)")
# A JS regular expression literal as an entry: `/^(GET|HEAD) \/guilds\/\d+\/shield\.svg/` (never `//` or
# `/*`, a comment).
_REGEX_LITERAL = re.compile(
    r"(?:^|(?<=[\[,]))\s*/((?:\\.|\[[^\]\n]{0,80}\]|[^/\\\n\[*]){1,300})/[dgimsuy]{0,6}\s*(?=[,\]]|$)", re.M
)
_REGEX_METHOD = re.compile(
    r"\^?\(?(?:\?:)?(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)(?:\|[A-Z]{3,7}){0,6}\)?[ \t]+"
)
# A run that matches a path segment's variable part: `\d+`, `\w*`, `[A-Za-z0-9+/]`, `.+`, `[^/]+`.
_REGEX_ATOM = re.compile(r"(?:\\[dwsDWS]|\[[^\]]{0,80}\]|\.)(?:[+*?]|\{\d{1,3}(?:,\d{0,3})?\})?")


def regex_entry_path(source: str) -> str | None:
    """The path a regex entry exempts, its variable parts as params (`/guilds/{param}/shield.svg`); None
    when it is not a path pattern this reads (alternatives, groups)."""
    method = _REGEX_METHOD.match(source)
    rest = source[method.end() :] if method else source.lstrip("^")
    out: list[str] = []
    i = 0
    while i < len(rest):
        if rest[i] == "\\" and i + 1 < len(rest) and rest[i + 1] in "/.-_~":
            out.append(rest[i + 1])
            i += 2
            continue
        atom = _REGEX_ATOM.match(rest, i)
        if atom is not None:
            out.append("\0")  # a variable run, made a param once its segment is known
            i = atom.end()
            continue
        if rest[i] in "$":
            i += 1
            continue
        if rest[i] == "?" and out and out[-1] == "/":
            out.pop()  # `\/?`: an optional trailing slash
            i += 1
            continue
        if not (rest[i].isalnum() or rest[i] in "/_-~"):
            return None
        out.append(rest[i])
        i += 1
    path = "".join(out)
    if not path.startswith("/"):
        return None
    return "/".join("{param}" if "\0" in part else part for part in path.split("/"))


def _string_entry_key(entry: str) -> str | None:
    method = _METHOD_FIRST.match(entry)
    return entry_key(entry[method.end() :] if method else entry)


def _regex_entry_key(source: str) -> str | None:
    path = regex_entry_path(source)
    return entry_key(path) if path else None


# A matcher's path built on a constant of another class: `NewUrl.ORGANIZATION_URL + "/byuser/*"` (or on a
# field, `adminContextPath + "/**"`), or the constant alone (`SERVER_SETTING_URL`). Its value is not read: the
# name stands for it, as a parameter would.
_NAMED_PATH = re.compile(
    r"(?:\b(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w{1,80})\s*\+\s*)?(?:\"([^\"\n]{0,300})\"|'([^'\n]{0,300})')"
    r"|\b(?:[A-Za-z_]\w*\.)*([A-Z][A-Z0-9_]{0,80}_(?:URL|PATH|URI|PREFIX))\b(?!\s*\+)"
)


# A WebFlux `matchers(…)` list of every anonymous path of an application runs to thousands of characters.
MAX_MATCHERS_CHARS = 20_000


def _matched_paths(args: str) -> list[tuple[str, str]]:
    """(path, as written) of each path a Spring matcher's arguments name, a constant standing as `/{NAME}`."""
    out: list[tuple[str, str]] = []
    for m in _NAMED_PATH.finditer(args):
        base, double, single, alone = m.groups()
        literal = double if double is not None else single or ""
        if alone is not None:
            out.append(("/{" + alone + "}", alone))
        elif base is not None and literal.startswith("/"):
            out.append(("/{" + base + "}" + literal, literal))
        elif base is None:
            out.append((literal, literal))
    return out


_BARE_CONSTANT = re.compile(r"(?<![\w.\"'])([A-Z][A-Z0-9_]{1,80})\b(?!\s*[+.(])")
_ARRAY_START = (
    r"\s*=\s*(?:new\s+String\s*\[\s*\]\s*)?(?:\{|(?:List|Set)\s*\.\s*of\s*\(|Arrays\s*\.\s*asList\s*\()"
)


def _array_paths(text: str, name: str) -> list[tuple[str, str]] | None:
    """(path, as written) of each path the array constant `name` of this file lists (or the one path a
    string constant holds: `String LOGIN_URL = "/login"`), or None."""
    m = re.search(r"\b" + re.escape(name) + _ARRAY_START, text)
    if m is None:
        single = re.search(r"\b" + re.escape(name) + r"\s*=\s*\"(/[^\"\n]{0,300})\"\s*;", text)
        return [(single.group(1), name)] if single is not None else None
    paths = [
        entry for entry in strings(balanced(text, m.end() - 1, MAX_MATCHERS_CHARS)) if entry.startswith("/")
    ]
    return [(entry, f'"{entry}"') for entry in paths] or None


def _entries(out: FileRoutes, text: str, open_at: int, name: str, named: bool = False) -> None:
    body = balanced(text, open_at, MAX_MATCHERS_CHARS if named else MAX_CALL_CHARS)
    # (as written, for its line; its key)
    listed = _matched_paths(body) if named else [(entry, entry) for entry in strings(body)]
    if named:
        # `.requestMatchers(PERMITTED_PATHS).permitAll()` over `String[] PERMITTED_PATHS = {"/health", …}` in
        # the same file: each path the array lists, so one added to it is one more exempted.
        arrays = {name: _array_paths(text, name) for name in _BARE_CONSTANT.findall(body)[:20]}
        listed = [pair for pair in listed if not arrays.get(pair[1])]
        listed += [pair for paths in arrays.values() for pair in paths or ()]
    found = [(written, _string_entry_key(entry)) for entry, written in listed]
    found += [
        (m.group(0).strip(), _regex_entry_key(m.group(1)))
        for m in _REGEX_LITERAL.finditer(body)
        if "/" in m.group(1)
    ]
    for written, key in found:
        if key is None:
            continue
        at = text.find(written, open_at)
        out.routes.append(
            RawRoute(
                KIND, "ANY", key, line_of(text, at if at >= 0 else open_at), UNAUTHENTICATED, (LISTED + name,)
            )
        )


def mentions_allowlist(text: str) -> bool:
    """Cheap test for a file worth reading for allowlists."""
    text = text[:MAX_FILE_CHARS]
    return (
        "permitAll" in text
        or ".anonymous()" in text
        or "anyRequest" in text
        or _IGNORED in text
        or ("addHook" in text and _HOOK.search(text) is not None)
        or _SHIRO_LITERAL in text
        or (".URL.Path" in text and _GO_PATH_IS.search(text) is not None)
        or any(_names_an_allowlist(name) for name, _ in _assigned_names(text))
        or any(_names_an_allowlist(m.group(1)) for m in _index_sets(text))
        or (
            _KOTLIN_COLLECTION.search(text) is not None
            and any(_names_an_allowlist(m.group(1)) for m in _DSL_BLOCK.finditer(text))
        )
    )
