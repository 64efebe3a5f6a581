"""The embedded SQLite store: what was fetched (for conditional GETs and incremental runs) and
which documents were already emitted (by content hash, whatever route they came by)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parser.errors import ParserError
from parser.fact_types import Field, columns, fact_types
from parser.normalize import clean_amount, period_end
from parser.output import FIELDS, Extraction
from parser.records import StoredFact
from parser.types import COLUMN_PERIOD, CompanyRef, Document, Evidence, Fact, PageSpan, Problem

if TYPE_CHECKING:
    from parser.compare import PeriodTable
    from parser.fetch import Fetched
    from parser.history import LedgerCheck, LedgerGap, Point
    from parser.output import Extraction

# Numbered migrations; a database records how many it has applied in `user_version`.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE fetches (
        url TEXT PRIMARY KEY,
        final_url TEXT,
        status INTEGER NOT NULL,
        etag TEXT,
        last_modified TEXT,
        sha256 TEXT,
        fetched_at TEXT NOT NULL
    );
    CREATE TABLE documents (
        sha256 TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        company TEXT,
        ticker TEXT,
        form TEXT,
        filing_date TEXT,
        accession TEXT,
        media_type TEXT,
        path TEXT,
        first_seen TEXT NOT NULL
    );
    CREATE INDEX documents_accession ON documents(accession);
    """,
    """
    CREATE TABLE sources (
        url TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        company TEXT,
        first_seen TEXT NOT NULL
    );
    ALTER TABLE documents ADD COLUMN raw BLOB;
    ALTER TABLE documents ADD COLUMN title TEXT;
    ALTER TABLE documents ADD COLUMN published TEXT;
    ALTER TABLE documents ADD COLUMN superseded_by TEXT REFERENCES documents(sha256);
    CREATE INDEX documents_source ON documents(source);
    CREATE TABLE extractions (
        id INTEGER PRIMARY KEY,
        document TEXT NOT NULL REFERENCES documents(sha256),
        rules_version TEXT NOT NULL,
        extracted_at TEXT NOT NULL,
        current INTEGER NOT NULL DEFAULT 1,
        errors TEXT
    );
    CREATE UNIQUE INDEX extractions_one_current ON extractions(document) WHERE current = 1;
    CREATE TABLE facts (
        id INTEGER PRIMARY KEY,
        extraction INTEGER NOT NULL REFERENCES extractions(id),
        document TEXT NOT NULL REFERENCES documents(sha256),
        type TEXT NOT NULL,
        company TEXT NOT NULL,
        company_name TEXT NOT NULL,
        ticker TEXT,
        value REAL,
        unit TEXT,
        person TEXT,
        title TEXT,
        status TEXT,
        period TEXT,
        as_of TEXT,
        proceeds_usd REAL,
        cost_usd REAL,
        average_price_usd REAL,
        approximate INTEGER,
        effective TEXT,
        replaces TEXT,
        interim INTEGER,
        confidence REAL NOT NULL,
        fact_date TEXT,
        evidence TEXT NOT NULL
    );
    CREATE INDEX facts_company_type ON facts(company, type, fact_date);
    CREATE INDEX facts_type_date ON facts(type, fact_date);
    CREATE INDEX facts_extraction ON facts(extraction);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # Views for Datasette and plain SQL: the current facts with their document and evidence
    # text, and one figure per company, metric and month (the latest document wins).
    """
    CREATE VIEW current_facts AS
    SELECT f.id, f.type, f.company, f.company_name, f.ticker, f.value, f.unit, f.period,
           f.as_of, f.status, f.proceeds_usd, f.cost_usd, f.average_price_usd, f.approximate,
           f.person, f.title, f.effective, f.replaces, f.interim, f.confidence, f.fact_date,
           json_extract(f.evidence, '$[0].text') AS evidence_text,
           d.source, d.title AS document_title, d.published, f.document
    FROM facts f
    JOIN extractions e ON e.id = f.extraction AND e.current = 1
    JOIN documents d ON d.sha256 = f.document AND d.superseded_by IS NULL;
    CREATE VIEW monthly AS
    SELECT company, metric, month, value, approximate, status, source FROM (
        SELECT c.company,
               replace(c.type, 'btc_', '') AS metric,
               CASE WHEN c.type IN ('btc_holdings', 'hashrate')
                    THEN substr(coalesce(c.as_of, c.fact_date), 1, 7)
                    ELSE c.period END AS month,
               c.value, c.approximate, c.status, c.source,
               row_number() OVER (
                   PARTITION BY c.company, c.type,
                       CASE WHEN c.type IN ('btc_holdings', 'hashrate')
                            THEN substr(coalesce(c.as_of, c.fact_date), 1, 7)
                            ELSE c.period END
                   ORDER BY coalesce(c.as_of, c.fact_date) DESC, c.published DESC, c.id DESC
               ) AS rank
        FROM current_facts c
        WHERE c.type IN ('btc_produced', 'btc_sold', 'btc_holdings', 'hashrate')
          AND c.value IS NOT NULL AND coalesce(c.status, '') != 'target'
    )
    WHERE rank = 1 AND month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'
    ORDER BY company, metric, month;
    """,
    # The text evidence offsets index (and its PDF page map), as the loader made it when the
    # document was last extracted; the issuer and the errors (code, stage, message) of each
    # extraction, for the export in the output contract.
    """
    ALTER TABLE documents ADD COLUMN text TEXT;
    ALTER TABLE documents ADD COLUMN pages TEXT;
    ALTER TABLE extractions ADD COLUMN issuer TEXT;
    ALTER TABLE extractions ADD COLUMN problems TEXT;
    """,
)

# Datasette's metadata.json, written next to the store (`datasette DB -m metadata.json`).
DATASETTE_METADATA: dict[str, Any] = {
    "title": "disclosure-parser: bitcoin miner and treasury-company disclosures",
    "description": "Facts extracted from press releases, letters and SEC exhibits; each fact "
    "keeps the text it came from.",
    "databases": {
        "disclosures": {
            "tables": {
                "current_facts": {
                    "description": "Current facts of current documents, with the evidence text "
                    "and the document they came from.",
                    "facet": ["type", "company"],
                },
                "monthly": {
                    "description": "One figure per company, metric (produced, sold, holdings, "
                    "hashrate) and month; the latest document wins.",
                    "facet": ["metric", "company"],
                },
                "documents": {"hidden": False, "description": "Stored documents (raw bytes)."},
                "fetches": {"hidden": True},
                "meta": {"hidden": True},
            }
        }
    },
}


class StoreError(ParserError):
    code = "store.invalid"
    stage = "store"


class Store:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a usable SQLite database ({exc})") from exc

    def write_datasette_metadata(self) -> Path:
        """`metadata.json` next to the store, naming the database after the store's file."""
        metadata = json.loads(json.dumps(DATASETTE_METADATA))
        metadata["databases"] = {self.path.stem: metadata["databases"]["disclosures"]}
        path = self.path.with_name("metadata.json")
        from parser.output import write_atomic

        write_atomic(path, json.dumps(metadata, indent=2) + "\n")
        return path

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        (version,) = self.db.execute("PRAGMA user_version").fetchone()
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self.db.executescript(f"BEGIN; {script} PRAGMA user_version = {number}; COMMIT;")
        self._follow_declarations()

    def _follow_declarations(self) -> None:
        """The facts table and the views follow the declared fact types: a new field gets its
        column, and the views are made again when what they would select changed."""
        known = {row[1] for row in self.db.execute("PRAGMA table_info(facts)")}
        added = [f for f in _FIELDS if f.name not in known]
        views = _views()
        stored = dict(self.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
        if not added and all(stored.get(name) == sql for name, sql in views.items()):
            return
        script = "".join(f"ALTER TABLE facts ADD COLUMN {f.name} {f.column};" for f in added)
        script += "".join(f"DROP VIEW IF EXISTS {name};" for name in reversed(views))
        script += "".join(f"{sql};" for sql in views.values())
        self.db.executescript(f"BEGIN IMMEDIATE; {script} COMMIT;")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        """(etag, last_modified, sha256) of the last successful fetch of `url`."""
        row = self.db.execute(
            "SELECT etag, last_modified, sha256 FROM fetches WHERE url = ? AND status = 200",
            (url,),
        ).fetchone()
        return (row[0], row[1], row[2]) if row else (None, None, None)

    def fetched(self, url: str) -> bool:
        return self.validators(url)[2] is not None

    def record_fetch(
        self,
        url: str,
        final_url: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        sha256: str | None,
    ) -> None:
        if status == 304:
            self.db.execute("UPDATE fetches SET fetched_at = ? WHERE url = ?", (_now(), url))
            return
        self.db.execute(
            "INSERT INTO fetches (url, final_url, status, etag, last_modified, sha256, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET final_url = excluded."
            "final_url, status = excluded.status, etag = excluded.etag, last_modified = excluded."
            "last_modified, sha256 = excluded.sha256, fetched_at = excluded.fetched_at",
            (url, final_url, status, etag, last_modified, sha256, _now()),
        )

    def has_document(self, sha256: str) -> bool:
        row = self.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None

    def add_document(self, sha256: str, source: str, **meta: str | None) -> bool:
        """Record a new document; False when this content was already recorded."""
        columns = ("company", "ticker", "form", "filing_date", "accession", "media_type", "path")
        values = [meta.get(column) for column in columns]
        cursor = self.db.execute(
            f"INSERT OR IGNORE INTO documents (sha256, source, {', '.join(columns)}, first_seen)"
            f" VALUES (?, ?, {', '.join('?' for _ in columns)}, ?)",
            (sha256, source, *values, _now()),
        )
        return cursor.rowcount == 1

    def remember(self, fetched: Fetched, path: Path | None) -> None:
        """Keep a fetched document's raw bytes and where it came from (`FetchState`); it is
        loaded when it is extracted."""
        document = Document(fetched.sha256, fetched.url, fetched.media_type, "")
        self.save_document(
            document, fetched.raw, company=fetched.company, ticker=fetched.ticker,
            form=fetched.form, filing_date=fetched.filing_date, accession=fetched.accession,
            path=str(path) if path else None,
        )  # fmt: skip

    # --- documents and their extractions ---

    def save_document(self, document: Document, raw: bytes, **meta: str | None) -> None:
        """Keep a document (raw bytes included). A new version of a source supersedes the
        older one, whose facts stop being current."""
        self.add_document(document.id, document.source, media_type=document.media_type, **meta)
        self.db.execute("UPDATE documents SET raw = ? WHERE sha256 = ?", (raw, document.id))
        if document.text:
            self._save_loaded(document)
        self.db.execute(
            "UPDATE documents SET superseded_by = ? WHERE source = ? AND sha256 != ?"
            " AND superseded_by IS NULL",
            (document.id, document.source, document.id),
        )

    def pending_ids(self, rules_version: str) -> list[str]:
        """Stored documents with no current extraction yet (new, or left by a killed run), and
        those whose extraction failed under other rules (a fix may have come with them)."""
        rows = self.db.execute(
            "SELECT sha256 FROM documents d WHERE raw IS NOT NULL AND superseded_by IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM extractions e WHERE e.document = d.sha256"
            " AND e.current = 1 AND (e.errors IS NULL OR e.rules_version = ?))"
            " ORDER BY first_seen, sha256",
            (rules_version,),
        )
        return [row[0] for row in rows]

    def current_rules_version(self, sha256: str) -> str | None:
        row = self.db.execute(
            "SELECT rules_version FROM extractions WHERE document = ? AND current = 1", (sha256,)
        ).fetchone()
        return row[0] if row else None

    def raw(self, sha256: str) -> tuple[bytes, str]:
        row = self.db.execute(
            "SELECT raw, source FROM documents WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None or row[0] is None:
            raise StoreError(f"{self.path}: no stored bytes for document {sha256[:12]}")
        return bytes(row[0]), str(row[1])

    def document_ids(self, since: str | None = None) -> list[str]:
        """Stored, not superseded documents (first seen on or after `since`)."""
        rows = self.db.execute(
            "SELECT sha256 FROM documents WHERE raw IS NOT NULL AND superseded_by IS NULL"
            " AND first_seen >= ? ORDER BY first_seen, sha256",
            (since or "",),
        )
        return [row[0] for row in rows]

    def _save_loaded(self, document: Document) -> None:
        """What the loader made of the document: its text (which evidence offsets index), page
        map, media type, title and date."""
        pages = json.dumps([[p.start, p.end, p.page] for p in document.pages])
        self.db.execute(
            "UPDATE documents SET text = ?, pages = ?, media_type = ?, title = ?, published = ?"
            " WHERE sha256 = ?",
            (document.text, pages, document.media_type, document.title, document.published,
             document.id),
        )  # fmt: skip

    def document(self, sha256: str) -> Document:
        """A stored document with its text as it was last extracted from (empty when it could
        not be loaded)."""
        row = self.db.execute(
            "SELECT source, media_type, text, title, published, pages FROM documents"
            " WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no document {sha256[:12]}")
        source, media_type, text, title, published, pages = row
        spans = tuple(PageSpan(*span) for span in json.loads(pages or "[]"))
        return Document(sha256, source, media_type or "", text or "", title, published, spans)

    def save_extraction(self, extraction: Extraction, rules_version: str) -> int:
        """Replace the document's current extraction and its facts (and, when it was read,
        the document's text as loaded for it); returns the fact count."""
        sha = extraction.document.id
        self.db.execute("UPDATE extractions SET current = 0 WHERE document = ?", (sha,))
        if not extraction.errors:
            self._save_loaded(extraction.document)
        errors = json.dumps([p.message for p in extraction.errors]) if extraction.errors else None
        problems = [
            {"code": p.code, "stage": p.stage, "message": p.message} for p in extraction.errors
        ]
        issuer = extraction.issuer
        cursor = self.db.execute(
            "INSERT INTO extractions (document, rules_version, extracted_at, errors, issuer,"
            " problems) VALUES (?, ?, ?, ?, ?, ?)",
            (sha, rules_version, _now(), errors,
             json.dumps({"name": issuer.canonical, "ticker": issuer.ticker}) if issuer else None,
             json.dumps(problems)),
        )  # fmt: skip
        extraction_id = int(cursor.lastrowid or 0)
        rows = [(extraction_id, sha, *_fact_row(f, extraction.document)) for f in extraction.facts]
        self.db.executemany(
            f"INSERT INTO facts (extraction, document, {', '.join(_FACT_COLUMNS)})"
            f" VALUES (?, ?, {', '.join('?' for _ in _FACT_COLUMNS)})",
            rows,
        )
        return len(rows)

    # --- queries ---

    def facts(
        self,
        company: str | None = None,
        type: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[StoredFact]:
        """Current facts (latest extraction of the latest document versions), by date.
        `since`/`until` are `YYYY-MM-DD` or `YYYY-MM` (a whole month); a malformed date or an
        unknown type raises `parser.query.FilterError`."""
        from parser.query import check_type, parse_day

        since = parse_day(since) if since else None
        until = parse_day(until, end=True) if until else None
        type = check_type(type) if type else None
        where, args = [_CURRENT], []
        if company:
            where.append(
                "(lower(f.company) = lower(?) OR lower(f.ticker) = lower(?)"
                " OR lower(f.company_name) = lower(?))"
            )
            args += [company, company, company]
        if type:
            where.append("f.type = ?")
            args.append(type)
        if since:
            where.append("f.fact_date >= ?")
            args.append(since)
        if until:
            where.append("f.fact_date <= ?")
            args.append(until)
        rows = self.db.execute(
            f"SELECT f.id, {', '.join('f.' + c for c in _FACT_COLUMNS)}, f.document, d.source,"
            " d.published FROM facts f JOIN documents d ON d.sha256 = f.document"
            f" WHERE {' AND '.join(where)} ORDER BY f.fact_date, d.first_seen, f.id",
            args,
        )
        return [_stored_fact(row) for row in rows]

    def extractions(self) -> list[Extraction]:
        """The current extraction of every current document (first seen first), rebuilt as
        `extract()` returned it: the export in the output contract."""
        facts: dict[str, list[StoredFact]] = {}
        for fact in sorted(self.facts(), key=lambda f: f.id):
            facts.setdefault(fact.document, []).append(fact)
        rows = self.db.execute(
            "SELECT e.document, e.issuer, e.problems, e.errors FROM extractions e"
            " JOIN documents d ON d.sha256 = e.document"
            " WHERE e.current = 1 AND d.superseded_by IS NULL ORDER BY d.first_seen, d.sha256"
        )
        return [
            Extraction(
                self.document(sha),
                tuple(_fact(f) for f in facts.get(sha, [])),
                _issuer(issuer),
                _problems(problems, errors),
            )
            for sha, issuer, problems, errors in rows.fetchall()
        ]

    def records(self, **filters: str | None) -> list[dict[str, Any]]:
        """The current facts (filtered as `facts()`) as flat records, one per fact."""
        return [fact.to_record() for fact in self.facts(**filters)]

    def to_dataframe(self, **filters: str | None) -> Any:
        """The current facts as a pandas DataFrame (needs the `pandas` extra)."""
        from parser.records import RECORD_COLUMNS, to_dataframe

        return to_dataframe(self.records(**filters)).reindex(columns=list(RECORD_COLUMNS))

    def companies(self) -> list[tuple[str, str | None]]:
        """(canonical name, ticker) of every company with current facts."""
        rows = self.db.execute(
            f"SELECT DISTINCT f.company, f.ticker FROM facts f WHERE {_CURRENT} ORDER BY f.company"
        )
        return [(row[0], row[1]) for row in rows]

    def resolve_company(self, name: str) -> str:
        """The canonical name of a company given by ticker or name; `FilterError` naming the
        closest companies when the store has none by that name."""
        from parser.query import FilterError, closest

        row = self.db.execute(
            "SELECT f.company FROM facts f WHERE lower(f.company) = lower(?1)"
            " OR lower(f.ticker) = lower(?1) OR lower(f.company_name) = lower(?1) LIMIT 1",
            (name,),
        ).fetchone()
        if row:
            return str(row[0])
        known = self.companies()
        choices = [c for c, _ in known] + [t for _, t in known if t]
        near = closest(name, choices)
        hint = f"; closest: {', '.join(near)}" if near else f"; companies: {len(known)} stored"
        raise FilterError(f"no company {name!r} in {self.path}{hint}")

    def timeseries(self, company: str, metric: str = "holdings") -> list[Point]:
        """One value per period of a company's metric (see `parser.history.timeseries`)."""
        from parser.history import timeseries

        return timeseries(self, company, metric)

    def table(self, metric: str, by: str = "month", status: str | None = None) -> PeriodTable:
        """The company × period table of a metric (see `parser.compare.period_table`)."""
        from parser.compare import period_table

        return period_table(self, metric, by, status)

    def ledger_check(
        self, company: str | None = None, tolerance: float | None = None
    ) -> LedgerCheck:
        """Every period between consecutive holdings: agrees, disagrees or cannot be checked,
        and the flows set aside for want of a period (see `parser.history.ledger_check`)."""
        from parser.history import ledger_check

        return ledger_check(self, company, tolerance)

    def ledger_gaps(
        self, company: str | None = None, tolerance: float | None = None
    ) -> list[LedgerGap]:
        """Periods where disclosed holdings and flows disagree (see `parser.history`)."""
        from parser.history import ledger_gaps

        return ledger_gaps(self, company, tolerance)

    def state(self) -> str:
        """Changes whenever the current facts change; an export remembers the state it shows."""
        count, last = self.db.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM extractions WHERE current = 1"
        ).fetchone()
        (superseded,) = self.db.execute(
            "SELECT count(*) FROM documents WHERE superseded_by IS NOT NULL"
        ).fetchone()
        return f"{count}:{last}:{superseded}"

    def add_source(self, url: str, kind: str, company: str | None) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO sources (url, kind, company, first_seen) VALUES (?, ?, ?, ?)",
            (url, kind, company, _now()),
        )

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def meta_items(self, prefix: str) -> list[tuple[str, str]]:
        """(key, value) of every meta entry whose key starts with `prefix`, by key."""
        rows = self.db.execute(
            "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key",
            (len(prefix), prefix),
        ).fetchall()
        return [(str(key), str(value)) for key, value in rows]

    def delete_meta(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))


