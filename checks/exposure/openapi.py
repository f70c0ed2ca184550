"""OpenAPI 2/3 documents (YAML or JSON): `paths`, `servers`/`basePath`, `security`, `x-internal`."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from .model import AUTHENTICATED, MAX_FILE_CHARS, UNAUTHENTICATED, join_paths
from .routes import FileRoutes, RawRoute

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _load(path: str, text: str) -> Any:
    if len(text) > MAX_FILE_CHARS:
        return None
    try:
        if path.endswith(".json"):
            return json.loads(text)
        return yaml.safe_load(text)
    except (ValueError, RecursionError, yaml.YAMLError):
        return None


def _line_index(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip().strip(",").rstrip(":").strip().strip("'\"")
        if s.startswith("/") and s not in out:
            out[s] = n
    return out


# Written by a generator from code annotations or protos: the code declares these routes, not the file.
# Besides generator banners, vendor keys only tools write: go-swagger's `x-go-*` and `x-omitempty` (a Go
# struct tag), and the keys a Swagger 2 → OpenAPI 3 converter adds to the document it converts.
_GENERATED = re.compile(
    r"[\"']?x-(?:go-(?:name|package|enum-desc)|originalParamName|codegen-request-body-name)[\"']?\s*:"
    r"|protoc-gen-openapiv2"
)
_OMITEMPTY = re.compile(r"[\"']?x-omitempty[\"']?\s*:")
# A generator's banner heads the document, before its paths; the same words on one schema deeper in
# (`# Generated from internal structs. DO NOT EDIT.`) mark that schema, not the paths written by hand.
_BANNER = re.compile(
    r"DO NOT EDIT|openapi-generator|@generated\b"
    r"|(?i:\b(?:code|file|document|spec|this|was|is)\s+(?:is\s+|was\s+|has\s+been\s+)?(?:auto-?)?generated\s+"
    r"(?:by|from|with|using)\b)"
    r"|(?im:^\s*(?:#|//|\*|/\*)\s*(?:auto-?generated|generated)\b)"
)
BANNER_CHARS = 2_000
_PATHS_KEY = re.compile(r"^[\"']?paths[\"']?\s*:|\"paths\"\s*:", re.MULTILINE)


# swaggo writes Swagger 2 from Go handler comments and names each model by its Go package and type
# (`handler.ParamsCommentCreate`); a hand-written document names its models plainly.
_GO_QUALIFIED = re.compile(r"[a-z][a-z0-9_]*\.[A-Z]\w*")


def _generated_from_code(doc: dict[str, Any]) -> bool:
    # protoc-gen-openapiv2 titles a document after the proto file it read when the proto names no title
    info = doc.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    if isinstance(title, str) and title.strip().endswith(".proto"):
        return True
    models = doc.get("definitions")
    if not isinstance(models, dict) or not models:
        return False
    qualified = sum(1 for name in models if isinstance(name, str) and _GO_QUALIFIED.fullmatch(name))
    return qualified * 2 > len(models)


# A vendor key that says who may call the operation (`x-required-role: admin`, `x-roles: [operator]`,
# `x-permissions: [...]`): the generated server enforces it.
_ROLE_KEY = re.compile(r"^x-(?:required-|allowed-|auth-)?(?:roles?|permissions?|scopes?)$", re.IGNORECASE)


# An operation the document says only a privileged caller may use: "Requires admin access.", "Admin only."
_SAYS_PRIVILEGED = re.compile(
    r"(?i)\b(?:requires?|needs?)\s+(?:an?\s+)?(admin(?:istrator)?|superuser|root|system[- ]admin)\s+"
    r"(?:access|privileges?|rights|role|permissions?|credentials)\b"
    r"|\b(admin(?:istrator)?s?|superusers?)[- ]only\b"
)


def _documented_role(op: dict[str, object]) -> str:
    for key in ("summary", "description"):
        text = op.get(key)
        m = _SAYS_PRIVILEGED.search(text[:2000]) if isinstance(text, str) else None
        if m is not None:
            return f"{key} says: {m.group(0)}"
    return ""


def _required_roles(node: dict[str, object]) -> str:
    for key, value in node.items():
        if not isinstance(key, str) or _ROLE_KEY.match(key) is None:
            continue
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        named = ", ".join(str(n) for n in names[:16] if isinstance(n, (str, int)))
        if named:
            return f"{key} {named}"
    return ""


def extract_openapi(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    paths_at = _PATHS_KEY.search(text, 0, BANNER_CHARS)  # (a banner is looked for no further anyway)
    head = paths_at.start() if paths_at else BANNER_CHARS
    generated = _GENERATED.search(text, 0, MAX_FILE_CHARS) or _BANNER.search(text, 0, head)
    # go-swagger's `x-omitempty` in JSON is `swagger generate spec`'s output (ory/kratos' spec/swagger.json); in
    # a YAML document it is a hint written by hand for the server go-swagger generates from it (openziti)
    if generated or (path.endswith(".json") and _OMITEMPTY.search(text, 0, MAX_FILE_CHARS)):
        return out
    doc = _load(path, text)
    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict) or _generated_from_code(doc):
        return out
    base = doc.get("basePath") if isinstance(doc.get("basePath"), str) else ""
    servers = doc.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = str(servers[0].get("url", ""))
        base = (
            "/" + url.split("://", 1)[-1].split("/", 1)[1]
            if "://" in url and url.count("/") > 2
            else (url if url.startswith("/") else "")
        )
    global_security = doc.get("security")
    lines = _line_index(text)
    for route, item in doc["paths"].items():
        if not isinstance(item, dict) or not isinstance(route, str):
            continue
        for method in _METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            security = op.get("security", global_security)
            # Marks a description that may mirror code: it never overrides what code declares.
            reasons: list[str] = ["declared in an OpenAPI document"]
            if security:
                names = sorted({k for req in security if isinstance(req, dict) for k in req})
                reasons.append("security " + ", ".join(names))
            if op.get("x-internal") or item.get("x-internal"):
                reasons.append("x-internal: true")
            roles = _required_roles(op) or _required_roles(item) or _documented_role(op)
            if roles:
                reasons.append(roles)
            auth = AUTHENTICATED if security or roles else UNAUTHENTICATED
            out.routes.append(
                RawRoute(
                    "http",
                    method.upper(),
                    join_paths(base or "", route),
                    lines.get(route, 1),
                    auth,
                    tuple(reasons),
                )
            )
    return out
