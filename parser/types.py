"""Typed records passed between the pipeline stages. No logic lives here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Caps on one document (`[limits]` in the sources file); a document past one fails with
    `load.too_large` naming it."""

    text_chars: int = 30_000_000  # characters of loaded text
    pdf_pages: int = 2_000
    page_area: float = 10_000_000.0  # square points of one PDF page (Letter 484,704; A0 8.0M)


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class PageSpan:
    """A run of `Document.text` that came from one PDF page (1-based)."""

    start: int
    end: int
    page: int


@dataclass(frozen=True)
class Document:
    """A loaded document: one clean text that every evidence offset indexes into."""

    id: str
    source: str
    media_type: str
    text: str
    title: str | None = None
    published: str | None = None
    pages: tuple[PageSpan, ...] = ()
    issuer: str | None = None  # the registrant a filing names itself (8-K / 6-K cover page)

    def page_at(self, offset: int) -> int | None:
        """The PDF page holding character `offset`, or None for paginated-less formats."""
        for span in self.pages:
            if span.start <= offset < span.end:
                return span.page
        return self.pages[-1].page if self.pages and offset >= self.pages[-1].end else None


@dataclass(frozen=True)
class Company:
    """A company as the registry knows it."""

    canonical: str
    ticker: str | None = None
    cik: str | None = None
    aliases: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()  # aliases that are also ordinary words


@dataclass(frozen=True)
class CompanyRef:
    """A company as one document names it, resolved against the registry when possible."""

    name: str
    canonical: str
    ticker: str | None


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str
    page: int | None = None


# Fact.fields key, never output: the period of the table column a holdings or hashrate figure
# stands in. It dates the figure in the store (its `fact_date`) when the text gives no `as_of`.
COLUMN_PERIOD = "column_period"


@dataclass(frozen=True)
class Fact:
    """One extracted fact. `fields` holds the type-specific fields of the output contract."""

    type: str
    company: CompanyRef
    fields: dict[str, Any]
    evidence: tuple[Evidence, ...]
    confidence: float = 0.8


@dataclass(frozen=True)
class Problem:
    """A per-document failure: a stable dotted code, the stage, and a readable message."""

    code: str
    stage: str
    message: str


@dataclass(frozen=True)
class Rejection:
    """A figure the extractors read and dropped: its text, a dotted reason code
    ("hashrate.increment") and its document offset."""

    figure: str
    reason: str
    start: int
