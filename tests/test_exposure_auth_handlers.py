"""Issue 14: an ASP.NET Core authorization handler that gains a way to succeed without a user widens every
endpoint it protects. Snippets written for this test."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.auth_handlers import extract_auth_handler_bypasses
from tests.exposure_growth import grown

HANDLER = """using Microsoft.AspNetCore.Authorization;

namespace Shop.Http
{
    public class LanAuthorizationHandler : AuthorizationHandler<LanRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, LanRequirement requirement)
        {
            if (_mode == AuthMode.DisabledForLocalAddresses)
            {
                if (context.Resource is HttpContext http && IPAddress.TryParse(http.RemoteIp(), out var %(ip)s))
                {
                    if (%(cond)s)
                    {
                        context.Succeed(requirement);
                    }
                }
            }
%(more)s
            return Task.CompletedTask;
        }
    }
}
"""
PATH = "src/Shop.Http/LanAuthorizationHandler.cs"


def handler(cond: str = "ip.IsPrivate()", ip: str = "ip", more: str = "") -> dict[str, str]:
    return {PATH: HANDLER % {"cond": cond, "ip": ip, "more": more}}


def only_bypass(found: set[tuple[str, str, str]]) -> bool:
    return len(found) == 1 and next(iter(found))[2].startswith("/LanAuthorizationHandler/anonymous-when/")


def test_the_bypass_names_the_handler_and_what_its_path_tests() -> None:
    (route,) = extract_auth_handler_bypasses(PATH, handler()[PATH]).routes
    assert route.path == (
        "/LanAuthorizationHandler/anonymous-when/"
        "AuthMode+DisabledForLocalAddresses+HttpContext+IPAddress+IsPrivate+RemoteIp+Resource+TryParse"
    )


def test_a_new_alternative_that_lets_more_addresses_in_is_a_bypass() -> None:
    wider = handler("ip.IsPrivate() || (_options.TrustCarrierNat && ip.IsCarrierNat())")
    found = grown(handler(), wider)
    assert only_bypass(found)
    (finding,) = [f for f in compare(handler(), wider).findings if f.change == "widened"]
    assert "TrustCarrierNat" in finding.endpoint.reasons[0]
    assert finding.endpoint.auth == "unauthenticated"


def test_a_new_setting_branch_that_trusts_loopback_is_a_bypass() -> None:
    branch = """            else if (_mode == AuthMode.DisabledForLocalhost)
            {
                if (context.Resource is HttpContext h && IPAddress.IsLoopback(h.Connection.RemoteIpAddress))
                {
                    context.Succeed(requirement);
                }
            }
"""
    # The `else if` hangs off the outer `if`: its own condition is the one that gates the new path.
    text = handler()[PATH].replace(
        "            }\n\n            return", "            }\n" + branch + "\n            return"
    )
    assert only_bypass(grown(handler(), {PATH: text}))


def test_renaming_a_local_variable_or_reformatting_is_the_same_path() -> None:
    assert grown(handler(), handler("addr.IsPrivate()", ip="addr")) == set()
    assert grown(handler(), handler("ip.IsPrivate(\n                        )")) == set()


def test_removing_a_path_and_narrowing_it_widen_nothing() -> None:
    assert grown(handler(), {PATH: handler()[PATH].replace("context.Succeed(requirement);", "")}) == set()
    assert grown(handler(), handler("ip.IsPrivate() && !_options.Strict")) == set()
    # The reverse drops a condition: more callers get through.
    assert only_bypass(grown(handler("ip.IsPrivate() && !_options.Strict"), handler()))


def test_paths_that_check_the_user_are_no_bypass() -> None:
    for cond in (
        "context.User.Identity.IsAuthenticated",
        'ip.IsPrivate() && context.User.HasClaim(c => c.Type == "lan")',
        'context.User.IsInRole("Admin")',
    ):
        assert extract_auth_handler_bypasses(PATH, handler(cond)[PATH]).routes == []
        assert grown(handler("context.User.Identity.IsAuthenticated"), handler(cond)) == set()


def test_only_authorization_handlers_and_conditions_about_origin_or_settings_count() -> None:
    plain = handler()[PATH].replace(" : AuthorizationHandler<LanRequirement>", " : Job")
    assert extract_auth_handler_bypasses(PATH, plain).routes == []
    # A path testing only the requirement's own data is the handler's normal decision, not a bypass.
    normal = (
        handler()[PATH]
        .replace("if (_mode == AuthMode.DisabledForLocalAddresses)", "if (requirement.Level > 2)")
        .replace(
            "context.Resource is HttpContext http && IPAddress.TryParse(http.RemoteIp(), out var ip)", "true"
        )
    )
    normal = normal.replace("if (ip.IsPrivate())", "if (requirement.Level < 9)")
    assert extract_auth_handler_bypasses(PATH, normal).routes == []


HOOK = """from flask import request
import flask_login


