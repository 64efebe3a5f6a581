"""The clause model: which part of a sentence a figure sits in, and whose figure it is.

A sentence splits into clauses at `;`, dashes, parentheses, "while", "whereas", "but", "with"
and at an "and" that starts a new subject ("and it", "and Riot"). A figure belongs to:
1. the company of a "respectively" list, by position ("Hut 8 and Bitfarms produced 120 BTC and
   250 BTC, respectively");
2. the company of a relative clause right after it ("the 286 BTC Hut 8 mined");
3. the nearest subject company before it in its clause, a subject being a mention that is not
   the object of a preposition ("Compared with Marathon, CleanSpark ...") and not inside
   parentheses;
4. the sentence's first subject company before it (a "with" clause has the main subject);
5. the nearest company named before it at all ("At Core Scientific, production fell");
6. else the company the text was last about (its subject), which "the company" and "its" mean;
   a company named after the figure takes it only as a subject, and only when the clause has
   no subject of its own ("we", "the company"): "49,179 BTC, second only to Strategy" is not
   Strategy's.
A figure whose clause names no company but is followed by a parenthesised list of several is
a group figure ("50 EH/s (Cipher, Bitdeer and HIVE)"): nobody's fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from parser.extract.companies import Mention
from parser.types import CompanyRef

_BREAK = re.compile(
    r";|\s[—–]\s|[()]|\b(?:while|whereas|but)\b|(?<!together )(?<!along )(?<!compared )\bwith\b|,\s+and\b"
    r"|\band\b(?=\s+(?:it|its|they|their|the (?:company|firm|miner)|[A-Z$]))"
)
_MAIN_BREAK = re.compile(r";|\s[—–]\s|[()]|\b(?:while|whereas|but)\b|,\s+and\b")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:(?:compared|along|together|in line|competed|competes|competing|partnered|merged|merger)\s+with|than|from|like|unlike|over|behind|to|of|at|including|versus|vs\.?|against|by|"
    r"for|between|among|on|ahead of|outpacing|trailing|beating|topping)\s+(?:the\s+)?$",
    re.I,
)
_RELATIVE_SUBJECT_BEFORE = re.compile(r"^\s*(?:(?:that|which)\s*)?$")
_RELATIVE_VERB_AFTER = re.compile(
    r"^(?:'s)?\s+(?:has\s+|had\s+|have\s+|now\s+|also\s+|reportedly\s+)?"
    r"(?:mined|produced|generated|earned|holds|held|owns|owned|sold|bought|acquired|purchased|"
    r"reported|posted|added|has|had|hold|own)\b"
)
_POSSESSIVE = re.compile(r"^(?:'s|’s|'|’)\s+(?:(?:total|current|own)\s+)?$")
_RELATIVE_PRONOUN = re.compile(r"^,?\s*(?:which|who|that)\b[^,;()]*$")
# A clause whose subject is the text's company in other words: "we", "it", "the company".
_OWN_SUBJECT = re.compile(
    r"(?:^|[\s,;(])(?:[Ww]e|[Ii]t|[Ii]ts|[Oo]ur|[Tt]he (?:[Cc]ompany|[Ff]irm|[Mm]iner|[Gg]roup))(?:['’]s)?\s"
)
_OWN_SUBJECT_START = re.compile(
    r"^\W*(?:[A-Z][a-z]+\s+\d{1,4},?\s+)?(?:[Ww]e|[Oo]ur|[Tt]he [Cc]ompany|[Tt]he [Ff]irm)\b"
)
_LIST_JOIN = re.compile(r"^(?:,\s*|\s+and\s+|,\s*and\s+)$")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)


def clause_span(text: str, position: int, breaks: re.Pattern[str] = _BREAK) -> tuple[int, int]:
    """Start and end of the clause holding character `position`."""
    start, end = 0, len(text)
    for match in breaks.finditer(text):
        if match.end() <= position:
            start = match.end()
        elif match.start() > position:
            end = match.start()
            break
    return start, end


def main_clause_span(text: str, position: int) -> tuple[int, int]:
    """Start and end of the main clause holding `position` (a "with" clause is part of it)."""
    return clause_span(text, position, _MAIN_BREAK)


def in_parentheses(text: str, position: int) -> bool:
    before = text[:position]
    return before.rfind("(") > before.rfind(")")


def is_subject(text: str, mention: Mention) -> bool:
    """A mention that is no preposition's object and not inside parentheses."""
    if in_parentheses(text, mention.start):
        return False
    return not _PREPOSITION_BEFORE.search(text[max(0, mention.start - 20) : mention.start])


