"""Reporting periods ("September 2023", "Q2 2022", "year-to-date") and as-of dates.

Relative wording is resolved against the document's reference month: the latest month the text
has named with its year so far, else the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from parser.normalize import last_day, month_number, parse_date

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
# "December 2025", "Sept. 2024": the month name a year follows when it is a date.
MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s++\Z", re.I)
_ORDINAL_Q = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
_YEAR = r"(?:19|20)\d{2}"

_FISCAL = re.compile(
    rf"fiscal year ended\s+(?P<month>{_MONTH})\s+\d{{1,2}},?\s+(?P<year>{_YEAR})", re.I
)
_PERIOD_ENDED = re.compile(
    rf"\b(?P<span>quarter|(?:three|six|nine|twelve|3|6|9|12)[- ]months?|year)\s+end(?:ed|ing)\s+"
    rf"(?P<month>{_MONTH})\s+\d{{1,2}},?\s+(?P<year>{_YEAR})",
    re.I,
)
_SPAN_MONTHS = {"quarter": 3, "three": 3, "3": 3, "six": 6, "6": 6, "nine": 9, "9": 9,
                "twelve": 12, "12": 12, "year": 12}  # fmt: skip
_QUARTER = re.compile(
    rf"\bQ(?P<q1>[1-4])(?:\s*(?:/|')?\s*(?P<y1>{_YEAR}|\d{{2}}))?\b"
    rf"|\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y2>{_YEAR}))?"
    rf"|\b(?P<y3>{_YEAR})\s+(?P<ord3>first|second|third|fourth)[- ]quarter",
    re.I,
)
_HALF = re.compile(
    rf"\b(?:H(?P<h>[12])|(?P<hw>first|second) half)(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?", re.I
)
_YTD = re.compile(
    rf"year[- ]to[- ]date|so far this year|since the (?:beginning|start) of (?:the year|(?P<y>{_YEAR}))"
    rf"|first (?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven) months(?: of (?P<y2>{_YEAR}))?"
    rf"|first month of (?:the year|(?P<y1>{_YEAR}))",
    re.I,
)
_LAST_YEAR_SAME = re.compile(r"same period (?:of |in )?(?:last|the previous|the prior) year", re.I)
_YEAR_EARLIER = re.compile(
    r"\ba year (?:earlier|ago|before)|\bin the (?:prior|previous)[- ]year (?:quarter|period|month)",
    re.I,
)
_MONTH_RE = re.compile(rf"\b(?P<month>{_MONTH})(?:\s+(?P<year>{_YEAR}))?\b(?!\.?\s+\d{{1,2}}\b)")
_MONTH_ABBR = re.compile(
    r"\b(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(?P<yy>\d{2})\b"
)
# "at the end of June", "as of March": a date, not the period a figure covers.
_POINT_IN_TIME = re.compile(
    r"(?:end of|as of|as at|since|until|through|\bend(?:ed|ing)(?:\s+(?:in|on))?)\s+(?:the\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?$",
    re.I,
)
_LAST_MONTH = re.compile(r"\blast month\b|\bthe (?:previous|prior) month\b", re.I)
# "mined 156 BTC in the month", "during the past month": the month the text is about.
_THE_MONTH = re.compile(
    r"\b(?:in|during|for|over|throughout)\s+the\s+(?:past\s+|whole\s+|entire\s+)?month\b"
    r"|\bthis month\b",
    re.I,
)
# Fiscal years are left out: they need the company's fiscal calendar to become months.
_YEAR_ONLY = re.compile(
    rf"(?<!fiscal )(?<!fiscal year )\b(?:in|for|during|of|full[- ]year|calendar(?: year)?)\s+(?P<year>{_YEAR})\b",
    re.I,
)
_SAME_SPAN = re.compile(
    rf"\bsame (?P<unit>quarter|month|period) (?:of|in|last) (?P<year>{_YEAR}|year)", re.I
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11}  # fmt: skip

_AS_OF = re.compile(
    rf"\b(?:as of|as at|at|on)\s+(?:the\s+)?(?P<date>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?(?:\s+{_YEAR})?)"
    rf"|\b(?:at|as of|as at)\s+(?:the\s+)?end of\s+(?P<end>{_MONTH}(?:\s+{_YEAR})?|(?:the\s+)?(?:first|second|third|fourth)\s+quarter(?:\s+(?:of\s+)?{_YEAR})?|{_YEAR})",
    re.I,
)


_HALF_YEAR = 6


@dataclass(frozen=True)
class Reference:
    """The month relative wording refers to; year may be unknown. `from_text` tells a month the
    text named from one taken from the publication date."""

    year: int | None
    month: int | None
    from_text: bool = False
    published: tuple[int, int] | None = None  # the publication month, when known

    def year_of(self, month: int) -> int | None:
        """The year of a month named without one: the reference year, or the year before when
        the month is later than the reference and than the publication month (with no
        publication date: when it is more than half a year later, "December" in a January
        text)."""
        if self.year is None:
            return None
        if self.month is None or month <= self.month:
            return self.year
        if self.published:
            return self.year if (self.year, month) <= self.published else self.year - 1
        return self.year - 1 if month - self.month > _HALF_YEAR else self.year


def reference_from(published: str | None, source: str = "") -> Reference:
    """The publication month: the document's date, else a date its file is named by
    ("2025-01-10_RIOT_production-update.html", "roundup_2023-07.txt")."""
    if not published:
        dated = _SOURCE_DATE.search(PurePosixPath(source.replace("\\", "/")).name)
        published = dated.group(0) if dated else None
    if published:
        month = (int(published[:4]), int(published[5:7]))
        return Reference(month[0], month[1], published=month)
    return Reference(None, None)


_SOURCE_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?!\d)")


_COMPARISON_PHRASE = re.compile(
    r"\b(?:compared (?:with|to)|versus|vs\.?|up from|down from|than|against)\b[^;]*", re.I
)


_FORECAST_BEFORE = re.compile(
    r"\b(?:expected|expects|expect|will|scheduled|planned|plans|forecast|anticipated|anticipates|"
    r"due|by|until|targets?|targeting|aims?|since)\b[^.;]{0,30}$",
    re.I,
)


def without_comparisons(text: str) -> str:
    """The text without its comparison phrases, whose months ("compared with September 2022")
    never date the main figures."""
    return _COMPARISON_PHRASE.sub("", text)


def latest_month(text: str, current: Reference, cap: Reference, years: bool = True) -> Reference:
    """Move the reference to the latest month-and-year the text names ("September 2023"),
    ignoring months after the publication date `cap` (forecasts, scheduled events). With
    `years`, a bare year sets the year when none is known yet."""
    best = current
    for match in _MONTH_RE.finditer(text):
        month = month_number(match.group("month"))
        if not match.group("year") or not month:
            continue
        if _FORECAST_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # "the halving, expected to occur in April 2024": not a month reported on
        found = (int(match.group("year")), month)
        if cap.year and cap.month and found > (cap.year, cap.month):
            continue
        if not best.from_text or found > (best.year or 0, best.month or 0):
            best = Reference(found[0], found[1], from_text=True, published=current.published)
    if best.year is not None and not best.from_text:
        best = _yearless_month(text, best)
    if best.year is None and years:
        found_years = [int(y) for y in re.findall(rf"\b({_YEAR})\b", text)]
        if found_years:
            return Reference(max(found_years), None, published=current.published)
    return best


def _yearless_month(text: str, current: Reference) -> Reference:
    """A text dated only by its publication is about the latest month it names without a year
    ("production for June" in a July piece), when that month is one of the last few before
    publication (not a forecast, nor history)."""
    best = current
    for match in _MONTH_RE.finditer(text):
        month = month_number(match.group("month"))
        if (
            match.group("year")
            or not month
            or _POINT_IN_TIME.search(text[max(0, match.start() - 16) : match.start()])
        ):
            continue
        if _FORECAST_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue
        if match.group("month") == "May" and not _MAY_AS_MONTH.search(
            text[max(0, match.start() - 12) : match.end() + 12]
        ):
            continue  # "may" the verb
        year = current.year_of(month)
        if year is None:
            continue
        found = (year, month)
        if current.published and _months_between(found, current.published) > _RECENT_MONTHS:
            continue  # "for energization in September": not the month reported on
        if not best.from_text or found > (best.year or 0, best.month or 0):
            best = Reference(year, month, from_text=True, published=current.published)
    return best


_RECENT_MONTHS = 2


def _months_between(earlier: tuple[int, int], later: tuple[int, int]) -> int:
    return (later[0] - earlier[0]) * 12 + later[1] - earlier[1]


# "May" is a month next to a preposition, a day or a year, not "the company may sell".
_MAY_AS_MONTH = re.compile(
    r"\b(?:in|during|for|of|since|through|from|to|until|by|end of|month of)\s+May\b|"
    r"\bMay\s+(?:\d|production|output|update|figures|numbers|results)|\bMay['’]s\b"
)


def find_period(text: str, anchor: int, ref: Reference) -> str | None:
    """The period nearest to character `anchor` in `text`, resolved against `ref`."""
    candidates: list[tuple[int, str]] = []
    for match, value in _period_matches(text, ref):
        distance = match.start() - anchor if match.start() >= anchor else anchor - match.end()
        # A period after the amount ("156 BTC in May") binds tighter than one before it. The
        # nearest period wins even when it cannot be resolved ("Q1" with no year known): a
        # farther one would be another figure's.
        penalty = (0 if match.start() >= anchor else 10) + (
            _RELATIVE_PENALTY if match.re in (_LAST_MONTH, _THE_MONTH) else 0
        )
        candidates.append((abs(distance) + penalty, value or ""))
    return (min(candidates)[1] or None) if candidates else None


# "sold last month the 188 BTC it mined in January 2023": a month named outright is more
# telling than "last month" or "in the month" nearby.
_RELATIVE_PENALTY = 30
_MONTH_OR_QUARTER = re.compile(r"\d{4}-(?:\d{2}|Q[1-4])")


def periods_named(text: str, ref: Reference) -> list[str]:
    """The months and quarters `text` names, resolved against `ref`."""
    return [
        value
        for _, value in _period_matches(text, ref)
        if value and _MONTH_OR_QUARTER.fullmatch(value)
    ]


def _period_matches(text: str, ref: Reference) -> list[tuple[re.Match[str], str | None]]:
    """Every period expression with its value; where two overlap, the more specific wins (the
    order of the patterns below)."""
    candidates: list[tuple[re.Match[str], str | None]] = []
    for m in _SAME_SPAN.finditer(text):
        earlier = [value for _, value in _period_matches(text[: m.start()], ref) if value]
        candidates.append((m, _same_span(m, ref, earlier[-1] if earlier else None)))
    for m in _YEAR_EARLIER.finditer(text):
        earlier = [value for _, value in _period_matches(text[: m.start()], ref) if value]
        candidates.append((m, _year_before(earlier[-1] if earlier else None, ref)))
    candidates += [
        (m, _months_ending(int(m.group("year")), month_number(m.group("month")) or 12, 12))
        for m in _FISCAL.finditer(text)
    ]
    candidates += [(m, _ended(m)) for m in _PERIOD_ENDED.finditer(text)]
    candidates += [(m, _shift_ytd(ref)) for m in _LAST_YEAR_SAME.finditer(text)]
    candidates += [(m, _ytd(m, ref)) for m in _YTD.finditer(text)]
    candidates += [(m, _half(m, ref)) for m in _HALF.finditer(text)]
    candidates += [(m, _quarter(m, ref)) for m in _QUARTER.finditer(text)]
    candidates += [
        (m, f"20{m.group('yy')}-{month_number(m.group('month')):02d}")
        for m in _MONTH_ABBR.finditer(text)
    ]
    candidates += [
        (m, _month(m, ref))
        for m in _MONTH_RE.finditer(text)
        if not _POINT_IN_TIME.search(text[max(0, m.start() - 16) : m.start()])
    ]
    candidates += [(m, _last_month(ref)) for m in _LAST_MONTH.finditer(text)]
    candidates += [(m, _month_value(ref.year, ref.month)) for m in _THE_MONTH.finditer(text)]
    candidates += [(m, m.group("year")) for m in _YEAR_ONLY.finditer(text)]
    kept: list[tuple[re.Match[str], str | None]] = []
    for match, value in candidates:
        if not any(k.start() < match.end() and match.start() < k.end() for k, _ in kept):
            kept.append((match, value))
    return kept


def _ended(m: re.Match[str]) -> str:
    """ "quarter ended December 31, 2025" -> 2025-Q4; "six months ended June 30, 2025" ->
    2025-01/2025-06; "year ended March 31, 2022" -> 2021-04/2022-03."""
    end_month, year = month_number(m.group("month")) or 12, int(m.group("year"))
    length = _SPAN_MONTHS[m.group("span").lower().split()[0].split("-")[0]]
    if length == 3 and end_month % 3 == 0:
        return f"{year}-Q{end_month // 3}"
    if length == 12 and end_month == 12:
        return str(year)
    return _months_ending(year, end_month, length)


def _months_ending(year: int, end_month: int, length: int) -> str:
    """The `length` months ending with `end_month` of `year`, as a month range."""
    start_year, start_month = divmod(year * 12 + end_month - length, 12)
    return f"{start_year}-{start_month + 1:02d}/{year}-{end_month:02d}"


def _half(m: re.Match[str], ref: Reference) -> str | None:
    year = int(m.group("y")) if m.group("y") else ref.year
    half = int(m.group("h")) if m.group("h") else (1 if m.group("hw").lower() == "first" else 2)
    return f"{year}-{(half - 1) * 6 + 1:02d}/{year}-{half * 6:02d}" if year else None


def _same_span(m: re.Match[str], ref: Reference, previous: str | None) -> str | None:
    """ "the same quarter of 2021": the quarter (or month) named just before, or the reference
    one, in that year."""
    if not ref.year:
        return None
    year = ref.year - 1 if m.group("year").lower() == "year" else int(m.group("year"))
    unit = m.group("unit").lower()
    if previous and re.fullmatch(r"\d{4}-(?:Q[1-4]|\d{2})", previous):
        return f"{year}{previous[4:]}"
    if not ref.month:
        return None
    if unit == "quarter":
        return f"{year}-Q{(ref.month - 1) // 3 + 1}"
    if unit == "month":
        return f"{year}-{ref.month:02d}"
    return f"{year}-01/{year}-{ref.month:02d}"


def _year_before(period: str | None, ref: Reference) -> str | None:
    """ "2,825 bitcoin a year earlier": the period named before, one year back."""
    if period and re.fullmatch(r"\d{4}(?:-(?:Q[1-4]|\d{2}))?", period):
        return f"{int(period[:4]) - 1}{period[4:]}"
    return _shift_ytd(ref)


def _last_month(ref: Reference) -> str | None:
    """ "last month": the month the text is about, or the one before its publication."""
    if ref.from_text or not ref.year or not ref.month:
        return _month_value(ref.year, ref.month)
    year, month = divmod(ref.year * 12 + ref.month - 2, 12)
    return _month_value(year, month + 1)


def _month_value(year: int | None, month: int | None) -> str | None:
    return f"{year:04d}-{month:02d}" if year and month else None


def _month(m: re.Match[str], ref: Reference) -> str | None:
    month = month_number(m.group("month"))
    if not month:
        return None
    if m.group("year"):
        return f"{m.group('year')}-{month:02d}"
    year = ref.year_of(month)
    return f"{year}-{month:02d}" if year else None


def _quarter(m: re.Match[str], ref: Reference) -> str | None:
    quarter = m.group("q1") or _ORDINAL_Q.get((m.group("ord") or m.group("ord3") or "").lower())
    year_text = m.group("y1") or m.group("y2") or m.group("y3")
    year = int(year_text) if year_text else ref.year
    if year is not None and year < 100:
        year += 2000
    return f"{year}-Q{quarter}" if year and quarter else None


def _ytd(m: re.Match[str], ref: Reference) -> str | None:
    year = int(m.group("y") or m.group("y2") or m.group("y1") or 0) or ref.year
    if m.group(0).lower().startswith("first month"):
        return f"{year}-01" if year else None
    if m.group("n"):
        return f"{year}-01/{year}-{_COUNTS[m.group('n').lower()]:02d}" if year else None
    if not year or not ref.month:
        return None
    return f"{year}-01/{year}-{ref.month:02d}"


def _shift_ytd(ref: Reference) -> str | None:
    if not ref.year or not ref.month:
        return None
    return f"{ref.year - 1}-01/{ref.year - 1}-{ref.month:02d}"


_MONTH_END = re.compile(
    r"\b(?:at|as of|as at|by)\s+(?:the\s+)?(?:month[- ]end|end of the month)\b|\bended the month\b",
    re.I,
)


_ENDED_MONTH = re.compile(
    rf"\bend(?:ed|s)\s+(?P<month>{_MONTH})(?:\s+(?P<year>{_YEAR}))?\s+with\b", re.I
)
_NUMERIC_DATE = re.compile(
    r"\b(?:as of|as at|on)\s+(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d\d)\b", re.I
)


def find_as_of(text: str, ref: Reference) -> str | None:
    """The date a figure is stated for ("as of February 28th", "at the end of September", "at
    month end" of the reference month, "ended April with", "as of 4/4/2023")."""
    if _MONTH_END.search(text) and ref.year and ref.month:
        return last_day(ref.year, ref.month)
    ended = _ENDED_MONTH.search(text)
    month = month_number(ended.group("month")) if ended else None
    if ended and month:
        year = int(ended.group("year")) if ended.group("year") else ref.year_of(month)
        if year:
            return last_day(year, month)
    numeric = _NUMERIC_DATE.search(text)
    if numeric:
        return parse_date(
            f"{numeric.group('y')}-{int(numeric.group('m')):02d}-{int(numeric.group('d')):02d}"
        )
    for m in _AS_OF.finditer(text):
        if m.group("date"):
            value = m.group("date")
            if not re.search(_YEAR, value) and ref.year:
                named = re.search(_MONTH, value, re.I)
                month = month_number(named.group(0)) if named else None
                value = f"{value} {ref.year_of(month) if month else ref.year}"
            date = parse_date(
                value.replace("st ", " ")
                .replace("nd ", " ")
                .replace("rd ", " ")
                .replace("th ", " ")
            )
            if date:
                return date
        elif m.group("end"):
            date = _end_of(m.group("end"), ref)
            if date:
                return date
    return None


def _end_of(phrase: str, ref: Reference) -> str | None:
    year_match = re.search(_YEAR, phrase)
    year = int(year_match.group(0)) if year_match else ref.year
    if not year:
        return None
    month_match = re.match(_MONTH, phrase, re.I)
    if month_match:
        month = month_number(month_match.group(0))
        if month and not year_match:
            year = ref.year_of(month) or year
        return last_day(year, month) if month else None
    quarter = re.search(r"(first|second|third|fourth)", phrase, re.I)
    if quarter:
        return last_day(year, _ORDINAL_Q[quarter.group(1).lower()] * 3)
    return f"{year}-12-31"
