"""Split a table row's figures into its columns.

A row's figures arrive as atoms: runs of digits with what is attached to them (`$`, `%`, a unit,
parentheses). An atom may hold several glued cells (`3623333559%` = 362, 333, 355, 9%) and
footnote digits glued to a label, a unit or a value (`Held17,327`, `EH/s210.7`, `205,7592`).
Every reading that gives the header's number of period columns is scored, and the most
plausible wins: a row's values are alike (same size, same decimals, same length when cut), change columns agree with
the values they compare, and a footnote marker is a small number the table uses as one (listed
below it, or the next in the sequence of markers already seen).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from parser.normalize import parse_number

_VALID = re.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?|0?\.\d+")
_MARK = re.compile(r"[1-9]\d?")
_MAX_MARK = 20
_TO_EHS = {"EH/s": 1.0, "PH/s": 1e-3, "TH/s": 1e-6}
_MAX_READINGS = 20000
# Costs of a reading (lower is better).
_SPREAD = 1.0  # per unit of log(max / min) of the row's period values
_CUT = 0.3  # per cell cut out of glued digits
_ZERO = 3.0  # per zero cell cut out of glued digits
_DECIMALS = 3.0  # per extra number of decimal places among the period values
_DIGITS = 0.3  # per extra count of whole-number digits among values cut out of glued digits
_UNKNOWN_MARK = 1.5
_LISTED_MARK = 0.4  # a marker the footnotes below the table explain
_STUCK = 1.0  # off a marker's cost when it is glued to a word with nothing after it
_NEXT_MARK = -0.5  # the marker that follows the ones already seen
_DROPPED = 3.0  # per figure left over after the last column
_MISSING = 2.0  # per column the row has no figure for
_MAX_CHANGE = 1000.0  # a change column's percent
_EMPTY = 1.0  # a row with no figure at all (a section heading, "Managed Services8")
_CHANGE_AGREES = -1.5
_CHANGE_DISAGREES = 1.0


@dataclass(frozen=True)
class Atom:
    digits: str
    start: int  # document offsets: `start` is where `digits` begins
    end: int
    glued: bool = False  # directly after a letter, unit or parenthesis: may start with a marker
    percent: bool = False
    unit: str | None = None
    money: bool = False
    scale: float = 1.0
    negative: bool = False
    dash: bool = False  # "-" or "—": a column with no figure


@dataclass(frozen=True)
class Part:
    value: float | None
    start: int
    end: int
    unit: str | None = None
    money: bool = False
    glued: float | None = None
    decimals: int = 0


@dataclass(frozen=True)
class Split:
    periods: tuple[Part | None, ...]
    changes: tuple[float, ...] = ()
    markers: tuple[str, ...] = ()


@dataclass
class _Reading:
    periods: list[Part | None] = field(default_factory=list)
    changes: list[float] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    dropped: int = 0
    cuts: int = 0  # cells cut out of glued digits
    stuck: int = 0  # lone markers glued to a word ("Managed Services8")
    zeros: int = 0  # zero cells cut out of glued digits


def split_cells(
    atoms: list[Atom],
    periods: int,
    changes: int,
    listed: set[str],
    seen: set[str],
    current: int | None = None,
    alike: bool = True,
) -> Split:
    """The most plausible reading of `atoms` as `periods` period cells (then change cells);
    `current` is the index of the period the change columns compare the others with; `alike`
    says the cells are one measure over several periods (so of one size), not several."""
    best: tuple[float, _Reading] | None = None
    for reading in _readings(atoms, 0, _Reading(), periods, [0]):
        cost = _cost(reading, periods, listed, seen, current, changes, alike)
        if best is None or cost < best[0]:
            best = (cost, reading)
    if best is None:
        return Split(tuple([None] * periods))
    reading = best[1]
    padded = reading.periods + [None] * (periods - len(reading.periods))
    return Split(tuple(padded), tuple(reading.changes), tuple(reading.markers))


def _readings(
    atoms: list[Atom], index: int, so_far: _Reading, periods: int, budget: list[int]
) -> list[_Reading]:
    budget[0] += 1
    if index == len(atoms) or budget[0] > _MAX_READINGS:
        return [so_far]
    found: list[_Reading] = []
    for option in _options(atoms[index], periods - len(so_far.periods)):
        if so_far.dropped and option.periods:
            continue  # only figures after the last column are left over
        found += _readings(atoms, index + 1, _extend(so_far, option), periods, budget)
    return found


def _extend(reading: _Reading, option: _Reading) -> _Reading:
    return _Reading(
        reading.periods + option.periods,
        reading.changes + option.changes,
        reading.markers + option.markers,
        reading.dropped + option.dropped,
        reading.cuts + option.cuts,
        reading.stuck + option.stuck,
        reading.zeros + option.zeros,
    )


def _options(atom: Atom, room: int) -> list[_Reading]:
    """Every way to read one atom: as cells (with markers glued before or after), as a lone
    footnote marker, or as a figure left over after the last column."""
    if atom.dash:
        return (
            [_Reading(periods=[Part(None, atom.start, atom.end)])]
            if room > 0
            else [_Reading(dropped=1)]
        )
    options = [_Reading(dropped=1)]
    if _MARK.fullmatch(atom.digits) and int(atom.digits) <= _MAX_MARK and not atom.percent:
        options.append(_Reading(markers=[atom.digits], stuck=int(atom.glued)))
    for lead in _leads(atom):
        for trail in _trails(atom, lead):
            body = atom.digits[len(lead) : len(atom.digits) - len(trail)]
            for parts in _splits(body, room + (1 if atom.percent else 0)):
                if not (lead and atom.percent and len(parts) == 1):  # no marker before a "3%"
                    options.append(_reading(atom, lead, trail, parts))
    return options


def _leads(atom: Atom) -> list[str]:
    leads = [""]
    if atom.glued:
        leads += [
            atom.digits[:n]
            for n in (1, 2)
            if len(atom.digits) > n and _is_mark(atom.digits[:n]) and atom.digits[n] not in ",."
        ]
    return leads


def _trails(atom: Atom, lead: str) -> list[str]:
    trails = [""]
    whole = atom.digits[len(lead) :]
    if not atom.percent and not atom.unit and not atom.money and not _VALID.fullmatch(whole):
        trails += [
            whole[-n:]
            for n in (1, 2)
            if len(whole) > n and _is_mark(whole[-n:]) and whole[-n - 1] not in ",."
        ]
    return trails


def _is_mark(text: str) -> bool:
    return bool(_MARK.fullmatch(text)) and int(text) <= _MAX_MARK


def _splits(body: str, count: int) -> list[list[str]]:
    """`body` cut into 1..`count` valid numbers."""
    if not body:
        return []
    found: list[list[str]] = []
    if _VALID.fullmatch(body):
        found.append([body])
    if count > 1:
        for cut in range(1, len(body)):
            head = body[:cut]
            if not _VALID.fullmatch(head) or body[cut] in ",.":
                continue
            found += [[head, *rest] for rest in _splits(body[cut:], count - 1)]
            if "," in head:  # "106,6742" + "72,428": a marker after a grouped figure's last group
                found += _marked(head, body[cut:], count)
    return found


def _marked(head: str, tail: str, count: int) -> list[list[str]]:
    """`head`, a footnote marker opening `tail` (written `^2`), then `tail`'s numbers."""
    found: list[list[str]] = []
    for n in (1, 2):
        mark, rest = tail[:n], tail[n:]
        if _is_mark(mark) and rest and rest[0] not in ",.":
            found += [[head, f"^{mark}", *more] for more in _splits(rest, count - 1)]
    return found


