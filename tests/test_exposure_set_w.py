"""Issue 14: idioms read from set W's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from checks.exposure import extract
from tests.exposure_growth import grown

SYMFONY = """<?php
namespace App\\Controller\\Admin;

use Sensio\\Bundle\\FrameworkExtraBundle\\Configuration\\IsGranted;
use Symfony\\Component\\Routing\\Annotation\\Route;

/**
 * @IsGranted("ROLE_ADMIN")
 */
class AdminController extends AbstractController
{
    /**
     * @Route({
     *     "en": "/admin/backup",
     *     "fr": "/admin/sauvegarde"
     * }, name="app_admin_backup", methods={"GET"})
     */
    public function backup() : Response
    {
        return new Response();
    }
%s}
"""

REGENERATE = """
    /**
     * @Route({
     *     "en": "/admin/regenerate-thumbnails",
     *     "fr": "/admin/regenerer-les-miniatures"
     * }, name="app_admin_regenerate_thumbnails", methods={"GET"})
     */
    public function regenerateThumbnails() : Response
    {
        return new Response();
    }
"""


def test_a_localized_route_annotation_names_one_path_per_locale() -> None:
    path = "src/Controller/Admin/AdminController.php"
    found = {(e.method, e.path) for e in extract({path: SYMFONY % ""})}
    assert found == {("GET", "/admin/backup"), ("GET", "/admin/sauvegarde")}
    assert grown({path: SYMFONY % ""}, {path: SYMFONY % REGENERATE}) == {
        ("added", "GET", "/admin/regenerate-thumbnails"),
        ("added", "GET", "/admin/regenerer-les-miniatures"),
    }


BLUEPRINT = """from indico.web.flask.wrappers import IndicoBlueprint

_bp = IndicoBlueprint('users', __name__, url_prefix='/user')

_bp.add_url_rule('/dashboard/', 'user_dashboard', RHUserDashboard)
%s"""


def test_a_rule_whose_view_is_passed_by_position_is_a_route() -> None:
    path = "indico/modules/users/blueprint.py"
    added = (
        "_bp.add_url_rule('!/admin/affiliations', 'affiliations_dashboard', RHAffiliationsDashboard)\n"
        "_bp.add_url_rule('!/api/admin/affiliations', 'api_admin_affiliations', RHAffiliationsAPI,\n"
        "                 methods=('GET', 'POST'))\n"
    )
    assert grown({path: BLUEPRINT % ""}, {path: BLUEPRINT % added}) == {
        ("added", "ANY", "/admin/affiliations"),
        ("added", "GET", "/api/admin/affiliations"),
        ("added", "POST", "/api/admin/affiliations"),
    }
    named = "_bp.add_url_rule('/admin/x', view_func=RHX.as_view('x'))\n"
    assert [e.path for e in extract({path: BLUEPRINT % named}) if "admin" in e.path] == ["/user/admin/x"]


# Set X (scored blind after set W's rules), two false blocks read from it.

ROUTES = """<?php
Route::group(['middleware' => []], function () {
    Route::get('r/{id}', 'PirepController@show')->name('pirep.show.public');
%s});

Route::group(['middleware' => ['auth']], function () {
    Route::get('pireps/fares', 'PirepController@fares');
%s});
"""


def test_opening_a_path_to_an_action_already_served_openly_elsewhere_widens_nothing() -> None:
    path = "app/Http/Routes/web.php"
    guarded = "    Route::get('pireps/{id}', 'PirepController@show');\n"
    base = {path: ROUTES % ("", guarded)}
    assert grown(base, {path: ROUTES % (guarded, "")}) == set()
    # another action opened the same way is a widening
    other = "    Route::get('pireps/{id}', 'PirepController@edit');\n"
    assert grown({path: ROUTES % ("", other)}, {path: ROUTES % (other, "")}) == {
        ("widened", "GET", "/pireps/{id}")
    }


ACTUATOR = """management:
  endpoints:
    web:
      exposure:
        include: %s
"""


def test_actuator_exposure_narrowed_from_everything_to_a_few_adds_nothing() -> None:
    path = "alert-server/src/main/resources/application.yaml"
    assert grown({path: ACTUATOR % "'*'"}, {path: ACTUATOR % "health,metrics,prometheus"}) == set()
    assert grown({path: ACTUATOR % "health"}, {path: ACTUATOR % "health,metrics,prometheus"}) != set()


CONTROLLER = """[Route("api/[controller]")]
public class AccountController : BaseApiController
{
%s    [HttpPost("register")]
    public async Task<ActionResult> Register(RegisterDto dto) => Ok();

    [HttpPost("login")]
    public async Task<ActionResult> Login(LoginDto dto) => Ok();
}
"""


def test_routes_that_share_only_their_controllers_base_class_are_not_one_action() -> None:
    path = "API/Controllers/AccountController.cs"
    base = {path: CONTROLLER % '    [Authorize(Policy = "RequireAdminRole")]\n'}
    assert ("widened", "POST", "/api/Account/register") in grown(base, {path: CONTROLLER % ""})
