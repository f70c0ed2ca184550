"""Java/Kotlin: Spring MVC/WebFlux annotations, JAX-RS and Micronaut (`@Controller("/x")`, `@Get("/y")`), with
class-level prefixes and security annotations."""

from __future__ import annotations

import re

from .inline_guards import MAX_PREAMBLE_CHARS, inline_privilege_check
from .model import (
    ADMIN_HANDLER,
    AUTHENTICATED,
    MAX_FILE_CHARS,
    OPTS_OUT,
    UNAUTHENTICATED,
    join_paths,
    line_of,
    overriding,
)
from .roles import ADMIN_WORDS, words
from .routes import FileRoutes, RawRoute
from .scan import balanced, strings

MAX_MEMBER_REACH = 2000  # how far back a mapping looks for the annotations of its member
_CLASS = re.compile(r"\b(?:class|interface|object)\s+(\w+)")
# A controller named for administration (`QueueAdminResource`, `AdminUserController`): the admin API, whatever
# paths it serves. Only words of administration: `StaffScheduleController` may serve a clinic's staff.
# A project's own composed mappings count too (`@AnonymousGetMapping`, meta-annotated with `@GetMapping`).
_ANNOTATION = re.compile(
    r"@((?:[A-Z]\w{0,40}?)?(?:Request|Get|Post|Put|Delete|Patch)Mapping|Path|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)"
    r"\b(\s*\()?"
)
_VERB_MAPPING = re.compile(r"(Request|Get|Post|Put|Delete|Patch)Mapping$")
# Micronaut: `@Controller("/api")` on the class, `@Get("/{id}")`, `@Post`… on its methods.
_MICRONAUT = re.compile(r"@(Controller|Get|Post|Put|Delete|Patch|Head|Options)\b(\s*\()?")
_MICRONAUT_VERBS = {"Get", "Post", "Put", "Delete", "Patch", "Head", "Options"}
# `@Secured(SecurityRule.IS_ANONYMOUS)` admits everyone; it is no guard.
_SECURED_ANONYMOUS = re.compile(
    r"@Secured\s*\(\s*(?:value\s*=\s*)?\{?\s*SecurityRule\.IS_ANONYMOUS\s*\}?\s*\)"
)
# A composed mapping named for anonymous access: the project's shorthand for mapping plus `permitAll`.
_PUBLIC_MAPPING = re.compile(r"^(?:Anonymous|Public|PermitAll|Open|NoAuth|Unauthenticated)")
_SECURITY = re.compile(
    r"@(PreAuthorize|Secured|RolesAllowed|PostAuthorize|Authenticated|"
    # `@HasPermission`, Sa-Token's `@SaCheckPermission`/`@SaCheckRole`/`@SaCheckLogin`, a project's own
    # `@BackendPermissionMiddleware(slug = …)`
    r"(?!DeclareRoles\b)(?!Role\s*\(\s*BeanDefinition)\w{0,30}(?:Permission|Role|Authorit(?:y|ie))s?"
    r"(?:Middleware|Check|Guard|Interceptor)?"
    r"|\w{0,10}Check(?:Login|Safe)|Requires?\w{0,20}Authentication"
    # Alpine (Dependency-Track): `@PermissionRequired(Permissions.Constants.SYSTEM_CONFIGURATION)`
    r"|(?:Permission|Role|Authority)s?Required"
    # Lin CMS: `@LoginRequired`, `@GroupRequired` (a group's permission), `@AdminRequired`, their `…Meta` forms
    r"|(?:Login|Group|Admin)(?:Required|Meta))\b"
    r"(?:\s*\(\s*(?:value\s*=\s*)?\{?\s*\"([^\"\n]{0,200})\"|\s*\(([^()\n]{1,300})\))?"
)
_PUBLIC = re.compile(
    r"@PermitAll\b|permitAll\(\)|isAnonymous\(\)|SecurityRule\.IS_ANONYMOUS|@AuthenticationNotRequired\b"
    r"|@AnonymousAllowed\b"
    # RuoYi's `@Anonymous`, Sa-Token's `@SaIgnore`, and the like: the project's own marker for "no login"
    r"|@(?:Anonymous|SaIgnore|IgnoreAuth|NoAuth|PassToken|SkipAuth)\b"
)
# Where a method's body opens: past its parameter list and any `throws` clause (not a brace in `@Path("{id}")`).
_METHOD_OPEN = re.compile(r"\)\s*(?:throws\s+[\w.,\s]{1,300}?)?\{")
_COMMENT = re.compile(r"(?<![:\w\"/])//[^\n]*|/\*(?:[^*]|\*(?!/)){0,4000}\*/")
_STRING_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.){0,2000}"')
_MEMBER_END = re.compile(
    r"^[ \t]*(?:(?:override|suspend|open|final|static)[ \t]+){0,3}(?:fun|void|public|private|protected|internal)\b",
    re.M,
)


