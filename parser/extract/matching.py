"""spaCy tokenization and rule matching for candidate sentences.

The rules are spaCy Matcher patterns (rules/<family>/patterns.jsonl). Patterns made only of
lowercase words (`LOWER`, `LOWER: {IN: [...]}`, optional tokens) are compiled into one
PhraseMatcher for all families, which matches by hash lookup; the few others (e.g. `LIKE_NUM`)
stay in a Matcher. A sentence is tokenized once and matched once for every family.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import product
from typing import Any

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.matcher import Matcher, PhraseMatcher
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
    token_starts: list[int]
    tokens: list[str]  # token texts, read without making spaCy Token objects

    def token_at(self, char: int) -> int:
        """Index of the token holding sentence character `char`."""
        return max(0, bisect_right(self.token_starts, char) - 1)

    def of(self, *labels: str) -> list[Trigger]:
        return [t for t in self.triggers if t.label in labels]


@dataclass
class Annotations:
    """Every family's matches for one sentence, computed together."""

    doc: Doc
    by_family: dict[str, list[Trigger]]
    token_starts: list[int]
    tokens: list[str]

    def family(self, name: str) -> Annotated:
        return Annotated(self.doc, self.by_family.get(name, []), self.token_starts, self.tokens)


# Line breaks inside a sentence are hard wraps, and a bullet glued to its word ("•Earned") is
# no part of it: as plain spaces (same length, so offsets hold) they make no tokens.
_AS_SPACES = str.maketrans({"\n": " ", "•": " ", "▪": " ", "●": " ", "◦": " ", "‣": " "})


class Annotator:
    def __init__(self, rules: Rules) -> None:
        self.nlp = spacy.blank("en")
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._matcher = Matcher(self.nlp.vocab, validate=True)
        # The Matcher is slow per token; run it only on sentences holding a word its patterns
        # start with (None: some pattern starts with no fixed word, so always run it).
        self._matcher_words: set[str] | None = set()
        for family, patterns in rules.patterns.items():
            for label, pattern in patterns:
                key = f"{family}\t{label}"
                phrases = _as_phrases(pattern)
                if phrases is None:
                    self._matcher.add(key, [pattern])
                    self._note_first_words(pattern[0])
                else:
                    self._phrases.add(key, [self.nlp.make_doc(p) for p in phrases])

    def _note_first_words(self, token: dict[str, Any]) -> None:
        value = token.get("LOWER")
        words = value.get("IN") if isinstance(value, dict) else value
        if self._matcher_words is None or token.get("OP") in ("?", "*") or not words:
            self._matcher_words = None
        else:
            self._matcher_words.update([words] if isinstance(words, str) else words)

    def annotate(self, text: str) -> Annotations:
        flat = text.translate(_AS_SPACES)
        doc = self.nlp.make_doc(flat)
        offsets = doc.to_array([IDX, LENGTH]).tolist()
        starts = [start for start, _ in offsets]
        ends = [start + length for start, length in offsets]
        strings = self.nlp.vocab.strings
        matches = set(self._phrases(doc))
        if self._matcher_words is None or self._matcher_words & set(flat.lower().split()):
            matches.update(self._matcher(doc))
        by_family: dict[str, list[Trigger]] = {}
        for match_id, start, end in matches:
            if start and end - start == 1 and flat[starts[start] : ends[start]] == "May":
                continue  # the month, not the modal verb: "in May", "As at May 31"
            family, label = strings[match_id].split("\t")
            trigger = Trigger(label, starts[start], ends[end - 1], start, end - 1)
            by_family.setdefault(family, []).append(trigger)
        for triggers in by_family.values():
            triggers.sort(key=lambda t: (t.start, -t.end))
        tokens = [flat[start:end] for start, end in zip(starts, ends, strict=True)]
        return Annotations(doc, by_family, starts, tokens)


def _as_phrases(pattern: list[dict[str, Any]]) -> list[str] | None:
    """Every word sequence a lowercase-only pattern matches, or None for other patterns."""
    choices: list[list[str]] = []
    for token in pattern:
        if set(token) - {"LOWER", "OP"} or token.get("OP", "!") not in ("!", "?"):
            return None
        value = token.get("LOWER")
        words = value.get("IN") if isinstance(value, dict) and set(value) == {"IN"} else value
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list):
            return None
        choices.append([*words, ""] if token.get("OP") == "?" else list(words))
    phrases = {" ".join(w for w in combination if w) for combination in product(*choices)}
    return sorted(p for p in phrases if p)
