"""Fixture cases in each framework's idiom: additions, removals, widening, and refactors that change nothing."""

from __future__ import annotations

import textwrap

import pytest

from checks.exposure import DEFAULT_INTERNAL_FILES, DEFAULT_INTERNAL_PATHS, compare

# (name, base files, head files, expected findings as (change, method, path, internal))
Case = tuple[str, dict[str, str], dict[str, str], set[tuple[str, str, str, bool]]]


def d(s: str) -> str:
    return textwrap.dedent(s).lstrip("\n")


FASTAPI_USERS = d("""
    from fastapi import APIRouter, Depends
    router = APIRouter(prefix="/users", dependencies=[Depends(get_current_user)])

    @router.get("/{user_id}")
    async def read_user(user_id: int): ...

    @router.post("/")
    async def create_user(body: UserIn): ...
""")
FASTAPI_MAIN = d("""
    from fastapi import FastAPI
    from .routers import users
    app = FastAPI()
    app.include_router(users.router, prefix="/v1")

    @app.get("/health")
    def health(): ...
""")

FLASK = d("""
    from flask import Blueprint
    from flask_login import login_required
    bp = Blueprint("orders", __name__, url_prefix="/orders")

    @bp.route("/", methods=["GET", "POST"])
    @login_required
    def orders(): ...

    @bp.route("/<int:order_id>")
    @login_required
    def order(order_id): ...
""")

CHI = d("""
    package main
    func routes() http.Handler {
        r := chi.NewRouter()
        r.Use(middleware.Logger)
        r.Route("/api", func(r chi.Router) {
            r.Use(AuthMiddleware)
            r.Get("/items", listItems)
            r.Post("/items", createItem)
            r.Get("/items/{id}", getItem)
        })
        r.Get("/healthz", health)
        return r
    }
""")

GIN = d("""
    package main
    func setup(r *gin.Engine) {
        v1 := r.Group("/v1")
        v1.Use(AuthRequired())
        v1.GET("/accounts", listAccounts)
        v1.POST("/accounts", createAccount)
        r.GET("/ping", ping)
    }
""")

EXPRESS = d("""
    const express = require('express');
    const router = express.Router();
    router.get('/', listPosts);
    router.post('/', requireAuth, createPost);
    router.delete('/:id', requireAuth, deletePost);
    module.exports = router;
""")
EXPRESS_APP = d("""
    const express = require('express');
    const posts = require('./routes/posts');
    const app = express();
    app.use('/posts', posts);
""")

NEST = d("""
    @Controller('cats')
    @UseGuards(AuthGuard('jwt'))
    export class CatsController {
      @Get()
      findAll() {}

      @Get(':id')
      findOne(@Param('id') id: string) {}

      @Post()
      create(@Body() dto: CreateCatDto) {}
    }
""")

PROTO = d("""
    syntax = "proto3";
    package shop.v1;
    import "google/api/annotations.proto";
    service Orders {
      rpc GetOrder(GetOrderRequest) returns (Order) {
        option (google.api.http) = { get: "/v1/orders/{id}" };
      }
      rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse);
    }
""")

OPENAPI = d("""
    openapi: 3.0.0
    info: {title: t, version: "1"}
    security:
      - bearer: []
    paths:
      /pets:
        get:
          responses: {"200": {description: ok}}
      /pets/{id}:
        get:
          responses: {"200": {description: ok}}
""")

GRAPHQL = d("""
    type Query {
      me: User @auth
      product(id: ID!): Product
    }
    type Mutation {
      addToCart(id: ID!): Cart @auth
    }
""")


def sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