# --- documents, extractions and facts (the history analysts query) -------------------------

_FIELDS = columns()  # one column per declared field (rules/facts.yaml)
_FACT_COLUMNS = (
    "type", "company", "company_name", "ticker", *(f.name for f in _FIELDS), "confidence",
    "fact_date", "evidence",
)  # fmt: skip
_CURRENT = (
    "f.extraction IN (SELECT id FROM extractions WHERE current = 1)"
    " AND f.document IN (SELECT sha256 FROM documents WHERE superseded_by IS NULL)"
)


def _fact_row(fact: Fact, document: Document) -> tuple[Any, ...]:
    fields = fact.fields
    fact_date = (
        fields.get("as_of")
        or period_end(fields.get("period") or fields.get(COLUMN_PERIOD))
        or document.published
    )
    evidence = [
        {"start": e.start, "end": e.end, "text": e.text, "page": e.page} for e in fact.evidence
    ]
    values = {
        "type": fact.type,
        "company": fact.company.canonical,
        "company_name": fact.company.name,
        "ticker": fact.company.ticker,
        "confidence": fact.confidence,
        "fact_date": fact_date,
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }
    return tuple(values.get(column, fields.get(column)) for column in _FACT_COLUMNS)


def _stored_fact(row: tuple[Any, ...]) -> StoredFact:
    names = ("id", *_FACT_COLUMNS, "document", "source", "published")
    values = dict(zip(names, row, strict=True))
    fields = {field.name: _field_value(field, values.pop(field.name)) for field in _FIELDS}
    values["evidence"] = json.loads(values["evidence"])
    return StoredFact(fields=fields, **values)


