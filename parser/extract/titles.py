"""Officer titles in a sentence, written out in full (`rules/titles.yaml`).

"acting CFO" -> "Acting Chief Financial Officer", "interim CEO" -> "Interim Chief Executive
Officer"; runs like "CEO, president, and director" are one title ("Chief Executive Officer and
President"). Lower ranks ("Vice President", "SVP") and "-elect" forms are no officer titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parser.rules import Rules


@dataclass(frozen=True)
class Title:
    start: int
    end: int
    names: tuple[str, ...]  # officer titles written out, in order

    @property
    def full(self) -> str:
        return " and ".join(self.names)

    @property
    def interim(self) -> bool:
        return self.names[0].startswith(INTERIM_PREFIXES)


INTERIM_PREFIXES = ("Interim ", "Acting ")


def _strip_interim(name: str) -> str:
    for prefix in INTERIM_PREFIXES:
        name = name.removeprefix(prefix)
    return name


def permanent(title: str) -> str:
    """The title without its interim word: the role an interim holder stands in for."""
    return " and ".join(_strip_interim(name) for name in title.split(" and "))


class TitleFinder:
    def __init__(self, rules: Rules) -> None:
        titles = rules.titles
        forms = sorted(
            ((form, officer.name) for officer in titles.officers for form in officer.forms),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        self._name_of = {form.lower(): name for form, name in forms}
        alternation = "|".join(re.escape(form).replace(r"\ ", r"\s+") for form, _ in forms)
        # "Ex-CEO" is a title; "co-CEO" has its own form.
        self._officer = re.compile(rf"(?:(?<![\w-])|(?<=\b[Ee]x-))(?:{alternation})(?![\w-])", re.I)
        interim = "|".join(re.escape(word) for word in titles.interim)
        self._interim = re.compile(rf"\b({interim})\s+$", re.I)
        prefixes = "|".join(re.escape(p) for p in titles.not_officer_prefixes)
        self._lower_rank = re.compile(rf"\b(?:{prefixes})[\s-]*$", re.I)
        board = "|".join(re.escape(b) for b in sorted(titles.board_roles, key=len, reverse=True))
        self._board = re.compile(rf"\b(?:{board})\b", re.I)
        # "CEO and interim Chairman", "President and Chairman of the Board": the board seat
        # joined to an officer title is part of its span, not of its names.
        self._board_tail = re.compile(
            rf"\A\s+(?:and|&)\s+(?:an?\s+|the\s+)?(?:(?:{interim})\s+|non-executive\s+)?"
            rf"(?:{board})(?:\s+of\s+the\s+(?:board|company)(?:\s+of\s+directors)?)?(?![\w-])",
            re.I,
        )
        staff = "|".join(re.escape(s) for s in sorted(titles.staff_roles, key=len, reverse=True))
        self.staff = re.compile(rf"\b(?:{staff})\b", re.I)

    def find(self, text: str) -> list[Title]:
        """Officer titles, with runs like "CEO, president, and director" merged into one."""
        singles: list[tuple[int, int, str]] = []
        for match in self._officer.finditer(text):
            before = text[max(0, match.start() - 20) : match.start()]
            if self._lower_rank.search(before) or text[match.end() : match.end() + 5] == "-elec":
                continue
            name = self._name_of[" ".join(match.group(0).lower().split())]
            start = match.start()
            interim = self._interim.search(before)
            if interim:
                word = interim.group(1).capitalize()
                name, start = f"{word} {name}", match.start() - len(interim.group(0))
            singles.append((start, match.end(), name))
        return [self._with_board_tail(text, title) for title in self._merge(text, singles)]

    def _with_board_tail(self, text: str, title: Title) -> Title:
        tail = self._board_tail.match(text[title.end : title.end + 80])
        return Title(title.start, title.end + tail.end(), title.names) if tail else title

    def is_board(self, text: str) -> bool:
        return bool(self._board.search(text))

    def _merge(self, text: str, singles: list[tuple[int, int, str]]) -> list[Title]:
        merged: list[Title] = []
        for start, end, name in singles:
            if merged:
                gap = text[merged[-1].end : start]
                if re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*(?:the\s+|its\s+)?", gap) or (
                    re.fullmatch(r"[\s,]*(?:and\s+)?", self._board.sub("", gap)) and len(gap) < 30
                ):
                    last = merged[-1]
                    if name not in last.names:
                        merged[-1] = Title(last.start, end, (*last.names, name))
                    continue
            merged.append(Title(start, end, (name,)))
        return merged
