"""Rows of flattened tables: `Bitcoin mined | 358 | 353 | 310`, or glued `Bitcoin mined358353310`.

A row's label says what it counts (a bitcoin or hashrate trigger word, no money or ratio words);
its columns take their periods from the header row above (`Apr-24 | Mar-24 | Feb-24`). A glued
row is split into as many numbers as the header has periods, choosing the split whose numbers
are most alike (and dropping a footnote digit glued to the label when that fits better).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations, pairwise

from parser.extract.periods import Reference, find_period
from parser.normalize import clean_amount, parse_number

_PERIOD_CELL = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*[-\s']?\d{2,4}|Q[1-4][\s'-]*\d{2,4}|"
    r"\b(?:19|20)\d{2}\b|(?:first|second|third|fourth) quarter",
    re.I,
)
_NUMBER_CELL = re.compile(r"^\(?\$?\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?$")
_GLUED_ROW = re.compile(r"^(?P<label>[^\d|]*?[A-Za-z)\]])(?P<digits>[\d][\d,.]*)\s*$")
_VALID_PART = re.compile(r"^(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?$")
_DIGIT = re.compile(r"\d")
_PROSE_LINE = 100
_SINGLE_ROW_MAX = 70
_SPACED_ROW = re.compile(
    r"^\s*(?P<label>[A-Za-z][A-Za-z ()/'’-]{2,60}?)(?:\s+(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?){2,}\s*$"
)
_SPACED_VALUE = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w.,])")
_SINGLE_ROW = re.compile(
    r"^\s*(?:[•▪*\-–]\s*)?(?P<label>[A-Za-z][A-Za-z ()/'’-]{3,50}?)\s*(?::|–|-)?\s*"
    r"(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*$"
)


@dataclass(frozen=True)
class Cell:
    value: float
    period: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    start: int  # document offsets of the row's line
    end: int


def table_rows(text: str, reference: Reference, not_a_count: re.Pattern[str]) -> list[Row]:
    """Rows of figures in `text`; labels matching `not_a_count` (money, ratios) are left out."""
    rows: list[Row] = []
    header: list[str | None] = []
    offset = 0
    for line in text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not _DIGIT.search(line):  # every header and row of figures has a digit
            if len(line) > _PROSE_LINE:
                header = []
            continue
        periods = _header_periods(line, reference)
        if len(periods) >= 2:
            header = periods
            continue
        if "|" in line:
            row = _separated_row(line, start, header)
        else:
            row = (
                _spaced_row(line, start, header)
                or _glued_row(line, start, header)
                or _single_value_row(line, start)
            )
        if row is None and len(line) > _PROSE_LINE:
            header = []
        if row and not not_a_count.search(row.label):
            rows.append(row)
    return rows


def _header_periods(line: str, reference: Reference) -> list[str | None]:
    if len(line) > _PROSE_LINE * 2 or len(_PERIOD_CELL.findall(line)) < 2:
        return []
    cells = [c.strip() for c in line.split("|")] if "|" in line else [line]
    found: list[str | None] = []
    for cell in cells:
        for match in _PERIOD_CELL.finditer(cell):
            found.append(find_period(match.group(0), 0, reference))
    numeric = [c for c in cells if _NUMBER_CELL.match(c.replace(" ", ""))]
    return found if len(found) >= 2 and len(numeric) < len(found) else []


def _separated_row(line: str, start: int, header: list[str | None]) -> Row | None:
    """`label | 705 | 650`, also as a Markdown row `| label | 705 | 650 |`."""
    parts = line.split("|")
    if not parts[0].strip() and len(parts) > 2:  # Markdown: a leading pipe
        start += len(parts[0]) + 1
        line = line[len(parts[0]) + 1 :]
        parts = parts[1:]
    label = parts[0].strip()
    cells: list[Cell] = []
    position = start + len(parts[0]) + 1
    values = []
    for part in parts[1:]:
        raw = part.strip()
        cell_start = position + (len(part) - len(part.lstrip()))
        position += len(part) + 1
        if _NUMBER_CELL.match(raw.replace(" ", "")):
            values.append((raw, cell_start))
    if not label or not values:
        return None
    periods = _align(header, len(values))
    for (raw, cell_start), period in zip(values, periods, strict=True):
        number = parse_number(raw.replace("(", "").replace(")", ""))
        cells.append(Cell(number, period, cell_start, cell_start + len(raw)))
    return Row(label, tuple(cells), start, start + len(line))


def _spaced_row(line: str, start: int, header: list[str | None]) -> Row | None:
    """PDF text of an unruled table: `Bitcoin mined   865   742` under a header of periods."""
    match = _SPACED_ROW.match(line)
    if not header or not match:
        return None
    values = list(_SPACED_VALUE.finditer(line, match.end("label")))
    if len(values) != len(header):
        return None
    cells = tuple(
        Cell(parse_number(v.group(0)), period, start + v.start(), start + v.end())
        for v, period in zip(values, header, strict=True)
    )
    return Row(match.group("label").strip(), cells, start, start + len(line))


def _glued_row(line: str, start: int, header: list[str | None]) -> Row | None:
    if len(header) < 2:
        return None
    match = _GLUED_ROW.match(line.strip())
    if not match:
        return None
    lead = len(line) - len(line.lstrip())
    digits = match.group("digits")
    split = split_glued(digits, len(header))
    if split is None:
        return None
    cells = []
    cursor = start + lead + match.start("digits") + (len(digits) - sum(len(p) for p in split))
    for part, period in zip(split, header, strict=True):
        cells.append(Cell(parse_number(part), period, cursor, cursor + len(part)))
        cursor += len(part)
    return Row(match.group("label").strip(), tuple(cells), start, start + len(line))


def _single_value_row(line: str, start: int) -> Row | None:
    """A short "label: value" line without a unit: `Bitcoin mined: 705`, `• BTC held 1,402`."""
    match = _SINGLE_ROW.match(line)
    if not match or len(line) > _SINGLE_ROW_MAX:
        return None
    value = match.group("value")
    cell_start = start + match.start("value")
    cell = Cell(parse_number(value), None, cell_start, cell_start + len(value))
    return Row(match.group("label").strip(), (cell,), start, start + len(line))


def split_glued(digits: str, columns: int) -> list[str] | None:
    """Split `"358353310"` into 3 -> `["358", "353", "310"]`; a leading footnote digit may go."""
    best: tuple[float, list[str]] | None = None
    for skip in (0, 1):
        body = digits[skip:]
        for cuts in combinations(range(1, len(body)), columns - 1):
            bounds = (0, *cuts, len(body))
            parts = [body[a:b] for a, b in pairwise(bounds)]
            if not all(_VALID_PART.match(p) for p in parts):
                continue
            values = [parse_number(p) for p in parts]
            if min(values) <= 0:
                continue
            spread = max(values) / min(values) + skip * 0.5
            if best is None or spread < best[0]:
                best = (spread, parts)
    return best[1] if best else None


def _align(header: list[str | None], count: int) -> list[str | None]:
    return header[:count] if len(header) >= count else [None] * count


def cell_value(cell: Cell) -> int | float:
    return clean_amount(cell.value)
