"""The unattended pipeline: fetch (or scan a folder) -> load -> extract -> store -> export.

Idempotent and safe under cron: one run at a time (a lock file), each document stored and
extracted in one transaction, the export rewritten atomically whenever the stored facts changed
since it was last written (so a run killed before exporting is caught up by the next one).
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parser.config import SourcesConfig
from parser.errors import ConfigError, ParserError, guard
from parser.fetch import Fetcher, write_fetched
from parser.load import document_id, load_bytes
from parser.output import write_atomic
from parser.pipeline import expand_paths, extract_document, failed
from parser.store import Store
from parser.types import DEFAULT_LIMITS, Document, Limits, Problem

if TYPE_CHECKING:
    from parser.extract import Extractor

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75
EXPORT_NAME = "facts.json"


class Locked(ParserError):
    code = "run.locked"


def lock_path(database: Path) -> Path:
    """The run lock of a database: next to its real file (a symlinked path takes the same
    lock), never the database itself (locking writes a PID into the file)."""
    real = database.resolve()
    lock = real.with_suffix(".lock")
    if lock.resolve() == real:
        raise ConfigError(
            f"{database}: the database cannot be named like its lock file {lock}; "
            "give it another suffix (e.g. .sqlite)"
        )
    return lock


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for the whole run; a second run gets `Locked` at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise Locked(f"another disclosures run holds the lock {path}") from exc
    try:
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


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


def run_pipeline(
    store: Store,
    extractor: Extractor,
    out_dir: Path,
    folder: Path | None = None,
    config: SourcesConfig | None = None,
    since: str | None = None,
    log: Callable[[str], None] = lambda line: None,
    progress: Callable[[str], None] = lambda status: None,
) -> RunReport:
    """`log` gets lines worth keeping; `progress` gets a running status (for a terminal)."""
    started = time.perf_counter()
    report = RunReport()
    limits = config.limits if config else DEFAULT_LIMITS
    if config is not None:
        _fetch(store, config, out_dir, since, report, log, progress)
    if folder is not None:
        progress(f"scanning {folder}")
        _scan(store, folder, report, log)
    pending = store.pending_ids(extractor.rules.version)
    for number, sha in enumerate(pending, start=1):
        progress(f"extracting {number}/{len(pending)}")
        _extract(store, extractor, sha, report, log, limits)
    report.export = export_if_changed(store, out_dir)
    report.seconds = time.perf_counter() - started
    return report


def reextract(
    store: Store, extractor: Extractor, out_dir: Path, everything: bool, since: str | None
) -> RunReport:
    """Extract stored documents again after the rules changed, without fetching."""
    started = time.perf_counter()
    report = RunReport()
    version = extractor.rules.version
    for sha in store.document_ids(since):
        if everything or since or store.current_rules_version(sha) != version:
            _extract(store, extractor, sha, report, lambda line: None)
        else:
            report.unchanged += 1
    report.export = export_if_changed(store, out_dir)
    report.seconds = time.perf_counter() - started
    return report


def _fetch(
    store: Store,
    config: SourcesConfig,
    out_dir: Path,
    since: str | None,
    report: RunReport,
    log: Callable[[str], None],
    progress: Callable[[str], None],
) -> None:
    _record_sources(store, config)
    fetcher = Fetcher(
        config,
        store,
        on_source=lambda source: progress(f"fetching {source}"),
        sink=lambda f: write_fetched(out_dir / "documents", f),
    )
    try:
        fetched = fetcher.run(since)
    finally:
        fetcher.client.close()
    report.new_documents += len(fetched.documents)
    report.unchanged += fetched.unchanged + fetched.duplicates
    # A fetched document that cannot be loaded is stored; its extraction reports it below.
    report.problems += [p for p in fetched.problems if p.stage != "load"]
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


def _scan(store: Store, folder: Path, report: RunReport, log: Callable[[str], None]) -> None:
    for path in expand_paths([folder]):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.problems.append(Problem("load.io", "load", f"{path}: cannot read ({exc})"))
            continue
        sha = document_id(raw)
        if store.has_document(sha):
            report.unchanged += 1
            continue
        try:
            document = load_bytes(raw, str(path))
        except ParserError:  # kept all the same: the extraction records why it failed
            document = Document(id=sha, source=str(path), media_type="", text="")
        with store.transaction():
            store.save_document(document, raw)
        report.new_documents += 1


def _extract(
    store: Store,
    extractor: Extractor,
    sha: str,
    report: RunReport,
    log: Callable[[str], None],
    limits: Limits = DEFAULT_LIMITS,
) -> None:
    """Extract one stored document; whatever goes wrong is recorded as its failed extraction
    (retried when the rules or the document change) and the run goes on."""
    raw, source = store.raw(sha)
    version = extractor.rules.version
    try:
        extraction = extract_document(load_bytes(raw, source, limits=limits), extractor)
        with guard(source, "store"), store.transaction():
            report.facts += store.save_extraction(extraction, version)
    except ParserError as exc:
        problem = exc.as_problem()
        report.problems.append(problem)
        log(f"error: {problem.message} [{problem.code}]")
        with store.transaction():
            store.save_extraction(failed(source, problem, sha), version)
        return
    report.extracted += 1


def export_if_changed(store: Store, out_dir: Path) -> Path | None:
    """Rewrite the export when the current facts differ from what it last showed."""
    state = store.state()
    path = out_dir / EXPORT_NAME
    if store.meta("export_state") == state and path.exists():
        return None
    facts = [fact.to_dict() for fact in store.facts()]
    write_atomic(path, json.dumps(facts, ensure_ascii=False, indent=2) + "\n")
    with store.transaction():
        store.set_meta("export_state", state)
    return path
