"""Metrics endpoints a Node.js plugin serves without a route of the project's own: fastify-metrics
(`app.register(metrics, { endpoint: '/metrics' })`) and express-prom-bundle (`app.use(promBundle({ metricsPath
}))`), each at `/metrics` unless its options name another path (`endpoint: null` serves none)."""

from __future__ import annotations

import itertools
import re

from .diagnostics import SERVES
from .model import MAX_FILE_CHARS, UNAUTHENTICATED, line_of
from .routes import FileRoutes, RawRoute
from .scan import balanced

_PACKAGES = {"fastify-metrics": "endpoint", "express-prom-bundle": "metricsPath"}
_BOUND = re.compile(
    r"(?:import\s+(?:\{\s*default\s+as\s+([\w$]+)\s*\}|([\w$]+))\s+from\s+"
    r"|(?:const|let|var)\s+([\w$]+)\s*=\s*require\(\s*)['\"](fastify-metrics|express-prom-bundle)['\"]"
)
MAX_USES = 20


def mentions_js_metrics(text: str) -> bool:
    return "fastify-metrics" in text or "express-prom-bundle" in text


def extract_js_metrics(path: str, text: str) -> FileRoutes:
    out = FileRoutes()
    if not mentions_js_metrics(text):
        return out
    text = text[:MAX_FILE_CHARS]
    for bound in itertools.islice(_BOUND.finditer(text), MAX_USES):
        name = bound.group(1) or bound.group(2) or bound.group(3)
        package = bound.group(4)
        # fastify's plugin is registered (`.register(metrics, {…})`); the express middleware is called
        use = r"\.register\s*\(\s*" + re.escape(name) + r"\b" if package == "fastify-metrics" else None
        call = re.compile(use or r"(?<![\w$.])" + re.escape(name) + r"\s*\(")
        for m in itertools.islice(call.finditer(text, bound.end()), MAX_USES):
            args = balanced(text, text.find("(", m.start()))
            option = re.search(
                _PACKAGES[package] + r"\s*:\s*(?:['\"`]([^'\"`\n]{1,200})['\"`]|(null|false)\b)", args
            )
            if option is not None and option.group(2):
                continue  # the endpoint turned off
            served = option.group(1) if option is not None and option.group(1).startswith("/") else "/metrics"
            reason = f"{SERVES}Prometheus metrics ({package})"
            out.routes.append(
                RawRoute("http", "GET", served, line_of(text, m.start()), UNAUTHENTICATED, (reason,))
            )
    return out
