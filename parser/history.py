"""Time series and the ledger check over stored facts.

Ledger: between two holdings a company disclosed, holdings should move by what it produced and
bought minus what it sold in between. Periods where the disclosed numbers disagree by more than a
tolerance are listed with the documents involved: extraction errors and real disclosure gaps
alike show up there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from parser.normalize import period_end
from parser.store import Store, StoredFact

METRICS = {
    "holdings": "btc_holdings",
    "produced": "btc_produced",
    "sold": "btc_sold",
    "purchased": "btc_purchased",
    "hashrate": "hashrate",
}
HASHRATE_STATUSES = ("installed", "operational", "energized", "average", "target", "unspecified")
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
class LedgerGap:
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

    @property
    def expected(self) -> float:
        return self.opening + self.produced + self.purchased - self.sold


def timeseries(store: Store, company: str, metric: str, status: str | None = None) -> list[Point]:
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


def ledger_gaps(
    store: Store, company: str | None = None, tolerance: float = 1.0
) -> list[LedgerGap]:
    """Consecutive holdings that the flows in between do not explain (beyond `tolerance` BTC
    or 0.5 % of holdings, whichever is larger)."""
    companies = (
        [company] if company else sorted({f.company for f in store.facts(type="btc_holdings")})
    )
    gaps = []
    for name in companies:
        gaps += _company_gaps(store, name, tolerance)
    return gaps


def _company_gaps(store: Store, company: str, tolerance: float) -> list[LedgerGap]:
    holdings = timeseries(store, company, "holdings")
    flows = {metric: _flows(store, company, metric) for metric in ("produced", "purchased", "sold")}
    gaps = []
    for before, after in pairwise(holdings):
        moved = {
            metric: [f for f in facts if before.period < (_end(f) or "") <= after.period]
            for metric, facts in flows.items()
        }
        totals = {
            metric: sum(float(f.value or 0) for f in facts) for metric, facts in moved.items()
        }
        expected = before.value + totals["produced"] + totals["purchased"] - totals["sold"]
        difference = after.value - expected
        if abs(difference) > max(tolerance, 0.005 * after.value):
            documents = {
                before.source,
                after.source,
                *(f.source for fs in moved.values() for f in fs),
            }
            gaps.append(
                LedgerGap(
                    company,
                    before.period,
                    after.period,
                    before.value,
                    after.value,
                    totals["produced"],
                    totals["purchased"],
                    totals["sold"],
                    round(difference, 8),
                    tuple(sorted(documents)),
                )
            )
    return gaps


def _flows(store: Store, company: str, metric: str) -> list[StoredFact]:
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
    year, number = quarter.split("-Q")
    first = (int(number) - 1) * 3 + 1
    return any(f"{year}-{m:02d}" in months for m in range(first, first + 3))


def _latest_per_key(facts: list[StoredFact], key: Callable[[StoredFact], str]) -> list[StoredFact]:
    chosen: dict[str, StoredFact] = {}
    for fact in facts:
        chosen[key(fact)] = fact
    return list(chosen.values())


def _period_of(fact: StoredFact) -> str | None:
    if fact.type in ("btc_holdings", "hashrate"):
        return fact.as_of or fact.fact_date
    return fact.period or fact.fact_date


def _end(fact: StoredFact) -> str | None:
    return period_end(fact.period) or fact.fact_date


def _rank(fact: StoredFact) -> int:
    status = fact.status or "unspecified"
    return _HASHRATE_PREFERENCE.index(status) if status in _HASHRATE_PREFERENCE else 99
