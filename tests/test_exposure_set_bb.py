"""Idioms met in exposure set BB, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from tests.exposure_growth import grown

APP_JS = """const express = require('express');
const app = express();
app.use('/api', isAuthenticated);
app.get('/api/settings', isAuthenticated, getSettings);
app.get('/api/store', isAuthenticated, getStore);
app.put('/api/store', isAuthenticated, putStore);
%s
"""


def test_a_sign_in_support_door_beside_guarded_api_routes_is_open_by_what_it_is() -> None:
    head = APP_JS % "app.get('/api/auth-enabled', (req, res) => res.json({ enabled }));\n"
    assert grown({"app.js": APP_JS % ""}, {"app.js": head}) == set()
    # another bare route beside them is still what it was
    head = APP_JS % "app.get('/api/debug/dump', (req, res) => res.json(state));\n"
    assert ("added", "GET", "/api/debug/dump") in grown({"app.js": APP_JS % ""}, {"app.js": head})


CLIENT_JS = """import axios from 'axios'

const request = {
  async get (...args) { return (await axios.get(...args)).data },
  async post (...args) { return (await axios.post(...args)).data },
}

export default {
  login (data) { return request.post('/authenticate', data) },
%s}
"""


def test_a_module_of_front_end_requests_declares_no_routes() -> None:
    head = CLIENT_JS % "  debug () { return request.get('/admin/debug') },\n"
    assert (
        compare({"src/apis/ConfigApis.js": CLIENT_JS % ""}, {"src/apis/ConfigApis.js": head}).findings == ()
    )
    # a server file that calls another service with axios still declares its own routes
    server = (
        "const axios = require('axios');\nmodule.exports = (app) => {\n"
        "  app.get('/admin/debug', (req, res) => res.json({}));\n};\n"
    )
    assert ("added", "GET", "/admin/debug") in grown({}, {"routes/debug.js": server})


MIDDLEWARE_TS = """import { NextResponse } from 'next/server';
const unAuthenticatedApiRoutes = ['/api/health', '/api/auth/**', '/api/oauth/**'%s];

export async function middleware(req) {
  if (micromatch.isMatch(req.nextUrl.pathname, unAuthenticatedApiRoutes)) return NextResponse.next();
  if (!validateApiKey(extractAuthToken(req))) return unauthorized();
  return NextResponse.next();
}
"""
CRON = """import { validateApiKey } from '@lib/auth';
const handler = async (req, res) => {
%s  await process();
  res.json({});
};
export default handler;
"""


def test_a_handler_dropping_its_own_check_stays_behind_the_middleware_that_lists_exemptions() -> None:
    route = "pages/api/v1/cron/run.ts"
    check = "  if (!validateApiKey(req.query.apiKey)) throw new Error('bad key');\n"
    base = {"middleware.ts": MIDDLEWARE_TS % ", '/api/v1/cron/**'", route: CRON % check}
    head = {"middleware.ts": MIDDLEWARE_TS % "", route: CRON % ""}
    assert grown(base, head) == set()
    # a path added to the list is exempted from the middleware
    more = {"middleware.ts": MIDDLEWARE_TS % ", '/api/v1/cron/**'", route: CRON % check}
    assert ("widened", "ANY", "/api/v1/cron/**") in grown({"middleware.ts": MIDDLEWARE_TS % ""}, more)
    # without such a list, the check dropped opens the route
    assert ("widened", "ANY", "/api/v1/cron/run") in grown({route: CRON % check}, {route: CRON % ""})


MAINTENANCE_PY = """class MaintenanceModeMiddleware(object):
    EXEMPT_PATHS = [
        "/status",
%s    ]

    def process_request(self, request):
        if settings.MAINTENANCE_MODE and request.path not in self.EXEMPT_PATHS:
            return redirect("/maintenance")
"""


def test_paths_exempt_from_maintenance_mode_are_not_exempt_from_authentication() -> None:
    path = "app/status/middleware.py"
    head = MAINTENANCE_PY % '        "/status/internal.json",\n'
    assert grown({path: MAINTENANCE_PY % ""}, {path: head}) == set()


ROUTES_RB = """Rails.application.routes.draw do
  get '/ping', to: 'status#ping'
