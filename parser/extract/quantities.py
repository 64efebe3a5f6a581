"""Find amounts in a sentence: bitcoin, US dollars and hashrates, with their hedges.

Only the shape of the amount is judged here ("10,000 Bitcoin miners" is not a bitcoin amount,
"17 BTC/day" is a rate, "$101,710 per coin" is a price); what the amount means is left to the
fact extractors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from parser.extract.periods import MONTH_BEFORE
from parser.normalize import NUMBER, clean_amount, hashrate_to_ehs, parse_number, scale

_MULT = r"(?:\s?(?P<mult>thousand|million|billion|trillion|mn|bn|tn|[mMbBkK])\b\.?)?"
_BTC_UNIT = (
    r"(?P<unit>Bitcoin or Bitcoin equivalent|bitcoins?|Bitcoins?|BITCOINS?|BTC|XBT|₿)"
    r"(?:\s*\((?:[“\"]?(?:BTC|XBT)[”\"]?|BTC-USD)\))?"
)
_BTC_ADJECTIVE = r"(?:(?:self-mined|self mined|newly[- ]mined|mined|proprietary|more|additional|new|extra|further|unrestricted|unencumbered)\s+)?"
# Every pattern below is matched at one place (right after or right before a number the linear
# scan found), never searched across the text; those matched after a number say so (`(?<=\d)`:
# every number ends with a digit) and take runs of spaces possessively, so no input can make
# them quadratic, however they are applied.
_BTC_AFTER = re.compile(rf"(?<=\d){_MULT}\s*+(?:\*\*)?\s*+{_BTC_ADJECTIVE}\$?{_BTC_UNIT}(?![\w])")
_BTC_SIGN_BEFORE = re.compile(r"(?<![\w$.,])(?P<sign>₿)\s?$")
_NOT_AN_AMOUNT_AFTER = re.compile(
    r"^\s*(?:\([^)]{0,12}\)\s*)?(?:-\s*)?(?:miners?|mining|machines?|rigs?|ASICs?|network|prices?|"
    r"per\b|/|a day|each day|daily|ETFs?|futures|options|addresses|transactions|blocks?|"
    r"difficulty|hash|hashrate|reward|mined per|treasury companies|worth of\b)",
    re.I,
)
_EQUIVALENT_AFTER = re.compile(r"^\s*(?:\([^)]{0,12}\)\s*)?(?:-\s*)?equivalents?\b", re.I)
_CURRENCY_BEFORE = re.compile(r"(?<![\w.])(?P<cur>US\$|USD\s?|C\$|CA\$|A\$|\$)\s?(?:\*\*)?$")
_USD_AFTER = re.compile(_MULT)
_DOLLARS_AFTER = re.compile(r"\s?(?P<mult>thousand|million|billion)\s+(?:US\s)?dollars")
_PER_UNIT_AFTER = re.compile(r"^\s*(?:per|/|a|each|for each)\s*(?:bitcoin|btc|coin|token)\b", re.I)
_HASH_UNIT = (
    r"(?P<unit>(?:[EePpTt][Hh]/[sS]\b)|(?:EH|PH|TH)\b(?!/)|"
    r"(?:exa|peta|tera)hash(?:es)?(?:\s+per\s+second)?(?:\s*\(\s*[“\"]?[EPT]H/s[”\"]?\s*\))?)"
)
_HASH_AFTER = re.compile(rf"(?<=\d)\s*+(?:\*\*)?\s*+{_HASH_UNIT}", re.I)
_NUMBER_SCAN = re.compile(NUMBER)
_EXPONENT_AFTER = re.compile(r"[eE][+-]?\d")
_NOT_BEFORE = frozenset(".,$")  # besides letters and digits: "v2.5", "1,5", "$5" are no counts
_MINUS = frozenset("-−")
# Beyond these a figure is a typo, a unit mix-up or hostile input, not a fact (all the bitcoin
# there will ever be; far above the whole network's hashrate; a hundred times any company's worth).
MAX_VALUE = {"btc": 21_000_000.0, "hashrate": 100_000.0, "usd": 1e13}
_LOOKBACK = 12  # characters a currency sign or ₿ before a number can take


def numbers(text: str) -> Iterator[re.Match[str]]:
    """Each written number once, left to right: one linear scan, so an amount pattern is only
    ever matched at a number (never re-tried at every character of a long run of digits).

    A number glued to what precedes it ("Q1, 450") is offered again from its first `, ` group,
    which is where a search from every position would have found it."""
    for match in _NUMBER_SCAN.finditer(text):
        if _glued(text, match.start()) and (cut := match.group(0).find(", ")) > 0:
            again = _NUMBER_SCAN.match(text, match.start() + cut + 2)
            if again:
                yield again
            continue
        yield match


def _glued(text: str, start: int) -> bool:
    before = text[start - 1 : start]
    return bool(before) and (before.isalnum() or before == "_" or before in _NOT_BEFORE)


def _signed(text: str, start: int) -> bool:
    """A minus sign right before the number ("-300 BTC"), not a range ("200-300")."""
    if text[start - 1 : start] not in _MINUS:
        return False
    return not text[start - 2 : start - 1].isalnum()


def _plausible(kind: str, value: float, text: str, end: int) -> bool:
    return 0 <= value <= MAX_VALUE[kind] and not _EXPONENT_AFTER.match(text, end)


# "700, 460 and 620 BTC", "11.7 and 12.4 EH/s", "from 262 to 201 BTC": bare numbers right
# before a figure, joined to it, share its unit.
_STRICT_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_LISTED_BEFORE = re.compile(
    r"(?<!Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?<!Sept|June|July)(?<!\w\w\w\.)\s"
    rf"(?<![\w$.,])(?P<list>{_STRICT_NUMBER}(?:,\s*{_STRICT_NUMBER})*),?\s+(?:and|or|to)\s+$"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTH_REACH = 12  # "September. " and the word boundary before it


def _is_dated_year(text: str, number: re.Match[str]) -> bool:
    """A year right after a month name is a date, not an amount ("Announces December 2025
    Bitcoin Production", "the Sept. 2024 bitcoin purchases")."""
    before = max(0, number.start() - _MONTH_REACH)
    return bool(_YEAR.fullmatch(number.group(0))) and bool(
        MONTH_BEFORE.search(text, before, number.start())
    )


@dataclass(frozen=True)
class Quantity:
    kind: str  # "btc" | "usd" | "hashrate"
    value: float
    start: int
    end: int
    approximate: bool
    text: str
    equivalent: bool = False
    per_unit: bool = False
    currency: str = "USD"

    @property
    def clean_value(self) -> int | float:
        return clean_amount(self.value)


class QuantityFinder:
    def __init__(self, hedges: tuple[str, ...]) -> None:
        words = sorted((re.escape(h) for h in hedges), key=len, reverse=True)
        self._hedge = re.compile(
            rf"(?:^|[\s(\-–—,:])(?:{'|'.join(words)})\s*(?:US\$|USD|\$|₿)?\s*(?:\*\*)?\s*$", re.I
        )

    def find(self, text: str) -> list[Quantity]:
        return sorted(
            [*self.bitcoin(text), *self.dollars(text), *self.hashrates(text)],
            key=lambda q: q.start,
        )

    def is_hedged(self, text: str, number_start: int) -> bool:
        return bool(self._hedge.search(text[max(0, number_start - 30) : number_start]))

    def listed_before(
        self, text: str, figure: Quantity, value_of: Callable[[float], float]
    ) -> list[Quantity]:
        """The bare numbers listed right before `figure`, as figures of its kind."""
        match = _LISTED_BEFORE.search(text[max(0, figure.start - 60) : figure.start])
        if not match:
            return []
        offset = max(0, figure.start - 60) + match.start("list")
        found = []
        for number in re.finditer(_STRICT_NUMBER, match.group("list")):
            if _YEAR.fullmatch(number.group(0)):
                return []
            start = offset + number.start()
            found.append(
                Quantity(
                    kind=figure.kind,
                    value=value_of(parse_number(number.group(0))),
                    start=start,
                    end=offset + number.end(),
                    approximate=self.is_hedged(text, start),
                    text=number.group(0),
                )
            )
        return found

    def bitcoin(self, text: str) -> list[Quantity]:
        found = []
        for number in numbers(text):
            match = self._bitcoin_at(text, number)
            if match is None:
                continue
            start, end, unit, multiplier = match
            after = text[end : end + 40]
            if _NOT_AN_AMOUNT_AFTER.match(after) or _is_dated_year(text, number):
                continue
            value = scale(parse_number(number.group(0)), multiplier)
            if not _plausible("btc", value, text, number.end()):
                continue
            equivalent = "equivalent" in unit.lower() or bool(_EQUIVALENT_AFTER.match(after))
            figure = Quantity(
                kind="btc",
                value=value,
                start=start,
                end=end,
                approximate=self.is_hedged(text, number.start()),
                text=text[start:end],
                equivalent=equivalent and not unit.lower().startswith("bitcoin or"),
            )
            found += [*self.listed_before(text, figure, lambda v: v), figure]
        return found

    def _bitcoin_at(
        self, text: str, number: re.Match[str]
    ) -> tuple[int, int, str, str | None] | None:
        """(start, end, unit, multiplier) of a bitcoin amount written "₿5" or "5 BTC"."""
        lookback = max(0, number.start() - _LOOKBACK)
        sign = _BTC_SIGN_BEFORE.search(text, lookback, number.start())
        if sign and not text[number.end() : number.end() + 1].isalnum():
            return sign.start(), number.end(), "₿", None
        if _glued(text, number.start()) or _signed(text, number.start()):
            return None
        unit = _BTC_AFTER.match(text, number.end())
        if unit is None:
            return None
        return number.start(), unit.end(), unit.group("unit"), unit.group("mult")

    def dollars(self, text: str) -> list[Quantity]:
        found = []
        for number in numbers(text):
            match = self._dollars_at(text, number)
            if match is None:
                continue
            start, end, value, currency = match
            if text[end : end + 1] == "%" or not _plausible("usd", value, text, number.end()):
                continue
            found.append(
                Quantity(
                    kind="usd",
                    value=value,
                    start=start,
                    end=end,
                    approximate=self.is_hedged(text, start),
                    text=text[start:end],
                    per_unit=bool(_PER_UNIT_AFTER.match(text[end : end + 20])),
                    currency=currency,
                )
            )
        return found

    def _dollars_at(self, text: str, number: re.Match[str]) -> tuple[int, int, float, str] | None:
        """(start, end, value, currency) of "$5.2 million", "US$ 300" or "5 million dollars"."""
        value = parse_number(number.group(0))
        lookback = max(0, number.start() - _LOOKBACK)
        sign = _CURRENCY_BEFORE.search(text, lookback, number.start())
        if sign:
            if _signed(text, sign.start()):
                return None
            mult = _USD_AFTER.match(text, number.end())
            end, multiplier = (mult.end(), mult.group("mult")) if mult else (number.end(), None)
            currency = "USD" if sign.group("cur").strip() in ("$", "US$", "USD") else "other"
            return sign.start(), end, scale(value, multiplier), currency
        if _glued(text, number.start()) or _signed(text, number.start()):
            return None
        words = _DOLLARS_AFTER.match(text, number.end())
        if words is None:
            return None
        return number.start(), words.end(), scale(value, words.group("mult")), "USD"

    def hashrates(self, text: str) -> list[Quantity]:
        found = []
        for number in numbers(text):
            if _glued(text, number.start()) or _signed(text, number.start()):
                continue
            unit = _HASH_AFTER.match(text, number.end())
            if unit is None:
                continue
            name = unit.group("unit")
            value = hashrate_to_ehs(parse_number(number.group(0)), name)
            if not _plausible("hashrate", value, text, number.end()):
                continue
            figure = Quantity(
                kind="hashrate",
                value=value,
                start=number.start(),
                end=unit.end(),
                approximate=self.is_hedged(text, number.start()),
                text=text[number.start() : unit.end()],
            )
            found += [*self.listed_before(text, figure, partial(_to_ehs, unit=name)), figure]
        return found


def _to_ehs(value: float, unit: str) -> float:
    return hashrate_to_ehs(value, unit)
