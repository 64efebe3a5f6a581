"""Document -> facts. Cheap regex screens pick candidate sentences; only those are tokenized
and matched with spaCy; each fact family reads its sentence; duplicates are merged last."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from parser.extract import btc, hashrate
from parser.extract.clauses import sentence_subject
from parser.extract.companies import CompanyFinder, Mention
from parser.extract.context import Candidate, SentenceContext
from parser.extract.dedupe import merge_candidates
from parser.extract.lexicon import build_lexicon
from parser.extract.matching import Annotator
from parser.extract.names import PeopleMemory
from parser.extract.people import PeopleExtractor, drop_contradicted
from parser.extract.periods import (
    find_period,
    latest_month,
    reference_from,
    without_comparisons,
)
from parser.extract.quantities import MAX_VALUE, QuantityFinder
from parser.extract.sentences import Sentence, split_sentences
from parser.extract.table_facts import TableFacts, reconcile
from parser.rules import Rules
from parser.types import CompanyRef, Document, Fact, Rejection

_DIGIT = re.compile(r"\d")
_YEARISH = re.compile(r"(?:19|20)\d\d")
# No \b before the unit: "4,451BTC" glues it to the number.
_BTC_SCREEN = re.compile(r"(?<![A-Za-z])(?:BTC|XBT|[Bb]itcoins?|BITCOINS?)\b|₿")
_HASH_SCREEN = re.compile(r"[EPTeptGg][Hh]/[sS]|\b[EPT]H\b|hash", re.I)
_PEOPLE_SCREEN = re.compile(
    r"\b(?:CEO|CFO|COO|CTO|CSO|[Cc]hief|[Pp]resident|[Cc]hairman|[Oo]fficer|[Aa]ppoint|[Rr]esign|"
    r"[Ss]tep(?:s|ped|ping)? down|[Ss]ucce|[Nn]amed|[Dd]epart|[Jj]oin|[Ll]eav|[Rr]etir|[Ii]nterim|"
    r"reins|helm|[Ee]xecutive|[Tt]a(?:ke|kes|ken|king|ok) over|[Rr]eplac|[Hh]ire|[Tt]ap|[Oo]ust|"
    r"[Rr]emov|[Tt]erminat|[Dd]ismiss|[Pp]romot|[Ee]levat|[Bb]r(?:ing|ings|ought) (?:on|in)|"
    r"[Ll]et go|[Pp]arted|[Ss]ucce|[Ss]wap|roles|[Oo]utgoing)"
)


class Extractor:
    """Holds the compiled rules; `run` is safe to call for many documents."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.annotator = Annotator(rules)
        self.quantities = QuantityFinder(rules.hedges)
        self.companies = CompanyFinder(rules.companies, rules.not_names)
        self.people = PeopleExtractor(rules)
        self.lexicon = build_lexicon(rules.vocabulary)
        self.tables = TableFacts(rules.tables)

    def run(
        self, document: Document, rejected: list[Rejection] | None = None
    ) -> tuple[list[Fact], CompanyRef | None]:
        """The document's facts and issuer; figures read and dropped go to `rejected`."""
        text = document.text
        mentions = self.companies.mentions(text)
        starts = [m.start for m in mentions]  # sorted: mentions come back in text order
        issuer = self.companies.issuer(document.title, mentions, document.issuer, document.source)
        published = reference_from(document.published, document.source)
        reference = published
        sentences = split_sentences(text, self.lexicon.abbreviations)
        screened = {i for i, s in enumerate(sentences) if _PEOPLE_SCREEN.search(s.text)}
        people = _PeopleWork(screened, self._people_memory(text, mentions, screened))
        report_period = find_period(document.title or "", 0, published) if document.title else None
        candidates: list[Candidate] = []
        context_company = issuer
        last_paragraph = -1
        section_company = issuer
        previous: SentenceContext | None = None
        # A text that stops mid-sentence ("... sold 210 B") has its last sentence cut short.
        cut_at = len(text.rstrip()) if text.rstrip()[-1:].isalnum() else len(text) + 1
        for index, sentence in enumerate(sentences):
            local = _local_mentions(mentions, starts, sentence)
            if sentence.paragraph != last_paragraph:
                context_company, last_paragraph = section_company, sentence.paragraph
                previous = None
            # The sentence's own "July 2025" resolves its "June"; a bare year waits until after
            # ("in Q1 compared to Q1 2024": the first Q1 is not 2024's).
            dated = bool(_YEARISH.search(sentence.text))
            if dated or not reference.from_text:
                own = without_comparisons(sentence.text)
                reference = latest_month(own, reference, published, years=False)
            ctx = SentenceContext(
                sentence,
                [],
                local,
                context_company,
                reference,
                self.annotator,
                self.lexicon,
                report_period,
                previous,
                cut=sentence.end >= cut_at,
            )
            candidates += self._sentence_facts(ctx, people, index)
            ctx.forget_previous()
            previous = ctx
            if rejected is not None:
                rejected += ctx.rejections()
            if dated and reference.year is None:
                reference = latest_month(sentence.text, reference, published)
            if local:
                context_company = sentence_subject(sentence.text, local) or context_company
                if sentence.heading and len({m.ref.canonical for m in local}) == 1:
                    section_company = local[0].ref
        table_facts, tables = self.tables.read(text, issuer, mentions, document.published)
        candidates = reconcile(candidates, table_facts, tables)
        if people.memory is not None:
            candidates = drop_contradicted(candidates, people.memory)
        candidates = _drop_passing_roles(candidates, mentions, issuer)
        plausible = [c for c in candidates if _plausible(c)]
        return merge_candidates(plausible, document), issuer

    def _people_memory(
        self, text: str, mentions: list[Mention], screened: set[int]
    ) -> PeopleMemory | None:
        """The document's people memory; None when no sentence passes the people screen: no
        people fact can come out, so no name is looked for at all."""
        if not screened:
            return None
        return self.people.memory_for(text, [(m.start, m.end) for m in mentions])

    def _sentence_facts(
        self, ctx: SentenceContext, people: _PeopleWork, index: int
    ) -> list[Candidate]:
        text = ctx.text
        found: list[Candidate] = []
        has_digit = bool(_DIGIT.search(text))
        cut_amount = btc.cut_amount(text) if ctx.cut else None
        wants_btc = has_digit and (bool(_BTC_SCREEN.search(text)) or cut_amount is not None)
        wants_hash = has_digit and bool(_HASH_SCREEN.search(text))
        if wants_btc or wants_hash:
            ctx.quantities = self.quantities.find(text) + ([cut_amount] if cut_amount else [])
        if wants_btc:
            found += btc.extract(ctx)
        if wants_hash:
            found += hashrate.extract(ctx)
        if people.memory is None:
            return found
        if index in people.screened:
            found += self.people.extract(ctx, people.memory)
        elif index < people.last:
            self.people.remember(ctx, people.memory)
        return found


