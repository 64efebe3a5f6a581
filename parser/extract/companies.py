"""Which company a document and each of its sentences is about.

Mentions come from the registry (aliases, tickers, "(NASDAQ: XXX)", "$XXX") and from companies
the text itself introduces by a legal name or an exchange ticker. The issuer is the company the
headline names, else the lead's first one (unless another is named far more often), else the
most-mentioned one, else "(unidentified)". A fact belongs to the company named closest before it
in its clause, else to the company its sentence is about, else to the company the paragraph or
section was about, else to the issuer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

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
_INTRODUCTION_ANCHOR = re.compile(
    r"\b(?:Inc\.|Corp\.|Corporation|Ltd\.|Limited|plc|PLC|LLC|AG|SE|N\.V\.|S\.A\.)|"
    r"\((?:NASDAQ|Nasdaq|NYSE|TSX|TSXV|LSE|OTC|OTCQX|CSE|ASX)"
)
# Facts of a text that names no company we can identify still count; they carry this company.
UNIDENTIFIED = CompanyRef(name="(unidentified)", canonical="(unidentified)", ticker=None)
# (on the same line: a heading "Hive" under a line ending "April" is the company)
_WORD_USE_BEFORE = re.compile(
    r"(?:\b(?:the|our|its|their|a|an|new|this|that|growth|business|capital|corporate|treasury|"
    r"investment|reserve|acquisition|bitcoin|financing|long-term)[ \t]+|\b[A-Z][a-z]+[ \t]+)$"
)
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
        self._registry = _Matcher(companies)
        self._not_names = not_names

    def mentions(self, text: str) -> list[Mention]:
        """Registry companies, plus companies this text introduces by a legal name or an
        exchange ticker ("Northwind Treasury Corp. (NASDAQ: NWTC)") and later calls by their
        first word ("Northwind")."""
        found = self._registry.find(text)
        introduced = self._introduced(text)
        if introduced:
            found += _Matcher(tuple(introduced)).find(text)
        return _drop_overlaps(found)

    def _introduced(self, text: str) -> list[Company]:
        introduced: dict[str, Company] = {}
        for match in _introductions(text):
            words = match.group("name").split()
            while words and words[0] in self._not_names:
                words = words[1:]
            name = " ".join(words)
            if not name or self._registry.find(match.group(0)):
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

    def issuer(
        self,
        title: str | None,
        mentions: list[Mention],
        declared: str | None = None,
        source: str | None = None,
    ) -> CompanyRef:
        """The registrant a filing declares, else the headline's company, else the lead's,
        else the company the document's file name gives (a table excerpt that never names
        its company: `035_bitdeer_2023-06.txt`, `2025-07-03_RIOT_update_ab12.htm`)."""
        found = self._issuer(title, mentions, declared)
        if found == UNIDENTIFIED and source:
            return self._registry.from_file_name(source) or found
        return found

    def _issuer(
        self, title: str | None, mentions: list[Mention], declared: str | None
    ) -> CompanyRef:
        if declared:
            key = _name_key(declared)
            named = (
                m.ref
                for m in mentions
                if key in (_name_key(m.ref.canonical), _name_key(m.ref.name))
            )
            return next(named, None) or self.resolve(declared)
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

    def resolve(self, name: str) -> CompanyRef:
        """A declared name ("THE BUCKLE, INC.", "Riot Platforms, Inc.") as the registry knows
        it, matched whole and without regard to case; else the name as written."""
        key = _name_key(name)
        company = self._registry.by_key.get(key)
        if company is None:
            return CompanyRef(name=name, canonical=name, ticker=None)
        return CompanyRef(name=name, canonical=company.canonical, ticker=company.ticker)


_LEGAL_SUFFIX = re.compile(
    r"(?<![,\s])[,\s]+(?:inc|incorporated|corp|corporation|co|company|ltd|limited|plc|llc|ag|se|n\.?v|"
    r"s\.?a|holdings?)\.?$",
    re.I,
)


def _name_key(name: str) -> str:
    key = " ".join(name.replace("\u2019", "'").split()).strip(" .,").lower()
    key = re.sub(r"^the\s+", "", key)
    while True:
        shorter = _LEGAL_SUFFIX.sub("", key).strip(" .,")
        if shorter == key:
            return key
        key = shorter


def _introductions(text: str) -> list[re.Match[str]]:
    """Matches of the (slow) introduction patterns, run only around a legal suffix or an
    exchange tag, which a cheap pattern finds first."""
    found: list[re.Match[str]] = []
    covered = -1
    for anchor in _INTRODUCTION_ANCHOR.finditer(text):
        if anchor.start() < covered:
            continue
        window = text[max(0, anchor.start() - 90) : anchor.end() + 40]
        found += [*_UNREGISTERED.finditer(window), *_LEGAL_NAME.finditer(window)]
        covered = anchor.end() + 40
    return found


class _Matcher:
    """One regex for all names and one for all ticker forms, so a text is scanned twice,
    not once per company."""

    def __init__(self, companies: tuple[Company, ...]) -> None:
        self._by_name: dict[str, Company] = {}
        self._by_ticker: dict[str, Company] = {}
        self.by_key: dict[str, Company] = {}
        self._by_squashed: dict[str, Company] = {}  # "corescientific", "hut8", "riot"
        for company in companies:
            for name in (company.canonical, *company.aliases):
                self._by_name.setdefault(name, company)
                if name not in company.ambiguous:
                    self.by_key.setdefault(_name_key(name), company)
                self._by_squashed.setdefault(_squashed(_name_key(name)), company)
            if company.ticker:
                self._by_ticker.setdefault(company.ticker, company)
        names = sorted(self._by_name, key=len, reverse=True)
        self._names = re.compile(
            rf"(?<![\w$])(?:{'|'.join(map(re.escape, names))})(?![\w])" if names else r"(?!x)x"
        )
        tickers = "|".join(map(re.escape, sorted(self._by_ticker, key=len, reverse=True)))
        forms = [form.format(t=f"(?P<t{i}>{tickers})") for i, form in enumerate(_TICKER_FORMS)]
        self._tickers = re.compile("|".join(forms)) if tickers else re.compile(r"(?!x)x")

    def find(self, text: str) -> list[Mention]:
        found = []
        for match in self._names.finditer(text):
            if _NOT_A_MENTION_AFTER.match(text[match.end() : match.end() + 10]):
                continue
            if _NOT_A_MENTION_BEFORE.search(text[max(0, match.start() - 8) : match.start()]):
                continue
            company = self._by_name[match.group(0)]
            if match.group(0) in company.ambiguous and _WORD_USE_BEFORE.search(
                text[max(0, match.start() - 30) : match.start()]
            ):
                continue  # "our Growth Strategy", "a bitcoin strategy": the word, not the company
            found.append(Mention(match.start(), match.end(), _ref(company, match.group(0))))
        for match in self._tickers.finditer(text):
            ticker = next(value for value in match.groupdict().values() if value)
            company = self._by_ticker[ticker]
            written = _written_name(match.group(0), company)
            found.append(Mention(match.start(), match.end(), _ref(company, written)))
        return found

    def from_file_name(self, source: str) -> CompanyRef | None:
        """The first company a word (or two adjacent words) of the file name is written as."""
        stem = PurePath(source.replace("\\", "/")).stem
        words = [w for w in _FILE_NAME_WORDS.split(stem) if w]
        for index, word in enumerate(words):
            # A ticker counts only in capitals ("any", "can" and "hut" are words).
            company = self._by_ticker.get(word)
            for key in (word, "".join(words[index : index + 2])):
                if company is None and len(_squashed(key)) >= _MIN_FILE_NAME_KEY:
                    company = self._by_squashed.get(_squashed(key))
            if company is not None:
                return _ref(company, company.aliases[0] if company.aliases else company.canonical)
        return None


_FILE_NAME_WORDS = re.compile(r"[\s_.-]+")
_MIN_FILE_NAME_KEY = 3


def _squashed(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


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
