"""Wire loading and extraction; turn per-document failures into `Problem`s, never stop a batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from parser.errors import ParserError, guard
from parser.load import document_id, load_bytes, load_path
from parser.load.text import load_text
from parser.rules import Rules, load_rules
from parser.types import Document, Extraction, Problem, Rejection

if TYPE_CHECKING:  # spaCy loads with the extractor: only when one is made
    from parser.extract import Extractor

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".text"}


@cache
def default_extractor() -> Extractor:
    from parser.extract import Extractor

    return Extractor(load_rules())


def extractor_for(rules: Rules | None) -> Extractor:
    from parser.extract import Extractor

    return default_extractor() if rules is None else Extractor(rules)


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


def extract(source: Path | bytes | str, extractor: Extractor | None = None) -> Extraction:
    """Extract facts from a file path, raw bytes (format sniffed) or a document's text.

    Raises `LoadError` when the source cannot be read, and only `ParserError`s otherwise (an
    unexpected failure is an `InternalError`); `extract_many` goes on past broken documents.
    """
    if isinstance(source, Path):
        document = load_path(source)
    elif isinstance(source, bytes):
        document = load_bytes(source)
    elif isinstance(source, str):
        raw = source.encode("utf-8")
        document = load_text(raw, "<text>", document_id(raw))
    else:
        raise TypeError(f"extract() takes a Path, bytes or str, not {type(source).__name__}")
    return extract_document(document, extractor)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the supported documents inside folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def extract_many(
    paths: Iterable[Path], extractor: Extractor | None = None, workers: int = 1
) -> Iterator[Extraction]:
    """One `Extraction` per document, in order; a broken one carries its `errors` and no facts.
    With `workers` > 1, documents are extracted in a pool of processes (default rules only)."""
    files = expand_paths(paths)
    if workers <= 1:
        for path in files:
            yield extract_safely(path, extractor)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(extract_safely, files, chunksize=16)


def extract_safely(path: Path, extractor: Extractor | None = None) -> Extraction:
    try:
        return extract(path, extractor)
    except ParserError as exc:
        return failed(str(path), exc.as_problem())


def failed(source: str, problem: Problem, doc_id: str = "") -> Extraction:
    """The extraction of a document that could not be read or extracted: no facts, one error."""
    document = Document(id=doc_id, source=source, media_type="", text="")
    return Extraction(document=document, facts=(), issuer=None, errors=(problem,))
