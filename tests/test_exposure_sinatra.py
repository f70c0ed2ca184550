"""Issue 14: Sinatra routes, namespaces and the guards they call. Snippets written for this test."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

APP = """require "sinatra"

helpers do
  def protected!
    halt 401 unless authorized?
  end
end

before "/admin/*" do
  protected!
end

get "/" do
  "hi"
end

get "/me" do
  authenticate!
  current_user.to_json
end

namespace "/api" do
  get "/items" do
    items.to_json
  end
%send
%s"""


def app(api: str = "", tail: str = "") -> dict[str, str]:
    return {"app.rb": APP % (api, tail)}


def test_routes_namespaces_filters_and_guards_called_first() -> None:
    found = {(ep.method, ep.path): ep for ep in extract(app())}
    assert set(found) == {("GET", "/"), ("GET", "/me"), ("GET", "/api/items")}
    assert found[("GET", "/me")].reasons == ("calls authenticate! first",)
    assert found[("GET", "/api/items")].auth == "unauthenticated"


def test_a_route_under_a_guarded_admin_filter_grows_and_a_public_one_does_not() -> None:
    reset = '\npost "/admin/reset" do\n  reset_all\nend\n'
    assert grown(app(), app(tail=reset)) == {("added", "POST", "/admin/reset")}
    (ep,) = [e for e in extract(app(tail=reset)) if e.path == "/admin/reset"]
    assert ep.reasons == ("before filter /admin/*: protected!",)
    assert grown(app(), app(api='  get "/tags" do\n    tags.to_json\n  end\n')) == set()
