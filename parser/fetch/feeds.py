"""RSS 2.0 and Atom feeds of IR sites and newswires. The feed is fetched by our own client (so
timeouts and the size cap apply) and parsed with feedparser. Before that, the document as
feedparser will read it (decoded to UTF-8 by feedparser's own rules) is checked over its whole
length: a feed that declares an entity anywhere is refused, so no entity is ever expanded and no
DTD or external entity resolved. Every check is linear in the size of the feed."""

from __future__ import annotations

import re
import xml.sax
from dataclasses import dataclass

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.sax import parseString as defused_parse
from feedparser.encodings import convert_to_utf8

from parser.errors import FetchError
from parser.fetch.http import Response

_FIRST_ELEMENT = re.compile(rb"<\w")  # where feedparser's prolog ends
_WHITESPACE = re.compile(rb"\s+")


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None
    published: str | None


def parse_feed(response: Response) -> list[FeedEntry]:
    body = response.body
    head = body[:2048].lstrip().lower()
    if response.content_type == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        raise FetchError(response.url, "not a feed: the server sent an HTML page")
    parsed = feedparser.parse(_defused(response.url, body))
    if not parsed.entries and (parsed.bozo or not parsed.get("feed")):
        problem = getattr(parsed, "bozo_exception", None) or "no entries"
        raise FetchError(response.url, f"malformed feed ({problem})")
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        date = (
            f"{published.tm_year:04d}-{published.tm_mon:02d}-{published.tm_mday:02d}"
            if published
            else None
        )
        entries.append(FeedEntry(str(link), entry.get("title"), date))
    return entries


def _defused(url: str, body: bytes) -> bytes:
    """The feed as feedparser reads it, refused when it declares entities anywhere.

    Two checks, each over the whole document: defusedxml's expat parser (entity declarations
    forbidden) for a well-formed feed, and a plain search for `<!ENTITY` for the rest, since
    expat stops at a malformed feed's first error while feedparser reads on with its loose
    parser. An external DTD (RSS 0.91's) is allowed but never fetched: xml.sax follows no
    external reference while `feature_external_ges` is off, its default. The prolog's runs of whitespace are folded and more than one DOCTYPE is
    refused, because feedparser's own DOCTYPE and ENTITY patterns take quadratic time there."""
    try:
        text: bytes = convert_to_utf8({}, body, {})
    except (UnicodeError, ValueError, LookupError) as exc:  # a garbled XML declaration
        raise FetchError(url, f"malformed feed (its encoding cannot be read: {exc})") from exc
    if b"<!entity" in text.lower():
        raise FetchError(url, "refused: the feed declares XML entities")
    try:
        defused_parse(text, xml.sax.ContentHandler(), forbid_entities=True, forbid_external=False)
    except DefusedXmlException as exc:
        raise FetchError(url, f"refused: the feed declares XML entities ({exc})") from exc
    except xml.sax.SAXException:
        pass  # not well-formed: feedparser's loose parser reads it
    first = _FIRST_ELEMENT.search(text)
    end = first.start() if first else len(text)
    prolog = _WHITESPACE.sub(b"\n", text[:end])
    if prolog.lower().count(b"<!doctype") > 1:
        raise FetchError(url, "refused: the feed has more than one DOCTYPE")
    return prolog + text[end:]
