"""Plain text and Markdown."""

from __future__ import annotations

import codecs
import re

from parser.load.meta import guess_published, guess_title
from parser.types import Document

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # every control character but tab and newline


def decode_text(raw: bytes) -> str:
    """Decode by BOM, then UTF-8, then Windows-1252 (which never fails on real text)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def clean_text(text: str) -> str:
    """Unify line endings and drop control characters; keep every line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n\n")
    return _CONTROL.sub("", text)


def load_text(raw: bytes, source: str, doc_id: str) -> Document:
    text = clean_text(decode_text(raw))
    return Document(
        id=doc_id,
        source=source,
        media_type="text/plain",
        text=text,
        title=guess_title(text),
        published=guess_published(text),
    )
