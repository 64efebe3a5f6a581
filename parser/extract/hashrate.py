"""The company's own hashrate, normalized to EH/s, with its status.

The status is the nearest status word around the figure (average beats operating, a target word
close by beats both); a figure joined to the previous one ("from 4.3 EH/s to 4.7 EH/s", "4.2 EH/s
and 6.0 EH/s") shares its status. Network-wide figures, increments ("by 1.0 EH/s", "10 EH/s of new
miners") and implausible values for one company (other coins' TH/s, network totals) are dropped.
"""

from __future__ import annotations

import re

from parser.extract.clauses import main_clause_span
from parser.extract.context import Candidate, SentenceContext
from parser.extract.matching import Annotated, Trigger
from parser.extract.periods import find_as_of
from parser.extract.quantities import Quantity
from parser.normalize import month_number

STATUS_OF = {
    "OPERATIONAL": "operational",
    "INSTALLED": "installed",
    "ENERGIZED": "energized",
    "AVERAGE": "average",
    "TARGET": "target",
}
# One company's bitcoin hashrate lies in this band (EH/s); outside it is another coin's TH/s
# or the whole network's.
PLAUSIBLE_EHS = (0.01, 250.0)
_BEFORE, _AFTER, _TARGET_NEAR = 16, 12, 8
_NETWORK_BEFORE = 6
_INCREMENT_BEFORE = 4
_SITE_BEFORE = 8
_REPRESENT_BEFORE = 7  # "representing a hash rate of about 8.9 EH/s"
_JOINED = re.compile(
    r"^\s*(?:(?:,\s*and|,\s*or|,|and|or|to|respectively|,\s*respectively,?|and\s+then)\s*)?(?:(?:approximately|about|nearly|over|roughly)\s*)?$",
    re.I,
)
# "591 PH/s, 862 PH/s, and 458 PH/s": list items share what the first one is.
_LISTED = re.compile(r"^\s*(?:,\s*and|,|and)\s*$")
_FUTURE_MONTH = re.compile(r"^\s*(?:in|by)\s+(?:the\s+end\s+of\s+)?([A-Z][a-z]+)")
_BY_INCREMENT = re.compile(
    r"\bby\s+(?:approximately|about|roughly|nearly|over|some|an?\s+additional)?\s*$", re.I
)


def extract(ctx: SentenceContext) -> list[Candidate]:
    figures = ctx.of_kind("hashrate")
    if not figures:
        return []
    ann = ctx.annotated("hashrate")
    statuses: list[str | None] = []
    candidates = []
    for index, figure in enumerate(figures):
        status = _status(ctx, ann, figures, index, statuses)
        statuses.append(status)
        if status is None:
            continue
        first = ann.token_at(figure.start)
        for each in (status, *_coordinated_status(ann, first, status)):
            fields = {
                "value": figure.clean_value,
                "unit": "EH/s",
                "status": each,
                "approximate": figure.approximate,
                "as_of": _as_of(ctx, figures, index),
            }
            candidate = ctx.candidate("hashrate", figure.start, fields)
            if candidate:
                candidates.append(candidate)
    return candidates


def _as_of(ctx: SentenceContext, figures: list[Quantity], index: int) -> str | None:
    """The date the figure's own stretch of its main clause gives it ("As of May 31, 2025,
    operational hashrate was 13.5 EH/s"; "14.2 EH/s at the end of June")."""
    figure = figures[index]
    start, end = main_clause_span(ctx.text, figure.start)
    if index + 1 < len(figures):
        end = min(end, figures[index + 1].start)
    own = find_as_of(ctx.text[figure.end : end], ctx.reference)
    if own or (index and figures[index - 1].end > start):
        return own  # "10.7 EH/s as of May 31, compared with 10.1 EH/s": not the 10.1's date
    return find_as_of(ctx.text[start : figure.start], ctx.reference)


def _coordinated_status(ann: Annotated, first: int, status: str) -> list[str]:
    """ "installed and energized 6.5 EH/s": the figure is both; the second status word is the
    one `status` came from, the first gives another fact."""
    words = [t for t in ann.of(*STATUS_OF) if t.last < first and first - t.last <= 2]
    if not words or STATUS_OF[words[-1].label] != status:
        return []
    word = words[-1]
    others = [
        t
        for t in ann.of(*STATUS_OF)
        if t.last == word.token - 2 and ann.tokens[word.token - 1].lower() == "and"
    ]
    return [STATUS_OF[t.label] for t in others if STATUS_OF[t.label] != status]


