"""Issue 14: idioms read from set AH's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

GIN = """package server

func Init(e *gin.Engine) {
	api := e.Group("/api")
	auth := api.Group("", middlewares.Auth)
	admin(auth.Group("/admin", middlewares.AuthAdmin))
	api.GET("/ping", handles.Ping)
}

func admin(g *gin.RouterGroup) {
	setting := g.Group("/setting")
	setting.GET("/get", handles.GetSetting)
%s}
"""


def test_a_go_function_given_a_group_by_its_caller_serves_under_it() -> None:
    added = '\tsetting.POST("/set_frp", handles.SetFRP)\n'
    assert grown({"server/router.go": GIN % ""}, {"server/router.go": GIN % added}) == {
        ("added", "POST", "/api/admin/setting/set_frp")
    }


PHOENIX = """defmodule AppWeb.Router do
  use AppWeb, :router

  pipeline :portal_header_auth do
    plug(AppWeb.Plugs.HeaderAuthorization)
  end

  scope "/api", AppWeb do
    scope "/v1/internal", as: :api_v1 do
      pipe_through([:portal_header_auth])
      get("/presence", PresenceController, :show)
    end
  end
%s
end
"""
SECOND_PATH = """
  scope "/api-internal", AppWeb do
    pipe_through([:portal_header_auth] ++ if(Mix.env() == :prod, do: [:ssl_only], else: []))
    get("/v1/presence", PresenceController, :show)
  end
"""


def test_a_second_path_for_a_guarded_handler_is_no_new_capability() -> None:
    assert (
        grown({"lib/app_web/router.ex": PHOENIX % ""}, {"lib/app_web/router.ex": PHOENIX % SECOND_PATH})
        == set()
    )
    # without the pipeline the second path opens the capability
    bare = SECOND_PATH.replace("[:portal_header_auth] ++ ", "")
    assert grown({"lib/app_web/router.ex": PHOENIX % ""}, {"lib/app_web/router.ex": PHOENIX % bare}) != set()


LOGIN = """package app.controller.admin;

@RestController
public class LoginController {
%s}
"""


def test_the_login_of_an_admin_area_is_its_door() -> None:
    path = "src/main/java/app/controller/admin/LoginController.java"
    login = '    @PostMapping("/login")\n    public Result login() { return ok(); }\n'
    assert grown({path: LOGIN % ""}, {path: LOGIN % login}) == set()
    users = '    @GetMapping("/users")\n    public Result users() { return ok(); }\n'
    assert grown({path: LOGIN % ""}, {path: LOGIN % users}) == {("added", "GET", "/users")}


EXPRESS_RIGHTS = """const router = express.Router();

router.route('/').post(auth('manageUsers'), userController.createUser)%s;

router.route('/:userId').get(auth('getUsers'), userController.getUser);

module.exports = router;
"""
ASPNET = """namespace App.Controllers;

[Authorize(Policy = Policies.RequiresElevation)]
public class SystemController : BaseApiController
{
    [HttpPost("Shutdown")]
    public ActionResult Shutdown() => NoContent();
%s}
"""


def test_a_second_path_needs_one_function_not_a_shared_right_or_controller() -> None:
    # both routes check the same right, which is no handler: the new GET is a new capability
    roles = "const roleRights = { admin: ['getUsers', 'manageUsers'], user: [] };\n"
    files = {"src/config/roles.js": roles}
    get = "\n  .get(auth('getUsers'), userController.getUsers)"
    before = {**files, "src/routes/v1/user.route.js": EXPRESS_RIGHTS % ""}
    after = {**files, "src/routes/v1/user.route.js": EXPRESS_RIGHTS % get}
    assert ("added", "GET", "/") in grown(before, after)
    # actions of one controller class share its name, not their function
    path = "Jellyfin.Api/Controllers/SystemController.cs"
    info = '    [HttpGet("Info/Storage")]\n    public ActionResult Storage() => Ok();\n'
    assert grown({path: ASPNET % ""}, {path: ASPNET % info}) == {("added", "GET", "/Info/Storage")}


def test_a_second_path_is_an_alias_in_an_internal_area_only() -> None:
    before = {"lib/app_web/router.ex": PHOENIX % ""}
    # the internal endpoint brought into the public API's area: `/metrics` → `/api/metrics`
    metrics = PHOENIX.replace(
        'get("/presence", PresenceController, :show)', 'get("/metrics", Metrics, :show)'
    )
    public_area = '\n  scope "/api" do\n    pipe_through([:portal_header_auth])\n    get("/metrics", Metrics, :show)\n  end\n'
    assert grown(
        {"lib/app_web/router.ex": metrics % ""}, {"lib/app_web/router.ex": metrics % public_area}
    ) == {("added", "GET", "/api/metrics")}
    # another resource of the same handler: one record rather than the collection
    one = SECOND_PATH.replace('"/v1/presence"', '"/v1/presence/:id"')
    assert grown(before, {"lib/app_web/router.ex": PHOENIX % one}) != set()
