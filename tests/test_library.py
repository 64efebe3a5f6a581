"""The library API: `from parser import extract` on paths, bytes and text; dedupe; evidence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parser import Extraction, LoadError, extract, extract_many
from parser.output import validate
from tests.conftest import CORPUS, ROOT

SEMLER = CORPUS / "semler-purchase-markdown" / "raw.md"


def test_extract_accepts_path_bytes_and_text() -> None:
    from_path = extract(SEMLER)
    from_bytes = extract(SEMLER.read_bytes())
    from_text = extract(SEMLER.read_text(encoding="utf-8"))
    assert isinstance(from_path, Extraction)
    assert from_path.document.id == from_bytes.document.id == from_text.document.id
    assert from_path.document.source.endswith("raw.md") and from_text.document.source == "<text>"
    summary = {(f.type, f.fields["value"]) for f in from_path.facts}
    assert summary == {(f.type, f.fields["value"]) for f in from_bytes.facts}
    assert summary == {(f.type, f.fields["value"]) for f in from_text.facts}


def test_extract_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        extract(42)  # type: ignore[arg-type]


def test_extract_raises_load_error_on_broken_input() -> None:
    with pytest.raises(LoadError):
        extract(b"%PDF-1.4 broken")


def test_extract_many_reports_and_continues(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-garbage")
    (tmp_path / "good.md").write_bytes(SEMLER.read_bytes())
    results = list(extract_many([tmp_path]))
    assert [bool(r.errors) for r in results] == [True, False]
    assert results[0].errors[0].code == "load.pdf_broken"
    assert results[0].errors[0].stage == "load"


def test_worker_pool_keeps_input_order_across_chunks(tmp_path: Path) -> None:
    """More files than one chunk per worker, a broken one among them: the pool's results are
    the single process's, in the same order."""
    sources = sorted(p for p in CORPUS.glob("*/raw.*") if p.suffix in (".md", ".txt"))
    for index in range(45):
        source = sources[index % len(sources)]
        (tmp_path / f"{index:03d}{source.suffix}").write_bytes(
            source.read_bytes() + b"\n%d\n" % index
        )
    (tmp_path / "020-broken.pdf").write_bytes(b"%PDF-garbage")
    alone = [r.to_dict() for r in extract_many([tmp_path])]
    pooled = [r.to_dict() for r in extract_many([tmp_path], workers=2)]
    assert len(pooled) == 46 and pooled == alone
    expected = [str(p) for p in sorted(tmp_path.iterdir())]
    assert [r["document"]["source"] for r in pooled] == expected
    assert [bool(r["errors"]) for r in pooled].count(True) == 1


def test_worker_pool_leaves_the_parent_without_an_extractor(tmp_path: Path) -> None:
    """Each worker builds its own extractor; the calling process builds none it would not use."""
    (tmp_path / "a.md").write_bytes(SEMLER.read_bytes())
    script = (
        "import sys; from pathlib import Path; from parser.pipeline import default_extractor, "
        "extract_many; done = list(extract_many([Path(sys.argv[1])], workers=2)); "
        "assert done[0].facts and default_extractor.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, cwd=ROOT)


def test_to_dict_follows_the_contract() -> None:
    payload = extract(SEMLER).to_dict()
    validate(payload)
    assert payload["schema"] == "disclosure-facts/1"
    assert payload["document"]["issuer"] == {"name": "Semler Scientific, Inc.", "ticker": "SMLR"}
    purchase = next(f for f in payload["facts"] if f["type"] == "btc_purchased")
    assert set(purchase) == {
        "type", "company", "value", "unit", "cost_usd", "average_price_usd", "approximate",
        "evidence", "confidence",
    }  # fmt: skip


def test_restated_fact_is_output_once_with_every_span() -> None:
    text = (
        "Cango Inc. (NYSE: CANG) has sold 4,451 BTC for approximately $305 million. "
        "Cango now holds 3,644.7 BTC.\n\nThe sale of 4,451 BTC strengthens the balance sheet."
    )
    result = extract(text)
    sold = [f for f in result.facts if f.type == "btc_sold"]
    assert len(sold) == 1
    assert [e.text for e in sold[0].evidence] == [
        "Cango Inc. (NYSE: CANG) has sold 4,451 BTC for approximately $305 million.",
        "The sale of 4,451 BTC strengthens the balance sheet.",
    ]
    assert sold[0].fields["proceeds_usd"] == 305_000_000 and sold[0].fields["approximate"] is True
    for evidence in sold[0].evidence:
        assert result.document.text[evidence.start : evidence.end] == evidence.text


def test_rounded_restatement_keeps_the_precise_value() -> None:
    text = (
        "IREN Limited (NASDAQ: IREN) monthly update.\n"
        "Average operating hashrate (PH/s) | 8,238 | 7,107\n\n"
        "Average operating hashrate of 8.2 EH/s in April."
    )
    hashrates = [f for f in extract(text).facts if f.type == "hashrate"]
    assert sorted(f.fields["value"] for f in hashrates) == [7.107, 8.238]


def test_round_up_attributes_each_section_to_its_company() -> None:
    facts = extract(CORPUS / "miner-roundup-four-companies" / "raw.txt").facts
    produced = {
        f.company.canonical: f.fields["value"]
        for f in facts
        if f.type == "btc_produced" and f.fields["period"] == "2025-06"
    }
    assert produced == {
        "MARA Holdings, Inc.": 713,
        "CleanSpark, Inc.": 685,
        "Cipher Mining Inc.": 170,
        "Riot Platforms, Inc.": 450,
    }
    assert not [f for f in facts if f.type == "hashrate" and f.fields["value"] > 100]
