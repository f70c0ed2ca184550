"""Flask-RESTful: `api.add_resource(UserResource, "/users/<id>")` routes a class; its methods are the verbs.

The resource class is often declared in another module than the `add_resource` call, so the class's guards
(`@require_admin` on a method, `method_decorators = [...]`) are published under the class name for the route
to meet across files.
"""

from __future__ import annotations

import re

from .model import ACCEPTS, MAX_FILE_CHARS, UNAUTHENTICATED, line_of, normalize_path
from .routes import FileRoutes, RawRoute
from .scan import AUTH_WORDS, balanced, split_args, strings

_ADD = re.compile(r"\b\w+\s*\.\s*add_\w*resource\s*\(")
_CLASS = re.compile(r"^class[ \t]+(\w+)[ \t]*\(([^)\n]{0,200})\)[ \t]*:", re.M)
_JSONAPI_ROUTE = re.compile(
    r"\b\w+\s*\.\s*route\s*\(\s*(?:\w+\.)*([A-Z]\w{0,80})\s*,\s*['\"][\w.-]{1,120}['\"]\s*,"
)
# A verb method of a resource or handler class, with the decorators above it (Flask-RESTful, Tornado).
VERB_DEF = re.compile(
    r"^((?:[ \t]+@[^\n]{1,300}\n){0,8})[ \t]+(?:async[ \t]+)?def[ \t]+(get|post|put|patch|delete|head|options)\b",
    re.M,
)


def verb_decorator_guards(verb: re.Match[str]) -> list[str]:
    """The guards a `VERB_DEF` match's own decorators name: `decorator @login_required on get`."""
    return [
        f"decorator @{name} on {verb.group(2)}"
        for name in re.findall(r"@[ \t]*([\w.]+)", verb.group(1))
        if AUTH_WORDS.search(name)
    ]


_DECORATORS_ATTR = re.compile(r"^[ \t]+(?:method_)?decorators[ \t]*=[ \t]*([\[({])", re.M)


_RBAC_ALLOW = re.compile(r"\brbac\.allow\s*\(\s*(?=\[)")
_API_SETUP = re.compile(r"\bBlueprint\s*\(|\bApi\s*\(|_api_from_blueprint\s*\(")
_ROUTE_TUPLE = re.compile(
    r"""\(\s*['"](/[^'"\n]{0,300})['"]\s*,\s*(?:[\w]+\.)*([A-Z]\w*Resource)\s*,?\s*\)"""
)


def extract_flask_restful(path: str, text: str) -> FileRoutes:
    text = text[:MAX_FILE_CHARS]
    out = FileRoutes()
    for m in _ADD.finditer(text):
        args = split_args(balanced(text, m.end() - 1))
        if len(args) < 2 or not re.fullmatch(r"[\w.]+", args[0]):
            continue
        handler = "py:" + args[0].rsplit(".", 1)[-1]
        for arg in args[1:]:
            if "=" in arg.split("(", 1)[0]:
                continue  # endpoint=, strict_slashes=…
            for route in strings(arg)[:1]:
                if route.startswith("/"):
                    line = line_of(text, m.start())
                    out.routes.append(
                        RawRoute("http", "ANY", normalize_path(route), line, UNAUTHENTICATED, (), "", handler)
                    )
    # flask-rest-jsonapi: `api.route(DiscountCodeDetail, 'discount_code_detail', '/discount-codes/<int:id>',
    # '/events/<int:event_id>/discount-code')`: a resource class, its endpoint name, then its paths.
    for m in _JSONAPI_ROUTE.finditer(text):
        args = split_args(balanced(text, text.index("(", m.start())))
        handler = "py:" + m.group(1)
        line = line_of(text, m.start())
        for arg in args[2:]:
            for route in strings(arg)[:1]:
                if route.startswith("/") and "=" not in arg.split("(", 1)[0]:
                    out.routes.append(
                        RawRoute("http", "ANY", normalize_path(route), line, UNAUTHENTICATED, (), "", handler)
                    )
    # `routes = [("/admin/config/check", ConfigCheckResource), …]` handed to an Api with its blueprint.
    if _API_SETUP.search(text):
        for t in _ROUTE_TUPLE.finditer(text):
            line = line_of(text, t.start())
            handler = "py:" + t.group(2)
            route = normalize_path(t.group(1))
            out.routes.append(RawRoute("http", "ANY", route, line, UNAUTHENTICATED, (), "", handler))
    classes = list(_CLASS.finditer(text))
    for i, c in enumerate(classes):
        end = classes[i + 1].start() if i + 1 < len(classes) else len(text)
        body = text[c.end() : end]
        attr = _DECORATORS_ATTR.search(body)
        # a resource by its base, or any class of a project's own service base that lists decorators
        if "Resource" not in c.group(2) and attr is None:
            continue
        reasons = [r for d in VERB_DEF.finditer(body) for r in verb_decorator_guards(d)]
        if attr is not None:
            listed = balanced(body, attr.end() - 1)
            reasons += [
                f"method_decorators {n}"
                for n in re.findall(r"[\w.]+", re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "", listed))
                if AUTH_WORDS.search(n)
            ]
            # Flask-RBAC: `rbac.allow(["Admin"], ["GET", "POST"]), rbac.allow(["View"], ["GET"])`: any one
            # of the roles listed passes.
            roles = [r for a in _RBAC_ALLOW.finditer(listed) for r in strings(balanced(listed, a.end()))]
            if roles:
                reasons.append("decorators rbac.allow " + ACCEPTS + ", ".join(dict.fromkeys(roles)))
        if reasons:
            out.guards.setdefault(f"py:{c.group(1)}", []).extend(reasons)
    return out
