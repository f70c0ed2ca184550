"""Routes declared as `route(METHOD, path, ...middleware, handler)`."""

from __future__ import annotations

from checks.exposure import compare, extract

ROUTER = """import Router from '../Router';
import * as middleware from '../middlewares';

export class HooksRouter extends Router {
  mountRoutes() {
    this.route('GET', '/hooks', (req) => this.list(req));
  }
}
"""


def test_method_first_route_calls_with_their_middleware() -> None:
    head = ROUTER.replace(
        "  }\n}",
        "    this.route('DELETE', '/wipe/:table', middleware.enforceMasterKey, (req) => this.wipe(req));\n  }\n}",
    )
    eps = {(e.method, e.path, e.auth) for e in extract({"src/Routers/HooksRouter.js": head})}
    assert eps == {("GET", "/hooks", "unauthenticated"), ("DELETE", "/wipe/{table}", "authenticated")}
    delta = compare({"src/Routers/HooksRouter.js": ROUTER}, {"src/Routers/HooksRouter.js": head})
    assert delta.grows  # the master key is a privileged credential


def test_inline_check_replaced_by_the_same_middleware_only_narrows() -> None:
    base = ROUTER.replace("'/hooks'", "'/push'")
    head = base.replace("(req) => this.list(req)", "middleware.enforceMasterKey, (req) => this.list(req)")
    delta = compare({"src/Routers/PushRouter.js": base}, {"src/Routers/PushRouter.js": head})
    assert not delta.grows and [f.change for f in delta.findings] == ["narrowed"]