def _reading(atom: Atom, lead: str, trail: str, parts: list[str]) -> _Reading:
    values = sum(1 for p in parts if not p.startswith("^"))
    reading = _Reading(markers=[m for m in (lead,) if m], cuts=values - 1)
    cursor = atom.start + len(lead)
    for index, part in enumerate(parts):
        if part.startswith("^"):  # a marker glued between two cells
            reading.markers.append(part[1:])
            cursor += len(part) - 1
            continue
        start, cursor = cursor, cursor + len(part)
        last = index == len(parts) - 1
        if last and atom.percent:
            reading.changes.append(parse_number(part) * (-1 if atom.negative else 1))
            continue
        reading.zeros += values > 1 and parse_number(part) == 0
        glued = parse_number(lead + part) * atom.scale if lead and index == 0 else None
        end = atom.end if last and not trail else cursor
        reading.periods.append(
            Part(
                parse_number(part) * atom.scale,
                start,
                end,
                atom.unit,
                atom.money,
                glued,
                len(part.split(".")[1]) if "." in part else 0,
            )
        )
    if trail:
        reading.markers.append(trail)
    return reading


def _cost(
    reading: _Reading,
    periods: int,
    listed: set[str],
    seen: set[str],
    current: int | None,
    changes: int,
    alike: bool = True,
) -> float:
    if len(reading.periods) > periods or len(reading.changes) > max(changes, 2):
        return math.inf
    cost = _mark_cost(reading.markers, listed, seen) - _STUCK * reading.stuck
    if any(abs(c) >= _MAX_CHANGE for c in reading.changes):
        return math.inf
    filled = sum(1 for p in reading.periods if p is not None)
    heading = not filled and not reading.changes and not reading.dropped
    cost += _DROPPED * reading.dropped + (_EMPTY if heading else _MISSING * (periods - filled))
    parts = [p for p in reading.periods if p is not None and p.value is not None]
    values = [abs(p.value) * _TO_EHS.get(p.unit or "", 1.0) for p in parts if p.value]
    if len(values) > 1 and alike:
        cost += _SPREAD * math.log(max(values) / min(values))
    if reading.cuts:
        cost += (
            _CUT * reading.cuts
            + _ZERO * reading.zeros
            + _DECIMALS * (len({p.decimals for p in parts}) - 1)
            + _DIGITS * (len({_whole_digits(abs(p.value)) for p in parts if p.value}) - 1)
        )
    return cost + _change_cost(reading, current)


