"""Idioms met in exposure set BC (and set BB's remaining misses), each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure import compare
from tests.exposure_growth import grown

PRIVATE_GO = """package server

func PrivateRoutes(app *App) []*route.Route {
	authentication := route.BasicAuthSecurity(app.Config.AuthUsername, app.Config.AuthPassword)
	return []*route.Route{
		route.Get("/accounts/{id}").SecuredWith(authentication).Handle(accounts.GetAccount(app)),
%s	}
}
"""


def test_routes_declared_in_a_file_named_for_the_private_router_are_internal() -> None:
    line = '\t\troute.Delete("/accounts/{id}").SecuredWith(authentication).Handle(accounts.Archive(app)),\n'
    base = {"server/private_routes.go": PRIVATE_GO % ""}
    head = {"server/private_routes.go": PRIVATE_GO % line}
    assert ("added", "DELETE", "/accounts/{id}") in grown(base, head)
    # the same route in the public routes file is an ordinary addition
    assert (
        grown({"server/public_routes.go": PRIVATE_GO % ""}, {"server/public_routes.go": PRIVATE_GO % line})
        == set()
    )


SECURITY_JAVA = """public class SecurityConfig {
    private static final String LOGIN_URL = "/login";

    @Bean
    public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(authorize -> authorize
            .requestMatchers("/api/health", %s, "/images/**").permitAll()
            .anyRequest().authenticated());
        return http.build();
    }
}
"""


def test_a_string_constant_a_permit_all_matcher_names_is_the_path_it_holds() -> None:
    path = "src/main/java/org/x/SecurityConfig.java"
    base = {path: SECURITY_JAVA % '"/login"'}
    assert grown(base, {path: SECURITY_JAVA % "LOGIN_URL"}) == set()
    # a constant holding another path opens that path
    head = SECURITY_JAVA.replace('LOGIN_URL = "/login"', 'LOGIN_URL = "/actuator/env"') % "LOGIN_URL"
    assert ("widened", "ANY", "/actuator/env") in grown(base, {path: head})


DRF_URLS = """from rest_framework.routers import DefaultRouter
router = DefaultRouter()
router.register(r"documents", DocumentViewSet)
urlpatterns = [path("", include(router.urls))]
"""
DRF_VIEWS = """class DocumentViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.DocumentAccessPermission]

    @drf.decorators.action(
        detail=%s,
        methods=["get"],%s
    )
    def favorite_list(self, request, *args, **kwargs):
        return Response()
"""


def test_an_object_permission_replaced_on_a_list_action_is_no_downgrade() -> None:
    base = {"core/urls.py": DRF_URLS, "core/api/viewsets.py": DRF_VIEWS % ("False", "")}
    guarded = DRF_VIEWS % ("False", "\n        permission_classes=[permissions.IsAuthenticated],")
    assert grown(base, {"core/urls.py": DRF_URLS, "core/api/viewsets.py": guarded}) == set()
    # a role-named class replaced by a sign-in is still a downgrade
    admin = {"core/urls.py": DRF_URLS, "core/api/viewsets.py": (DRF_VIEWS % ("False", "")).replace(
        "DocumentAccessPermission", "IsAdminRolePermission")}  # fmt: skip
    downgraded = guarded.replace("DocumentAccessPermission", "IsAdminRolePermission")
    assert ("widened", "GET", "/documents/favorite_list") in grown(
        admin, {"core/urls.py": DRF_URLS, "core/api/viewsets.py": downgraded}
    )


ROUTES_RB = """Rails.application.routes.draw do
  namespace :admin do
    namespace :reports do
      resources :memberships, only: :index
%s    end
%s  end
end
"""
REPORT = """module Admin
  class %s < BaseController
    def index
      @adjustments = Adjustment.where(created_at: 1.month.ago..).order(:created_at)
      @total = @adjustments.sum(:amount_cents)
      @by_kind = @adjustments.group(:kind).sum(:amount_cents)
    end
  end
end
"""


def test_an_admin_page_moved_with_its_controller_renamed_is_a_move() -> None:
    base = {
        "config/routes.rb": ROUTES_RB % ("", "    resources :monthly_adjustments, only: :index\n"),
        "app/controllers/admin/monthly_adjustments_controller.rb": REPORT % "MonthlyAdjustmentsController",
    }
    head = {
        "config/routes.rb": ROUTES_RB % ('      get "money", to: "money#index"\n', ""),
        "app/controllers/admin/reports/money_controller.rb": REPORT.replace(
            "module Admin", "module Admin::Reports"
        )
        % "MoneyController",
    }
    assert grown(base, head) == set()
    # a new page with other code beside a page removed is an addition
    other = "module Admin::Reports\n  class MoneyController < BaseController\n    def index\n      @x = Payout.all\n    end\n  end\nend\n"
    head["app/controllers/admin/reports/money_controller.rb"] = other
    assert ("added", "GET", "/admin/reports/money") in grown(base, head)


SECURITY_XML = """<beans:beans xmlns="http://www.springframework.org/schema/security">
    <http pattern="/css/**" security="none"/>
    <http use-expressions="true">
        <intercept-url pattern="/login.jsp" access="permitAll"/>
