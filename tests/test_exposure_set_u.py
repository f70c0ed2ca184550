"""Issue 14: idioms read from set U's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

SYMFONY = """<?php
namespace App\\Controller\\Admin;

use Symfony\\Component\\Routing\\Attribute\\Route;

#[IsGranted('ROLE_ADMIN')]
class AdminController extends AbstractController
{
    #[Route(path: %s, name: 'app_admin_index', methods: ['GET'])]
    public function index(): Response
    {
        return new Response();
    }
}
"""


def test_a_localized_symfony_route_serves_each_locales_path() -> None:
    path = "src/Controller/Admin/AdminController.php"
    localized = SYMFONY % "['en' => '/admin', 'fr' => '/administration']"
    assert {e.path for e in extract({path: localized})} == {"/admin", "/administration"}
    # the French alias dropped: the English path was served already
    assert grown({path: localized}, {path: SYMFONY % "'/admin'"}) == set()


def test_a_laravel_log_viewer_route_is_an_operations_dashboard() -> None:
    routes = "<?php\nuse Rap2hpoutre\\LaravelLogViewer\\LogViewerController;\n\nRoute::get('/links', [LinkController::class, 'index']);\n%s"
    new = "Route::get('system/logs', [LogViewerController::class, 'index']);\n"
    assert ("added", "ANY", "/system/logs/**") in grown(
        {"routes/web.php": routes % ""}, {"routes/web.php": routes % new}
    )


def test_an_administration_policy_is_privileged() -> None:
    ctrl = """using Microsoft.AspNetCore.Mvc;

namespace Admin.Api.Controllers
{
    [Route("api/[controller]")]
    [Authorize(Policy = AuthorizationConsts.AdministrationPolicy)]
    public class LogsController : ControllerBase
    {
        [HttpGet]
        public IActionResult Get() => Ok();
    }
}
"""
    path = "src/Admin.Api/Controllers/LogsController.cs"
    assert grown({}, {path: ctrl}) == {("added", "GET", "/api/Logs")}


ACTIX = """use actix_web::{web, HttpRequest};

pub fn init_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/user")
            .service(web::resource("/login").route(web::post().to(login)))%s
    );
}

pub async fn login(req: HttpRequest) -> ServiceResult<impl Responder> {
    Ok(HttpResponse::Ok())
}

pub async fn ban_user(req: HttpRequest, app_data: WebAppData) -> ServiceResult<impl Responder> {
    let user = app_data.auth.get_user_from_request(&req).await?;
    if !user.administrator { return Err(ServiceError::Unauthorized) }
    Ok(HttpResponse::Ok())
}
"""


def test_an_actix_resource_handler_that_refuses_all_but_administrators_is_admin_only() -> None:
    new = """
            .service(web::resource("/{user}").route(web::delete().to(ban_user)))"""
    path = "src/handlers/user.rs"
    assert grown({path: ACTIX % ""}, {path: ACTIX % new}) == {("added", "DELETE", "/user/{user}")}


PHOENIX = """defmodule AppWeb.Router do
  use AppWeb, :router

  pipeline :api do
    plug(App.Auth.Pipeline)
  end

  pipeline :ensure_auth do
    plug(Guardian.Plug.EnsureAuthenticated)
  end

  scope "/v1", AppWeb do
    pipe_through(:api)

    post("/auth", AuthController, :create)%s
  end

  scope "/v1", AppWeb do
    pipe_through([:api, :ensure_auth])
%s
    get("/assessments", AssessmentsController, :index)
  end
end
"""


def test_a_route_moved_to_a_scope_that_only_loads_the_caller_widens() -> None:
    route = '\n    get("/chapter", ChaptersController, :index)'
    base = {"lib/app_web/router.ex": PHOENIX % ("", route)}
    head = {"lib/app_web/router.ex": PHOENIX % (route, "")}
    assert grown(base, head) == {("widened", "GET", "/v1/chapter")}
    assert grown(head, base) == set()


def test_a_rails_action_that_skips_the_login_of_its_controller_admits_anonymous_callers() -> None:
    controller = """class DeploysController < ApplicationController
  %s
  skip_before_action :verify_authenticity_token, only: [:status]

  def show
  end

  def status
    render json: {}
  end
