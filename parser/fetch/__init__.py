"""Fetchers: collect new announcements of the watched companies from SEC EDGAR, IR and newswire
feeds, web pages and PDFs, and local folders; hand each over as raw bytes with where they came
from (`Fetched`). Loading them is the pipeline's business, and writing them out the sink's.

Incremental: validators (ETag, Last-Modified) and content hashes live in the fetch state (the
store, through `FetchState`), so a second run downloads nothing that did not change, and a
press release reached by two routes (a feed and an EDGAR exhibit) is emitted once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from parser.config import SourcesConfig, WatchedCompany
from parser.errors import FetchError, LoadError, ParserError, guard
from parser.fetch import edgar
from parser.fetch.feeds import parse_feed
from parser.fetch.folders import read_folder
from parser.fetch.http import HttpClient, RateLimiter, Response, Validators
from parser.fetch.state import FetchState
from parser.load import document_id, sniff_media_type
from parser.types import Problem

DEFAULT_LOOKBACK_DAYS = 90
_CONTENT_TYPES = {"application/pdf", "text/html", "text/plain", "application/xhtml+xml"}


@dataclass(frozen=True)
class Fetched:
    """A new raw document and where it came from."""

    raw: bytes
    url: str
    sha256: str
    media_type: str = ""  # sniffed from the bytes, else the server's Content-Type
    company: str | None = None
    ticker: str | None = None
    form: str | None = None
    filing_date: str | None = None
    accession: str | None = None


@dataclass
class FetchReport:
    documents: list[Fetched] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    requests: int = 0
    unchanged: int = 0
    duplicates: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.documents)} new document(s), {self.unchanged} unchanged, "
            f"{self.duplicates} duplicate(s), {len(self.problems)} failed source(s), "
            f"{self.requests} request(s)"
        )


class Fetcher:
    def __init__(
        self,
        config: SourcesConfig,
        store: FetchState,
        client: HttpClient | None = None,
        on_source: Callable[[str], None] | None = None,
        sink: Callable[[Fetched], Path | None] | None = None,
    ) -> None:
        """`store` remembers what was fetched (`parser.store.Store` does). `sink` receives each
        new document as soon as it is fetched (to write it out, giving the path); the store
        records it in the same transaction, so a run killed midway loses nothing it had
        emitted."""
        self.config = config
        self.store = store
        self.client = client or make_client(config)
        self.report = FetchReport()
        self._on_source = on_source or (lambda source: None)
        self._sink = sink or (lambda fetched: None)
        # Listing validators are stored only once every filing they list was handled, so a run
        # killed midway lists the same filings again next time.
        self._pending_validators: list[tuple[str, Response]] = []
        self.pending = PendingFilings(store, config.edgar.attempts_per_filing)

    def run(self, since: str | None = None, tickers: Iterable[str] = ()) -> FetchReport:
        since = since or (date.today() - timedelta(days=DEFAULT_LOOKBACK_DAYS)).isoformat()
        wanted = {t.upper() for t in tickers}
        companies = [
            c for c in self.config.companies if not wanted or (c.ticker or "").upper() in wanted
        ]
        start = self.client.requests_made
        self._edgar(companies, since)
        for company in companies:
            for feed in company.feeds:
                self._guard(feed, self._feed, feed, company)
            for page in company.pages:
                self._guard(page, self._take, page, company)
        if not wanted:
            for feed in self.config.feeds:
                self._guard(feed, self._feed, feed, None)
            for page in self.config.pages:
                self._guard(page, self._take, page, None)
            for folder in self.config.folders:
                self._local(Path(folder))
        self.report.requests = self.client.requests_made - start
        return self.report

    def _guard(self, source: str, step: Callable[..., None], *args: object) -> None:
        """Run one source's step; a failure is reported with the source and the run goes on."""
        self._on_source(source)
        try:
            with guard(source, "fetch"):
                step(*args)
        except ParserError as exc:
            self.report.problems.append(Problem(exc.code, "fetch", f"{source}: {_reason(exc)}"))

    def _edgar(self, companies: list[WatchedCompany], since: str) -> None:
        with_cik = [c for c in companies if c.cik]
        if not with_cik:
            return
        self.config.edgar.require_user_agent()
        filings: dict[str, tuple[edgar.Filing, WatchedCompany]] = {}
        by_cik = {c.cik: c for c in with_cik if c.cik}
        for company in with_cik:
            url = edgar.submissions_url(self.config.edgar, company.cik or "")
            self._guard(url, self._submissions, url, company, since, filings)
        if self.config.edgar.latest_feed:
            for form in self.config.edgar.forms:
                url = edgar.latest_feed_url(self.config.edgar, form)
                self._guard(url, self._latest, url, form, by_cik, filings)
        for filing in self.pending.filings():
            if filing.cik in by_cik:
                filings.setdefault(filing.accession, (filing, by_cik[filing.cik]))
        for filing, company in sorted(filings.values(), key=lambda pair: pair[0].filing_date):
            self._on_source(filing.accession)
            self._filing(filing, company)
        for url, response in self._pending_validators:
            self.store.record_fetch(
                url, response.final_url, 200, response.etag, response.last_modified, "listing"
            )
        self._pending_validators.clear()

    def _submissions(
        self,
        url: str,
        company: WatchedCompany,
        since: str,
        filings: dict[str, tuple[edgar.Filing, WatchedCompany]],
    ) -> None:
        response = self._get(url)
        if response is None:
            return  # no new filings since the last run
        listing = edgar.company_filings(
            self.client, self.config.edgar, company.cik or "", since, response.body
        )
        for filing in listing.filings:
            filings[filing.accession] = (filing, company)
        for failed in listing.failed_pages:  # its filings are missing; the others are not
            self.report.problems.append(Problem(failed.code, "fetch", str(failed)))
        if not listing.failed_pages:  # else the next run lists the company again
            self._pending_validators.append((url, response))

    def _latest(
        self,
        url: str,
        form: str,
        by_cik: dict[str, WatchedCompany],
        filings: dict[str, tuple[edgar.Filing, WatchedCompany]],
    ) -> None:
        response = self._get(url)
        if response is None:
            return
        for filing in edgar.latest_filings(response.body, form, set(by_cik)):
            filings.setdefault(filing.accession, (filing, by_cik[filing.cik]))
        self._pending_validators.append((url, response))

    def _filing(self, filing: edgar.Filing, company: WatchedCompany | None) -> bool:
        """Fetch a filing's announcement documents. It is done once each of them was stored or
        failed for good (404/410); after a transient failure (timeout, 429, 5xx) it stays
        pending for the next run, up to `attempts_per_filing` runs. True when done."""
        index = edgar.index_url(self.config.edgar, filing)
        if self.store.fetched(index):
            self.pending.done(filing)
            return True  # a filing never changes once accepted
        meta: dict[str, str | None] = {
            "form": filing.form,
            "filing_date": filing.filing_date,
            "accession": filing.accession,
        }
        transient: list[ParserError] = []
        try:
            documents = edgar.filing_documents(self.client, self.config.edgar, filing)
        except FetchError as exc:
            transient.append(exc)
            documents = []
        for document in documents:
            try:
                self._take(document.url, company, meta)
            except FetchError as exc:
                if not edgar.is_permanent(exc):
                    transient.append(exc)
                    continue
                self.report.problems.append(Problem(exc.code, "fetch", str(exc)))
            except ParserError as exc:  # a document that cannot be read will not improve
                self.report.problems.append(Problem(exc.code, "fetch", f"{document.url}: {exc}"))
        if transient:  # reported; retried next run while attempts are left
            left = self.pending.failed(filing, transient[0])
            message = self.pending.describe(filing, transient[0], left)
            self.report.problems.append(Problem(transient[0].code, "fetch", message))
            if left:
                return False
        self.store.record_fetch(index, index, 200, None, None, "index")
        self.pending.done(filing)
        return not transient

    def _feed(self, url: str, company: WatchedCompany | None) -> None:
        response = self._get(url)
        if response is None:
            return
        for entry in parse_feed(response):
            if self.store.fetched(entry.link):
                continue
            meta = {"filing_date": entry.published}
            self._guard(entry.link, self._take, entry.link, company, meta)
        self.store.record_fetch(
            url, response.final_url, 200, response.etag, response.last_modified, "feed"
        )

    def _get(self, url: str) -> Response | None:
        """A conditional GET; None when the server says the resource did not change."""
        etag, last_modified, _ = self.store.validators(url)
        response = self.client.get(url, Validators(etag, last_modified))
        if response.not_modified:
            self.store.record_fetch(url, response.final_url, 304, None, None, None)
            self.report.unchanged += 1
            return None
        return response

    def _take(
        self, url: str, company: WatchedCompany | None, meta: dict[str, str | None] | None = None
    ) -> None:
        response = self._get(url)
        if response is None:
            return
        if response.content_type and not _is_document_type(response.content_type):
            raise FetchError(url, f"unsupported content type {response.content_type!r}")

        def remember() -> None:
            self.store.record_fetch(
                url, response.final_url, 200, response.etag, response.last_modified,
                document_id(response.body),
            )  # fmt: skip

        self._emit(
            response.body, response.final_url, _media_type(response), company, meta, remember
        )

    def _local(self, folder: Path) -> None:
        for item in read_folder(folder):
            if isinstance(item, Problem):
                self.report.problems.append(item)
            else:
                path, raw = item
                self._emit(raw, str(path), _sniffed(raw, str(path)), None, None)

    def _emit(
        self,
        raw: bytes,
        source: str,
        media_type: str,
        company: WatchedCompany | None,
        meta: dict[str, str | None] | None,
        remember: Callable[[], None] = lambda: None,
    ) -> None:
        """Hand a new document to the sink and record it (with `remember`, the fetch it came
        by) in one transaction; a document already stored counts as a duplicate."""
        sha = document_id(raw)
        if self.store.has_document(sha):
            self.report.duplicates += 1
            remember()
            return
        fetched = Fetched(
            raw=raw,
            url=source,
            sha256=sha,
            media_type=media_type,
            company=company.name if company else None,
            ticker=company.ticker if company else None,
            **(meta or {}),
        )
        path = self._sink(fetched)
        with self.store.transaction():
            self.store.remember(fetched, path)
            remember()
        self.report.documents.append(fetched)


