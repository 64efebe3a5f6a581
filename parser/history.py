"""Time series and the ledger check over stored facts.

Ledger: between two holdings a company disclosed, holdings should move by what it produced and
bought minus what it sold in between. Every such period is reported: it agrees, it disagrees by
more than the precision the figures are stated to (a disagreement: an extraction error or a real
discrepancy, with the documents involved), or it cannot be checked because a monthly figure the
company usually gives is missing or a flow has no period (a gap). Flows without a period are set
aside, never guessed into a month.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from parser.fact_types import fact_types, metrics, stock_types
from parser.normalize import clean_amount, period_end, quarter_months
from parser.records import FactSource, StoredFact

METRICS = metrics()  # holdings, produced, sold, purchased, hashrate -> their fact types
HASHRATE_STATUSES = tuple(fact_types()["hashrate"].field("status").schema["enum"])
_STOCKS = stock_types()  # figures at a date (holdings, hashrate), not for a period
# Which hashrate figure stands for a period when several are disclosed.
_HASHRATE_PREFERENCE = ("operational", "average", "energized", "installed", "unspecified")
_SINGLE_PERIOD = re.compile(r"^\d{4}-(?:\d{2}|Q[1-4])$")


@dataclass(frozen=True)
class Point:
    period: str
    value: float
    status: str | None
    document: str
    source: str
    approximate: bool = False


@dataclass(frozen=True)
class LedgerPeriod:
    """One checked period between two disclosed holdings."""

    company: str
    start: str
    end: str
    opening: float
    closing: float
    produced: float
    purchased: float
    sold: float
    difference: float
    documents: tuple[str, ...] = field(default=())
    tolerance: float = 0.0
    missing: tuple[str, ...] = ()  # why it cannot be checked: "no btc_sold figure for 2025-07"

    @property
    def expected(self) -> float:
        return self.opening + self.produced + self.purchased - self.sold

    @property
    def status(self) -> str:
        if self.missing:
            return "gap"
        return "disagrees" if abs(self.difference) > self.tolerance else "agrees"


LedgerGap = LedgerPeriod  # the name the first versions used for a disagreeing period


@dataclass(frozen=True)
class LedgerCheck:
    periods: list[LedgerPeriod]
    set_aside: list[StoredFact]  # flows without a period (or a date): not placed in any month

    @property
    def disagreements(self) -> list[LedgerPeriod]:
        return [p for p in self.periods if p.status == "disagrees"]

    @property
    def gaps(self) -> list[LedgerPeriod]:
        return [p for p in self.periods if p.status == "gap"]

    def summary(self) -> str:
        agree = len(self.periods) - len(self.disagreements) - len(self.gaps)
        return (
            f"{len(self.periods)} period(s) checked: {agree} agree, "
            f"{len(self.disagreements)} disagree, {len(self.gaps)} cannot be checked; "
            f"{len(self.set_aside)} fact(s) without a period set aside"
        )


def timeseries(
    store: FactSource, company: str, metric: str, status: str | None = None
) -> list[Point]:
    """One value per period; when documents disagree, the latest document wins. Hashrate: the
    given `status` only, else the preferred status of each date (never a target)."""
    facts = store.facts(company=company, type=METRICS[metric])
    best: dict[str, StoredFact] = {}
    for fact in facts:  # ordered by date, then by when the document was first seen
        period = _period_of(fact)
        if period is None or fact.value is None:
            continue
        if (fact.status or "unspecified") != status if status else fact.status == "target":
            continue
        if metric == "hashrate" and period in best and _rank(best[period]) < _rank(fact):
            continue
        best[period] = fact
    return [
        Point(period, float(f.value or 0), f.status, f.document, f.source, bool(f.approximate))
        for period, f in sorted(best.items())
    ]


def ledger_check(
    store: FactSource, company: str | None = None, tolerance: float | None = None
) -> LedgerCheck:
    """Every period between consecutive holdings of each company (or of `company`). The
    tolerance is the rounding the figures involved allow (±0.5 BTC for a whole number, ±50 for
    "approximately 19,300"), unless a fixed `tolerance` in BTC is given."""
    companies = (
        [company] if company else sorted({f.company for f in store.facts(type="btc_holdings")})
    )
    check = LedgerCheck([], [])
    for name in companies:
        periods, set_aside = _company_check(store, name, tolerance)
        check.periods.extend(periods)
        check.set_aside.extend(set_aside)
    return check


def ledger_gaps(
    store: FactSource, company: str | None = None, tolerance: float | None = None
) -> list[LedgerPeriod]:
    """The periods whose disclosed holdings and flows disagree (see `ledger_check`)."""
    return ledger_check(store, company, tolerance).disagreements


def half_unit(value: float, approximate: bool = False) -> float:
    """Half the last unit a figure is stated to: 19,287 -> 0.5; 512.35 -> 0.005; an
    approximate 19,300 -> 50 (its trailing zeros are rounding)."""
    digits = Decimal(str(clean_amount(value))).as_tuple()
    exponent = int(digits.exponent)
    if approximate and exponent == 0:
        text = "".join(map(str, digits.digits))
        exponent = len(text) - len(text.rstrip("0")) if text.strip("0") else 0
    return float(Decimal(10) ** exponent) / 2


def _company_check(
    store: FactSource, company: str, tolerance: float | None
) -> tuple[list[LedgerPeriod], list[StoredFact]]:
    holdings = timeseries(store, company, "holdings")
    flows = {metric: _flows(store, company, metric) for metric in ("produced", "purchased", "sold")}
    set_aside = _set_aside(store, company)
    regular = {m: _months(facts) for m, facts in flows.items() if m != "purchased"}
    periods = []
    for before, after in pairwise(holdings):
        moved = {
            metric: [f for f in facts if before.period < (_end(f) or "") <= after.period]
            for metric, facts in flows.items()
        }
        totals = {m: sum(float(f.value or 0) for f in facts) for m, facts in moved.items()}
        expected = before.value + totals["produced"] + totals["purchased"] - totals["sold"]
        figures = [(p.value, p.approximate) for p in (before, after)] + [
            (float(f.value or 0), bool(f.approximate)) for fs in moved.values() for f in fs
        ]
        aside = [f for f in set_aside if before.period < (f.fact_date or "") <= after.period]
        missing = _missing(regular, before.period, after.period) + [
            f"{f.type} of {f.value:g} BTC without a period ({f.source})" for f in aside
        ]
        documents = {before.source, after.source, *(f.source for fs in moved.values() for f in fs)}
        periods.append(
            LedgerPeriod(
                company, before.period, after.period, before.value, after.value,
                totals["produced"], totals["purchased"], totals["sold"],
                round(after.value - expected, 8), tuple(sorted(documents)),
                tolerance if tolerance is not None else sum(half_unit(*f) for f in figures),
                tuple(missing),
            )
        )  # fmt: skip
    return periods, set_aside


def _set_aside(store: FactSource, company: str) -> list[StoredFact]:
    """Production and sales without a single period, purchases without a date."""
    facts = []
    for metric in ("produced", "sold", "purchased"):
        for fact in store.facts(company=company, type=METRICS[metric]):
            if fact.value is None:
                continue
            if (metric == "purchased" and not fact.fact_date) or (
                metric != "purchased" and not fact.period
            ):
                facts.append(fact)
    return facts


def _months(facts: list[StoredFact]) -> set[str]:
    """The months these flows cover (a quarter covers its three months)."""
    months: set[str] = set()
    for fact in facts:
        period = fact.period or ""
        months.update(quarter_months(period) if "Q" in period else [period])
    return months


def _missing(regular: dict[str, set[str]], start: str, end: str) -> list[str]:
    """For each flow the company gives monthly, the months in (start, end] it gave none for."""
    months = _months_between(start, end)
    reasons = []
    for metric, known in regular.items():
        absent = [m for m in months if m not in known]
        if absent and any(len(m) == 7 for m in known):
            reasons.append(f"no {METRICS[metric]} figure for {', '.join(absent)}: cannot check")
    return reasons


def _months_between(start: str, end: str) -> list[str]:
    """Months whose last day falls in (start, end]: 2025-02-28 .. 2025-04-30 -> 03, 04."""
    year, month = int(start[:4]), int(start[5:7])
    months: list[str] = []
    while True:
        label = f"{year}-{month:02d}"
        last = period_end(label) or ""
        if last > end:
            return months
        if last > start:
            months.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _flows(store: FactSource, company: str, metric: str) -> list[StoredFact]:
    """Flow facts of one kind, one per period (monthly figures preferred over quarterly ones,
    so a quarter is not counted on top of its months; year-to-date ranges are left out)."""
    facts = [f for f in store.facts(company=company, type=METRICS[metric]) if f.value is not None]
    if metric == "purchased":
        return _latest_per_key(facts, lambda f: f"{f.fact_date}:{f.value}")
    single = [f for f in facts if f.period and _SINGLE_PERIOD.match(f.period)]
    monthly = [f for f in single if "Q" not in (f.period or "")]
    months = {f.period for f in monthly}
    quarterly = [
        f for f in single if "Q" in (f.period or "") and not _covers_any(f.period or "", months)
    ]
    return _latest_per_key(monthly + quarterly, lambda f: f.period or "")


def _covers_any(quarter: str, months: set[str | None]) -> bool:
    return any(month in months for month in quarter_months(quarter))


def _latest_per_key(facts: list[StoredFact], key: Callable[[StoredFact], str]) -> list[StoredFact]:
    chosen: dict[str, StoredFact] = {}
    for fact in facts:
        chosen[key(fact)] = fact
    return list(chosen.values())


def _period_of(fact: StoredFact) -> str | None:
    if fact.type in _STOCKS:
        return fact.as_of or fact.fact_date
    return fact.period or fact.fact_date


def _end(fact: StoredFact) -> str | None:
    return period_end(fact.period) or fact.fact_date


def _rank(fact: StoredFact) -> int:
    status = fact.status or "unspecified"
    return _HASHRATE_PREFERENCE.index(status) if status in _HASHRATE_PREFERENCE else 99
