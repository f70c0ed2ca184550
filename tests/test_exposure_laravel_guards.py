"""Laravel controllers' own guards reach the routes that name their actions."""

from __future__ import annotations

from checks.exposure import compare, extract
from checks.exposure.laravel_guards import handler_of
from tests.exposure_growth import grown

ROUTES = "<?php\nRoute::get('books', [BookApiController::class, 'list']);\n"

AUDIT = """<?php
namespace App\\Api;

class AuditApiController extends ApiController
{
    public function list()
    {
        $this->checkPermission('settings-manage');
        return $this->apiListingResponse();
    }
}
"""

TRASH = """<?php
class TrashApiController extends ApiController
{
    public function __construct()
    {
        $this->middleware(function ($request, $next) {
            $this->checkPermission('users-manage');
            return $next($request);
        });
    }

    public function list() { return []; }
}
"""

EXPORT = """<?php
class ExportApiController extends ApiController
{
    public function markdown(int $id)
    {
        $this->checkPermission('content-export');
        return '';
    }
}
"""


def test_handler_ids_from_either_action_spelling() -> None:
    assert handler_of("'x', [Api\\AuditApiController::class, 'list']") == "php:AuditApiController#list"
    assert handler_of("'x', 'AuditApiController@list'") == "php:AuditApiController#list"
    assert handler_of("'x', function () {}") == ""


def _head(route: str, controller: tuple[str, str]) -> dict[str, str]:
    return {"routes/api.php": ROUTES + route, controller[0]: controller[1]}


def test_action_and_constructor_permission_checks_guard_the_route() -> None:
    base = {"routes/api.php": ROUTES}
    audit = _head(
        "Route::get('audit', [AuditApiController::class, 'list']);\n", ("app/AuditApiController.php", AUDIT)
    )
    assert compare(base, audit).grows
    trash = _head(
        "Route::get('trash', [TrashApiController::class, 'list']);\n", ("app/TrashApiController.php", TRASH)
    )
    assert compare(base, trash).grows
    eps = {e.path: e for e in extract(trash)}
    assert eps["/trash"].auth == "authenticated"


def test_an_ordinary_permission_is_not_privileged() -> None:
    base = {"routes/api.php": ROUTES}
    head = _head(
        "Route::get('export/{id}', [ExportApiController::class, 'markdown']);\n", ("app/E.php", EXPORT)
    )
    delta = compare(base, head)
    assert not delta.grows and [f.change for f in delta.findings] == ["added"]


def test_guest_and_throttle_middleware_guard_nothing() -> None:
    guest = "<?php\nclass LoginController\n{\n    public function __construct()\n    {\n        $this->middleware('guest');\n    }\n}\n"
    head = {
        "routes/api.php": ROUTES + "Route::get('login', [LoginController::class, 'show']);\n",
        "app/L.php": guest,
    }
    assert {e.path: e.auth for e in extract(head)}["/login"] == "unauthenticated"


ROUTES_WITH_VARIABLE = """<?php
$middleware = ['auth:api', 'validemail'];

Route::group(['prefix' => 'api'], function () use ($middleware) {
    Route::get('live/chat', 'LiveController@chat')->middleware($middleware);
    Route::get('live/config', 'LiveController@config')->middleware($middleware);
});

Route::group(['prefix' => 'api/v2', 'middleware' => $middleware], function () {
    Route::get('feed', 'FeedController@index');
});
"""


def test_middleware_named_by_a_variable_of_the_file_guards_its_routes() -> None:
    eps = {(e.method, e.path, e.auth) for e in extract({"routes/api.php": ROUTES_WITH_VARIABLE})}
    assert eps == {
        ("GET", "/api/live/chat", "authenticated"),
        ("GET", "/api/live/config", "authenticated"),
        ("GET", "/api/v2/feed", "authenticated"),
    }
    head = ROUTES_WITH_VARIABLE.replace(
        "'LiveController@config')->middleware($middleware)", "'LiveController@config')"
    )
    assert grown({"routes/api.php": ROUTES_WITH_VARIABLE}, {"routes/api.php": head}) == {
        ("widened", "GET", "/api/live/config")
    }
