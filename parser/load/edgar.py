"""SEC EDGAR shapes: which documents of a filing carry its announcement, full submission `.txt`
files (SGML `<DOCUMENT>` parts), and the 8-K / 6-K cover page.

Document choice lives here alone, for the fetcher (index pages, folder listings) and the loader
(submission parts) alike: the EX-99.x press releases, found by type or by file name; without
one, the primary 8-K / 6-K document, whose cover page the HTML loader removes. Never XBRL
renderings, schemas, agreements, opinions, certifications, consents or graphics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_PRESS_RELEASE_TYPE = re.compile(r"^EX-99(?:\.\d+)*(?:\s|$)", re.I)
# ex99, ex-99, ex991, dex991, ex99-1, ex99_1, exh_991, exhibit99-1, ea191807ex99-1_datchat
_PRESS_RELEASE_NAME = re.compile(
    r"(?:ex|exh|exhibit)[-_.]?99(?!\d{3})|press[-_]?release|news[-_]?release", re.I
)
_OTHER_EXHIBIT_NAME = re.compile(r"(?:ex|exh|exhibit)[-_.]?\d", re.I)
_ANNOUNCEMENT_FORMS = ("8-K", "8-K/A", "6-K", "6-K/A")
_PRIMARY_NAME = re.compile(r"(?:^|[^a-z0-9])[68]-?k(?:a)?(?:[^a-z0-9]|\d|$)|[68]k\.htm", re.I)
_DOCUMENT_SUFFIXES = (".htm", ".html", ".txt", ".pdf")
_NEVER_NAME = re.compile(
    r"^R\d+\.htm$|^FilingSummary|_htm\.xml$|\.xsd$|-xbrl\.zip$|-index(?:-headers)?\.html?$"
    r"|^Financial_Report|^MetaLinks|^\d{10}-\d{2}-\d{6}\.txt$",
    re.I,
)
_NEVER_TYPE = re.compile(
    r"^(?:GRAPHIC|XML|ZIP|EXCEL|JSON|PDF|EX-(?:1|3|4|5|8|10|21|23|24|31|32|101|104)\b)", re.I
)


@dataclass(frozen=True)
class Listed:
    """One document of a filing as an index page, a folder listing or a submission lists it."""

    name: str  # the file name
    type: str = ""  # EDGAR's document type ("EX-99.1", "8-K"), "" when the listing has none
    description: str = ""


def is_press_release(doc: Listed) -> bool:
    if _never(doc):
        return False
    if doc.type:
        return bool(_PRESS_RELEASE_TYPE.match(doc.type.strip()))
    return bool(_PRESS_RELEASE_NAME.search(doc.name))


def is_primary(doc: Listed, form: str | None = None, primary: str | None = None) -> bool:
    """The 8-K / 6-K document itself: the submission's `primaryDocument`, the part whose type
    is the form, or (in a bare folder listing) a file named like one and no exhibit."""
    if _never(doc):
        return False
    if primary:
        return doc.name == primary
    if doc.type:
        return doc.type.strip().upper() in ((form or "").upper(), *_ANNOUNCEMENT_FORMS)
    return bool(_PRIMARY_NAME.search(doc.name)) and not _OTHER_EXHIBIT_NAME.search(doc.name)


def choose(
    docs: Sequence[Listed], form: str | None = None, primary: str | None = None
) -> list[Listed]:
    """The documents that carry a filing's announcement, in listing order."""
    releases = [d for d in docs if is_press_release(d)]
    if releases:
        return releases
    return [d for d in docs if is_primary(d, form, primary)][:1]


def _never(doc: Listed) -> bool:
    name = doc.name.rsplit("/", 1)[-1]
    if not name.lower().endswith(_DOCUMENT_SUFFIXES) or _NEVER_NAME.search(name):
        return True
    return bool(doc.type and _NEVER_TYPE.match(doc.type.strip()))


# --- full submissions (SGML) ---

