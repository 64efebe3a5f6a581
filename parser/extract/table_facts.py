"""Facts from metrics tables: a row's label says what it counts (rules/tables/vocabulary.yaml),
and every period column gives one fact with that column's period.

Rows that are not the company's own (hosting, colocation, customers, cloud allocations), per-day
averages, money and prices give nothing; a sale row takes the proceeds in the same column of the
proceeds row. A table figure restated in prose is one fact: the prose statement takes the
column's period, the table takes the prose's status, and a restatement that kept a footnote
digit glued to the figure ("110.9 EH/s" for the table's `1`+`10.9 EH/s`) is read as the table's.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from parser.extract.btc import unitless_fields
from parser.extract.companies import Mention
from parser.extract.context import Candidate
from parser.extract.hashrate import PLAUSIBLE_EHS
from parser.extract.table_model import Cell, Row, Table, read_tables
from parser.normalize import clean_amount, hashrate_to_ehs, period_end, same_figure
from parser.rules import TableVocabulary
from parser.types import COLUMN_PERIOD, CompanyRef

_UNIT = re.compile(r"\b([EPT])H/s\b", re.I)
_APPROXIMATE = re.compile(r"\b(?:approx|appx|approximately|about|~)", re.I)
_CONFIDENCE = 0.7
_ROUND_UP_ROWS = 2  # rows naming different companies that make a table a round-up
_CAPTION_REACH = 400
_TOTAL = re.compile(r"\b(?:total|combined|aggregate|all)\b", re.I)


@dataclass(frozen=True)
class TableFact:
    candidate: Candidate
    aliases: tuple[float, ...]  # values a garbled restatement may show
    aggregate: bool = False  # a round-up's total row: no company's figure, only a restatement


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `words`, not inside a longer word ("/day" and "%" need no boundary)."""
    ordered = sorted(words, key=len, reverse=True)
    alternatives = "|".join(_word(w) for w in ordered)
    # Positions whose character starts no word are passed over at once (a linear scan of a
    # long label stays cheap).
    first = "".join(sorted({re.escape(w[:1]) for w in words if w}))
    return re.compile(f"(?=[{first}])(?:{alternatives})" if first else alternatives, re.I)


def _word(word: str) -> str:
    body = re.escape(word).replace(r"\ ", r"[\s-]*")
    before = r"(?<![A-Za-z])" if word[:1].isalnum() else ""
    after = r"(?![A-Za-z])" if word[-1:].isalnum() else ""
    return before + body + after


