"""Bitcoin produced, sold, purchased and held.

Each bitcoin amount takes the meaning of the trigger word that governs it: the nearest one
before it in its clause ("sold 4,451 BTC"), or one right after it ("1,257 bitcoin were mined",
"990 BTC acquisition"). A relative clause adds a second meaning ("sold the 188 BTC it mined").
A comparison inherits the meaning of the amount it is compared with ("189 BTC in June, compared
with the 156 BTC it produced in May"). Plans, negations, customers' coins, block rewards, KPIs
and cumulative purchase totals are not facts.
"""

from __future__ import annotations

import re

from parser.extract.context import Candidate, SentenceContext
from parser.extract.matching import Annotated, Trigger
from parser.extract.periods import find_as_of, find_period
from parser.extract.quantities import Quantity
from parser.normalize import NUMBER, clean_amount, parse_number

FACT_OF = {
    "PRODUCED": "btc_produced",
    "SOLD": "btc_sold",
    "PURCHASED": "btc_purchased",
    "HOLDINGS": "btc_holdings",
}
# Triggers that govern an amount only right next to it ("added 7,633 BTC", not "the company
# added, however, that it plans to sell the 156 BTC").
ADJACENT = {"PURCHASED_ADJACENT": "PURCHASED"}
_ADJACENT_WINDOW = 2
_BACK_WINDOW = 12
_FORWARD_WINDOW = 4
_RELATIVE_PRODUCED = re.compile(
    r"^\s*(?:that|which)?\s*(?:it|they|we|the company|the firm|the miner|[A-Z][\w ]{1,20}?)\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:self-)?(?:mined|produced|generated|earned)\b"
)
_SHARE_SOLD = re.compile(
    rf"^\s*(?:approximately\s+|about\s+|roughly\s+)?{NUMBER}\s?%\s+of\s+(?:its|the|their|our)?\s*"
    r"[\w\s]{0,30}?(?:production|bitcoin|BTC|holdings|output)",
    re.I,
)
_BARE_NUMBER = re.compile(
    rf"(?<![\w$.,]){NUMBER}(?![\w%]|[.,]\d|\s*(?:%|percent|ETH|MW|EH|PH|TH|million|billion))"
)
_STATED_AS = re.compile(
    r"^\s*(?:and\s+\w+\s+)?(?:stood at|stands at|were|was|totaled|totalled|amounted to|of)\b"
)
_BTC_WORD = re.compile(r"\b(?:BTC|bitcoins?|Bitcoins?)\b")


def extract(ctx: SentenceContext) -> list[Candidate]:
    ann = ctx.annotated("btc")
    amounts = [q for q in ctx.of_kind("btc") if not q.equivalent]
    meanings: dict[int, list[str]] = {}
    candidates: list[Candidate] = []
    for index, amount in enumerate(amounts):
        labels = _meanings(ctx, ann, amounts, index, meanings)
        meanings[index] = labels
        for label in labels:
            candidate = _candidate(ctx, amount, label, amounts)
            if candidate:
                candidates.append(candidate)
    candidates += _bare_holdings(ctx, ann)
    candidates += _compared_bare_numbers(ctx, amounts, meanings)
    candidates += _share_sales(ctx, ann, amounts)
    candidates += _elided_units(ctx, ann, amounts, candidates)
    return candidates


def _meanings(
    ctx: SentenceContext,
    ann: Annotated,
    amounts: list[Quantity],
    index: int,
    earlier: dict[int, list[str]],
) -> list[str]:
    amount = amounts[index]
    first, last = ann.token_at(amount.start), ann.token_at(amount.end - 1)
    if _excluded(ann, first, last):
        return []
    previous_end = ann.token_at(amounts[index - 1].end - 1) if index else -1
    compare = [
        t for t in ann.of("COMPARE") if previous_end < t.token < first and first - t.last <= 4
    ]
    if index and compare and earlier.get(index - 1):
        labels = list(earlier[index - 1])
    else:
        labels = _governing(ann, first, last, previous_end)
    labels = [label for label in labels if _allowed(ann, label, first, last)]
    # "sold the 188 BTC it mined": the relative clause has its own verb, so the main verb's
    # plan or negation does not apply to it; customers' coins still do not count.
    if (
        _RELATIVE_PRODUCED.match(ctx.text[amount.end :])
        and "PRODUCED" not in labels
        and not any(first <= t.token <= last + 10 for t in ann.of("CUSTOMER"))
    ):
        labels.append("PRODUCED")
    return labels