def _whole_digits(value: float) -> int:
    """How many digits a value has before its decimal point: cells cut from one run of glued
    digits are alike in length as well as in size ("140112100" is 140 / 112 / 100, not a
    marker 1 and 40 / 112 / 100)."""
    return len(str(int(value)))


def _mark_cost(markers: list[str], listed: set[str], seen: set[str]) -> float:
    cost = 0.0
    known = set(seen)
    for mark in markers:
        if int(mark) == _next_mark(known, listed):
            cost += _NEXT_MARK
        elif mark in listed or mark in known:
            cost += _LISTED_MARK
        else:
            cost += _UNKNOWN_MARK
        known.add(mark)
    return cost


def _next_mark(seen: set[str], listed: set[str]) -> int | None:
    """The marker expected next: the one after the last seen, else the first footnote."""
    if seen:
        return max(int(m) for m in seen) + 1
    return min((int(m) for m in listed), default=None)


def _change_cost(reading: _Reading, current: int | None) -> float:
    """Change columns (`4%`, `(7)%`) agree with the change between the current period's value
    and another column's."""
    if current is None or current >= len(reading.periods) or not reading.changes:
        return 0.0
    base = reading.periods[current]
    if base is None or not base.value:
        return 0.0
    ratios = [
        (base.value / other.value - 1) * 100
        for i, other in enumerate(reading.periods)
        if i != current and other is not None and other.value
    ]
    cost = 0.0
    for change in reading.changes:
        agrees = any(abs(change - r) <= max(1.0, 0.05 * abs(change)) for r in ratios)
        cost += _CHANGE_AGREES if agrees else _CHANGE_DISAGREES
    return cost