class _PeopleWork:
    """Where a document's people work can yield a fact: the sentences that pass the people
    screen are read for changes; a sentence without one is only remembered (names, who holds
    which title) for a screened sentence after it, so none is remembered after the last."""

    def __init__(self, screened: set[int], memory: PeopleMemory | None) -> None:
        self.screened = screened
        self.last = max(screened, default=-1)
        self.memory = memory


_AMOUNT_LIMITS = {
    "proceeds_usd": MAX_VALUE["usd"],
    "cost_usd": MAX_VALUE["usd"],
    "average_price_usd": MAX_VALUE["usd"],
}


def _plausible(candidate: Candidate) -> bool:
    """Every amount of a fact is finite, not negative and within what can be true (at most all
    the bitcoin there will ever be, ...); an absurd figure is no fact at all."""
    value_limit = MAX_VALUE["hashrate" if candidate.type == "hashrate" else "btc"]
    limits = {"value": value_limit, **_AMOUNT_LIMITS}
    for key, limit in limits.items():
        amount = candidate.fields.get(key)
        if isinstance(amount, int | float) and not 0 <= amount <= limit:
            return False
    return True


_PEOPLE_TYPES = {"executive_appointment", "executive_departure"}
_PASSING = 2  # mentions of a company that a document only names in passing


def _drop_passing_roles(
    candidates: list[Candidate], mentions: list[Mention], issuer: CompanyRef
) -> list[Candidate]:
    """Roles at a company the document only names in passing are a person's past or other
    jobs ("Genoot served US Bitcoin as its president"), not this document's executive news.
    A role whose sentence names no company at all took a passing name from the sentences
    before ("... shares to sellers led by Golden TechGen. ... with CEO Jiayuan Lin assuming
    interim CFO duties"): it is the issuer's."""
    counts = Counter(m.ref.canonical for m in mentions)
    kept = []
    for c in candidates:
        if (
            c.type not in _PEOPLE_TYPES
            or c.subject_company
            or c.company.canonical == issuer.canonical
            or counts[c.company.canonical] > _PASSING
        ):
            kept.append(c)
        elif not any(c.start <= m.start < c.end for m in mentions):
            c.company = issuer
            kept.append(c)
    return kept


def _local_mentions(
    mentions: list[Mention], starts: list[int], sentence: Sentence
) -> list[Mention]:
    """The sentence's mentions, with offsets relative to it (`starts`: sorted mention starts)."""
    first = bisect_left(starts, sentence.start)
    last = bisect_left(starts, sentence.end)
    return [
        Mention(m.start - sentence.start, m.end - sentence.start, m.ref)
        for m in mentions[first:last]
        if m.end <= sentence.end
    ]


__all__ = ["Extractor"]