end
"""
    routes = """Rails.application.routes.draw do
  resources :deploys, only: [:show] do
    member do%s
    end
  end
end
"""

    def status_added(skips: str) -> set[tuple[str, str, str]]:
        files = {"app/controllers/deploys_controller.rb": controller % skips}
        base = {**files, "config/routes.rb": routes % ""}
        head = {**files, "config/routes.rb": routes % "\n      get :status"}
        return grown(base, head)

    assert status_added("skip_before_action :login_user, only: [:status]") == {
        ("added", "GET", "/deploys/{deploy_id}/status")
    }
    # a whole controller that skips the session login signs callers in some other way (an API key)
    assert status_added("skip_before_action :login_user") == set()
    # skipping only the CSRF check opts out of no sign-in
    assert status_added("") == set()


FASTIFY = """import { administratorMiddleware } from '@/server/middleware/administrator';
import { userMiddleware } from '@/server/middleware/user';
import fastifyPlugin from 'fastify-plugin';

export const PATH = '/api/server/thumbnails';
export default fastifyPlugin(
  (server, _, done) => {
    server.post<{ Body: Body }>(
      PATH,
      { preHandler: [userMiddleware, %s] },
      async (req, res) => res.send({}),
    );
    done();
  },
  { name: PATH },
);
"""


def test_a_fastify_route_with_type_arguments_on_a_path_constant() -> None:
    path = "src/server/routes/api/server/thumbnails.ts"
    assert grown({}, {path: FASTIFY % "administratorMiddleware"}) == {
        ("added", "POST", "/api/server/thumbnails")
    }
    assert grown({}, {path: FASTIFY % "rateLimit"}) == set()


GRAPE = """module API
  module V1
    class Settings < Grape::API
      before do
        authenticate!
        %s
      end

      resource :settings do
        desc "List settings"
        get "" do
          present AppSettings.all
        end

        route_param :key do
          put do
            AppSettings[params[:key]] = params[:value]
          end
        end
      end
    end
  end
end
"""


def test_grape_namespaces_route_params_and_before_callbacks() -> None:
    path = "app/api/v1/settings.rb"
    endpoints = {(e.method, e.path): e for e in extract({path: GRAPE % "restrict_to_role %w(admin)"})}
    assert set(endpoints) == {("GET", "/settings"), ("PUT", "/settings/{key}")}
    assert grown({}, {path: GRAPE % "restrict_to_role %w(admin)"}) == {
        ("added", "GET", "/settings"),
        ("added", "PUT", "/settings/{key}"),
    }
    # signed-in users only: no privileged role
    assert grown({}, {path: GRAPE % "track_visit"}) == set()
    assert all(e.auth == "authenticated" for e in extract({path: GRAPE % ""}))


def test_a_rails_controller_that_drops_its_guard_wants_the_routes_file_on_either_side() -> None:
    from checks.exposure.mounts import candidates, names_file, unmounted_either

    path = "app/controllers/rooms/involvements_controller.rb"
    guarded = "class Rooms::InvolvementsController < ApplicationController\n  before_action :ensure_can_administer, only: %i[ update ]\n\n  def update\n  end\nend\n"
    open_now = guarded.replace("  before_action :ensure_can_administer, only: %i[ update ]\n", "")
    assert unmounted_either({path: guarded}, {path: open_now}) == [path]
    assert candidates([path], set())[0] == ["config/routes.rb"]
    routes = "Rails.application.routes.draw do\n  resources :rooms do\n    scope module: 'rooms' do\n      resource :involvement, only: %i[ show update ]\n    end\n  end\nend\n"
    assert names_file(routes, path)
    base = {path: guarded, "config/routes.rb": routes}
    head = {path: open_now, "config/routes.rb": routes}
    assert grown(base, head) == {("widened", "PATCH", "/rooms/{room_id}/involvement")}


def test_a_typed_request_from_an_angular_service_is_no_route() -> None:
    service = """import { HttpClient } from '@angular/common/http';

export class AdminService {
  constructor(private http: HttpClient) {}

  public getRepositorySettingsInfo() {
    return this.http.get<RepositorySettingsInfo>('/api/admin/repositorySettings/info', {});
  }
}
"""
    assert extract({"ui-ngx/src/app/core/http/admin.service.ts": service}) == ()
