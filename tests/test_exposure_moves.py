"""Registrations moved into a helper in another file keep their endpoints when its context is unresolved."""

from __future__ import annotations

from checks.exposure import compare

ROUTER = """package router

func Load(e *gin.Engine) {
\te.Use(token.Refresh)
\tusers := e.Group("/api/users")
\t{
\t\tusers.GET("", listUsers)
\t\tusers.GET("/:id", getUser)
\t}
}
"""

MOVED_ROUTER = """package router

func Load(e *gin.Engine) {
\te.Use(token.Refresh)
\tapiRoutes(e)
}
"""

API = """package router

func apiRoutes(e *gin.Engine) {
\tusers := e.Group("/api/users")
\t{
\t\tusers.GET("", listUsers)
\t\tusers.GET("/:id", getUser)
\t}
}
"""


def test_block_moved_into_a_helper_in_a_new_file_is_not_widened() -> None:
    delta = compare({"router/router.go": ROUTER}, {"router/router.go": MOVED_ROUTER, "router/api.go": API})
    assert not delta.grows
    assert {f.change for f in delta.findings} <= {"moved"}


def test_same_file_move_out_of_the_auth_group_still_widens() -> None:
    head = ROUTER.replace("\te.Use(token.Refresh)\n", "").replace(
        "func Load(e *gin.Engine) {\n",
        'func Load(e *gin.Engine) {\n\te.GET("/api/users/:id", getUser)\n\te.Use(token.Refresh)\n',
    )
    delta = compare({"router/router.go": ROUTER}, {"router/router.go": head})
    assert [(f.change, f.endpoint.path) for f in delta.findings if f.change == "widened"] == [
        ("widened", "/api/users/{id}")
    ]


ROUTES = """package routes

func register(e *echo.Echo) {
\ta := e.Group("/api/v1")
\ta.GET("/metrics", metricsHandler)
}
"""

HELPER = """package routes

func setupMetrics(a *echo.Group) {
\ta.GET("/metrics", metricsHandler)
}
"""


def test_registration_extracted_into_a_helper_keeps_its_prefix() -> None:
    head = {
        "routes/routes.go": ROUTES.replace('\ta.GET("/metrics", metricsHandler)\n', "\tsetupMetrics(a)\n"),
        "routes/metrics.go": HELPER,
    }
    delta = compare({"routes/routes.go": ROUTES}, head)
    assert not delta.grows
    # the helper's caller is read: the route keeps its prefix, the same endpoint (or one moved where not)
    assert {f.change for f in delta.findings} <= {"moved"}


def test_gin_route_on_the_group_prefix_itself() -> None:
    base = 'package r\nfunc S(e *gin.Engine) {\n\te.GET("/health", h)\n}\n'
    head = base.replace(
        "}\n",
        '\tlevel := e.Group("/api/log-level")\n\tlevel.Use(session.MustAdmin())\n\tlevel.GET("", get)\n}\n',
    )
    delta = compare({"r/r.go": base}, {"r/r.go": head})
    assert delta.grows
    assert [(f.endpoint.method, f.endpoint.path) for f in delta.findings] == [("GET", "/api/log-level")]


ADMIN_ROUTERS = """from app.routers import AdminAPIRouter

from . import users

router = AdminAPIRouter(prefix="/admin")

router.include_router(users.router)
"""

USERS = """from fastapi import APIRouter

router = APIRouter(prefix="/users")


@router.get("")
def list_users():
    return []
"""


def test_router_included_under_an_admin_router_subclass_inherits_its_prefix_and_guard() -> None:
    base = {"app/admin/__init__.py": ADMIN_ROUTERS, "app/admin/users.py": USERS}
    head = {
        **base,
        "app/admin/users.py": USERS + '\n\n@router.post("/reset-token")\ndef reset_token():\n    return {}\n',
    }
    delta = compare(base, head)
    assert delta.grows
    [finding] = delta.findings
    assert (finding.endpoint.path, finding.endpoint.auth) == ("/admin/users/reset-token", "authenticated")
