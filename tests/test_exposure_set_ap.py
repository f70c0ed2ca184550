"""Idioms met in exposure set AP, each reduced to a snippet written here."""

from __future__ import annotations

from checks.exposure.scan import AUTH_WORDS
from tests.exposure_growth import grown

CHI = """package api

func (s Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(auth.HandleAuthentication(s.Session))
	r.Route("/repos/{owner}/{name}", func(r chi.Router) {
		r.Use(acl.CheckReadAccess())
%s	})
	return r
}
"""


def test_access_checks_are_guards() -> None:
    for name in ("acl.CheckWriteAccess", "check_access", "has_access", "requireProjectAccess", "checkAccessFor"):
        assert AUTH_WORDS.search(name), name
    for name in ("AccessLog", "accessible", "handleAccess"):
        assert not AUTH_WORDS.search(name), name


def test_a_write_check_dropped_under_a_read_check_widens() -> None:
    before = {"api.go": CHI % '\t\tr.With(acl.CheckWriteAccess()).Get("/builds", builds.HandleList)\n'}
    after = {"api.go": CHI % '\t\tr.Get("/builds", builds.HandleList)\n'}
    assert grown(before, after) == {("widened", "GET", "/repos/{owner}/{name}/builds")}
    # the other way round the route gains a check
    assert grown(after, before) == set()


def test_a_write_check_replaced_by_the_same_read_check_widens() -> None:
    before = {"api.go": CHI % '\t\tr.With(acl.CheckWriteAccess()).Post("/deploy", deploys.Create)\n'}
    after = {"api.go": CHI % '\t\tr.With(acl.CheckReadAccess()).Post("/deploy", deploys.Create)\n'}
    assert grown(before, after) == {("widened", "POST", "/repos/{owner}/{name}/deploy")}
    assert grown(after, before) == set()
    # a different check in its place is no loosening we can rank
    other = {"api.go": CHI % '\t\tr.With(acl.CheckTeamAccess()).Post("/deploy", deploys.Create)\n'}
    assert grown(before, other) == set()
