"""PDF shareholder letters and exhibits -> text with a page map.

pypdfium2 gives page text fast. Two-column pages are read column by column (a full-width band
at the top, then the left column, then the right). pdfplumber, which is much slower, finds the
tables, but only where pdfium's own page objects show one: ruled lines that touch each other form
a region (pdfplumber's table finder works from ruled lines too), and a region whose text has rows
of figures is a table region. pdfplumber reads an excerpt of those pages that keeps only the
objects in their table regions, and each table it finds is appended to its page as rows of
` | `-separated cells.
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
from parser.types import DEFAULT_LIMITS, Document, Limits, PageSpan

_FIGURE = re.compile(r"\d")
_GUTTER = (0.47, 0.53)
_HEADER_BAND = 0.12
_MIN_RULES = 4  # ruled lines a region needs before pdfplumber looks for a table in it
_MIN_FIGURE_ROWS = 2  # lines of a region that hold figures
_JOIN = 6.0  # points: rules this close belong to one table (pdfplumber snaps edges within 3)
_MAX_PATHS = 1000

Box = tuple[float, float, float, float]


def load_pdf(raw: bytes, source: str, doc_id: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    pdf = _open(raw, source)
    try:
        _check_pages(pdf, source, limits)
        page_texts: list[str] = []
        regions: dict[int, list[Box]] = {}
        for index in range(len(pdf)):
            page = _page(pdf, index, source)
            _check_area(page, index, source, limits)
            text, found = _read_page(page)
            page_texts.append(text)
            if found:
                regions[index] = found
        title = _metadata_title(pdf)
        tables = _tables(pdf, regions)
    finally:
        pdf.close()
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


def _check_pages(pdf: pdfium.PdfDocument, source: str, limits: Limits) -> None:
    if len(pdf) > limits.pdf_pages:
        raise LoadError(
            source,
            f"the PDF has {len(pdf):,} pages, over the limit of {limits.pdf_pages:,} "
            "([limits] pdf_pages)",
            "load.too_large",
        )


def _check_area(page: pdfium.PdfPage, index: int, source: str, limits: Limits) -> None:
    width, height = page.get_size()
    if width * height > limits.page_area:
        raise LoadError(
            source,
            f"page {index + 1} measures {width:,.0f} x {height:,.0f} points, over the limit of "
            f"{limits.page_area:,.0f} square points ([limits] page_area)",
            "load.too_large",
        )


def _page(pdf: pdfium.PdfDocument, index: int, source: str) -> pdfium.PdfPage:
    try:
        return pdf[index]
    except pdfium.PdfiumError as exc:
        raise LoadError(
            source, f"page {index + 1} cannot be read ({exc})", "load.pdf_broken"
        ) from exc


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


def _read_page(page: pdfium.PdfPage) -> tuple[str, list[Box]]:
    """The page's text, and the regions of it that hold a table."""
    textpage = page.get_textpage()
    try:
        return _page_text(page, textpage), _table_regions(page, textpage)
    finally:
        textpage.close()


