"""Pure functions that turn written numbers, money, units and dates into canonical values."""

from __future__ import annotations

import math
import re
from calendar import monthrange
from decimal import Decimal

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mn": 1e6, "mm": 1e6, "m": 1e6, "mil": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
HASHRATE_TO_EHS = {"e": 1.0, "p": 1e-3, "t": 1e-6, "g": 1e-9}

# "4,451", "3,644.7", "1, 479" (a stray space after the thousands comma), "0.511", "305", ".5".
NUMBER = r"(?:\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|\.\d+)"
_NUMBER_RE = re.compile(NUMBER)


def parse_number(text: str) -> float:
    """`"4,451"` -> 4451.0, `"1, 479"` -> 1479.0, `"3,644.7"` -> 3644.7."""
    match = _NUMBER_RE.search(text)
    if not match:
        raise ValueError(f"no number in {text!r}")
    return float(re.sub(r"[,\s]", "", match.group(0)))


def scale(value: float, multiplier: str | None) -> float:
    """Apply a written multiplier: `scale(305, "million")` -> 305000000."""
    if not multiplier:
        return value
    return value * MULTIPLIERS[multiplier.lower().rstrip(".")]


def clean_amount(value: float) -> int | float:
    """Integers stay integers in JSON (`305000000`, not `305000000.0`); inf and nan stay floats."""
    if not math.isfinite(value):
        return value
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def hashrate_to_ehs(value: float, unit: str) -> float:
    """Convert a hashrate in TH/s, PH/s, EH/s (or the spelled-out forms) to EH/s."""
    prefix = unit.strip().lower()[:1]
    if prefix not in HASHRATE_TO_EHS:
        raise ValueError(f"unknown hashrate unit {unit!r}")
    return round(value * HASHRATE_TO_EHS[prefix], 9)


def month_number(name: str) -> int | None:
    return MONTHS.get(name.strip().lower()[:3])


def last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{monthrange(year, month)[1]:02d}"


_ISO = re.compile(r"((?:19|20)\d{2})-(\d{2})-(\d{2})")
_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})")
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})")


def parse_date(text: str) -> str | None:
    """ISO date from "2024-05-06", "May 6, 2024", "Sep. 07, 2022", "8th October 2022"."""
    if match := _ISO.search(text):
        year, month, day = (int(part) for part in match.groups())
        return _iso(year, month, day)
    if (match := _MDY.search(text)) and (month_of := month_number(match.group(1))):
        return _iso(int(match.group(3)), month_of, int(match.group(2)))
    if (match := _DMY.search(text)) and (month_of := month_number(match.group(2))):
        return _iso(int(match.group(3)), month_of, int(match.group(1)))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def same_figure(precise: float, other: float) -> bool:
    """True when `other` is `precise` or a rounded restatement of it (8.238 vs 8.2)."""
    if precise == other:
        return True
    places = decimals(other)
    if places >= decimals(precise) or abs(precise - other) > 0.01 * abs(precise):
        return False
    return round(precise, places) == other


def decimals(value: float) -> int:
    """Digits after the decimal point of the shortest repr: 8.238 -> 3, 8.0 -> 0, 1e+21 -> 0."""
    if not math.isfinite(value):
        return 0
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def quarter_months(quarter: str) -> list[str]:
    """The months of a quarter: "2025-Q3" -> ["2025-07", "2025-08", "2025-09"]."""
    year, number = quarter.split("-Q")
    first = (int(number) - 1) * 3 + 1
    return [f"{year}-{month:02d}" for month in range(first, first + 3)]


def period_end(period: str | None) -> str | None:
    """Last day of a period: "2024-04" -> "2024-04-30", "2025-Q2" -> "2025-06-30"."""
    if not period:
        return None
    last = period.split("/")[-1]
    if match := re.fullmatch(r"(\d{4})-(\d{2})", last):
        return last_day(int(match.group(1)), int(match.group(2)))
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", last):
        return last_day(int(match.group(1)), int(match.group(2)) * 3)
    if re.fullmatch(r"\d{4}", last):
        return f"{last}-12-31"
    return None
