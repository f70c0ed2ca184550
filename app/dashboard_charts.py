"""The dashboard's charts as inline SVG strings: burn against a limit, bars, a donut and a daily rate.

Every text that reaches the page goes through ``e`` (HTML-escaped, quotes included)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from app.budget.scopes import dollars

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def burn_chart(repo: str, daily: list[int], limit: int | None, days: int, upto: int) -> str:
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
        f'aria-label="{e(repo)} spend against budget">',
        f'<text x="4" y="14" class="t">{e(repo)}: {dollars(total)} of '
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


def bars(rows: Sequence[tuple[str, int]], css: str) -> str:
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
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" class="l">{e(name[:18])}</text>'
        )
        parts.append(
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="{row_h - 6}" '
            f'fill="{PALETTE[0]}"><title>{e(name)}: {dollars(micros)}</title></rect>'
        )
        parts.append(f'<text x="{label_w + bar + 6:.1f}" y="{y + 16}" class="l">{dollars(micros)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def donut(rows: Sequence[tuple[str, int]]) -> str:
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
                f"<title>{e(name)}: {dollars(micros)}</title></path>"
            )
        angle += sweep
        parts.append(
            f'<rect x="{size + 10}" y="{20 + i * 22}" width="12" height="12" fill="{color}"/>'
            f'<text x="{size + 28}" y="{31 + i * 22}" class="l">{e(name[:22])} {micros / total:.0%}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def cache_chart(daily: list[tuple[int, int]]) -> str:
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