class TableFacts:
    """Compiled vocabulary; `read` is safe to call for many documents."""

    def __init__(self, vocabulary: TableVocabulary) -> None:
        self.bitcoin = _words(vocabulary.bitcoin)
        self.hashrate = _words(vocabulary.hashrate)
        self.facts = [(name, _words(words)) for name, words in vocabulary.facts]
        self.statuses = [(name, _words(words)) for name, words in vocabulary.statuses]
        self.proceeds = _words(vocabulary.proceeds)
        self.excluded = _words(vocabulary.excluded)
        self.excluded_sections = _words(vocabulary.excluded_sections)
        self.period_end = _words(vocabulary.period_end)
        loose = sorted({*vocabulary.bitcoin, *vocabulary.hashrate, "H/s"}, key=len, reverse=True)
        self.gate = re.compile("|".join(re.escape(w) for w in loose), re.I)

    def read(
        self,
        text: str,
        company: CompanyRef | None,
        mentions: Sequence[Mention] = (),
        published: str | None = None,
    ) -> tuple[list[TableFact], list[Table]]:
        """The facts of every table in `text`: the rows' own company is `company`, except in
        a round-up whose rows are companies (`mentions`: the text's company mentions, in
        order); `published` (YYYY-MM-DD) dates columns named by a month alone."""
        if not self._may_hold_facts(text):
            return [], []  # most filings a cron sees: no row of theirs could be a fact
        reference = (int(published[:4]), int(published[5:7])) if published else None
        names = [(m.start, m.end) for m in mentions]
        tables = read_tables(text, reference, names, self._metric)
        if company is None:
            return [], tables
        starts = [m.start for m in mentions]
        found: list[TableFact] = []
        for table in tables:
            named = _row_companies(table, mentions, starts)
            if len({c.canonical for c in named.values()}) >= _ROUND_UP_ROWS and not any(
                self._metric(table.rows[i].label) for i in named
            ):
                found += self._round_up(text, table, named)
            else:
                found += self._table(text, table, company)
        return found, tables

    def _may_hold_facts(self, text: str) -> bool:
        """Whether any row could be a bitcoin or hashrate row: the words the row labels need,
        looked for without word boundaries (so a superset of what `_table` accepts)."""
        return bool(self.gate.search(text))

    def _table(self, text: str, table: Table, company: CompanyRef) -> list[TableFact]:
        header_text = text[max(0, table.header.start - 80) : table.header.end]
        proceeds = self._proceeds(table)
        sites = self._site_rows(table)
        found: list[TableFact] = []
        for index, row in enumerate(table.rows):
            if not row.cells or self._not_own(row) or index in sites:
                continue
            notes = [table.footnotes.get(m, "") for m in row.markers]
            dated = bool(self.period_end.search(" ".join([header_text, row.label, *notes])))
            label = f"{row.label} {row.parent or ''}"
            found += self._row(table, row, company, label, dated, proceeds)
        return found

    def _site_rows(self, table: Table) -> set[int]:
        """Rows of hash rate that name no metric, only a place ("Rockdale | 15.0 EH/s"): a
        site's figure, not the company's, when the table also gives the total (a "Total" row
        or a row its label calls hash rate)."""
        sites, totals = set(), 0
        for index, row in enumerate(table.rows):
            label = f"{row.label} {row.parent or ''}"
            hashed = any(c.unit and "H/s" in c.unit for c in row.cells)
            if self.hashrate.search(label) or (hashed and _TOTAL.search(label)):
                totals += 1
            elif hashed and not self._names_a_measure(label):
                sites.add(index)
        return sites if totals else set()

    def _names_a_measure(self, label: str) -> bool:
        """Whether a label says what it measures (a status, a bitcoin word), not only where."""
        return bool(self.bitcoin.search(label)) or any(w.search(label) for _, w in self.statuses)

    def _row(
        self,
        table: Table,
        row: Row,
        company: CompanyRef,
        label: str,
        dated: bool,
        proceeds: dict[int, float],
    ) -> list[TableFact]:
        """The facts of one row, read as what `label` says it counts."""
        if self.hashrate.search(label) or any(c.unit and "H/s" in c.unit for c in row.cells):
            return self._hash_row(table, row, company, label, dated)
        if self.bitcoin.search(label) or any(c.unit == "BTC" for c in row.cells):
            return self._btc_row(table, row, company, label, dated, proceeds)
        return []

    def _metric(self, label: str) -> bool:
        """Whether `label` names a figure a row could count (bitcoin produced, hash rate...)."""
        return bool(self.hashrate.search(label)) or bool(
            self.bitcoin.search(label) and self._fact_type(label)
        )

    def _round_up(self, text: str, table: Table, named: dict[int, CompanyRef]) -> list[TableFact]:
        """A round-up table, one company per row: what a row counts is its column's metric
        ("Company | BTC mined | Hashrate (EH/s)"), else the corner cell's ("BTC mined | July |
        June"), else the caption's on the line above."""
        label = self._round_up_metric(text, table)
        found: list[TableFact] = []
        anyone = next(iter(named.values()))
        for index, row in enumerate(table.rows):
            company = named.get(index)
            if company is None and not _TOTAL.search(row.label):
                continue
            facts = []
            for cell in row.cells:
                metric = table.header.periods[cell.column].metric or label
                if metric and not self.excluded.search(metric):
                    one = replace(row, cells=(cell,))
                    dated = bool(self.period_end.search(metric))
                    facts += self._row(table, one, company or anyone, metric, dated, {})
            if company is None:  # "Total | 1,802": what prose restates of it is no fact
                facts = [TableFact(t.candidate, t.aliases, aggregate=True) for t in facts]
            found += facts
        return found

    def _round_up_metric(self, text: str, table: Table) -> str | None:
        window = text[max(0, table.header.start - _CAPTION_REACH) : table.header.start]
        lines = [line for line in window.split("\n") if line.strip(" \t|")] or [""]
        corner, caption = lines[-1], lines[-2] if len(lines) > 1 else ""
        if self.excluded.search(corner):
            return None
        label = next((t for t in (corner, caption) if self._metric(t)), None)
        return label

    def _not_own(self, row: Row) -> bool:
        if self.excluded_sections.search(row.section or ""):
            return True
        if self._is_proceeds(row.label):
            return False
        return bool(self.excluded.search(row.label) or self.excluded.search(row.parent or ""))

    def _is_proceeds(self, label: str) -> bool:
        return bool(self.proceeds.search(label) and self._fact_type(label) == "btc_sold")

    def _fact_type(self, label: str) -> str | None:
        return next((name for name, words in self.facts if words.search(label)), None)

    def _proceeds(self, table: Table) -> dict[int, float]:
        """Column -> proceeds of the table's sale row, from its "... Proceeds" row."""
        for row in table.rows:
            if self._is_proceeds(row.label) and any(c.money for c in row.cells):
                return {c.column: c.value for c in row.cells if c.value is not None}
        return {}

    def _btc_row(
        self,
        table: Table,
        row: Row,
        company: CompanyRef,
        label: str,
        dated: bool,
        proceeds: dict[int, float],
    ) -> list[TableFact]:
        fact_type = self._fact_type(label)
        if fact_type is None or self._is_proceeds(row.label):
            return []
        found = []
        for cell in row.cells:
            if cell.value is None or cell.money or not cell.value:
                continue
            period = table.header.periods[cell.column].period
            fields = unitless_fields(fact_type, clean_amount(abs(cell.value)), period)
            if fact_type == "btc_holdings":
                fields["as_of"] = period_end(period) if dated else None
                fields[COLUMN_PERIOD] = period
            if fact_type == "btc_sold":
                money = proceeds.get(cell.column)
                fields["proceeds_usd"] = clean_amount(money) if money else None
            fields["approximate"] = bool(_APPROXIMATE.search(label))
            found.append(self._fact(table, row, cell, fact_type, fields, company))
        return found

    def _hash_row(
        self, table: Table, row: Row, company: CompanyRef, label: str, dated: bool
    ) -> list[TableFact]:
        unit = _UNIT.search(label)
        status = next((name for name, words in self.statuses if words.search(label)), None)
        by_value: dict[float, TableFact] = {}
        for cell in row.cells:
            if cell.value is None:
                continue
            value = hashrate_to_ehs(cell.value, (cell.unit or (unit and unit.group(0)) or "E")[0])
            if not PLAUSIBLE_EHS[0] <= value <= PLAUSIBLE_EHS[1]:
                continue
            period = table.header.periods[cell.column].period
            as_of = period_end(period) if dated else None
            earlier = by_value.get(clean_amount(value))
            if earlier and (earlier.candidate.fields["as_of"] or "") >= (as_of or ""):
                continue  # the same figure in two columns is one fact, at the latest date
            fields = {
                "value": clean_amount(value),
                "unit": "EH/s",
                "status": status or "unspecified",
                "approximate": bool(_APPROXIMATE.search(label)),
                "as_of": as_of,
                COLUMN_PERIOD: period,
            }
            fact = self._fact(table, row, cell, "hashrate", fields, company, cell.unit)
            by_value[clean_amount(value)] = fact
        return list(by_value.values())

    def _fact(
        self,
        table: Table,
        row: Row,
        cell: Cell,
        fact_type: str,
        fields: dict[str, Any],
        company: CompanyRef,
        unit: str | None = None,
    ) -> TableFact:
        header = (table.header.start, table.header.end)
        context = (header,) if header[1] > header[0] else ()
        candidate = Candidate(
            fact_type, company, fields, row.start, cell.end, _CONFIDENCE, context=context
        )
        aliases: tuple[float, ...] = ()
        if cell.glued is not None:
            glued = hashrate_to_ehs(cell.glued, unit[0]) if unit else cell.glued
            aliases = (clean_amount(glued),)
        return TableFact(candidate, aliases)


