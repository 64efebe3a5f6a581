"""Which company a document and each of its sentences is about.

Mentions come from the registry (aliases, tickers, "(NASDAQ: XXX)", "$XXX"). The issuer is the
company the headline or lead names, else the most-mentioned one, else an unregistered company
named in the lead with a legal suffix or an exchange ticker. A fact belongs to the company named
closest before it in its clause, else to the company its sentence is about, else to the company
the paragraph was about, else to the issuer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parser.types import Company, CompanyRef

_LEAD_CHARS = 400
_TICKER_FORMS = (
    r"\((?:NASDAQ|Nasdaq|NYSE|NYSE American|TSX|TSXV|TSX-V|LSE|AIM|OTC|OTCQX|CSE|ASX|TSE)"
    r"\s*:\s*{t}\b",
    r"(?:NASDAQ|Nasdaq|NYSE):\s?{t}\b",
    r"\$\s?{t}\b",
)
_UNREGISTERED = re.compile(
    r"\b((?:[A-Z][\w&.'-]*\s){0,3}[A-Z][\w&'-]*),?\s+(?:Inc\.|Corp\.|Corporation|Ltd\.|Limited|plc|PLC|"
    r"Holdings|Technologies)?\s*\((?:NASDAQ|Nasdaq|NYSE|TSX|TSXV|LSE|OTC|OTCQX|CSE|ASX)[^:)]*:\s*"
    r"([A-Z][A-Z0-9.]{0,6})\)"
)
_NOT_A_MENTION_AFTER = re.compile(r"^\s*(?:Officer|officer)")
_NOT_A_MENTION_BEFORE = re.compile(r"(?:Chief|chief)\s+$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    ref: CompanyRef


class CompanyFinder:
    def __init__(self, companies: tuple[Company, ...]) -> None:
        self._by_pattern: list[tuple[re.Pattern[str], Company]] = []
        for company in companies:
            names = sorted({company.canonical, *company.aliases}, key=len, reverse=True)
            forms = [rf"(?<![\w$]){re.escape(name)}(?![\w])" for name in names if name]
            if company.ticker:
                forms += [form.format(t=re.escape(company.ticker)) for form in _TICKER_FORMS]
            if forms:
                self._by_pattern.append((re.compile("|".join(forms)), company))

    def mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for pattern, company in self._by_pattern:
            for match in pattern.finditer(text):
                if _NOT_A_MENTION_AFTER.match(text[match.end() : match.end() + 10]):
                    continue
                if _NOT_A_MENTION_BEFORE.search(text[max(0, match.start() - 8) : match.start()]):
                    continue
                name = match.group(0).strip("($) ")
                found.append(
                    Mention(match.start(), match.end(), _ref(company, _written_name(name, company)))
                )
        return _drop_overlaps(found)

    def issuer(self, text: str, title: str | None, mentions: list[Mention]) -> CompanyRef | None:
        if title:
            in_title = self.mentions(title)
            if in_title:
                return in_title[0].ref
        lead = [m for m in mentions if m.start < _LEAD_CHARS]
        counts = Counter(m.ref.canonical for m in mentions)
        if lead:
            first = lead[0].ref
            top = counts.most_common(1)[0]
            return first if counts[first.canonical] * 3 >= top[1] else _first_ref(mentions, top[0])
        if counts:
            return _first_ref(mentions, counts.most_common(1)[0][0])
        match = _UNREGISTERED.search(text[:2000])
        if match:
            name = match.group(1).strip()
            return CompanyRef(name=name, canonical=name, ticker=match.group(2))
        return None


def _written_name(name: str, company: Company) -> str:
    """The name as written, or the registry's first alias when the text used a ticker form."""
    if company.ticker and name.lstrip("$").split(":")[-1].strip() == company.ticker:
        if re.search(r"[:$]", name):
            return company.aliases[0] if company.aliases else company.canonical
    return name


def _ref(company: Company, written: str) -> CompanyRef:
    return CompanyRef(name=written, canonical=company.canonical, ticker=company.ticker)


def _first_ref(mentions: list[Mention], canonical: str) -> CompanyRef:
    return next(m.ref for m in mentions if m.ref.canonical == canonical)


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
