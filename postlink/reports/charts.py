"""Inline SVG charts: daily volume and on-time rate, drawn without scripts or web fonts.

Report pages must be single self-contained files (issue 6), readable offline on a province
server and printable; so charts are plain SVG elements written here, sized in the page's
own units, with every piece of text escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup, escape

from postlink.reports.formatting import number, percent
from postlink.reports.strings import text

WIDTH, HEIGHT = 680, 200
LEFT, BOTTOM, TOP = 44, 24, 16
#: Fill colours of the stacked series, readable in grey print as well.
PALETTE = ("#1f5fa8", "#e0892b", "#5a9e4b")
#: At most this many date labels on the x axis.
MAX_TICKS = 8


def _frame(body: list[str], title: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart">'
    )
    return Markup(head + "".join(body) + "</svg>")


def _x_axis(days: Sequence[date], step: float) -> list[str]:
    every = max(1, -(-len(days) // MAX_TICKS))
    parts = [
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#444"/>'
    ]
    for index in range(0, len(days), every):
        x = LEFT + step * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" font-size="10" text-anchor="middle">'
            f"{days[index]:%d/%m}</text>"
        )
    return parts


def _y_label(y: float, caption: str) -> str:
    return (
        f'<text x="{LEFT - 4}" y="{y + 3:.1f}" font-size="10" text-anchor="end">'
        f"{escape(caption)}</text>"
        f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="#ddd"/>'
    )


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    for index, name in enumerate(names):
        x = LEFT + 8 + index * 120
        parts.append(
            f'<rect x="{x}" y="2" width="10" height="10" fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="11" font-size="10">{escape(name)}</text>'
        )
    return parts


def _empty(title: str) -> Markup:
    return _frame(
        [
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" font-size="14" text-anchor="middle">'
            f"{escape(text('chart.no_data'))}</text>"
        ],
        title,
    )


def stacked_bars(days: Sequence[date], series: Mapping[str, Sequence[int]]) -> Markup:
    """One bar per day, stacked by series (e.g. dossiers and results)."""
    title = text("chart.volume")
    totals = [sum(values[i] for values in series.values()) for i in range(len(days))]
    peak = max(totals, default=0)
    if not days or peak == 0:
        return _empty(title)
    plot_height = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / len(days)
    parts = [_y_label(TOP, number(peak)), _y_label(HEIGHT - BOTTOM, "0")]
    for index in range(len(days)):
        base = float(HEIGHT - BOTTOM)
        for colour_index, values in enumerate(series.values()):
            height = plot_height * values[index] / peak
            if height:
                base -= height
                parts.append(
                    f'<rect x="{LEFT + step * index + step * 0.1:.1f}" y="{base:.1f}" '
                    f'width="{step * 0.8:.1f}" height="{height:.1f}" '
                    f'fill="{PALETTE[colour_index % len(PALETTE)]}"/>'
                )
    return _frame(parts + _x_axis(days, step) + _legend(list(series)), title)


def rate_line(days: Sequence[date], rates: Sequence[float | None]) -> Markup:
    """The on-time rate per day as a polyline; days with nothing due leave a gap."""
    title = text("chart.on_time")
    if not any(rate is not None for rate in rates):
        return _empty(title)
    plot_height = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / len(days)
    parts = [_y_label(TOP, percent(1.0)), _y_label(TOP + plot_height / 2, percent(0.5))]
    parts.append(_y_label(HEIGHT - BOTTOM, percent(0.0)))
    runs: list[list[str]] = [[]]
    for index, rate in enumerate(rates):
        if rate is None:
            runs.append([])
            continue
        x, y = LEFT + step * (index + 0.5), HEIGHT - BOTTOM - plot_height * rate
        runs[-1].append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{PALETTE[0]}"/>')
    for run in runs:
        if len(run) > 1:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{PALETTE[0]}" '
                'stroke-width="1.5"/>'
            )
    return _frame(parts + _x_axis(days, step), title)
