"""The one place that wires the stages: fetch (or a folder) -> load -> extract -> store -> export.

Stateless: `extract` (one document, raises) and `extract_many` (a batch, never raises). Backed by
the store: `run` (fetch or scan, extract what is new, export), `reextract` (after a rules
change, from the stored raw bytes) and `export` (`facts.json`). Every document goes through one
guard, `guarded`: whatever goes wrong becomes that document's error and the batch goes on.
Nothing here prints; progress and log lines go to the callbacks the caller passes.

Idempotent and safe under cron: each document is stored and extracted in one transaction, and
the export is rewritten atomically whenever the stored facts changed since it was last written
(so a run killed before exporting is caught up by the next one). `parser.lock` keeps runs apart.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from parser.errors import ParserError, guard
from parser.fetch.folders import expand_paths, read_folder
from parser.load import document_id, load_bytes, load_path
from parser.load.text import load_text
from parser.output import Extraction, write_atomic
from parser.rules import Rules, load_rules
from parser.types import DEFAULT_LIMITS, Document, Fact, Limits, Problem, Rejection

if TYPE_CHECKING:  # spaCy loads with the extractor; fetching with a sources file
    from parser.config import SourcesConfig
    from parser.extract import Extractor
    from parser.fetch import FetchReport
    from parser.store import Store

EXPORT_NAME = "facts.json"
Log = Callable[[str], None]


def _quiet(line: str) -> None:
    """The callback that drops what it is given."""


# --- the extractor ------------------------------------------------------------------------


@cache
def default_extractor() -> Extractor:
    from parser.extract import Extractor

    return Extractor(load_rules())


def extractor_for(rules: Rules | None) -> Extractor:
    from parser.extract import Extractor

    return default_extractor() if rules is None else Extractor(rules)


# --- stateless extraction -----------------------------------------------------------------


def extract_document(document: Document, extractor: Extractor | None = None) -> Extraction:
    engine = extractor or default_extractor()
    with guard(document.source, "extract"):
        facts, issuer = engine.run(document)
    return Extraction(document=document, facts=tuple(facts), issuer=issuer)


def explain(text: str, extractor: Extractor | None = None) -> list[Rejection]:
    """The figures a text's extraction read and dropped, each with its reason code
    ("hashrate.increment", "btc.plan", ...)."""
    raw = text.encode("utf-8")
    rejected: list[Rejection] = []
    (extractor or default_extractor()).run(load_text(raw, "<text>", document_id(raw)), rejected)
    return rejected


def extract(
    source: os.PathLike[str] | bytes | str, extractor: Extractor | None = None
) -> Extraction:
    """Extract facts from a file path (`Path` or any `os.PathLike`), raw bytes (format sniffed)
    or a document's text (`str`). A `str` that names an existing file is still read as text,
    with a warning: pass `Path(...)` to read the file.

    Raises `LoadError` when the source cannot be read; use `extract_many` for batches that must
    go on past broken documents.
    """
    if isinstance(source, os.PathLike):
        document = load_path(Path(source))
    elif isinstance(source, bytes):
        document = load_bytes(source)
    elif isinstance(source, str):
        if _names_a_file(source):
            warnings.warn(
                f"extract() reads a str as the document's text; {source!r} names a file: "
                f"pass Path({source!r}) to read the file",
                UserWarning,
                stacklevel=2,
            )
        raw = source.encode("utf-8")
        document = load_text(raw, "<text>", document_id(raw))
    else:
        raise TypeError(f"extract() takes a Path, bytes or str, not {type(source).__name__}")
    return extract_document(document, extractor)


def _names_a_file(text: str) -> bool:
    if "\n" in text or len(text) > 1024:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def guarded(source: str, step: Callable[[], Extraction], doc_id: str = "") -> Extraction:
    """The one per-document guard: `step`'s extraction, or, whatever goes wrong in it, the
    document's failed extraction carrying the error (`<stage>.internal` for a crash)."""
    try:
        with guard(source, "extract"):
            return step()
    except ParserError as exc:
        return failed(source, exc.as_problem(), doc_id)


def failed(source: str, problem: Problem, doc_id: str = "") -> Extraction:
    """The extraction of a document that could not be read or extracted: no facts, one error."""
    document = Document(id=doc_id, source=source, media_type="", text="")
    return Extraction(document=document, facts=(), issuer=None, errors=(problem,))


