"""One model for the metrics tables releases carry, whatever shape the text gives them.

A table is a header of columns (periods, then change columns such as `Month/Month`) and rows: a
label and one cell per column, with footnotes below. The text may keep it as `a | b | c` lines,
one cell per line, whitespace-aligned PDF columns, Markdown pipes, or run the whole table into
one line with or without spaces (`Bitcoin Produced3623333559%2%`). The reader scans labels and
figures as a stream, not lines, so every layout gives the same rows; figures glued together are
split by `table_split.split_cells` (column count and plausibility).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from parser.extract.table_split import Atom, Split, split_cells
from parser.normalize import month_number, parse_number

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|"
    r"JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\.?"
)
_YEAR4 = r"(?:19|20)\d{2}(?![\d,])"
# A token starts with one of the lookahead's characters: checking it first skips most positions.
_HEADER_TOKEN = re.compile(
    r"(?=[0-9%TtSsNnQqYyFfJjMmAaOoDdCc])(?:"
    rf"(?P<span>(?i:(?:three|six|nine|twelve|3|6|9|12)[\s-]+months?|quarter|(?:fiscal\s+)?year))"
    rf"\s+(?i:end(?:ed|ing))\s+(?P<smonth>{_MONTH})(?:\s*\d{{1,2}}(?!\d))?,?"
    rf"|(?P<fq>(?i:Q[1-4])\s*(?i:FY)\s*'?\d{{2,4}})"
    rf"|(?P<fy>(?i:FY)\s*'?(?:{_YEAR4}|\d{{2}}(?!\d)))"
    rf"|(?P<month>{_MONTH})(?:[\s-]*\d{{1,2}}(?!\d),)?[\s|]*(?P<year>{_YEAR4})"
    rf"|(?P<amonth>{_MONTH})\s?[-'’]\s?(?P<yy>\d{{2}})(?!\d)"
    rf"|(?P<q>(?i:Q[1-4]))[\s'’-]*(?P<qyear>{_YEAR4}|\d{{2}}(?!\d))"
    rf"|(?P<q2>[1-4])(?i:Q)[\s'’-]*(?P<q2year>{_YEAR4}|\d{{2}}(?!\d))"
    rf"|(?<![\d,.$])(?P<bare>{_YEAR4})(?!\.\d)"
    rf"|(?P<bmonth>(?<![A-Za-z]){_MONTH}(?![A-Za-z]))"
    r"|(?P<change>(?i:(?:month|year|quarter)[\s/-]*(?:over[\s-]*)?(?:month|year|quarter)"
    r"|[MYQ]/[MYQ]|MoM|YoY|QoQ|%\s*change|change\s*\(?%\)?)(?:[ \t]+(?i:growth|change))?))"
)
# What may stand between two header columns: separators, footnote digits and header words.
_FILLER = re.compile(
    r"^(?:[\s|*,.:;()%/\-–—]|\d{1,2}(?!\d)|(?i:metrics?|key|one|months?|ended|ending|unaudited|"
    r"comparison|summary|period|three|six|nine|twelve|end|as\s+of|at))*$"
)
_GAP = 60
_DAY = re.compile(r"\d{1,2},")
# Between two month names with no year ("Miner | July | June"): cell separators only.
_CELL_BREAKS = frozenset(" \t|\n")
_SPAN_LENGTH = {"three": 3, "3": 3, "quarter": 3, "six": 6, "6": 6, "nine": 9, "9": 9}


@dataclass(frozen=True)
class Column:
    kind: str  # "period" or "change"
    period: str | None
    start: int
    end: int
    metric: str | None = None  # what the column counts, in a header of metrics ("BTC mined")


@dataclass(frozen=True)
class Header:
    columns: tuple[Column, ...]
    start: int
    end: int

    @property
    def periods(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind == "period")

    @property
    def changes(self) -> int:
        return sum(1 for c in self.columns if c.kind == "change")


@dataclass(frozen=True)
class Cell:
    column: int  # index into the header's period columns
    value: float | None  # None for "-" (no figure)
    start: int
    end: int
    unit: str | None
    money: bool
    glued: float | None  # the figure read with its glued footnote digit ("110.9" for 10.9)


@dataclass(frozen=True)
class Row:
    label: str
    start: int  # offsets of the label
    end: int
    cells: tuple[Cell, ...]
    markers: tuple[str, ...]  # footnote markers of the row
    parent: str | None  # the row a "- Sub-row" belongs to
    section: str | None  # the value-less row above ("Managed Services")


@dataclass(frozen=True)
class Table:
    header: Header
    rows: tuple[Row, ...]
    footnotes: dict[str, str]
    start: int
    end: int


# ---------------------------------------------------------------- header


@dataclass
class _Token:
    match: re.Match[str]

    @property
    def kind(self) -> str:
        return next(k for k, v in self.match.groupdict().items() if v is not None)


def find_headers(text: str, reference: tuple[int, int] | None = None) -> list[Header]:
    """Runs of period (and change) column names with only header words between them;
    `reference` (year, month) dates month names written without a year."""
    headers: list[Header] = []
    run: list[re.Match[str]] = []
    for match in _HEADER_TOKEN.finditer(text):
        if run and (match.group("span") or not _joins(text, run[-1], match)):
            headers += _header(text, run, reference)
            run = []
        names = [_name(m) for m in run]
        if _name(match) in names:  # a headline's "September 2023" just before the columns
            run = run[names.index(_name(match)) + 1 :]
        run.append(match)
    if run:
        headers += _header(text, run, reference)
    return headers


def _joins(text: str, last: re.Match[str], match: re.Match[str]) -> bool:
    gap = text[last.end() : match.start()]
    if last.group("bmonth") or match.group("bmonth"):
        breaks = "|" in gap or "\n" in gap or "\t" in gap or "  " in gap
        return len(gap) <= _GAP and breaks and set(gap) <= _CELL_BREAKS
    return len(gap) <= _GAP and bool(_FILLER.match(gap))


def _name(match: re.Match[str]) -> str:
    return " ".join(match.group(0).split()).lower()


def _header(text: str, run: list[re.Match[str]], reference: tuple[int, int] | None) -> list[Header]:
    columns: list[Column] = []
    span: tuple[int, int] | None = None  # (months, end month) of "Three Months Ended Sep 30"
    for match in run:
        kind = _Token(match).kind
        if kind == "span":
            span = _span(match)
        elif kind == "change":
            columns.append(Column("change", None, match.start(), match.end()))
        elif kind == "bare" and span is None and _count(run, "bare") < 2:
            continue
        elif kind == "bmonth" and _count(run, "bmonth") < 2 and not _in_cell(text, match):
            continue  # a lone month name is a word of the text, not a column
        else:
            period = _period(match, span, reference)
            columns.append(Column("period", period, match.start(), match.end()))
    periods = [c for c in columns if c.kind == "period"]
    lone = len(periods) == 1 and not (
        _lone_column(text, columns[0], run) or any(_in_cell(text, m) for m in run)
    )
    if not periods or lone:
        return []
    return [Header(tuple(columns), columns[0].start, run[-1].end())]


def _in_cell(text: str, match: re.Match[str]) -> bool:
    """A name that is a whole table cell: `| March |`, `|March` on a line of its own."""
    if _DAY.search(match.group(0)):
        return False  # "By Staff Writer | July 3, 2025": a dateline
    before = text[max(0, match.start() - 3) : match.start()].strip(" \t")
    after = text[match.end() : match.end() + 3].strip(" \t")
    return before.endswith("|") and (not after or after[0] in "|\n")


def _count(run: list[re.Match[str]], kind: str) -> int:
    return sum(1 for m in run if m.group(kind) is not None)


def _lone_column(text: str, first: Column, run: list[re.Match[str]]) -> bool:
    """A lone period is a column name on its own line or cell, or glued between a label and a
    figure ("Key metrics2Jun-22Average ..."), never one inside a sentence nor a dateline
    ("July 8, 2025")."""
    last = run[-1]
    if _DAY.search(text[first.start : first.end]):
        return False
    before = text[first.start - 1] if first.start else "\n"
    after = text[last.end()] if last.end() < len(text) else "\n"
    return (before in "\n|" or before.isalnum()) and (after in "\n|" or after.isalpha())


def _span(match: re.Match[str]) -> tuple[int, int]:
    word = match.group("span").lower().split()[0].split("-")[0]
    return _SPAN_LENGTH.get(word, 12), month_number(match.group("smonth")) or 12


def _period(
    match: re.Match[str], span: tuple[int, int] | None, reference: tuple[int, int] | None
) -> str | None:
    g = match.groupdict()
    if g["bmonth"]:
        return _unyeared(month_number(g["bmonth"]) or 1, reference)
    if g["fq"] or g["fy"]:
        return None  # fiscal periods need the company's fiscal calendar
    if g["q"] or g["q2"]:
        year = _year(g["qyear"] or g["q2year"])
        return f"{year}-Q{(g['q'] or g['q2'])[-1]}"
    if g["amonth"]:
        return _spanned(_year(g["yy"]), month_number(g["amonth"]) or 1, None)
    if g["month"]:
        return _spanned(int(g["year"]), month_number(g["month"]) or 1, span)
    year = int(g["bare"])
    return _spanned(year, span[1], span) if span else str(year)


def _unyeared(month: int, reference: tuple[int, int] | None) -> str | None:
    """A month named without a year: the latest such month up to the reference month."""
    if reference is None:
        return None
    year = reference[0] if month <= reference[1] else reference[0] - 1
    return f"{year}-{month:02d}"


def _year(text: str) -> int:
    year = int(text.strip("'’ "))
    return year + 2000 if year < 100 else year


def _spanned(year: int, month: int, span: tuple[int, int] | None) -> str:
    """The column's period: its month, or the quarter/year a "Three Months Ended" header spans."""
    length = span[0] if span else 1
    if length == 3 and month % 3 == 0:
        return f"{year}-Q{month // 3}"
    if length == 12 and month == 12:
        return str(year)
    if length == 1:
        return f"{year}-{month:02d}"
    start_year, start_month = divmod(year * 12 + month - length, 12)
    return f"{start_year}-{start_month + 1:02d}/{year}-{month:02d}"


