"""The table reader: one model recovered from every layout a table reaches us in.

The property test generates table models (labels from the rules vocabulary, 2-4 period columns
in any order, change columns, footnote markers, figures of three or more significant digits that
are alike within a row, as real rows are) and renders each into every layout; the reader must give back the same
rows and cells from each rendering.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parser import RuleError
from parser.extract.table_model import read_tables
from parser.extract.table_split import Atom, split_cells
from parser.rules import load_rules
from parser.types import COLUMN_PERIOD
from tests.conftest import RULES

VOCABULARY = load_rules().tables
_BTC_LABELS = sorted(
    {
        f"{subject.title() if subject.islower() else subject} {word.title()}"
        for subject in VOCABULARY.bitcoin
        for _, words in VOCABULARY.facts
        for word in words
        if word.isalpha() and word.lower() != "hodl"
    }
)
_HASH_LABELS = sorted(
    {
        f"{word.title()} Hash Rate (EH/s)"
        for _, words in VOCABULARY.statuses
        for word in words
        if word.isalpha()
    }
)
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip


@dataclass(frozen=True)
class Period:
    name: str  # as the header shows it
    key: str  # the period it stands for, "2025-06"


@dataclass(frozen=True)
class RowSpec:
    label: str
    cells: tuple[str, ...]  # as the table shows them: "8,120", "10.9"
    changes: tuple[str, ...]  # "4%", "-12%"
    marker: str | None


@dataclass(frozen=True)
class TableSpec:
    periods: tuple[Period, ...]
    changes: tuple[str, ...]  # change column names
    rows: tuple[RowSpec, ...]

    @property
    def current(self) -> int:
        return max(range(len(self.periods)), key=lambda i: self.periods[i].key)


def _period(draw: st.DrawFn, month_index: int, style: int) -> Period:
    year, month = divmod(month_index, 12)
    key = f"{year}-{month + 1:02d}"
    if style == 0:
        return Period(f"{_MONTHS[month]} {year}", key)
    if style == 1:
        return Period(f"{_MONTHS[month][:3]} {year}", key)
    return Period(f"{_MONTHS[month][:3]}-{year % 100:02d}", key)


def _format(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


@st.composite
def tables(draw: st.DrawFn) -> TableSpec:
    count = draw(st.integers(2, 4))
    months = draw(st.lists(st.integers(2019 * 12, 2026 * 12), min_size=count, max_size=count,
                           unique=True))  # fmt: skip
    style = draw(st.integers(0, 2))
    periods = tuple(_period(draw, m, style) for m in months)
    changes = ("Month/Month", "Year/Year")[: draw(st.integers(0, min(2, count - 1)))]
    labels = draw(
        st.lists(st.sampled_from(_BTC_LABELS + _HASH_LABELS), min_size=1, max_size=4, unique=True)
    )
    markers = iter(range(1, 10))
    rows = []
    for label in labels:
        decimals = draw(st.sampled_from([0, 1]))
        base = draw(st.floats(100, 30000)) if decimals == 0 else draw(st.floats(10, 99))
        values = [round(base * draw(st.floats(0.8, 1.25)), decimals) for _ in periods]
        values = [max(v, 100.0 if decimals == 0 else 10.0) for v in values]
        spec = TableSpec(periods, changes, ())
        current = values[spec.current]
        others = [v for i, v in enumerate(values) if i != spec.current]
        row_changes = tuple(f"{round((current / o - 1) * 100)}%" for o in others[: len(changes)])
        marker = str(next(markers)) if draw(st.booleans()) else None
        cells = tuple(_format(v, decimals) for v in values)
        rows.append(RowSpec(label, cells, row_changes, marker))
    return TableSpec(periods, changes, tuple(rows))


def _footnotes(spec: TableSpec) -> str:
    marks = [r.marker for r in spec.rows if r.marker]
    return "".join(f"{m}. Explained in the notes to this release.\n" for m in marks)


def _mark(row: RowSpec) -> str:
    return row.marker or ""


def _pipes(spec: TableSpec) -> str:
    lines = [" | ".join(["Metric", *(p.name for p in spec.periods), *spec.changes])]
    for row in spec.rows:
        lines.append(" | ".join([row.label + _mark(row), *row.cells, *row.changes]) + " | |")
    return "\n".join(lines) + "\n" + _footnotes(spec)


def _markdown(spec: TableSpec) -> str:
    head = ["Metric", *(p.name for p in spec.periods), *spec.changes]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in spec.rows:
        lines.append("| " + " | ".join([row.label + _mark(row), *row.cells, *row.changes]) + " |")
    return "\n".join(lines) + "\n\n" + _footnotes(spec)


def _one_line(spec: TableSpec) -> str:
    parts = ["Metric", *(p.name for p in spec.periods), *spec.changes]
    for row in spec.rows:
        parts += [row.label, *([row.marker] if row.marker else []), *row.cells, *row.changes]
    return " ".join(parts) + "\n" + _footnotes(spec)


def _glued(spec: TableSpec) -> str:
    parts = ["Metric", *(p.name for p in spec.periods), *spec.changes]
    for row in spec.rows:
        parts += [row.label + _mark(row), *row.cells, *row.changes]
    return "".join(parts) + "\n" + _footnotes(spec)


def _cell_per_line(spec: TableSpec) -> str:
    lines = ["|", "Metric", *(f"|{p.name}" for p in spec.periods), *(f"|{c}" for c in spec.changes)]
    for row in spec.rows:
        lines += ["|", row.label + _mark(row), *(f"|{c}" for c in (*row.cells, *row.changes))]
    return "\n".join([*lines, "|"]) + "\n" + _footnotes(spec)


def _aligned(spec: TableSpec) -> str:
    width = max(len(r.label) for r in spec.rows) + 4
    head = "Metric".ljust(width) + "".join(p.name.rjust(16) for p in spec.periods)
    lines = [head + "".join(c.rjust(14) for c in spec.changes)]
    for row in spec.rows:
        cells = "".join(c.rjust(16) for c in row.cells) + "".join(c.rjust(14) for c in row.changes)
        lines.append((row.label + _mark(row)).ljust(width) + cells)
    return "\n".join(lines) + "\n\n" + _footnotes(spec)


LAYOUTS: dict[str, Callable[[TableSpec], str]] = {
    "pipes": _pipes,
    "markdown": _markdown,
    "one-line": _one_line,
    "glued": _glued,
    "cell-per-line": _cell_per_line,
    "aligned": _aligned,
}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@settings(max_examples=40, deadline=None)
@given(spec=tables())
def test_every_layout_gives_the_same_table(layout: str, spec: TableSpec) -> None:
    text = "Acme Mining Corp. production update\n\n" + LAYOUTS[layout](spec)
    found = read_tables(text)
    assert len(found) == 1, text
    table = found[0]
    assert [c.period for c in table.header.periods] == [p.key for p in spec.periods], text
    assert [r.label for r in table.rows] == [r.label for r in spec.rows], text
    for row, want in zip(table.rows, spec.rows, strict=True):
        assert [c.value for c in row.cells] == [_number(c) for c in want.cells], text
        assert [c.column for c in row.cells] == list(range(len(spec.periods))), text
        assert row.markers == ((want.marker,) if want.marker else ()), text
        for cell, shown in zip(row.cells, want.cells, strict=True):
            assert text[cell.start : cell.start + len(shown)] == shown  # offsets index the text


@pytest.mark.parametrize(
    ("digits", "columns", "values"),
    [("358353310", 3, [358, 353, 310]), ("8,2387,1076,299", 3, [8238, 7107, 6299]),
     ("2220195174", 3, [220, 195, 174]), ("705", 1, [705]), ("10.963.669.2", 3, [10.9, 63.6, 69.2]),
     ("4.149.974.3", 3, [4.1, 49.9, 74.3]), ("84.916.511.4", 3, [84.9, 16.5, 11.4])],
)  # fmt: skip
def test_glued_cells_split_by_column_count_and_likeness(
    digits: str, columns: int, values: list[float]
) -> None:
    split = split_cells([Atom(digits, 0, len(digits), glued=True)], columns, 0, set(), set())
    assert [p.value for p in split.periods if p] == values


@pytest.mark.parametrize(
    ("digits", "values", "markers"),
    [("140112100", [140, 112, 100], ()), ("1405112100", [405, 112, 100], ("1",)),
     ("1,4051,1121,100", [1405, 1112, 1100], ())],
)  # fmt: skip
def test_a_listed_marker_is_read_off_only_where_the_cells_stay_alike(
    digits: str, values: list[float], markers: tuple[str, ...]
) -> None:
    # footnote 1 is explained below the table; cells cut from one digit run are of one length
    split = split_cells([Atom(digits, 0, len(digits), glued=True)], 3, 0, {"1"}, set())
    assert ([p.value for p in split.periods if p], split.markers) == (values, markers)


def test_change_columns_decide_where_a_footnote_digit_is() -> None:
    # "Bitcoin Held17,3277,3096,7660%8%": 7,327 / 7,309 / 6,766, marker 1, changes 0% and 8%
    atoms = [Atom("17,3277,3096,7660", 0, 18, glued=True, percent=True), Atom("8", 18, 20,
             glued=True, percent=True)]  # fmt: skip
    split = split_cells(atoms, 3, 2, {"1", "2"}, set(), current=0)
    assert [p.value for p in split.periods if p] == [7327, 7309, 6766]
    assert split.markers == ("1",)
    assert split.changes == (0, 8)


def test_next_footnote_marker_is_taken_off_a_lone_figure() -> None:
    # "Key highlights1 Key metrics2Jun-22 ... Bitcoin mined3148": marker 3, 148 mined
    split = split_cells([Atom("3148", 0, 4, glued=True)], 1, 0, set(), {"1", "2"})
    assert [p.value for p in split.periods if p] == [148]
    assert split.markers == ("3",)


def test_a_figure_glued_to_no_marker_stays_whole() -> None:
    split = split_cells([Atom("3148", 0, 4, glued=True)], 1, 0, set(), set())
    assert [p.value for p in split.periods if p] == [3148]


def test_a_date_in_a_sentence_is_no_table_header() -> None:
    assert read_tables("In September 2023 the company produced 362 bitcoin, it said.") == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  average: [average]", "  averaged: [average]", "unknown statuses"),
        ("  btc_sold: [sold, sales, sale]", "  btc_bought: [bought]", "unknown facts"),
        ("proceeds: [proceeds]", "proceeds: []", "'proceeds' must be a non-empty list"),
    ],
)
def test_table_vocabulary_is_checked_when_loaded(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "tables" / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    assert "tables/vocabulary.yaml" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (
            "Metric | June 2025 | May 2025\nStores opened | 12 | 9\nComparable sales | 3% | 2%\n",
            False,
        ),
        ("Metric | June 2025 | May 2025\nBitcoin Produced | 412 | 398\n", True),
        ("Metric | June 2025 | May 2025\nDeployed capacity | 31.5 EH/s | 30.1 EH/s\n", True),
    ],
)
def test_tables_are_read_only_where_a_row_could_be_a_fact(text: str, read: bool) -> None:
    """A retailer's metrics table (what most 8-Ks a cron sees hold) is not even read."""
    from parser.extract.table_facts import TableFacts
    from parser.types import CompanyRef

    facts, tables = TableFacts(load_rules().tables).read(text, CompanyRef("Acme", "Acme", None))
    assert bool(tables) is read and bool(facts) is read


