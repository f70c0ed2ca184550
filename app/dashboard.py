"""`GET /dashboard`: a read-only page of this month's spend, drawn as server-side SVG (no script, no CDN).

Budget burn per repository against its budget, top spenders, model mix, cache hit rate by day and the
pull requests currently blocked. Figures come from the ledger (``app.report`` aggregates them) and the
budget limits the workers noted in Redis (``app.metrics.note_budgets``); the shipped default applies to a
repository no worker has noted yet.

Behind the metrics token: ``Authorization: Bearer <token>``, or ``?token=`` once, which sets an HttpOnly
cookie (an HMAC of the token, not the token) and redirects to the same page without it in the URL.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import html
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from app import metrics, report
from app.budget.database import LedgerNotMigrated, LedgerUnavailable
from app.budget.events import Events, ReviewDecision
from app.budget.reader import LedgerReader
from app.budget.records import UsageRecord
from app.budget.scopes import dollars, repo_month_key
from app.settings import Settings

COOKIE = "agentbudget_dashboard"
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")
MAX_REPOS = 6
MAX_SPENDERS = 10
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def session_value(token: str) -> str:
    return hmac.new(token.encode(), b"agentbudget dashboard session", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Data:
    month: str
    usage: list[UsageRecord]
    decisions: list[ReviewDecision]
    blocked: list[tuple[str, ReviewDecision]]  # (org/repo#pr, latest decision)
    limits: dict[str, int | None]  # repo-month scope key -> limit micro-USD
    default_limit: int | None
    ledger_missing: bool = False


def _load(
    reader: LedgerReader, month: str
) -> tuple[list[UsageRecord], list[ReviewDecision], list[tuple[str, ReviewDecision]], bool]:
    """Read-only; the ledger missing (no SQLite file, never migrated) draws an empty page that says so."""
    try:
        ledger = reader.get()
    except FileNotFoundError:
        return [], [], [], True
    except LedgerNotMigrated as exc:
        if exc.version == 0:
            return [], [], [], True
        raise
    events = Events(ledger)
    outcomes = events.pr_outcomes()
    latest = {(d.org, d.repo, d.pr): d for d in events.latest_decisions()}
    blocked = [
        (f"{org}/{repo}#{pr}", d)
        for (org, repo, pr), d in sorted(latest.items())
        if report.pr_outcome((org, repo, pr), outcomes, latest) == "blocked"
    ]
    return ledger.usage_records(month=month), events.review_decisions(month=month), blocked, False


# ---------------------------------------------------------------------------------------------------
# SVG


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _burn_chart(repo: str, daily: list[int], limit: int | None, days: int, upto: int) -> str:
    w, h, left, bottom, top = 300, 150, 58, 22, 24
    cumulative, total = [], 0
    for micros in daily:
        total += micros
        cumulative.append(total)
    peak = max([total, limit or 0, 1])
    scale_y = (h - bottom - top) / (peak * 1.05)

    def x(day: int) -> float:
        return left + (w - left - 8) * (day - 0.5) / days

    def y(micros: float) -> float:
        return h - bottom - micros * scale_y

    points = " ".join(f"{x(i + 1):.1f},{y(v):.1f}" for i, v in enumerate(cumulative[:upto]))
    over = limit is not None and total > limit
    parts = [
        f'<svg class="chart burn-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{_e(repo)} spend against budget">',
        f'<text x="4" y="14" class="t">{_e(repo)}: {dollars(total)} of '
        f"{dollars(limit) if limit is not None else 'no limit'}</text>",
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - 8}" y2="{h - bottom}" class="axis"/>',
        f'<text x="{left - 4}" y="{h - bottom}" class="tick" text-anchor="end">$0</text>',
        f'<text x="{left - 4}" y="{y(peak) + 4:.1f}" class="tick" text-anchor="end">{dollars(peak)}</text>',
        f'<text x="{x(1):.1f}" y="{h - 6}" class="tick">1</text>',
        f'<text x="{x(days):.1f}" y="{h - 6}" class="tick" text-anchor="end">{days}</text>',
    ]
    if limit is not None:
        parts.append(
            f'<line class="budget" x1="{left}" x2="{w - 8}" y1="{y(limit):.1f}" y2="{y(limit):.1f}" '
            'stroke="#e15759" stroke-dasharray="5 3" stroke-width="1.5"/>'
        )
    color = "#e15759" if over else "#4e79a7"
    parts.append(
        f'<polyline class="burn" fill="none" stroke="{color}" stroke-width="2.5" points="{points}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _bars(rows: Sequence[tuple[str, int]], css: str) -> str:
    if not rows:
        return '<p class="empty">No spend this month.</p>'
    w, row_h, label_w = 420, 24, 130
    h = row_h * len(rows) + 6
    peak = max(v for _, v in rows) or 1
    parts = [f'<svg class="chart {css}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">']
    for i, (name, micros) in enumerate(rows):
        y = 3 + i * row_h
        bar = max((w - label_w - 70) * micros / peak, 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" class="l">{_e(name[:18])}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="{row_h - 6}" '
            f'fill="{PALETTE[0]}"><title>{_e(name)}: {dollars(micros)}</title></rect>'
        )
        parts.append(f'<text x="{label_w + bar + 6:.1f}" y="{y + 16}" class="l">{dollars(micros)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _donut(rows: Sequence[tuple[str, int]]) -> str:
    total = sum(v for _, v in rows)
    if not total:
        return '<p class="empty">No spend this month.</p>'
    size, r, inner = 220, 90, 52
    c = size / 2
    parts = [
        f'<svg class="chart donut" viewBox="0 0 {size + 200} {size}" width="{size + 200}" height="{size}">'
    ]
    angle = -math.pi / 2
    for i, (name, micros) in enumerate(rows):
        color = PALETTE[i % len(PALETTE)]
        sweep = 2 * math.pi * micros / total
        if sweep >= 2 * math.pi - 1e-9:  # one model: a full ring (an arc cannot start where it ends)
            parts.append(
                f'<path class="slice" fill="{color}" fill-rule="evenodd" '
                f'd="M{c - r},{c}a{r},{r} 0 1,0 {2 * r},0'
                f"a{r},{r} 0 1,0 {-2 * r},0M{c - inner},{c}a{inner},{inner} 0 1,0 {2 * inner},0"
                f'a{inner},{inner} 0 1,0 {-2 * inner},0"/>'
            )
        elif sweep > 0:
            end = angle + sweep
            large = 1 if sweep > math.pi else 0
            p = [
                (c + r * math.cos(angle), c + r * math.sin(angle)),
                (c + r * math.cos(end), c + r * math.sin(end)),
                (c + inner * math.cos(end), c + inner * math.sin(end)),
                (c + inner * math.cos(angle), c + inner * math.sin(angle)),
            ]
            parts.append(
                f'<path class="slice" fill="{color}" d="M{p[0][0]:.2f},{p[0][1]:.2f} '
                f"A{r},{r} 0 {large},1 {p[1][0]:.2f},{p[1][1]:.2f} L{p[2][0]:.2f},{p[2][1]:.2f} "
                f'A{inner},{inner} 0 {large},0 {p[3][0]:.2f},{p[3][1]:.2f} Z">'
                f"<title>{_e(name)}: {dollars(micros)}</title></path>"
            )
        angle += sweep
        parts.append(
            f'<rect x="{size + 10}" y="{20 + i * 22}" width="12" height="12" fill="{color}"/>'
            f'<text x="{size + 28}" y="{31 + i * 22}" class="l">{_e(name[:22])} {micros / total:.0%}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _cache_chart(daily: list[tuple[int, int]]) -> str:
    w, h, left, bottom = 420, 150, 34, 20
    days = len(daily)
    step = (w - left - 6) / days
    parts = [
        f'<svg class="chart cache" viewBox="0 0 {w} {h}" width="{w}" height="{h}">',
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - 6}" y2="{h - bottom}" class="axis"/>',
        f'<text x="{left - 4}" y="{h - bottom}" class="tick" text-anchor="end">0%</text>',
        f'<text x="{left - 4}" y="14" class="tick" text-anchor="end">100%</text>',
    ]
    for i, (cached, total) in enumerate(daily):
        if not total:
            continue
        bar = (h - bottom - 10) * cached / total
        parts.append(
            f'<rect class="day" x="{left + i * step + 1:.1f}" y="{h - bottom - bar:.1f}" '
            f'width="{max(step - 2, 1):.1f}" height="{bar:.1f}" fill="{PALETTE[2]}">'
            f"<title>day {i + 1}: {cached / total:.0%}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------
# Page

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:0 0 8px}
.grid{display:flex;flex-wrap:wrap;gap:18px}.card{border:1px solid #ddd;border-radius:8px;padding:12px}
.t{font-size:12px;font-weight:600}.tick,.l{font-size:11px;fill:#444}.axis{stroke:#999}
.big{font-size:28px;font-weight:700}.empty{color:#777}table{border-collapse:collapse}
td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}.muted{color:#777}
"""


