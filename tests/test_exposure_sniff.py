"""The cheap test that decides whether a file is parsed at all: split into its alternatives, it must say
exactly what the whole pattern says, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from checks.exposure.extract import _SNIFF, _SNIFF_PARTS, _alternatives, might_declare_routes

# Pieces of every family's markers, so random texts hit the patterns as well as miss them.
_PIECES = [
    ".get(",
    ".post (",
    "@Controller",
    ".set('admin', [",
    "rights = {",
    "export async function GET",
    "Handle(",
    ".Group(",
    "[HttpGet",
    "[Route",
    ".MapPost(",
    "routes.draw",
    "before_action",
    "Route::",
    "function handle(",
    "scope ",
    "pipe_through",
    "service Foo",
    "type Query",
    "paths:",
    "openapi:",
    "management.",
    "APIRouter",
    "urlpatterns",
    "is_superuser",
    "@GetMapping",
    "\n",
    " ",
    "x",
    "(",
    "'",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from(sorted(_SNIFF)))
def test_alternatives_decide_as_the_whole_pattern(pieces: list[str], ext: str) -> None:
    text = "".join(pieces)
    whole = _SNIFF[ext].search(text) is not None
    assert any(p.search(text) is not None for p in _SNIFF_PARTS[ext]) is whole


def test_alternatives_split_only_at_the_top_level() -> None:
    parts = _alternatives(re.compile(r"a(?:b|c)|[|x]|\||d", re.M))
    assert [p.pattern for p in parts] == ["a(?:b|c)", "[|x]", r"\|", "d"]
    assert all(p.flags & re.M for p in parts)


def test_a_file_without_markers_is_not_parsed() -> None:
    plain = "export const add = (a: number, b: number) => a + b;\n"
    assert might_declare_routes("src/util.ts", plain) is False
    assert might_declare_routes("src/routes.ts", "router.get('/x', handler);\n") is True