def _row_companies(
    table: Table, mentions: Sequence[Mention], starts: list[int]
) -> dict[int, CompanyRef]:
    """Row index -> the company its label opens with ("Riot | 444 | 243", "Hut8 | 300")."""
    named: dict[int, CompanyRef] = {}
    for index, row in enumerate(table.rows):
        at = bisect.bisect_left(starts, row.start)
        if at < len(mentions) and mentions[at].start < max(row.end, row.start + 1):
            named[index] = mentions[at].ref
    return named


def reconcile(
    prose: list[Candidate], table_facts: list[TableFact], tables: list[Table]
) -> list[Candidate]:
    """Prose candidates and table facts as one list: a prose restatement of a table figure
    shares its fields; any other figure prose read from inside a table is dropped (the table
    reader owns those figures: footnote digits, glued cells)."""
    spans = [(t.start, t.end) for t in tables if t.rows]
    totals: dict[str, list[Candidate]] = {}  # a round-up's total rows, by type
    by_kind: dict[tuple[str, str], list[TableFact]] = {}
    for fact in table_facts:  # only facts of one type and company can restate each other
        if fact.aggregate:
            totals.setdefault(fact.candidate.type, []).append(fact.candidate)
        else:
            key = (fact.candidate.type, fact.candidate.company.canonical)
            by_kind.setdefault(key, []).append(fact)
    kept = []
    for candidate in prose:
        totalled = totals.get(candidate.type, ())
        if _in_table(candidate, spans) or any(_restates_total(candidate, t) for t in totalled):
            continue
        match = _restated(candidate, by_kind.get((candidate.type, candidate.company.canonical), []))
        if match is not None:
            _share(candidate, match)
        kept.append(candidate)
    return kept + [t.candidate for t in table_facts if not t.aggregate]


