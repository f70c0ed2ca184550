"""Rust web frameworks: Rocket, actix-web and axum, each idiom as a snippet written for its test."""

from __future__ import annotations

from checks.exposure import extract
from checks.exposure.extract import might_declare_routes
from tests.exposure_growth import grown as _grown

ADMIN = """use rocket::Route;

pub fn routes() -> Vec<Route> {
    routes![get_users]
}

#[get("/users")]
fn get_users(_token: AdminToken, conn: DbConn) -> Json<Value> {
    todo!()
}
"""
MAIN = """fn launch() -> Rocket<Build> {
    rocket::build()
        .mount("/", routes![index])
        .mount("/admin", admin::routes())
}

#[get("/")]
fn index() -> &'static str {
    "hi"
}
"""


def _endpoints(files: dict[str, str]) -> set[tuple[str, str, str]]:
    return {(e.method, e.path, e.auth) for e in extract(files)}


def test_rocket_routes_take_the_prefix_they_are_mounted_at_and_their_request_guards() -> None:
    found = _endpoints({"src/api/admin.rs": ADMIN, "src/main.rs": MAIN})
    assert found == {("GET", "/admin/users", "authenticated"), ("GET", "/", "unauthenticated")}


def test_a_route_guarded_by_an_admin_request_guard_is_internal_under_any_path() -> None:
    base = {"src/api/core.rs": "pub fn routes() -> Vec<Route> {\n    routes![]\n}\n"}
    added = base["src/api/core.rs"].replace("routes![]", "routes![purge]") + (
        '\n#[post("/purge")]\nfn purge(_token: AdminToken) -> EmptyResult {\n    Ok(())\n}\n'
    )
    assert _grown(base, {"src/api/core.rs": added}) == {("added", "POST", "/purge")}
    public = added.replace("_token: AdminToken", "headers: Headers")
    assert _grown(base, {"src/api/core.rs": public}) == set()


def test_a_commented_out_attribute_is_no_route() -> None:
    text = '// #[get("/debug/state")]\n/* #[get("/admin")] */\nfn state() {}\n'
    assert _endpoints({"src/debug.rs": text}) == set()


AXUM = """pub fn router() -> Router {
    Router::new()
        .route("/users", get(list_users).post(create_user))
        .route_layer(middleware::from_fn(require_admin))
        .route("/health", get(health))
}
"""
APP = 'fn app() -> Router {\n    Router::new().route("/", get(index)).nest("/admin", admin::router())\n}\n'


def test_axum_layers_guard_the_routes_before_them_and_nest_prefixes_them() -> None:
    found = _endpoints({"src/admin.rs": AXUM, "src/app.rs": APP})
    assert found == {
        ("GET", "/admin/users", "authenticated"),
        ("POST", "/admin/users", "authenticated"),
        ("GET", "/admin/health", "unauthenticated"),
        ("GET", "/", "unauthenticated"),
    }


def test_axum_layer_removed_widens_every_route_it_guarded() -> None:
    bare = AXUM.replace("        .route_layer(middleware::from_fn(require_admin))\n", "")
    grown = _grown({"src/admin.rs": AXUM, "src/app.rs": APP}, {"src/admin.rs": bare, "src/app.rs": APP})
    assert grown == {("widened", "GET", "/admin/users"), ("widened", "POST", "/admin/users")}


def test_axum_handler_extractors_are_guards() -> None:
    text = (
        'fn api() -> Router {\n    Router::new().route("/api/stats", get(stats))\n}\n'
        "async fn stats(_admin: RequireAdmin, State(s): State<App>) -> Json<Stats> {\n    todo!()\n}\n"
    )
    assert _grown({}, {"src/api.rs": text}) == {("added", "GET", "/api/stats")}


ACTIX = """fn config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/internal")
            .wrap(AdminOnly)
            .service(stats)
            .route("/flush", web::post().to(flush)),
    );
}

#[get("/stats")]
async fn stats() -> impl Responder {
    ""
}
"""


def test_actix_scopes_prefix_and_guard_their_services_and_routes() -> None:
    assert _endpoints({"src/routes.rs": ACTIX}) == {
        ("POST", "/internal/flush", "authenticated"),
        ("GET", "/internal/stats", "authenticated"),
    }


def test_rust_files_without_routing_are_not_read() -> None:
    assert not might_declare_routes("src/model.rs", "pub struct User {\n    name: String,\n}\n")
    assert might_declare_routes("src/api.rs", AXUM)
