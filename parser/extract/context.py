"""What every fact extractor sees for one sentence, and the candidate facts they return."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parser.extract.clauses import owner, respective_owner
from parser.extract.companies import Mention
from parser.extract.lexicon import Lexicon
from parser.extract.matching import Annotated, Annotations, Annotator
from parser.extract.periods import Reference, periods_named, without_comparisons
from parser.extract.quantities import Quantity
from parser.extract.sentences import Sentence
from parser.types import CompanyRef, Rejection

_FLOW_LABELS = ("PRODUCED", "SOLD", "PURCHASED", "HOLDINGS")
_FAMILY = {"hashrate": "hashrate", "btc": "btc", "usd": "btc"}
_PAST_ROLE = re.compile(
    r"\b(?:previously|formerly|former|prior|most recently|was|served|serving|ex-)\b[^,;]{0,40}$",
    re.I,
)
# A company that opens its clause is the clause's subject: "Elsewhere, Cipher Mining appointed
# ...", "..., while Riot Platforms said its COO ... had resigned".
_CLAUSE_START = re.compile(r"(?:^|[,;]\s*|\b(?:while|and|but|whereas)\s+)$")
_ROLE_OF = re.compile(
    r"(?:(?:Officer|CEO|CFO|COO|CTO|CSO|President|Chairman|Chair)\s+(?:of|at)|"
    r"\b(?:joins|joined|joining|rejoins|rejoined))\s+(?:the\s+)?$",
    re.I,
)


@dataclass
class Candidate:
    """A fact before dedupe: its fields, its company and the sentence span it came from."""

    type: str
    company: CompanyRef
    fields: dict[str, Any]
    start: int  # document offsets of the evidence
    end: int
    confidence: float = 0.8
    derived: bool = False  # inferred from another statement rather than stated
    subject_company: bool = False  # its company is the subject of the statement, not a passing name
    context: tuple[tuple[int, int], ...] = ()  # further evidence spans (a table's header row)
    at: int | None = None  # document offset of the figure, when read from a sentence


@dataclass
class SentenceContext:
    sentence: Sentence
    quantities: list[Quantity]
    mentions: list[Mention]  # offsets relative to the sentence
    default_company: CompanyRef | None
    reference: Reference
    annotator: Annotator
    lexicon: Lexicon
    report_period: str | None = None  # the period the document reports on, from its headline
    previous: SentenceContext | None = None  # the sentence before, in the same paragraph
    cut: bool = False  # the text stops inside this sentence
    _annotations: Annotations | None = None
    _rejected: list[tuple[Quantity, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def topic(self) -> str | None:
        """What the sentence before said about bitcoin (its last trigger's label, "HOLDINGS"),
        for list items and rankings that carry no trigger of their own. Read lazily: the
        sentence before is tokenized only when asked."""
        if self.previous is None:
            return None
        triggers = self.previous.annotated("btc").of(*_FLOW_LABELS)
        return triggers[-1].label if triggers else self.previous.topic

    @property
    def carried_period(self) -> str | None:
        """The period of a flow its sentence states none for: the one month or quarter the
        sentence before names outside comparisons ("Bitfarms had a strong month in May. Its
        output was 431 BTC"), else the headline's."""
        if self.previous is not None:
            named = set(
                periods_named(without_comparisons(self.previous.text), self.previous.reference)
            )
            if len(named) == 1:
                return named.pop()
        return self.report_period

    def forget_previous(self) -> None:
        """Keep two sentences of history, not the whole paragraph."""
        if self.previous is not None:
            self.previous.previous = None

    def annotated(self, family: str) -> Annotated:
        """The sentence's matches of one pattern family (all families are matched at once)."""
        if self._annotations is None:
            self._annotations = self.annotator.annotate(self.text)
        return self._annotations.family(family)

    def reject(self, figure: Quantity, reason: str) -> None:
        """Note that `figure` is no fact, and why (a dotted code: "hashrate.increment")."""
        self._rejected.append((figure, reason))

    def rejection_of(self, figure: Quantity) -> str | None:
        """Why `figure` was dropped, if it was."""
        return next((reason for q, reason in self._rejected if q is figure), None)

    def rejections(self) -> list[Rejection]:
        return [
            Rejection(figure.text, reason, self.sentence.start + figure.start)
            for figure, reason in self._rejected
        ]

    def of_kind(self, kind: str) -> list[Quantity]:
        return [q for q in self.quantities if q.kind == kind]

    def in_mention(self, position: int) -> bool:
        """True inside a company name ("Hut 8"), whose digits are no amount."""
        return any(m.start <= position < m.end for m in self.mentions)

    def company_at(self, anchor: int) -> CompanyRef | None:
        """The company a fact at sentence offset `anchor` is about (see `clauses`); None for a
        group's figure, which is nobody's."""
        figure = self.quantity_at(anchor)
        end = figure.end if figure else anchor
        if figure:
            same = [(q.start, q.end) for q in self.of_kind(figure.kind)]
            respective = respective_owner(
                self.text, self.mentions, same, same.index((figure.start, figure.end))
            )
            if respective:
                return respective
        found = owner(self.text, self.mentions, anchor, end)
        if found is False:
            if figure:
                self.reject(figure, f"{_FAMILY.get(figure.kind, figure.kind)}.group")
            return None
        return found or self.default_company

    def quantity_at(self, anchor: int) -> Quantity | None:
        return next((q for q in self.quantities if q.start == anchor), None)

    def role_company(self, anchor: int) -> CompanyRef | None:
        """The company of a people event at `anchor`: the one its title is "of"/"at" ("was
        appointed CFO of CleanSpark"), else the one the sentence is about (its first mention),
        else the context's."""
        roles = [
            m
            for m in self.mentions
            if _ROLE_OF.search(self.text[max(0, m.start - 40) : m.start])
            and not _PAST_ROLE.search(self.text[max(0, m.start - 70) : m.start])
        ]
        after = [m for m in roles if m.start >= anchor]
        if after or roles:
            return (after or roles)[0].ref
        subject = self.subject_company(anchor)
        if subject is not None:
            return subject
        return self.mentions[0].ref if self.mentions else self.default_company

    def subject_company(self, anchor: int) -> CompanyRef | None:
        """The company opening the clause of a statement at `anchor` (nearest such before it)."""
        for mention in reversed([m for m in self.mentions if m.end <= anchor]):
            before = self.text[max(0, mention.start - 70) : mention.start]
            inside_brackets = before.count("(") > before.count(")")
            if (
                _CLAUSE_START.search(before)
                and not _PAST_ROLE.search(before)
                and not inside_brackets
            ):
                return mention.ref
        return None

    def candidate(
        self,
        type_: str,
        anchor: int,
        fields: dict[str, Any],
        confidence: float = 0.8,
        company: CompanyRef | None = None,
    ) -> Candidate | None:
        company = company or self.company_at(anchor)
        if company is None:
            return None
        return Candidate(
            type=type_,
            company=company,
            fields=fields,
            start=self.sentence.start,
            end=self.sentence.end,
            confidence=confidence,
            at=self.sentence.start + anchor,
        )
