"""The output contract (`disclosure-facts/1`): what `extract()` returns (`Extraction`), its
dicts and flat records, JSON Schema validation, atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from parser.fact_types import fact_types, type_schema
from parser.records import RECORD_COLUMNS, fact_record, to_dataframe
from parser.types import CompanyRef, Document, Fact, Problem

SCHEMA_ID = "disclosure-facts/1"
# Every field of each fact type, in output order (rules/facts.yaml); a field the text does not
# give is null.
FIELDS: dict[str, tuple[str, ...]] = {name: t.field_names for name, t in fact_types().items()}
FACT_TYPES = tuple(FIELDS)
_FLAGS = {name: {f.name for f in t.fields if f.is_flag} for name, t in fact_types().items()}


@dataclass(frozen=True)
class Extraction:
    """What `extract()` returns for one document."""

    document: Document
    facts: tuple[Fact, ...]
    issuer: CompanyRef | None = None
    errors: tuple[Problem, ...] = field(default_factory=tuple)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        """The document and its facts in the `disclosure-facts/1` contract."""
        return extraction_to_dict(self, include_text=include_text)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per fact, every field a column (`parser.records.RECORD_COLUMNS`)."""
        return [fact_record(fact, self.document) for fact in self.facts]

    def to_dataframe(self) -> Any:
        """The records as a pandas DataFrame (needs the `pandas` extra)."""
        return to_dataframe(self.to_records()).reindex(columns=list(RECORD_COLUMNS))


def fact_to_dict(fact: Fact) -> dict[str, Any]:
    body: dict[str, Any] = {"type": fact.type, "company": company_to_dict(fact.company)}
    for name in FIELDS[fact.type]:
        body[name] = fact.fields.get(name)
    for flag in _FLAGS[fact.type]:
        body[flag] = bool(body[flag])
    body["evidence"] = [
        {"start": e.start, "end": e.end, "text": e.text, "page": e.page} for e in fact.evidence
    ]
    body["confidence"] = fact.confidence
    return body


def company_to_dict(ref: CompanyRef) -> dict[str, Any]:
    return {"name": ref.name, "canonical": ref.canonical, "ticker": ref.ticker}


def extraction_to_dict(extraction: Extraction, include_text: bool = False) -> dict[str, Any]:
    doc = extraction.document
    document: dict[str, Any] = {
        "id": doc.id or None,
        "source": doc.source,
        "media_type": doc.media_type or None,
        "title": doc.title,
        "published": doc.published,
        "issuer": (
            {"name": extraction.issuer.canonical, "ticker": extraction.issuer.ticker}
            if extraction.issuer
            else None
        ),
    }
    if include_text:
        document["text"] = doc.text
    return {
        "schema": SCHEMA_ID,
        "document": document,
        "facts": [fact_to_dict(f) for f in extraction.facts],
        "errors": [
            {"code": p.code, "stage": p.stage, "message": p.message} for p in extraction.errors
        ],
    }


@cache
def json_schema() -> dict[str, Any]:
    """The contract's JSON Schema: `schema.json`, each fact type's part derived from its
    declaration (the common properties of `$defs.fact` and the type's own fields)."""
    path = Path(__file__).parent / "schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    common = schema["$defs"]["fact"]["properties"]
    schema["properties"]["facts"]["items"]["oneOf"] = [
        type_schema(fact_type, common) for fact_type in fact_types().values()
    ]
    return schema


def validate(payload: dict[str, Any]) -> None:
    """Raise `jsonschema.ValidationError` when `payload` breaks the contract."""
    import jsonschema

    jsonschema.validate(payload, json_schema())


def dumps(payload: dict[str, Any], pretty: bool = False) -> str:
    if pretty:
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def write_atomic(path: Path, content: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    write_atomic_bytes(path, content.encode("utf-8"))


def write_atomic_bytes(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
