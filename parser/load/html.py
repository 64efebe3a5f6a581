"""HTML press releases, IR pages and filing exhibits -> clean text.

Page chrome (scripts, menus, headers, footers, cookie banners) is dropped, paragraphs and list
items stay on their own lines, and each table row becomes one line with ` | ` between cells so a
production table (`Bitcoin mined | 705 | 650`) stays readable to the extractors.

beautifulsoup4 detects the encoding (`UnicodeDammit`: byte-order marks, declared charsets, then
UTF-8 and windows-1252) and parses the rare markup lxml's parser gives up on (an empty document
after comments or a stray declaration). lxml parses everything else and carries the heavy work:
one pass marks the chrome to skip (no element is removed), and iterative walks flatten text
and tables.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import lxml.html  # type: ignore[import-untyped]
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.dammit import UnicodeDammit
from lxml import etree
from lxml.html import HtmlElement

from parser.errors import LoadError
from parser.load.edgar import find_cover
from parser.load.meta import guess_published
from parser.load.text import bom_encoding, clean_text, decode_text
from parser.normalize import parse_date
from parser.types import Document

_DROP_TAGS = {
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "button",
    "select", "input", "head", "ix:header",  # an inline-XBRL header: hidden facts, not text
}  # fmt: skip
# Page headers and footers go, except inside the article (where a header holds its headline).
_PAGE_CHROME_TAGS = {"header", "footer"}
# Whole words of class/id/role values that mark page chrome ("share-buttons" but not
# "shareholder-letter").
_CHROME_WORDS = {
    "cookie", "cookies", "consent", "gdpr", "newsletter", "subscribe", "subscription", "social",
    "share", "sharing", "breadcrumb", "breadcrumbs", "related", "comments", "comment", "sidebar",
    "menu", "navbar", "nav", "navigation", "advert", "advertisement", "ads", "ad", "promo",
    "popup", "modal", "banner", "skip", "footer", "masthead",
}  # fmt: skip
_WORDS = re.compile(r"[a-z]+")
_BLOCKS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "blockquote", "pre", "address", "figure", "figcaption", "dl", "dt", "dd", "center", "body",
    "hr", "caption",
}  # fmt: skip
# Titles that name the file, not the news: "ex99-1.htm", "EX-99.1", "bke-20241122", "d83620d8k",
# Workiva's "Document".
_FILE_LIKE_TITLE = re.compile(
    r"^(?:ex[-_ ]?\d|[\w.-]+\.html?$|8-K$|6-K$|10-[KQ]$|form\s|[a-z]{1,6}-?\d{8}(?:x?\w{0,4})?$"
    r"|d\d+d?\w{0,4}$|document$|untitled|new document|$)",
    re.I,
)
_SEC_BOILERPLATE = re.compile(
    r"SECURITIES AND EXCHANGE COMMISSION|^FORM \d|CURRENT REPORT|^Item \d|PURSUANT TO|"
    r"^Exhibit\b|^For Immediate Release|^Contacts?\b|^(?:Media|Investor)s?\b",
    re.I,
)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
# Text inside these is not page text (bs4 keeps it apart from ordinary strings too).
_STRING_CONTAINERS = ("script", "style", "template", "rt", "rp")
_MARKS = {"li": ("\n• ", "\n"), "td": ("", " | "), "th": ("", " | "), "tr": ("\n", "\n")}
_HEADLINE_WORDS = 40
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
CELL_SEPARATOR = " | "


def load_html(raw: bytes, source: str, doc_id: str) -> Document:
    markup = _decode(raw, source)
    root = _parse(markup, source)
    page = _Page(root)
    title = _title(page)
    published = _published(page)
    body = next(root.iter("body"), root)
    text = _render(body, page)
    published = published or guess_published(text)
    cover = find_cover(text)
    if cover:  # an 8-K / 6-K body: the report proper starts at its first Item heading
        text = text[cover.start :]
        title = cover.heading or title
    return Document(
        id=doc_id,
        source=source,
        media_type="text/html",
        text=text,
        title=title,
        published=published,
        issuer=cover.registrant if cover else None,
    )


def _decode(raw: bytes, source: str) -> str:
    if bom_encoding(raw):  # UTF-16 and UTF-32 markup, which charset sniffing misreads
        return decode_text(raw).lstrip("\ufeff")
    dammit = UnicodeDammit(raw, ["utf-8", "windows-1252"], is_html=True)
    if dammit.unicode_markup is None:
        raise LoadError(source, "cannot decode the HTML in any known charset", "load.charset")
    return str(dammit.unicode_markup)


def _parse(markup: str, source: str) -> HtmlElement:
    """lxml's HTML parser on the decoded text (re-encoded as UTF-8, so a declared charset or an
    XML declaration cannot mislead it); bs4's own parser for markup lxml finds empty."""
    data = markup.encode("utf-8", "replace")
    parser = _parser()
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(markup, "html.parser")
        wrapped = f"<html><body>{soup.decode()}</body></html>".encode("utf-8", "replace")
        return lxml.html.document_fromstring(wrapped, parser=_parser())
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise LoadError(source, "the HTML nests elements deeper than 256 levels", "load.too_large")
    return root


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8")  # one per call: lxml parsers are not shared


