"""Loaders: format sniffing, HTML cleaning and tables, charsets, PDF pages and columns, errors."""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import Any

import pytest

from parser import LoadError, load_bytes, load_path
from parser.load import sniff_media_type
from tests.conftest import CORPUS

IR_PAGE = CORPUS / "cleanspark-ir-monthly-update" / "raw.html"
TWO_COLUMN_PDF = CORPUS / "hive-shareholder-letter-pdf" / "raw.pdf"


@pytest.mark.parametrize(
    ("raw", "media_type"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"  \n%PDF-1.4", "application/pdf"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "text/html"),
        (b"\xef\xbb\xbf<html><body>x</body></html>", "text/html"),
        (b"<div class='release'><p>Riot mined 450 BTC.</p></div>", "text/html"),
        (b"Riot mined 450 BTC in June <b>and</b> more.", "text/plain"),
        (b"# Heading\n\nMARA produced **713 BTC**.", "text/plain"),
    ],
)
def test_sniffing_reads_content_not_names(raw: bytes, media_type: str) -> None:
    assert sniff_media_type(raw) == media_type


def test_html_named_txt_is_loaded_as_html(tmp_path: Path) -> None:
    path = tmp_path / "release.txt"
    path.write_bytes(IR_PAGE.read_bytes())
    assert load_path(path).media_type == "text/html"


def test_ir_page_drops_chrome_and_keeps_content() -> None:
    document = load_path(IR_PAGE)
    assert "cookies" not in document.text
    assert "Privacy Policy" not in document.text
    assert "Share on X" not in document.text
    assert "Related news" not in document.text
    assert "dataLayer" not in document.text
    assert "• Bitcoin mined in October: 612 BTC" in document.text
    assert document.title == "CleanSpark Releases October 2025 Bitcoin Mining Update"
    assert document.published == "2025-11-04"


def test_html_tables_flatten_row_by_row() -> None:
    text = load_path(IR_PAGE).text
    assert "Metric | October 2025 | September 2025" in text
    assert "Bitcoin mined | 612 | 629" in text


def test_layout_padding_cells_are_skipped() -> None:
    text = load_path(CORPUS / "riot-8k-exhibit-production" / "raw.htm").text
    assert "Bitcoin Produced | 445 | 477 | (7)%" in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "<html><head><meta charset='windows-1252'></head><body><p>Caf\u00e9 \u2013 HIVE</p></body></html>".encode(
                "cp1252"
            ),
            "Café – HIVE",
        ),
        (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body><p>Montr\u00e9al</p></body></html>'.encode(
                "latin-1"
            ),
            "Montréal",
        ),
        (codecs.BOM_UTF8 + "<html><body><p>₿ 1,000</p></body></html>".encode(), "₿ 1,000"),
    ],
)
def test_html_charsets(raw: bytes, expected: str) -> None:
    assert expected in load_bytes(raw).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"Riot mined 450 BTC\r\nin June.", "Riot mined 450 BTC\nin June."),
        (
            codecs.BOM_UTF16_LE + "Riot held 19,287 BTC.".encode("utf-16-le"),
            "Riot held 19,287 BTC.",
        ),
        ("Montréal – 450 BTC".encode("cp1252"), "Montréal – 450 BTC"),
    ],
)
def test_text_decoding(raw: bytes, expected: str) -> None:
    assert load_bytes(raw).text == expected


def test_pdf_two_column_reads_left_column_before_right() -> None:
    document = load_path(TWO_COLUMN_PDF)
    left = document.text.index("Dear fellow shareholders")
    right = document.text.index("Thank you for your continued support")
    assert left < right
    assert "HIVE held 512 BTC on its" in document.text


def test_pdf_keeps_page_of_every_offset() -> None:
    document = load_path(TWO_COLUMN_PDF)
    assert [span.page for span in document.pages] == [1, 2]
    table_row = document.text.index("Bitcoin mined | 865 | 742")
    assert document.page_at(table_row) == 2
    assert document.page_at(document.text.index("Dear fellow")) == 1


