"""EDGAR full submissions (`<accession>.txt`) and exhibits served inside one `<DOCUMENT>`
wrapper: the part that carries the announcement is loaded (HTML or text) and the rest (SGML
header, XBRL, graphics, other exhibits) is left out. Offsets index the loaded part's text."""

from __future__ import annotations

import dataclasses

from parser.errors import LoadError
from parser.load.edgar import chosen_part, parse_submission
from parser.load.html import load_html
from parser.load.text import load_text
from parser.types import Document

MEDIA_TYPE = "application/x-edgar-submission"
_HTML_HEAD = (b"<html", b"<?xml", b"<!doctype html", b"<body", b"<div", b"<p", b"<table")


def load_submission(raw: bytes, source: str, doc_id: str) -> Document:
    submission = parse_submission(raw)
    part = chosen_part(submission)
    if part is None or not part.body.strip():
        raise LoadError(source, "the submission holds no announcement document", "load.empty")
    head = part.body[:4096].lstrip().lower()
    is_html = head.startswith(_HTML_HEAD) or part.listed.name.lower().endswith((".htm", ".html"))
    document = (load_html if is_html else load_text)(part.body, source, doc_id)
    return dataclasses.replace(
        document,
        published=document.published or submission.filed,
        issuer=document.issuer or submission.filer,
    )
