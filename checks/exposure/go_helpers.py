"""Go route-registration helpers: `h(r, "getUser", api.GetUser)` where `func h(r chi.Router, path string, …)`
or a closure `h := func(router *mux.Router, path string, …)`.

A package-level helper whose first parameter is a router and second a path string registers a route on the
router it is given, where it is called: each call is read as `r.HandleFunc("/getUser", …)` at the call site, so
the groups and middleware around the call apply. The rewrite keeps every line where it was.
"""

from __future__ import annotations

import re

_HELPER = re.compile(
    r"^(?:func[ \t]+(\w+)|[ \t]*(\w+)[ \t]*:?=[ \t]*func)[ \t]*\([ \t]*\w+[ \t]+\*?[\w.]*(?:Router|Mux|RouterGroup|Group|Echo|Engine|IRoutes|IRouter)"
    r"[ \t]*,[ \t]*\w+[ \t]+string\b",
    re.M,
)


def expand_route_helpers(text: str) -> str:
    names = {m.group(1) or m.group(2) for m in _HELPER.finditer(text)}
    if not names:
        return text
    call = re.compile(r"(?<![\w.])(" + "|".join(sorted(names)) + r')\(\s*(\w+)\s*,\s*"/?([^"\n]{0,300})"')

    def rewrite(m: re.Match[str]) -> str:
        return f'{m.group(2)}.HandleFunc("/{m.group(3)}"'

    # A helper's own declaration (`func h(r chi.Router, path string`) has no string literal: left alone.
    return call.sub(rewrite, text)


# A line comment (`//l.POST("/:id", h)`): commented-out routes are not served. Not `://` in a URL, not `"//`.
_LINE_COMMENT = re.compile(r"(?<![:\w\"'/*`])//[^\n]*")


def without_line_comments(text: str) -> str:
    """Go source with its `//` comments blanked to spaces, so offsets and line numbers stay."""
    if "//" not in text:
        return text
    return _LINE_COMMENT.sub(lambda c: " " * len(c.group()), text)


# A Go file's build constraint (`//go:build debug`, `// +build dev`) naming a debugging tag: only a build made
# for debugging compiles the file, so what it serves is no production endpoint.
_BUILD_CONSTRAINT = re.compile(r"^//\s*(?:go:build|\+build)\s+([^\n]{1,200})$", re.MULTILINE)
# (`pprof` is not one: a profiler an operator opts into on a production build)
_DEBUG_TAG = re.compile(r"(?<![!\w])(?:debug|dev|devel|development)\b")
_PACKAGE_CLAUSE = re.compile(r"^package\s+\w", re.MULTILINE)


def debug_build_only(text: str) -> bool:
    """Whether the file's build constraint compiles it only when a debugging tag is set: every alternative
    (`a || b`) requires one (`debug`, `dev && linux`), none negated (`!debug` is the production build)."""
    package = _PACKAGE_CLAUSE.search(text)
    head = text[: package.start()] if package is not None else text[:2000]
    for m in _BUILD_CONSTRAINT.finditer(head):
        # `//go:build a || b`; the older `// +build a b` separates alternatives by spaces, terms by commas
        alternatives = m.group(1).split("||") if "go:build" in m.group(0) else m.group(1).split()
        if all(_DEBUG_TAG.search(alt) for alt in alternatives):
            return True
    return False