%s
end
"""


def test_rails_routes_under_a_hostname_test_for_non_production_hosts_serve_there_only() -> None:
    dev = (
        "  if Rails.env.development? || ENV.fetch('HOSTNAME', 'UNKNOWN') =~ /(-(dev|staging|uat)-)/i\n"
        "    get '/diagnostics/moves/:id', to: 'diagnostics#moves'\n  end\n"
    )
    assert grown({"config/routes.rb": ROUTES_RB % ""}, {"config/routes.rb": ROUTES_RB % dev}) == set()
    everywhere = "  get '/diagnostics/moves/:id', to: 'diagnostics#moves'\n"
    assert ("widened", "GET", "/diagnostics/moves/{id}") in grown(
        {"config/routes.rb": ROUTES_RB % dev}, {"config/routes.rb": ROUTES_RB % everywhere}
    )
    # a test that names production hosts too is no such switch
    prod = dev.replace("dev|staging|uat", "dev|prod")
    assert ("added", "GET", "/diagnostics/moves/{id}") in grown(
        {"config/routes.rb": ROUTES_RB % ""}, {"config/routes.rb": ROUTES_RB % prod}
    )


FASTAPI = """from fastapi import APIRouter, Depends

router = APIRouter()


@router.delete("/download/{task}")
def delete(task: str%s) -> Any:
    \"\"\"Delete a download task.\"\"\"
%s    return remove(task)
"""


def test_a_handler_whose_first_statement_checks_the_caller_is_guarded() -> None:
    path = "app/api/download.py"
    base = FASTAPI % (", _: Token = Depends(verify_token)", "")
    head = FASTAPI % (
        "",
        "    # permission check\n    check_user_permission(permission='downloading.manage')\n",
    )
    assert grown({path: base}, {path: head}) == set()
    # a call that checks nothing of the caller is no guard
    other = FASTAPI % ("", "    log_request(task)\n")
    assert ("widened", "DELETE", "/download/{task}") in grown({path: base}, {path: other})


def test_a_router_subclass_takes_its_prefix() -> None:
    text = 'router = OrionRouter(prefix="/admin", tags=["Admin"])\n\n\n@router.get("/settings")\ndef s():\n    ...\n'
    assert ("added", "GET", "/admin/settings") in grown({}, {"src/api/admin.py": text})


def test_a_view_moved_to_another_file_under_another_internal_path_is_a_move() -> None:
    old = 'urlpatterns = [\n    path("people/", people_matcher_list),\n]\n'
    new = 'urlpatterns = [\n    path("admin/people/", people_matcher_list),\n]\n'
    base = {"dashboards/urls.py": old, "people_admin/urls.py": ""}
    head = {"dashboards/urls.py": "urlpatterns = []\n", "people_admin/urls.py": new}
    mounts = {"config/urls.py": 'urlpatterns = [path("dashboard/", include("dashboards.urls"))]\n'}
    assert grown({**base, **mounts}, {**head, **mounts}) == set()
    # a view every app has by that name is no move
    generic_old, generic_new = (
        old.replace("people_matcher_list", "index"),
        new.replace("people_matcher_list", "index"),
    )
    assert ("added", "ANY", "/admin/people") in grown(
        {**mounts, "dashboards/urls.py": generic_old}, {**mounts, "people_admin/urls.py": generic_new}
    )


KOTLIN = """@Configuration
class SecurityConfig {
  @Bean
  fun resourceServerCustomizer() =
    ResourceServerConfigurationCustomizer {
      unauthorizedRequestPaths {
        addPaths =
          setOf(
            "/health/**",
%s          )
      }
    }
}
"""


def test_a_kotlin_dsl_block_named_for_unauthenticated_paths_lists_exemptions() -> None:
    path = "src/main/kotlin/app/config/SecurityConfig.kt"
    head = KOTLIN % '            "/staff/roles/sync",\n'
    assert ("widened", "ANY", "/staff/roles/sync") in grown({path: KOTLIN % ""}, {path: head})


GO_MIDDLEWARE = """package server