def extract_path(path: Path, extractor: Extractor | None = None) -> Extraction:
    """One file's extraction; never raises."""
    return guarded(str(path), lambda: extract(path, extractor))


def extract_raw(raw: bytes, source: str, extractor: Extractor | None = None) -> Extraction:
    """Raw bytes' extraction (format sniffed); never raises."""
    return guarded(source, lambda: extract_document(load_bytes(raw, source), extractor))


def load_and_extract(raw: bytes, source: str) -> list[Fact]:
    """The facts of raw bytes (format sniffed); raises the document's error, for a caller
    that reports it its own way (`discover`)."""
    return list(extract_document(load_bytes(raw, source)).facts)


def extract_many(
    paths: Iterable[Path], extractor: Extractor | None = None, workers: int = 1
) -> Iterator[Extraction]:
    """One `Extraction` per document, in order; a broken one carries its `errors` and no facts.
    With `workers` > 1, documents are extracted in a pool of processes (default rules only; the
    caller's process builds no extractor for them)."""
    files = expand_paths(paths)
    if workers <= 1:
        for path in files:
            yield extract_path(path, extractor)
        return
    yield from _extract_pooled(files, workers)


_CHUNK = 16  # files a worker takes at a time: few round trips, still a steady stream of results
_AHEAD = 4  # chunks per worker queued ahead, so a long folder is never all submitted at once


def _extract_pooled(files: Iterator[Path], workers: int) -> Iterator[Extraction]:
    """Chunks of files to a pool whose workers each build the default extractor once, at start;
    results come back in input order as each chunk is done."""
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker) as pool:
        pending: deque[Future[list[Extraction]]] = deque()
        for chunk in _chunks(files, _CHUNK):
            pending.append(pool.submit(_extract_chunk, chunk))
            if len(pending) >= workers * _AHEAD:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _start_worker() -> None:
    default_extractor()


def _extract_chunk(paths: list[Path]) -> list[Extraction]:
    return [extract_path(path) for path in paths]


def _chunks(files: Iterator[Path], size: int) -> Iterator[list[Path]]:
    while chunk := list(islice(files, size)):
        yield chunk


# --- backed by the store ------------------------------------------------------------------


@dataclass
class RunReport:
    new_documents: int = 0
    unchanged: int = 0
    extracted: int = 0
    facts: int = 0
    problems: list[Problem] = field(default_factory=list)
    export: Path | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.new_documents and not self.extracted and self.export is None:
            return (
                f"nothing new: {self.unchanged} document(s) unchanged, nothing extracted, "
                f"nothing written ({self.seconds:.2f} s)"
            )
        written = f"; wrote {self.export}" if self.export else ""
        return (
            f"{self.new_documents} new document(s), {self.unchanged} unchanged, "
            f"{self.extracted} extracted ({self.facts} facts), {len(self.problems)} failed "
            f"({self.seconds:.2f} s){written}"
        )


def run(
    store: Store,
    extractor: Extractor,
    out_dir: Path,
    folder: Path | None = None,
    config: SourcesConfig | None = None,
    since: str | None = None,
    log: Log = _quiet,
    progress: Log = _quiet,
) -> RunReport:
    """Fetch (with `config`) or scan `folder`, extract every stored document not yet extracted
    under these rules, export, and write Datasette's metadata next to the store. `log` gets
    lines worth keeping; `progress` gets a running status (for a terminal)."""
    started = time.perf_counter()
    report = RunReport()
    limits = config.limits if config else DEFAULT_LIMITS
    if config is not None:
        _fetch(store, config, out_dir, since, report, log, progress)
    if folder is not None:
        progress(f"scanning {folder}")
        _scan(store, folder, report)
    pending = store.pending_ids(extractor.rules.version)
    for number, sha in enumerate(pending, start=1):
        progress(f"extracting {number}/{len(pending)}")
        _extract_stored(store, extractor, sha, report, log, limits)
    report.export = export(store, out_dir)
    store.write_datasette_metadata()
    report.seconds = time.perf_counter() - started
    return report


