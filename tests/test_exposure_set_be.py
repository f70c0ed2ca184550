"""Idioms met in exposure set BE, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure.extract import routes_by_file
from checks.exposure.mounts import unmounted
from tests.exposure_growth import grown

SERVLETS = '''from synapse.http.servlet import RestServlet
from synapse.rest.admin._base import admin_patterns, assert_requester_is_admin


class RoomSizes(RestServlet):
    """Rooms by their size on disk."""

    PATTERNS = admin_patterns("/statistics/database/rooms$")

    def __init__(self, hs):
        self.auth = hs.get_auth()

    async def on_GET(
        self, request: SynapseRequest
    ) -> Tuple[int, JsonDict]:
        await assert_requester_is_admin(self.auth, request)
        return 200, {}
%s'''

BLOCK = """

class BlockRoom(RestServlet):
    PATTERNS = admin_patterns("/rooms/(?P<room_id>[^/]*)/block$", "v1")

    async def on_PUT(self, request, room_id):
        await assert_requester_is_admin(self.auth, request)
        return 200, {}
"""

CLIENT = """

class Profile(RestServlet):
    PATTERNS = client_patterns("/profile/(?P<user_id>[^/]*)$", v1=True)

    async def on_GET(self, request, user_id):
        requester = await self.auth.get_user_by_req(request)
        return 200, {}
"""


def test_a_twisted_servlet_serves_its_patterns_with_each_verb_method() -> None:
    ((_, found),) = routes_by_file({"synapse/rest/admin/statistics.py": SERVLETS % ""})
    (route,) = found.routes
    assert (route.method, route.path, route.auth) == (
        "GET",
        "/admin/statistics/database/rooms",
        "authenticated",
    )
    assert route.reasons == ("calls assert_requester_is_admin first",)
    # a version other than the first is a path of its own
    v2 = SERVLETS.replace('"/statistics/database/rooms$"', '"/statistics/database/rooms$", "v2"') % ""
    ((_, found),) = routes_by_file({"synapse/rest/admin/statistics.py": v2})
    assert [r.path for r in found.routes] == ["/admin/v2/statistics/database/rooms"]


def test_an_admin_servlet_added_grows_exposure_and_a_client_servlet_does_not() -> None:
    path = "synapse/rest/admin/rooms.py"
    assert grown({path: SERVLETS % ""}, {path: SERVLETS % BLOCK}) == {
        ("added", "PUT", "/admin/rooms/{room_id}/block")
    }
    client = "synapse/rest/client/profile.py"
    assert (
        grown(
            {client: SERVLETS.replace("admin_patterns", "client_patterns") % ""},
            {client: SERVLETS.replace("admin_patterns", "client_patterns") % CLIENT},
        )
        == set()
    )


ROUTER_INDEX = """import express from 'express';
import checkpoint from './checkpoint.$fileUuid.GET';
%s
const router = express.Router();

router.use('/', checkpoint);
%s
export default router;
"""
ROUTE_FILE = """import express from 'express';
import { validateM2MAuth } from '../../internal/validateM2MAuth';
const router = express.Router();

router.get('/user-email-migration/:take', validateM2MAuth(), async (req, res) => res.json({}));

export default router;
"""


def test_a_router_that_only_mounts_others_is_looked_up_where_it_is_mounted() -> None:
    index = "api/src/routes/internal/index.ts"
    files = {
        index: ROUTER_INDEX
        % ("import migration from './user-email-migration.$take.GET';", "router.use('/', migration);"),
        "api/src/routes/internal/user-email-migration.$take.GET.ts": ROUTE_FILE,
    }
    assert index in unmounted(files)
    app = "api/src/app.ts"
    files[app] = (
        "import express from 'express';\nimport internal from './routes/internal';\nconst app = express();\n"
    )
    files[app] += "app.use('/v0/internal', internal);\n"
    assert index not in unmounted(files)
    base = {app: files[app], index: ROUTER_INDEX % ("", "")}
    assert grown(base, files) == {("added", "GET", "/v0/internal/user-email-migration/{take}")}


def test_okcomputer_mounted_at_a_path_serves_every_check_there() -> None:
    init = "config/initializers/okcomputer.rb"
    head = {
        init: "require 'okcomputer'\n\nOkComputer.mount_at = 'status'\nOkComputer.check_in_parallel = true\n"
    }
    assert grown({}, head) == {("added", "ANY", "/status/**")}


FRAPPE = """import frappe