_SUBMISSION_HEAD = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<SEC-DOCUMENT>|<SEC-HEADER>|<IMS-DOCUMENT>|<DOCUMENT>\s*<TYPE>"
    rb"|-----BEGIN PRIVACY-ENHANCED MESSAGE-----)",
    re.I,
)
_PART = re.compile(rb"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.S | re.I)
_PART_FIELD = re.compile(rb"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*([^\r\n]*)", re.M | re.I)
_TEXT = re.compile(rb"<TEXT>\r?\n?(.*?)(?:</TEXT>|\Z)", re.S | re.I)
_WRAPPER = re.compile(rb"^\s*<(XBRL|XML)>\s*|\s*</(XBRL|XML)>\s*$", re.I)
_HEADER_FIELD = re.compile(rb"^\s*(CONFORMED SUBMISSION TYPE|FILED AS OF DATE|COMPANY CONFORMED NAME"
                           rb"):\s*(.+?)\s*$", re.M)  # fmt: skip


@dataclass(frozen=True)
class Part:
    listed: Listed
    body: bytes


@dataclass(frozen=True)
class Submission:
    parts: tuple[Part, ...]
    form: str | None = None
    filed: str | None = None  # YYYY-MM-DD
    filer: str | None = None  # the first filer's conformed name


def is_submission(raw: bytes) -> bool:
    return bool(_SUBMISSION_HEAD.match(raw[:512]))


def parse_submission(raw: bytes) -> Submission:
    """Split a full submission (or one `<DOCUMENT>` wrapper) into its parts."""
    parts = []
    for match in _PART.finditer(raw):
        block = match.group(1)
        text_at = re.search(rb"<TEXT>", block, re.I)
        head = block[: text_at.start()] if text_at else block
        fields = {k.upper().decode(): _decode(v) for k, v in _PART_FIELD.findall(head)}
        body = _TEXT.search(block)
        content = _WRAPPER.sub(b"", body.group(1)) if body else b""
        listed = Listed(
            fields.get("FILENAME", ""), fields.get("TYPE", ""), fields.get("DESCRIPTION", "")
        )
        parts.append(Part(listed, content))
    header = {
        k.decode(): _decode(v) for k, v in _HEADER_FIELD.findall(raw[: raw.find(b"<DOCUMENT>")])
    }
    filed = header.get("FILED AS OF DATE", "")
    return Submission(
        parts=tuple(parts),
        form=header.get("CONFORMED SUBMISSION TYPE"),
        filed=f"{filed[:4]}-{filed[4:6]}-{filed[6:8]}" if re.fullmatch(r"\d{8}", filed) else None,
        filer=company_name(header["COMPANY CONFORMED NAME"])
        if header.get("COMPANY CONFORMED NAME")
        else None,
    )


def chosen_part(submission: Submission) -> Part | None:
    """The part that carries the announcement: the first EX-99.x, else the 8-K / 6-K itself;
    a lone `<DOCUMENT>` wrapper (how some exhibits are served) is its own announcement."""
    if len(submission.parts) == 1 and submission.parts[0].body.strip():
        return submission.parts[0]
    picked = choose([p.listed for p in submission.parts], submission.form)
    return next((p for p in submission.parts if picked and p.listed == picked[0]), None)


def _decode(value: bytes) -> str:
    return value.decode("utf-8", errors="replace").strip()


# --- the 8-K / 6-K cover page ---

_COVER = re.compile(r"SECURITIES\s+AND\s+EXCHANGE\s+COMMISSION", re.I)
_COVER_FORM = re.compile(r"\bFORM\s+(?:8-K|6-K)\b", re.I)
_REGISTRANT_NOTE = re.compile(
    r"^\(?\s*(?:Exact name of (?:the )?registrant as specified in (?:its|their) charter"
    r"|Translation of registrant.s name into English)",
    re.I,
)
_ITEM_HEADING = re.compile(r"^[ \t]*Item[ \t]+\d{1,2}\.\d{2}\b.*$", re.I | re.M)
# A 6-K has no Items: its cover ends with the "Form 20-F / Form 40-F" check boxes (and, in older
# ones, the Rule 12g3-2(b) question and its "82-" file number).
_FOREIGN_CHECKS = re.compile(
    r"^.*(?:\bForm\s+40-F\b|Rule\s+12g3-2\(b\)|\b82-\s*_*\s*$).*$", re.I | re.M
)
_COVER_CHARS = 12000


@dataclass(frozen=True)
class Cover:
    start: int  # where the report proper begins: its first "Item" heading
    registrant: str | None
    heading: str | None  # that first heading, e.g. "Item 8.01 Other Events"


def find_cover(text: str) -> Cover | None:
    """The cover page of an 8-K / 6-K text: the registrant's exact name and where the first
    "Item" heading begins; None for texts that are not a report with a cover page."""
    head = text[:_COVER_CHARS]
    cover = _COVER.search(head)
    if not cover or not _COVER_FORM.search(head):
        return None
    item = _ITEM_HEADING.search(text, cover.end())
    registrant = _registrant(text[: item.start() if item else _COVER_CHARS])
    if item is None:
        checks = list(_FOREIGN_CHECKS.finditer(head, cover.end()))
        start = len(text) - len(text[checks[-1].end() :].lstrip()) if checks else 0
        return Cover(start, registrant, None) if registrant or start else None
    heading = " ".join(item.group(0).replace(" | ", " ").split())
    return Cover(item.start(), registrant, heading)


def _registrant(cover: str) -> str | None:
    lines = [line.strip() for line in cover.splitlines()]
    for index, line in enumerate(lines):
        if _REGISTRANT_NOTE.match(line):
            before = [x for x in lines[:index] if x]
            return company_name(before[-1]) if before else None
    return None


def company_name(name: str) -> str:
    """A registrant's name as people write it: EDGAR's state tag dropped ("1895 Bancorp of
    Wisconsin, Inc. /MD/"), capitals softened ("THE BUCKLE, INC." -> "The Buckle, Inc.");
    names already in mixed case stay as written."""
    name = " ".join(_STATE_TAG.sub("", name).split())
    if name != name.upper():
        return name
    words = []
    for index, word in enumerate(name.split()):
        if word in _SMALL_WORDS and index:
            words.append(word.lower())
        elif len(word) <= 3 and word.isalpha() and word not in _SMALL_WORDS:
            words.append(word)  # an acronym: "ABC", "USA"
        else:
            words.append(word.capitalize())
    return " ".join(words)


_SMALL_WORDS = {"THE", "AND", "OF", "FOR", "&"}
_STATE_TAG = re.compile(r"(?<!\s)\s++/[A-Z]{2,3}/?\s*$")  # from a run's start only: linear