func (l *RequestLogger) ServeHTTP(rw http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	allowed := false
	if !l.WebAuthentication ||
		r.URL.Path == "/events" ||%s
		r.URL.Path == "/healthz" {
		allowed = true
	} else {
		user, pass, ok := r.BasicAuth()
		allowed = ok && user == l.User && pass == l.Pass
	}
	if allowed {
		next(rw, r)
	}
}
"""


def test_a_go_middleware_letting_paths_through_before_basic_auth_exempts_them() -> None:
    path = "server/middleware.go"
    head = GO_MIDDLEWARE % '\n\t\tstrings.HasPrefix(r.URL.Path, "/api/") ||'
    assert ("widened", "ANY", "/api/**") in grown({path: GO_MIDDLEWARE % ""}, {path: head})
    # a handler that dispatches on the path is no middleware letting it through
    dispatch = (
        "package server\n\nfunc (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n"
        '\tif r.URL.Path == "/token" {\n\t\ts.issue(w, r)\n\t\treturn\n\t}\n}\n'
    )
    assert grown({}, {"server/dispatch.go": dispatch}) == set()


def test_django_api_documentation_views_are_consoles_served_in_production() -> None:
    base = 'urlpatterns = [\n    path("articles/", views.articles),\n]\n'
    docs = base.replace(
        "]\n",
        '    path("schema/", SpectacularAPIView.as_view()),\n'
        '    path("swagger_ui/", views.swagger_ui, name="swagger_ui"),\n]\n',
    )
    found = grown({"src/api/urls.py": base}, {"src/api/urls.py": docs})
    assert ("added", "ANY", "/swagger_ui") in found and ("added", "ANY", "/schema") in found
    # under DEBUG only, the development server's
    debug = base + 'if settings.DEBUG:\n    urlpatterns += [path("swagger_ui/", views.swagger_ui)]\n'
    assert grown({"src/api/urls.py": base}, {"src/api/urls.py": debug}) == set()


def test_drf_permission_classes_decorating_a_viewset_class_guard_it() -> None:
    urls = (
        'router = routers.DefaultRouter()\nrouter.register(r"accounts", views.AccountViewSet, "accounts")\n'
    )
    views = (
        "@permission_classes((permissions.IsAdminUser,))\n"
        "class AccountViewSet(viewsets.ModelViewSet):\n    serializer_class = AccountSerializer\n"
    )
    found = grown({}, {"src/api/urls.py": urls, "src/api/views.py": views})
    assert ("added", "ANY", "/accounts") in found


ROUTER_EX = """defmodule AppWeb.Router do
  use AppWeb, :router

  scope "/", AppWeb do
    pipe_through [:browser, :auth]
    resources "/posts", PostController
%s  end
end
"""
CONTROLLER_EX = """defmodule AppWeb.NoticeController do
  use AppWeb, :controller

  def action(%%Plug.Conn{assigns: %%{current_user: %%{id: id} = user}} = conn, _) do
    if %s do
      apply(__MODULE__, action_name(conn), [conn, conn.params, user])
    else
      unauthorized(conn, user)
    end
  end

  def index(conn, _params, _user), do: render(conn, "index.html")