@frappe.whitelist(%s)
def get_config():
    return {"brand_name": frappe.db.get_single_value("HD Settings", "brand_name")}
%s"""

SETTINGS = """

@frappe.whitelist()
def update_settings(values):
    frappe.only_for("System Manager")
    frappe.get_doc("HD Settings").update(values).save()
"""

BRANDING = """

@frappe.whitelist(allow_guest=True, methods=["GET"])
def get_branding():
    return {}
"""


def test_a_whitelisted_frappe_method_opened_to_guests_widens() -> None:
    path = "helpdesk/api/config.py"
    assert grown({path: FRAPPE % ("", "")}, {path: FRAPPE % ("allow_guest=True", "")}) == {
        ("widened", "ANY", "/api/method/helpdesk.api.config.get_config")
    }
    assert grown({path: FRAPPE % ("allow_guest=True", "")}, {path: FRAPPE % ("", "")}) == set()


def test_a_frappe_method_for_the_system_manager_is_internal_and_a_guest_one_is_its_own_declaration() -> None:
    path = "helpdesk/api/config.py"
    assert grown({path: FRAPPE % ("", "")}, {path: FRAPPE % ("", SETTINGS)}) == {
        ("added", "ANY", "/api/method/helpdesk.api.config.update_settings")
    }
    # beside methods that need a login, a guest method the module declares is no hole in a group
    assert grown({path: FRAPPE % ("", "")}, {path: FRAPPE % ("", BRANDING)}) == set()


RAILS_ROUTES = """Rails.application.routes.draw do
  resources :documents
%s
end
"""


def test_a_mount_inside_a_one_line_constraints_block_is_read() -> None:
    dev = '  if Rails.env.development?\n    require "sidekiq/web"\n    mount Sidekiq::Web, at: "/sidekiq"\n  end'
    prod = '  constraints(AdminRequest) { mount SidekiqGdsSsoMiddleware, at: "/sidekiq" }'
    path = "config/routes.rb"
    assert grown({path: RAILS_ROUTES % dev}, {path: RAILS_ROUTES % prod}) == {
        ("widened", "ANY", "/sidekiq/**")
    }


KONG = """local kong = kong

return {
  ["/schemas/plugins/:name"] = {
    GET = function(self, db, helpers)
      local x = { POST = 1 }
      return kong.response.exit(200, {})
    end
  },
%s}
"""


def test_lua_route_tables_are_read() -> None:
    path = "kong/api/routes/debug.lua"
    debug = '  ["/debug/node/log-level/:log_level"] = {\n    PUT = function(self) return kong.response.exit(200) end,\n  },\n'
    ((_, found),) = routes_by_file({path: KONG % debug})
    assert [(r.method, r.path) for r in found.routes] == [
        ("GET", "/schemas/plugins/{name}"),
        ("PUT", "/debug/node/log-level/{log_level}"),
    ]
    # commented out, in either form, it declares nothing
    for commented in (
        "--" + debug.replace("\n", "\n--"),
        "--[[\n" + debug + "]]\n",
        "--[==[\n" + debug + "]==]\n",
    ):
        assert grown({path: KONG % ""}, {path: KONG % commented}) == set()
    assert grown({path: KONG % ""}, {path: KONG % debug}) == {
        ("added", "PUT", "/debug/node/log-level/{log_level}")
    }


APISIX = """local uri_route = {
    {
        paths = [[/apisix/admin]],
        methods = {"GET"},
        handler = get_plugins_list,
    },
%s}
"""


def test_apisix_router_tables_are_read() -> None:
    path = "apisix/admin/init.lua"
    validate = '    {\n        paths = [[/apisix/admin/schema/validate/*]],\n        methods = {"POST"},\n'
    validate += "        handler = schema_validate,\n    },\n"
    assert grown({path: APISIX % ""}, {path: APISIX % validate}) == {
        ("added", "POST", "/apisix/admin/schema/validate")
    }
    # paths a configuration only lists are no routes
    ((_, found),) = routes_by_file({"apisix/conf.lua": 'local allow = { paths = {"/admin/x"} }\n'}) or [
        (None, None)
    ]
    assert found is None or found.routes == []


SULU_ROUTES = """sulu_tag_api:
    type: rest
    resource: "@SuluTagBundle/Resources/config/routing_api.yml"
    prefix:   /admin/api
