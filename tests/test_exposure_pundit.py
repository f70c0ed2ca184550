"""Pundit: a controller action that asks its policy inherits what the policy's query admits."""

from __future__ import annotations

from checks.exposure.extract import unresolved_asked
from checks.exposure.rails import singular
from tests.exposure_growth import grown

ROUTES = """Rails.application.routes.draw do
  resources :users do
    member do
%s    end
  end
end
"""
CONTROLLER = """class UsersController < ApplicationController
  def show
    authorize resource
  end

  def ban
    authorize resource
    resource.update_column(:banned_at, Time.now)
  end

  def mute
    authorize resource, :moderate?
  end

  def profile
    render json: resource
  end

  private

  def resource
    User.find(params[:id])
  end
end
"""
POLICY = """class UserPolicy < ApplicationPolicy
  def ban?
    user.try(:admin?)
  end

  def moderate?
    is_admin?
  end

  def show?
    true
  end

  def profile?
    user.admin? || record == user
  end
end
"""


def _files(lines: str) -> dict[str, str]:
    return {
        "config/routes.rb": ROUTES % lines,
        "app/controllers/users_controller.rb": CONTROLLER,
        "app/policies/user_policy.rb": POLICY,
    }


def test_an_action_whose_policy_query_admits_admins_only_is_admin_only() -> None:
    base = _files("")
    assert grown(base, _files("      post :ban\n")) == {("added", "POST", "/users/{user_id}/ban")}
    # a query named in the call: `authorize resource, :moderate?`
    assert grown(base, _files("      post :mute\n")) == {("added", "POST", "/users/{user_id}/mute")}


def test_an_action_that_asks_no_policy_or_one_admitting_others_is_not() -> None:
    base = _files("")
    # `profile` asks nothing; the policy's `profile?` admits the owner too
    assert grown(base, _files("      get :profile\n")) == set()
    without_policy = {k: v for k, v in _files("      post :ban\n").items() if "policies" not in k}
    assert grown({k: v for k, v in base.items() if "policies" not in k}, without_policy) == set()


def test_a_policy_not_read_is_searched_for_by_its_class() -> None:
    files = {k: v for k, v in _files("      post :ban\n").items() if "policies" not in k}
    assert "class UserPolicy" in unresolved_asked(files)


def test_singular_undoes_plural() -> None:
    for word, one in (
        ("users", "user"),
        ("home_banners", "home_banner"),
        ("categories", "category"),
        ("boxes", "box"),
        ("address", "address"),
    ):
        assert singular(word) == one
