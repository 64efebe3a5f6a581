"""Loaders: raw bytes -> `Document`, the format picked by sniffing the content."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from parser.errors import LoadError, guard
from parser.load import submission
from parser.load.edgar import is_submission
from parser.load.html import load_html
from parser.load.pdf import load_pdf
from parser.load.text import bom_encoding, load_text
from parser.types import DEFAULT_LIMITS, Document, Limits

Loader = Callable[[bytes, str, str], Document]

LOADERS: dict[str, Loader] = {
    "application/pdf": load_pdf,
    "text/html": load_html,
    "text/plain": load_text,
    submission.MEDIA_TYPE: submission.load_submission,
}

_HTML_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<body",
    b"<head",
    b"<p>",
    b"<div",
    b"<p ",
    b"<table",
)


def sniff_media_type(raw: bytes, source: str = "<bytes>") -> str:
    """Tell PDF, HTML and plain text apart by their content, whatever the file is called. A PDF
    header counts anywhere in the first 1,024 bytes (as PDF readers allow); text behind a
    byte-order mark is decoded before it is looked at."""
    if _PDF_HEADER in raw[:_PDF_HEADER_REACH]:
        return "application/pdf"
    head = _head(raw, 2048)
    if not head.strip():
        raise LoadError(source, "the document is empty", "load.empty")
    if is_submission(head):
        return submission.MEDIA_TYPE
    lowered = head.lstrip(b" \t\r\n").lower()
    if lowered.startswith(b"<") and any(marker in lowered for marker in _HTML_MARKERS):
        return "text/html"
    if lowered.startswith(b"<?xml") and b"<html" in _head(raw, 8192).lower():
        return "text/html"
    if b"\x00" in head:
        raise LoadError(source, "binary content that is neither PDF, HTML nor text", "load.binary")
    return "text/plain"


_PDF_HEADER = b"%PDF-"
_PDF_HEADER_REACH = 1024


def _head(raw: bytes, size: int) -> bytes:
    """The first `size` bytes, as UTF-8 without its byte-order mark when the document has one."""
    encoding = bom_encoding(raw)
    if encoding is None:
        return raw[:size]
    text = raw[: size * 4].decode(encoding, errors="replace").lstrip("\ufeff")
    return text.encode("utf-8")[:size]


def load_bytes(
    raw: bytes,
    source: str = "<bytes>",
    media_type: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document:
    """Load a raw document; `media_type` overrides sniffing when the caller knows better.
    Raises `LoadError` (`load.too_large` past one of `limits`), or `InternalError`
    (`load.internal`) on an unexpected failure."""
    with guard(source, "load"):
        kind = media_type or sniff_media_type(raw, source)
        loader = _loader(kind, limits)
        if loader is None:
            raise LoadError(source, f"unsupported media type {kind!r}", "load.unsupported")
        document = loader(raw, source, document_id(raw))
        if len(document.text) > limits.text_chars:
            raise LoadError(
                source,
                f"the text has {len(document.text):,} characters, over the limit of "
                f"{limits.text_chars:,} ([limits] text_chars)",
                "load.too_large",
            )
        return document


def _loader(kind: str, limits: Limits) -> Loader | None:
    if kind == "application/pdf":
        return functools.partial(load_pdf, limits=limits)
    return LOADERS.get(kind)


def load_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and load one file, naming the file in any error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(str(path), f"cannot read file ({exc.strerror or exc})", "load.io") from exc
    return load_bytes(raw, str(path), limits=limits)


def document_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


__all__ = ["LOADERS", "document_id", "load_bytes", "load_path", "sniff_media_type"]
