"""HTML press releases, IR pages and filing exhibits -> clean text.

Page chrome (scripts, menus, headers, footers, cookie banners) is dropped, paragraphs and list
items stay on their own lines, and each table row becomes one line with ` | ` between cells so a
production table (`Bitcoin mined | 705 | 650`) stays readable to the extractors.
"""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from bs4.dammit import UnicodeDammit
from bs4.element import NavigableString, Tag

from parser.errors import LoadError
from parser.load.edgar import find_cover
from parser.load.meta import guess_published
from parser.load.text import clean_text
from parser.normalize import parse_date
from parser.types import Document

_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "button",
    "select", "input", "head",
)  # fmt: skip
# Page headers and footers go, except inside the article (where a header holds its headline).
_PAGE_CHROME_TAGS = ("header", "footer")
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
_INLINE_XBRL_HEADER = ("ix:header",)
_HEADLINE_WORDS = 40
_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
CELL_SEPARATOR = " | "


def load_html(raw: bytes, source: str, doc_id: str) -> Document:
    markup = _decode(raw, source)
    with warnings.catch_warnings():  # inline XBRL filings open with <?xml ...?>: still HTML
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "lxml")
    title = _title(soup)
    published = _published(soup)
    body = soup.body or soup
    _drop_chrome(body)
    text = _render(body)
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
    dammit = UnicodeDammit(raw, ["utf-8", "windows-1252"], is_html=True)
    if dammit.unicode_markup is None:
        raise LoadError(source, "cannot decode the HTML in any known charset", "load.charset")
    return str(dammit.unicode_markup)


def _title(soup: BeautifulSoup) -> str | None:
    """og:title, the h1 or <title>; SEC exhibits title themselves "ex99-1.htm", "EX-99.1" or
    "Document", so then the first bold line of five words or more is the headline (a file name
    is never a title)."""
    for tag in (
        soup.find("meta", attrs={"property": "og:title"}),
        soup.find("h1"),
        soup.find("title"),
    ):
        if isinstance(tag, Tag):
            value = tag.get("content") if tag.name == "meta" else tag.get_text(" ", strip=True)
            if isinstance(value, str) and not _FILE_LIKE_TITLE.match(value.strip()):
                return _SPACES.sub(" ", value.strip())
    for bold in soup.find_all(_is_bold):
        text = " ".join(bold.get_text(" ", strip=True).split())
        if 5 <= len(text.split()) <= _HEADLINE_WORDS and not _SEC_BOILERPLATE.search(text):
            return text
    return None


def _is_bold(tag: Tag) -> bool:
    """<b>, <strong>, or an inline style of weight 600 and more (how Workiva and other filing
    agents set a headline)."""
    return tag.name in ("b", "strong") or bool(_BOLD_STYLE.search(str(tag.get("style") or "")))


def _published(soup: BeautifulSoup) -> str | None:
    candidates: list[str] = []
    for key, value in (
        ("property", "article:published_time"),
        ("name", "date"),
        ("name", "dc.date"),
        ("name", "DC.date.issued"),
        ("itemprop", "datePublished"),
    ):
        tag = soup.find("meta", attrs={key: value})
        if isinstance(tag, Tag) and isinstance(tag.get("content"), str):
            candidates.append(str(tag["content"]))
    for time_tag in soup.find_all("time"):
        if isinstance(time_tag, Tag):
            candidates.append(str(time_tag.get("datetime") or time_tag.get_text(strip=True)))
    for value in candidates:
        date = parse_date(value)
        if date:
            return date
    return None


def _drop_chrome(root: Tag) -> None:
    for tag in root.find_all(_DROP_TAGS + _INLINE_XBRL_HEADER):
        tag.decompose()
    for tag in root.find_all(_PAGE_CHROME_TAGS):
        if not tag.decomposed and tag.find_parent(("article", "main")) is None:
            tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed or tag.name in ("body", "main", "article"):
            continue
        classes: list[str] = list(tag.get("class") or [])
        marker = " ".join([*classes, str(tag.get("id", "")), str(tag.get("role", ""))]).lower()
        if _CHROME_WORDS.intersection(_WORDS.findall(marker)):
            tag.decompose()


def _render(root: Tag) -> str:
    out: list[str] = []
    _walk(root, out)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return clean_text(text) + "\n"


def _walk(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # skip comments, CDATA, doctype
                out.append(str(child).replace("\n", " "))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            out.append("\n")
        elif name == "table":
            out.append("\n\n" + _table_text(child) + "\n\n")
        elif name == "li":
            out.append("\n• ")
            _walk(child, out)
            out.append("\n")
        elif name in ("td", "th"):
            _walk(child, out)
            out.append(CELL_SEPARATOR)
        elif name == "tr":
            out.append("\n")
            _walk(child, out)
            out.append("\n")
        elif name in _BLOCKS:
            out.append("\n\n")
            _walk(child, out)
            out.append("\n\n")
        else:
            _walk(child, out)


def _table_text(table: Tag) -> str:
    """One line per row, cells joined by ` | `; empty cells (layout padding) are skipped."""
    rows: list[str] = []
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue
        cells = []
        for cell in row.find_all(["td", "th"], recursive=False):
            parts: list[str] = []
            _walk(cell, parts)
            value = _SPACES.sub(" ", " ".join("".join(parts).split())).strip()
            if value and value not in ("$", "%", ")"):
                cells.append(value)
        if cells:
            rows.append(CELL_SEPARATOR.join(cells))
    return "\n".join(rows)
