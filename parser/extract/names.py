"""People's names in a sentence, and what a document has said about them so far.

Names are runs of capitalised words that are not titles, calendar words, change verbs or
companies; initials ("L. Geoffrey Morphy"), particles ("Luis de la Vega"), O'-names and quoted
nicknames ("Robert “Bob” Smith" -> "Robert Smith") stay inside. A lone surname or first name
refers back to the full name met earlier, and a longer or shorter form of a known name ("Matt
Linghui Kong" after "Linghui Kong") is the same person under the name met first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from parser.extract.context import Candidate

_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"  # Latin letters, accented ones included (José Núñez)
_NAME_WORD = (
    rf"(?:[{_UP}]\.|[{_UP}]['’][{_UP}][{_LOW}]+|"
    rf"[{_UP}][{_LOW}]*[{_UP}]?[{_LOW}]+(?:[-'’][{_UP}]?[{_LOW}]+)*)"
)
# Lowercase particles inside a name: "Jan van der Berg", "Luis de la Vega".
_PARTICLES = r"(?:(?:van|von|der|den|de|da|di|del|du|la|le|bin|al|ter)[ \t]+)*"
# A nickname in quotes between first name and surname: Robert “Bob” Smith.
_NICKNAME = r"(?:[ \t]+[“\"'‘][A-Z][a-z]+[”\"'’])?"
_NAME_RUN = re.compile(
    rf"(?<![\w.'’-]){_NAME_WORD}(?:{_NICKNAME}[ \t]*\n?[ \t]*{_PARTICLES}{_NAME_WORD})*"
)
# Possessive endings, including the mojibake of a curly apostrophe ("Zhangâs").
_POSSESSIVE = re.compile(r"(?:['’]s?|â(?:€™)?s?)$")


@dataclass(frozen=True)
class Person:
    start: int
    end: int
    name: str


@dataclass
class PeopleMemory:
    """What a document has said so far about people: names, who holds which title, which
    titles were left empty, and the appointments already made (to learn whom they replace)."""

    names: list[str] = field(default_factory=list)
    later_names: list[str] = field(default_factory=list)  # every full name in the document
    title_of: dict[str, str] = field(default_factory=dict)
    appointed_to: dict[str, str] = field(default_factory=dict)  # the role a change gave them
    holder_of: dict[str, str] = field(default_factory=dict)
    last_person: str | None = None
    vacated: str | None = None  # the last title left empty, and by whom
    vacated_by: str | None = None
    appointments: dict[str, list[Candidate]] = field(default_factory=dict)
    elsewhere: dict[str, set[str]] = field(default_factory=dict)  # titles at other companies
    lone_departures: list[Candidate] = field(default_factory=list)  # no successor named
    swapped: dict[str, str] = field(default_factory=dict)  # "Kong and Wu swap roles", both ways
    departures: list[Candidate] = field(default_factory=list)
    years: dict[int, int | None] = field(default_factory=dict)  # "in 2022" of a change, by id
    # Indexes of `names`, so that looking a name up does not walk every name met so far.
    _position: dict[str, int] = field(default_factory=dict, repr=False)
    _latest: dict[str, str] = field(default_factory=dict, repr=False)  # first or last word
    _suffix_of: dict[str, int] = field(default_factory=dict, repr=False)  # "Linghui Kong" -> 0
    _later: tuple[int, int, dict[str, str]] | None = field(default=None, repr=False)

    def learn(self, name: str) -> None:
        if name in self._position:
            return
        position = self._position[name] = len(self.names)
        self.names.append(name)
        parts = name.split()
        if len(parts) >= 2:
            self._latest[parts[0]] = self._latest[parts[-1]] = name
        for suffix in _word_suffixes(name):
            self._suffix_of.setdefault(suffix, position)

    def latest_with(self, word: str) -> str | None:
        """The name learned last whose first or last word is `word`; else the first such name
        of `later_names`."""
        if word in self._latest:
            return self._latest[word]
        later = self.later_names
        if self._later is None or self._later[:2] != (id(later), len(later)):
            index: dict[str, str] = {}
            for name in later:
                parts = name.split()
                if len(parts) >= 2:
                    index.setdefault(parts[-1], name)
                    index.setdefault(parts[0], name)
            self._later = (id(later), len(later), index)
        return self._later[2].get(word)

    def first_same(self, name: str) -> str | None:
        """The first name learned that one of `name` and it ends with the other (two words at
        least)."""
        positions = [self._position[s] for s in _word_suffixes(name) if s in self._position]
        if name in self._suffix_of:
            positions.append(self._suffix_of[name])
        return self.names[min(positions)] if positions else None

    def leave(self, name: str | None, title: str) -> None:
        self.vacated, self.vacated_by = title, name

    def hold(self, name: str, title: str, names: tuple[str, ...]) -> None:
        self.title_of[name] = title
        for officer in names:
            self.holder_of[officer] = name


class NameFinder:
    def __init__(self, not_names: frozenset[str], honorifics: set[str], surnames: set[str]):
        self._not_names = not_names
        self._honorifics = honorifics
        self._surnames = surnames  # not-name words that can end a name ("Tong He")

    def people(
        self, text: str, blocked: list[tuple[int, int]], memory: PeopleMemory
    ) -> list[Person]:
        """The people a sentence names; `blocked` spans (companies, change verbs) are no names."""
        found: list[Person] = []
        spans = _Spans(blocked)
        for run in _NAME_RUN.finditer(text):
            found += self._split_run(text, run, spans, memory)
        return found

    def _split_run(
        self, text: str, run: re.Match[str], blocked: _Spans, memory: PeopleMemory
    ) -> list[Person]:
        groups: list[list[tuple[int, int]]] = [[]]
        for match in re.finditer(r"\S+", run.group(0)):
            start, end = match.start() + run.start(), match.end() + run.start()
            word = _POSSESSIVE.sub("", text[start:end])
            if word[0] in "“\"'‘":
                continue  # a nickname: not part of the name as output
            if self._stops_name(word, start, blocked, bool(groups[-1])):
                groups.append([])
            else:
                groups[-1].append((start, end))
        people = []
        for group in groups:
            while group and re.fullmatch(r"[A-Z]\.", text[group[-1][0] : group[-1][1]]):
                group = group[:-1]
            if not group:
                continue
            name = _POSSESSIVE.sub("", " ".join(text[s:e] for s, e in group))
            if len(group) >= 2:
                people.append(Person(group[0][0], group[-1][1], same_person(name, memory)))
            elif full := known(name, memory):
                people.append(Person(group[0][0], group[0][1], full))
        return people

    def full_names(self, text: str, blocked: list[tuple[int, int]]) -> list[str]:
        """Every name of two words or more in a whole text, in order."""
        memory = PeopleMemory()
        for person in self.people(text, blocked, memory):
            if " " in person.name:
                memory.learn(person.name)
        return memory.names

    def _stops_name(self, word: str, start: int, blocked: _Spans, inside: bool) -> bool:
        if start in blocked:
            return True
        if word.rstrip(".") in self._honorifics:
            return True
        return word in self._not_names and not (inside and word in self._surnames)


class _Spans:
    """Character spans, merged and sorted: whether a position falls in one is a binary search
    (a whole document's company mentions against each of its words stays linear)."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, position: int) -> bool:
        index = bisect.bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._ends[index]


def known(word: str, memory: PeopleMemory) -> str | None:
    """A lone surname or first name that refers to a full name the document gave earlier (or,
    in a headline or lead written before it, later: "Saylor to step down ... Michael Saylor")."""
    return memory.latest_with(word)


def same_person(name: str, memory: PeopleMemory) -> str:
    """The name met first for the same person: "Matt Linghui Kong" and "Linghui Kong" (one ends
    with the other, two words at least) are one person."""
    return memory.first_same(name) or name


def _word_suffixes(name: str) -> list[str]:
    """The ends of `name` of two words or more that start after one of its spaces."""
    suffixes = [name[i + 1 :] for i, char in enumerate(name) if char == " "]
    return [suffix for suffix in suffixes if len(suffix.split()) >= 2]
