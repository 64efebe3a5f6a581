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
    r"\b(?P<name>(?:[A-Z][\w&.'-]*\s){0,3}[A-Z][\w&'-]*),?\s+(?:Inc\.|Corp\.|Corporation|Ltd\.|Limited|plc|PLC|"
    r"Holdings|Technologies)?\s*\((?:NASDAQ|Nasdaq|NYSE|TSX|TSXV|LSE|OTC|OTCQX|CSE|ASX)[^:)]*:\s*"
    r"(?P<ticker>[A-Z][A-Z0-9.]{0,6})\)"
)
_LEGAL_NAME = re.compile(
    r"\b(?P<name>(?:[A-Z][\w&'-]+[ \t]){0,3}[A-Z][\w&'-]+),?[ \t]+(?:Inc\.|Corp\.|Corporation|Ltd\.|Limited|plc|PLC|"
    r"LLC|AG|SE|N\.V\.|S\.A\.)"
)
# Facts of a text that names no company we can identify still count; they carry this company.
UNIDENTIFIED = CompanyRef(name="(unidentified)", canonical="(unidentified)", ticker=None)
_NOT_A_MENTION_AFTER = re.compile(r"^\s*(?:Officer|officer)")
_NOT_A_MENTION_BEFORE = re.compile(r"(?:Chief|chief)\s+$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    ref: CompanyRef


class CompanyFinder:
    def __init__(
        self, companies: tuple[Company, ...], not_names: frozenset[str] = frozenset()
    ) -> None:
        self._known = [_compile(company) for company in companies]
        self._not_names = not_names

    def mentions(self, text: str) -> list[Mention]:
        """Registry companies, plus companies this text introduces by a legal name or an
        exchange ticker ("Northwind Treasury Corp. (NASDAQ: NWTC)") and later calls by their
        first word ("Northwind")."""
        patterns = self._known + [_compile(c) for c in self._introduced(text)]
        found: list[Mention] = []
        for pattern, company in patterns:
            for match in pattern.finditer(text):
                if _NOT_A_MENTION_AFTER.match(text[match.end() : match.end() + 10]):
                    continue
                if _NOT_A_MENTION_BEFORE.search(text[max(0, match.start() - 8) : match.start()]):
                    continue
                written = _written_name(match.group(0), company)
                found.append(Mention(match.start(), match.end(), _ref(company, written)))
        return _drop_overlaps(found)

    def _introduced(self, text: str) -> list[Company]:
        introduced: dict[str, Company] = {}
        for match in [*_UNREGISTERED.finditer(text), *_LEGAL_NAME.finditer(text)]:
            words = match.group("name").split()
            while words and words[0] in self._not_names:
                words = words[1:]
            name = " ".join(words)
            if not name or any(p.search(match.group(0)) for p, _ in self._known):
                continue
            ticker = match.groupdict().get("ticker")
            short = words[0] if len(words) > 1 and len(words[0]) >= 4 else None
            previous = introduced.get(name)
            introduced[name] = Company(
                canonical=name,
                ticker=ticker or (previous.ticker if previous else None),
                aliases=tuple(a for a in (name, short) if a),
            )
        return list(introduced.values())

    def issuer(self, text: str, title: str | None, mentions: list[Mention]) -> CompanyRef:
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
        return UNIDENTIFIED


def _compile(company: Company) -> tuple[re.Pattern[str], Company]:
    names = sorted({company.canonical, *company.aliases}, key=len, reverse=True)
    forms = [rf"(?<![\w$]){re.escape(name)}(?![\w])" for name in names]
    if company.ticker:
        forms += [form.format(t=re.escape(company.ticker)) for form in _TICKER_FORMS]
    return re.compile("|".join(forms)), company


def _written_name(matched: str, company: Company) -> str:
    """The name as written; for a ticker form ("(NASDAQ: BITF)", "$CANG") the usual name."""
    if re.search(r"[:$]", matched):
        return company.aliases[0] if company.aliases else company.canonical
    return matched.strip()


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