# ---------------------------------------------------------------- round-ups: a company per row

_ROUND_UP_COMPANIES = [("Riot", "Riot Platforms, Inc."), ("CleanSpark", "CleanSpark, Inc."),
                       ("Hut 8", "Hut 8 Corp."), ("Bitfarms", "Bitfarms Ltd."),
                       ("Cipher Mining", "Cipher Mining Inc."), ("TeraWulf", "TeraWulf Inc."),
                       ("Core Scientific", "Core Scientific, Inc.")]  # fmt: skip
_METRICS = [("BTC mined", "btc_produced"), ("Bitcoin held", "btc_holdings"),
            ("Bitcoin sold", "btc_sold")]  # fmt: skip


@dataclass(frozen=True)
class RoundUp:
    metric: tuple[str, str]  # as written, fact type
    in_corner: bool  # the metric names the corner cell, else the caption above the table
    periods: tuple[Period, ...]
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # written name, canonical, cells
    total: tuple[str, ...]


@st.composite
def round_ups(draw: st.DrawFn) -> RoundUp:
    count = draw(st.integers(1, 3))
    first = draw(st.integers(2021 * 12 + 2, 2025 * 12 + 11))
    yeared = draw(st.booleans())
    periods = tuple(
        Period(_MONTHS[m % 12] + (f" {m // 12}" if yeared else ""), f"{m // 12}-{m % 12 + 1:02d}")
        for m in range(first, first - count, -1)
    )
    companies = draw(st.lists(st.sampled_from(_ROUND_UP_COMPANIES), min_size=2, max_size=5,
                              unique=True))  # fmt: skip
    rows = []
    sums = [0.0] * count
    for name, canonical in companies:
        values = [draw(st.integers(100, 9999)) for _ in periods]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        rows.append((name, canonical, tuple(f"{v:,}" for v in values)))
    total = tuple(f"{int(v):,}" for v in sums)
    return RoundUp(draw(st.sampled_from(_METRICS)), draw(st.booleans()), periods, tuple(rows),
                   total)  # fmt: skip