def _excluded(ann: Annotated, first: int, last: int) -> bool:
    """Block rewards, KPIs and "the equivalent of 300 BTC" are no amounts of coins."""
    near = [t for t in ann.of("REWARD") if first - 12 <= t.token <= last + 3]
    near += [
        t
        for t in ann.of("EQUIVALENT")
        if first - 6 <= t.token < first and not _clause_break(ann, t.last, first, ",")
    ]
    near += [t for t in ann.of("KPI") if first - 6 <= t.token <= last + 3]
    return bool(near)


def _governing(ann: Annotated, first: int, last: int, previous_end: int) -> list[str]:
    """The label of the nearest trigger: before the amount in its clause, or right after it.
    A share in between ("holds 3% of the 21 million bitcoin") means the amount is not what the
    trigger counts."""
    best: tuple[float, str] | None = None
    for trigger in ann.of(*FACT_OF, *ADJACENT):
        window = _ADJACENT_WINDOW if trigger.label in ADJACENT else _BACK_WINDOW
        if trigger.last < first and trigger.token > previous_end:
            distance: float = first - trigger.last
            if distance > window or _clause_break(ann, trigger.last, first, "%"):
                continue
            if _clause_break(ann, trigger.last, first, ","):
                distance += 2  # "1,406 BTC mined, 19,287 BTC held": the word after wins
        elif trigger.token > last:
            distance = (trigger.token - last) * 1.5 + 0.5
            if trigger.token - last > _FORWARD_WINDOW or _clause_break(
                ann, last, trigger.token, ","
            ):
                continue
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, ADJACENT.get(trigger.label, trigger.label))
    if best and best[1] == "HOLDINGS" and _increment_by(ann, first):
        return ["PURCHASED"]  # "increased its holdings by 5,419 BTC" is what was bought
    return [best[1]] if best else []


def _increment_by(ann: Annotated, first: int) -> bool:
    previous = [t.lower() for t in ann.tokens[max(0, first - 3) : first]]
    return "by" in previous and not {"held", "holds", "owned"} & set(previous)


def _clause_break(ann: Annotated, left: int, right: int, *extra: str) -> bool:
    marks = (";", "—", "–", "•", *extra)
    return any(token in marks for token in ann.tokens[left + 1 : right])


def _allowed(ann: Annotated, label: str, first: int, last: int) -> bool:
    trigger = _nearest(ann, label, first, last)
    anchor = trigger.token if trigger else first
    lo = min(anchor, first)
    if any(lo - 6 <= t.token < lo for t in ann.of("PLAN", "NEGATION")):
        return False
    if _infinitive(ann, trigger):
        return False
    if label == "HOLDINGS" and any(
        first - 8 <= t.token <= last + 4 and t.label == "PLAN" for t in ann.triggers
    ):
        return False
    if label == "PRODUCED" and any(lo - 4 <= t.token <= last + 8 for t in ann.of("CUSTOMER")):
        return False
    if label == "PRODUCED" and any(lo - 4 <= t.token <= last for t in ann.of("COMBINED")):
        return False  # "miners produced a combined 8,000 BTC": not one company's own output
    # "has acquired 129,699 bitcoin since 2020 / to date / in total" restates earlier purchases.
    return not (label == "PURCHASED" and any(t.token <= last + 4 for t in ann.of("CUMULATIVE")))


def _infinitive(ann: Annotated, trigger: Trigger | None) -> bool:
    """ "to purchase 10,000 BTC" is an intention, unless "had to sell" (forced, done)."""
    if trigger is None or trigger.label not in ("SOLD", "PURCHASED"):
        return False
    if not any(t.token == trigger.token - 1 for t in ann.of("INFINITIVE")):
        return False
    return not any(t.last == trigger.token - 1 for t in ann.of("COMPLETED_MODAL"))


def _nearest(ann: Annotated, label: str, first: int, last: int) -> Trigger | None:
    triggers = ann.of(label)
    if not triggers:
        return None
    return min(triggers, key=lambda t: min(abs(t.last - first), abs(t.token - last)))