def _status(
    ctx: SentenceContext,
    ann: Annotated,
    figures: list[Quantity],
    index: int,
    earlier: list[str | None],
) -> str | None:
    """The figure's status, or None when the figure is not the company's hashrate."""
    figure = figures[index]
    first, last = ann.token_at(figure.start), ann.token_at(figure.end - 1)
    lo = ann.token_at(figures[index - 1].end - 1) + 1 if index else max(0, first - _BEFORE)
    hi = ann.token_at(figures[index + 1].start) - 1 if index + 1 < len(figures) else last + _AFTER
    lo, hi = max(lo, first - _BEFORE), min(hi, last + _AFTER)
    joined = bool(index) and _joined(ctx, figures[index - 1], figure)
    listed = bool(index) and _LISTED.match(ctx.text[figures[index - 1].end : figure.start])
    reason = (
        _excluded(ctx, ann, figures, index)
        or ("listed" if listed and earlier[index - 1] is None else None)
        or _compared_with_dropped(ctx, figures, index)
    )
    if not reason and not PLAUSIBLE_EHS[0] <= figure.value <= PLAUSIBLE_EHS[1]:
        reason = "implausible"
    if reason:
        ctx.reject(figure, f"hashrate.{reason}")
        return None
    basis = _basis(ann, last)
    if basis:
        return basis
    if index and earlier[index - 1]:
        # "up from 8 EH/s today": the figure compared with is where the company stands, not a
        # target, even when the new figure is one.
        compared = any(first - 3 <= t.token < first for t in ann.of("COMPARE"))
        if joined or (compared and earlier[index - 1] != "target"):
            return earlier[index - 1]
    previous_last = (
        ann.token_at(figures[index - 1].end - 1) if index and earlier[index - 1] else None
    )
    return _machines_status(ann, first) or _status_words(
        ctx, ann, figure, (first, last, lo, hi), previous_last
    )


# Reasons a figure compared with a dropped one shares: "Corsicana facility: increased to 14.1
# EH/s from 13.9 EH/s" is the site's before and after (an increment's base is a level, though).
_SHARED_REASONS = ("hashrate.per_site", "hashrate.customer", "hashrate.network")
_FROM_PREVIOUS = re.compile(r"^\s*+,?\s*+(?:up\s+|down\s+)?from\s+(?:approximately\s+|about\s+)?$")


def _compared_with_dropped(ctx: SentenceContext, figures: list[Quantity], index: int) -> str | None:
    if not index or not _FROM_PREVIOUS.match(
        ctx.text[figures[index - 1].end : figures[index].start]
    ):
        return None
    reason = ctx.rejection_of(figures[index - 1])
    return reason.split(".", 1)[1] if reason in _SHARED_REASONS else None


def _machines_status(ann: Annotated, first: int) -> str | None:
    """ "7,710 bitcoin miners, which represent 0.457 EH/s, ... had been deployed": a figure
    the machines represent has the status the sentence gives the machines."""
    if not any(first - _REPRESENT_BEFORE <= t.token < first for t in ann.of("REPRESENT")):
        return None
    words = [
        t
        for t in ann.of("INSTALLED", "ENERGIZED", "OPERATIONAL")
        if ";" not in _between(ann, t, first)
    ]
    if not words:
        return None
    nearest = min(words, key=lambda t: abs(t.token - first))
    return STATUS_OF[nearest.label]


def _between(ann: Annotated, trigger: Trigger, first: int) -> list[str]:
    low, high = sorted((trigger.token, first))
    return ann.tokens[low:high]


def _basis(ann: Annotated, last: int) -> str | None:
    """ "15 EH/s on an installed basis": the basis named right after the figure decides."""
    if ann.tokens[last + 1 : last + 3] not in (["on", "an"], ["on", "a"]):
        return None
    words = [t for t in ann.of(*STATUS_OF) if t.token == last + 3]
    if words and ann.tokens[words[0].last + 1 : words[0].last + 2] == ["basis"]:
        return STATUS_OF[words[0].label]
    return None


def _excluded(
    ctx: SentenceContext, ann: Annotated, figures: list[Quantity], index: int
) -> str | None:
    """Why the figure is not the company's hashrate (a reason code), or None."""
    figure = figures[index]
    first, last = ann.token_at(figure.start), ann.token_at(figure.end - 1)
    if any(first - _NETWORK_BEFORE <= t.token <= last + 4 for t in ann.of("NETWORK")):
        return "network"
    if any(first - 3 <= t.token < first for t in ann.of("OTHER_COIN")) or any(
        last < t.token <= last + 4 and not _comma_between(ann, last, t.token)
        for t in ann.of("OTHER_COIN")
    ):
        return "other_coin"
    if _is_increment(ctx, ann, figures, index):
        return "increment"
    # "0.6 EH/s of hosted miners", "hosting customers' 2 EH/s", "Hosting hash rate stood at
    # 12.6 EH/s": someone else's machines.
    if any(first - 3 <= t.token <= last + 3 for t in ann.of("CUSTOMER")) or _customers_rate(
        ann, first
    ):
        return "customer"
    if _per_site(ann, first) or _site_capacity(ctx, figure):
        return "per_site"
    return None