def sentence_subject(text: str, mentions: Sequence[Mention]) -> CompanyRef | None:
    """The company a sentence is about: its first subject mention, else its first mention."""
    if mentions and _OWN_SUBJECT_START.match(text[: mentions[0].start]):
        return None  # "We cancelled our agreement with Gryphon": still the text's own company
    subjects = [m for m in mentions if is_subject(text, m)]
    if subjects:
        return subjects[0].ref
    return mentions[0].ref if mentions else None


def owner(
    text: str, mentions: Sequence[Mention], start: int, end: int
) -> CompanyRef | Literal[False] | None:
    """The company the figure at text[start:end] belongs to; None when the sentence does not
    say (the context's company applies); False when it is a group's figure (nobody's)."""
    relative = _relative_owner(text, mentions, end)
    if relative:
        return relative
    before = [m for m in mentions if m.end <= start]
    if before and _POSSESSIVE.match(text[before[-1].end : start]):
        return before[-1].ref  # "surpassing Tesla's 11,509 BTC"
    if before and _RELATIVE_PRONOUN.match(text[before[-1].end : start]):
        return before[-1].ref  # "ahead of Riot Platforms, which holds 19,287 BTC"
    clause_start = clause_span(text, start)[0]
    in_clause = [m for m in before if m.start >= clause_start and is_subject(text, m)]
    if in_clause:
        if _coordinated(text, mentions, in_clause[-1]):
            return False  # "Strategy and Metaplanet bought 8,000 BTC": the pair's figure
        return in_clause[-1].ref
    # a "with" clause has the subject of the clause it hangs on ("while MARA ranks second with
    # 50,000"; "Hut 8 tops Bitfarms with 9,106 BTC")
    main_start = clause_span(text, start, _MAIN_BREAK)[0]
    subjects = [m for m in before if is_subject(text, m)]
    in_main = [m for m in subjects if m.start >= main_start]
    if in_main or subjects:
        return (in_main or subjects)[0].ref
    if before:
        return before[-1].ref
    if _group_list_after(text, mentions, end):
        return False
    if _OWN_SUBJECT.search(text[clause_start:start]):
        return None  # "we mined 73.5 BTC ... from Gryphon": the text's own company
    after = [m for m in mentions if m.start >= end and is_subject(text, m)]
    return after[0].ref if after else None


def _coordinated(text: str, mentions: Sequence[Mention], mention: Mention) -> bool:
    """The mention ends a list of companies joined by "and" ("Strategy and Metaplanet")."""
    return any(
        len(group) >= 2 and group[-1] == mention and "and" in text[group[-2].end : mention.start]
        for group in _mention_lists(text, mentions)
    )


def _relative_owner(text: str, mentions: Sequence[Mention], end: int) -> CompanyRef | None:
    """ "the 286 BTC Hut 8 mined", "the 4,000 BTC that Metaplanet holds"."""
    for mention in mentions:
        if mention.start < end or mention.start - end > 12:
            continue
        if _RELATIVE_SUBJECT_BEFORE.match(text[end : mention.start]) and (
            _RELATIVE_VERB_AFTER.match(text[mention.end : mention.end + 30])
        ):
            return mention.ref
    return None


def _group_list_after(text: str, mentions: Sequence[Mention], end: int) -> bool:
    """ "hit 50 EH/s (Cipher, Bitdeer and HIVE)": the figure of several companies together."""
    tail = text[end:]
    match = re.match(r"^\s*\(([^)]*)\)", tail)
    if not match:
        return False
    inside = [m for m in mentions if end + match.start(1) <= m.start < end + match.end(1)]
    return len({m.ref.canonical for m in inside}) >= 2


def respective_owner(
    text: str, mentions: Sequence[Mention], figures: Sequence[tuple[int, int]], index: int
) -> CompanyRef | None:
    """In "A, B and C mined 700, 460 and 620 BTC respectively", figure `index` of `figures`
    (spans of same-kind figures) is the company at the same place in the list."""
    if not _RESPECTIVELY.search(text):
        return None
    for group in _mention_lists(text, mentions):
        if group[-1].end > figures[index][0]:
            continue
        listed = [f for f in figures if f[0] > group[-1].end]
        if len(listed) == len(group) and figures[index] in listed:
            return group[listed.index(figures[index])].ref
    return None


def _mention_lists(text: str, mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Runs of two or more mentions joined only by commas and "and"."""
    lists: list[list[Mention]] = []
    run: list[Mention] = []
    for mention in mentions:
        if run and _LIST_JOIN.match(text[run[-1].end : mention.start]):
            run.append(mention)
            continue
        if len(run) >= 2:
            lists.append(run)
        run = [mention]
    if len(run) >= 2:
        lists.append(run)
    return lists
