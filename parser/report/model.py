"""What goes on each report page, computed from the store (no HTML here)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from parser.history import LedgerGap, ledger_gaps
from parser.load import load_bytes
from parser.report.charts import ChartPoint, Series
from parser.store import Store, StoredFact

TYPE_LABELS = {
    "btc_produced": "produced",
    "btc_sold": "sold",
    "btc_purchased": "purchased",
    "btc_holdings": "holdings",
    "hashrate": "hashrate",
    "executive_appointment": "appointment",
    "executive_departure": "departure",
}


@dataclass(frozen=True)
class FactView:
    index: int
    type: str
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
    facts: tuple[FactView, ...]
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class CompanyRow:
    company: str
    slug: str
    holdings: str
    hashrate: str
    produced: str
    sold: str
    latest_date: str
    latest_document: str | None
    latest_title: str
    ledger: str


@dataclass
class CompanyPage:
    company: str
    slug: str
    holdings: list[Series] = field(default_factory=list)
    flows: list[Series] = field(default_factory=list)
    hashrate: list[Series] = field(default_factory=list)
    gaps: list[LedgerGap] = field(default_factory=list)
    people: list[tuple[str, str, str, str, str]] = field(default_factory=list)


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
        raw, source = store.raw(sha)
        document = load_bytes(raw, source)
        facts = tuple(_fact_view(i, f) for i, f in enumerate(by_document.get(sha, [])))
        pages.append(
            DocumentPage(
                sha=sha,
                title=document.title or source.rsplit("/", 1)[-1],
                source=source,
                published=document.published,
                facts=facts,
                segments=tuple(segments(document.text, facts)),
            )
        )
    return pages


def _fact_view(index: int, fact: StoredFact) -> FactView:
    spans = tuple((int(e["start"]), int(e["end"])) for e in fact.evidence)
    pages = tuple(sorted({int(e["page"]) for e in fact.evidence if e.get("page")}))
    return FactView(
        index, fact.type, fact_value(fact), fact_detail(fact), bool(fact.approximate),
        fact.confidence, pages, spans,
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
    gaps = ledger_gaps(store)
    by_company: dict[str, list[StoredFact]] = defaultdict(list)
    for fact in facts:
        by_company[fact.company].append(fact)
    rows, pages = [], []
    for company, own in sorted(by_company.items()):
        rows.append(_row(company, own, [g for g in gaps if g.company == company]))
        pages.append(_company_page(company, own, [g for g in gaps if g.company == company]))
    return rows, pages


def _latest(
    facts: list[StoredFact], *types: str, status: tuple[str, ...] = ()
) -> StoredFact | None:
    chosen = [
        f
        for f in facts
        if f.type in types and (not status or f.status in status) and f.value is not None
    ]
    return chosen[-1] if chosen else None


def _row(company: str, facts: list[StoredFact], gaps: list[LedgerGap]) -> CompanyRow:
    holdings = _latest(facts, "btc_holdings")
    hashrate = _latest(
        facts,
        "hashrate",
        status=("operational", "installed", "energized", "average", "unspecified"),
    )
    produced = _latest(facts, "btc_produced")
    sold = _latest(facts, "btc_sold")
    newest = max(facts, key=lambda f: (f.published or f.fact_date or "", f.id))
    return CompanyRow(
        company=company,
        slug=slug(company),
        holdings=f"{fact_value(holdings)} ({holdings.fact_date})" if holdings else "—",
        hashrate=f"{fact_value(hashrate)} {hashrate.status}" if hashrate else "—",
        produced=f"{fact_value(produced)} ({produced.period or produced.fact_date})"
        if produced
        else "—",
        sold=f"{fact_value(sold)} ({sold.period or sold.fact_date})" if sold else "—",
        latest_date=newest.published or newest.fact_date or "",
        latest_document=document_href(newest.document),
        latest_title=newest.source.rsplit("/", 1)[-1],
        ledger="✔" if not gaps else f"{len(gaps)} disagreeing period(s)",
    )


def _company_page(company: str, facts: list[StoredFact], gaps: list[LedgerGap]) -> CompanyPage:
    page = CompanyPage(company, slug(company), gaps=gaps)
    page.holdings = [_series("holdings", [f for f in facts if f.type == "btc_holdings"])]
    page.flows = [
        _series(name, [f for f in facts if f.type == kind and f.period])
        for name, kind in (
            ("produced", "btc_produced"),
            ("sold", "btc_sold"),
            ("purchased", "btc_purchased"),
        )
    ]
    statuses = sorted({f.status or "unspecified" for f in facts if f.type == "hashrate"})
    page.hashrate = [
        _series(
            status,
            [f for f in facts if f.type == "hashrate" and (f.status or "unspecified") == status],
            dashed=status == "target",
        )
        for status in statuses
    ]
    page.people = [
        (
            f.effective or f.fact_date or "",
            TYPE_LABELS[f.type],
            f.person or "",
            f.title or "",
            document_href(f.document),
        )
        for f in facts
        if f.person
    ]
    page.people.sort()
    return page


def _series(name: str, facts: list[StoredFact], dashed: bool = False) -> Series:
    points = [
        ChartPoint(f.fact_date or "", float(f.value), "../" + document_href(f.document), name)
        for f in facts
        if f.value is not None and f.fact_date
    ]
    return Series(name, points, dashed)
