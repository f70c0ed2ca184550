"""Symfony: controller routes declared by attribute or annotation (`#[Route('/x', methods: ['GET'])]`,
`@Route("/x")`) under a class-level prefix, guarded by `#[IsGranted('ROLE_ADMIN')]`/`@IsGranted`/`@Security`
or by `$this->denyAccessUnlessGranted(...)` in the action; `security.yaml`'s `access_control` rules, each a
path with the roles it needs (`PUBLIC_ACCESS` and `IS_AUTHENTICATED_ANONYMOUSLY` let anyone in).

Laravel's Horizon and Telescope dashboards are configured, not routed: `config/horizon.php`'s `'path'`
serves the dashboard there.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from typing import Any

import yaml

from . import allowlist
from .model import (
    ACCEPTS,
    AUTHENTICATED,
    MAX_FILE_CHARS,
    OPS_DASHBOARD,
    UNAUTHENTICATED,
    UNKNOWN,
    join_paths,
    line_of,
)
from .routes import FileRoutes, RawRoute
from .scan import balanced

_ROUTE = re.compile(r"(?:#\[\s*Route\s*\(|@Route\s*\()")
_GUARD = re.compile(
    r"(?:#\[\s*IsGranted\s*\(|@IsGranted\s*\(|@Security\s*\(|#\[\s*Security\s*\()([^)\]\n]{0,200})"
)
_CLASS = re.compile(r"^\s*(?:final\s+|abstract\s+)*class\s+\w+", re.M)
_FUNCTION = re.compile(r"\bfunction\s+(\w+)\s*\(")
_INLINE = re.compile(r"\$this->denyAccessUnlessGranted\s*\(([^)\n]{0,200})\)")
_STRING = re.compile(r"""['"]([^'"\n]{0,300})['"]""")
_METHODS = re.compile(r"methods\s*[:=]\s*[\[{]([^\]}\n]{0,200})[\]}]")
_OPEN_ROLES = frozenset({"PUBLIC_ACCESS", "IS_AUTHENTICATED_ANONYMOUSLY"})
MAX_ATTRIBUTE_CHARS = 600


def _attribute_args(text: str, at: int) -> str:
    end = text.find("\n", at)
    stop = min(len(text), at + MAX_ATTRIBUTE_CHARS)
    close = text.find(")", at)
    return text[at : close if 0 <= close < stop else (end if 0 <= end < stop else stop)]


# A localized route: `path: ['en' => '/admin', 'fr' => '/administration']`, one path per locale.
_LOCALIZED = re.compile(r"""^\s*(?:path\s*[:=]\s*)?\[\s*(['"][\w-]{1,10}['"]\s*=>[^\]]{0,600})\]""")
_LOCALE_PATH = re.compile(r"""=>\s*['"]([^'"\n]{0,300})['"]""")
# The same in a docblock annotation: `@Route({"en": "/admin/clean-up", "fr": "/admin/nettoyer"}, …)`.
_LOCALIZED_ANNOTATION = re.compile(
    r"""^\s*(?:path\s*=\s*)?\{\s*(?:\*\s*)?(['"][\w-]{1,10}['"]\s*:[^}]{0,600})\}"""
)
_ANNOTATION_LOCALE_PATH = re.compile(r"""['"][\w-]{1,10}['"]\s*:\s*['"]([^'"\n]{0,300})['"]""")


def _paths(args: str) -> list[str]:
    """The paths a `Route` attribute's arguments name: its first string, or each locale's."""
    localized = _LOCALIZED.match(args) if "=>" in args else None
    if localized is not None:
        return list(dict.fromkeys(_LOCALE_PATH.findall(localized.group(1))))
    annotated = _LOCALIZED_ANNOTATION.match(args)
    if annotated is not None:
        return list(dict.fromkeys(_ANNOTATION_LOCALE_PATH.findall(annotated.group(1))))
    first = _STRING.search(args)
    return [first.group(1)] if first else []


_ROLE = re.compile(r"\bROLE_\w{1,80}")


def granted_roles(expression: str) -> list[str]:
    """The roles a security expression accepts any one of (`'ROLE_ADMIN'`, `is_granted("ROLE_ADMIN") or
    is_granted("ROLE_MODERATOR")`); none when it demands more than a role (`… and object.owner == user`)."""
    if re.search(r"\band\b|&&", expression):
        return []
    return list(dict.fromkeys(_ROLE.findall(expression)))


def _guards(block: str) -> list[str]:
    """Each `#[IsGranted(…)]`: the roles it accepts (`'ROLE_ADMIN'`, or an expression `is_granted("ROLE_ADMIN")
    or is_granted("ROLE_MODERATOR")` accepting either), else its arguments as written."""
    out = []
    for m in _GUARD.finditer(block):
        args = (
            balanced(block, m.start(1) - 1, MAX_ATTRIBUTE_CHARS)[1:-1]
            if block[m.start(1) - 1] == "("
            else m.group(1)
        )
        roles = granted_roles(args)
        if roles:
            out.append(f"IsGranted {ACCEPTS}{', '.join(roles)}")
        else:
            out.append(f"IsGranted({m.group(1).strip()})")
    return out


def extract_symfony(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes(guards=controller_guards(text) if "Controller" in text else {})
    if "Route" not in text:
        return out
    cls = _CLASS.search(text)
    head = text[: cls.start()] if cls else ""
    prefix = ""
    for m in _ROUTE.finditer(head):
        prefix = next(iter(_paths(_attribute_args(text, m.end()))), prefix)
    class_guards = _guards(head[-2000:])
    body_start = cls.end() if cls else 0
    for m in _ROUTE.finditer(text, body_start):
        args = _attribute_args(text, m.end())
        paths = _paths(args)
        if not paths:
            continue
        fn = _FUNCTION.search(text, m.end(), min(len(text), m.end() + 2000))
        between = text[m.start() : fn.start()] if fn else args
        nxt = _FUNCTION.search(text, fn.end()) if fn else None
        action_body = text[fn.end() : (nxt.start() if nxt else len(text))][:1500] if fn else ""
        reasons = class_guards + _guards(between)
        reasons += [f"denyAccessUnlessGranted({g.strip()})" for g in _INLINE.findall(action_body)]
        listed = _METHODS.search(args)
        methods = [s.upper() for s in _STRING.findall(listed.group(1))] if listed else ["ANY"]
        for method, route in itertools.product(methods or ["ANY"], paths):
            out.routes.append(
                RawRoute(
                    "http",
                    method,
                    join_paths(prefix, route),
                    line_of(text, m.start()),
                    AUTHENTICATED if reasons else UNKNOWN,
                    tuple(reasons),
                )
            )
    return out


def controller_guards(text: str) -> dict[str, list[str]]:
    """The guards of a controller routed from elsewhere (a YAML routes file): the class's `#[IsGranted]`
    under `php:Class`, each action's own and its `denyAccessUnlessGranted` under `php:Class#action`."""
    out: dict[str, list[str]] = {}
    cls = _CLASS.search(text)
    if cls is None or (_GUARD.search(text) is None and _INLINE.search(text) is None):
        return out
    name = cls.group(0).split()[-1]
    head = text[: cls.start()][-2000:]
    if _guards(head):
        out[f"php:{name}"] = _guards(head)
    functions = list(_FUNCTION.finditer(text, cls.end()))
    start = cls.end()
    for i, fn in enumerate(functions):
        before = text[start : fn.start()]
        # The attributes right above the function: after the previous function's body closed.
        attributes = before[before.rfind("}") + 1 :] if "}" in before else before
        end = functions[i + 1].start() if i + 1 < len(functions) else len(text)
        body = text[fn.end() : end][:1500]
        reasons = _guards(attributes) + [
            f"denyAccessUnlessGranted({g.strip()})" for g in _INLINE.findall(body)
        ]
        if reasons:
            out[f"php:{name}#{fn.group(1)}"] = reasons
        start = fn.end()
    return out


def _is_routes_file(path: str) -> bool:
    parts = path.lower().split("/")
    return "config" in parts[:-1] and any("rout" in p for p in parts[parts.index("config") :])


def extract_route_yaml(path: str, text: str) -> FileRoutes:
    """Symfony routes declared in YAML (`config/routes.yaml`, `config/routes/admin.yaml`): `name: {path:
    /admin/x, controller: App\\Controller\\AdminController::index, methods: [GET]}`. The controller's guards
    meet them under `php:AdminController#index`; `security.yaml`'s access_control applies by path."""
    out = FileRoutes()
    declares = "path" in text and "controller" in text
    imports = "resource" in text and "prefix" in text
    if not _is_routes_file(path) or not (declares or imports):
        return out
    text = text[:MAX_FILE_CHARS]
    try:
        doc = yaml.load(text, Loader=_TolerantLoader)
    except (ValueError, RecursionError, yaml.YAMLError):
        return out
    if not isinstance(doc, dict):
        return out
    for name, route in itertools.islice(doc.items(), MAX_YAML_ROUTES):
        if not isinstance(route, dict):
            continue
        resource, prefix = route.get("resource"), route.get("prefix")
        if isinstance(resource, str) and isinstance(prefix, str) and prefix.startswith("/"):
            # `sulu_activity_api: {resource: "@SuluActivityBundle/…/routing_api.yml", prefix: /admin/api}`: the
            # bundle's routes, all served under the prefix
            out.routes.append(_imported(resource, prefix, line_of(text, max(0, text.find(f"{name}:")))))
            continue
        defaults = route.get("defaults")
        controller = route.get("controller") or (
            defaults.get("_controller") if isinstance(defaults, dict) else None
        )
        paths = route.get("path")
        listed = list(paths.values()) if isinstance(paths, dict) else [paths]
        if not isinstance(controller, str):
            continue
        handler = _handler(controller)
        methods = route.get("methods") or ["ANY"]
        methods = methods.split("|") if isinstance(methods, str) else methods
        at = line_of(text, max(0, text.find(f"{name}:")))
        for method, route_path in itertools.product(methods, listed):
            if isinstance(route_path, str) and route_path.startswith("/"):
                out.routes.append(
                    RawRoute(
                        "http", str(method).upper(), join_paths(route_path), at, UNKNOWN, (), "", handler
                    )
                )
    return out


def _handler(controller: str) -> str:
    """`App\\Controller\\AdminController::index` → `php:AdminController#index`, where the controller's guards
    meet it."""
    cls, _, action = controller.partition("::")
    return f"php:{cls.rsplit(chr(92), 1)[-1]}" + (f"#{action}" if action else "")


def _imported(resource: str, prefix: str, line: int) -> RawRoute:
    """The routes a `resource` imports, served under `prefix` (one import of many under the same prefix: the
    resource names its routes apart)."""
    source = resource.lstrip("@").split("/", 1)[0] if resource.startswith("@") else resource
    served = join_paths(prefix, "{" + re.sub(r"[^\w.-]+", "_", source).strip("_")[:80] + "}", "**")
    return RawRoute("http", "ANY", served, line, UNKNOWN, (f"{IMPORTS}{resource[:120]}",))


def _without_xml_comments(text: str) -> str:
    """`<!-- … -->` blanked to spaces (lines kept), in one pass; an unclosed one runs to the end."""
    if "<!--" not in text:
        return text
    parts: list[str] = []
    at = 0
    while (start := text.find("<!--", at)) >= 0:
        end = text.find("-->", start + 4)
        stop = len(text) if end < 0 else end + 3
        parts += [text[at:start], re.sub(r"[^\n]", " ", text[start:stop])]
        at = stop
    return "".join(parts) + text[at:]


_XML_ROUTE = re.compile(r"<route\s([^<>]{0,1000})>")
_XML_IMPORT = re.compile(r"<import\s([^<>]{0,1000})/?>")
_XML_ATTRIBUTE = re.compile(r"""([\w-]{1,40})\s*=\s*(?:"([^"<>]{0,400})"|'([^'<>]{0,400})')""")
_XML_CONTROLLER = re.compile(r"<default\s+key\s*=\s*[\"']_controller[\"']\s*>\s*([^<\s]{1,300})\s*</default>")


def _attributes(tag: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _XML_ATTRIBUTE.finditer(tag)
    }


def extract_route_xml(path: str, text: str) -> FileRoutes:
    """Symfony routes declared in XML (`<route id="x" path="/admin/x" methods="GET|POST">` with its
    `<default key="_controller">App\\Controller\\X::y</default>`, or a `controller` attribute), and `<import
    resource="…" prefix="/admin"/>` of another bundle's routes under a prefix."""
    out = FileRoutes()
    if not _is_routes_file(path) or ("<route" not in text and "<import" not in text):
        return out
    text = _without_xml_comments(text[:MAX_FILE_CHARS])
    for m in itertools.islice(_XML_IMPORT.finditer(text), MAX_YAML_ROUTES):
        attrs = _attributes(m.group(1))
        resource, prefix = attrs.get("resource", ""), attrs.get("prefix", "")
        if resource and prefix.startswith("/"):
            out.routes.append(_imported(resource, prefix, line_of(text, m.start())))
    for m in itertools.islice(_XML_ROUTE.finditer(text), MAX_YAML_ROUTES):
        attrs = _attributes(m.group(1))
        route_path = attrs.get("path", "")
        if not route_path.startswith("/"):
            continue
        controller = attrs.get("controller", "")
        if not controller and not m.group(1).rstrip().endswith("/"):
            close = text.find("</route>", m.end(), m.end() + 4000)
            given = _XML_CONTROLLER.search(text, m.end(), close) if close >= 0 else None
            controller = given.group(1) if given else ""
        handler = _handler(controller) if controller else ""
        methods = [v for v in re.split(r"[|,\s]+", attrs.get("methods", "")) if v] or ["ANY"]
        at = line_of(text, m.start())
        for method in methods:
            out.routes.append(
                RawRoute("http", method.upper(), join_paths(route_path), at, UNKNOWN, (), "", handler)
            )
    return out


MAX_YAML_ROUTES = 2000
IMPORTS = "imports the routes of "


_SAFE_LOADER: type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml's when built with it


class _TolerantLoader(_SAFE_LOADER):  # type: ignore[misc,valid-type]
    """Symfony's own tags (`!php/const App\\Kernel::X`, `!php/enum`) read as the plain value they tag."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _untagged)


def _rules(doc: Any) -> list[dict[str, Any]]:
    security = doc.get("security") if isinstance(doc, dict) else None
    rules = security.get("access_control") if isinstance(security, dict) else None
    return [r for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []


def _prefix(pattern: str) -> str:
    """The literal path an `access_control` regex starts with (`^/admin` → `/admin`)."""
    literal = re.match(r"\^?((?:/[\w.-]*)*)", pattern)
    return literal.group(1) if literal and literal.group(1) else "/"


_ALTERNATION = re.compile(r"\(((?:[\w.-]+\|){1,30}[\w.-]+)\)")


def _spelled_out(pattern: str) -> list[str]:
    """A regex's first group of plain alternatives spelled out, one pattern each:
    `/(unread|starred).xml$` → `/unread.xml$`, `/starred.xml$`; any other pattern as it is."""
    group = _ALTERNATION.search(pattern)
    if group is None:
        return [pattern]
    head, tail = pattern[: group.start()], pattern[group.end() :]
    return [head + alternative + tail for alternative in group.group(1).split("|")]


_BARE_IPV6 = re.compile(r"(?<=[\[,\s])(::[0-9a-fA-F:.]{0,40})(?=\s*[,\]])")
_DENY_ROLES = frozenset({"ROLE_NO_ACCESS", "ROLE_NOBODY", "ROLE_DENY"})
_PARAMETER = re.compile(r"%([\w.-]{1,120})%")


def _resolved(pattern: str, parameters: dict[str, str]) -> str:
    """`%sylius.security.api_regex%/docs` with the parameter the file sets (`^/api`) in its place, its anchor
    dropped (`^/api/docs`); a parameter set elsewhere stands as a path parameter (`/{name}/docs`)."""
    for _ in range(3):
        if "%" not in pattern:
            break
        pattern = _PARAMETER.sub(
            lambda m: (
                parameters[m.group(1)].lstrip("^") if m.group(1) in parameters else "/{" + m.group(1) + "}"
            ),
            pattern,
        )
    return pattern if pattern.startswith(("^", "/")) else "^" + pattern


def _firewalls(doc: Any) -> list[dict[str, Any]]:
    security = doc.get("security") if isinstance(doc, dict) else None
    walls = security.get("firewalls") if isinstance(security, dict) else None
    return [w for w in walls.values() if isinstance(w, dict)] if isinstance(walls, dict) else []


# The debug toolbar and static assets a firewall commonly leaves open: no endpoint of the application.
_ASSETS = re.compile(r"_(?:profiler|wdt)|\b(?:css|js|images?|img|fonts|assets|build|bundles|media)\b")


# A firewall's ways of signing callers in: one of them beside `anonymous: true` signs in whoever can, and
# `access_control` decides who must.
_AUTHENTICATORS = frozenset(
    {
        "guard", "custom_authenticators", "custom_authenticator", "authenticators", "form_login", "json_login",
        "json_login_ldap", "form_login_ldap", "http_basic", "http_basic_ldap", "x509", "remote_user",
        "access_token", "jwt", "lexik_jwt", "oauth", "oauth2", "login_link", "login_throttling", "saml",
        "simple_preauth", "stateless_token", "api_key", "fos_oauth", "oauth_resource_server",
    }
)  # fmt: skip


def _open_firewall(wall: dict[str, Any]) -> str | None:
    """The path pattern of a firewall that lets anyone through (`security: false`, or Symfony < 6's
    `anonymous: ~` on a firewall that signs nobody in), unless it is the site root, the debug toolbar or
    assets."""
    pattern = str(wall.get("pattern", "") or "")
    anonymous = "anonymous" in wall and wall.get("anonymous") is not False
    opened = wall.get("security") is False or (anonymous and not _AUTHENTICATORS.intersection(wall))
    if not opened or not pattern or _prefix(pattern) == "/" or _ASSETS.search(pattern):
        return None
    return pattern


def extract_access_control(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if posixpath.basename(path) not in ("security.yaml", "security.yml") or (
        "access_control" not in text and "firewalls" not in text
    ):
        return out
    text = text[:MAX_FILE_CHARS]
    try:
        docs = list(yaml.safe_load_all(text))
    except (ValueError, RecursionError, yaml.YAMLError):
        # Symfony's own parser reads `ips: [127.0.0.1, ::1]`; YAML 1.1 does not until the address is quoted
        try:
            docs = list(yaml.safe_load_all(_BARE_IPV6.sub(r'"\1"', text)))
        except (ValueError, RecursionError, yaml.YAMLError):
            return out
    parameters = {
        str(k): str(v)
        for doc in docs
        if isinstance(doc, dict) and isinstance(doc.get("parameters"), dict)
        for k, v in doc["parameters"].items()
        if isinstance(v, str)
    }
    # `api_doc: {pattern: ^/api/docs, anonymous: ~}`: a firewall of its own that asks nobody to sign in
    for pattern in (p for doc in docs for wall in _firewalls(doc) if (p := _open_firewall(wall))):
        at = line_of(text, max(0, text.find(pattern)))
        for each in _spelled_out(_resolved(pattern, parameters)):
            literal = re.sub(r"\$$", "", _prefix(each))
            key = allowlist.entry_key(literal) or literal
            out.routes.append(
                RawRoute(allowlist.KIND, "ANY", key, at, UNAUTHENTICATED, (f"{allowlist.LISTED}firewalls",))
            )
    for rule in (r for doc in docs for r in _rules(doc)):
        written = str(rule.get("path", ""))
        pattern = _resolved(written, parameters)
        roles_value = rule.get("roles", rule.get("role", ""))
        roles = [str(r) for r in roles_value] if isinstance(roles_value, list) else [str(roles_value)]
        if not written or all(r in _DENY_ROLES for r in roles):
            continue  # (`role: ROLE_NO_ACCESS` refuses everyone: it serves nothing)
        if set(roles) & _OPEN_ROLES and (rule.get("ips") or rule.get("host")):
            continue  # open to the listed addresses or host only (`ips: [127.0.0.1, ::1]`), not to everyone
        at = line_of(text, max(0, text.find(written)))
        if set(roles) & _OPEN_ROLES:
            # An exemption: what it names is reachable without signing in; each alternative names a path.
            for each in _spelled_out(pattern):
                literal = re.sub(r"\$$", "", _prefix(each) if _prefix(each) != "/" else each.lstrip("^"))
                key = allowlist.entry_key(literal) or literal
                out.routes.append(
                    RawRoute(
                        allowlist.KIND,
                        "ANY",
                        key,
                        at,
                        UNAUTHENTICATED,
                        (f"{allowlist.LISTED}access_control",),
                    )
                )
        elif any(roles):
            why = (f"access_control roles {', '.join(roles)}",)
            out.routes.append(
                RawRoute("http", "ANY", join_paths(_prefix(pattern), "**"), at, AUTHENTICATED, why)
            )
    return out


_DASHBOARD_CONFIG = {
    "horizon.php": "Laravel Horizon",
    "telescope.php": "Laravel Telescope",
    "pulse.php": "Laravel Pulse",
}
_PATH_KEY = re.compile(
    r"""['"]path['"]\s*=>\s*(?:env\s*\(\s*['"][\w]+['"]\s*,\s*)?['"]([^'"\n]{0,200})['"]"""
)


def extract_dashboard_config(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    name = _DASHBOARD_CONFIG.get(posixpath.basename(path))
    if name is None or posixpath.basename(posixpath.dirname(path)) != "config":
        return out
    m = _PATH_KEY.search(text[:MAX_FILE_CHARS])
    if m is not None:
        route = join_paths(m.group(1), "**")
        out.routes.append(
            RawRoute("http", "ANY", route, line_of(text, m.start()), UNKNOWN, (OPS_DASHBOARD + name,))
        )
    return out
