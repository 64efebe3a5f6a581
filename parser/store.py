"""The embedded SQLite store: what was fetched (for conditional GETs and incremental runs) and
which documents were already emitted (by content hash, whatever route they came by)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from parser.errors import ParserError

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
)


class StoreError(ParserError):
    code = "store.invalid"


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a usable SQLite database ({exc})") from exc

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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
