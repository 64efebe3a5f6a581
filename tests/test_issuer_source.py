"""A document that never names its company takes it from its file name."""

from __future__ import annotations

import pytest

from parser.extract.companies import UNIDENTIFIED, CompanyFinder
from parser.load import load_bytes
from parser.pipeline import extract_document
from parser.rules import load_rules

COMPANIES = CompanyFinder(load_rules().companies)


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("corpus/035_bitdeer_2023-06.txt", "Bitdeer Technologies Group"),
        ("inbox/2025-07-03_RIOT_monthly-update_ab12cd34ef56.htm", "Riot Platforms, Inc."),
        ("/tmp/x/200_corescientific_2023-04.txt", "Core Scientific, Inc."),
        ("C:\\letters\\hut-8-q3-letter.pdf", "Hut 8 Corp."),
        ("lmfunding.md", "LM Funding America, Inc."),
    ],
)
def test_file_name_names_the_company(source: str, canonical: str) -> None:
    issuer = COMPANIES.issuer(None, [], None, source)
    assert issuer.canonical == canonical


@pytest.mark.parametrize(
    "source", ["<bytes>", "-", "notes/2025-06_update.txt", "a_b_c.txt", "any-can-hut.txt"]
)
def test_file_name_without_a_company(source: str) -> None:
    assert COMPANIES.issuer(None, [], None, source) == UNIDENTIFIED


def test_a_company_the_text_names_wins_over_the_file_name() -> None:
    text = "Acme Hash Corp. (NASDAQ: ACMH) mined 100 BTC in May."
    issuer = COMPANIES.issuer(None, COMPANIES.mentions(text), None, "riot_2025-06.txt")
    assert issuer.ticker == "ACMH"


def test_table_excerpt_without_a_name_gets_the_file_names_company() -> None:
    text = (
        "Operations update\n"
        "Metric | June 2025 | May 2025\n"
        "Bitcoin mined (self-mining) | 412 | 398\n"
        "Proprietary hash rate (EH/s) | 5.4 | 5.2\n"
    )
    named = extract_document(load_bytes(text.encode(), "mail/2025-07-02_BTDR_update.txt"))
    assert {f.company.canonical for f in named.facts} == {"Bitdeer Technologies Group"}
    assert len(named.facts) == 4
    anonymous = extract_document(load_bytes(text.encode(), "mail/2025-07-02_update.txt"))
    assert {f.company.canonical for f in anonymous.facts} == {"(unidentified)"}