CASES: list[Case] = [
    # FastAPI
    (
        "fastapi add public",
        {"app/main.py": FASTAPI_MAIN, "app/routers/users.py": FASTAPI_USERS},
        {
            "app/main.py": FASTAPI_MAIN + '\n@app.get("/version")\ndef version(): ...\n',
            "app/routers/users.py": FASTAPI_USERS,
        },
        {("added", "GET", "/version", False)},
    ),
    (
        "fastapi add internal",
        {"app/main.py": FASTAPI_MAIN},
        {"app/main.py": FASTAPI_MAIN + '\n@app.get("/admin/stats")\ndef stats(): ...\n'},
        {("added", "GET", "/admin/stats", True)},
    ),
    (
        "fastapi remove",
        {"app/main.py": FASTAPI_MAIN, "app/routers/users.py": FASTAPI_USERS},
        {"app/main.py": FASTAPI_MAIN, "app/routers/users.py": FASTAPI_USERS.split("@router.post")[0]},
        {("removed", "POST", "/v1/users", False)},
    ),
    (
        "fastapi widen router deps",
        {"app/main.py": FASTAPI_MAIN, "app/routers/users.py": FASTAPI_USERS},
        {
            "app/main.py": FASTAPI_MAIN,
            "app/routers/users.py": sub(FASTAPI_USERS, ", dependencies=[Depends(get_current_user)]", ""),
        },
        {("widened", "GET", "/v1/users/{user_id}", False), ("widened", "POST", "/v1/users", False)},
    ),
    (
        "fastapi prefix moved into APIRouter",
        {"app/main.py": FASTAPI_MAIN, "app/routers/users.py": FASTAPI_USERS},
        {
            "app/main.py": sub(FASTAPI_MAIN, 'prefix="/v1"', ""),
            "app/routers/users.py": sub(FASTAPI_USERS, 'prefix="/users"', 'prefix="/v1/users"'),
        },
        set(),
    ),
    (
        "fastapi black reformat",
        {"app/main.py": FASTAPI_MAIN, "app/routers/users.py": FASTAPI_USERS},
        {
            "app/main.py": FASTAPI_MAIN,
            "app/routers/users.py": sub(
                FASTAPI_USERS, '@router.get("/{user_id}")', '@router.get(\n    "/{user_id}",\n)'
            ),
        },
        set(),
    ),
    (
        "fastapi unauthenticated in authenticated file",
        {
            "app/routers/users.py": FASTAPI_USERS.replace(", dependencies=[Depends(get_current_user)]", "")
            .replace("(user_id: int)", "(user_id: int, u=Depends(get_current_user))")
            .replace("(body: UserIn)", "(body: UserIn, u=Depends(get_current_user))")
        },
        {
            "app/routers/users.py": FASTAPI_USERS.replace(", dependencies=[Depends(get_current_user)]", "")
            .replace("(user_id: int)", "(user_id: int, u=Depends(get_current_user))")
            .replace("(body: UserIn)", "(body: UserIn, u=Depends(get_current_user))")
            + '\n@router.get("/export")\ndef export(): ...\n'
        },
        {("added", "GET", "/users/export", True)},
    ),
    # Flask
    (
        "flask add internal",
        {"shop/orders.py": FLASK},
        {"shop/orders.py": FLASK + '\n@bp.route("/_debug")\ndef dbg(): ...\n'},
        {("added", "GET", "/orders/_debug", True)},
    ),
    (
        "flask widen login_required removed",
        {"shop/orders.py": FLASK},
        {"shop/orders.py": FLASK.replace("@login_required\ndef order(", "def order(")},
        {("widened", "GET", "/orders/{order_id}", True)},
    ),
    (
        "flask url_prefix moved to register_blueprint",
        {"shop/orders.py": FLASK, "shop/app.py": "from .orders import bp\napp.register_blueprint(bp)\n"},
        {
            "shop/orders.py": FLASK.replace(', url_prefix="/orders"', ""),
            "shop/app.py": "from .orders import bp\napp.register_blueprint(bp, url_prefix='/orders')\n",
        },
        set(),
    ),
    # chi / gin / net/http
    (
        "chi add internal",
        {"cmd/srv/routes.go": CHI},
        {
            "cmd/srv/routes.go": CHI.replace(
                'r.Get("/healthz", health)', 'r.Get("/healthz", health)\n    r.Get("/debug/vars", vars)'
            )
        },
        {("added", "GET", "/debug/vars", True)},
    ),
    (
        "chi widen middleware removed",
        {"cmd/srv/routes.go": CHI},
        {"cmd/srv/routes.go": CHI.replace("        r.Use(AuthMiddleware)\n", "")},
        {
            ("widened", "GET", "/api/items", False),
            ("widened", "POST", "/api/items", False),
            ("widened", "GET", "/api/items/{id}", False),
        },
    ),
    (
        "gin add public + removal",
        {"srv/main.go": GIN},
        {
            "srv/main.go": GIN.replace(
                'v1.POST("/accounts", createAccount)', 'v1.GET("/accounts/:id", getAccount)'
            )
        },
        {("added", "GET", "/v1/accounts/{id}", False), ("removed", "POST", "/v1/accounts", False)},
    ),
    (
        "gin global auth removed",
        {"srv/main.go": GIN},
        {"srv/main.go": GIN.replace("    v1.Use(AuthRequired())\n", "")},
        {("widened", "GET", "/v1/accounts", False), ("widened", "POST", "/v1/accounts", False)},
    ),
    (
        "nethttp go1.22 add",
        {
            "srv/mux.go": 'package main\nfunc m(mux *http.ServeMux) {\n\tmux.HandleFunc("GET /items/{id}", getItem)\n}\n'
        },
        {
            "srv/mux.go": 'package main\nfunc m(mux *http.ServeMux) {\n\tmux.HandleFunc("GET /items/{id}", getItem)\n\tmux.Handle("/debug/pprof/", pprof.Index)\n}\n'
        },
        {("added", "ANY", "/debug/pprof", True)},
    ),
    # Express
    (
        "express add internal",
        {"src/routes/posts.js": EXPRESS, "src/app.js": EXPRESS_APP},
        {"src/routes/posts.js": EXPRESS, "src/app.js": EXPRESS_APP + "app.get('/metrics', metrics);\n"},
        {("added", "GET", "/metrics", True)},
    ),
    (
        "express widen",
        {"src/routes/posts.js": EXPRESS, "src/app.js": EXPRESS_APP},
        {
            "src/routes/posts.js": EXPRESS.replace(
                "router.delete('/:id', requireAuth, deletePost)", "router.delete('/:id', deletePost)"
            ),
            "src/app.js": EXPRESS_APP,
        },
        {("widened", "DELETE", "/posts/{id}", False)},
    ),
    (
        "express prettier reformat",
        {"src/routes/posts.js": EXPRESS},
        {
            "src/routes/posts.js": EXPRESS.replace(
                "router.post('/', requireAuth, createPost);",
                'router.post(\n  "/",\n  requireAuth,\n  createPost,\n);',
            )
        },
        set(),
    ),
    # NestJS
    (
        "nest add",
        {"src/cats.controller.ts": NEST},
        {"src/cats.controller.ts": NEST.replace("  @Post()", "  @Delete(':id')\n  remove() {}\n\n  @Post()")},
        {("added", "DELETE", "/cats/{id}", False)},
    ),
    (
        "nest controller moved to another file",
        {"src/cats.controller.ts": NEST},
        {"src/cats/cats.controller.ts": NEST},
        set(),
    ),
    (
        "nest guard removed",
        {"src/cats.controller.ts": NEST},
        {"src/cats.controller.ts": NEST.replace("@UseGuards(AuthGuard('jwt'))\n", "")},
        {
            ("widened", "GET", "/cats", False),
            ("widened", "GET", "/cats/{id}", False),
            ("widened", "POST", "/cats", False),
        },
    ),
    # gRPC
    (
        "proto rpc gains http binding",
        {"api/orders.proto": PROTO},
        {
            "api/orders.proto": PROTO.replace(
                "rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse);",
                'rpc ListOrders(ListOrdersRequest) returns (ListOrdersResponse) {\n    option (google.api.http) = { get: "/v1/orders" };\n  }',
            )
        },
        # a client-facing RPC on one more transport, under the same auth: an addition, not a widening
        {("added", "GET", "/v1/orders", False)},
    ),
    (
        "proto add rpc",
        {"api/orders.proto": PROTO},
        {
            "api/orders.proto": PROTO.replace(
                "  rpc ListOrders", "  rpc CancelOrder(CancelRequest) returns (Order);\n  rpc ListOrders"
            )
        },
        {("added", "RPC", "shop.v1.Orders/CancelOrder", False)},
    ),
    # OpenAPI
    (
        "openapi endpoint made public",
        {"openapi.yaml": OPENAPI},
        {
            "openapi.yaml": OPENAPI.replace(
                "  /pets/{id}:\n    get:\n", "  /pets/{id}:\n    get:\n      security: []\n"
            )
        },
        {("widened", "GET", "/pets/{id}", True)},
    ),
    (
        "openapi yaml reordered",
        {"openapi.yaml": OPENAPI},
        {
            "spec/openapi.yaml": OPENAPI.replace('info: {title: t, version: "1"}\n', "")
            + 'info: {title: t, version: "1"}\n'
        },
        set(),
    ),
    # GraphQL
    (
        "graphql add mutation",
        {"schema.graphql": GRAPHQL},
        {
            "schema.graphql": GRAPHQL.replace(
                "type Mutation {\n", "type Mutation {\n  deleteAccount(id: ID!): Boolean\n"
            )
        },
        {("added", "MUTATION", "deleteAccount", False)},
    ),
]