# ---------------------------------------------------------------- rows

_DASH_END = r"(?=\s*(?:$|[\d(|\n$]))"  # a "-" cell, not the dash of "Sales - Net Proceeds"
_SEPARATORS = re.compile(r"(?:[\s|•●▪·]|(?<=\n)o(?=\s*\|?\s*\n)|:?-{3,}:?)+")
_LABEL = re.compile(
    r"(?:[-–—]\s+)?\*?[A-Za-z][A-Za-z’'&/,.:*%\s-]*?(?:\([^()\n|]{0,30}\)[A-Za-z’'&/,.:*\s-]*?)*"
    rf"(?=\s*(?:[|\n$~]|\((?=[\s$]*\d)|\d|(?<=\s)[-–—]{_DASH_END}|$)|\s*(?:Appx|Approx)\.)"
)
# _VALUE and _FOOTNOTE_START are matched where `_skip` stopped, never at a separator: saying so
# (`(?![\s|])`, no leading `[\s|]*`) and taking spaces possessively keeps them linear on runs of
# spaces however they are applied.
_VALUE = re.compile(
    r"(?![\s|])(?P<hedge>(?:Appx|Approx)\.?\s*+|~\s*+)?(?P<open>\()?\s*+(?P<cur>US\$|C\$|\$)?[\s|]*+"
    r"(?P<sign>[-−–](?=\d))?(?P<num>\d[\d,.]*\d|\d)(?P<close>\))?"
    r"(?:[ \t]?(?P<scale>million|billion|thousand|[MBK](?![A-Za-z])))?"
    r"(?:[ \t]?(?P<unit>%|(?:[EPT]H/s|BTC(?![ \t]*[A-Za-z])|MW|x)(?![A-Za-z])))?(?P<close2>\))?"
    rf"|(?P<dash>(?<=[\s|])[-–—]{_DASH_END})"
)
_PROSE = re.compile(
    r"\b(?:was|were|is|are|has|have|had|will|would|which|that|we|our|its|from|to|an|said|"
    r"raised|used|using|including|includes|covers|means|stood|stands|reached|totaled|came|"
    r"the company)\b|\.\s+[A-Z]|\w['’]s\b",
    re.I,
)
_FOOTNOTE_START = re.compile(r"(?:(?<!\*)\*++\s*+[A-Z]|\d{1,2}(?:\.\s|\)\s|\s++[-–]\s))")
_FOOTNOTE = re.compile(
    r"(?m)^[ \t|]*(?P<mark>\d{1,2})(?:[.)]|\s+[-–]|[ \t|]*\n[ \t|]*(?:\n[ \t|]*)?)[ \t]*"
    r"(?P<text>[A-Z“\"(][^\n]{2,400})"
)
# "... 164% 1. As of month-end. 2. Exahash per second.": footnotes run on after the last row.
_INLINE_NOTE = re.compile(r"(?<![\w,.$])(?P<mark>\d{1,2})\.[ \t]+(?=[A-Z“\"(])")
_MARK_BEFORE = re.compile(r"[A-Za-z)](\d{1,2})(?![\d,.])")
_LOOSE_ROW = re.compile(
    r"(?m)^[ \t|]*(?:[•▪*\-–][ \t]*)?(?P<label>[A-Za-z][A-Za-z ()/'’-]{3,50}?)[ \t]*"
    r"(?:[:–-][ \t]*)?(?P<cells>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|(?:\|[ \t]*\(?[\d,.]+\)?%?[ \t]*)+\|?)[ \t]*$"
)
_MAX_LABEL = 90
_MAX_WORDS = 10
_MAX_ROWS = 60
_MAX_ATOMS = 100  # figures in one row: far more than any row's cells and marks
_FOOTNOTE_REACH = 2500
_MARK_REACH = 120
_SCALES = {"million": 1e6, "m": 1e6, "billion": 1e9, "b": 1e9, "thousand": 1e3, "k": 1e3}