def _is_increment(
    ctx: SentenceContext, ann: Annotated, figures: list[Quantity], index: int
) -> bool:
    """ "added 5 EH/s", "the next 5 exahashes", "a 9 EH/s jump", "by 1.0 EH/s", "lifting its
    hashrate 100 PH/s to 3.4 EH/s", "4.4 EH/s of new miners"."""
    figure = figures[index]
    first, last = ann.token_at(figure.start), ann.token_at(figure.end - 1)
    if any(
        first - _INCREMENT_BEFORE <= t.token < first and not _comma_between(ann, t.last, first)
        for t in ann.of("INCREMENT")
    ):
        return True
    # after the figure only right after it, or after "of" ("4.4 EH/s of new miners")
    if any(
        t.token == last + 1 or (t.token == last + 2 and ann.tokens[last + 1].lower() == "of")
        for t in ann.of("INCREMENT")
        if ann.tokens[t.token].lower() != "next"
    ):
        return True
    if _BY_INCREMENT.search(ctx.text[: figure.start]):
        return True
    if _brought_online(ann, first, last):
        return True
    # capacity bought as machines: "acquire 4.4 EH/s of new S19j Pro miners"
    if any(first - 3 <= t.last < first for t in ann.of("BOUGHT")) or [
        token.lower() for token in ann.tokens[last + 1 : last + 3]
    ] == ["of", "new"]:
        return True
    following = figures[index + 1] if index + 1 < len(figures) else None
    return bool(
        following
        and re.match(
            r"^\s+to\s+(?:approximately\s+|about\s+|roughly\s+)?$",
            ctx.text[figure.end : following.start],
        )
        and any(first - 4 <= t.token < first for t in ann.of("CHANGE"))
        and not any(first - 2 <= t.token < first for t in ann.of("COMPARE"))
    )


def _customers_rate(ann: Annotated, first: int) -> bool:
    """The figure of a hash rate named for customers ("hosting hash rate", "cloud hash rate")."""
    return any(
        t.token - 1 >= first - _BEFORE
        and any(c.last == t.token - 1 for c in ann.of("CUSTOMER"))
        and not _break_between(ann, t.last, first)
        and "," not in ann.tokens[t.last + 1 : first]
        for t in ann.of("HASHWORD")
        if t.last < first
    )


_NAMED_BEFORE = re.compile(r"\b[A-Z][a-z]+\s*\(\s*$")
_CAPACITY_AFTER = re.compile(r"^[^()]{0,40}?\d\s?MW\b")


def _site_capacity(ctx: SentenceContext, figure: Quantity) -> bool:
    """ "Mackenzie (2.5 EH/s, 80MW – BC, Canada)": a named site's capacity."""
    offset = max(0, figure.start - 30)
    named = _NAMED_BEFORE.search(ctx.text[offset : figure.start])
    return bool(
        named
        and not ctx.in_mention(offset + named.start())
        and _CAPACITY_AFTER.match(ctx.text[figure.end :])
    )


def _brought_online(ann: Annotated, first: int, last: int) -> bool:
    """ "brought over 1.3 EH/s online", "bringing online 2 EH/s": capacity added, not a level."""
    brings = [t for t in ann.of("BRING") if first - 3 <= t.token < first]
    if not brings:
        return False
    return any(
        ann.tokens[t.token].lower() == "online"
        and (brings[-1].token < t.token < first or last < t.token <= last + 2)
        for t in ann.of("OPERATIONAL")
    )


def _per_site(ann: Annotated, first: int) -> bool:
    """ "its Rockdale facility contributed 12.0 EH/s", "mining projects reached ... 591 PH/s":
    one site's figure, not the company's (its total is given with the word "total")."""
    sites = [
        t
        for t in ann.of("SITE")
        if first - _SITE_BEFORE <= t.token < first and not _break_between(ann, t.last, first)
    ]
    if not sites:
        return False
    return not any(sites[-1].token < t.token < first for t in ann.of("TOTAL"))


def _break_between(ann: Annotated, left: int, right: int) -> bool:
    return any(token in (";", "(", ")", "—") for token in ann.tokens[left + 1 : right])