def _views() -> dict[str, str]:
    """The views for Datasette and plain SQL, from the declared fact types: `current_facts`
    (current facts of current documents, every field, the evidence text and the document) and
    `monthly` (one figure per company, metric and month of each type that has one: the stocks,
    and the flows with a period; the latest document wins)."""
    fields = ", ".join(f"f.{field.name}" for field in _FIELDS)
    current = (
        f"CREATE VIEW current_facts AS SELECT f.id, f.type, f.company, f.company_name, f.ticker,"
        f" {fields}, f.confidence, f.fact_date,"
        " json_extract(f.evidence, '$[0].text') AS evidence_text, d.source,"
        " d.title AS document_title, d.published, f.document FROM facts f"
        " JOIN extractions e ON e.id = f.extraction AND e.current = 1"
        " JOIN documents d ON d.sha256 = f.document AND d.superseded_by IS NULL"
    )
    types = fact_types().values()
    stocks = _sql_list(t.name for t in types if t.measure == "stock")
    monthly = _sql_list(
        t.name for t in types
        if t.measure == "stock" or (t.measure == "flow" and "period" in t.field_names)
    )  # fmt: skip
    labels = " ".join(f"WHEN '{t.name}' THEN '{t.label}'" for t in types if t.measure)
    month = (
        f"CASE WHEN c.type IN ({stocks}) THEN substr(coalesce(c.as_of, c.fact_date), 1, 7)"
        " ELSE c.period END"
    )
    by_month = (
        "CREATE VIEW monthly AS SELECT company, metric, month, value, approximate, status, source"
        f" FROM (SELECT c.company, CASE c.type {labels} END AS metric, {month} AS month,"
        " c.value, c.approximate, c.status, c.source, row_number() OVER ("
        f"PARTITION BY c.company, c.type, {month}"
        " ORDER BY coalesce(c.as_of, c.fact_date) DESC, c.published DESC, c.id DESC) AS rank"
        f" FROM current_facts c WHERE c.type IN ({monthly})"
        " AND c.value IS NOT NULL AND coalesce(c.status, '') != 'target')"
        " WHERE rank = 1 AND month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'"
        " ORDER BY company, metric, month"
    )
    return {"current_facts": current, "monthly": by_month}


def _sql_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _fact(stored: StoredFact) -> Fact:
    company = CompanyRef(stored.company_name, stored.company, stored.ticker)
    fields = {name: stored.fields[name] for name in FIELDS[stored.type]}
    evidence = tuple(Evidence(**span) for span in stored.evidence)
    return Fact(stored.type, company, fields, evidence, stored.confidence)


def _issuer(stored: str | None) -> CompanyRef | None:
    if not stored:
        return None
    issuer = json.loads(stored)
    return CompanyRef(issuer["name"], issuer["name"], issuer["ticker"])


def _problems(stored: str | None, messages: str | None) -> tuple[Problem, ...]:
    """The extraction's errors; a store from before they were kept gives only the messages."""
    if stored is not None:
        return tuple(Problem(**problem) for problem in json.loads(stored))
    return tuple(Problem("extract.failed", "extract", m) for m in json.loads(messages or "[]"))


def _field_value(field: Field, value: Any) -> Any:
    if value is None:
        return None
    if field.is_amount:
        return clean_amount(value)
    return bool(value) if field.is_flag else value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