SPRING = d("""
    @RestController
    @RequestMapping("/api/invoices")
    @PreAuthorize("isAuthenticated()")
    public class InvoiceController {
        @RequestMapping(value = "/{id}", method = RequestMethod.GET)
        public Invoice get(@PathVariable Long id) { return null; }

        @RequestMapping(method = RequestMethod.POST)
        public Invoice create(@RequestBody Invoice i) { return null; }
    }
""")
SPRING_MODERN = SPRING.replace(
    '@RequestMapping(value = "/{id}", method = RequestMethod.GET)', '@GetMapping("/{id}")'
).replace("@RequestMapping(method = RequestMethod.POST)", "@PostMapping")

JAXRS = d("""
    @Path("/orders")
    @RolesAllowed("user")
    public class OrderResource {
        @GET
        @Path("{id}")
        public Order get(@PathParam("id") String id) { return null; }

        @POST
        public Order create(Order o) { return null; }
    }
""")

DJANGO_ROOT = d("""
    from django.urls import include, path
    urlpatterns = [
        path("blog/", include("blog.urls")),
        path("accounts/profile/", login_required(profile)),
    ]
""")
DJANGO_BLOG = d("""
    from django.urls import path, re_path
    from . import views
    urlpatterns = [
        path("", views.index),
        path("<int:pk>/", views.detail),
        re_path(r"^archive/(?P<year>[0-9]{4})/$", views.archive),
    ]
""")

