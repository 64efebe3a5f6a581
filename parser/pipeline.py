"""Wire loading and extraction; turn per-document failures into `Problem`s, never stop a batch."""

from __future__ import annotations

import os
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache
from itertools import islice
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
    With `workers` > 1, documents are extracted in a pool of processes (default rules only; the
    caller's process builds no extractor for them)."""
    files = expand_paths(paths)
    if workers <= 1:
        for path in files:
            yield extract_safely(path, extractor)
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
    return [extract_safely(path) for path in paths]


def _chunks(files: Iterator[Path], size: int) -> Iterator[list[Path]]:
    while chunk := list(islice(files, size)):
        yield chunk


def extract_safely(path: Path, extractor: Extractor | None = None) -> Extraction:
    try:
        return extract(path, extractor)
    except ParserError as exc:
        return failed(str(path), exc.as_problem())


def failed(source: str, problem: Problem, doc_id: str = "") -> Extraction:
    """The extraction of a document that could not be read or extracted: no facts, one error."""
    document = Document(id=doc_id, source=source, media_type="", text="")
    return Extraction(document=document, facts=(), issuer=None, errors=(problem,))
