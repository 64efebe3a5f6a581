"""Prose structure under varied shapes: the period a figure takes (its own clause, the sentence
before, the month the text is about, the file's date), which company owns it when names, aliases
and sentence order vary, and what a comparison phrase may and may not date."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parser import extract
from parser.types import Fact

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_ABBREVIATED = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
                "Nov.", "Dec."]  # fmt: skip


def _facts(text: str, fact_type: str) -> list[Fact]:
    return [f for f in extract(text).facts if f.type == fact_type]


def _by_value(facts: list[Fact]) -> dict[float, Fact]:
    return {f.fields["value"]: f for f in facts}


def _dateline(style: int, year: int, month: int, day: int) -> str:
    """The same publication date written the ways wires and sites write it."""
    if style == 0:
        return f"{_ABBREVIATED[month - 1]} {day}, {year} (GLOBE NEWSWIRE) --"
    if style == 1:
        return f"{day} {MONTHS[month - 1]} {year} -"
    return f"Published {year}-{month:02d}-{day:02d}\n\n"


@settings(max_examples=30, deadline=None)
@given(
    year=st.integers(2019, 2030),
    month=st.integers(1, 12),
    day=st.integers(1, 9),
    style=st.integers(0, 2),
    value=st.integers(100, 999),
)
def test_a_month_without_a_year_is_the_latest_one_before_publication(
    year: int, month: int, day: int, style: int, value: int
) -> None:
    """ "mined N BTC in <last month>" takes the year of the last such month up to the date the
    piece was published, whatever the dateline's form (January pieces report December)."""
    reported = month - 1 or 12
    reported_year = year if month > 1 else year - 1
    text = (
        f"{_dateline(style, year, month, day)} Bitdeer mined {value} BTC in {MONTHS[reported - 1]}."
    )
    (fact,) = _facts(text, "btc_produced")
    assert fact.fields["period"] == f"{reported_year}-{reported:02d}"


@settings(max_examples=30, deadline=None)
@given(
    month=st.integers(2, 12),
    now=st.integers(500, 999),
    before=st.integers(100, 499),
    wording=st.sampled_from(
        [
            "{cur} output reached {now} BTC, up 12% from {prev}'s {before} BTC.",
            "It mined {now} BTC in {cur}, compared with {before} BTC in {prev}.",
            "Production was {now} BTC in {cur}, higher than the {before} BTC of {prev}.",
            "In {cur}, it produced {now} BTC, versus {before} BTC in {prev}.",
        ]
    ),
)
def test_a_comparison_dates_only_the_figure_compared_with(
    month: int, now: int, before: int, wording: str
) -> None:
    """However the comparison is worded, its month never becomes the main figure's."""
    sentence = wording.format(cur=MONTHS[month - 1], prev=MONTHS[month - 2], now=now, before=before)
    text = f"{_dateline(0, 2025, month, 5)} Cipher Mining update. {sentence}"
    facts = _by_value(_facts(text, "btc_produced"))
    assert facts[now].fields["period"] == f"2025-{month:02d}"
    assert facts[before].fields["period"] == f"2025-{month - 1:02d}"


_ALIASES = {
    "Hut 8 Corp.": ["Hut 8", "Hut8", "Hut 8 Mining"],
    "Bitfarms Ltd.": ["Bitfarms", "Bitfarm"],
    "Riot Platforms, Inc.": ["Riot", "Riot Platforms", "Riot Blockchain"],
    "HIVE Digital Technologies Ltd.": ["HIVE", "Hive", "HIVE Digital"],
}
_SECTION_STYLES = [
    "{name}\n\nThe company mined {mined} BTC in April and held {held} BTC at month end.",
    "{name}\n\nAt month end it held {held} BTC. It mined {mined} BTC in April.",
    "{name} mined {mined} BTC in April. The miner held {held} BTC at the end of the month.",
]


@settings(max_examples=25, deadline=None)
@given(
    order=st.permutations(sorted(_ALIASES)),
    picks=st.lists(st.integers(0, 2), min_size=4, max_size=4),
    styles=st.lists(st.integers(0, 2), min_size=4, max_size=4),
)
def test_round_up_sections_own_their_figures(
    order: list[str], picks: list[int], styles: list[int]
) -> None:
    """A round-up section (a heading or a lead sentence naming the company) owns the figures
    after it until the next one, whichever alias it uses and in whichever order the companies
    and their sentences come."""
    sections, expected = [], {}
    for index, canonical in enumerate(order):
        aliases = _ALIASES[canonical]
        name = aliases[picks[index] % len(aliases)]
        mined, held = 100 + index * 10, 5000 + index * 100
        sections.append(_SECTION_STYLES[styles[index]].format(name=name, mined=mined, held=held))
        expected[mined] = expected[held] = canonical
    text = "May 6, 2022 - Mining production round-up: April\n\n" + "\n\n".join(sections)
    facts = [f for f in extract(text).facts if f.type in ("btc_produced", "btc_holdings")]
    got = {f.fields["value"]: f.company.canonical for f in facts}
    assert got == expected
    for fact in facts:
        if fact.type == "btc_produced":
            assert fact.fields["period"] == "2022-04"
        else:
            assert fact.fields["as_of"] == "2022-04-30"


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("roundup_2024-06.txt", "2024-05"),
        ("2024-06-05_RIOT_production-update_0123456789ab.txt", "2024-05"),
        ("2025-01-07_MARA_december.txt", "2024-12"),
        ("notes.txt", None),
    ],
)
def test_a_file_named_by_its_date_dates_a_text_that_is_not(
    tmp_path: Path, name: str, period: str | None
) -> None:
    """A text with no date of its own is read as of the date its file is named by (the fetcher
    names files `<date>_<ticker>_<slug>_<sha12>`); a file named without one leaves it undated."""
    month = "May" if "2024" in name or name == "notes.txt" else "December"
    path = tmp_path / name
    path.write_text(f"Riot Platforms mined 450 BTC in {month}.\n", encoding="utf-8")
    (fact,) = [f for f in extract(path).facts if f.type == "btc_produced"]
    assert fact.fields["period"] == period
    assert extract(path).document.published is None  # a reference only, never a stated date


@pytest.mark.parametrize(
    "lead",
    [
        "Sept. 4, 2025 -- TeraWulf had its best month yet in August.",
        "TeraWulf's August 2025 numbers are out, and they are strong.",
        "TeraWulf August 2025 production update",
    ],
)
def test_a_period_stated_only_before_carries_to_the_next_sentence(lead: str) -> None:
    text = f"{lead}\nIts output was 240 bitcoin. It also sold 200 BTC."
    facts = [f for f in extract(text).facts if f.type in ("btc_produced", "btc_sold")]
    assert {f.fields["value"] for f in facts} == {240, 200}
    assert {f.fields["period"] for f in facts} == {"2025-08"}


def test_two_periods_before_carry_neither() -> None:
    """When the sentence before names two months, which one a bare figure means is unknown."""
    text = "Mining notes\n\nCango published its figures for June 2025 and July 2025. Its output was 650 bitcoin."
    (fact,) = _facts(text, "btc_produced")
    assert fact.fields["period"] is None
