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
