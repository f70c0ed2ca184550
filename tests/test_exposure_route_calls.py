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


HELPER = """const { setupApiRoute } = require('../helpers');

module.exports = function () {
  const middlewares = [middleware.ensureLoggedIn];

  setupApiRoute(router, 'get', '/', [...middlewares], controllers.list);
  setupApiRoute(router, 'post', '/', [...middlewares, middleware.checkRequired], controllers.create);
  setupApiRoute(router, 'get', '/:id', [], controllers.get);
};
"""


def test_route_helpers_taking_the_method_read_spread_middleware_constants() -> None:
    eps = {(e.method, e.path, e.auth) for e in extract({"src/routes/write/items.js": HELPER})}
    assert eps == {
        ("GET", "/", "authenticated"),
        ("POST", "/", "authenticated"),
        ("GET", "/{id}", "unauthenticated"),
    }


def test_middleware_dropped_from_a_helper_route_widens_it() -> None:
    head = HELPER.replace(
        "setupApiRoute(router, 'get', '/', [...middlewares], ", "setupApiRoute(router, 'get', '/', "
    )
    delta = compare({"src/routes/write/items.js": HELPER}, {"src/routes/write/items.js": head})
    assert [(f.change, f.endpoint.method, f.endpoint.path) for f in delta.findings] == [
        ("widened", "GET", "/")
    ]


def test_calls_not_named_for_routes_are_not_routes() -> None:
    text = "logEvent(bus, 'get', '/x', handler);\nfetchJson('post', '/api/y', body);\n"
    assert extract({"src/events.js": text}) == ()
