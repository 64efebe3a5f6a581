"""Small server-side SVG charts: dated line and bar charts with labelled axes and values.

Hand-written SVG rather than a plotting library: the report must work from `file://` with no
scripts or fonts fetched, the charts are simple (a few series of dated points), and generating
the markup directly keeps the output small, deterministic and free of a heavy dependency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 24, 44
_PAD = 24  # keeps the first and last points (and bars) off the axes
_MIN_LABEL_GAP = 70  # pixels between two date labels
COLOURS = ("#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#a16207", "#0f766e")


@dataclass(frozen=True)
class ChartPoint:
    day: str  # ISO date
    value: float
    href: str | None = None
    label: str | None = None


@dataclass
class Series:
    name: str
    points: list[ChartPoint] = field(default_factory=list)
    dashed: bool = False


def line_chart(title: str, unit: str, series: list[Series], bars: bool = False) -> str:
    """An SVG chart; `bars` draws each series as bars side by side instead of lines."""
    points = [p for s in series for p in s.points]
    if not points:
        return ""
    days = sorted({_ordinal(p.day) for p in points})
    low, high = days[0], days[-1]
    span = max(high - low, 1)
    top_value = max(p.value for p in points) * 1.15 or 1.0
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: str) -> float:
        if low == high:
            return LEFT + inner_w / 2
        return LEFT + _PAD + (_ordinal(day) - low) / span * (inner_w - 2 * _PAD)

    def y(value: float) -> float:
        return TOP + inner_h - value / top_value * inner_h

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        *_axes(unit, top_value, y, x, sorted({p.day for p in points})),
    ]
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        if bars:
            parts += _bars(one, index, len(series), colour, x, y)
        else:
            parts += _line(one, colour, x, y)
    parts.append(_legend(series))
    parts.append("</svg>")
    return "\n".join(parts)


def _axes(unit: str, top_value: float, y: object, x: object, days: list[str]) -> list[str]:
    to_y, to_x = y, x
    base = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#555"/>',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#555"/>',
        f'<text x="{LEFT - 6}" y="{TOP - 10}" font-size="11" text-anchor="end" fill="#333">{escape(unit)}</text>',
    ]
    for step in range(5):
        value = top_value * step / 4
        level = to_y(value)  # type: ignore[operator]
        parts.append(
            f'<line x1="{LEFT - 4}" y1="{level:.1f}" x2="{WIDTH - RIGHT}" y2="{level:.1f}" stroke="#e5e5e5"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{level + 4:.1f}" font-size="10" text-anchor="end" fill="#333">{_number(value)}</text>'
        )
    last_at = -_MIN_LABEL_GAP
    for day in days:
        at = to_x(day)  # type: ignore[operator]
        if at - last_at < _MIN_LABEL_GAP:
            continue
        last_at = at
        parts.append(
            f'<text x="{at:.1f}" y="{base + 16}" font-size="10" text-anchor="middle" fill="#333">{day}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH) / 2:.0f}" y="{HEIGHT - 6}" font-size="11" text-anchor="middle" fill="#333">date</text>'
    )
    return parts


def _line(series: Series, colour: str, x: object, y: object) -> list[str]:
    to_x, to_y = x, y
    ordered = sorted(series.points, key=lambda p: p.day)
    coords = [(to_x(p.day), to_y(p.value)) for p in ordered]  # type: ignore[operator]
    dash = ' stroke-dasharray="6 4"' if series.dashed else ""
    path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
    parts = [
        f'<polyline class="series" fill="none" stroke="{colour}" stroke-width="2"{dash} points="{path}"/>'
    ]
    labelled_at = -_MIN_LABEL_GAP
    for point, (cx, cy) in zip(ordered, coords, strict=True):
        circle = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{colour}"/>'
        show_value = cx - labelled_at >= _MIN_LABEL_GAP / 2
        labelled_at = cx if show_value else labelled_at
        parts.append(_point(point, circle, cx, cy, show_value))
    return parts


def _bars(series: Series, index: int, count: int, colour: str, x: object, y: object) -> list[str]:
    to_x, to_y = x, y
    width = 14
    parts = []
    for point in series.points:
        cx = to_x(point.day) + (index - (count - 1) / 2) * (width + 2)  # type: ignore[operator]
        top = to_y(point.value)  # type: ignore[operator]
        height = HEIGHT - BOTTOM - top
        shape = f'<rect x="{cx - width / 2:.1f}" y="{top:.1f}" width="{width}" height="{height:.1f}" fill="{colour}"/>'
        parts.append(_point(point, shape, cx, top))
    return parts


def _point(point: ChartPoint, shape: str, cx: float, cy: float, show_value: bool = True) -> str:
    label = (
        f'<text x="{cx:.1f}" y="{cy - 7:.1f}" font-size="10" text-anchor="middle" fill="#111">'
        f"{_number(point.value)}</text>"
        if show_value
        else ""
    )
    tip = f"<title>{escape(point.label or '')} {point.day}: {_number(point.value)}</title>"
    body = f'<g class="point">{shape}{label}{tip}</g>'
    if point.href:
        return f'<a href="{escape(point.href)}">{body}</a>'
    return body


def _legend(series: list[Series]) -> str:
    items = []
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        x = WIDTH - RIGHT - (len(series) - index) * 120
        dash = ' stroke-dasharray="6 4"' if one.dashed else ""
        items.append(
            f'<line x1="{x}" y1="12" x2="{x + 18}" y2="12" stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{x + 22}" y="16" font-size="11" fill="#111">{escape(one.name)}</text>'
        )
    return f'<g class="legend">{"".join(items)}</g>'


def _ordinal(day: str) -> int:
    return date.fromisoformat(day[:10]).toordinal()


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if value < 10 else f"{value:,.1f}".rstrip("0").rstrip(".")
