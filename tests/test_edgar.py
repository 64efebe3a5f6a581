"""EDGAR as it really is: the real filings, listings and submissions in ../shared/edgar/, read
in place (never copied into the project)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser import extract
from parser.load import load_bytes, load_path, sniff_media_type
from parser.load.edgar import Listed, choose, parse_submission
from parser.load.html import load_html

EDGAR = Path(__file__).resolve().parent.parent.parent / "shared" / "edgar"
pytestmark = pytest.mark.skipif(not EDGAR.is_dir(), reason="../shared/edgar is not here")
JUNK_ISSUERS = {"PURSUANT TO", "Act", "Stock Market", "Nebraska", "Delaware", "(unidentified)"}


def listing(name: str) -> list[Listed]:
    data = json.loads((EDGAR / "listings" / name).read_text())
    return [Listed(item["name"]) for item in data["directory"]["item"]]


def test_listing_with_press_releases_keeps_only_ex99() -> None:
    # DatChat: an underwriting agreement (EX-1.1) and a legal opinion (EX-5.1) next to three
    # EX-99 releases, plus R1.htm, schemas, graphics, the -index pages and the .txt.
    chosen = [d.name for d in choose(listing("0001213900-24-004875-index.json"))]
    assert chosen == [
        "ea191807ex99-1_datchat.htm",
        "ea191807ex99-2_datchat.htm",
        "ea191807ex99-3_datchat.htm",
    ]


def test_listing_without_press_release_takes_the_8k_itself() -> None:
    # Apple: only the 8-K and XBRL renderings (R1.htm), FilingSummary.xml, *_htm.xml, .xsd ...
    chosen = [d.name for d in choose(listing("0001140361-25-000228-index.json"))]
    assert chosen == ["ef20040370_8k.htm"]


@pytest.mark.parametrize(
    "name",
    ["ex99.htm", "ex-99.htm", "ex991.htm", "dex991.htm", "ex99-1.htm", "exh_991.htm",
     "riot-ex99_1.htm", "tm2512345d1_ex99-1.htm", "EX-99.1.htm", "exhibit99-2.htm"],
)  # fmt: skip
def test_press_release_file_names(name: str) -> None:
    docs = [Listed(name), Listed("form8-k.htm"), Listed("R1.htm")]
    assert [d.name for d in choose(docs)] == [name]


@pytest.mark.parametrize(
    "name",
    ["R1.htm", "R12.htm", "FilingSummary.xml", "d8k_htm.xml", "abc-20250101.xsd",
     "0001-25-000001-xbrl.zip", "0001140361-25-000228-index-headers.html", "ex1-1.htm",
     "ex5-1_opinion.htm", "ex10-1.htm", "ex31.htm", "ex32-1.htm", "ex99-1_001.jpg", "logo.gif"],
)  # fmt: skip
def test_never_announcements(name: str) -> None:
    assert choose([Listed(name)]) == []


@pytest.mark.parametrize(
    ("doc_type", "chosen"),
    [("EX-99.1", True), ("EX-99", True), ("EX-1.1", False), ("EX-5.1", False), ("GRAPHIC", False),
     ("EX-101.SCH", False), ("EX-10.2", False), ("EX-31.1", False)],
)  # fmt: skip
def test_choice_by_type_wins_over_the_name(doc_type: str, chosen: bool) -> None:
    docs = [Listed("ex99-1.htm", doc_type), Listed("d8k.htm", "8-K")]
    assert [d.type for d in choose(docs, "8-K")] == [doc_type if chosen else "8-K"]


def test_full_submission_loads_its_press_release() -> None:
    raw = (EDGAR / "filings" / "0001213900-25-032135.txt").read_bytes()
    document = load_bytes(raw, "0001213900-25-032135.txt")
    text = document.text
    for junk in ("<SEC-HEADER>", "ACCESSION NUMBER", "COMPANY CONFORMED NAME", "ix:", "xbrli",
                 "begin 644", "IDEA: XBRL", "Exact name of registrant"):  # fmt: skip
        assert junk not in text, junk
    # Offsets index the loaded part's text: exactly what the EX-99.1 part alone loads to.
    part = next(p for p in parse_submission(raw).parts if p.listed.type == "EX-99.1")
    assert text == load_html(part.body, "x", "x").text
    assert document.media_type == "text/html"
    assert document.title and document.title.startswith("Revenue Surges 234%")
    assert document.published == "2025-04-15" or document.published == "2025-04-16"
    assert extract(raw).issuer is not None and extract(raw).issuer.ticker == "ABVC"  # type: ignore[union-attr]


def test_submission_without_ex99_loads_the_8k_body() -> None:
    raw = (EDGAR / "filings" / "0000943374-24-000509.txt").read_bytes()
    document = load_bytes(raw)
    assert document.text.startswith("Item 5.02")
    assert "SECURITIES AND EXCHANGE COMMISSION" not in document.text
    assert document.issuer == "1895 Bancorp of Wisconsin, Inc."
    assert document.title and document.title.startswith("Item 5.02")


def test_exhibit_in_a_document_wrapper() -> None:
    # EDGAR serves some exhibits inside their <DOCUMENT><TYPE>EX-99.1... wrapper.
    path = EDGAR / "filings" / "buckle-8-K-ex99-1.htm"
    document = load_path(path)
    assert sniff_media_type(path.read_bytes()) != "text/html"
    assert not document.text.startswith("EX-99.1")
    assert "bke20241122-8kexhibit.htm" not in document.text
    assert document.title == "THE BUCKLE, INC. REPORTS THIRD QUARTER NET INCOME"
    assert len(extract(path).facts) == 0  # a retailer's results: no bitcoin fact


@pytest.mark.parametrize(
    ("name", "issuer", "heading"),
    [
        ("buckle-8-K.htm", "The Buckle, Inc.", "ITEM 2.02. Results of Operations"),
        ("oracle-8-K.htm", "Oracle Corporation", "Item 5.07 Submission of Matters"),
    ],
)
def test_8k_cover_page_gives_issuer_not_junk(name: str, issuer: str, heading: str) -> None:
    path = EDGAR / "filings" / name
    document = load_path(path)
    assert document.issuer == issuer
    assert document.text.startswith(heading) and document.title.startswith(heading)  # type: ignore[union-attr]
    for junk in ("PURSUANT TO SECTION 13", "Exact name of", "false0000", "Emerging growth company"):
        assert junk.lower() not in document.text[:2000].lower(), junk
    result = extract(path)
    assert result.issuer is not None and result.issuer.canonical not in JUNK_ISSUERS
    assert issuer.removeprefix("The ").split()[0].strip(",") in result.issuer.canonical
    assert len(result.facts) == 0
    assert "-20241122" not in (result.document.title or "")


SIX_K = """<html><body>
<p style="text-align:center"><b>UNITED STATES<br>SECURITIES AND EXCHANGE COMMISSION</b></p>
<p style="text-align:center"><b>FORM 6-K</b></p>
<p>REPORT OF FOREIGN PRIVATE ISSUER PURSUANT TO RULE 13a-16 OR 15d-16 UNDER THE SECURITIES
EXCHANGE ACT OF 1934</p>
<p>For the month of November 2025</p><p>Commission File Number: 001-40000</p>
<p style="text-align:center"><b>NORTHERN LIGHTS HASH LTD.</b></p>
<p style="text-align:center">(Translation of registrant's name into English)</p>
<p>Indicate by check mark whether the registrant files or will file annual reports under cover
of Form 20-F or Form 40-F.</p>
<p>Form 20-F &#9746; Form 40-F &#9744;</p>
<p><b>Northern Lights Hash Reports October Output</b></p>
<p>Northern Lights Hash Ltd. mined 61 bitcoin in October 2025 and held 1,204 bitcoin at month end.</p>
</body></html>"""


def test_6k_cover_ends_at_the_form_20f_check_boxes() -> None:
    document = load_bytes(SIX_K.encode())
    assert document.text.startswith("Northern Lights Hash Reports October Output")
    assert document.issuer == "Northern Lights Hash Ltd."
    result = extract(SIX_K.encode())
    assert {(f.type, f.fields["value"]) for f in result.facts} >= {("btc_produced", 61)}
    assert result.issuer is not None and "Northern Lights" in result.issuer.canonical
