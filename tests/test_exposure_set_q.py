"""Issue 14: idioms read from set Q's misses, each as a minimal snippet written for this test."""

from __future__ import annotations

from checks.exposure.extract import extract
from tests.exposure_growth import grown


def _laravel_routes(groups: int, last: str) -> str:
    siblings = "\n".join(
        f"    Route::prefix('p{i}')->group(function (): void {{\n"
        f"        Route::name('p{i}.')->group(function (): void {{\n"
        f"            Route::get('/', [C{i}::class, 'index'])->name('index');\n"
        "        });\n    });"
        for i in range(groups)
    )
    return (
        "<?php\nRoute::prefix('staff')->middleware(['auth', 'admin'])->group(function (): void {\n"
        f"{siblings}\n{last}\n}});\n"
    )


def test_a_laravel_route_file_with_hundreds_of_groups_keeps_every_group_prefix_and_guard() -> None:
    path = "routes/web.php"
    added = (
        "    Route::prefix('history')->group(function (): void { Route::get('/', [H::class, 'index']); });"
    )
    base, head = _laravel_routes(150, ""), _laravel_routes(150, added)
    last = [e for e in extract({path: head}) if e.path == "/staff/history"]
    assert last and last[0].auth == "authenticated"
    assert grown({path: base}, {path: head}) == {("added", "GET", "/staff/history")}


PHOENIX = """defmodule AppWeb.Router do
  use AppWeb, :router

  pipeline :browser do
    plug :fetch_session
  end

  scope "/public", AppWeb do
    pipe_through :browser
    get "/health", HealthController, :index
%s  end

  live_session :admin, on_mount: [{AppWeb.UserAuth, :ensure_admin}] do
    scope "/admin", AppWeb do
      pipe_through [:browser]
%s    end
  end

  live_session :default, on_mount: [AppWeb.AuthHook] do
    scope "/", AppWeb do
      pipe_through [:browser]
      live "/", HomeLive, :page
%s    end
  end
end
"""
INPUT = '      get "/sessions/input/:token", SessionController, :show_input\n'


def test_live_session_hooks_guard_the_routes_inside_them() -> None:
    path = "lib/app_web/router.ex"
    base = {path: PHOENIX % ("", "", "")}
    crawl = '      if Code.ensure_loaded?(App.CrawlLive) do\n        live "/crawl", CrawlLive\n      end\n'
    routes = {e.path: e for e in extract({path: PHOENIX % ("", crawl, "")})}
    assert routes["/admin/crawl"].auth == "authenticated"
    assert any("ensure_admin" in r for r in routes["/admin/crawl"].reasons)
    assert routes["/"].auth == "authenticated"
    assert grown(base, {path: PHOENIX % ("", crawl, "")}) == {("added", "GET", "/admin/crawl")}


def test_an_action_moved_in_one_file_from_an_authenticated_scope_to_a_public_one_is_widened() -> None:
    path = "lib/app_web/router.ex"
    before = {path: PHOENIX % ("", "", INPUT)}
    after = {path: PHOENIX % (INPUT.replace("/sessions", "/sessions"), "", "")}
    assert grown(before, after) == {("widened", "GET", "/public/sessions/input/{token}")}
    # Moved between two authenticated scopes, or moved back: no widening.
    assert grown(after, before) == set()
    both = {path: PHOENIX % ("", INPUT.replace("/sessions", "/s"), INPUT)}
    assert grown(before, both) == {("added", "GET", "/admin/s/input/{token}")}