def _round_up_text(spec: RoundUp, layout: str) -> str:
    corner = spec.metric[0] if spec.in_corner else "Miner"
    caption = "How the miners did last month, by the numbers"
    if not spec.in_corner:
        caption = f"The table below lists the {spec.metric[0].lower()} by each miner"
    head = [corner, *(p.name for p in spec.periods)]
    body = [[name, *cells] for name, _, cells in spec.rows] + [["Total", *spec.total]]
    if layout == "pipes":
        lines = [" | ".join(r) + " |" for r in [head, *body]]
    elif layout == "markdown":
        lines = ["| " + " | ".join(r) + " |" for r in [head, *body]]
        lines.insert(1, "|" + "---|" * len(head))
    else:  # one cell per line
        lines = [line for r in [head, *body] for line in ("|", r[0], *(f"|{c}" for c in r[1:]))]
    tail = (
        f"Together they mined {spec.total[0]} bitcoin." if spec.metric[1] == "btc_produced" else ""
    )
    return "\n".join(["Monthly miner round-up", "", caption, *lines, "", tail, ""])


@pytest.mark.parametrize("layout", ["pipes", "markdown", "cell-per-line"])
@settings(max_examples=30, deadline=None)
@given(spec=round_ups())
def test_round_up_rows_are_each_companys_figures(layout: str, spec: RoundUp) -> None:
    from parser.extract.companies import CompanyFinder
    from parser.extract.table_facts import TableFacts, reconcile

    rules = load_rules()
    text = _round_up_text(spec, layout)
    companies = CompanyFinder(rules.companies, rules.not_names)
    mentions = companies.mentions(text)
    latest = spec.periods[0].key
    facts, tables = TableFacts(rules.tables).read(
        text, companies.issuer(None, mentions), mentions, f"{latest}-28"
    )
    got = sorted(
        (t.candidate.type, t.candidate.company.canonical, t.candidate.fields["value"],
         t.candidate.fields.get(COLUMN_PERIOD, t.candidate.fields.get("period")))
        for t in facts if not t.aggregate
    )  # fmt: skip
    want = sorted(
        (spec.metric[1], canonical, _number(cell), period.key)
        for _, canonical, cells in spec.rows
        for cell, period in zip(cells, spec.periods, strict=True)
    )
    assert got == want, text
    assert reconcile([], facts, tables) and all(
        c.company.canonical != "(unidentified)" for c in reconcile([], facts, tables)
    )