class _Page:
    """What the walks need to know of a parsed page: the chrome to skip (elements whose whole
    subtree is left out) and, as bs4 sorts strings, the kind of every string: page text, or the
    text of the innermost script, style, template, rt or rp around it."""

    def __init__(self, root: HtmlElement) -> None:
        self.root = root
        body = next(root.iter("body"), root)
        self.skipped = {el for el in body.iter() if isinstance(el.tag, str) and _is_chrome(el)}
        self.kinds = {
            inner: box.tag for box in root.iter(*_STRING_CONTAINERS) for inner in box.iter()
        }

    def text_of(self, element: HtmlElement, kind: str = "") -> str | None:
        return _str(element.text) if self.kinds.get(element, "") == kind else None

    def tail_of(self, element: HtmlElement, kind: str = "") -> str | None:
        around = self.kinds.get(element.getparent(), "") if self.kinds else ""
        return _str(element.tail) if around == kind else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _is_chrome(element: HtmlElement) -> bool:
    """Dropped tags; page headers and footers outside the article; any element but the body,
    main and article whose class, id or role holds a chrome word."""
    tag = element.tag
    if tag in _DROP_TAGS:
        return True
    if tag in _PAGE_CHROME_TAGS and next(element.iterancestors("article", "main"), None) is None:
        return True
    if tag in ("body", "main", "article"):
        return False
    marker = " ".join(
        (element.get("class") or "", element.get("id") or "", element.get("role") or "")
    ).lower()
    return bool(marker.strip()) and not _CHROME_WORDS.isdisjoint(_WORDS.findall(marker))


def _strings(element: HtmlElement, page: _Page) -> Iterator[str]:
    """The strings inside `element` in document order that bs4's `get_text` gives: those of its
    own kind (comments and processing instructions have none, but what follows them has)."""
    kind = element.tag if element.tag in _STRING_CONTAINERS else ""
    pending: list[HtmlElement | str | None] = list(reversed(element))
    pending.append(page.text_of(element, kind))
    while pending:
        item = pending.pop()
        if item is None or isinstance(item, str):
            if item:
                yield item
            continue
        pending.append(page.tail_of(item, kind))
        if isinstance(item.tag, str):
            pending.extend(reversed(item))
            pending.append(page.text_of(item, kind))


def _get_text(element: HtmlElement, page: _Page, separator: str = " ") -> str:
    """bs4's `get_text(separator, strip=True)`."""
    return separator.join(s.strip() for s in _strings(element, page) if s.strip())