def _restates_total(candidate: Candidate, total: Candidate) -> bool:
    """A prose figure that is a round-up table's total ("a total of 1,802 bitcoin")."""
    value = candidate.fields.get("value")
    return (
        candidate.type == total.type
        and isinstance(value, int | float)
        and _same(total.fields["value"], value)
    )


def _in_table(candidate: Candidate, spans: list[tuple[int, int]]) -> bool:
    """Whether the candidate lies inside a table; the tables' spans are in text order and do
    not overlap (each table ends where the next header starts)."""
    start = candidate.start if candidate.at is None else candidate.at
    index = bisect.bisect_right(spans, start, key=lambda span: span[0]) - 1
    if index < 0:
        return False
    if candidate.at is None:
        return candidate.end <= spans[index][1]
    return candidate.at < spans[index][1]


def _restated(candidate: Candidate, table_facts: list[TableFact]) -> TableFact | None:
    """The table fact (of the candidate's type and company) the prose figure restates."""
    value = candidate.fields.get("value")
    if not isinstance(value, int | float):
        return None
    same = [
        t for t in table_facts if _same(t.candidate.fields["value"], value) or value in t.aliases
    ]
    for key in ("period", "as_of"):
        agreeing = [t for t in same if t.candidate.fields.get(key) == candidate.fields.get(key)]
        if candidate.fields.get(key) and agreeing:
            return agreeing[0]
    return same[0] if same else None


def _same(a: float, b: float) -> bool:
    return same_figure(a, b) or same_figure(b, a)


def _share(prose: Candidate, table: TableFact) -> None:
    ours, theirs = prose.fields, table.candidate.fields
    if ours["value"] in table.aliases:
        ours["value"] = theirs["value"]
    for key in ("period", "as_of", "proceeds_usd"):
        if theirs.get(key) is not None:
            ours[key] = theirs[key]
        elif ours.get(key) is not None and key in theirs:
            theirs[key] = ours[key]
    if "status" in ours and ours["status"] != "unspecified":
        theirs["status"] = ours["status"]
    elif "status" in theirs:
        ours["status"] = theirs["status"]