STARLETTE = d("""
    from starlette.routing import Mount, Route
    routes = [
        Route("/", homepage),
        Mount("/users", routes=[
            Route("/", list_users, methods=["GET", "POST"]),
            Route("/{username}", user),
        ]),
    ]
""")

RAILS = d("""
    Rails.application.routes.draw do
      resources :photos, only: [:index, :show]
      namespace :admin do
        resources :reports, only: [:index]
      end
      authenticate :user do
        get "/billing", to: "billing#show"
      end
    end
""")

LARAVEL = d("""
    <?php
    use Illuminate\\Support\\Facades\\Route;
    Route::get('/posts', [PostController::class, 'index']);
    Route::prefix('account')->middleware('auth')->group(function () {
        Route::get('/settings', [AccountController::class, 'settings']);
        Route::post('/settings', [AccountController::class, 'save']);
    });
""")

KOA = d("""
    const Router = require('@koa/router');
    const router = new Router({ prefix: '/books' });
    router.get('/', list);
    router.get('/:id', show);
    router.post('/', requireAuth, create);
    module.exports = router;
""")

FASTIFY = d("""
    export default async function routes(fastify) {
      fastify.get('/widgets', async () => []);
      fastify.post('/widgets', { preHandler: [fastify.authenticate] }, async () => ({}));
    }
""")

NEXT_ROUTE = d("""
    import { getServerSession } from "next-auth";
    export async function GET(req: Request) {
      const session = await getServerSession();
      return Response.json({});
    }
""")

ECHO = d("""
    package main
    func register(e *echo.Echo) {
        api := e.Group("/api", middleware.JWTWithConfig(cfg))
        api.GET("/me", me)
        e.GET("/status", status)
    }
""")

CHI_50 = (
    "package main\nfunc routes(r chi.Router) {\n"
    + "".join(f'    r.{"Get" if i % 2 else "Post"}("/res{i}/{{id}}", h{i})\n' for i in range(50))
    + "}\n"
)
STD_50 = (
    "package main\nfunc routes(mux *http.ServeMux) {\n"
    + "".join(f'    mux.HandleFunc("{"GET" if i % 2 else "POST"} /res{i}/{{id}}", h{i})\n' for i in range(50))
    + "}\n"
)

