"""Sentence segmentation that survives press-release noise.

Blank lines end paragraphs. A single line break ends a sentence only when the line before is
complete (terminal punctuation), the next line is a bullet, the line before is a table row or
a short heading; otherwise it is a hard wrap inside a sentence ("targeting 4.2\\nEH/s") and the
sentence goes on. Inside a line, sentences end at . ! ? followed by a capital, digit or quote,
except after common abbreviations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
}  # fmt: skip
_BULLET = re.compile(r"^\s*(?:[•▪●◦‣∙·*\-–—]|\d{1,2}[.)]\s)")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)]*Â?(?=\s+[\"'“‘(]?[A-Z0-9$•])")
_TERMINAL = re.compile(r"[.!?:;…][\"'”’)]*[Â\s]*$")
_UNIT_START = re.compile(r"^(?:[EPT]H/s|[EPT]H\b|BTC\b|MW\b)")
_SOFT_LINE_END = re.compile(
    r"\b(?:the|a|an|of|and|or|to|in|on|at|for|by|with|from|as|its|their|our|his|her|chief|"
    r"vice|senior|executive|interim|acting|prior|which|that|who|is|was|were|are|has|had|have|"
    r"will|would)$",
    re.I,
)
_HEADING_MAX = 60


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    heading: bool = False


def split_sentences(text: str, abbreviations: frozenset[str]) -> list[Sentence]:
    """Sentences of `text`; a full stop after one of `abbreviations` ("Inc.") ends none."""
    sentences: list[Sentence] = []
    for paragraph, (para_start, para_end) in enumerate(_paragraphs(text)):
        for start, end, heading in _line_groups(text, para_start, para_end):
            for inline_start, inline_end in _split_inline(text, start, end, abbreviations):
                for s_start, s_end in _bounded(text, inline_start, inline_end):
                    sentence = Sentence(s_start, s_end, text[s_start:s_end], paragraph, heading)
                    sentences.append(sentence)
    return sentences


# No written sentence is longer; a longer run (a table flattened to one line, hostile input)
# is cut at spaces, so the tokenizer (limited to 1M characters) and every per-sentence
# pattern see bounded pieces.
MAX_SENTENCE = 5_000


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        pieces.append(_trim(text, start, cut))
        start = cut
    pieces.append(_trim(text, start, end))
    return [piece for piece in pieces if piece[1] > piece[0]]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Blank-line separated paragraphs; one that breaks off after a word no sentence ends with
    ("The recent departure of" + a dropped link) goes on in the next."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"(?:[^\n]|\n(?![^\S\n]*+\n))+", text):
        if not match.group(0).strip():
            continue
        if spans and _DANGLING_END.search(
            text[max(spans[-1][0], spans[-1][1] - 40) : spans[-1][1]]
        ):
            spans[-1] = (spans[-1][0], match.end())
        else:
            spans.append((match.start(), match.end()))
    return spans


_DANGLING_END = re.compile(r"[a-z]\s+(?:of|the|an?|and|or|to|by|with|from|its|their)\s*$")


def _line_groups(text: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """Join hard-wrapped lines of one paragraph; break where a line is complete on its own."""
    lines = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]+", text[start:end])]
    groups: list[tuple[int, int, bool]] = []
    group_start = None
    for index, (line_start, line_end) in enumerate(lines):
        if group_start is None:
            group_start = line_start
        following = (
            text[lines[index + 1][0] : lines[index + 1][1]] if index + 1 < len(lines) else ""
        )
        current = text[line_start:line_end]
        if not following or _breaks_after(current, following):
            heading = group_start == line_start and _is_heading(current, following)
            groups.append((group_start, line_end, heading))
            group_start = None
    return groups


def _breaks_after(line: str, following: str) -> bool:
    stripped, next_line = line.rstrip(), following.lstrip()
    if not stripped.strip():
        return True
    if _TERMINAL.search(stripped) or _BULLET.match(following) or "|" in stripped:
        return True
    starts_upper = next_line[:1].isupper() or next_line[:1] in "\"“'‘"
    if not starts_upper:
        return False
    if _UNIT_START.match(next_line):
        return False
    if re.search(r"[\d%)]$", stripped) and re.search(r"[A-Za-z]", stripped[-40:]):
        return True
    return len(stripped.strip()) <= _HEADING_MAX and not _SOFT_LINE_END.search(stripped)


def _is_heading(line: str, following: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= 120
        and not _TERMINAL.search(stripped)
        and "|" not in stripped
        and not _BULLET.match(stripped)
        and (not following or following.lstrip()[:1].isupper())
    )


def _split_inline(
    text: str, start: int, end: int, abbreviations: frozenset[str]
) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    chunk = text[start:end]
    for match in _SENTENCE_END.finditer(chunk):
        cut = start + match.end()
        next_char = text[cut : cut + 3].lstrip()[:1]
        if _is_abbreviation(text, start + match.start(), next_char, abbreviations):
            continue
        spans.append(_trim(text, cursor, cut))
        cursor = cut
    spans.append(_trim(text, cursor, end))
    return [span for span in spans if span[1] > span[0]]


def _is_abbreviation(text: str, dot: int, next_char: str, abbreviations: frozenset[str]) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"(?<![A-Za-z.])([A-Za-z.]+)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    if text[max(0, dot - len(word.group(1)) - 1) : dot - len(word.group(1))] == "/":
        return False  # "29.3 EH/s." ends a sentence: a unit, not an initial
    token = word.group(1).lower().strip(".")
    if token in _MONTHS and next_char.isdigit():
        return True  # "May. 6, 2024"
    return token in abbreviations or (len(token) == 1 and token.isalpha())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