def read_tables(
    text: str,
    reference: tuple[int, int] | None = None,
    names: Sequence[tuple[int, int]] = (),
    is_metric: Callable[[str], bool] | None = None,
) -> list[Table]:
    """Every table in `text`: a header, then rows until prose, footnotes or the next header.
    A text with no table header may still list figures as short `label: figure` lines: those
    are read as one-column tables of no stated period. A table kept inside a JSON string
    (`"content":"Metrics\\nAugust 2023\\n..."`) is read with its escapes as the characters
    they stand for, at the same offsets. `reference` (year, month: the publication month)
    dates columns named by a month alone; `names` (start, end, in text order: the companies
    the text names) are read whole as a row's label ("Hut 8 | 300 | 195"). With `is_metric`,
    a header row whose cells are all metrics ("Company | BTC mined | Hashrate (EH/s)") is
    read too: its columns take the period the lines above name."""
    text = _unescaped(text)
    headers = find_headers(text, reference)
    if is_metric is not None:
        headers = _with_metric_headers(text, headers, is_metric)
    tables = []
    for index, header in enumerate(headers):
        limit = headers[index + 1].start if index + 1 < len(headers) else len(text)
        table = _read_table(text, header, limit, names)
        if table:
            tables.append(table)
    return tables or _loose_rows(text)


