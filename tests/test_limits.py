"""Caps on one document (`[limits]`): past one, the document fails with `load.too_large`
naming the limit, and the batch goes on."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from parser.cli import app
from parser.errors import LoadError
from parser.load import load_bytes
from parser.store import Store
from parser.types import DEFAULT_LIMITS, Limits
from tests.conftest import CORPUS


def _blank_pdf(*sizes: tuple[float, float]) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for width, height in sizes:
        pdf.new_page(width, height)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()


def _too_large(raw: bytes, limits: Limits) -> str:
    with pytest.raises(LoadError) as raised:
        load_bytes(raw, "doc", limits=limits)
    assert raised.value.code == "load.too_large"
    return str(raised.value)


def test_a_text_past_the_character_cap() -> None:
    raw = ("Hut 8 mined 100 BTC in May 2025.\n" * 40).encode()
    message = _too_large(raw, Limits(text_chars=1000))
    assert "text_chars" in message and "1,000" in message
    assert load_bytes(raw, "doc", limits=Limits(text_chars=len(raw))).text


def test_a_pdf_past_the_page_cap() -> None:
    message = _too_large(_blank_pdf(*[(612, 792)] * 3), Limits(pdf_pages=2))
    assert "3 pages" in message and "pdf_pages" in message


def test_a_pdf_page_past_the_area_cap_with_the_defaults() -> None:
    message = _too_large(_blank_pdf((612, 792), (14_000, 14_000)), DEFAULT_LIMITS)
    assert "page 2" in message and "page_area" in message


def test_the_caps_come_from_the_sources_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for slug in ("semler-purchase-markdown", "riot-8k-exhibit-production"):
        raw = next((CORPUS / slug).glob("raw.*"))
        shutil.copy(raw, docs / f"{slug}{raw.suffix}")
    small = min(len(p.read_bytes()) for p in docs.iterdir())
    sources = tmp_path / "sources.toml"
    sources.write_text(f'folders = ["{docs}"]\n[limits]\ntext_chars = {small + 1}\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", "--config", str(sources), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "load.too_large" in result.stderr and "text_chars" in result.stderr
    with Store(out / "disclosures.sqlite") as store:
        sources_with_facts = {f.source for f in store.facts()}
    assert any("semler" in source for source in sources_with_facts)
