"""The date an executive change takes effect, in the forms announcements write it.

"effective March 3, 2024", "effective as of 3 March", "with effect from 8th October 2022",
"beginning January 1, 2026", "starting Jan. 5", "as of April 30, 2025", "effective 2025-07-01",
"on the 15th", "at the end of the month" (the month the text is about) and "of the year",
"will retire on December 31, 2025", "last day will be June 30". A date that only says when something was announced ("On
March 3, 2025, Kevin Dunn notified ...") is no effective date when the text gives one of the
others.
"""

from __future__ import annotations

import re
from calendar import monthrange

from parser.extract.periods import Reference
from parser.normalize import parse_date

_MONTH = r"[A-Z][a-z]{2,8}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?P<iso>\d{{4}}-\d\d-\d\d)|"
    rf"(?P<md>{_MONTH}\s+{_DAY})(?P<mdy>,?\s+\d{{4}})?|"
    rf"(?P<dm>{_DAY}\s+(?:of\s+)?{_MONTH})(?P<dmy>,?\s+\d{{4}})?|"
    rf"the\s+(?P<nth>{_DAY})\b|"
    rf"(?:the\s+)?end\s+of\s+(?:the|this)\s+(?:(?P<eom>month)|(?P<eoy>year))\b"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
# Strongest first: an "effective" phrase, then "as of"/"beginning", then a bare "on"/"at".
_LEADS = (
    r"\b(?:effective|with\s+effect\s+from)(?:\s+as\s+of|\s+from|\s+on|\s+at)?\s+",
    r"\b(?:as\s+of|beginning|starting|commencing|last\s+day\s+(?:will\s+be|is|was))\s+(?:on\s+)?",
    r"\b(?:on|at)\s+",
)
_PATTERNS = tuple(re.compile(f"{lead}{_WEEKDAY}(?:{_DATE})") for lead in _LEADS)


def effective_date(text: str, anchor: int, reference: Reference) -> str | None:
    """The effective date the sentence gives for the change at `anchor`: the strongest form,
    the one after the change verb first. "Effective immediately" gives no date: null."""
    for pattern in _PATTERNS:
        matches = [m for m in pattern.finditer(text) if _resolve(m, reference)]
        later = [m for m in matches if m.start() >= anchor]
        chosen = (later or matches)[:1] if pattern is not _PATTERNS[-1] else later[:1]
        if chosen:
            return _resolve(chosen[0], reference)
    return None


def _resolve(match: re.Match[str], reference: Reference) -> str | None:
    year, month = reference.year, reference.month
    if match.group("iso"):
        return parse_date(match.group("iso"))
    if match.group("md"):
        stated = match.group("mdy") or (f", {year}" if year else "")
        return parse_date(match.group("md") + stated)
    if match.group("dm"):
        stated = match.group("dmy") or (f" {year}" if year else "")
        return parse_date(match.group("dm") + stated)
    if match.group("eoy"):
        return f"{year:04d}-12-31" if year else None
    if year is None or month is None:
        return None
    if match.group("eom"):
        return f"{year:04d}-{month:02d}-{monthrange(year, month)[1]:02d}"
    day = int(re.sub(r"\D", "", match.group("nth")))
    return f"{year:04d}-{month:02d}-{day:02d}" if day <= monthrange(year, month)[1] else None