_MIN_METRICS = 2
_PERIOD_REACH = 400


def _with_metric_headers(
    text: str, headers: list[Header], is_metric: Callable[[str], bool]
) -> list[Header]:
    """`headers` and the metric headers of `text` that none of them overlaps, in text order."""
    starts = [h.start for h in headers]
    found = list(headers)
    for header in _metric_headers(text, is_metric):
        at = bisect.bisect_right(starts, header.start)
        before = headers[at - 1] if at else None
        after = headers[at] if at < len(headers) else None
        if (before is None or before.end <= header.start) and (
            after is None or header.end <= after.start
        ):
            found.append(header)
    return sorted(found, key=lambda h: h.start)


def _metric_headers(text: str, is_metric: Callable[[str], bool]) -> list[Header]:
    """Lines of pipe-separated cells, the first a corner ("Company"), every other a metric."""
    headers: list[Header] = []
    position = 0
    while True:
        bar = text.find("|", position)
        if bar < 0:
            return headers
        start = text.rfind("\n", 0, bar) + 1
        end = text.find("\n", bar)
        end = len(text) if end < 0 else end
        position = end + 1
        cells = _cells_of(text, start, end)
        names = [text[a:b] for a, b in cells[1:]]
        if len(cells) > _MIN_METRICS and all(_named(n) and is_metric(n) for n in names):
            period = _period_before(text, start)
            columns = tuple(Column("period", period, a, b, metric=text[a:b]) for a, b in cells[1:])
            headers.append(Header(columns, columns[0].start, columns[-1].end))


