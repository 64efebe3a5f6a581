"""Merge restatements of one fact into one, keeping every evidence span.

Two candidates are one fact when they have the same type and company and the same value — or one
is a rounded restatement of the other (8.2 EH/s of a table's 8,238 PH/s; "above 7,500 BTC" of
7,528.3 BTC) — and their other
fields do not disagree (an unknown field agrees with anything; a hashrate with no stated status
agrees with any status). The merged fact keeps the most precise value and every known field.
"""

from __future__ import annotations

from typing import Any

from parser.extract.context import Candidate
from parser.normalize import decimals, same_figure
from parser.types import Document, Evidence, Fact

_SOFT_FIELDS = {"approximate", "effective", "replaces", "interim", "unit"}
_WILDCARDS: dict[str, Any] = {"status": "unspecified"}


def merge_candidates(candidates: list[Candidate], document: Document) -> list[Fact]:
    """Group restatements (each compared with the first statement of a group of the same type
    and company, so a document repeating one figure thousands of times stays linear)."""
    groups: list[list[Candidate]] = []
    by_subject: dict[tuple[str, str], list[list[Candidate]]] = {}
    for candidate in candidates:
        subject = by_subject.setdefault((candidate.type, candidate.company.canonical), [])
        group = next((g for g in subject if any(_same_fact(candidate, k) for k in _keys(g))), None)
        if group is None:
            group = []
            subject.append(group)
            groups.append(group)
        group.append(candidate)
    return [_fact(group, document) for group in groups]


def _keys(group: list[Candidate]) -> list[Candidate]:
    """What a new statement is compared with: the group's first statement and, when that one
    gives no amount ("a $100 million bitcoin purchase"), its first one that does."""
    if group[0].fields.get("value") is not None:
        return group[:1]
    valued = next((c for c in group if c.fields.get("value") is not None), None)
    return [group[0], valued] if valued else group[:1]


def _same_fact(a: Candidate, b: Candidate) -> bool:
    if a.type != b.type or a.company.canonical != b.company.canonical:
        return False
    if "person" in a.fields:
        return _surname(a.fields["person"]) == _surname(b.fields["person"]) and _same_role(
            str(a.fields["title"]), str(b.fields["title"])
        )
    va, vb = a.fields.get("value"), b.fields.get("value")
    if va is None or vb is None:
        if va is not vb and not _same_money(a, b):
            return False
    elif not (
        same_figure(va, vb) or same_figure(vb, va) or _rounded_bound(a, b) or _rounded_bound(b, a)
    ):
        return False
    for key in set(a.fields) & set(b.fields) - _SOFT_FIELDS - {"value"}:
        x, y = a.fields[key], b.fields[key]
        if x is None or y is None or x == y or _WILDCARDS.get(key) in (x, y):
            continue
        if key in _MONEY and _close_money(x, y):
            continue
        return False
    return True


_BOUND_SPREAD = 0.05  # "above 7,500 BTC" is within 5 % of the 7,528.3 BTC it rounds


def _rounded_bound(bound: Candidate, precise: Candidate) -> bool:
    """ "pushing its holdings above 7,500 BTC" restates "7,528.3 BTC": a hedged round figure
    is the precise one known only to its last non-zero digit."""
    x, p = bound.fields.get("value"), precise.fields.get("value")
    if not bound.fields.get("approximate") or not isinstance(x, int | float) or x <= 0:
        return False
    if not isinstance(p, int | float) or decimals(x) or not _round_zeros(x):
        return False
    step = 10 ** _round_zeros(x)
    return abs(p - x) < step and abs(p - x) <= _BOUND_SPREAD * p


def _round_zeros(value: float) -> int:
    """The zeros a whole figure ends in: 7,500 -> 2, 7,528 -> 0."""
    whole = str(int(value))
    return len(whole) - len(whole.rstrip("0"))


_MONEY = ("proceeds_usd", "cost_usd")
_MONEY_ROUNDING = 0.005  # "$765M" for $764.9 million


def _same_money(a: Candidate, b: Candidate) -> bool:
    """ "bought $765M in bitcoin" restates "bought 7,390 BTC for $764.9 million": a sale or
    purchase stated only in dollars is the one with the same dollar total."""
    for key in _MONEY:
        x, y = a.fields.get(key), b.fields.get(key)
        if x is not None and y is not None:
            return _close_money(x, y)
    return False


def _close_money(x: float, y: float) -> bool:
    return abs(x - y) <= _MONEY_ROUNDING * max(abs(x), abs(y))


def _same_role(a: str, b: str) -> bool:
    """ "Chief Executive Officer" restates part of "Chief Executive Officer and President"."""
    roles_a, roles_b = set(a.lower().split(" and ")), set(b.lower().split(" and "))
    return roles_a <= roles_b or roles_b <= roles_a


def _surname(name: object) -> str:
    return str(name).split()[-1].lower() if name else ""


def _fact(group: list[Candidate], document: Document) -> Fact:
    fields: dict[str, Any] = {}
    best = max(
        group,
        key=lambda c: (
            _precision(c.fields.get("value")),
            len(str(c.fields.get("title", ""))),
            c.confidence,
        ),
    )
    for candidate in [best, *group]:
        for key, value in candidate.fields.items():
            if fields.get(key) is None or _WILDCARDS.get(key) == fields.get(key):
                fields[key] = value
    stated = {(c.start, c.end) for c in group}
    # The stated figures first, then what only frames them (a table's header row).
    spans = sorted(stated) + sorted({span for c in group for span in c.context} - stated)
    evidence = tuple(
        Evidence(start, end, document.text[start:end], document.page_at(start))
        for start, end in spans
    )
    confidence = min(0.99, max(c.confidence for c in group) + 0.05 * (len(stated) - 1))
    return Fact(best.type, best.company, fields, evidence, round(confidence, 2))


_NO_AMOUNT = -100


def _precision(value: object) -> int:
    """Digits known: decimals, or minus the round zeros of a whole figure (49,179 over 49,000);
    no amount at all is the least precise."""
    if not isinstance(value, int | float):
        return _NO_AMOUNT
    if decimals(value) or not value:
        return decimals(value)
    return -_round_zeros(value)