_COLUMN_METRICS = [("BTC mined", "btc_produced", 0), ("Bitcoin held", "btc_holdings", 0),
                   ("Bitcoin sold", "btc_sold", 0), ("Hashrate (EH/s)", "hashrate", 1),
                   ("Average operating hashrate (PH/s)", "hashrate", 2)]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    metrics=st.lists(st.sampled_from(_COLUMN_METRICS), min_size=2, max_size=4, unique=True),
    companies=st.lists(st.sampled_from(_ROUND_UP_COMPANIES), min_size=2, max_size=5, unique=True),
    month=st.integers(2021 * 12, 2025 * 12 + 11),
    markdown=st.booleans(),
    seed=st.randoms(use_true_random=False),
)
def test_round_up_with_a_column_per_metric(
    metrics: list[tuple[str, str, int]],
    companies: list[tuple[str, str]],
    month: int,
    markdown: bool,
    seed: random.Random,
) -> None:
    """ "Company | BTC mined | Hashrate (EH/s)": each cell is its column's metric for its row's
    company, in the month the caption names."""
    from parser.extract.companies import CompanyFinder
    from parser.extract.table_facts import TableFacts

    rules = load_rules()
    want = []
    lines = [" | ".join(["Company", *(m[0] for m in metrics)]) + " |"]
    for name, canonical in companies:
        cells = []
        for _, kind, scale in metrics:
            if scale == 0:
                value = seed.randint(20, 60000)
                cells.append(f"{value:,}")
                want.append((kind, canonical, float(value)))
            elif scale == 1:
                value = seed.randint(10, 600) / 10
                cells.append(f"{value:.1f}")
                want.append((kind, canonical, value))
            else:
                value = seed.randint(900, 60000)
                cells.append(f"{value:,}")
                want.append((kind, canonical, value / 1000))
        lines.append(" | ".join([name, *cells]) + " |")
    if markdown:
        lines = ["| " + line for line in lines]
        lines.insert(1, "|" + "---|" * (len(metrics) + 1))
    caption = f"How the miners stood in {_MONTHS[month % 12]} {month // 12}:"
    text = "\n".join(["Miner scorecard", "", caption, *lines, ""])
    finder = CompanyFinder(rules.companies, rules.not_names)
    mentions = finder.mentions(text)
    facts, _ = TableFacts(rules.tables).read(text, finder.issuer(None, mentions), mentions)
    got = sorted((t.candidate.type, t.candidate.company.canonical, t.candidate.fields["value"])
                 for t in facts)  # fmt: skip
    assert got == sorted(want), text
    key = f"{month // 12}-{month % 12 + 1:02d}"
    assert {t.candidate.fields.get(COLUMN_PERIOD, t.candidate.fields.get("period"))
            for t in facts} == {key}, text  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    base=st.integers(1500, 80000),
    ratios=st.lists(st.floats(0.8, 1.25), min_size=2, max_size=4),
    after=st.integers(0, 3),
    mark=st.integers(1, 9),
    spaced=st.booleans(),
)
def test_a_marker_glued_after_a_grouped_figure(
    base: int, ratios: list[float], after: int, mark: int, spaced: bool
) -> None:
    """ "106,6742 72,428" and the same run glued ("106,674272,428"): the digit after a figure's
    last thousands group is the footnote marker the table lists, not the next figure's."""
    values = [round(base * r) for r in ratios]  # one measure: alike in size
    after = min(after, len(values) - 1)
    shown = [f"{v:,}" + (str(mark) if i == after else "") for i, v in enumerate(values)]
    text = (" " if spaced else "").join(shown)
    atoms, start = [], 0
    for piece in text.split(" "):
        atoms.append(Atom(piece, start, start + len(piece), glued=not atoms))
        start += len(piece) + 1
    split = split_cells(atoms, len(values), 0, {str(mark)}, set())
    assert [p.value for p in split.periods if p] == values, text
    assert split.markers == (str(mark),), text
