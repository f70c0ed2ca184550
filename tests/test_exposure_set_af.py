"""Issue 14: idioms read from set AF's misses (after its blind run), each as a minimal snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

JSONAPI_ROUTES = """from flask_rest_jsonapi import Api
from app.api.discount_codes import DiscountCodeDetail, DiscountCodeRelationship

api = Api()
api.route(DiscountCodeDetail, 'discount_code_detail', '/discount-codes/<int:id>',
          '/events/<int:event_id>/discount-code')
api.route(DiscountCodeRelationship, 'discount_code_event',
          '/discount-codes/<int:id>/relationships/event')
"""
JSONAPI_RESOURCES = """from flask_rest_jsonapi import ResourceDetail, ResourceRelationship


class DiscountCodeDetail(ResourceDetail):
    decorators = (jwt_required,)


class DiscountCodeRelationship(ResourceRelationship):
%s    methods = ['GET']
"""


def test_flask_rest_jsonapi_routes_meet_their_resources_decorators() -> None:
    routes = {"app/api/__init__.py": JSONAPI_ROUTES}
    base = {**routes, "app/api/discount_codes.py": JSONAPI_RESOURCES % "    decorators = (jwt_required,)\n"}
    head = {**routes, "app/api/discount_codes.py": JSONAPI_RESOURCES % ""}
    assert grown(base, head) == {("widened", "ANY", "/discount-codes/{id}/relationships/event")}
    assert grown(head, base) == set()


DJANGO_URLS = """from django.urls import path
from .views import Me, UserCreation

urlpatterns = [
    path(route="me", view=Me.as_view(), name="me"),
%s]
"""
DJANGO_VIEWS = """from rest_framework import generics
from rest_framework.permissions import IsAdminUser, IsAuthenticated


class Me(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]


class UserCreation(generics.CreateAPIView):
    permission_classes = [IsAuthenticated & IsAdminUser]
"""


def test_django_path_given_by_keywords() -> None:
    added = '    path(route="users/create", view=UserCreation.as_view(), name="user_create"),\n'
    base = {"users/urls.py": DJANGO_URLS % "", "users/views.py": DJANGO_VIEWS}
    head = {"users/urls.py": DJANGO_URLS % added, "users/views.py": DJANGO_VIEWS}
    assert grown(base, head) == {("added", "ANY", "/users/create")}


TORNADO = """import tornado.web


class BaseHandler(tornado.web.RequestHandler):
    pass


class ListHandler(BaseHandler):
    @authenticated
    def get(self):
        self.write("[]")


class PrometheusServiceDiscoveryHandler(BaseHandler):
    @authenticated
    def get(self):
        self.write("[]")


def make_app(rel):
    return tornado.web.Application([
        (f"{rel}devices", ListHandler),
%s    ])
"""


def test_tornado_route_under_the_configured_base_path() -> None:
    added = '        (f"{rel}prometheus-sd", PrometheusServiceDiscoveryHandler),\n'
    assert grown({"dashboard/app.py": TORNADO % ""}, {"dashboard/app.py": TORNADO % added}) == {
        ("added", "ANY", "/prometheus-sd")
    }


FASTAPI = """from fastapi import APIRouter

router = APIRouter(prefix="/admin")


@router.post("/admin/flagged_messages/{message_id}/processed")
def process_flagged(message_id: str):
    return None