def render(data: Data) -> str:
    year, month = (int(p) for p in data.month.split("-"))
    days = calendar.monthrange(year, month)[1]
    by_repo: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    by_user: dict[str, int] = defaultdict(int)
    by_model: dict[str, int] = defaultdict(int)
    cache_daily = [(0, 0)] * days
    for u in data.usage:
        day = u.at.astimezone(UTC).day - 1
        by_repo[f"{u.org}/{u.repo}"][day] += u.micros
        by_user[u.user] += u.micros
        by_model[u.model] += u.micros
        cached, total = cache_daily[day]
        cache_daily[day] = (
            cached + u.cached_input_tokens,
            total + u.input_tokens + u.cached_input_tokens + u.cache_write_tokens,
        )
    now = datetime.now(UTC)
    upto = now.day if data.month == now.strftime("%Y-%m") else days  # no line into days still to come
    top_repos = sorted(by_repo, key=lambda r: -sum(by_repo[r]))[:MAX_REPOS]
    burn = []
    for repo in top_repos:
        org, name = repo.split("/", 1)
        limit = data.limits.get(repo_month_key(org, name, data.month), data.default_limit)
        burn.append(_burn_chart(repo, by_repo[repo], limit, days, upto))
    cached_all = sum(c for c, _ in cache_daily)
    input_all = sum(t for _, t in cache_daily)
    hit = f"{cached_all / input_all:.0%}" if input_all else "—"
    spenders = sorted(by_user.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SPENDERS]
    models = sorted(by_model.items(), key=lambda kv: (-kv[1], kv[0]))
    blocked_rows = "".join(
        f'<tr class="blocked"><td>{_e(name)}</td><td>{_e(d.user)}</td><td>{_e(", ".join(d.blocked_by))}</td>'
        f'<td class="muted">{_e(d.at.strftime("%Y-%m-%d %H:%M"))}</td></tr>'
        for name, d in data.blocked
    )
    total = sum(u.micros for u in data.usage)
    notice = '<p class="empty">No ledger yet.</p>' if data.ledger_missing else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>agentbudget · {_e(data.month)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>{STYLE}</style></head>
<body><h1>AI review spend · {_e(data.month)}</h1>
<p class="muted">{dollars(total)} across {len(data.usage)} reviews, {len(by_repo)} repositories.</p>{notice}
<div class="grid">
<section class="card" id="burn"><h2>Budget burn per repository</h2><div class="grid">
{"".join(burn) or '<p class="empty">No spend this month.</p>'}</div></section>
<section class="card" id="spenders"><h2>Top spenders</h2>{_bars(spenders, "spenders")}</section>
<section class="card" id="models"><h2>Model mix (cost)</h2>{_donut(models)}</section>
<section class="card" id="cache"><h2>Cache hit rate <span class="big">{hit}</span></h2>
{_cache_chart(cache_daily)}</section>
<section class="card" id="blocked"><h2>Blocked pull requests ({len(data.blocked)})</h2>
<table><thead><tr><th>pull request</th><th>author</th><th>blocked by</th><th>since</th></tr></thead>
<tbody>{blocked_rows}</tbody></table></section>
</div></body></html>"""


def _authorized(request: Request, token: str) -> bool:
    if metrics.token_matches(token, metrics.bearer(request)):
        return True
    return metrics.token_matches(session_value(token), request.cookies.get(COOKIE))


def reader(request: Request) -> LedgerReader:
    """The server's read-only ledger, opened by ``app.web``'s lifespan."""
    ledger: LedgerReader = request.app.state.ledger
    return ledger


def routes(settings: Settings) -> list[Route]:
    from config.model import Config

    default_limit = Config().budget.per_repo_month.micro_usd

    async def dashboard(request: Request) -> Response:
        token = settings.metrics_token
        if not token:
            return metrics.not_found()
        presented = request.query_params.get("token")
        if presented is not None:
            if not metrics.token_matches(token, presented):
                return metrics.unauthorized()
            rest = {k: v for k, v in request.query_params.items() if k != "token"}
            target = "/dashboard" + (f"?{urlencode(rest)}" if rest else "")
            response = RedirectResponse(target, status_code=303, headers=HEADERS)
            response.set_cookie(
                COOKIE, session_value(token), max_age=12 * 3600, path="/dashboard", httponly=True,
                samesite="strict", secure=request.url.scheme == "https",
            )  # fmt: skip
            return response
        if not _authorized(request, token):
            return metrics.unauthorized()
        month = request.query_params.get("month") or datetime.now(UTC).strftime("%Y-%m")
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            return HTMLResponse("month must be YYYY-MM", status_code=400)
        try:
            usage, decisions, blocked, missing = await to_thread.run_sync(_load, reader(request), month)
        except LedgerUnavailable as exc:
            return HTMLResponse(f"ledger unavailable: {html.escape(str(exc))}", status_code=503)
        limits = await metrics.budget_limits(request.app.state.redis, month)
        data = Data(month, usage, decisions, blocked, limits, default_limit, missing)
        return HTMLResponse(render(data), headers=HEADERS)

    return [Route("/dashboard", dashboard, methods=["GET"])]
