"""spaCy tokenization and rule matching for candidate sentences."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

import spacy
from spacy.matcher import Matcher
from spacy.tokens import Doc

from parser.rules import Rules


@dataclass(frozen=True)
class Trigger:
    label: str
    start: int  # character offsets within the sentence
    end: int
    token: int  # first token index
    last: int  # last token index (inclusive)


@dataclass
class Annotated:
    """A tokenized sentence with the rule matches of one pattern family."""

    doc: Doc
    triggers: list[Trigger]

    @cached_property
    def _token_starts(self) -> list[int]:
        return [token.idx for token in self.doc]

    def token_at(self, char: int) -> int:
        """Index of the token holding sentence character `char`."""
        return max(0, bisect_right(self._token_starts, char) - 1)

    def of(self, *labels: str) -> list[Trigger]:
        return [t for t in self.triggers if t.label in labels]


class Annotator:
    def __init__(self, rules: Rules) -> None:
        self.nlp = spacy.blank("en")
        self._matchers: dict[str, Matcher] = {}
        for family, patterns in rules.patterns.items():
            matcher = Matcher(self.nlp.vocab, validate=True)
            for label, pattern in patterns:
                matcher.add(label, [pattern])
            self._matchers[family] = matcher

    def annotate(self, text: str, family: str) -> Annotated:
        # Line breaks inside a sentence are hard wraps: as plain spaces they make no tokens.
        doc = self.nlp.make_doc(text.replace("\n", " "))
        return self.match(doc, family)

    def match(self, doc: Doc, family: str) -> Annotated:
        matcher = self._matchers[family]
        triggers = []
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            label = self.nlp.vocab.strings[match_id]
            triggers.append(Trigger(label, span.start_char, span.end_char, start, end - 1))
        triggers.sort(key=lambda t: (t.start, -t.end))
        return Annotated(doc, triggers)
