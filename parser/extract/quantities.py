"""Find amounts in a sentence: bitcoin, US dollars and hashrates, with their hedges.

Only the shape of the amount is judged here ("10,000 Bitcoin miners" is not a bitcoin amount,
"17 BTC/day" is a rate, "$101,710 per coin" is a price); what the amount means is left to the
fact extractors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from parser.normalize import NUMBER, clean_amount, hashrate_to_ehs, parse_number, scale

_MULT = r"(?:\s?(?P<mult>thousand|million|billion|trillion|mn|bn|tn|[mMbBkK])\b\.?)?"
_BTC_UNIT = (
    r"(?P<unit>Bitcoin or Bitcoin equivalent|bitcoins?|Bitcoins?|BITCOINS?|BTC|XBT|₿)"
    r"(?:\s*\((?:[“\"]?(?:BTC|XBT)[”\"]?|BTC-USD)\))?"
)
_BTC_ADJECTIVE = r"(?:(?:self-mined|self mined|newly[- ]mined|mined|proprietary|more|additional|new|extra|further|unrestricted|unencumbered)\s+)?"
BTC_RE = re.compile(
    rf"(?<![\w$.,])(?:(?P<sign>₿)\s?(?P<num2>{NUMBER})|(?P<num>{NUMBER}){_MULT}\s*(?:\*\*)?\s*{_BTC_ADJECTIVE}\$?{_BTC_UNIT})(?![\w])"
)
_NOT_AN_AMOUNT_AFTER = re.compile(
    r"^(?:\s*\([^)]{0,12}\))?\s*(?:-?\s*(?:miners?|mining|machines?|rigs?|ASICs?|network|prices?|"
    r"per\b|/|a day|each day|daily|ETFs?|futures|options|addresses|transactions|blocks?|"
    r"difficulty|hash|hashrate|reward|mined per|treasury companies|worth of\b))",
    re.I,
)
_EQUIVALENT_AFTER = re.compile(r"^(?:\s*\([^)]{0,12}\))?\s*-?\s*equivalents?\b", re.I)
USD_RE = re.compile(
    rf"(?<![\w.])(?P<cur>US\$|USD\s?|C\$|CA\$|A\$|\$)\s?(?:\*\*)?(?P<num>{NUMBER}){_MULT}"
    rf"|(?<![\w.$])(?P<num3>{NUMBER})\s?(?P<mult3>thousand|million|billion)\s+(?:US\s)?dollars"
)
_PER_UNIT_AFTER = re.compile(r"^\s*(?:per|/|a|each|for each)\s*(?:bitcoin|btc|coin|token)\b", re.I)
_HASH_UNIT = (
    r"(?P<unit>(?:[EePpTt][Hh]/[sS]\b)|(?:EH|PH|TH)\b(?!/)|"
    r"(?:exa|peta|tera)hash(?:es)?(?:\s+per\s+second)?(?:\s*\(\s*[“\"]?[EPT]H/s[”\"]?\s*\))?)"
)
HASH_RE = re.compile(rf"(?<![\w$.,])(?P<num>{NUMBER})\s*(?:\*\*)?\s*{_HASH_UNIT}", re.I)
# "700, 460 and 620 BTC", "11.7 and 12.4 EH/s", "from 262 to 201 BTC": bare numbers right
# before a figure, joined to it, share its unit.
_STRICT_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_LISTED_BEFORE = re.compile(
    r"(?<!Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?<!Sept|June|July)(?<!\w\w\w\.)\s"
    rf"(?<![\w$.,])(?P<list>{_STRICT_NUMBER}(?:,\s*{_STRICT_NUMBER})*),?\s+(?:and|or|to)\s+$"
)
_YEAR = re.compile(r"(?:19|20)\d\d")


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
        for match in BTC_RE.finditer(text):
            after = text[match.end() : match.end() + 40]
            unit = match.group("unit") or ""
            equivalent = "equivalent" in unit.lower()
            if _NOT_AN_AMOUNT_AFTER.match(after):
                continue
            if _EQUIVALENT_AFTER.match(after):
                equivalent = True
            number = match.group("num") or match.group("num2")
            value = scale(parse_number(number), match.group("mult"))
            start = match.start("num") if match.group("num") else match.start()
            figure = Quantity(
                kind="btc",
                value=value,
                start=match.start(),
                end=match.end(),
                approximate=self.is_hedged(text, start),
                text=match.group(0),
                equivalent=equivalent and not unit.lower().startswith("bitcoin or"),
            )
            found += [*self.listed_before(text, figure, lambda v: v), figure]
        return found

    def dollars(self, text: str) -> list[Quantity]:
        found = []
        for match in USD_RE.finditer(text):
            if match.group("num3"):
                value = scale(parse_number(match.group("num3")), match.group("mult3"))
                currency = "USD"
            else:
                value = scale(parse_number(match.group("num")), match.group("mult"))
                currency = "USD" if match.group("cur").strip() in ("$", "US$", "USD") else "other"
            if text[match.end() : match.end() + 1] == "%":
                continue
            found.append(
                Quantity(
                    kind="usd",
                    value=value,
                    start=match.start(),
                    end=match.end(),
                    approximate=self.is_hedged(text, match.start()),
                    text=match.group(0),
                    per_unit=bool(_PER_UNIT_AFTER.match(text[match.end() : match.end() + 20])),
                    currency=currency,
                )
            )
        return found

    def hashrates(self, text: str) -> list[Quantity]:
        found = []
        for match in HASH_RE.finditer(text):
            unit = match.group("unit")
            figure = Quantity(
                kind="hashrate",
                value=hashrate_to_ehs(parse_number(match.group("num")), unit),
                start=match.start(),
                end=match.end(),
                approximate=self.is_hedged(text, match.start()),
                text=match.group(0),
            )
            found += [*self.listed_before(text, figure, partial(_to_ehs, unit=unit)), figure]
        return found


def _to_ehs(value: float, unit: str) -> float:
    return hashrate_to_ehs(value, unit)
