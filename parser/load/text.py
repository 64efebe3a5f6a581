"""Plain text and Markdown."""

from __future__ import annotations

import codecs
import re

from parser.load.meta import guess_published, guess_title
from parser.types import Document

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # every control character but tab and newline


def bom_encoding(raw: bytes) -> str | None:
    """The encoding a byte-order mark announces (UTF-8, UTF-16 or UTF-32, either byte order)."""
    return next((encoding for bom, encoding in _BOMS if raw.startswith(bom)), None)


def decode_text(raw: bytes) -> str:
    """Decode by BOM, then UTF-8, then Windows-1252 (which never fails on real text)."""
    encoding = bom_encoding(raw)
    if encoding:
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
