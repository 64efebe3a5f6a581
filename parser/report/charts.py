"""Report charts: matplotlib drawn to SVG, inlined in the page.

matplotlib rather than hand-written SVG or a Vega-Lite runtime: it renders offline to a static
SVG (no script, no font or library fetched, so pages work from `file://`), its SVG backend keeps a
link on every marker (each point opens its document), and its locators give 1-2-5 ticks and date
labels that do not overlap. Figures are built with the object API (no pyplot state), the text
stays text and the output is deterministic (fixed hash salt, no date in the metadata).
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: the report only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH, HEIGHT = 7.2, 3.0  # inches; the page scales the SVG to its column
COLOURS = (
    "#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#a16207", "#0f766e", "#be185d", "#4d7c0f",
    "#9f1239", "#1e40af", "#b45309", "#047857",
)  # fmt: skip
GAP_DAYS = 45  # points further apart are not joined: a missing month is drawn as a gap


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


def line_chart(title: str, unit: str, series: list[Series]) -> str:
    """An inline SVG chart with a title, 1-2-5 value ticks and non-overlapping date labels;
    every point links to its document; empty series get no legend entry. "" with no data."""
    drawn = [one for one in series if one.points]
    if not drawn:
        return ""
    from matplotlib import rc_context

    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "disclosure-parser"}):
        return _render(title, unit, drawn)


def _render(title: str, unit: str, drawn: list[Series]) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    for index, one in enumerate(drawn):
        _draw(axes, one, COLOURS[index % len(COLOURS)])
    axes.set_title(title, loc="left", fontsize=11, fontweight="bold")
    axes.set_ylabel(unit)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], min_n_ticks=3))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value)))
    top = max(p.value for one in drawn for p in one.points)
    axes.set_ylim(0, top * 1.12 if top > 0 else 1)  # room above the highest point
    axes.xaxis_date()
    locator = AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.grid(axis="y", color="#e5e5e5")
    axes.spines[["top", "right"]].set_visible(False)
    if len(drawn) > 1:
        axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _svg(figure, title)


def tick_label(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.10g}"


def _draw(axes: Axes, series: Series, colour: str) -> None:
    from matplotlib.dates import date2num

    points = sorted(series.points, key=lambda p: p.day)
    days = [float(date2num(date.fromisoformat(p.day[:10]))) for p in points]  # type: ignore[no-untyped-call]
    xs: list[float] = []
    ys: list[float] = []
    for index, (day, point) in enumerate(zip(days, points, strict=True)):
        if index and day - days[index - 1] > GAP_DAYS:
            xs.append(math.nan)  # a break in the line
            ys.append(math.nan)
        xs.append(day)
        ys.append(point.value)
    axes.plot(xs, ys, color=colour, linewidth=1.8, linestyle="--" if series.dashed else "-",
              label=series.name)  # fmt: skip
    marks = axes.scatter(days, [p.value for p in points], color=colour, s=22, zorder=3)
    marks.set_urls([p.href for p in points])


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\swidth="[\d.]+pt" height="[\d.]+pt"', "", svg, count=1)
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg class="chart" role="img" aria-label="{label}" ', 1)