def create_app(store):
    app = Flask(__name__)
    login_manager = flask_login.LoginManager(app)

    @app.before_request
    def require_login():
        protected = store.settings.get("password")
        if protected and not flask_login.current_user.is_authenticated:
            if request.endpoint and "login" in request.endpoint:
                return None
            elif request.method in EXEMPT_METHODS:
                return None
%s            else:
                return login_manager.unauthorized()
    return app
"""
HOOK_PATH = "shop/app.py"


def hook(*branches: str) -> dict[str, str]:
    return {HOOK_PATH: HOOK % "".join(branches)}


API = "            elif request.path.startswith('/api/'):\n                return None\n"
FEED = "            elif request.endpoint == 'rss.feed':\n                return None\n"
FEEDS = "            elif request.blueprint == 'rss':\n                return None\n"


def test_a_login_hook_that_returns_early_for_more_requests_widens() -> None:
    found = grown(hook(), hook(API))
    assert len(found) == 1
    (finding,) = [f for f in compare(hook(), hook(API)).findings if f.change == "widened"]
    assert finding.endpoint.path.startswith("/require_login/anonymous-when/")
    assert "request.path.startswith('/api/')" in finding.endpoint.reasons[0]
    # One feed exempted → a whole blueprint exempted: another path, the old one narrowed away.
    assert len(grown(hook(FEED), hook(FEEDS))) == 1


def test_a_login_hook_unchanged_or_losing_an_exemption_widens_nothing() -> None:
    assert grown(hook(API), hook(API)) == set()
    assert grown(hook(API, FEED), hook(FEED)) == set()
    # Reformatted, the same conditions.
    assert grown(hook(API), hook(API.replace("startswith('/api/')", "startswith( '/api/' )"))) == set()


def test_early_returns_for_a_logged_in_caller_are_no_bypass() -> None:
    own = "            elif flask_login.current_user.is_authenticated and request.path == '/me':\n                return None\n"
    assert grown(hook(), hook(own)) == set()


def test_hooks_that_never_deny_and_code_that_does_not_parse_are_skipped() -> None:
    locale = HOOK.replace("login_manager.unauthorized()", "set_locale()").replace('"login"', '"lang"')
    assert grown({HOOK_PATH: locale % ""}, {HOOK_PATH: locale % API}) == set()
    assert (
        grown({HOOK_PATH: "@app.before_request\ndef f(:\n"}, {HOOK_PATH: "@app.before_request\ndef f(\n"})
        == set()
    )


def test_a_login_hook_added_with_its_exemptions_opens_nothing() -> None:
    # the API was open; the change turns anonymous callers away except on the exempted paths
    plain = {HOOK_PATH: "from flask import Flask\n\n\ndef create_app(store):\n    return Flask(__name__)\n"}
    assert grown(plain, hook(API)) == set()
    # the hook renamed: its exemptions are new paths of a hook the base did not have
    renamed = {HOOK_PATH: hook(API)[HOOK_PATH].replace("def require_login", "def check_login")}
    assert grown(hook(API), renamed) == set()
    # an exemption added to a hook that was there widens, as before
    assert len(grown(hook(), hook(API))) == 1


def test_a_renamed_login_hook_gaining_an_exemption_widens() -> None:
    renamed = {HOOK_PATH: hook(API)[HOOK_PATH].replace("def require_login", "def check_login")}
    assert len(grown(hook(), renamed)) == 1
