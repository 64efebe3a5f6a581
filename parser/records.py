"""One flat record per fact (every field a column), shared by `Extraction.to_records()`, the
CSV outputs and the store's `records()`; their pandas DataFrame; and `StoredFact`, a fact as
the store keeps it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from parser.fact_types import columns
from parser.types import Document, Fact

# Where a fact came from, every field of every fact type (rules/facts.yaml), then its
# confidence and evidence; a field a type lacks is None.
FIELD_COLUMNS = tuple(f.name for f in columns())
_FLAGS = tuple(f.name for f in columns() if f.is_flag)
RECORD_COLUMNS = (
    "document_id", "source", "published", "type", "company", "company_name", "ticker",
    *FIELD_COLUMNS,
    "confidence", "evidence_start", "evidence_end", "evidence_page", "evidence_text",
)  # fmt: skip


def record(
    document_id: str,
    source: str,
    published: str | None,
    type: str,
    company: tuple[str, str, str | None],
    fields: Mapping[str, Any],
    confidence: float,
    evidence: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """The flat record of one fact; several evidence spans join their text with " … "."""
    spans = list(evidence)
    first = spans[0] if spans else {}
    row: dict[str, Any] = {
        "document_id": document_id or None, "source": source, "published": published,
        "type": type, "company": company[0], "company_name": company[1], "ticker": company[2],
    }  # fmt: skip
    for name in FIELD_COLUMNS:
        row[name] = fields.get(name)
    for flag in _FLAGS:
        row[flag] = None if row[flag] is None else bool(row[flag])
    row["confidence"] = confidence
    row["evidence_start"] = first.get("start")
    row["evidence_end"] = first.get("end")
    row["evidence_page"] = first.get("page")
    row["evidence_text"] = " … ".join(str(span["text"]) for span in spans)
    return row


def fact_record(fact: Fact, document: Document) -> dict[str, Any]:
    ref = fact.company
    spans = [
        {"start": e.start, "end": e.end, "text": e.text, "page": e.page} for e in fact.evidence
    ]
    return record(
        document.id, document.source, document.published, fact.type,
        (ref.canonical, ref.name, ref.ticker), fact.fields, fact.confidence, spans,
    )  # fmt: skip


@dataclass(frozen=True)
class StoredFact:
    """A fact as the store keeps it, with the document it came from."""

    id: int
    type: str
    company: str
    company_name: str
    ticker: str | None
    fields: dict[str, Any]  # every field column (`FIELD_COLUMNS`), None where the type has none
    confidence: float
    fact_date: str | None
    evidence: list[dict[str, Any]]
    document: str
    source: str
    published: str | None

    def __getattr__(self, name: str) -> Any:
        """A field by name: `fact.value`, `fact.period`, `fact.person`."""
        fields = self.__dict__.get("fields", {})
        if name in fields:
            return fields[name]
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def to_dict(self) -> dict[str, Any]:
        """Flat: where it came from, every field column, confidence, date and evidence."""
        head = {"id": self.id, "type": self.type, "company": self.company,
                "company_name": self.company_name, "ticker": self.ticker}  # fmt: skip
        tail = {"confidence": self.confidence, "fact_date": self.fact_date,
                "evidence": self.evidence, "document": self.document, "source": self.source,
                "published": self.published}  # fmt: skip
        return {**head, **self.fields, **tail}

    def to_record(self) -> dict[str, Any]:
        """The flat record `Extraction.to_records()` gives for the same fact."""
        return record(
            self.document, self.source, self.published, self.type,
            (self.company, self.company_name, self.ticker), self.fields, self.confidence,
            self.evidence,
        )  # fmt: skip


class FactSource(Protocol):
    """What the time series, the ledger check and the period tables read: the store's current
    facts, filtered (`parser.store.Store` is one)."""

    def facts(
        self,
        company: str | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[StoredFact]: ...


def to_dataframe(records: list[dict[str, Any]]) -> Any:
    """A pandas DataFrame of `records`; pandas is the optional `pandas` extra."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            "to_dataframe() needs pandas: pip install 'disclosure-parser[pandas]'"
        ) from exc
    return pandas.DataFrame.from_records(records)