class PendingFilings:
    """Filings whose documents failed transiently, kept in the store between runs (with the
    number of runs that tried them), so a press release that timed out is not lost."""

    PREFIX = "edgar.pending:"

    def __init__(self, store: FetchState, attempts: int) -> None:
        self.store = store
        self.attempts = max(1, attempts)

    def filings(self) -> list[edgar.Filing]:
        found = []
        for _, value in self.store.meta_items(self.PREFIX):
            row = json.loads(value)
            found.append(edgar.Filing(**row["filing"]))
        return found

    def tried(self, filing: edgar.Filing) -> int:
        value = self.store.meta(self.PREFIX + filing.accession)
        return int(json.loads(value)["attempts"]) if value else 0

    def failed(self, filing: edgar.Filing, error: ParserError) -> bool:
        """Count one more failed run; True while the filing has attempts left."""
        attempts = self.tried(filing) + 1
        if attempts >= self.attempts:
            return False
        row = {"filing": asdict(filing), "attempts": attempts, "error": str(error)}
        self.store.set_meta(self.PREFIX + filing.accession, json.dumps(row))
        return True

    def describe(self, filing: edgar.Filing, error: ParserError, left: bool) -> str:
        tried = self.tried(filing)
        if left:
            return f"{error} (filing {filing.accession}: attempt {tried} of {self.attempts}, retried next run)"
        return f"{error} (filing {filing.accession}: gave up after {self.attempts} attempt(s))"

    def done(self, filing: edgar.Filing) -> None:
        self.store.delete_meta(self.PREFIX + filing.accession)


