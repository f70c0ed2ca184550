"""Management endpoints exposed in configuration (`application*.properties` / `.yml`), not code: Spring Boot's
actuator exposure, and per-endpoint `endpoints.<name>.sensitive: false` (Micronaut, Spring Boot 1), which
serves that endpoint to anonymous callers."""

from __future__ import annotations

import posixpath
import re
from typing import Any

import yaml

from .model import MAX_FILE_CHARS, OPS_DASHBOARD, UNAUTHENTICATED, UNKNOWN, join_paths
from .routes import FileRoutes, RawRoute

_CONFIG_NAME = re.compile(r"^(?:application|bootstrap)(?:[-.][\w-]+)?\.(?:properties|ya?ml)$")
_PROPERTY = re.compile(r"^[ \t]*([\w.\-\[\]]+)[ \t]*[=:][ \t]*([^\n]*)$", re.M)
_ENABLED = re.compile(r"management\.endpoint\.([\w-]+)\.enabled")
_SENSITIVE = re.compile(r"endpoints\.([\w-]+)\.sensitive")
# Exposed over HTTP without any configuration: exposing them again is no growth.
_DEFAULT_EXPOSED = {"health", "info"}


# A Spring Cloud Config server serves each application's configuration by its name
# (`config-service/src/main/resources/config/employee-service.yml`): the same keys, another file name.
_SERVED_CONFIG = re.compile(r"(?:^|/)(?:config|configs|config-repo)/[\w.-]+\.(?:properties|ya?ml)$")


def _service(path: str) -> str:
    """`/{auth-service}` for the file a config server serves to that one application, so its management
    endpoints are its own and not another service's of the same repository; "" for a shared file."""
    name = posixpath.basename(path)
    if _CONFIG_NAME.match(name) is not None or _SERVED_CONFIG.search(path) is None:
        return ""
    return "/{" + name.rsplit(".", 1)[0] + "}"


def is_spring_config(path: str, text: str = "") -> bool:
    if _CONFIG_NAME.match(posixpath.basename(path)) is not None:
        return True
    return _SERVED_CONFIG.search(path) is not None and "management" in text[:MAX_FILE_CHARS]


def _flatten(node: Any, prefix: str, out: dict[str, str], budget: list[int]) -> None:
    if budget[0] <= 0:
        return
    budget[0] -= 1
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out, budget)
    elif isinstance(node, list):
        out[prefix] = ",".join(str(x) for x in node)
    elif node is not None:
        out[prefix] = str(node).lower() if isinstance(node, bool) else str(node)


_MAVEN_PLACEHOLDER = re.compile(r"(:[ \t]+)(@[\w.-]{1,100}@)(?=[ \t]*(?:#|$))", re.M)


def _properties(path: str, text: str) -> dict[str, str]:
    text = text[:MAX_FILE_CHARS]
    if path.endswith(".properties"):
        return {m.group(1): m.group(2).strip() for m in _PROPERTY.finditer(text)}
    out: dict[str, str] = {}
    # Maven resource filtering (`level: @logging.level@`) fills these in at build time; YAML reserves `@`.
    text = _MAVEN_PLACEHOLDER.sub(r'\1"\2"', text)
    try:
        for doc in yaml.safe_load_all(text):
            _flatten(doc, "", out, [10_000])
    except (ValueError, RecursionError, yaml.YAMLError):
        return {}
    return out


def _line(text: str, key: str) -> int:
    leaf = key.rsplit(".", 1)[-1]
    for n, line in enumerate(text.splitlines(), 1):
        if key in line or line.strip().startswith(leaf + ":"):
            return n
    return 1


def extract_spring_config(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if not is_spring_config(path, text):
        return out
    props = _properties(path, text)
    # Where actuator is served (base-path) moves it without changing what it exposes: one key for all.
    service = _service(path)
    base = service + "/actuator"
    include_key = "management.endpoints.web.exposure.include"
    exclude = {e.strip() for e in props.get("management.endpoints.web.exposure.exclude", "").split(",")}
    included = {e.strip() for e in props.get(include_key, "").split(",")} - {""}
    # `management.endpoints.enabled-by-default=false`: an endpoint exposed on the web answers only once switched
    # on by its own `management.endpoint.<name>.enabled=true`
    off_by_default = props.get("management.endpoints.enabled-by-default", "").lower() == "false"
    for name in sorted(included):
        if name in _DEFAULT_EXPOSED or name in exclude:
            continue
        if off_by_default and props.get(f"management.endpoint.{name}.enabled", "").lower() != "true":
            continue
        # `*` publishes every endpoint (one segment under the base path); Boot 1's switched-off security
        # below is another setting with another key.
        route = join_paths(base, name)
        reason = f"{include_key}={name}"
        out.routes.append(RawRoute("http", "ANY", route, _line(text, include_key), UNKNOWN, (reason,)))
    # An endpoint switched on (`management.endpoint.chaosmonkey.enabled: true`) where web exposure covers it.
    for key, value in props.items():
        m = _ENABLED.fullmatch(key)
        if m is None or value.lower() != "true" or m.group(1) in _DEFAULT_EXPOSED or m.group(1) in exclude:
            continue
        if "*" in included and m.group(1) not in included:
            route = join_paths(base, m.group(1))
            out.routes.append(RawRoute("http", "ANY", route, _line(text, key), UNKNOWN, (f"{key}=true",)))
    # `endpoints.caches.sensitive: false`: that management endpoint answers anonymous callers (`all`: every one).
    for key, value in props.items():
        m = _SENSITIVE.fullmatch(key)
        if m is None or value.lower() != "false" or m.group(1) in _DEFAULT_EXPOSED:
            continue
        if props.get(f"endpoints.{m.group(1)}.enabled", "").lower() == "false":
            continue
        name = "**" if m.group(1) == "all" else m.group(1)
        reasons = (f"{key}=false", f"{OPS_DASHBOARD}management endpoint {m.group(1)}")
        route = f"{service}/{name}"
        out.routes.append(RawRoute("http", "ANY", route, _line(text, key), UNAUTHENTICATED, reasons))
    for key in ("management.security.enabled", "endpoints.sensitive"):
        value = props.get(key, "").lower()
        if (key == "management.security.enabled" and value == "false") or (
            key == "endpoints.sensitive" and value == "false"
        ):
            route = join_paths(base, "**")
            out.routes.append(
                RawRoute("http", "ANY", route, _line(text, key), UNAUTHENTICATED, (f"{key}=false",))
            )
    return out
