"""Amounts are bounded and well formed: no negative holdings, no 10^21 bitcoin, no exponent
notation taken for money, and a leading decimal point read as written."""

from __future__ import annotations

import pytest

from parser import extract
from parser.extract.quantities import QuantityFinder
from parser.normalize import same_figure

FINDER = QuantityFinder(("approximately", "about"))


def values(text: str, fact_type: str) -> list[object]:
    return [f.fields.get("value") for f in extract(text).facts if f.type == fact_type]


@pytest.mark.parametrize(
    "text",
    [
        "Acme Mining, Inc. (NASDAQ: ACME) mined 999999999999999999999 BTC in May 2025.",
        "Acme Mining, Inc. (NASDAQ: ACME) held 25,000,000 BTC as of May 31, 2025.",
        "Acme Mining, Inc. (NASDAQ: ACME) mined " + "9" * 400 + " BTC in May 2025.",
    ],
)
def test_more_bitcoin_than_will_ever_exist_is_no_fact(text: str) -> None:
    extraction = extract(text)
    assert [f for f in extraction.facts if f.type.startswith("btc_")] == []


def test_bitcoin_bound_is_inclusive_and_real_figures_stay() -> None:
    assert [q.value for q in FINDER.bitcoin("a reserve of 21,000,000 BTC")] == [21_000_000]
    assert [q.value for q in FINDER.bitcoin("held 21,000,001 BTC")] == []


def test_absurd_hashrate_and_dollars_are_no_amounts() -> None:
    assert FINDER.hashrates("an installed fleet of 150,000 EH/s") == []
    assert [q.value for q in FINDER.hashrates("an installed fleet of 35.2 EH/s")] == [35.2]
    assert FINDER.dollars("proceeds of $20 trillion") == []
    assert [q.value for q in FINDER.dollars("proceeds of $9.9 trillion")] == [9.9e12]


def test_a_negative_amount_is_not_a_fact() -> None:
    text = (
        "Acme Mining, Inc. (NASDAQ: ACME) reported a change in holdings of -300 BTC in June 2025."
    )
    assert values(text, "btc_holdings") == [] and FINDER.bitcoin("holdings of -300 BTC") == []
    assert FINDER.bitcoin("a change of −300 BTC") == []  # the Unicode minus sign
    assert FINDER.dollars("a loss of -$4.5 million") == []
    assert FINDER.hashrates("a drop of -2.5 EH/s") == []


def test_a_range_is_not_a_negative() -> None:
    assert [q.value for q in FINDER.bitcoin("between 200-300 BTC")] == [300]


def test_exponent_notation_is_not_an_amount() -> None:
    assert FINDER.dollars("a value of $1e309 million") == []
    assert FINDER.dollars("a value of $2E6") == []
    assert FINDER.bitcoin("about 1e5 BTC") == []


def test_a_leading_decimal_point() -> None:
    assert [q.value for q in FINDER.bitcoin("a further .5 BTC")] == [0.5]
    assert [q.value for q in FINDER.dollars("fees of $.75 million")] == [750_000]
    text = "Acme Mining, Inc. (NASDAQ: ACME) sold .5 BTC in May 2025 for $51,000."
    assert values(text, "btc_sold") == [0.5]


def test_numbers_glued_to_words_after_a_comma_group() -> None:
    """A figure after "Q1, " is still read, as it was when every position was tried."""
    assert [q.value for q in FINDER.bitcoin("in Q1, 450 BTC were mined")] == [450]
    assert [q.value for q in FINDER.bitcoin("on May 1, 1, 479 BTC")] == [1479]


def test_decimals_of_any_float() -> None:
    from parser.normalize import decimals

    assert [decimals(v) for v in (8.238, 8.0, 1e21, 1.5e-7, float("inf"))] == [3, 0, 0, 8, 0]
    assert same_figure(8.238, 8.2) and not same_figure(1e21, 1e20)