end
"""


def test_a_phoenix_controller_admitting_one_role_in_its_action_override_is_admin_only() -> None:
    router = "lib/app_web/router.ex"
    controller = "lib/app_web/controllers/notice_controller.ex"
    head = {router: ROUTER_EX % '    resources "/notices", NoticeController\n'}
    admins = {**head, controller: CONTROLLER_EX % "Accounts.user_is_admin?(id)"}
    assert ("added", "GET", "/notices") in grown({router: ROUTER_EX % ""}, admins)
    # a controller checking something else of the caller is no admin page
    owners = {**head, controller: CONTROLLER_EX % "Accounts.owns_notice?(id)"}
    assert grown({router: ROUTER_EX % ""}, owners) == set()


def test_a_middleware_introduced_with_its_exemption_list_widens_nothing() -> None:
    route = "pages/api/admin/users.ts"
    check = "  if (!validateApiKey(req.query.apiKey)) throw new Error('bad key');\n"
    base = {route: CRON % check}
    head = {"middleware.ts": MIDDLEWARE_TS % ", '/api/setup/**'", route: CRON % ""}
    assert grown(base, head) == set()


def test_a_go_middleware_introducing_basic_auth_with_a_path_let_through_widens_nothing() -> None:
    path = "server/middleware.go"
    before = (
        "package server\n\nfunc (l *RequestLogger) ServeHTTP(rw http.ResponseWriter, r *http.Request, "
        "next http.HandlerFunc) {\n\tnext(rw, r)\n}\n"
    )
    assert grown({path: before}, {path: GO_MIDDLEWARE % ""}) == set()


GO_SERVER = """package server

func (s *Server) Start() error {
	s.Router.HandleFunc("/healthz", s.Healthz).Methods("GET")
%s	return nil
}
"""


def test_go_routes_registered_in_a_loop_over_a_literal_are_read_under_their_prefix() -> None:
    loop = (
        "\tif s.EnableProfilingAPI {\n"
        "\t\tfor p, h := range map[string]http.HandlerFunc{\n"
        '\t\t\t"/":        pprof.Index,\n\t\t\t"/profile": pprof.Profile,\n\t\t} {\n'
        '\t\t\ts.Router.HandleFunc("/debug/pprof"+p, h).Methods("GET")\n\t\t}\n\t}\n'
    )
    path = "server/server.go"
    assert ("added", "GET", "/debug/pprof/**") in grown({path: GO_SERVER % ""}, {path: GO_SERVER % loop})
    # a path joined with a name that no loop here sets is a helper's, read at its call sites
    helper = '\ts.Router.HandleFunc("/debug/" + name, h).Methods("GET")\n'
    assert grown({path: GO_SERVER % ""}, {path: GO_SERVER % helper}) == set()


SPEC = """swagger: '2.0'
info:
  title: Fabric
  version: 1.0.0
basePath: /fabric/v1
paths:
  '/links':
    get:
      operationId: listLinks
      security:
        - session: []
      responses:
        '200':
          description: ok
%s"""
RAFT = """  '/raft/add-member':
    post:
      summary: Add a member to the raft cluster
      description: Add a member to the raft cluster. Requires admin access.
      operationId: raftMemberAdd
      security:
        - session: []
      x-omitempty: true
      responses:
        '200':
          description: ok
"""


def test_a_hand_written_go_swagger_spec_is_read_and_its_documented_admin_operations_are_internal() -> None:
    path = "controller/specs/swagger.yml"
    assert ("added", "POST", "/fabric/v1/raft/add-member") in grown({path: SPEC % ""}, {path: SPEC % RAFT})
    # the same operation for any signed-in caller is an addition, not internal
    plain = RAFT.replace(" Requires admin access.", "")
    assert grown({path: SPEC % ""}, {path: SPEC % plain}) == set()
    # a document generated from code (go-swagger's x-go-name) is not read
    generated = (SPEC % RAFT).replace("      x-omitempty: true\n", "      x-go-name: RaftMemberAdd\n")
    assert grown({path: SPEC % ""}, {path: generated}) == set()


def test_x_omitempty_marks_a_json_document_generated_from_code() -> None:
    doc = (
        '{\n  "swagger": "2.0",\n  "info": {"title": "t", "version": "1"},\n  "paths": {\n    "/admin/identities": '
        '{"get": {"responses": {"200": {"description": "ok"}}}}\n  },\n  "definitions": {"x": {"type": "object", '
        '"properties": {"a": {"type": "string", "x-omitempty": true}}}}\n}\n'
    )
    assert grown({}, {"spec/swagger.json": doc}) == set()
    assert ("added", "GET", "/admin/identities") in grown(
        {}, {"spec/swagger.json": doc.replace("x-omitempty", "x-a")}
    )
