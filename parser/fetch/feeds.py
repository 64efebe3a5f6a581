"""RSS 2.0 and Atom feeds of IR sites and newswires. The feed is fetched by our own client (so
timeouts and the size cap apply) and parsed with feedparser; a feed that declares entities is
refused outright, so no DTD or external entity is ever resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass

import feedparser

from parser.errors import FetchError
from parser.fetch.http import Response

_ENTITY_DECLARATION = re.compile(rb"<!DOCTYPE[^>]*\[|<!ENTITY", re.I)


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
    if _ENTITY_DECLARATION.search(body[:65536]):
        raise FetchError(response.url, "refused: the feed declares XML entities")
    parsed = feedparser.parse(body)
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
