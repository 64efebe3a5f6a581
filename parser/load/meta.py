"""Title and publication date guessed from the head of a text."""

from __future__ import annotations

import re

from parser.normalize import parse_date

_DATE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d{2}"
    r"|\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+(?:19|20)\d{2}"
    r"|\b(?:19|20)\d{2}-\d{2}-\d{2}\b"
)
_HEAD_CHARS = 600


def guess_title(text: str) -> str | None:
    """The first non-empty line, when it is short enough to be a headline."""
    for line in text.splitlines():
        line = line.strip().strip("#*").strip()
        if line:
            return line if len(line) <= 200 else None
    return None


_NOT_A_DATELINE = re.compile(
    r"\b(?:as of|as at|ended|ending|through|until|since|before|after|between|and|to|on|at|by|"
    r"from|of)\s*$",
    re.I,
)


def guess_published(text: str) -> str | None:
    """A date in the first lines (a dateline or byline), never one from deep in the body nor
    one that dates a figure ("as of May 31, 2025", "quarter ended June 30")."""
    head = text[:_HEAD_CHARS]
    for match in _DATE.finditer(head):
        if not _NOT_A_DATELINE.search(head[max(0, match.start() - 15) : match.start()]):
            return parse_date(match.group(0))
    return None
