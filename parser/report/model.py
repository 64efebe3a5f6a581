"""What goes on each report page, computed from the store (no HTML here)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from parser.compare import PeriodTable, period_table
from parser.fact_types import fact_types
from parser.history import LedgerPeriod, ledger_check
from parser.normalize import clean_amount, period_end
from parser.records import StoredFact
from parser.report.charts import ChartPoint, Series
from parser.store import Store

TYPE_LABELS = {name: fact_type.label for name, fact_type in fact_types().items()}


@dataclass(frozen=True)
class FactView:
    index: int
    type: str
    company: str
    value: str
    detail: str
    approximate: bool
    confidence: float
    pages: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Segment:
    text: str
    facts: tuple[int, ...]  # indexes of the facts whose evidence covers this piece of text


@dataclass(frozen=True)
class DocumentPage:
    sha: str
    title: str
    source: str
    published: str | None
    original: str | None
    facts: tuple[FactView, ...]
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Figure:
    """A figure shown in an index cell: text, the number to sort by, and its date."""

    text: str
    sort: float | None = None
    day: str | None = None


@dataclass(frozen=True)
class CompanyRow:
    company: str
    slug: str
    kind: str  # "miner" or "treasury"
    holdings: Figure
    hashrate: Figure
    produced: Figure
    sold: Figure
    latest_date: str
    latest_document: str | None
    latest_title: str
    ledger: str
    stale: bool  # its latest figure is older than STALE_DAYS before the newest in the store


@dataclass(frozen=True)
class TableRow:
    when: str
    series: str
    value: str
    href: str
    original: str | None


@dataclass
class Chart:
    title: str
    unit: str
    series: list[Series]
    rows: list[TableRow] = field(default_factory=list)


@dataclass
class CompanyPage:
    company: str
    slug: str
    charts: list[Chart] = field(default_factory=list)
    ledger: list[LedgerPeriod] = field(default_factory=list)
    set_aside: list[StoredFact] = field(default_factory=list)
    people: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    @property
    def gaps(self) -> list[LedgerPeriod]:
        return [p for p in self.ledger if p.status == "disagrees"]


@dataclass
class Coverage:
    metric: str
    months: tuple[str, ...]
    rows: list[tuple[str, str, dict[str, bool]]]  # (company, slug, month -> disclosed), in span


STALE_DAYS = 62


def original_url(source: str) -> str | None:
    return source if source.startswith(("http://", "https://")) else None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "company"


def document_href(sha: str) -> str:
    return f"documents/{sha[:16]}.html"


def fact_value(fact: StoredFact) -> str:
    if fact.person:
        return f"{fact.person} — {fact.title}"
    if fact.value is None:
        return f"${fact.proceeds_usd:,.0f} proceeds" if fact.proceeds_usd else "—"
    return f"{'~' if fact.approximate else ''}{fact.value:,} {fact.unit or ''}".strip()


def fact_detail(fact: StoredFact) -> str:
    pairs = (
        ("status", fact.status), ("period", fact.period), ("as of", fact.as_of),
        ("proceeds", _usd(fact.proceeds_usd)), ("cost", _usd(fact.cost_usd)),
        ("avg price", _usd(fact.average_price_usd)), ("effective", fact.effective),
    )  # fmt: skip
    return ", ".join(f"{name} {value}" for name, value in pairs if value)


def _usd(value: float | None) -> str | None:
    return f"${value:,.0f}" if value else None


def document_pages(store: Store) -> list[DocumentPage]:
    by_document: dict[str, list[StoredFact]] = defaultdict(list)
    for fact in store.facts():
        by_document[fact.document].append(fact)
    pages = []
    for sha in store.document_ids():
        document = store.document(sha)  # the text the evidence offsets index
        source = document.source
        facts = tuple(_fact_view(i, f) for i, f in enumerate(by_document.get(sha, [])))
        pages.append(
            DocumentPage(
                sha=sha,
                title=document.title or source.rsplit("/", 1)[-1],
                source=source,
                published=document.published,
                original=original_url(source),
                facts=facts,
                segments=tuple(segments(document.text, facts)),
            )
        )
    return pages


def _fact_view(index: int, fact: StoredFact) -> FactView:
    spans = tuple((int(e["start"]), int(e["end"])) for e in fact.evidence)
    pages = tuple(sorted({int(e["page"]) for e in fact.evidence if e.get("page")}))
    return FactView(
        index, fact.type, fact.company, fact_value(fact), fact_detail(fact),
        bool(fact.approximate), fact.confidence, pages, spans,
    )  # fmt: skip


def segments(text: str, facts: tuple[FactView, ...]) -> list[Segment]:
    """Cut the text at every evidence boundary; each piece knows which facts cover it."""
    cuts = {0, len(text)}
    for fact in facts:
        for start, end in fact.spans:
            cuts.update((max(0, start), min(len(text), end)))
    ordered = sorted(cuts)
    pieces = []
    for start, end in pairwise(ordered):
        covering = tuple(f.index for f in facts if any(s <= start and end <= e for s, e in f.spans))
        pieces.append(Segment(text[start:end], covering))
    return pieces


def company_rows(store: Store) -> tuple[list[CompanyRow], list[CompanyPage]]:
    facts = store.facts()
    check = ledger_check(store)
    by_company: dict[str, list[StoredFact]] = defaultdict(list)
    for fact in facts:
        by_company[fact.company].append(fact)
    newest = max((_figure_day(f) for f in facts if f.value is not None), default="")
    titles = {sha: title for sha, title in store.db.execute("SELECT sha256, title FROM documents")}
    rows, pages = [], []
    for company, own in sorted(by_company.items()):
        ledger = [p for p in check.periods if p.company == company]
        rows.append(_row(company, own, ledger, newest, titles))
        page = _company_page(store, company, own, ledger)
        page.set_aside = [f for f in check.set_aside if f.company == company]
        pages.append(page)
    return rows, pages


def _figure_day(fact: StoredFact) -> str:
    return fact.as_of or period_end(fact.period) or fact.fact_date or ""


def _latest(
    facts: list[StoredFact], *types: str, status: tuple[str, ...] = ()
) -> StoredFact | None:
    chosen = [
        f
        for f in facts
        if f.type in types and (not status or f.status in status) and f.value is not None
    ]
    return max(chosen, key=lambda f: (_figure_day(f), f.published or "", f.id), default=None)


def _figure(fact: StoredFact | None, when: str | None) -> Figure:
    if fact is None:
        return Figure("—")
    suffix = f" ({when})" if when else ""
    return Figure(f"{fact_value(fact)}{suffix}", float(fact.value or 0), _figure_day(fact))


def _row(
    company: str,
    facts: list[StoredFact],
    ledger: list[LedgerPeriod],
    newest: str,
    titles: dict[str, str],
) -> CompanyRow:
    holdings = _latest(facts, "btc_holdings")
    hashrate = _latest(
        facts, "hashrate",
        status=("operational", "installed", "energized", "average", "unspecified"),
    )  # fmt: skip
    produced = _latest(facts, "btc_produced")
    sold = _latest(facts, "btc_sold")
    latest = max(facts, key=lambda f: (f.published or f.fact_date or "", f.id))
    days = [_figure_day(f) for f in (holdings, hashrate, produced) if f is not None]
    disagree = sum(p.status == "disagrees" for p in ledger)
    gaps = sum(p.status == "gap" for p in ledger)
    ledger_text = (
        "—" if not ledger
        else f"{disagree} disagreeing period(s)" if disagree
        else "✔" + (f" ({gaps} unchecked)" if gaps else "")
    )  # fmt: skip
    return CompanyRow(
        company=company,
        slug=slug(company),
        kind="miner" if any(f.type in ("btc_produced", "hashrate") for f in facts) else "treasury",
        holdings=_figure(holdings, holdings.fact_date if holdings else None),
        hashrate=_figure(hashrate, hashrate.status if hashrate else None),
        produced=_figure(produced, (produced.period or produced.fact_date) if produced else None),
        sold=_figure(sold, (sold.period or sold.fact_date) if sold else None),
        latest_date=latest.published or latest.fact_date or "",
        latest_document=document_href(latest.document),
        latest_title=titles.get(latest.document) or latest.source.rsplit("/", 1)[-1],
        ledger=ledger_text,
        stale=bool(days) and _days_between(max(days), newest) > STALE_DAYS,
    )


def _days_between(first: str, last: str) -> int:
    try:
        return (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days
    except ValueError:
        return 0


def _company_page(
    store: Store, company: str, facts: list[StoredFact], ledger: list[LedgerPeriod]
) -> CompanyPage:
    page = CompanyPage(company, slug(company), ledger=ledger)
    holdings = [f for f in facts if f.type == "btc_holdings"]
    flows = [
        (name, [f for f in facts if f.type == kind and f.period and len(f.period) == 7])
        for name, kind in (("produced", "btc_produced"), ("sold", "btc_sold"))
    ]
    purchases = [f for f in facts if f.type == "btc_purchased"]
    statuses = sorted({f.status or "unspecified" for f in facts if f.type == "hashrate"})
    hashrate = [
        (
            status,
            [f for f in facts if f.type == "hashrate" and (f.status or "unspecified") == status],
        )
        for status in statuses
    ]
    candidates = [
        Chart(f"{company}: bitcoin held", "BTC", [_series("holdings", holdings)]),
        Chart(f"{company}: bitcoin produced and sold per month", "BTC",
              [_series(name, own) for name, own in flows]),
        Chart(f"{company}: bitcoin purchased", "BTC", [_series("purchased", purchases)]),
        Chart(f"{company}: hashrate by status (targets dashed)", "EH/s",
              [_series(s, own, dashed=s == "target") for s, own in hashrate]),
    ]  # fmt: skip
    for chart in candidates:
        chart.series = [one for one in chart.series if one.points]
        if chart.series:
            chart.rows = _table_rows(chart.series, facts)
            page.charts.append(chart)
    page.people = sorted(
        (f.effective or f.fact_date or "", TYPE_LABELS[f.type], f.person or "", f.title or "",
         document_href(f.document))
        for f in facts
        if f.person
    )  # fmt: skip
    return page


def _table_rows(series: list[Series], facts: list[StoredFact]) -> list[TableRow]:
    by_href = {("../" + document_href(f.document)): f.source for f in facts}
    rows = [
        TableRow(p.label or p.day, one.name, tick_value(p.value), p.href or "",
                 original_url(by_href.get(p.href or "", "")))
        for one in series
        for p in one.points
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r.when, r.series))


def tick_value(value: float) -> str:
    return f"{clean_amount(value):,}"


def _series(name: str, facts: list[StoredFact], dashed: bool = False) -> Series:
    points = [
        ChartPoint(_point_day(f), float(f.value), "../" + document_href(f.document),
                   _when(f))
        for f in facts
        if f.value is not None and _point_day(f)
    ]  # fmt: skip
    return Series(name, points, dashed)


def _point_day(fact: StoredFact) -> str:
    """Flows sit at the end of their month, stocks at their date."""
    if fact.period and len(fact.period) == 7:
        return period_end(fact.period) or ""
    return fact.as_of or fact.fact_date or ""


def _when(fact: StoredFact) -> str:
    return fact.period if fact.period and len(fact.period) == 7 else (
        fact.as_of or fact.fact_date or ""
    )  # fmt: skip


def comparison(store: Store) -> tuple[list[Chart], PeriodTable]:
    """Monthly production and hashrate of every company on one chart each, and the
    company × month production table."""
    table = period_table(store, "produced")
    produced = [
        Series(company, [ChartPoint(period_end(p) or p, c.value, None, p) for p, c in sorted(cells.items())])
        for company, cells in table.rows
    ]  # fmt: skip
    rate = period_table(store, "hashrate")
    hashrate = [
        Series(company, [ChartPoint(period_end(p) or p, c.value, None, p) for p, c in sorted(cells.items())])
        for company, cells in rate.rows
    ]  # fmt: skip
    for series, source in ((produced, table), (hashrate, rate)):
        for one, (_, cells) in zip(series, source.rows, strict=True):
            one.points = [
                ChartPoint(p.day, p.value, _document_link(store, cells[p.label or ""].sources),
                           p.label)
                for p in one.points
            ]  # fmt: skip
    charts = [
        Chart("Bitcoin produced per month, every company", "BTC", produced),
        Chart("Hashrate per month (preferred status), every company", "EH/s", hashrate),
    ]
    return [c for c in charts if c.series], table


def _document_link(store: Store, sources: tuple[str, ...]) -> str | None:
    if not sources:
        return None
    row = store.db.execute(
        "SELECT sha256 FROM documents WHERE source = ? AND superseded_by IS NULL", (sources[-1],)
    ).fetchone()
    return document_href(row[0]) if row else None


def coverage(store: Store) -> list[Coverage]:
    """For production and holdings: which months each company disclosed between its first
    and last disclosed month, and which it left out."""
    views = []
    for metric in ("produced", "holdings"):
        table = period_table(store, metric)
        rows = []
        for company, cells in table.rows:
            first, last = min(cells), max(cells)
            span = [m for m in table.periods if first <= m <= last]
            rows.append((company, slug(company), {m: m in cells for m in span}))
        views.append(Coverage(metric, table.periods, rows))
    return views