def _joined(ctx: SentenceContext, previous: Quantity, figure: Quantity) -> bool:
    """ "4.2 EH/s and 6.0 EH/s", "from 4.3 EH/s to 4.7 EH/s": one status for both."""
    return bool(_JOINED.match(ctx.text[previous.end : figure.start]))


def _status_words(
    ctx: SentenceContext,
    ann: Annotated,
    figure: Quantity,
    window: tuple[int, int, int, int],
    previous_last: int | None,
) -> str:
    """The status the words around the figure give it. `window` is (first and last token of
    the figure, first and last token to look at)."""
    first, last, lo, hi = window
    found: list[tuple[float, str]] = []
    before: list[tuple[float, str]] = []
    for trigger in ann.of(*STATUS_OF):
        if trigger.label == "TARGET" and _past_deadline(ctx, trigger):
            continue
        if lo <= trigger.last < first:
            if _describes_something_else(ann, trigger.last, first):
                continue
            if "and" in ann.tokens[trigger.last + 1 : first]:
                continue  # "miners now deployed and 2.5 EH/s achieved": another conjunct's word
            if (
                previous_last is not None
                and trigger.token - previous_last < first - trigger.last
                and not _break_between(ann, previous_last, trigger.token)
                and not {";", "and", "while"} & set(ann.tokens[previous_last + 1 : trigger.token])
            ):
                continue  # "12 EH/s by year-end, up from 8 EH/s": the words go with the 12
            before.append((first - trigger.last, trigger.label))
            found.append(before[-1])
        elif last < trigger.token <= hi and not _comma_between(ann, last, trigger.token):
            found.append(((trigger.token - last) * 1.5, trigger.label))
    if _future_month(ctx, figure):
        found.append((1.0, "TARGET"))
    if not found:
        return "unspecified"
    labels = {label for _, label in found}
    if any(label == "TARGET" and distance <= _TARGET_NEAR for distance, label in before):
        return "target"
    best = min(found)[1]
    if best == "OPERATIONAL" and "AVERAGE" in labels:
        return "average"
    return STATUS_OF[best]


_DEADLINE = re.compile(
    r"^by\s+the\s+end\s+of\s+(?:(?P<this>the|this)\s+month\b|(?P<month>[A-Z][a-z]{2,8})\b"
    r"(?:\s+(?P<year>(?:19|20)\d\d))?)"
)


def _past_deadline(ctx: SentenceContext, trigger: Trigger) -> bool:
    """ "reached 31.5 EH/s by the end of December" in a January update, "2.15 EH/s by the end of
    the month": a date already past, not a target."""
    match = _DEADLINE.match(ctx.text[trigger.start :])
    if match is None:
        return False
    if match.group("this"):
        return True
    month = month_number(match.group("month")) if match.group("month") else None
    if month is None or match.group("month").lower()[:3] not in _MONTH_PREFIXES:
        return False
    reference = ctx.reference
    year = int(match.group("year")) if match.group("year") else reference.year_of(month)
    published = reference.published or (
        (reference.year, reference.month) if reference.year and reference.month else None
    )
    return bool(year and published and (year, month) < published)


def _describes_something_else(ann: Annotated, word: int, first: int) -> bool:
    """ "energized its facility, bringing its hashrate to 20.4 EH/s": a status word well before
    the word "hashrate" qualifies something else."""
    nouns = [t.token for t in ann.of("HASHWORD") if word < t.token < first]
    if not nouns:
        return False
    return nouns[0] - word > 5 or _comma_between(ann, word, nouns[0])


def _comma_between(ann: Annotated, left: int, right: int) -> bool:
    """Status words after a figure count only in its own clause ("9.4 EH/s operating")."""
    return any(token in (",", ";", "(") for token in ann.tokens[left + 1 : right])


def _future_month(ctx: SentenceContext, figure: Quantity) -> bool:
    """ "10 EH/s in May" in a May update: a figure for a month not over yet is a target."""
    match = _FUTURE_MONTH.match(ctx.text[figure.end :])
    if not match:
        return False
    month = month_number(match.group(1)) if len(match.group(1)) >= 3 else None
    if month is None or match.group(1).lower()[:3] not in _MONTH_PREFIXES:
        return False
    reference = ctx.reference
    if reference.month is None:
        return ctx.text[figure.end :].lstrip().lower().startswith("by")
    year = reference.year_of(month)  # "by the end of December" in a January text: past
    return (year or 0, month) > (reference.year or 0, reference.month)


_MONTH_PREFIXES = {
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
}