%s"""


def test_a_symfony_route_import_under_an_internal_prefix_is_a_mount() -> None:
    path = "config/routes/sulu_admin.yaml"
    trash = '\nsulu_trash_api:\n    resource: "@SuluTrashBundle/Resources/config/routing_api.yml"\n'
    trash += "    type: rest\n    prefix: /admin/api\n"
    assert grown({path: SULU_ROUTES % ""}, {path: SULU_ROUTES % trash}) == {
        ("added", "ANY", "/admin/api/{SuluTrashBundle}/**")
    }
    public = trash.replace("/admin/api", "/api").replace("sulu_trash_api", "sulu_trash_public")
    assert grown({path: SULU_ROUTES % ""}, {path: SULU_ROUTES % public}) == set()
    # a bundle named for the admin area is no role: its routes moved under their own prefix are not internal
    moved = '\nsylius_payment_requests:\n    resource: "@SyliusAdminBundle/Resources/config/routing/payment_request.yml"\n'
    moved += "    prefix: /payments/{paymentId}/payment-requests\n"
    assert grown({path: SULU_ROUTES % ""}, {path: SULU_ROUTES % moved}) == set()


# Set BF


API_ROUTER = """import { FunctionalRouter } from "./FunctionalRouter.js"

const apiRouter = new FunctionalRouter()

getRouteWithROTransaction(apiRouter, "/charts.json", getCharts)
%s
export { apiRouter }
"""
APP_CLASS = """import express from "express"
import { apiRouter } from "./apiRouter.js"

const app = express()
app.use("/admin/api", apiRouter.router)
"""


def test_a_helper_named_for_its_verb_registers_on_the_router_it_is_handed() -> None:
    router, app = "adminSiteServer/apiRouter.ts", "adminSiteServer/appClass.tsx"
    added = 'postRouteWithRWTransaction(apiRouter, "/slideshows", createSlideshow)'
    base = {router: API_ROUTER % "", app: APP_CLASS}
    assert grown(base, {router: API_ROUTER % added, app: APP_CLASS}) == {
        ("added", "POST", "/admin/api/slideshows")
    }


PROTO = """syntax = "proto3";
package minder.v1;

service ArtifactService {
    rpc ListArtifacts(ListArtifactsRequest) returns (ListArtifactsResponse) {
        option (google.api.http) = {
            get: "/api/v1/artifacts/{provider}"
        };
        option (rpc_options) = {
%s            auth_scope: OBJECT_OWNER_PROJECT
        };
    }
}
"""


def test_a_method_option_naming_the_root_admin_is_a_guard_and_dropping_it_widens() -> None:
    path = "proto/minder/v1/minder.proto"
    admin = "            root_admin_only: true\n"
    assert ("widened", "RPC", "minder.v1.ArtifactService/ListArtifacts") in grown(
        {path: PROTO % admin}, {path: PROTO % ""}
    )
    assert grown({path: PROTO % admin.replace("true", "false")}, {path: PROTO % ""}) == set()
