"""Idioms met in exposure set BH, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure.extract import routes_by_file
from tests.exposure_growth import grown

SLIM3 = """<?php
/**
 * Routes for the administrative panel.
 */
$app->group('/admin', function () {
    $this->get('', 'App\\\\Controller\\\\AdminController:pageDashboard')
         ->setName('uri_dashboard');
});
%s"""


def test_slim3_groups_registering_on_this_are_read() -> None:
    path = "app/sprinkles/core/routes/admin.php"
    added = "$app->group('/api/admin', function () {\n    $this->post('/clear-cache', 'A:clearCache');\n});\n"
    assert grown({path: SLIM3 % ""}, {path: SLIM3 % added}) == {("added", "POST", "/api/admin/clear-cache")}
    public = "$app->group('/api/pages', function () {\n    $this->get('/about', 'A:about');\n});\n"
    assert grown({path: SLIM3 % ""}, {path: SLIM3 % public}) == set()


def test_an_active_admin_registration_serves_a_resource_of_the_console() -> None:
    path = "app/admin/admin_commands.rb"
    text = "ActiveAdmin.register Command, as: 'Commands' do\n  index do\n    column :id\n  end\nend\n"
    assert grown({}, {path: text}) == {("added", "ANY", "/admin/commands/**")}
    paths = {
        r.path
        for _, fr in routes_by_file(
            {
                "app/admin/dashboard.rb": 'ActiveAdmin.register_page "Dashboard" do\nend\n',
                "app/admin/claims.rb": "ActiveAdmin.register Claim do\nend\n",
                "app/admin/ops/users.rb": "ActiveAdmin.register Ops::User, namespace: :ops do\nend\n",
            }
        )
        for r in fr.routes
    }
    assert paths == {"/admin/dashboard/**", "/admin/claims/**", "/ops/ops_users/**"}


FLASK_VIEW = """from flask import Blueprint

main = Blueprint("main", __name__)


@main.route("/suppliers/<int:supplier_id>/draft-services", methods=["GET"])
@role_required(%s)
def find_supplier_draft_services(supplier_id):
    return render_template("drafts.html")
"""


def test_a_role_added_to_a_role_decorator_widens() -> None:
    path = "app/main/views/suppliers.py"
    before = {path: FLASK_VIEW % "'admin-framework-manager'"}
    after = {path: FLASK_VIEW % "'admin-framework-manager', 'admin-ccs-sourcing'"}
    assert grown(before, after) == {("widened", "GET", "/suppliers/{supplier_id}/draft-services")}
    assert grown(after, before) == set()


PERMS = """package taprpc

func MacaroonWhitelist(allowPublicUniProofCourier bool) map[string]struct{} {
	whitelist := make(map[string]struct{})
	if allowPublicUniProofCourier {
		whitelist["/universerpc.Universe/QueryProof"] = struct{}{}
%s	}
	return whitelist
}
"""


def test_an_rpc_set_into_a_whitelist_by_index_widens() -> None:
    path = "taprpc/perms.go"
    added = '\t\twhitelist["/universerpc.Universe/FetchSupplyLeaves"] = struct{}{}\n'
    assert grown({path: PERMS % ""}, {path: PERMS % added}) == {
        ("widened", "ANY", "universerpc.Universe/FetchSupplyLeaves")
    }
    other = '\t\tcache["/universerpc.Universe/FetchSupplyLeaves"] = struct{}{}\n'
    assert grown({path: PERMS % ""}, {path: PERMS % other}) == set()


ADMIN_APP = """import fastify from 'fastify'
import { default as metrics } from 'fastify-metrics'

const build = () => {
  const app = fastify()
%s  app.get('/status', async (_, response) => response.status(200).send())
  return app
}
"""
EXPRESS = """const promBundle = require('express-prom-bundle')
const app = express()
app.use(promBundle({ includeMethod: true%s }))
"""


def test_a_metrics_plugin_serves_its_endpoint() -> None:
    path = "src/admin-app.ts"
    plugin = "  app.register(metrics, {\n    endpoint: '/metrics',\n    enableRouteMetrics: false,\n  })\n"
    assert grown({path: ADMIN_APP % ""}, {path: ADMIN_APP % plugin}) == {("added", "GET", "/metrics")}
    off = "  app.register(metrics, { endpoint: null })\n"
    assert grown({path: ADMIN_APP % ""}, {path: ADMIN_APP % off}) == set()
    ((_, found),) = routes_by_file({"server.js": EXPRESS % ", metricsPath: '/internal/metrics'"})
    assert [r.path for r in found.routes] == ["/internal/metrics"]
    ((_, found),) = routes_by_file({"server.js": EXPRESS % ""})
    assert [r.path for r in found.routes] == ["/metrics"]


ACTUATOR = """management.endpoints.enabled-by-default=false
management.endpoint.health.enabled=true
%smanagement.endpoints.web.exposure.include=health,togglz
"""


def test_an_endpoint_off_by_default_is_exposed_once_switched_on() -> None:
    path = "src/main/resources/application.properties"
    switched = "management.endpoint.togglz.enabled=true\n"
    assert grown({path: ACTUATOR % ""}, {path: ACTUATOR % switched}) == {("added", "ANY", "/actuator/togglz")}
    # on by default, the include alone exposes it
    on = ACTUATOR.replace("management.endpoints.enabled-by-default=false\n", "")
    assert grown({path: on % ""}, {path: on % switched}) == set()
