"""Loaders: raw bytes -> `Document`, the format picked by sniffing the content."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from parser.errors import LoadError, guard
from parser.load import submission
from parser.load.edgar import is_submission
from parser.load.html import load_html
from parser.load.pdf import load_pdf
from parser.load.text import load_text
from parser.types import Document

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
    """Tell PDF, HTML and plain text apart by their content, whatever the file is called."""
    head = raw[:2048]
    if head.lstrip()[:5] == b"%PDF-":
        return "application/pdf"
    if not head.strip():
        raise LoadError(source, "the document is empty", "load.empty")
    if is_submission(head):
        return submission.MEDIA_TYPE
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") and any(marker in lowered for marker in _HTML_MARKERS):
        return "text/html"
    if lowered.startswith(b"<?xml") and b"<html" in raw[:8192].lower():
        return "text/html"
    if _looks_binary(head):
        raise LoadError(source, "binary content that is neither PDF, HTML nor text", "load.binary")
    return "text/plain"


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return b"\x00" in head


def load_bytes(raw: bytes, source: str = "<bytes>", media_type: str | None = None) -> Document:
    """Load a raw document; `media_type` overrides sniffing when the caller knows better.
    Raises `LoadError`, or `InternalError` (`load.internal`) on an unexpected failure."""
    with guard(source, "load"):
        kind = media_type or sniff_media_type(raw, source)
        loader = LOADERS.get(kind)
        if loader is None:
            raise LoadError(source, f"unsupported media type {kind!r}", "load.unsupported")
        return loader(raw, source, document_id(raw))


def load_path(path: Path) -> Document:
    """Read and load one file, naming the file in any error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(str(path), f"cannot read file ({exc.strerror or exc})", "load.io") from exc
    return load_bytes(raw, str(path))


def document_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


__all__ = ["LOADERS", "document_id", "load_bytes", "load_path", "sniff_media_type"]