%s"""


def test_an_unguarded_internal_route_is_no_rename_of_an_unrelated_one() -> None:
    moved = FASTAPI.replace('"/admin/flagged_messages', '"/flagged_messages')
    added = '\n\n@router.post("/merge_users")\ndef merge_users():\n    return None\n'
    found = grown({"api/admin.py": FASTAPI % ""}, {"api/admin.py": moved % added})
    assert ("added", "POST", "/admin/merge_users") in found
    # the same route under a new name keeping a named segment is still a rename
    renamed = FASTAPI.replace("/processed", "/done")
    assert grown({"api/admin.py": FASTAPI % ""}, {"api/admin.py": renamed % ""}) == set()


def test_review_mends_of_the_fourteenth_session() -> None:
    # a call that passes a path and a constant in a Tornado file is no route
    handler = (
        "import tornado.web\n\n\nclass LoginHandler(tornado.web.RequestHandler):\n    def get(self):\n"
        '        self.redirect("/admin/login", True)\n%s'
    )
    assert grown({"app/login.py": handler % ""}, {"app/login.py": handler % "        log(Level)\n"}) == set()
    # a Django urlconf included by keyword mounts its module; it declares no route of its own
    urls = 'from django.urls import include, path\n\nurlpatterns = [\n    path("me/", me),\n%s]\n'
    included = '    path(route="internal/", view=include("ops.urls")),\n'
    assert grown({"app/urls.py": urls % ""}, {"app/urls.py": urls % included}) == set()
    # a resource's own manager is no management interface
    express = "const router = express.Router();\nrouter.get('/users/:id', auth, show);\n%s"
    added = "router.get('/users/:id/manager', auth, manager);\n"
    assert grown({"src/users.js": express % ""}, {"src/users.js": express % added}) == set()
    # a route replaced in place by an unrelated one is no rename
    admin = "const router = express.Router();\nrouter.get('/admin/stats', stats);\nrouter.post('%s', h);\n"
    assert ("added", "POST", "/admin/merge_users") in grown(
        {"src/admin.js": admin % "/admin/flagged/:id/processed"},
        {"src/admin.js": admin % "/admin/merge_users"},
    )


def test_a_rename_into_a_nested_resource_keeps_its_words() -> None:
    routes = "Rails.application.routes.draw do\n  namespace :admin do\n%s  end\nend\n"
    base = routes % "    resources :users_account_suspensions, only: [:create]\n"
    head = (
        routes % "    resources :users, only: [] do\n      resource :suspension, only: [:create]\n    end\n"
    )
    assert grown({"config/routes.rb": base}, {"config/routes.rb": head}) == set()


REDIRECTS = """Rails.application.routes.draw do
  namespace :super_admins do
    resources :agents
  end
%s
end
"""


def test_a_rails_redirect_under_an_internal_name_exposes_nothing() -> None:
    base = {"config/routes.rb": REDIRECTS % ""}
    redirect = {
        "config/routes.rb": REDIRECTS % '  get "super_admin", to: redirect("super_admins", status: 301)'
    }
    served = {"config/routes.rb": REDIRECTS % '  get "super_admin" => "super_admins/agents#index"'}
    assert grown(base, redirect) == set()
    assert grown(base, served) == {("added", "GET", "/super_admin")}


DROPWIZARD = """public class ChatService extends Application<ChatConfiguration> {
  @Override
  public void run(ChatConfiguration config, Environment environment) {
    environment.jersey().register(new MessageController());
%s  }
}
"""


def test_dropwizard_admin_tasks_and_servlets_are_operator_endpoints() -> None:
    base = {"src/main/java/chat/ChatService.java": DROPWIZARD % ""}
    task = "    environment.admin().addTask(new SetFlagTask(flags));\n"
    servlet = '    environment.admin().addServlet("dump", new DumpServlet()).addMapping("/dump/*");\n'
    head = {"src/main/java/chat/ChatService.java": DROPWIZARD % (task + servlet)}
    assert grown(base, head) == {("added", "POST", "/tasks/{SetFlagTask}"), ("added", "ANY", "/dump/**")}
    assert grown(head, base) == set()


SECURITY = """@Configuration
class SecurityConfig extends WebSecurityConfigurerAdapter {
    @Override
    protected void configure(HttpSecurity http) throws Exception {
        http.requestMatchers().antMatchers("/admin/**").and()
            .authorizeRequests().antMatchers("/admin/users/**").hasRole("ADMIN")
            .anyRequest().authenticated();
    }
}
"""
LAMBDA_SECURITY = """@Configuration
class WebSecurity {
    @Bean
    SecurityFilterChain admin(HttpSecurity http) throws Exception {
        http.securityMatcher("/admin/**")
            .authorizeHttpRequests(a -> a.requestMatchers("/admin/users/**").hasRole("ADMIN").anyRequest().authenticated());
        return http.build();
    }
}
"""


def test_a_filter_chain_deleted_leaves_what_it_guarded_open() -> None:
    base = {"src/main/java/site/SecurityConfig.java": SECURITY}
    assert grown(base, {}) == {("widened", "ANY", "/admin/**")}
    # the chain rewritten in another file still guards
    assert grown(base, {"src/main/java/site/WebSecurity.java": LAMBDA_SECURITY}) == set()
    # a chain written anew is no exposure by itself
    assert grown({}, base) == set()