CASES += [
    (
        "chi 50 routes rewritten as go1.22 patterns",
        {"srv/routes.go": CHI_50},
        {"srv/routes.go": STD_50},
        set(),
    ),
    (
        "spring method= rewritten as GetMapping",
        {"src/InvoiceController.java": SPRING},
        {"src/InvoiceController.java": SPRING_MODERN},
        set(),
    ),
    (
        "spring controller moved",
        {"src/InvoiceController.java": SPRING},
        {"src/billing/InvoiceController.java": SPRING_MODERN},
        set(),
    ),
    (
        "spring add internal actuator-like",
        {"src/InvoiceController.java": SPRING},
        {
            "src/InvoiceController.java": SPRING,
            "src/OpsController.java": '@RestController\npublic class OpsController {\n    @GetMapping("/actuator/dump")\n    public String dump() { return ""; }\n}\n',
        },
        {("added", "GET", "/actuator/dump", True)},
    ),
    (
        "spring class PreAuthorize removed",
        {"src/InvoiceController.java": SPRING},
        {"src/InvoiceController.java": SPRING.replace('@PreAuthorize("isAuthenticated()")\n', "")},
        {("widened", "GET", "/api/invoices/{id}", False), ("widened", "POST", "/api/invoices", False)},
    ),
    (
        "spring permitAll endpoint added",
        {"src/InvoiceController.java": SPRING},
        {
            "src/InvoiceController.java": SPRING.replace(
                "    @RequestMapping(method",
                '    @GetMapping("/export")\n    @PermitAll\n    public String export() { return ""; }\n\n    @RequestMapping(method',
            )
        },
        {("added", "GET", "/api/invoices/export", True)},
    ),
    (
        "jaxrs remove + widen",
        {"src/OrderResource.java": JAXRS},
        {
            "src/OrderResource.java": JAXRS.replace('@RolesAllowed("user")\n', "").replace(
                "    @POST\n    public Order create(Order o) { return null; }\n", ""
            )
        },
        {("widened", "GET", "/orders/{id}", False), ("removed", "POST", "/orders", False)},
    ),
    (
        "django include added",
        {"proj/urls.py": DJANGO_ROOT, "blog/urls.py": DJANGO_BLOG},
        {
            "proj/urls.py": DJANGO_ROOT.replace(
                '    path("accounts', '    path("internal/", include("blog.urls")),\n    path("accounts'
            ),
            "blog/urls.py": DJANGO_BLOG,
        },
        {
            ("added", "ANY", "/internal", True),
            ("added", "ANY", "/internal/{pk}", True),
            ("added", "ANY", "/internal/archive/{year}", True),
        },
    ),
    (
        "django login_required removed",
        {"proj/urls.py": DJANGO_ROOT, "blog/urls.py": DJANGO_BLOG},
        {
            "proj/urls.py": DJANGO_ROOT.replace("login_required(profile)", "profile"),
            "blog/urls.py": DJANGO_BLOG,
        },
        {("widened", "ANY", "/accounts/profile", False)},
    ),
    (
        "django prefix moved into include target",
        {"proj/urls.py": DJANGO_ROOT, "blog/urls.py": DJANGO_BLOG},
        {
            "proj/urls.py": DJANGO_ROOT.replace('path("blog/", include', 'path("", include'),
            "blog/urls.py": DJANGO_BLOG.replace('path("", views.index)', 'path("blog/", views.index)')
            .replace('path("<int:pk>/"', 'path("blog/<int:pk>/"')
            .replace('r"^archive', 'r"^blog/archive'),
        },
        set(),
    ),
    (
        "starlette add + remove",
        {"app.py": STARLETTE},
        {"app.py": STARLETTE.replace('Route("/{username}", user)', 'Route("/{username}/keys", user_keys)')},
        {("added", "GET", "/users/{username}/keys", False), ("removed", "GET", "/users/{username}", False)},
    ),
    (
        "rails namespace admin added",
        {"config/routes.rb": RAILS},
        {
            "config/routes.rb": RAILS.replace(
                "resources :reports, only: [:index]", "resources :reports, only: [:index, :show]"
            )
        },
        {("added", "GET", "/admin/reports/{id}", True)},
    ),
    (
        "rails authenticate block removed",
        {"config/routes.rb": RAILS},
        {
            "config/routes.rb": RAILS.replace(
                '  authenticate :user do\n    get "/billing", to: "billing#show"\n  end\n',
                '  get "/billing", to: "billing#show"\n',
            )
        },
        {("widened", "GET", "/billing", False)},
    ),
    (
        "laravel middleware removed",
        {"routes/web.php": LARAVEL},
        {"routes/web.php": LARAVEL.replace("->middleware('auth')", "")},
        {("widened", "GET", "/account/settings", False), ("widened", "POST", "/account/settings", False)},
    ),
    (
        "laravel add",
        {"routes/web.php": LARAVEL},
        {"routes/web.php": LARAVEL + "Route::delete('/posts/{post}', [PostController::class, 'destroy']);\n"},
        {("added", "DELETE", "/posts/{post}", False)},
    ),
    # An underscored segment (`/books/_stats`) is an ordinary addition.
    (
        "koa add under router prefix",
        {"src/books.js": KOA},
        {"src/books.js": KOA.replace("router.post(", "router.get('/_stats', stats);\nrouter.post(")},
        {("added", "GET", "/books/_stats", False)},
    ),
    (
        "fastify widen",
        {"src/routes.ts": FASTIFY},
        {"src/routes.ts": FASTIFY.replace("{ preHandler: [fastify.authenticate] }, ", "")},
        {("widened", "POST", "/widgets", False)},
    ),
    (
        "nextjs route handler added",
        {"app/api/users/[id]/route.ts": NEXT_ROUTE},
        {
            "app/api/users/[id]/route.ts": NEXT_ROUTE,
            "app/api/internal/flags/route.ts": "export async function POST() { return Response.json({}); }\n",
        },
        {("added", "POST", "/api/internal/flags", True)},
    ),
    (
        "nextjs session check removed",
        {"app/api/users/[id]/route.ts": NEXT_ROUTE},
        {
            "app/api/users/[id]/route.ts": NEXT_ROUTE.replace(
                "const session = await getServerSession();\n", ""
            ).replace('import { getServerSession } from "next-auth";\n', "")
        },
        {("widened", "GET", "/api/users/{id}", False)},
    ),
    (
        "echo group middleware removed",
        {"srv/echo.go": ECHO},
        {"srv/echo.go": ECHO.replace(", middleware.JWTWithConfig(cfg)", "")},
        {("widened", "GET", "/api/me", False)},
    ),
    (
        "openapi x-internal path added",
        {"openapi.yaml": OPENAPI},
        {
            "openapi.yaml": OPENAPI
            + '  /flags:\n    get:\n      x-internal: true\n      responses: {"200": {description: ok}}\n'
        },
        {("added", "GET", "/flags", True)},
    ),
    (
        # Go's internal/ directory is package visibility, not HTTP exposure (issue 14, class 2).
        "go internal package dir is not internal",
        {"svc/api.go": GIN},
        {
            "svc/api.go": GIN,
            "svc/internal/ops.go": 'package ops\nfunc reg(r *gin.Engine) {\n\tr.GET("/items/flush", flush)\n}\n',
        },
        {("added", "GET", "/items/flush", False)},
    ),
]


def _actual(base: dict[str, str], head: dict[str, str]) -> set[tuple[str, str, str, bool]]:
    delta = compare(
        base,
        head,
        internal_paths=DEFAULT_INTERNAL_PATHS,
        internal_files=DEFAULT_INTERNAL_FILES,
    )
    return {(f.change, f.endpoint.method, f.endpoint.path, f.internal) for f in delta.findings}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_case(case: Case) -> None:
    _, base, head, expected = case
    assert _actual(base, head) == expected


def test_precision_recall_over_fixtures(capsys: pytest.CaptureFixture[str]) -> None:
    tp = fp = fn = 0
    for _, base, head, expected in CASES:
        actual = _actual(base, head)
        tp += len(actual & expected)
        fp += len(actual - expected)
        fn += len(expected - actual)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    with capsys.disabled():
        print(
            f"\nexposure fixtures: {len(CASES)} cases, tp={tp} fp={fp} fn={fn} precision={precision:.3f} recall={recall:.3f}"
        )
    assert precision >= 0.9 and recall >= 0.9
