"""Issue 14: router groups read on real code. macaron/Gitea groups take a closure with no router parameter;
the routes inside are the receiver's own, under the group's path, and the middleware after the closure guards
them. Laravel's `Registrar $router` groups read like the `Route::` facade. Snippets written for this test."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

WEB = """package cmd

func runWeb() {
	m := macaron.New()
	reqSignIn := context.Toggle(&context.ToggleOptions{SignInRequired: true})
	adminReq := context.Toggle(&context.ToggleOptions{SignInRequired: true, AdminRequired: true})

	m.Get("/", ignSignIn, home.Home)
	m.Group("/admin", func() {
		m.Get("", admin.Dashboard)
		m.Group("/repos", func() {
			m.Get("", admin.Repos)
%s		})
	}, adminReq)
	m.Group("/user/settings", func() {
		m.Get("", user.Settings)
%s	}, reqSignIn)
}
"""


def web(admin: str = "", settings: str = "") -> dict[str, str]:
    return {"internal/cmd/web.go": WEB % (admin, settings)}


def test_closure_groups_prefix_their_routes_and_guard_them_with_the_trailing_middleware() -> None:
    found = {(ep.method, ep.path): ep for ep in extract(web())}
    assert set(found) == {("GET", "/"), ("GET", "/admin"), ("GET", "/admin/repos"), ("GET", "/user/settings")}
    assert "m.Group(adminReq)" in found[("GET", "/admin/repos")].reasons
    assert "m.Group(reqSignIn)" in found[("GET", "/user/settings")].reasons
    assert found[("GET", "/")].auth != "authenticated"


def test_an_admin_route_added_inside_a_closure_group_grows_and_a_settings_page_does_not() -> None:
    delete = '\t\t\tm.Post("/delete", admin.DeleteRepo)\n'
    assert grown(web(), web(admin=delete)) == {("added", "POST", "/admin/repos/delete")}
    avatar = '\t\tm.Post("/avatar", user.AvatarPost)\n'
    assert grown(web(), web(settings=avatar)) == set()


ROUTES_PHP = """<?php

namespace Shop\\Http\\Routes;

use Illuminate\\Contracts\\Routing\\Registrar;

class DashboardRoutes
{
    public function map(Registrar $router)
    {
        $router->group(['middleware' => 'auth', 'prefix' => 'console'], function ($router) {
            $router->get('/', 'HomeController@index');
            $router->group(['prefix' => 'members'], function ($router) {
                $router->get('/', 'MemberController@index');
                $router->group(['middleware' => 'admin'], function ($router) {
                    $router->post('add', 'MemberController@add');
%s                });
            });
        });
    }
}
"""


def test_a_registrar_router_handed_to_a_route_class_is_read_like_the_route_facade() -> None:
    """Laravel's `Registrar $router` (and Lumen's `$router`): groups, prefixes and middleware as `Route::`."""
    base = {"app/Http/Routes/DashboardRoutes.php": ROUTES_PHP % ""}
    found = {(ep.method, ep.path): ep for ep in extract(base)}
    assert set(found) == {("GET", "/console"), ("GET", "/console/members"), ("POST", "/console/members/add")}
    assert found[("POST", "/console/members/add")].reasons == ("middleware auth", "middleware admin")
    head = {
        "app/Http/Routes/DashboardRoutes.php": ROUTES_PHP
        % "                    $router->delete('{member}', 'MemberController@delete');\n"
    }
    assert grown(base, head) == {("added", "DELETE", "/console/members/{member}")}


CI_ROUTES = """<?php

use CodeIgniter\\Router\\RouteCollection;

/** @var RouteCollection $routes */
$routes->get('/', 'Home::index');
$routes->get('profile', 'Profile::show', ['filter' => 'auth']);
$routes->group('console', ['filter' => 'auth:admin'], static function ($routes) {
    $routes->get('users', 'Console\\Users::index');
%s});
"""


def test_codeigniter_routes_groups_and_filters() -> None:
    base = {"app/Config/Routes.php": CI_ROUTES % ""}
    found = {(ep.method, ep.path): ep for ep in extract(base)}
    assert set(found) == {("GET", "/"), ("GET", "/profile"), ("GET", "/console/users")}
    assert found[("GET", "/profile")].reasons == ("filter auth",)
    assert found[("GET", "/console/users")].reasons == ("middleware auth:admin",)
    head = {"app/Config/Routes.php": CI_ROUTES % "    $routes->post('purge', 'Console\\Cache::purge');\n"}
    assert grown(base, head) == {("added", "POST", "/console/purge")}
