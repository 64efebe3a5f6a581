"""What fetching remembers between runs, as an interface: validators of each URL fetched (for
conditional GETs), the content hashes already seen (a document reached by two routes is
emitted once), the new documents, and a few keyed notes (filings to retry). `parser.store.Store`
implements it; fetching knows nothing else of the store."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from parser.fetch import Fetched


class FetchState(Protocol):
    def transaction(self) -> AbstractContextManager[None]: ...

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        """(etag, last_modified, sha256) of the last successful fetch of `url`."""
        ...

    def fetched(self, url: str) -> bool: ...

    def record_fetch(
        self,
        url: str,
        final_url: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        sha256: str | None,
    ) -> None: ...

    def has_document(self, sha256: str) -> bool: ...

    def remember(self, fetched: Fetched, path: Path | None) -> None:
        """Keep a new document (raw bytes and where it came from; `path` where it was
        written), so no later run emits it again."""
        ...

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def delete_meta(self, key: str) -> None: ...

    def meta_items(self, prefix: str) -> list[tuple[str, str]]: ...