def _named(cell: str) -> bool:
    """A header cell is words: a row's cells hold figures."""
    return not any(c.isdigit() for c in cell)


def _cells_of(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of every non-empty cell of the line `text[start:end]`."""
    cells = []
    cursor = start
    while cursor <= end:
        bar = text.find("|", cursor, end)
        stop = end if bar < 0 else bar
        chunk = text[cursor:stop]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            cells.append((cursor + lead, cursor + len(chunk.rstrip())))
        cursor = stop + 1
    return cells


def _period_before(text: str, start: int) -> str | None:
    """The last month (with its year) the lines just above a table name: its period."""
    last = None
    for match in _HEADER_TOKEN.finditer(text, max(0, start - _PERIOD_REACH), start):
        if match.group("month"):
            last = match
    return _period(last, None, None) if last else None


_ESCAPES = {"\\n": " \n", "\\t": " \t", '\\"': ' "', "\\r": " \n"}
_ESCAPE = re.compile(r'\\[ntr"]')
_MIN_ESCAPES = 3


def _unescaped(text: str) -> str:
    """`text` with JSON escapes (`\\n`, `\\"`) replaced by what they stand for, padded with a
    space so that every offset stays where it was; unchanged when it has almost none."""
    if text.count("\\n") < _MIN_ESCAPES:
        return text
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)


def _loose_rows(text: str) -> list[Table]:
    """ "Bitcoin mined: 705", "• BTC held 1,402", "Bitcoin mined | 612 | 629": figures after a
    short label, in columns of no stated period."""
    tables = []
    for match in _LOOSE_ROW.finditer(text):
        label = match.group("label").strip()
        start = match.start("label")
        atoms = _atoms(text, match.start("cells"), match.end("cells"))[0]
        cells = tuple(
            Cell(i, parse_number(a.digits) * a.scale, a.start, a.end, a.unit, a.money, None)
            for i, a in enumerate(atoms)
            if not a.dash and not a.percent
        )
        if not cells:
            continue
        at = cells[0].start
        header = Header(tuple(Column("period", None, at, at) for _ in cells), at, at)
        row = Row(label, start, start + len(label), cells, (), None, None)
        tables.append(Table(header, (row,), {}, start, cells[-1].end))
    return tables


@dataclass
class _RawRow:
    label: str
    start: int
    end: int
    atoms: list[Atom]


def _read_table(
    text: str, header: Header, limit: int, names: Sequence[tuple[int, int]]
) -> Table | None:
    raw_rows, end = _scan_rows(text, header.end, limit, names)
    last = raw_rows[-1].start if raw_rows else end
    stop = min(len(text), end + _FOOTNOTE_REACH)
    footnotes = _inline_footnotes(text, end, stop)
    footnotes.update(
        (m.group("mark"), m.group("text")) for m in _FOOTNOTE.finditer(text, last, stop)
    )
    rows = _rows(raw_rows, header, set(footnotes), _marks_in(text, header))
    if not any(row.cells for row in rows):
        return None
    return Table(header, tuple(rows), footnotes, header.start, end)


def _inline_footnotes(text: str, end: int, stop: int) -> dict[str, str]:
    """Numbered notes run into the line right after the table, each up to the next number."""
    line_end = text.find("\n", _skip(text, end, stop))
    line_end = stop if line_end < 0 else min(line_end, stop)
    notes: dict[str, str] = {}
    match = _INLINE_NOTE.match(text, _skip(text, end, stop), line_end)
    while match is not None:
        after = str(int(match.group("mark")) + 1)
        following = next(
            (
                m
                for m in _INLINE_NOTE.finditer(text, match.end(), line_end)
                if m.group("mark") == after
            ),
            None,
        )
        body_end = following.start() if following else line_end
        notes[match.group("mark")] = text[match.end() : body_end].strip()
        match = following
    return notes


def _marks_in(text: str, header: Header) -> set[str]:
    """Footnote digits glued to the words just before the header ("Key metrics2Jun-22")."""
    window = text[max(0, header.start - _MARK_REACH) : header.end]
    return {m.group(1) for m in _MARK_BEFORE.finditer(window)}


def _scan_rows(
    text: str, position: int, limit: int, names: Sequence[tuple[int, int]]
) -> tuple[list[_RawRow], int]:
    rows: list[_RawRow] = []
    end = position
    while len(rows) < _MAX_ROWS:
        position = _skip(text, position, limit)
        if position >= limit or _FOOTNOTE_START.match(text, position, limit):
            break
        label = _LABEL.match(text, position, limit)
        if label is None or not label.group(0).strip():
            break
        name = label.group(0).strip()
        if len(name) > _MAX_LABEL or len(name.split()) > _MAX_WORDS or _PROSE.search(name):
            break
        label_end = max(label.end(), _name_end(names, position, label.end()))
        name = text[position:label_end].strip()
        atoms, after = _atoms(text, label_end, limit)
        rows.append(_RawRow(name, position, position + len(name), atoms))
        position = end = max(after, label_end)
    return rows, end


def _name_end(names: Sequence[tuple[int, int]], start: int, end: int) -> int:
    """The end of a name that starts within `text[start:end]` and goes on past it."""
    index = bisect.bisect_left(names, (start, -1))
    if index < len(names) and names[index][0] <= end < names[index][1]:
        return names[index][1]
    return end


def _skip(text: str, position: int, limit: int) -> int:
    match = _SEPARATORS.match(text, position, limit)
    return match.end() if match else position


def _atoms(text: str, position: int, limit: int) -> tuple[list[Atom], int]:
    atoms: list[Atom] = []
    end = position
    while len(atoms) < _MAX_ATOMS:
        start = _skip(text, position, limit)
        if "\n" in text[position:start] and _FOOTNOTE_START.match(text, start, limit):
            return atoms, end
        if _INLINE_NOTE.match(text, start, limit):
            return atoms, end
        match = _VALUE.match(text, start, limit)
        if match is None or match.end() == start:
            return atoms, end
        atoms.append(_atom(text, match, glued=start == position and start > 0))
        position = end = match.end()
    return atoms, end


def _atom(text: str, match: re.Match[str], glued: bool) -> Atom:
    if match.group("dash"):
        return Atom("", match.start(), match.end(), dash=True)
    number = match.group("num")
    scale = match.group("scale")
    prev = text[match.start("num") - 1] if match.start("num") else " "
    return Atom(
        digits=number,
        start=match.start("num"),
        end=match.end(),
        glued=glued and (prev.isalpha() or prev in ")*/%"),
        percent=match.group("unit") == "%",
        unit=match.group("unit") if match.group("unit") != "%" else None,
        money=bool(match.group("cur")),
        scale=_SCALES.get(scale.lower(), 1.0) if scale else 1.0,
        negative=bool(match.group("sign") or (match.group("open") and match.group("close"))),
    )


def _rows(
    raw_rows: list[_RawRow], header: Header, footnotes: set[str], seen: set[str]
) -> list[Row]:
    rows: list[Row] = []
    parent: str | None = None
    section: str | None = None
    periods = len(header.periods)
    current = _current(header)
    for raw in raw_rows:
        alike = not any(c.metric for c in header.columns)
        split = split_cells(raw.atoms, periods, header.changes, footnotes, seen, current, alike)
        seen |= set(split.markers)
        sub = raw.label[:1] in "-–—"
        label = raw.label.lstrip("-–— ").rstrip(" *:")
        cells = _cells(split, raw)
        if not cells and not sub:
            section = label
        owner = parent if sub else None
        rows.append(Row(label, raw.start, raw.end, cells, split.markers, owner, section))
        if not sub and cells:
            parent = label
    return rows


def _current(header: Header) -> int | None:
    """The column the change columns compare the others with: the latest period."""
    named = [(c.period, i) for i, c in enumerate(header.periods) if c.period]
    if len(named) < len(header.periods):
        return None
    return max(named)[1]


def _cells(split: Split, raw: _RawRow) -> tuple[Cell, ...]:
    return tuple(
        Cell(
            column=column,
            value=part.value,
            start=part.start,
            end=part.end,
            unit=part.unit,
            money=part.money,
            glued=part.glued,
        )
        for column, part in enumerate(split.periods)
        if part is not None
    )