def _candidate(
    ctx: SentenceContext, amount: Quantity, label: str, amounts: list[Quantity]
) -> Candidate | None:
    fact_type = FACT_OF[label]
    fields: dict[str, object] = {
        "value": amount.clean_value,
        "unit": "BTC",
        "approximate": amount.approximate,
    }
    if fact_type in ("btc_sold", "btc_purchased"):
        total, average = _money_for(ctx, amount, amounts)
        key = "proceeds_usd" if fact_type == "btc_sold" else "cost_usd"
        fields[key] = total.clean_value if total else None
        fields["average_price_usd"] = average.clean_value if average else None
        fields["approximate"] = amount.approximate or bool(total and total.approximate)
    if fact_type in ("btc_sold", "btc_produced"):
        fields["period"] = find_period(ctx.text, amount.start, ctx.reference) or ctx.report_period
    if fact_type == "btc_holdings":
        clause_end = min(
            [a.start for a in amounts if a.start > amount.start]
            + [_clause_end(ctx.text, amount.end)]
        )
        fields["as_of"] = find_as_of(ctx.text[amount.start : clause_end], ctx.reference) or (
            find_as_of(ctx.text[: amount.start], ctx.reference)
        )
    return ctx.candidate(fact_type, amount.start, fields)


def _clause_end(text: str, start: int) -> int:
    match = re.search(r"[;—]", text[start:])
    return start + match.start() if match else len(text)


def _money_for(
    ctx: SentenceContext, amount: Quantity, amounts: list[Quantity]
) -> tuple[Quantity | None, Quantity | None]:
    """The total and the average price stated for a sale or purchase of `amount`."""
    following = [a.start for a in amounts if a.start > amount.start]
    limit = following[0] if following else len(ctx.text)
    total = average = None
    for usd in ctx.of_kind("usd"):
        if usd.currency != "USD":
            continue
        before = ctx.text[max(0, usd.start - 40) : usd.start]
        after_amount = amount.end <= usd.start < limit
        spent_before = usd.end <= amount.start and re.search(
            r"\b(?:spent|spending|invested|investing|used|deployed|paid)\b", before, re.I
        )
        if not (after_amount or spent_before):
            continue
        cues = ctx.lexicon
        if usd.per_unit or cues.money_average_before.search(before):
            average = average or usd
        elif not cues.money_value_before.search(before) and (
            cues.money_total_before.search(before)
            or spent_before
            or cues.money_total_after.match(ctx.text[usd.end : usd.end + 15])
        ):
            total = total or usd
    return total, average


def _bare_holdings(ctx: SentenceContext, ann: Annotated) -> list[Candidate]:
    """Holdings stated without a unit after it: "BTC treasury holdings were 808.2"."""
    if ctx.of_kind("btc"):
        return []
    found = []
    for word in _BTC_WORD.finditer(ctx.text):
        position = ann.token_at(word.start())
        near = [t for t in ann.of("HOLDINGS") if abs(t.token - position) <= 4]
        if not near and _STATED_AS.match(ctx.text[word.end() :]):
            near = [t for t in ann.of("HOLDINGS") if t.token < position]
        if not near or any(t.token - 6 <= position for t in ann.of("PLAN") if t.token <= position):
            continue
        start = max(word.end(), near[-1].end)
        numbers = [
            m
            for m in _BARE_NUMBER.finditer(ctx.text, start)
            if not _is_date_part(ctx.text, m) and not ctx.in_mention(m.start())
        ]
        if not numbers or ann.token_at(numbers[0].start()) - ann.token_at(start) > 8:
            continue
        pick = _coordinated_index(ctx.text, word)
        number = numbers[pick] if pick < len(numbers) else numbers[0]
        fields = {
            "value": clean_amount(parse_number(number.group(0))),
            "unit": "BTC",
            "approximate": False,
            "as_of": find_as_of(ctx.text, ctx.reference),
        }
        candidate = ctx.candidate("btc_holdings", number.start(), fields, confidence=0.6)
        if candidate:
            found.append(candidate)
        break
    return found


def _coordinated_index(text: str, word: re.Match[str]) -> int:
    """In "BTC and ETH stood at 992.4 and 20,241.7", BTC takes the first number; in "ETH and
    BTC" the second."""
    if re.search(r"\b(?:ETH|ether|Ethereum|USDC)\s+and\s+$", text[: word.start()], re.I):
        return 1
    return 0


