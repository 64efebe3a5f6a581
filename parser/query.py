"""Query filters checked before they reach SQL: dates, fact types and company names are
refused with the reason and what would have been accepted, never silently matched as text."""

from __future__ import annotations

import difflib
import re
from calendar import monthrange
from datetime import date

from parser.output import FACT_TYPES

DATE_FORMAT = "YYYY-MM-DD or YYYY-MM"
_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")


class FilterError(ValueError):
    """A filter value that cannot be used; the message says what is accepted."""


def parse_day(text: str, end: bool = False) -> str:
    """`2025-07-31` as is; `2025-07` as its first day (its last day when `end`)."""
    match = _DATE.fullmatch(text.strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        try:
            if match.group(3):
                return date(year, month, int(match.group(3))).isoformat()
            day = monthrange(year, month)[1] if end else 1
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    raise FilterError(f"{text!r} is not a date; use {DATE_FORMAT} (e.g. 2025-07-31 or 2025-07)")


def check_type(name: str) -> str:
    if name in FACT_TYPES:
        return name
    raise FilterError(
        f"unknown fact type {name!r}{_did_you_mean(name, FACT_TYPES)}; "
        f"types: {', '.join(FACT_TYPES)}"
    )


def check_choice(option: str, value: str, choices: tuple[str, ...] | list[str]) -> str:
    if value in choices:
        return value
    raise FilterError(
        f"{option} must be one of {', '.join(choices)}, not {value!r}"
        f"{_did_you_mean(value, choices)}"
    )


def closest(name: str, choices: list[str] | tuple[str, ...], count: int = 3) -> list[str]:
    """The choices nearest to `name` (case-insensitive), best first; substrings count."""
    lowered = {choice.lower(): choice for choice in choices}
    near = difflib.get_close_matches(name.lower(), list(lowered), n=count, cutoff=0.5)
    within = [c for c in lowered if name.lower() in c and c not in near]
    return [lowered[c] for c in (near + within)[:count]]


def _did_you_mean(name: str, choices: list[str] | tuple[str, ...]) -> str:
    near = closest(name, choices)
    return f" (did you mean {' or '.join(near)}?)" if near else ""
