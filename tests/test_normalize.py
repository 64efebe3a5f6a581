"""Table tests for the number, money, unit, date, title and company parsers."""

from __future__ import annotations

import pytest

from parser.extract.companies import UNIDENTIFIED, CompanyFinder
from parser.extract.lexicon import build_lexicon
from parser.extract.quantities import QuantityFinder
from parser.extract.sentences import split_sentences
from parser.extract.titles import TitleFinder
from parser.normalize import (
    hashrate_to_ehs,
    parse_date,
    parse_number,
    quarter_months,
    same_figure,
)
from parser.rules import load_rules

RULES = load_rules()
QUANTITIES = QuantityFinder(RULES.hedges)
TITLES = TitleFinder(RULES)
COMPANIES = CompanyFinder(RULES.companies)


@pytest.mark.parametrize(
    ("text", "value"),
    [("4,451", 4451), ("3,644.7", 3644.7), ("1, 479", 1479), ("0.511", 0.511), ("305", 305),
     ("13,033", 13033), ("2,010.1", 2010.1)],
)  # fmt: skip
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "kind", "value", "approximate"),
    [
        ("sold 4,451 BTC", "btc", 4451, False),
        ("about 3,000 bitcoins", "btc", 3000, True),
        ("~50 EH/s", "hashrate", 50, True),
        ("mined 165 Bitcoin or Bitcoin equivalent (BTC)", "btc", 165, False),
        ("holds ₿ 1,000", "btc", 1000, False),
        ("1,259 self-mined bitcoin", "btc", 1259, False),
        ("478,740 $BTC", "btc", 478740, False),
        ("1.2K BTC", "btc", 1200, False),
        ("$305 million", "usd", 305_000_000, False),
        ("US$305 million", "usd", 305_000_000, False),
        ("approximately $1.2 billion", "usd", 1_200_000_000, True),
        ("$305M", "usd", 305_000_000, False),
        ("USD 9.5 million", "usd", 9_500_000, False),
        ("more than $1 billion", "usd", 1_000_000_000, True),
        ("up to $500 million", "usd", 500_000_000, True),
        ("2,204 PH/s", "hashrate", 2.204, False),
        ("3.6 exahash per second (EH/s)", "hashrate", 3.6, False),
        ("23 exahashes per second", "hashrate", 23, False),
        ("899 PH/s", "hashrate", 0.899, False),
        ("500,000 TH/s", "hashrate", 0.5, False),
        ("0.511 Exahash (“EH/s”)", "hashrate", 0.511, False),
        ("nearly 23 EH/s", "hashrate", 23, True),
    ],
)
def test_quantities(text: str, kind: str, value: float, approximate: bool) -> None:
    found = [q for q in QUANTITIES.find(text) if q.kind == kind]
    assert len(found) == 1, found
    assert found[0].value == pytest.approx(value)
    assert found[0].approximate is approximate


@pytest.mark.parametrize(
    "text",
    [
        "10,000 Bitcoin miners",
        "17 BTC/day",
        "6.0 BTC per day",
        "5.2%",
        "25 J/TH",
        "2,010.1 BTC equivalent",
    ],
)
def test_not_bitcoin_amounts(text: str) -> None:
    assert [q for q in QUANTITIES.bitcoin(text) if not q.equivalent] == []


def test_price_per_coin_is_marked() -> None:
    (price,) = QUANTITIES.dollars("at an average price of $97,255 per bitcoin")
    assert price.per_unit and price.value == 97255


@pytest.mark.parametrize(
    ("value", "unit", "ehs"),
    [(8238, "PH/s", 8.238), (50, "EH/s", 50), (500000, "TH/s", 0.5), (3.6, "exahash per second", 3.6),
     (899, "petahash", 0.899)],
)  # fmt: skip
def test_hashrate_units(value: float, unit: str, ehs: float) -> None:
    assert hashrate_to_ehs(value, unit) == pytest.approx(ehs)


