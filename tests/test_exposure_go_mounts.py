"""Go: a group built in one file and handed to a function declared in another."""

from __future__ import annotations

from checks.exposure import compare
from checks.exposure.extract import extract
from checks.exposure.mounts import search_terms
from tests.exposure_growth import grown

SERVER = """package server

import (
\t"github.com/gin-gonic/gin"
\t"example.com/app/internal/router"
)

func NewHTTPServer(api *router.APIRouter, auth *middleware.Auth) *gin.Engine {
\tr := gin.New()
\tr.GET("/healthz", health)

\tpublic := r.Group("/app/api/v1")
\tapi.RegisterPublicRouter(public)

\tcms := r.Group("/app/manage/api")
\tcms.Use(auth.MustAuth())
\tapi.RegisterManageRouter(cms)
\treturn r
}
"""

ROUTES = """package router

type APIRouter struct{}

func (a *APIRouter) RegisterPublicRouter(r *gin.RouterGroup) {
\tr.GET("/questions", a.listQuestions)
}

func (a *APIRouter) RegisterManageRouter(r *gin.RouterGroup) {
\tr.GET("/users", a.listUsers)
%s}
"""


def test_a_route_added_in_a_function_handed_a_group_elsewhere_takes_the_groups_prefix_and_guard() -> None:
    base = {"server/http.go": SERVER, "router/api.go": ROUTES % ""}
    head = {**base, "router/api.go": ROUTES % '\tr.PUT("/setting/smtp", a.updateSMTP)\n'}
    (added,) = compare(base, head).findings
    assert added.endpoint.path == "/app/manage/api/setting/smtp"
    assert added.endpoint.auth == "authenticated"
    paths = {e.path for e in extract(head)}
    assert "/app/api/v1/questions" in paths and "/questions" not in paths


def test_an_unguarded_group_handed_elsewhere_gives_only_its_prefix() -> None:
    server = SERVER.replace('"/app/manage/api"', '"/app/admin/api"').replace(
        "\tcms.Use(auth.MustAuth())\n", ""
    )
    base = {"server/http.go": server, "router/api.go": ROUTES % ""}
    head = {**base, "router/api.go": ROUTES % '\tr.PUT("/setting/smtp", a.updateSMTP)\n'}
    assert grown(base, head) == {("added", "PUT", "/app/admin/api/setting/smtp")}


COMMON_SERVER = """package server

import "example.com/app/admin"

func Routes(r *gin.Engine, users *UserRoutes) {
\tg := r.Group("/admin")
\tadmin.Register(g)
\tu := r.Group("/users")
\tusers.Register(u)
}
"""
COMMON_ADMIN = """package admin

func Register(r *gin.RouterGroup) {
\tr.GET("/stats", stats)
}
"""
COMMON_USERS = """package users

func (u *UserRoutes) Register(r *gin.RouterGroup) {
\tr.GET("/me", me)
}
"""


def test_a_common_name_names_its_function_only_with_its_package() -> None:
    files = {
        "server/routes.go": COMMON_SERVER,
        "admin/routes.go": COMMON_ADMIN,
        "users/routes.go": COMMON_USERS,
    }
    paths = {e.path for e in extract(files)}
    # `admin.Register(g)` names package admin's; `users.Register(u)` on a variable names no package's
    assert "/admin/stats" in paths
    assert "/me" in paths and "/admin/me" not in paths and "/users/me" not in paths


IN_FILE = """package router

func Setup(r *gin.Engine) {
\tadmin := r.Group("/admin")
\tregisterAdmin(admin)
}

func registerAdmin(g *gin.RouterGroup) {
\tg.GET("/stats", stats)
}
"""


def test_a_function_called_in_its_own_file_keeps_that_callers_group() -> None:
    (endpoint,) = extract({"router/router.go": IN_FILE})
    assert endpoint.path == "/admin/stats"


def test_the_mount_search_names_a_go_files_distinctive_router_functions() -> None:
    terms = search_terms("router/api.go", ROUTES % "")
    assert "RegisterManageRouter" in terms and "RegisterPublicRouter" in terms
    # a plain function is called with its package; a common method name is searched for nowhere
    assert "admin.Register" in search_terms("admin/routes.go", COMMON_ADMIN)
    assert "Register" not in search_terms("users/routes.go", COMMON_USERS)


HANDLER = """package http

import (
	"example.com/app/http/handlers/accounts"
	"example.com/app/http/handlers/peers"
)

func APIHandler(root *mux.Router) {
	router := root.PathPrefix("/api").Subrouter()
	router.Use(authMiddleware.Handler)
	accounts.AddEndpoints(manager, router)
	peers.AddEndpoints(manager, router)
}
"""
ENDPOINTS = """package %s

func AddEndpoints(manager Manager, router *mux.Router) {
	router.HandleFunc("/%s", list).Methods("GET")
}
"""


def test_two_packages_functions_of_one_name_are_two_routers() -> None:
    files = {
        "http/handler.go": HANDLER,
        "http/handlers/accounts/accounts.go": ENDPOINTS % ("accounts", "accounts"),
        "http/handlers/peers/peers.go": ENDPOINTS % ("peers", "peers"),
    }
    found = sorted((e.path, e.auth) for e in extract(files))
    assert found == [("/api/accounts", "authenticated"), ("/api/peers", "authenticated")]


SERVICE = """package server

func (am *AccountManager) DeleteAccount(ctx context.Context, accountID, userID string) error {
\tuser, err := am.user(ctx, userID)
\tif !user.HasAdminPower() {
\t\treturn status.Errorf(status.PermissionDenied, "only admins can delete accounts")
\t}
\treturn am.store.DeleteAccount(ctx, accountID)
}
"""
DELEGATING = """package accounts

func AddEndpoints(manager Manager, router *mux.Router) {
\th := &handler{manager}
\trouter.HandleFunc("/accounts/{accountId}", h.%s).Methods("DELETE")
}

func (h *handler) %s(w http.ResponseWriter, r *http.Request) {
\terr := h.manager.DeleteAccount(r.Context(), mux.Vars(r)["accountId"], userID(r))
\twriteResult(w, err)
}
"""


def test_a_handler_delegating_to_a_method_of_its_own_name_meets_its_check() -> None:
    def files(handler: str) -> dict[str, str]:
        return {"server/account.go": SERVICE, "http/accounts/accounts.go": DELEGATING % (handler, handler)}

    (endpoint,) = extract(files("deleteAccount"))
    assert endpoint.auth == "authenticated" and any("HasAdminPower" in r for r in endpoint.reasons)
    # the handler renamed unexported keeps what the exported one met
    assert not compare(files("DeleteAccount"), files("deleteAccount")).grows