%s        <!-- <intercept-url pattern="/debug/**" access="permitAll"/> -->
        <intercept-url pattern="/**" access="isAuthenticated()"/>
    </http>
</beans:beans>
"""


def test_spring_security_xml_paths_permitted_to_all_are_exempted() -> None:
    path = "security/src/main/resources/applicationContext-security.xml"
    base = {path: SECURITY_XML % ""}
    head = {path: SECURITY_XML % '        <intercept-url pattern="/patient*" access="permitAll"/>\n'}
    assert ("widened", "ANY", "/patient*") in grown(base, head)
    none = {path: SECURITY_XML % '    <http pattern="/network.do" security="none"/>\n'}
    assert ("widened", "ANY", "/network.do") in grown(base, none)
    # a path left to the signed-in rule, or a matcher commented out, opens nothing
    signed_in = {path: SECURITY_XML % '        <intercept-url pattern="/x/**" access="isAuthenticated()"/>\n'}
    assert grown(base, signed_in) == set()
    assert grown(base, {path: (SECURITY_XML % "").replace("/login.jsp", "/signin.jsp")}) <= {
        ("widened", "ANY", "/signin.jsp")
    }


def test_a_staff_tools_namespace_is_internal() -> None:
    routes = "Rails.application.routes.draw do\n  namespace :stafftools do\n%s  end\nend\n"
    base = {"config/routes.rb": routes % "    resources :users, only: :show\n"}
    head = {
        "config/routes.rb": routes
        % "    resources :users, only: :show\n    resources :deadlines, only: :show\n"
    }
    assert ("added", "GET", "/stafftools/deadlines/{id}") in grown(base, head)


# Set BD.

CUSTOMIZER = """public class SecurityConfiguration {
    public void customize(Registry registry) {
        registry.%s("/actuator/**").%s()
                .%s(adminContextPath + "/**").%s();
    }
}
"""


def test_anonymous_admits_as_permit_all_does_and_a_field_prefix_stays_a_prefix() -> None:
    path = "src/main/java/x/security/SecurityConfiguration.java"
    base = {path: CUSTOMIZER % ("antMatchers", "anonymous", "antMatchers", "anonymous")}
    head = {path: CUSTOMIZER % ("requestMatchers", "permitAll", "requestMatchers", "permitAll")}
    assert grown(base, head) == set()
    # the prefix a field holds is no root-wide exemption
    assert ("widened", "ANY", "/**") not in grown({path: CUSTOMIZER.replace("adminContextPath + ", "") % (
        "antMatchers", "authenticated", "antMatchers", "authenticated")}, head)  # fmt: skip


CHI = """func (gw *Handle) routes(r chi.Router) {
	r.Get("/v1/warehouse/fetch-tables", gw.whProxy.ServeHTTP)
	r.Post("/v1/warehouse/jobs", gw.whProxy.ServeHTTP)
%s}
"""


def test_a_public_path_served_again_under_an_internal_prefix_by_the_same_handler_is_no_growth() -> None:
    base = {"gateway/gateway.go": CHI % ""}
    alias = '\tr.Get("/internal/v1/warehouse/fetch-tables", gw.whProxy.ServeHTTP)\n'
    assert grown(base, {"gateway/gateway.go": CHI % alias}) == set()
    # an internal path the public one does not end with is new
    other = '\tr.Get("/internal/v1/warehouse/drop-tables", gw.whProxy.ServeHTTP)\n'
    assert ("added", "GET", "/internal/v1/warehouse/drop-tables") in grown(
        base, {"gateway/gateway.go": CHI % other}
    )


CONTROLLER_CS = """namespace App.Areas.Admin.Controllers;

[Area("Admin")]
[Authorize(Policy = Permissions.MANAGE_MEDIA)]
public class MediaController : BaseController
{
    [HttpPost]
    [Route($"{PREFIX}/media-items/upload", Name = "mediaupload")]
    public IActionResult Upload() => Ok();

    [AllowAnonymous]
    [Route($"{PREFIX}/media-items/id/{{id}}", Name = "mediabyid")]
    public IActionResult ById(string id) => Ok();
}
"""
ENDPOINTS_CS = """namespace App.Areas.Admin.Endpoints;

public static class MediaEndpoints
{
    public static IEndpointRouteBuilder MapMediaEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup($"/{PREFIX}/media-items");
        group.MapPost("/upload", Upload).WithName("mediaupload").RequireAuthorization(Permissions.MANAGE_MEDIA);
        group.MapGet("/id/{id}", ById).WithName("mediabyid").AllowAnonymous();
        return endpoints;
    }
}
"""


def test_interpolated_route_templates_keep_their_path_and_a_route_name_is_no_path() -> None:
    base = {"src/Web/Areas/Admin/Controllers/MediaController.cs": CONTROLLER_CS}
    head = {"src/Web/Areas/Admin/Endpoints/MediaEndpoints.cs": ENDPOINTS_CS}
    assert grown(base, head) == set()
    paths = {f.endpoint.path for f in compare({}, base).findings}
    assert paths == {"/{PREFIX}/media-items/upload", "/{PREFIX}/media-items/id/{id}"}


def test_a_litestream_console_is_an_operations_dashboard() -> None:
    routes = 'Rails.application.routes.draw do\n  mount Flipper::UI.app(Flipper) => "/flipper"\n%send\n'
    head = routes % '  mount Litestream::Engine => "/litestream"\n'
    assert ("added", "ANY", "/litestream/**") in grown(
        {"config/routes.rb": routes % ""}, {"config/routes.rb": head}
    )


POPULARITY = """from flask import Blueprint
bp = Blueprint("popularity", __name__)