def _security_reason(s: re.Match[str]) -> str:
    """`@PreAuthorize("hasRole('ADMIN')")`, and an annotation's arguments when they name no string first:
    `@ApiPermission(requiredPermission = Permission.SU)`."""
    if s.group(2):
        return f'@{s.group(1)}("{s.group(2)}")'
    if s.group(3):
        return f"@{s.group(1)}({' '.join(s.group(3).split())})"
    return f"@{s.group(1)}"


# `private static final String MAPPED_PATH = "/instances/{id}/actuator/**";`, Kotlin's `const val`: a path the
# file's mappings name by constant (`@RequestMapping(path = MAPPED_PATH)`).
_CONSTANT = re.compile(
    r"\b(?:static\s+final|final\s+static)\s+String\s+(\w+)\s*=\s*\"([^\"\n]{0,500})\"\s*;"
    r"|\bconst\s+val\s+(\w+)\s*(?::\s*String\s*)?=\s*\"([^\"\n]{0,500})\""
)
_NAMED_VALUE = re.compile(
    r"\b(?:value|path)\s*=\s*(\{[^}]{0,2000}\}|\[[^\]]{0,2000}\]|\"[^\"\n]{0,500}\"|[A-Za-z_][\w.]{0,200})"
)
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.]{0,200}")


def _constants(text: str) -> dict[str, str]:
    return {(m.group(1) or m.group(3)): (m.group(2) or m.group(4) or "") for m in _CONSTANT.finditer(text)}


def _values(expr: str, constants: dict[str, str]) -> list[str]:
    """The paths an annotation value names: string literals, and constants of this file by name."""
    found = strings(expr)
    if constants:
        names = (n.rsplit(".", 1)[-1] for n in _IDENTIFIER.findall(_STRING_LITERAL.sub("", expr)))
        found += [constants[name] for name in names if name in constants]
    return found


def _unresolved(expr: str) -> list[str]:
    """`Routes.DatabaseType.UPDATE`, a constant declared elsewhere: a path of its own, spelled by its name
    (two such routes on one controller are not the same route at its prefix)."""
    name = _IDENTIFIER.fullmatch(expr.strip())
    return ["{" + name.group(0) + "}"] if name and not name.group(0)[0].islower() else [""]


def _mapping_paths(args: str, constants: dict[str, str] | None = None, spelled: bool = True) -> list[str]:
    """The paths a mapping annotation names; a constant declared elsewhere is spelled by its name when
    `spelled` (a method's path), else read as no path (a controller's prefix: the same endpoint moved
    between controllers whose prefixes are both unknown stays one endpoint)."""
    constants = constants or {}
    named = _NAMED_VALUE.search(args)
    if named:
        return _values(named.group(1), constants) or (_unresolved(named.group(1)) if spelled else [""])
    lead = args.lstrip()
    if not lead.startswith(("{", '"', "[")) and not _IDENTIFIER.match(lead):
        return [""]
    head = lead.split("method", 1)[0].split("produces", 1)[0]
    if not lead.startswith(("{", '"', "[")):
        head = head.split(",", 1)[0]  # `@GetMapping(PATH, produces = …)`: the constant alone
        return _values(head, constants) or (_unresolved(head) if spelled else [""])
    return _values(head, constants) or [""]


def _mapping_methods(args: str) -> list[str]:
    return re.findall(r"RequestMethod\.(\w+)", args)