def test_pdf_evidence_carries_page() -> None:
    from parser import extract

    facts = extract(TWO_COLUMN_PDF).facts
    held = next(f for f in facts if f.type == "btc_holdings" and f.fields["value"] == 512)
    assert {e.page for e in held.evidence} == {1, 2}
    for evidence in held.evidence:
        assert evidence.text == extract(TWO_COLUMN_PDF).document.text[evidence.start : evidence.end]


def test_pdf_title_from_metadata() -> None:
    assert (
        load_path(TWO_COLUMN_PDF).title
        == "HIVE Digital Technologies - Letter to Shareholders, Q3 Fiscal 2026"
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "load.empty"),
        (b"   \n\n ", "load.empty"),
        (b"%PDF-1.7\nthis is not really a pdf", "load.pdf_broken"),
        (b"\x00\x01\x02\x03binary\x00junk", "load.binary"),
    ],
)
def test_bad_input_raises_named_errors(raw: bytes, code: str) -> None:
    with pytest.raises(LoadError) as info:
        load_bytes(raw, "inbox/broken.bin")
    assert info.value.code == code
    assert "inbox/broken.bin" in str(info.value)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        load_path(tmp_path / "nope.html")
    assert info.value.code == "load.io"
    assert "nope.html" in str(info.value)


def test_document_id_is_sha256_of_raw_bytes() -> None:
    import hashlib

    raw = IR_PAGE.read_bytes()
    assert load_bytes(raw).id == hashlib.sha256(raw).hexdigest()


def test_chrome_is_matched_by_whole_words_and_article_headers_stay() -> None:
    html = (
        b"<html><body><header class='site'>Site menu</header><main><article>"
        b"<header><h1>Riot mined 450 BTC</h1></header>"
        b"<div class='shareholder-letter'><p>Dear shareholders, we mined 450 BTC.</p></div>"
        b"<div class='share-buttons'>Share on X</div><div id='cookie-banner'>Cookies?</div>"
        b"</article></main><footer>Copyright</footer></body></html>"
    )
    text = load_bytes(html).text
    assert "Riot mined 450 BTC" in text and "Dear shareholders" in text
    for chrome in ("Site menu", "Share on X", "Cookies?", "Copyright"):
        assert chrome not in text


def test_encrypted_pdf_is_named(tmp_path: Path) -> None:
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret"))
    pdf.drawString(100, 700, "Riot mined 450 BTC")
    pdf.showPage()
    pdf.save()
    with pytest.raises(LoadError) as info:
        load_bytes(buffer.getvalue(), "inbox/locked.pdf")
    assert info.value.code == "load.pdf_encrypted" and "inbox/locked.pdf" in str(info.value)


def _ruled_table(pdf: Any, left: float, top: float, rows: list[list[str]]) -> None:
    for row, cells in enumerate(rows):
        for column, cell in enumerate(cells):
            x, y = left + column * 110, top - row * 18
            pdf.rect(x, y, 110, 18)
            pdf.drawString(x + 4, y + 5, cell)


def test_pdf_tables_are_read_from_their_regions_only() -> None:
    """Two ruled tables on one page, running text with figures between them, a ruled box of
    prose below: both tables come out row by row, in page order; the box and the prose do not."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=LETTER)
    pdf.setFont("Helvetica", 10)
    _ruled_table(
        pdf, 54, 720, [["Fleet", "June 2025", "May 2025"], ["Hashrate EH/s", "31.2", "29.8"]]
    )
    for line in range(8):
        pdf.drawString(
            54, 640 - line * 14, f"In week {line + 1} the site ran 14 of 20 containers at 96%."
        )
    _ruled_table(pdf, 54, 480, [["Treasury", "BTC"], ["Held on June 30", "6,012"], ["Sold", "120"]])
    pdf.rect(54, 200, 400, 60)
    pdf.drawString(60, 240, "Note: figures 1 to 3 are unaudited and may change.")
    pdf.showPage()
    pdf.save()
    text = load_bytes(buffer.getvalue(), "letter.pdf").text
    rows = [line for line in text.splitlines() if " | " in line]
    assert rows == [
        "Fleet | June 2025 | May 2025",
        "Hashrate EH/s | 31.2 | 29.8",
        "Treasury | BTC",
        "Held on June 30 | 6,012",
        "Sold | 120",
    ]
