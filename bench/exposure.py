"""Exposure extraction throughput beside the cost of reading the same files from disk.

Run: python -m bench.exposure                 # a generated multi-framework tree, one endpoint every ~73 bytes
     python -m bench.exposure --tree DIR ...  # real checkouts: every text file under each DIR
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from checks.exposure import extract

FILES_PER_FRAMEWORK = 200
ROUTES_PER_FILE = 40


def _fastapi(i: int) -> str:
    body = "".join(
        f'@router.get("/items{j}/{{item_id}}")\nasync def get_{j}(item_id: int, user=Depends(get_current_user)):\n    return {{"id": item_id}}\n\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'from fastapi import APIRouter, Depends\nrouter = APIRouter(prefix="/svc{i}")\n\n' + body


def _express(i: int) -> str:
    body = "".join(
        f"router.{'get' if j % 2 else 'post'}('/things{j}/:id', requireAuth, handler{j});\n"
        for j in range(ROUTES_PER_FILE)
    )
    return "const router = require('express').Router();\n" + body + "module.exports = router;\n"


def _go(i: int) -> str:
    body = "".join(f'\t\tr.Get("/res{j}/{{id}}", h{j})\n' for j in range(ROUTES_PER_FILE))
    return f'package main\nfunc routes{i}(r chi.Router) {{\n\tr.Route("/v{i}", func(r chi.Router) {{\n\t\tr.Use(Auth)\n{body}\t}})\n}}\n'


def _spring(i: int) -> str:
    body = "".join(
        f'    @GetMapping("/r{j}/{{id}}")\n    public String r{j}(@PathVariable String id) {{ return id; }}\n\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'@RestController\n@RequestMapping("/c{i}")\n@PreAuthorize("isAuthenticated()")\npublic class C{i} {{\n{body}}}\n'


def _proto(i: int) -> str:
    body = "".join(
        f'  rpc M{j}(Req) returns (Resp) {{\n    option (google.api.http) = {{ get: "/v1/s{i}/m{j}/{{id}}" }};\n  }}\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'syntax = "proto3";\npackage p{i};\nservice S{i} {{\n{body}}}\n'


def _aspnet(i: int) -> str:
    body = "".join(
        f'    [HttpGet("r{j}/{{id}}")]\n    [Authorize(Policy = "Admin")]\n    public IActionResult R{j}(string id) => Ok(id);\n\n'
        for j in range(ROUTES_PER_FILE)
    )
    return f'[Route("c{i}")]\n[Authorize]\npublic class C{i}Controller : ControllerBase\n{{\n{body}}}\n'


def generate() -> dict[str, str]:
    tree: dict[str, str] = {}
    for i in range(FILES_PER_FRAMEWORK):
        tree[f"py/routers/r{i}.py"] = _fastapi(i)
        tree[f"js/routes/r{i}.js"] = _express(i)
        tree[f"go/routes{i}.go"] = _go(i)
        tree[f"java/C{i}.java"] = _spring(i)
        tree[f"proto/s{i}.proto"] = _proto(i)
        tree[f"cs/C{i}Controller.cs"] = _aspnet(i)
    return tree


_SKIP_DIRS = {".git", "node_modules", "vendor", "dist", "build"}


def _files_under(root: Path) -> list[str]:
    """Every regular file under `root` (relative paths), skipping VCS and dependency folders."""
    out: list[str] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not path.is_symlink() and not _SKIP_DIRS.intersection(rel.parts):
            out.append(rel.as_posix())
    return out


def _read(root: Path, paths: list[str]) -> dict[str, str]:
    """The floor is a real read: open, read and decode every file from disk (page cache warm)."""
    out: dict[str, str] = {}
    for path in paths:
        data = (root / path).read_bytes()
        if b"\0" not in data[:8192]:
            out[path] = data.decode("utf-8", "replace")
    return out


def measure(label: str, root: Path, paths: list[str], rounds: int = 3) -> None:
    """Best of `rounds` for the read and for extraction over the same files, side by side."""
    _read(root, paths)  # warm the page cache
    floor = spent = float("inf")
    read: dict[str, str] = {}
    endpoints: tuple[object, ...] = ()
    for _ in range(rounds):
        start = time.perf_counter()
        read = _read(root, paths)
        floor = min(floor, time.perf_counter() - start)
        start = time.perf_counter()
        endpoints = extract(read)
        spent = min(spent, time.perf_counter() - start)
    mb = sum(len(t.encode()) for t in read.values()) / 1e6
    print(f"{label}: {len(read)} files, {mb:.1f} MB, {len(endpoints)} endpoints")
    print(f"  read from disk:  {floor * 1000:8.1f} ms  ({mb / floor:6.1f} MB/s)")
    print(f"  extract:         {spent * 1000:8.1f} ms  ({mb / spent:6.1f} MB/s)")
    print(f"  extraction throughput / read throughput: {floor / spent:.3f}x")


# Hostile files per family: a unit repeated n times. Linear extraction takes about 10x as long for 10x the
# units; a quadratic pattern shows as ~100x. Each unit is built to keep a scanner looking (open brackets,
# half routes, long identifiers, keywords without their assignment).
HOSTILE: dict[str, str] = {
    "api/routes.py": "@app.route('/x' + admin_required(permission_classes=[IsAdminUser, (((( view_func=",
    "app/urls.py": "urlpatterns = router.register(r'x', path(include(f'{a}', ",
    "srv/routes.go": 'r.Methods(http.MethodGet).Path("/x").Group("/y", func(r chi.Router) { r.Use(auth(mux(',
    "src/routes.rs": '#[get("/x")]\nfn f(_t: AdminToken, Router::new().route("/y", get(h)).layer(web::scope("/z").wrap(',
    "src/app.ts": "router.get('/x', requireAdmin, (req, res) => { if (!user.isAdmin) { publicPaths = ['/a', ",
    "Controllers/X.cs": '[Admin][HttpGet("x")] public void X() { if (!isAdmin) { return Forbid(); ',
    "config/routes.rb": "authenticate :user, lambda { |u| u.admin? } do\n  namespace :a do\n  mount Sidekiq::Web => '/s'\n",
    "lib/app_web/router.ex": 'scope "/a" do\n pipe_through [:browser, :admin]\n live_dashboard "/d"\n',
    "routes/web.php": "Route::middleware(['auth', 'can:manage-users'])->group(function () { Route::get('/x', ",
    "application.yml": "management.endpoint.x.enabled: true\nmanagement.endpoints.web.exposure.include: '*'\n",
    "api/openapi.yaml": "  /admin/x:\n    get:\n      security: []\n",
    "src/Api.java": '@GetMapping("/x") @PreAuthorize("hasRole(\'ADMIN\')") public void x() { ',
    "app/api/v1/admin.rb": "class A < Grape::API\n  namespace :admin do\n    before do\n      authenticate!\n    get ':id' do\n",
    "kong/api/routes/x.lua": '["/debug/x"] = { GET = function(self) { uris = {"/a", methods = {"GET", paths = [[/b --[==[ c\n',
    "synapse/rest/admin/x.py": 'class A(RestServlet):\n    PATTERNS = admin_patterns("/x$",\n    async def on_GET(self, r,\n',
    "helpdesk/api/x.py": '@frappe.whitelist(allow_guest=True, methods=["GET",\ndef f(\n    frappe.only_for("System Manager",\n',
    "config/routing/admin.xml": '<routes>\n<route id="a" path="/admin/x" methods="GET|\n<default key="_controller">A::b\n<import resource="@B" prefix="/admin"\n',
    "app/admin/x.rb": "ActiveAdmin.register A::B, as: 'C', namespace: :ops do\nActiveAdmin.register_page \"D\"\n",
    "src/metrics.js": "const promBundle = require('express-prom-bundle')\npromBundle({ metricsPath: '/m', promBundle({\n",
    "taprpc/perms.go": 'whitelist["/a.B/C"] = struct{}{}\nwhitelist["/a.B/D"] == x\nallowAuthBypass[\'/x\'] = \n',
    "service/app.py": 'from prometheus_client import make_wsgi_app as p\nD(a, {"/m": p(), "/n": make_asgi_app(\n',
    "src/app.module.ts": "@Controller('x') { provide: APP_GUARD, useClass: G, useGlobalGuards(new H( @Get(\n",
    "app/debug/urls.py": "from a.b import urls as u\nif settings.DEBUG:\n    urlpatterns += u.urlpatterns + v.urlpatterns\n",
    "apps/api/src/docs.ts": "app.get('/docs', swaggerUI({ url: '/j' }), app.use('/d', swaggerUi.serve, redoc(\n",
    "internal/router/r.go": 'type R interface {\n\tinitR(router *mux.Router)\n\tr.x.initR(sub)\n_ "net/http/pprof"\n',
}
HOSTILE_UNITS = 2_000


def measure_hostile(rounds: int = 3) -> None:
    """Each family's cost on n and 10n hostile units: the ratio is ~10 when extraction is linear."""
    print(f"hostile input, {HOSTILE_UNITS:,} and {HOSTILE_UNITS * 10:,} units (ratio ~10 = linear):")
    for path, unit in HOSTILE.items():
        times = []
        for n in (HOSTILE_UNITS, HOSTILE_UNITS * 10):
            text = unit * n
            best = float("inf")
            for _ in range(rounds):
                start = time.perf_counter()
                extract({path: text})
                best = min(best, time.perf_counter() - start)
            times.append(best)
        print(
            f"  {path:24} {times[0] * 1000:8.1f} ms  {times[1] * 1000:9.1f} ms  x{times[1] / times[0]:5.1f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", type=Path, action="append", default=[], help="a real checkout (repeatable)")
    ap.add_argument("--hostile", action="store_true", help="only the hostile-input linearity table")
    args = ap.parse_args()
    if args.hostile:
        measure_hostile()
        return
    for root in args.tree:
        measure(str(root), root, _files_under(root))
    if args.tree:
        return
    tree = generate()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for path, text in tree.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        measure("generated tree", root, sorted(tree))
    measure_hostile()


if __name__ == "__main__":
    main()