def make_client(config: SourcesConfig) -> HttpClient:
    """The process's one HTTP client; EDGAR's hosts share SEC's request-rate limit."""
    hosts = {
        _host(config.edgar.data_url): config.edgar.rate_limit,
        _host(config.edgar.archives_url): config.edgar.rate_limit,
    }
    shared = {host: "sec" for host in hosts}
    agent = (
        config.edgar.user_agent or "disclosure-parser (https://pypi.org/project/disclosure-parser/)"
    )
    return HttpClient(
        user_agent=agent,
        timeout=config.http.timeout,
        max_bytes=config.http.max_bytes,
        retries=config.http.retries,
        backoff=config.http.backoff,
        deadline=config.http.deadline,
        allow_private_networks=config.http.allow_private_networks,
        limiter=RateLimiter(hosts, shared=shared),
    )


def _media_type(response: Response) -> str:
    return _sniffed(response.body, response.url) or response.content_type


def _sniffed(raw: bytes, source: str) -> str:
    """The media type the content shows; "" when it is empty or binary (its extraction will
    say so)."""
    try:
        return sniff_media_type(raw, source)
    except LoadError:
        return ""


def _is_document_type(content_type: str) -> bool:
    return (
        content_type in _CONTENT_TYPES
        or content_type.startswith("text/")
        or content_type
        in (
            "application/octet-stream",
            "binary/octet-stream",
        )
    )


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def _reason(exc: ParserError) -> str:
    text = str(exc)
    return text.split(": ", 1)[1] if isinstance(exc, FetchError) and ": " in text else text


__all__ = [
    "FetchReport",
    "FetchState",
    "Fetched",
    "Fetcher",
    "make_client",
]