@bp.get("/top-recordings/<mbid>")
def top_recordings(mbid):
    \"\"\"The artist's top recordings.\"\"\"
%s    return jsonify(popularity.top(mbid))
"""


def test_a_first_call_checking_the_callers_token_is_a_guard_and_dropping_it_widens() -> None:
    path = "webserver/views/popularity_api.py"
    for check in ("    ensure_user_token_for_expensive_endpoint()\n", "    user = validate_auth_header()\n"):
        assert ("widened", "GET", "/top-recordings/{mbid}") in grown(
            {path: POPULARITY % check}, {path: POPULARITY % ""}
        )
    # a payload validated first guards nothing
    payload = "    data = validate_payload(request.json)\n"
    assert grown({path: POPULARITY % payload}, {path: POPULARITY % ""}) == set()


SECURITY_YAML = """parameters:
    app.api_admin_regex: "^/api/admin"

security:
    access_control:
        - { path: "%%app.api_admin_regex%%/_partial", role: PUBLIC_ACCESS, ips: [127.0.0.1, ::1] }
%s        - { path: "%%app.api_admin_regex%%/.*", role: ROLE_API_ACCESS }
"""


def test_access_control_paths_built_on_parameters_are_read_with_the_parameters_value() -> None:
    path = "config/packages/security.yaml"
    head = SECURITY_YAML % '        - { path: "%app.api_admin_regex%/docs", role: PUBLIC_ACCESS }\n'
    assert ("widened", "ANY", "/api/admin/docs") in grown({path: SECURITY_YAML % ""}, {path: head})


def test_an_access_control_rule_open_to_listed_addresses_or_refusing_all_exempts_nothing() -> None:
    path = "config/packages/security.yaml"
    base = {path: SECURITY_YAML % ""}
    deny = '        - { path: "%app.api_admin_regex%/_partial", role: ROLE_NO_ACCESS }\n'
    local = '        - { path: "^/_partial", role: PUBLIC_ACCESS, ips: [127.0.0.1, ::1] }\n'
    assert grown(base, {path: SECURITY_YAML % (local + deny)}) == set()


def test_an_exemption_moved_under_a_new_segment_or_renamed_beside_its_route_is_no_growth() -> None:
    path = "config/packages/security.yaml"
    old = '        - { path: "%app.api_admin_regex%/reset-password-requests", role: PUBLIC_ACCESS }\n'
    renamed = (
        '        - { path: "%app.api_admin_regex%/administrators/reset-password", role: PUBLIC_ACCESS }\n'
    )
    assert grown({path: SECURITY_YAML % old}, {path: SECURITY_YAML % renamed}) == set()
    token = '        - { path: "^/api/token", role: PUBLIC_ACCESS }\n'
    moved = '        - { path: "^/api/admin/token", role: PUBLIC_ACCESS }\n'
    assert grown({path: SECURITY_YAML % token}, {path: SECURITY_YAML % moved}) == set()
    # another path exempted beside one dropped is still an exemption
    other = '        - { path: "^/api/admin/export", role: PUBLIC_ACCESS }\n'
    assert ("widened", "ANY", "/api/admin/export") in grown(
        {path: SECURITY_YAML % token}, {path: SECURITY_YAML % other}
    )


def test_a_permission_class_named_for_managing_is_narrower_than_a_sign_in() -> None:
    views = "class DeviceFreeSpaceView(views.APIView):\n    permission_classes = (%s,)\n\n    def get(self, request):\n        return Response()\n"
    urls = "from django.urls import path\nfrom .api import DeviceFreeSpaceView\nurlpatterns = [path('freespace/', DeviceFreeSpaceView.as_view())]\n"
    base = {"core/device/api.py": views % "CanManageContent", "core/device/urls.py": urls}
    head = {"core/device/api.py": views % "IsAuthenticated", "core/device/urls.py": urls}
    assert ("widened", "ANY", "/freespace") in grown(base, head)


def test_a_document_exempted_in_another_format_beside_its_exempt_tree_is_no_growth() -> None:
    path = "src/main/java/x/security/SecurityConfiguration.java"
    base = 'public class S {\n  void c(Registry r) {\n    r.antMatchers("/**/api-docs/**").anonymous()%s;\n  }\n}\n'
    head = base % '\n      .antMatchers("/**/api-docs.yaml").anonymous()'
    assert grown({path: base % ""}, {path: head}) == set()
    other = base % '\n      .antMatchers("/**/admin-export.yaml").anonymous()'
    assert ("widened", "ANY", "/**/admin-export.yaml") in grown({path: base % ""}, {path: other})