def _is_date_part(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 3]
    value = match.group(0)
    if re.search(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*$", before):
        return True
    if re.match(r"^(?:st|nd|rd|th)\b", after):
        return True
    return bool(re.fullmatch(r"(?:19|20)\d{2}", value))


def _compared_bare_numbers(
    ctx: SentenceContext, amounts: list[Quantity], meanings: dict[int, list[str]]
) -> list[Candidate]:
    """ "301 bitcoins, up 96% from only 154 in July": the 154 is bitcoin produced too."""
    found = []
    for index, amount in enumerate(amounts):
        labels = meanings.get(index) or []
        if not labels:
            continue
        tail = ctx.text[amount.end :]
        match = re.match(
            rf"^[^.;]{{0,40}}?\b(?:from|versus|vs\.?|compared (?:with|to))\s+(?:only\s+|just\s+)?({NUMBER})(?![\w%.,$]|\s*(?:%|percent|BTC|bitcoin))",
            tail,
            re.I,
        )
        if not match:
            continue
        position = amount.end + match.start(1)
        period = find_period(ctx.text[position:], 0, ctx.reference)
        value = clean_amount(parse_number(match.group(1)))
        fields = unitless_fields(FACT_OF[labels[0]], value, period)
        candidate = ctx.candidate(FACT_OF[labels[0]], amount.start, fields, confidence=0.6)
        if candidate:
            found.append(candidate)
    return found


def unitless_fields(fact_type: str, value: int | float, period: str | None) -> dict[str, object]:
    """Fields of a bitcoin fact read from a bare figure (a table cell, "from only 154"): no
    money of its own; the output fills every field it lacks with null."""
    fields: dict[str, object] = {"value": value, "unit": "BTC", "approximate": False}
    if fact_type in ("btc_sold", "btc_produced"):
        fields["period"] = period
    return fields


def _elided_units(
    ctx: SentenceContext, ann: Annotated, amounts: list[Quantity], found: list[Candidate]
) -> list[Candidate]:
    """ "Mined 2,500 Bitcoin in Q4, Sold 2,600": a trigger right before a bare number takes the
    unit the sentence already gave."""
    if not amounts:
        return []
    taken = {c.fields.get("value") for c in found}
    extra = []
    for trigger in ann.of(*FACT_OF):
        match = (
            _BARE_NUMBER.match(ctx.text, trigger.end + 1)
            if ctx.text[trigger.end : trigger.end + 1] == " "
            else None
        )
        if match is None or _is_date_part(ctx.text, match) or ctx.in_mention(match.start()):
            continue
        value = clean_amount(parse_number(match.group(0)))
        if value in taken or any(a.start <= match.start() < a.end for a in amounts):
            continue
        if not _allowed(ann, trigger.label, trigger.token, trigger.last):
            continue
        fact_type = FACT_OF[trigger.label]
        period = find_period(ctx.text, match.start(), ctx.reference) or ctx.report_period
        fields = unitless_fields(fact_type, value, period)
        candidate = ctx.candidate(fact_type, match.start(), fields, confidence=0.6)
        if candidate:
            extra.append(candidate)
    return extra


def _share_sales(ctx: SentenceContext, ann: Annotated, amounts: list[Quantity]) -> list[Candidate]:
    """ "sold 71% of its June BTC production, netting $8.8 million": proceeds without an amount."""
    found = []
    for trigger in ann.of("SOLD"):
        if any(a.start > trigger.end and a.start - trigger.end < 30 for a in amounts):
            continue
        if any(trigger.token - 4 <= t.token < trigger.token for t in ann.of("PLAN", "NEGATION")):
            continue
        if not _SHARE_SOLD.match(ctx.text[trigger.end :]):
            continue
        usd = next(
            (
                q
                for q in ctx.of_kind("usd")
                if q.start > trigger.end
                and not q.per_unit
                and ctx.lexicon.money_total_before.search(ctx.text[max(0, q.start - 40) : q.start])
            ),
            None,
        )
        if usd is None:
            continue
        fields = {
            "value": None,
            "unit": "BTC",
            "approximate": usd.approximate,
            "proceeds_usd": usd.clean_value,
            "average_price_usd": None,
            "period": find_period(ctx.text, trigger.end, ctx.reference),
        }
        candidate = ctx.candidate("btc_sold", trigger.start, fields, confidence=0.7)
        if candidate:
            found.append(candidate)
    return found
