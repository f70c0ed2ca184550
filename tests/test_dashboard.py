"""/dashboard in headless Chromium (Debian's, via Playwright): charts drawn from data, behind a token."""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from app import keys
from app.budget import open_ledger
from app.budget.events import Events, PrOutcome
from app.settings import Settings
from app.web import create_app
from tests.conftest import SECRET
from tests.servers import serve_asgi
from tests.test_report import HAIKU, SONNET, at, decide, use

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
TOKEN = "dashboard-token-123"
USD = 1_000_000

USAGE = (
    use("d1", "acme/api", 1, "alice", "core", "opened", SONNET, (2000, 6000, 0, 900), 12 * USD, day=2),
    use("d2", "acme/api", 1, "alice", "core", "synchronize", SONNET, (1000, 7000, 0, 500), 18 * USD, day=9),
    use("d3", "acme/api", 2, "bob", None, "opened", HAIKU, (5000, 0, 1000, 800), 5 * USD, day=15),
    use("d4", "acme/web", 5, "carol", "core", "opened", SONNET, (500, 500, 0, 100), 9 * USD, day=20),
    use("d5", "beta/svc", 9, "dave", "platform", "command", HAIKU, (100, 900, 0, 50), 3 * USD, day=21),
)
DECISIONS = (
    decide("acme/api", 4, "bob", None, "opened", "skipped", ("draft",), ("evidence",)),
    decide("acme/web", 5, "carol", "core", "opened", "run", (), ("exposure",), day=20),
    decide("acme/api", 1, "alice", "core", "opened", "run"),
)


def seed(url: str) -> str:
    ledger = open_ledger(url)
    events = Events(ledger)
    for record in USAGE:
        ledger.record_usage(record)
    for decision in DECISIONS:
        events.record_review_decision(decision)
    events.record_pr_outcome(PrOutcome("acme", "api", 1, "merged", at(10)))
    ledger.close()
    return url


@pytest.fixture
def site(database_url: str, redis_url: str) -> Iterator[str]:
    store = redis.Redis.from_url(redis_url)
    store.hset(keys.METRICS_PREFIX + "budget:2026-11", mapping={"repo-month:acme/api:2026-11": 40 * USD})
    store.close()
    settings = Settings(webhook_secret=SECRET, redis_url=redis_url, metrics_token=TOKEN,
                        database_url=seed(database_url))  # fmt: skip
    with serve_asgi(create_app(settings)) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("chromium is not installed (scripts/test.sh installs Debian's package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) into pixel tuples."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    pixels = [tuple(row[i : i + 3]) for row in rows for i in range(0, stride, channels)]
    return width, height, pixels


def colored(pixels: list[tuple[int, ...]]) -> int:
    """Pixels that are neither white-ish nor grey: drawn data, not background, text or axes."""
    return sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 40)


def test_charts_render_with_data(site: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.goto(f"{site}/dashboard?token={TOKEN}&month=2026-11")
    assert page.url == f"{site}/dashboard?month=2026-11"  # the token left the address bar
    cookie = next(c for c in context.cookies() if c["name"] == "agentbudget_dashboard")
    assert cookie["httpOnly"] and TOKEN not in cookie["value"]
    assert page.evaluate("document.cookie") == ""

    assert page.locator("#burn polyline.burn").count() == 3  # acme/api, acme/web, beta/svc
    assert page.locator("#burn line.budget").count() == 3
    titles = page.locator("#burn .burn-chart .t").all_text_contents()
    assert titles[0] == "acme/api: $35.00 of $40.00"  # the noted limit
    assert "acme/web: $9.00 of $100.00" in titles  # the shipped default
    assert page.locator("#spenders rect.bar").count() == 4
    assert page.locator("#spenders text").first.text_content() == "alice"
    assert page.locator("#models path.slice").count() == 2
    assert "83%" in (page.locator("#models").text_content() or "")  # sonnet: $39 of $47
    # cached 14,400 of 24,000 input tokens
    assert page.locator("#cache .big").inner_text() == "60%"
    assert page.locator("#cache rect.day").count() == 5
    blocked = page.locator("#blocked tr.blocked").all_inner_texts()
    assert len(blocked) == 2 and "acme/api#4" in blocked[0] and "evidence" in blocked[0]

    shot = tmp_path / "dashboard.png"  # kept for a person to look at when the test fails
    page.screenshot(path=str(shot), full_page=True)
    for section in ("#burn", "#spenders", "#models", "#cache"):
        _, _, pixels = png_pixels(page.locator(section).screenshot())
        assert colored(pixels) > 300, f"{section} looks blank"
    context.close()


def test_an_empty_month_draws_no_data(site: str, browser: Any) -> None:
    page = browser.new_page(extra_http_headers={"Authorization": f"Bearer {TOKEN}"})
    page.goto(f"{site}/dashboard?month=2026-01")
    assert page.locator("polyline.burn").count() == 0
    _, _, pixels = png_pixels(page.locator("#spenders").screenshot())
    assert colored(pixels) == 0
    page.close()


def test_unreachable_without_the_credential(site: str, browser: Any) -> None:
    page = browser.new_page()
    response = page.goto(f"{site}/dashboard?month=2026-11")
    assert response is not None and response.status == 401
    assert page.locator("svg").count() == 0
    response = page.goto(f"{site}/dashboard?token=wrong")
    assert response is not None and response.status == 401
    page.close()
    with httpx.Client(base_url=site) as client:
        assert (
            client.get("/dashboard", headers={"Cookie": f"agentbudget_dashboard={TOKEN}"}).status_code == 401
        )
        assert client.get("/dashboard", headers={"Authorization": "Bearer nope"}).status_code == 401
        ok = client.get("/dashboard?month=2026-11", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200 and "polyline" in ok.text
        assert "frame-ancestors 'none'" in ok.headers["content-security-policy"]
        assert "<script" not in ok.text  # drawn on the server
        assert (
            client.get("/dashboard?month=nope", headers={"Authorization": f"Bearer {TOKEN}"}).status_code
            == 400
        )


def test_absent_without_a_configured_token(database_url: str, redis_url: str) -> None:
    settings = Settings(webhook_secret=SECRET, redis_url=redis_url, database_url=seed(database_url))
    with serve_asgi(create_app(settings)) as base, httpx.Client(base_url=base) as client:
        assert client.get("/dashboard").status_code == 404
        assert client.get(f"/dashboard?token={TOKEN}").status_code == 404
