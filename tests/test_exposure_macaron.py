"""Issue 14: macaron/Gitea groups take a closure with no router parameter; the routes inside are the
receiver's own, under the group's path, and the middleware after the closure guards them. Snippets written
for this test."""

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