def extract_jvm(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    first_class = _CLASS.search(text)
    class_at = first_class.start() if first_class else 0
    class_prefixes = [""]
    admin_class = (
        (ADMIN_HANDLER + first_class.group(1),)
        if first_class is not None and ADMIN_WORDS.intersection(words(first_class.group(1)))
        else ()
    )
    constants = _constants(text) if "final" in text or "const val" in text else {}
    head = text[:class_at]
    class_auth = [
        "class " + _security_reason(s) for s in _SECURITY.finditer(_SECURED_ANONYMOUS.sub("", head))
    ]
    if "io.javalin" in text:
        _javalin(out, text)
    # Braces and semicolons inside strings (`@Path("{id}")`) end no statement.
    masked = _STRING_LITERAL.sub(lambda q: '"' + " " * (len(q.group()) - 2) + '"', text)
    micronaut = "io.micronaut" in text
    found_all = sorted(
        [*_ANNOTATION.finditer(text), *(_MICRONAUT.finditer(text) if micronaut else ())],
        key=lambda a: a.start(),
    )
    for m in found_all:
        name = m.group(1)
        args = balanced(text, m.end() - 1) if m.group(2) else ""
        if micronaut and m.re is _MICRONAUT:
            if name == "Controller":
                if m.start() < class_at:
                    class_prefixes = _mapping_paths(args, spelled=False)
                continue
            name = f"{name}Mapping"
        verb = _VERB_MAPPING.search(name)
        composed = name if verb is not None and verb.start() > 0 else ""
        name = f"{verb.group(1)}Mapping" if verb is not None else name
        if m.start() < class_at:
            if name == "RequestMapping":
                class_prefixes = _mapping_paths(args, constants, spelled=False)
            elif name == "Path":
                class_prefixes = strings(args)[:1] or [""]
            continue
        # The member's own annotations: back to the previous statement or brace, within a bounded reach.
        reach = max(0, m.start() - MAX_MEMBER_REACH)
        lo = max(
            class_at,
            reach,
            masked.rfind(";", reach, m.start()),
            masked.rfind("}", reach, m.start()),
            masked.rfind("{", reach, m.start()),
            _previous_kotlin_function(masked, reach, m.start()),
        )
        window = text[lo : m.start()] + _until_member(text[m.start() : m.start() + 2000])
        if name == "Path":
            continue
        if name in ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"):
            sub = re.search(r"@Path\s*\(\s*\"([^\"\n]{0,500})\"", window)
            paths, methods = [sub.group(1) if sub else ""], [name]
        elif name == "RequestMapping":
            paths, methods = _mapping_paths(args, constants), (_mapping_methods(args) or ["ANY"])
        else:
            paths, methods = _mapping_paths(args, constants), [name.removesuffix("Mapping").upper()]
        # A commented-out annotation (`//@PermissionRequired(…)`) guards nothing.
        window = _COMMENT.sub("", window)
        security = [_security_reason(s) for s in _SECURITY.finditer(_SECURED_ANONYMOUS.sub("", window))]
        # The method's own first statements: `permissionsService.checkAdmin(getUserId());`.
        body = _METHOD_OPEN.search(text, m.end(), m.end() + MAX_MEMBER_REACH + 2000)
        inline = inline_privilege_check(text[body.end() : body.end() + MAX_PREAMBLE_CHARS]) if body else None
        security += [inline] if inline else []
        found = _PUBLIC.search(window)
        public = found.group(0) if found else "@" + composed if _PUBLIC_MAPPING.match(composed) else ""
        reasons = security or ([overriding(OPTS_OUT + public, class_auth)] if public else class_auth)
        state = AUTHENTICATED if security or (class_auth and not public) else UNAUTHENTICATED
        for prefix in class_prefixes:
            for sub_path in paths:
                for method in methods:
                    out.routes.append(
                        RawRoute(
                            "http",
                            method.upper(),
                            join_paths(prefix, sub_path),
                            line_of(text, m.start()),
                            state,
                            (*reasons, *admin_class),
                        )
                    )
    return out


# Javalin: `app.get("/x", ctx -> …, Role.ADMIN)`, the roles after the handler gate it (its access manager).
_JAVALIN = re.compile(r"\b\w+\s*\.\s*(get|post|put|patch|delete|head)\s*\(\s*\"(/[^\"\n]{0,300})\"\s*,")
_ROLE_ARG = re.compile(r"\b(?:\w*Role\w*|Access\w*|Permission\w*)\.([A-Z][A-Z_]{1,40})\b")


def _javalin(out: FileRoutes, text: str) -> None:
    for m in _JAVALIN.finditer(text):
        args = balanced(text, text.index("(", m.start()))
        roles = [r.group(0) for r in _ROLE_ARG.finditer(args)]
        # Javalin's anonymous role (`Role.ANYONE`, `Role.PUBLIC`) lets everyone in.
        guards = [r for r in roles if not re.search(r"\.(?:ANYONE|PUBLIC|ANONYMOUS|GUEST|EVERYONE)$", r)]
        out.routes.append(
            RawRoute(
                "http",
                m.group(1).upper(),
                join_paths(m.group(2)),
                line_of(text, m.start()),
                AUTHENTICATED if guards else UNAUTHENTICATED,
                tuple(f"role {g}" for g in guards),
            )
        )


# Where a member's declaration ends: its body opens, or (an interface's method: `ObjectValue get(…);`) it ends.
_SIGNATURE_END = re.compile(r"\)\s*(?:throws\s+[\w.,\s]{1,300}?)?[;{]")


# Kotlin's expression-bodied function, `fun refresh() = service.refresh()`, ends with no brace or semicolon:
# the annotations after its line are the next member's.
_KOTLIN_FUN = re.compile(r"^[ \t]*(?:[a-z]+[ \t]+)*fun[ \t][^\n]*\n", re.M)


def _previous_kotlin_function(masked: str, reach: int, at: int) -> int:
    last = -1
    for f in _KOTLIN_FUN.finditer(masked, reach, at):
        last = f.end() - 1
    return last


def _until_member(text: str) -> str:
    m = _MEMBER_END.search(text)
    end = m.start() if m else len(text)
    # Past the member's own signature come the next member's annotations (an interface's methods have no
    # modifier to stop at).
    signature = _SIGNATURE_END.search(text, 0, end)
    return text[: signature.end() if signature else end]