def _page_text(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> str:
    width, height = page.get_size()
    if not _is_two_column(textpage, width, height):
        return str(textpage.get_text_range())
    band_bottom = height * (1 - _HEADER_BAND)
    middle = width / 2
    header = textpage.get_text_bounded(0, band_bottom, width, height)
    left = textpage.get_text_bounded(0, 0, middle, band_bottom)
    right = textpage.get_text_bounded(middle, 0, width, band_bottom)
    return "\n".join(part.strip() for part in (header, left, right) if part.strip())


def _is_two_column(textpage: pdfium.PdfTextPage, width: float, height: float) -> bool:
    """A page is two-column when its body has an empty gutter with text on both sides."""
    top = height * (1 - _HEADER_BAND)
    gutter = textpage.get_text_bounded(width * _GUTTER[0], 0, width * _GUTTER[1], top)
    if gutter.strip():
        return False
    left = textpage.get_text_bounded(0, 0, width * _GUTTER[0], top)
    right = textpage.get_text_bounded(width * _GUTTER[1], 0, width, top)
    return len(left.strip()) > 200 and len(right.strip()) > 200


def _table_regions(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[Box]:
    """Groups of touching ruled lines (at least `_MIN_RULES`) whose text has rows of figures;
    a page drawn with more paths than `_MAX_PATHS` is one region (a chart, or a table of
    hundreds of cells)."""
    rules = _rules(page)
    if len(rules) > _MAX_PATHS:
        left, bottom, right, top = page.get_bbox()
        regions = [((left, bottom, right, top), len(rules))]
    else:
        regions = _touching(rules)
    return [
        box
        for box, count in regions
        if count >= _MIN_RULES and _has_table_shape(textpage.get_text_bounded(*box))
    ]


def _rules(page: pdfium.PdfPage) -> list[tuple[Box, int]]:
    """Each path on the page with a count of 1, and each form holding paths with the number of
    paths it holds (its own bounds stand for them)."""
    found: list[tuple[Box, int]] = []
    forms: dict[int, int] = {}  # index in `found` of the current top-level form -> its paths
    current = -1
    for obj in page.get_objects(max_depth=2):
        if obj.level == 0:
            current = len(found)
            found.append((obj.get_bounds(), 1 if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH else 0))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH and current >= 0:
            forms[current] = forms.get(current, 0) + 1
    for index, paths in forms.items():
        found[index] = (found[index][0], paths)
    return [(box, count) for box, count in found if count]


def _touching(items: list[tuple[Box, int]]) -> list[tuple[Box, int]]:
    """Merge boxes that touch (within `_JOIN` points) into regions, counting their members."""
    regions: list[tuple[Box, int]] = []
    for box, count in items:
        merged = True
        while merged:
            merged = False
            for other in regions:
                if _near(box, other[0]):
                    regions.remove(other)
                    box, count, merged = _union(box, other[0]), count + other[1], True
                    break
        regions.append((box, count))
    return [(_grown(box, _JOIN), count) for box, count in regions]


def _near(a: Box, b: Box) -> bool:
    return not (
        a[2] + _JOIN < b[0] or b[2] + _JOIN < a[0] or a[3] + _JOIN < b[1] or b[3] + _JOIN < a[1]
    )


def _union(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _grown(box: Box, margin: float) -> Box:
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)


def _has_table_shape(text: str) -> bool:
    lines = [line for line in text.splitlines() if _FIGURE.search(line)]
    return len(lines) >= _MIN_FIGURE_ROWS


def _tables(pdf: pdfium.PdfDocument, regions: dict[int, list[Box]]) -> dict[int, str]:
    if not regions:
        return {}
    import pdfplumber  # imported lazily: slow to import, needed only for pages with tables

    found: dict[int, str] = {}
    try:
        with pdfplumber.open(io.BytesIO(_excerpt(pdf, regions))) as plumber:
            for index, page in zip(regions, plumber.pages, strict=True):
                rows = [
                    CELL_SEPARATOR.join(" ".join(str(cell).split()) for cell in row if cell)
                    for table in page.extract_tables()
                    for row in table
                    if any(row)
                ]
                if rows:
                    found[index] = "\n".join(rows)
    except Exception:  # pdfminer trips over hostile page content in many ways (IndexError,
        return found  # PDFSyntaxError, ...): the tables read so far stand, the page text stays
    return found


def _excerpt(pdf: pdfium.PdfDocument, regions: dict[int, list[Box]]) -> bytes:
    """A PDF of the pages that hold table regions (same size and coordinates), each keeping only
    the objects that reach into one of its regions, so pdfplumber parses no running text."""
    excerpt = pdfium.PdfDocument.new()
    try:
        excerpt.import_pages(pdf, list(regions))
        for position, boxes in enumerate(regions.values()):
            page = excerpt[position]
            outside = [
                obj
                for obj in page.get_objects(max_depth=1)
                if not any(_near(obj.get_bounds(), box) for box in boxes)
            ]
            for obj in outside:
                page.remove_obj(obj)
                obj.close()
            page.gen_content()
        buffer = io.BytesIO()
        excerpt.save(buffer)
        return buffer.getvalue()
    finally:
        excerpt.close()
