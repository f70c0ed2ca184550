"""Idioms met in exposure set AX and the material left from earlier sets, each reduced to a snippet written here."""

from __future__ import annotations

from tests.exposure_growth import grown

WEBFLUX = """package com.acme.security;

@Configuration
public class SecurityConfig {
    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        http.authorizeExchange(exchanges -> exchanges
                .matchers(
                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, CUSTOM_AUTH + "/login"), // sign in
                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, NewUrl.APPLICATION_URL + "/*/view"),
%s                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, CONFIG_URL)
                )
                .permitAll()
                .pathMatchers("/api/**")
                    .authenticated()
                .anyExchange()
                    .authenticated()
        );
        return http.build();
    }
}
"""
FILE = "server/src/main/java/com/acme/security/SecurityConfig.java"


def test_a_webflux_matchers_list_opening_a_path_built_on_another_class_constant_widens() -> None:
    base = {FILE: WEBFLUX % ""}
    added = '                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, NewUrl.ORG_URL + "/byuser/*"),\n'
    assert grown(base, {FILE: WEBFLUX % added}) == {("widened", "ANY", "/{ORG_URL}/byuser/*")}
    alone = "                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, SERVER_SETTING_URL),\n"
    assert grown(base, {FILE: WEBFLUX % alone}) == {("widened", "ANY", "/{SERVER_SETTING_URL}")}
    literal = (
        '                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/docs/**"),\n'
    )
    assert grown(base, {FILE: WEBFLUX % literal}) == {("widened", "ANY", "/api/docs/**")}


def test_a_long_webflux_matchers_list_is_read_to_its_end() -> None:
    many = "".join(
        f'                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, APP_URL + "/p{i}"), // view\n'
        for i in range(80)
    )
    base = {FILE: WEBFLUX % many}
    added = (
        many
        + '                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/api/docs/**"),\n'
    )
    assert grown(base, {FILE: WEBFLUX % added}) == {("widened", "ANY", "/api/docs/**")}


def test_a_webflux_matchers_list_under_authenticated_guards_what_it_names() -> None:
    rule = """                .matchers(
                        ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, APPLICATION_URL + "/home")
                )
                    .authenticated()
"""
    head = WEBFLUX.replace(
        "        http.authorizeExchange(exchanges -> exchanges\n",
        "        http.authorizeExchange(exchanges -> exchanges\n" + rule,
    )
    assert grown({FILE: WEBFLUX % ""}, {FILE: head % ""}) == set()
