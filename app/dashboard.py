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
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from app import metrics, report
from app.budget.errors import LedgerNotMigrated, LedgerUnavailable
from app.budget.events import Events, ReviewDecision
from app.budget.reader import LedgerReader
from app.budget.records import UsageRecord
from app.budget.scopes import dollars, repo_month_key
from app.dashboard_charts import bars, burn_chart, cache_chart, donut, e
from app.settings import Settings

COOKIE = "agentbudget_dashboard"
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
            cached + u.usage.cached_input_tokens,
            total + u.usage.all_input,
        )
    now = datetime.now(UTC)
    upto = now.day if data.month == now.strftime("%Y-%m") else days  # no line into days still to come
    top_repos = sorted(by_repo, key=lambda r: -sum(by_repo[r]))[:MAX_REPOS]
    burn = []
    for repo in top_repos:
        org, name = repo.split("/", 1)
        limit = data.limits.get(repo_month_key(org, name, data.month), data.default_limit)
        burn.append(burn_chart(repo, by_repo[repo], limit, days, upto))
    cached_all = sum(c for c, _ in cache_daily)
    input_all = sum(t for _, t in cache_daily)
    hit = f"{cached_all / input_all:.0%}" if input_all else "—"
    spenders = sorted(by_user.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_SPENDERS]
    models = sorted(by_model.items(), key=lambda kv: (-kv[1], kv[0]))
    blocked_rows = "".join(
        f'<tr class="blocked"><td>{e(name)}</td><td>{e(d.user)}</td><td>{e(", ".join(d.blocked_by))}</td>'
        f'<td class="muted">{e(d.at.strftime("%Y-%m-%d %H:%M"))}</td></tr>'
        for name, d in data.blocked
    )
    total = sum(u.micros for u in data.usage)
    notice = '<p class="empty">No ledger yet.</p>' if data.ledger_missing else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>agentbudget · {e(data.month)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>{STYLE}</style></head>
<body><h1>AI review spend · {e(data.month)}</h1>
<p class="muted">{dollars(total)} across {len(data.usage)} reviews, {len(by_repo)} repositories.</p>{notice}
<div class="grid">
<section class="card" id="burn"><h2>Budget burn per repository</h2><div class="grid">
{"".join(burn) or '<p class="empty">No spend this month.</p>'}</div></section>
<section class="card" id="spenders"><h2>Top spenders</h2>{bars(spenders, "spenders")}</section>
<section class="card" id="models"><h2>Model mix (cost)</h2>{donut(models)}</section>
<section class="card" id="cache"><h2>Cache hit rate <span class="big">{hit}</span></h2>
{cache_chart(cache_daily)}</section>
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
