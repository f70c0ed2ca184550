"""Idioms met in exposure set AO, each reduced to a snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

ROUTES = "Rails.application.routes.draw do\n  get 'plans', to: 'plans#index'\nend\n"
CONTROLLER = (
    "class PlansController < ApplicationController\n"
    "  before_action :check_http_auth\n"
    "  skip_before_action :verify_authenticity_token, :fetch_community%s\n\n"
    "  def index\n  end\nend\n"
)


def test_every_filter_a_skip_line_names_is_skipped() -> None:
    before = {"config/routes.rb": ROUTES, "app/controllers/plans_controller.rb": CONTROLLER % ""}
    after = dict(before, **{"app/controllers/plans_controller.rb": CONTROLLER % ", :check_http_auth"})
    assert grown(before, after) == {("widened", "GET", "/plans")}
    # an option written as a hash rocket is no filter name
    rocket = dict(before, **{"app/controllers/plans_controller.rb": CONTROLLER % ", :only => [:index]"})
    assert grown(before, rocket) == set()