@pytest.mark.parametrize(
    ("text", "iso"),
    [("May 6, 2024", "2024-05-06"), ("Sep. 07, 2022", "2022-09-07"), ("8th October 2022", "2022-10-08"),
     ("2025-11-04T08:30:00-05:00", "2025-11-04"), ("February 30, 2024", None), ("no date", None)],
)  # fmt: skip
def test_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("precise", "other", "same"),
    [
        (8.238, 8.2, True),
        (10.4, 10, False),
        (0.899, 0.9, True),
        (4451, 4451, True),
        (7.107, 7.2, False),
    ],
)
def test_rounded_restatements(precise: float, other: float, same: bool) -> None:
    assert same_figure(precise, other) is same


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("its CEO", ["Chief Executive Officer"]),
        ("as interim CEO", ["Interim Chief Executive Officer"]),
        ("Chief\nFinancial Officer", ["Chief Financial Officer"]),
        ("its previous CEO, president, and director", ["Chief Executive Officer and President"]),
        ("President and COO", ["President and Chief Operating Officer"]),
        ("Vice President of Finance", []),
        ("President-elect Donald Trump", []),
        ("acting CFO", ["Acting Chief Financial Officer"]),  # acting stays acting (doc 056)
        ("chief mining officer", ["Chief Mining Officer"]),
        ("Executive Chairman", ["Executive Chairman"]),
        ("Chairman of the Board", []),
    ],
)
def test_titles(text: str, titles: list[str]) -> None:
    assert [t.full for t in TITLES.find(text)] == titles


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Iris Energy (NASDAQ:IREN) produced", "IREN Limited"),
        ("Cango ($CANG) has sold", "Cango Inc."),
        ("Hut 8 Mining Corp said", "Hut 8 Corp."),
        ("MicroStrategy bought", "Strategy Inc"),
        ("Bitfarms Ltd. (NASDAQ: BITF // TSX: BITF)", "Bitfarms Ltd."),
        ("HIVE Blockchain Technologies reported", "HIVE Digital Technologies Ltd."),
    ],
)
def test_company_aliases(text: str, canonical: str) -> None:
    assert COMPANIES.mentions(text)[0].ref.canonical == canonical


@pytest.mark.parametrize(
    "text", ["our Chief Strategy Officer", "the hive of activity", "a stronghold of support"]
)
def test_words_that_are_not_companies(text: str) -> None:
    assert COMPANIES.mentions(text) == []


def test_unregistered_issuer_from_exchange_ticker() -> None:
    text = "Acme Hash Corp. (NASDAQ: ACMH) today announced that it mined 100 BTC in May."
    issuer = COMPANIES.issuer(None, COMPANIES.mentions(text))
    assert (issuer.name, issuer.ticker) == ("Acme Hash", "ACMH")
    assert COMPANIES.issuer(None, []) == UNIDENTIFIED


def test_registry_is_large_and_unique() -> None:
    tickers = [c.ticker for c in RULES.companies if c.ticker]
    assert len(RULES.companies) >= 30
    assert len(tickers) == len(set(tickers))


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("we are now targeting 4.2\nEH/s and 6.0 EH/s for year-end.", 1),
        ("Chief\nFinancial Officer Jim MacCallum will act as interim CEO.", 1),
        ("• April: 358 Bitcoin mined\n• 9.4 EH/s operating", 2),
        ("Highlights\nBitcoin mined in May was 700 BTC.", 2),
        ("Hut 8 Corp. named a CEO. Riot Platforms, Inc. did not.", 2),
        ("PRESS RELEASE 08:27 AM, May. 6, 2024", 1),
        ("the role.Â\nLess than a week ago, it lost its CFO.", 2),
    ],
)
def test_sentences(text: str, sentences: int) -> None:
    assert len(split_sentences(text, build_lexicon(RULES.vocabulary).abbreviations)) == sentences


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Strategy bought 1,955 BTC.", 1),
        ("Michael Saylor's Strategy bought 1,955 BTC.", 1),
        ("Metaplanet Expands Its Bitcoin Treasury Strategy", 0),
        ("the company's growth strategy and its Treasury Strategy", 0),
    ],
)
def test_ambiguous_aliases(text: str, count: int) -> None:
    assert len([m for m in COMPANIES.mentions(text) if m.ref.ticker == "MSTR"]) == count


def test_quarter_months() -> None:
    assert quarter_months("2025-Q1") == ["2025-01", "2025-02", "2025-03"]
    assert quarter_months("2024-Q4") == ["2024-10", "2024-11", "2024-12"]
