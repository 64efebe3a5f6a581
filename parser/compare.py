"""Company × period tables: one row per company, one column per month (`2025-07`) or quarter
(`2025-Q3`), the figure each company disclosed for it; approximate figures are marked and a
period a company gave no figure for stays empty."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from parser.fact_types import stock_types
from parser.history import HASHRATE_STATUSES, METRICS, timeseries
from parser.normalize import clean_amount
from parser.query import check_choice
from parser.records import FactSource, StoredFact

BY = ("month", "quarter")
STATUSES = HASHRATE_STATUSES
_STOCKS = tuple(name for name, type in METRICS.items() if type in stock_types())
_MONTH = re.compile(r"\d{4}-\d{2}")
_QUARTER = re.compile(r"\d{4}-Q[1-4]")


@dataclass(frozen=True)
class Cell:
    value: float
    approximate: bool
    sources: tuple[str, ...]

    def text(self, grouped: bool = True) -> str:
        """`~1,450` for an approximate figure, `1,450` otherwise (`1450` ungrouped)."""
        number = f"{clean_amount(self.value):,}" if grouped else str(clean_amount(self.value))
        return f"{'~' if self.approximate else ''}{number}"


@dataclass(frozen=True)
class PeriodTable:
    metric: str
    by: str
    periods: tuple[str, ...]
    rows: tuple[tuple[str, dict[str, Cell]], ...]  # (company, period -> cell)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per company: `company`, then each period's value (None when missing)."""
        return [
            {"company": company, **{p: _number(cells.get(p)) for p in self.periods}}
            for company, cells in self.rows
        ]

    def to_dict(self) -> dict[str, Any]:
        companies = [
            {"company": company, "values": {p: _cell_dict(c) for p, c in cells.items()}}
            for company, cells in self.rows
        ]
        return {"metric": self.metric, "by": self.by, "periods": list(self.periods),
                "companies": companies}  # fmt: skip

    def text_rows(self, grouped: bool = True) -> list[list[str]]:
        """Company then each period as text (`~` marks approximate, missing is empty)."""
        return [
            [company, *(cells[p].text(grouped) if p in cells else "" for p in self.periods)]
            for company, cells in self.rows
        ]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame indexed by company (needs the `pandas` extra)."""
        from parser.records import to_dataframe

        frame = to_dataframe(self.to_records())
        return frame.set_index("company") if not frame.empty else frame


def period_table(
    store: FactSource, metric: str, by: str = "month", status: str | None = None
) -> PeriodTable:
    """The company × period table of `metric` (holdings, produced, sold, purchased, hashrate).
    `status` picks one hashrate status; by default each period shows the preferred status."""
    check_choice("metric", metric, tuple(METRICS))
    check_choice("by", by, BY)
    if status is not None:
        check_choice("status", status, STATUSES)
    companies = sorted({f.company for f in store.facts(type=METRICS[metric])})
    rows = []
    for company in companies:
        if metric in _STOCKS:
            cells = _stock_cells(store, company, metric, by, status)
        else:
            cells = _flow_cells(store, company, metric, by)
        if cells:
            rows.append((company, cells))
    periods = sorted({p for _, cells in rows for p in cells})
    return PeriodTable(metric, by, tuple(periods), tuple(rows))


def bucket(day_or_period: str, by: str) -> str:
    """`2025-08-31` or `2025-08` -> `2025-08` by month, `2025-Q3` by quarter."""
    month = day_or_period[:7]
    if by == "month" or "Q" in month:
        return month
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def _stock_cells(
    store: FactSource, company: str, metric: str, by: str, status: str | None
) -> dict[str, Cell]:
    """The latest figure within each period."""
    cells: dict[str, Cell] = {}
    for point in timeseries(store, company, metric, status):  # ordered by date
        cells[bucket(point.period, by)] = Cell(point.value, point.approximate, (point.source,))
    return cells


def _flow_cells(store: FactSource, company: str, metric: str, by: str) -> dict[str, Cell]:
    """Monthly figures (purchases: every purchase in the month); by quarter, the quarter's own
    figure or the sum of its three months."""
    monthly: dict[str, list[StoredFact]] = defaultdict(list)
    quarterly: dict[str, StoredFact] = {}
    for fact in store.facts(company=company, type=METRICS[metric]):  # latest document last
        if fact.value is None:
            continue
        if metric == "purchased":  # purchases are events, dated by their document
            monthly[(fact.fact_date or "")[:7]].append(fact)
        elif fact.period and _MONTH.fullmatch(fact.period):
            monthly[fact.period] = [fact]
        elif fact.period and _QUARTER.fullmatch(fact.period):
            quarterly[fact.period] = fact
    monthly.pop("", None)
    if by == "month":
        return {month: _sum(facts) for month, facts in monthly.items()}
    cells = {quarter: _sum([fact]) for quarter, fact in quarterly.items()}
    by_quarter: dict[str, list[str]] = defaultdict(list)
    for month in monthly:
        by_quarter[bucket(month, "quarter")].append(month)
    for quarter, months in by_quarter.items():
        if metric == "purchased" or len(months) == 3:  # a quarter missing a month stays empty
            cells[quarter] = _sum([f for m in months for f in monthly[m]])
    return cells


def _sum(facts: list[StoredFact]) -> Cell:
    return Cell(
        sum(float(f.value or 0) for f in facts),
        any(bool(f.approximate) for f in facts),
        tuple(dict.fromkeys(f.source for f in facts)),
    )


def _cell_dict(cell: Cell) -> dict[str, Any]:
    return {"value": _number(cell), "approximate": cell.approximate, "sources": list(cell.sources)}


def _number(cell: Cell | None) -> int | float | None:
    return None if cell is None else clean_amount(cell.value)
