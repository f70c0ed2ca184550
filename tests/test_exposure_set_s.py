"""Issue 14: idioms read from set S's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

ALERTA = """from flask import Blueprint
from app.auth.decorators import permission
from app.models.enums import Scope

api = Blueprint("api", __name__)


@api.route("/perms", methods=["GET"])
@permission(Scope.read_perms)
def list_perms():
    return []
%s"""
UPDATE = """

@api.route("/perm/<perm_id>", methods=["PUT"])
@permission(Scope.admin_perms)
def update_perm(perm_id):
    return {}
"""


def test_a_permission_decorator_naming_an_admin_scope_constant_is_admin_only() -> None:
    path = "app/views/permissions.py"
    assert grown({path: ALERTA % ""}, {path: ALERTA % UPDATE}) == {("added", "PUT", "/perm/{perm_id}")}
    write = UPDATE.replace("admin_perms", "write_perms")
    assert grown({path: ALERTA % ""}, {path: ALERTA % write}) == set()


OQTANE = """namespace App.Controllers
{
    [Route("api/[controller]")]
    public class MigrationHistoryController : Controller
    {
        [HttpGet]
        [Authorize(Roles = RoleNames.%s)]
        public IEnumerable<string> Get() { return null; }
    }
}
"""


def test_the_host_role_is_privileged_when_named_as_a_role() -> None:
    path = "Server/Controllers/MigrationHistoryController.cs"
    assert grown({}, {path: OQTANE % "Host"}) == {("added", "GET", "/api/MigrationHistory")}
    assert grown({}, {path: OQTANE % "Registered"}) == set()
