"""Sniffing before loading: a byte-order mark is decoded before the content is looked at, and a
PDF header anywhere in the first 1,024 bytes makes a PDF (as PDF readers allow)."""

from __future__ import annotations

import codecs

import pytest

from parser.errors import LoadError
from parser.load import load_bytes, sniff_media_type
from tests.conftest import CORPUS

BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
]
SENTENCE = "Acme Mining mined 12 BTC in May 2025."


@pytest.mark.parametrize(("bom", "codec"), BOMS, ids=[codec for _, codec in BOMS])
def test_html_behind_any_byte_order_mark_is_read_as_html(bom: bytes, codec: str) -> None:
    raw = bom + f"<html><body><p>{SENTENCE}</p></body></html>".encode(codec)
    assert sniff_media_type(raw) == "text/html"
    document = load_bytes(raw, "release.html")
    assert document.text.strip() == SENTENCE


@pytest.mark.parametrize(("bom", "codec"), BOMS, ids=[codec for _, codec in BOMS])
def test_text_behind_any_byte_order_mark_is_decoded(bom: bytes, codec: str) -> None:
    raw = bom + f"{SENTENCE}\n".encode(codec)
    assert sniff_media_type(raw) == "text/plain"
    assert load_bytes(raw, "release.txt").text.strip("\ufeff\n") == SENTENCE


def _pdf() -> bytes:
    return next(p for p in sorted(CORPUS.glob("*/raw.pdf"))).read_bytes()


def test_a_pdf_after_junk_within_1024_bytes_is_a_pdf() -> None:
    pdf = _pdf()
    junk = (b"X-Mailer: relay\r\n\x00\x01\x02 " * 60)[:1000]
    document = load_bytes(junk + pdf, "letter.txt")
    assert document.media_type == "application/pdf"
    assert document.text == load_bytes(pdf, "letter.pdf").text


def test_a_pdf_header_past_1024_bytes_is_not_a_pdf() -> None:
    junk = b"\x00\x01" * 600
    assert b"%PDF-" not in junk
    with pytest.raises(LoadError) as raised:
        load_bytes(junk + _pdf(), "letter.bin")
    assert raised.value.code == "load.binary"
