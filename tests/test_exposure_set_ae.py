"""Issue 14: idioms read from set AE's misses and false blocks (after its blind run), each as a minimal snippet
written here."""

from __future__ import annotations

from tests.exposure_growth import grown

TORNADO_URLS = """from tornado.web import StaticFileHandler
from .views import monitor

handlers = [
    (r"/monitor", monitor.Monitor),
%s    (r"/static/(.*)", StaticFileHandler, {"path": "static"}),
]
"""
TORNADO_VIEWS = """from tornado import web
from ..views import BaseHandler


class Monitor(BaseHandler):
    @web.authenticated
    def get(self):
        self.write("ok")


class Metrics(BaseHandler):
%s    def get(self):
        self.write(render())
"""


def test_tornado_handlers_named_without_the_handler_suffix() -> None:
    views = TORNADO_VIEWS % "    @web.authenticated\n"
    base = {"app/urls.py": TORNADO_URLS % "", "app/views/monitor.py": views}
    head = {
        "app/urls.py": TORNADO_URLS % '    (r"/metrics", monitor.Metrics),\n',
        "app/views/monitor.py": views,
    }
    assert grown(base, head) == {("added", "ANY", "/metrics")}
    # the decorator dropped from the metrics handler opens it
    opened = {**head, "app/views/monitor.py": TORNADO_VIEWS % ""}
    assert grown(head, opened) == {("widened", "ANY", "/metrics")}


EXPRESS = """import { Router } from "express";
import { logged, measureRequestDuration } from "../tools/middleware";

export const router = Router();

router.get("/version", %sasync (_, res) => {
  res.json({});
});
router.post("/generate-token", %sasync (req, res) => {
  res.json({});
});
"""


def test_express_logged_middleware_guards_and_a_path_argument_does_not() -> None:
    path = "src/routes/index.ts"
    base = {path: EXPRESS % ("logged, ", "logged, ")}
    assert grown(base, {path: EXPRESS % ("", "logged, ")}) == {("widened", "GET", "/version")}
    # a middleware given the route's own path (a timer) guards nothing: swapping it for the login widens
    # nothing that was guarded
    timed = {
        path: EXPRESS
        % ('measureRequestDuration("/version"), ', 'measureRequestDuration("/generate-token"), ')
    }
    assert grown(timed, {path: EXPRESS % ("logged, ", "logged, ")}) == set()
    assert grown({path: EXPRESS % ("logged, ", "logged, ")}, timed) == {
        ("widened", "GET", "/version"),
        ("widened", "POST", "/generate-token"),
    }


GO_MAIN = """package main

func main() {
	r := route.New()
	r.Handler("GET", *routePrefix+"/metrics/job/:job", handler.Push(ms))
%s}
"""


def test_go_method_argument_route_under_a_configured_prefix() -> None:
    added = '\tif *enableAdminAPI {\n\t\tr.Handler("PUT", *routePrefix+"/api/v1/admin/wipe", handler.Wipe(ms))\n\t}\n'
    assert grown({"main.go": GO_MAIN % ""}, {"main.go": GO_MAIN % added}) == {
        ("added", "PUT", "/api/v1/admin/wipe")
    }


def test_a_debug_named_segment_is_internal() -> None:
    router = 'package api\n\nfunc (r *Router) Setup(m *mux.Router) {\n\tm.HandleFunc("/list", r.list).Methods("GET")\n%s}\n'
    added = '\tm.HandleFunc("/debugtimeissues", r.debug).Methods("POST")\n'
    assert grown({"api/router.go": router % ""}, {"api/router.go": router % added}) == {
        ("added", "POST", "/debugtimeissues")
    }


SPRING = """@RestController
public class StoragesController {
    @RequestMapping(value = "/storages", method = RequestMethod.GET)
    public ResponseEntity<?> listStorages(final Client client) {
%s        return status(HttpStatus.OK).body(service.list());
    }
}
"""


def test_spring_inline_check_negated_inside_its_name() -> None:
    path = "src/main/java/org/x/StoragesController.java"
    check = "        if (isNotAdmin(client)) {\n            return ResponseEntity.status(HttpStatus.FORBIDDEN).build();\n        }\n"
    assert grown({}, {path: SPRING % check}) == {("added", "GET", "/storages")}
    assert grown({}, {path: SPRING % ""}) == set()


ACTIX = """use actix_web::{guard, web, App, HttpServer};

pub fn run() {
    HttpServer::new(move || {
        App::new()
            .service(routes::index)
            .service(
                web::resource("/reporter/{probe_id}")
                    .wrap(middleware_reporter_auth.clone())
                    .guard(guard::Post())
                    .to(routes::reporter_report),
            )
%s    });
}
"""


def test_actix_resource_with_its_own_wrap_and_method_guard() -> None:
    path = "src/responder/manager.rs"
    added = (
        '            .service(\n                web::resource("/manager/announcements")\n'
        "                    .wrap(middleware_manager_auth.clone())\n                    .guard(guard::Get())\n"
        "                    .to(routes::manager_announcements),\n            )\n"
    )
    assert grown({path: ACTIX % ""}, {path: ACTIX % added}) == {("added", "GET", "/manager/announcements")}
    # the reporter's own guard dropped: its route opens
    opened = ACTIX.replace("                    .wrap(middleware_reporter_auth.clone())\n", "")
    assert grown({path: ACTIX % ""}, {path: opened % ""}) == {("widened", "POST", "/reporter/{probe_id}")}


CS = """[Area("Manager")]
public class UserController : Controller
{
    [Route("/manager/user/delete%s")]
    [Http%s]
    [Authorize(Policy = Permissions.UsersDelete)]
    public IActionResult Delete(%s)
    {
        return Ok();
    }
}
"""


def test_an_action_redeclared_with_another_method_is_a_rename() -> None:
    path = "src/Controllers/UserController.cs"
    base = {path: CS % ("/{id}", "Get", "Guid id")}
    head = {path: CS % ("", "Delete", "[FromBody] Guid id")}
    assert grown(base, head) == set()
