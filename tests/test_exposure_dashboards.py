"""Operations dashboards a library mounts with one call; minimal snippets written for this test."""

from __future__ import annotations

from checks.exposure.dashboards import extract_dashboards
from tests.exposure_growth import grown

STARTUP = """public class Startup
{
    public void Configure(IApplicationBuilder app)
    {
        app.UseRouting();
%s    }
}
"""


def test_aspnet_dashboards_are_internal_at_their_literal_or_default_path() -> None:
    base = {"src/Startup.cs": STARTUP % ""}
    cases = {
        '        app.UseHangfireDashboard("/ops/hangfire");\n': "/ops/hangfire/**",
        "        app.UseHangfireDashboard();\n": "/hangfire/**",
        "        app.UseMiniProfiler();\n": "/profiler/**",
        "        app.UseOrleansDashboard();\n": "/orleans/**",
        '        app.UseHealthChecksUI(o => o.UIPath = "/health-ui");\n': "/health-ui/**",
    }
    for line, path in cases.items():
        head = {"src/Startup.cs": STARTUP % line}
        assert grown(base, head) == {("added", "ANY", path)}, line


def test_miniprofiler_base_path_set_in_options_is_its_path() -> None:
    text = (
        STARTUP % "        app.UseMiniProfiler();\n"
        + 'class O { void S(MiniProfilerOptions o) { o.RouteBasePath = "~/prof"; } }\n'
    )
    [route] = extract_dashboards("src/Startup.cs", text).routes
    assert route.path == "/prof/**"


def test_profiler_routes_are_internal_paths_by_default() -> None:
    base = {"src/Startup.cs": STARTUP % ""}
    head = {"src/Startup.cs": STARTUP % '        app.UseEndpoints(e => e.MapPost("/profiler/results", H));\n'}
    assert grown(base, head) == {("added", "POST", "/profiler/results")}


NEST = """import { Module } from '@nestjs/common';
%s
@Module({
  imports: [
%s  ],
})
export class AppModule {}
"""


def test_bull_board_module_is_a_dashboard_at_its_route_or_constant() -> None:
    base = {"src/app.module.ts": NEST % ("", "")}
    imp = "import { BullBoardModule } from '@bull-board/nestjs';\n"
    literal = NEST % (imp, "    BullBoardModule.forRoot({ route: '/queues', adapter: ExpressAdapter }),\n")
    assert grown(base, {"src/app.module.ts": literal}) == {("added", "ANY", "/queues/**")}
    constant = NEST % (imp, "    BullBoardModule.forRoot({ adapter: ExpressAdapter, route: BOARD_ROUTE }),\n")
    assert grown(base, {"src/app.module.ts": constant}) == {("added", "ANY", "/{BOARD_ROUTE}/**")}


def test_set_base_path_counts_only_beside_bull_board() -> None:
    express = (
        "const { ExpressAdapter } = require('@bull-board/express');\nadapter.setBasePath('/admin/queues');\n"
    )
    [route] = extract_dashboards("src/server.js", express).routes
    assert route.path == "/admin/queues/**"
    assert extract_dashboards("src/map.js", "tiles.setBasePath('/tiles');\n").routes == []


def test_a_dashboard_mounted_many_times_keeps_a_bounded_list() -> None:
    text = "app.UseHangfireDashboard();\n" * 10_000
    assert len(extract_dashboards("src/Startup.cs", text).routes) == 32


def test_more_opentelemetry_intake_beside_an_existing_one_is_not_an_internal_metrics_path() -> None:
    router = 'defmodule W.Router do\n  use W, :router\n  scope "/", W do\n    post "/v1/traces", OtelController, :traces\n%s  end\nend\n'
    base = {"lib/w/router.ex": router % ""}
    intake = {"lib/w/router.ex": router % '    post "/v1/metrics", OtelController, :metrics\n'}
    assert grown(base, intake) == set()
    scrape = {"lib/w/router.ex": router % '    get "/v1/metrics", MetricsController, :index\n'}
    assert grown(base, scrape) == {("added", "GET", "/v1/metrics")}
    first = 'defmodule W.Router do\n  use W, :router\n  scope "/", W do\n%s  end\nend\n'
    opened = {"lib/w/router.ex": first % '    post "/v1/metrics", OtelController, :metrics\n'}
    assert grown({"lib/w/router.ex": first % ""}, opened) == {("added", "POST", "/v1/metrics")}