def _title(page: _Page) -> str | None:
    """og:title, the h1 or <title>; SEC exhibits title themselves "ex99-1.htm", "EX-99.1" or
    "Document", so then the first bold line of five words or more is the headline (a file name
    is never a title)."""
    root = page.root
    og = next((m for m in root.iter("meta") if m.get("property") == "og:title"), None)
    for element in (og, next(root.iter("h1"), None), next(root.iter("title"), None)):
        if element is None:
            continue
        value = element.get("content") if element.tag == "meta" else _get_text(element, page)
        if value is not None and not _FILE_LIKE_TITLE.match(value.strip()):
            return _SPACES.sub(" ", value.strip())
    for element in root.iter():
        if isinstance(element.tag, str) and _is_bold(element):
            text = " ".join(_get_text(element, page).split())
            if 5 <= len(text.split()) <= _HEADLINE_WORDS and not _SEC_BOILERPLATE.search(text):
                return text
    return None


def _is_bold(element: HtmlElement) -> bool:
    """<b>, <strong>, or an inline style of weight 600 and more (how Workiva and other filing
    agents set a headline)."""
    return element.tag in ("b", "strong") or bool(_BOLD_STYLE.search(element.get("style") or ""))


_DATE_METAS = (
    ("property", "article:published_time"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "DC.date.issued"),
    ("itemprop", "datePublished"),
)


def _published(page: _Page) -> str | None:
    metas = list(page.root.iter("meta"))
    candidates: list[str] = []
    for key, value in _DATE_METAS:
        meta = next((m for m in metas if m.get(key) == value), None)
        if meta is not None and meta.get("content") is not None:
            candidates.append(str(meta.get("content")))
    for time_tag in page.root.iter("time"):
        candidates.append(str(time_tag.get("datetime") or _get_text(time_tag, page, "")))
    for value in candidates:
        date = parse_date(value)
        if date:
            return date
    return None


def _render(root: HtmlElement, page: _Page) -> str:
    out: list[str] = []
    _walk(root, page, out)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return clean_text(text) + "\n"


def _walk(node: HtmlElement, page: _Page, out: list[str]) -> None:
    """Flatten what is inside `node` into `out`, iteratively: each element opens with its mark
    and its text, then its children, then its closing mark and its tail."""
    text = page.text_of(node)
    if text:
        out.append(text.replace("\n", " "))
    pending: list[HtmlElement | str] = list(reversed(node))
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        tail = page.tail_of(item)
        if tail:
            pending.append(tail.replace("\n", " "))
        tag = item.tag
        if not isinstance(tag, str) or item in page.skipped:
            continue  # a comment, a processing instruction, or chrome: only its tail is text
        if tag == "br":
            out.append("\n")
        elif tag == "table":
            out.append("\n\n" + _table_text(item, page) + "\n\n")
        else:
            opening, closing = _MARKS.get(tag) or (("\n\n", "\n\n") if tag in _BLOCKS else ("", ""))
            out.append(opening)
            pending.append(closing)
            if (inner := page.text_of(item)) is not None:
                out.append(inner.replace("\n", " "))
            pending.extend(reversed(item))


def _table_text(table: HtmlElement, page: _Page) -> str:
    """One line per row, cells joined by ` | `; empty cells (layout padding) are skipped."""
    rows: list[str] = []
    for row in table.iter("tr"):
        if not _row_of(row, table, page):
            continue
        cells = []
        for cell in row:
            if cell.tag not in ("td", "th") or cell in page.skipped:
                continue
            parts: list[str] = []
            _walk(cell, page, parts)
            value = _SPACES.sub(" ", " ".join("".join(parts).split())).strip()
            if value and value not in ("$", "%", ")"):
                cells.append(value)
        if cells:
            rows.append(CELL_SEPARATOR.join(cells))
    return "\n".join(rows)


def _row_of(row: HtmlElement, table: HtmlElement, page: _Page) -> bool:
    """Whether `row` belongs to `table` itself (not to a table inside it) and is not chrome."""
    if row in page.skipped:
        return False
    for ancestor in row.iterancestors():
        if ancestor is table:
            return True
        if ancestor in page.skipped or ancestor.tag == "table":
            return False
    return False
