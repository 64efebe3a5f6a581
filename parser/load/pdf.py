"""PDF shareholder letters and exhibits -> text with a page map.

pypdfium2 gives page text fast. Two-column pages are read column by column (a full-width band
at the top, then the left column, then the right). pdfplumber, which is much slower, only looks at
pages that draw ruled lines (its table finder works from them) and whose text has numbers laid out
like a table; each table it finds is appended to its page as rows of ` | `-separated cells.
"""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parser.errors import LoadError
from parser.load.html import CELL_SEPARATOR
from parser.load.meta import guess_published, guess_title
from parser.load.text import clean_text
from parser.types import Document, PageSpan

_NUMERIC_LINE = re.compile(r"\d[\d,.]*\D+\d[\d,.]*")
_GUTTER = (0.47, 0.53)
_HEADER_BAND = 0.12
_MIN_RULES = 4  # path objects a page needs before pdfplumber looks for tables on it


def load_pdf(raw: bytes, source: str, doc_id: str) -> Document:
    pdf = _open(raw, source)
    try:
        page_texts = [_page_text(pdf[index]) for index in range(len(pdf))]
        ruled = [_has_ruled_lines(pdf[index]) for index in range(len(pdf))]
        title = _metadata_title(pdf)
    finally:
        pdf.close()
    candidates = [i for i, text in enumerate(page_texts) if ruled[i] and _has_table_shape(text)]
    tables = _tables(raw, candidates)
    parts: list[str] = []
    pages: list[PageSpan] = []
    offset = 0
    for index, text in enumerate(page_texts):
        if index in tables:
            text = f"{text.rstrip()}\n\n{tables[index]}\n"
        chunk = clean_text(text).strip("\n") + "\n\n"
        pages.append(PageSpan(offset, offset + len(chunk), index + 1))
        parts.append(chunk)
        offset += len(chunk)
    text = "".join(parts)
    if not text.strip():
        raise LoadError(
            source, "the PDF has no extractable text (scanned image?)", "load.pdf_no_text"
        )
    return Document(
        id=doc_id,
        source=source,
        media_type="application/pdf",
        text=text,
        title=title or guess_title(text),
        published=guess_published(text),
        pages=tuple(pages),
    )


def _open(raw: bytes, source: str) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise LoadError(source, "the PDF is encrypted", "load.pdf_encrypted") from exc
        raise LoadError(source, f"not a readable PDF ({exc})", "load.pdf_broken") from exc


def _metadata_title(pdf: pdfium.PdfDocument) -> str | None:
    title = str(pdf.get_metadata_dict().get("Title") or "").strip()
    return title or None


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        if not _is_two_column(textpage, width, height):
            return str(textpage.get_text_range())
        band_bottom = height * (1 - _HEADER_BAND)
        middle = width / 2
        header = textpage.get_text_bounded(0, band_bottom, width, height)
        left = textpage.get_text_bounded(0, 0, middle, band_bottom)
        right = textpage.get_text_bounded(middle, 0, width, band_bottom)
        return "\n".join(part.strip() for part in (header, left, right) if part.strip())
    finally:
        textpage.close()


def _is_two_column(textpage: pdfium.PdfTextPage, width: float, height: float) -> bool:
    """A page is two-column when its body has an empty gutter with text on both sides."""
    top = height * (1 - _HEADER_BAND)
    gutter = textpage.get_text_bounded(width * _GUTTER[0], 0, width * _GUTTER[1], top)
    if gutter.strip():
        return False
    left = textpage.get_text_bounded(0, 0, width * _GUTTER[0], top)
    right = textpage.get_text_bounded(width * _GUTTER[1], 0, width, top)
    return len(left.strip()) > 200 and len(right.strip()) > 200


def _has_ruled_lines(page: pdfium.PdfPage) -> bool:
    paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
    return sum(1 for _ in zip(range(_MIN_RULES), paths, strict=False)) >= _MIN_RULES


def _has_table_shape(text: str) -> bool:
    lines = [line for line in text.splitlines() if _NUMERIC_LINE.search(line)]
    return len(lines) >= 3


def _tables(raw: bytes, page_indexes: list[int]) -> dict[int, str]:
    if not page_indexes:
        return {}
    import pdfplumber  # imported lazily: slow to import, needed only for pages with tables

    found: dict[int, str] = {}
    with pdfplumber.open(io.BytesIO(raw), pages=[i + 1 for i in page_indexes]) as pdf:
        for index, page in zip(page_indexes, pdf.pages, strict=True):
            rows = [
                CELL_SEPARATOR.join(" ".join(str(cell).split()) for cell in row if cell)
                for table in page.extract_tables()
                for row in table
                if any(row)
            ]
            if rows:
                found[index] = "\n".join(rows)
    return found
