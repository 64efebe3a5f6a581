"""The cue words of `rules/vocabulary.yaml`, compiled once into the patterns extractors use."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parser.errors import RuleError


@dataclass(frozen=True)
class Lexicon:
    money_total_before: re.Pattern[str]
    money_total_after: re.Pattern[str]
    money_value_before: re.Pattern[str]
    money_average_before: re.Pattern[str]
    abbreviations: frozenset[str]


def build_lexicon(
    vocabulary: dict[str, tuple[str, ...]], source: str = "vocabulary.yaml"
) -> Lexicon:
    try:
        return Lexicon(
            # the cue, then up to a few words before the amount ("for total proceeds of $")
            money_total_before=_words_before(vocabulary["money_total_before"], 25),
            money_total_after=re.compile(rf"^\s*{_any(vocabulary['money_total_after'])}\b", re.I),
            money_value_before=_words_before(vocabulary["money_value_before"], 15),
            money_average_before=_words_before(vocabulary["money_average_before"], 30),
            abbreviations=frozenset(a.lower() for a in vocabulary["abbreviations"]),
        )
    except KeyError as exc:
        raise RuleError(source, None, f"missing list {exc}") from exc


def _any(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def _words_before(words: tuple[str, ...], reach: int) -> re.Pattern[str]:
    return re.compile(rf"\b{_any(words)}\b[^$]{{0,{reach}}}$", re.I)
