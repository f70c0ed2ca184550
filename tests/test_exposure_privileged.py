"""Routes only a privileged role reaches, in each framework's idiom; minimal snippets written for this test."""

from __future__ import annotations

from checks.exposure import compare


def _grown(base: dict[str, str], head: dict[str, str]) -> set[tuple[str, str, str]]:
    return {
        (f.change, f.endpoint.method, f.endpoint.path)
        for f in compare(base, head).findings
        if f.change == "widened" or (f.change == "added" and f.internal)
    }


NEST = """import { Controller, Get, UseGuards } from '@nestjs/common';

@Controller('shop')
export class ShopController {
  @Get('items')
  @UseGuards(SessionGuard)
  items() {
    return [];
  }
}
"""


def test_nest_second_guard_naming_a_privileged_role_makes_the_route_internal() -> None:
    both = NEST.replace(
        "}\n}\n",
        "}\n\n  @Get('config')\n  @UseGuards(SessionGuard, OwnerAdminGuard)\n  config() {\n    return {};\n  }\n}\n",
    )
    assert _grown({"src/shop.controller.ts": NEST}, {"src/shop.controller.ts": both}) == {
        ("added", "GET", "/shop/config")
    }
    plain = both.replace("SessionGuard, OwnerAdminGuard", "SessionGuard, RateLimitGuard")
    assert _grown({"src/shop.controller.ts": NEST}, {"src/shop.controller.ts": plain}) == set()


RAILS_ROUTES = 'Rails.application.routes.draw do\n  get "home", to: "pages#home"\nend\n'


def test_rails_ops_engine_mount_is_internal_wherever_mounted() -> None:
    base = {"config/routes.rb": RAILS_ROUTES}
    for mount in (
        'mount GoodJob::Engine => "jobs"',
        "mount Sidekiq::Web, at: '/queues'",
        'mount Flipper::UI.app(Flipper) => "/flags"',
    ):
        head = {"config/routes.rb": RAILS_ROUTES.replace("end\n", f"  {mount}\nend\n")}
        assert {m for _, m, _ in _grown(base, head)} == {"ANY"}, mount
    blog = {"config/routes.rb": RAILS_ROUTES.replace("end\n", '  mount Blog::Engine => "/blog"\nend\n')}
    assert _grown(base, blog) == set()