def reextract(
    store: Store, extractor: Extractor, out_dir: Path, everything: bool, since: str | None
) -> RunReport:
    """Extract stored documents again after the rules changed (by default those extracted with
    other rules), reloading each from its raw bytes, without fetching."""
    started = time.perf_counter()
    report = RunReport()
    version = extractor.rules.version
    for sha in store.document_ids(since):
        if everything or since or store.current_rules_version(sha) != version:
            _extract_stored(store, extractor, sha, report, _quiet)
        else:
            report.unchanged += 1
    report.export = export(store, out_dir)
    report.seconds = time.perf_counter() - started
    return report


def export(store: Store, out_dir: Path) -> Path | None:
    """Rewrite `facts.json` when the current facts differ from what it last showed; the path
    written, or None when it was up to date. It holds the current documents in the output
    contract (`disclosure-facts/1`), each with its facts, as `extract --format json` prints."""
    state = store.state()
    path = out_dir / EXPORT_NAME
    if store.meta("export_state") == state and path.exists():
        return None
    documents = [extraction.to_dict() for extraction in store.extractions()]
    write_atomic(path, json.dumps(documents, ensure_ascii=False, indent=2) + "\n")
    with store.transaction():
        store.set_meta("export_state", state)
    return path


def fetch(
    store: Store,
    config: SourcesConfig,
    documents_dir: Path,
    since: str | None = None,
    tickers: Iterable[str] = (),
    progress: Log = _quiet,
) -> FetchReport:
    """Fetch the new documents of the watched sources (or of `tickers`) into the store, raw,
    each also written to `documents_dir` with its manifest line; they are loaded when
    extracted."""
    from parser.archive import write_fetched
    from parser.fetch import Fetcher

    fetcher = Fetcher(
        config,
        store,
        on_source=lambda source: progress(f"fetching {source}"),
        sink=lambda fetched: write_fetched(documents_dir, fetched),
    )
    try:
        return fetcher.run(since, tickers)
    finally:
        fetcher.client.close()


def _fetch(
    store: Store,
    config: SourcesConfig,
    out_dir: Path,
    since: str | None,
    report: RunReport,
    log: Log,
    progress: Log,
) -> None:
    _record_sources(store, config)
    fetched = fetch(store, config, out_dir / "documents", since, progress=progress)
    report.new_documents += len(fetched.documents)
    report.unchanged += fetched.unchanged + fetched.duplicates
    report.problems += fetched.problems
    log(f"fetch: {fetched.summary()}")


def _record_sources(store: Store, config: SourcesConfig) -> None:
    """Keep the configured sources in the store, so a history shows where its documents came from."""
    with store.transaction():
        for company in config.companies:
            if company.cik:
                store.add_source(f"edgar:cik:{company.cik}", "edgar", company.name)
            for feed in company.feeds:
                store.add_source(feed, "feed", company.name)
            for page in company.pages:
                store.add_source(page, "page", company.name)
        for feed in config.feeds:
            store.add_source(feed, "feed", None)
        for page in config.pages:
            store.add_source(page, "page", None)


def _scan(store: Store, folder: Path, report: RunReport) -> None:
    """Store each new document's raw bytes; its extraction loads it (one that cannot be
    loaded is kept all the same, and its extraction records why)."""
    for item in read_folder(folder):
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        path, raw = item
        sha = document_id(raw)
        if store.has_document(sha):
            report.unchanged += 1
            continue
        document = Document(id=sha, source=str(path), media_type="", text="")
        with store.transaction():  # loaded when it is extracted, just after
            store.save_document(document, raw)
        report.new_documents += 1


def _extract_stored(
    store: Store,
    extractor: Extractor,
    sha: str,
    report: RunReport,
    log: Log,
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Extract one stored document from its raw bytes and store the facts, in one guarded
    step; a failure is stored as its failed extraction (retried when the rules or the document
    change) and the run goes on."""
    raw, source = store.raw(sha)
    version = extractor.rules.version

    def step() -> Extraction:
        extraction = extract_document(load_bytes(raw, source, limits=limits), extractor)
        with guard(source, "store"), store.transaction():
            report.facts += store.save_extraction(extraction, version)
        return extraction

    extraction = guarded(source, step, sha)
    if not extraction.errors:
        report.extracted += 1
        return
    for problem in extraction.errors:
        report.problems.append(problem)
        log(f"error: {problem.message} [{problem.code}]")
    with store.transaction():
        store.save_extraction(extraction, version)
