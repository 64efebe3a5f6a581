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
from itertools import pairwise

from parser.extract.clauses import main_clause_span
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
_RATE_BEFORE = 6
_SUBSET_BEFORE = 12
_BACK_WINDOW = 12
_FORWARD_WINDOW = 4
_SHARE_SOLD = re.compile(
    rf"^\s*(?:approximately\s+|about\s+|roughly\s+)?{NUMBER}\s?%\s+of\s+(?:its|the|their|our)?\s*"
    r"[\w\s]{0,30}?(?:production|bitcoin|BTC|holdings|output)",
    re.I,
)
_BARE_NUMBER = re.compile(
    rf"(?<![\w$.,]){NUMBER}(?![\w%]|[.,]\d|\s*(?:%|percent|ETH|MW|EH|PH|TH|million|billion|M?USD|"
    r"(?:months?|years?|weeks?|days?|hours?|quarters?)\b))"
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
    candidates += _dollar_flows(ctx, ann)
    candidates += _ranked_bare_numbers(ctx, ann, amounts, candidates)
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
    reason = _excluded(ann, first, last)
    if reason:
        ctx.reject(amount, f"btc.{reason}")
        return []
    previous_end = ann.token_at(amounts[index - 1].end - 1) if index else -1
    compare = [
        t for t in ann.of("COMPARE") if previous_end < t.token < first and first - t.last <= 4
    ]
    if any(
        last < t.token <= last + _FORWARD_WINDOW and _moved_into(ann, t.token)
        for t in ann.of("HOLDINGS")
    ):
        ctx.reject(amount, "btc.transfer")  # "put 30 BTC into treasury": moved, not held
        return []
    own = _governing(ann, first, last, previous_end)
    after = any(last < t.token <= last + 2 for t in ann.of(*FACT_OF))
    if (
        index
        and earlier.get(index - 1)
        and (compare or _joined(ctx, ann, previous_end, first))
        and not (own and after)  # "49,000 BTC in May, and the 950 BTC produced"
    ):
        labels = list(earlier[index - 1])
    else:
        labels = own or _topical(ctx, ann, first)
    kept = []
    for label in labels:
        reason = _not_allowed(ann, label, first, last)
        if reason:
            ctx.reject(amount, f"btc.{reason}")
        else:
            kept.append(label)
    labels = kept or _fronted(ctx, ann, amount, labels)
    # "sold the 188 BTC it mined": the relative clause has its own verb, so the main verb's
    # plan or negation does not apply to it; customers' coins still do not count.
    relative = _relative_label(ctx, ann, amount)
    if (
        relative
        and relative not in labels
        and not any(first <= t.token <= last + 10 for t in ann.of("CUSTOMER"))
    ):
        labels.append(relative)
    # "Semler's 3,303 BTC now trail the 4,000 BTC Metaplanet holds": a company's figure set
    # against one a relative clause names takes its meaning.
    if not labels and _POSSESSIVE_END.search(ctx.text[: amount.start]):
        others = [_relative_label(ctx, ann, other) for other in amounts if other is not amount]
        labels = [label for label in others if label][:1] or list(earlier.get(index - 1, []))
    return labels


_FRONTED_WITH = re.compile(r"^\s*With\s+(?:about\s+|approximately\s+|roughly\s+|some\s+)?$")
_FRONTED_WINDOW = 6


def _fronted(
    ctx: SentenceContext, ann: Annotated, amount: Quantity, labels: list[str]
) -> list[str]:
    """ "With 9,113 BTC, Hut 8 still holds one of the largest reserves": a phrase put before
    the subject takes the main clause's verb."""
    if labels or not _FRONTED_WITH.match(ctx.text[: amount.start]):
        return []
    if not ctx.text[amount.end :].lstrip().startswith(","):
        return []
    last = ann.token_at(amount.end - 1)
    comma = last + 1 if ann.tokens[last + 1 : last + 2] == [","] else last + 2
    verbs = [t for t in ann.of(*FACT_OF) if comma < t.token <= comma + _FRONTED_WINDOW]
    return [verbs[0].label] if verbs else []


_BULLETS = "•▪●◦‣∙·*-–—"


def _bulleted(text: str) -> bool:
    return text.lstrip()[:1] in _BULLETS


def _topical(ctx: SentenceContext, ann: Annotated, first: int) -> list[str]:
    """A list item after another one, or a ranking, with no trigger of its own ("• Terawulf
    returns with 233 BTC in March", "Tesla ranks fourth with 11,509 BTC") means what the
    sentence before it was about."""
    listed = _bulleted(ctx.text) and ctx.previous is not None and _bulleted(ctx.previous.text)
    ranked = any(t.token < first for t in ann.of("RANK"))
    topic = ctx.topic if listed or ranked or _running_total(ann, first) else None
    return [topic] if topic else []


def _running_total(ann: Annotated, first: int) -> bool:
    """ "This brings their first quarter's total to 1,871 BTC": a total of what the sentence
    before counted."""
    before = [token.lower() for token in ann.tokens[max(0, first - 2) : first]]
    return before[-1:] == ["to"] and any(
        first - 8 <= t.token < first and "total" in ann.tokens[t.token : first]
        for t in ann.of("TOTAL_TO")
    )


_POSSESSIVE_END = re.compile(r"[A-Za-z0-9](?:'s|’s|'|’)\s+$")
_RELATIVE_SUBJECT = re.compile(
    r"^\s*(?:(?:that|which)\s*)?(?:it|they|we|the company|the firm|the miner|[A-Z][\w ]{1,20}?)\s+"
    r"(?:had\s+|has\s+|have\s+|now\s+|currently\s+)?(?:self-)?"
)


def _relative_label(ctx: SentenceContext, ann: Annotated, amount: Quantity) -> str | None:
    """The meaning a relative clause right after the amount gives it ("the 188 BTC it mined",
    "the 4,000 BTC Metaplanet holds")."""
    match = _RELATIVE_SUBJECT.match(ctx.text[amount.end :])
    if not match:
        return None
    at = amount.end + match.end()
    trigger = next((t for t in ann.of(*FACT_OF) if t.start == at), None)
    return trigger.label if trigger and trigger.label in ("PRODUCED", "HOLDINGS") else None


_GROUP_WINDOW = 8  # "public miners have seen a declining trend in holdings ... 46,930 BTC"
_JOINERS = {"and", "to", "or", ",", "versus", "vs", "vs.", "then"}
_PERIOD_WORDS = {
    "in", "during", "for", "the", "of", "month", "quarter", "year", "half", "first", "second",
    "third", "fourth", "last", "previous", "prior", "same", "period", "respectively", "fiscal",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", ".", "year-to-date", "ytd", "at", "end", "as",
}  # fmt: skip
_PERIOD_TOKEN = re.compile(r"^(?:q[1-4]|h[12]|fy\d{2,4}|(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th)?)$")


def _joined(ctx: SentenceContext, ann: Annotated, previous_end: int, first: int) -> bool:
    """ "590 BTC in Q1 and 620 BTC in Q2", "120 BTC and 250 BTC": a figure joined to the one
    before with no trigger of its own in between means the same."""
    between = [
        token.lower()
        for index, token in enumerate(ann.tokens[previous_end + 1 : first], previous_end + 1)
        if not ctx.in_mention(
            ann.token_starts[index]
        )  # "bought 7,390 BTC and Metaplanet 1,004 BTC"
    ]
    if not between or len(between) > 8:
        return False
    if not all(t in _JOINERS or t in _PERIOD_WORDS or _PERIOD_TOKEN.match(t) for t in between):
        return False
    return bool(_JOINERS & set(between))


def _excluded(ann: Annotated, first: int, last: int) -> str | None:
    """Block rewards, KPIs and "the equivalent of 300 BTC" are no amounts of coins; the
    reason code says which."""
    if any(
        first - 12 <= t.token <= last + 3 and not _paid_in(ann, last, t.token)
        for t in ann.of("REWARD")
    ):
        return "reward"
    if any(
        first - 6 <= t.token < first and not _clause_break(ann, t.last, first, ",")
        for t in ann.of("EQUIVALENT")
    ):
        return "equivalent"
    if any(first - 6 <= t.token <= last + 3 for t in ann.of("KPI")):
        return "kpi"
    if any(
        first - 6 <= t.token <= last and not _clause_break(ann, t.last, first, ",")
        for t in ann.of("NETWORK")
    ):
        return "network"
    if any(
        first - _RATE_BEFORE <= t.token < first and not _clause_break(ann, t.last, first, ",")
        for t in ann.of("RATE")
    ):
        return "rate"  # "average daily bitcoin production stood at 16.6 BTC"
    return None


def _paid_in(ann: Annotated, last: int, reward: int) -> bool:
    """ "harvested 269 BTC in mining rewards and fees": the coins came as rewards."""
    return last < reward <= last + 3 and ann.tokens[last + 1 : last + 2] == ["in"]


def _governing(ann: Annotated, first: int, last: int, previous_end: int) -> list[str]:
    """The label of the nearest trigger: before the amount in its clause, or right after it.
    A share in between ("holds 3% of the 21 million bitcoin") means the amount is not what the
    trigger counts."""
    best: tuple[float, str] | None = None
    for trigger in ann.of(*FACT_OF, *ADJACENT):
        window = _ADJACENT_WINDOW if trigger.label in ADJACENT else _BACK_WINDOW
        if trigger.last < first and trigger.token > previous_end:
            distance: float = first - trigger.last
            if distance > window or _governing_break(ann, trigger.last, first):
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


def _moved_into(ann: Annotated, token: int) -> bool:
    before = [t.lower() for t in ann.tokens[max(0, token - 2) : token]]
    return "into" in before or before[-1:] == ["to"] or before[:1] == ["to"]


def _governing_break(ann: Annotated, left: int, right: int) -> bool:
    """A break between a trigger and the amount: a clause mark, or a share ("holds 3% of the
    21 million bitcoin"); a dash or a change in percent before "from" is none ("production fell
    27% — from 850 BTC in April")."""
    between = [token.lower() for token in ann.tokens[left + 1 : right]]
    if ";" in between:
        return True
    if any(token == "%" and following == "of" for token, following in pairwise(between)):
        return True
    compared = right >= 1 and ann.tokens[right - 1].lower() in ("from", "to")
    return not compared and _clause_break(ann, left, right)


def _increment_by(ann: Annotated, first: int) -> bool:
    previous = [t.lower() for t in ann.tokens[max(0, first - 3) : first]]
    return "by" in previous and not {"held", "holds", "owned"} & set(previous)


def _clause_break(ann: Annotated, left: int, right: int, *extra: str) -> bool:
    marks = (";", "—", "–", "•", *extra)
    return any(token in marks for token in ann.tokens[left + 1 : right])


def _not_allowed(ann: Annotated, label: str, first: int, last: int) -> str | None:
    """Why the trigger `label` does not make the amount a fact (a reason code), or None."""
    trigger = _nearest(ann, label, first, last)
    anchor = trigger.token if trigger else first
    lo = min(anchor, first)
    if any(lo - 6 <= t.token < lo for t in ann.of("PLAN")):
        return "plan"
    if any(lo - 6 <= t.token < lo for t in ann.of("NEGATION")):
        return "negation"
    if _infinitive(ann, trigger):
        return "plan"
    if label == "HOLDINGS" and any(
        first - 8 <= t.token <= last + 4 and t.label == "PLAN" for t in ann.triggers
    ):
        return "plan"
    if any(
        first - (3 if label == "HOLDINGS" else _SUBSET_BEFORE) <= t.token < first
        and not _clause_break(ann, t.last, first)
        and (label == "HOLDINGS" or (label != "PURCHASED" and _of_a_total(ann, t)))
        for t in ann.of("SUBSET")
    ):
        # "31,200 BTC, including 5,000 BTC held"; "this includes 24 BTC mined at a JV" (but
        # "this includes 5,784 BTC acquired in the month" is a purchase of its own)
        return "subset"
    if label == "PRODUCED" and any(
        lo - 4 <= t.token <= last + 8 and not _contrast_between(ann, last, t.token)
        for t in ann.of("CUSTOMER")
    ):
        return "customer"
    # "miners produced a combined 8,000 BTC", "listed miners produced 3,500 BTC", "the two
    # firms together hold 8,394 BTC": not one company's own figure.
    if any(lo - 4 <= t.token <= last for t in ann.of("COMBINED")):
        return "combined"
    if any(
        lo - _GROUP_WINDOW <= t.last < first
        and not _clause_break(ann, t.last, lo if t.last < lo else first, ",")
        for t in ann.of("GROUP")
    ) or any(last < t.token <= last + 4 for t in ann.of("GROUP_AFTER")):
        return "combined"
    # "has acquired 129,699 bitcoin since 2020 / to date / in total" restates earlier purchases.
    if label == "PURCHASED" and any(t.token <= last + 4 for t in ann.of("CUMULATIVE")):
        return "cumulative"
    return None


_A_TOTAL_BEFORE = re.compile(
    r"\b(?:this|that|which)(?:\s+(?:figure|total|number|amount))?\s+$", re.I
)


def _of_a_total(ann: Annotated, trigger: Trigger) -> bool:
    """ "This figure includes 24 BTC mined at ...": a part of a total stated before."""
    text = ann.doc.text
    return bool(_A_TOTAL_BEFORE.search(text[max(0, trigger.start - 30) : trigger.start]))


def _contrast_between(ann: Annotated, left: int, right: int) -> bool:
    """ "mined 410 bitcoin, while customers mined 90": the customers are another clause's."""
    return any(t.lower() in ("while", "whereas", "but", ";") for t in ann.tokens[left + 1 : right])


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
        fields["period"] = _period_for(ctx, amount, amounts)
    if fact_type == "btc_holdings":
        clause_end = min(
            [a.start for a in amounts if a.start > amount.start]
            + [_clause_end(ctx.text, amount.end)]
        )
        earlier = [a.end for a in amounts if a.end <= amount.start]
        clause_start = max([main_clause_span(ctx.text, amount.start)[0], *earlier])
        fields["as_of"] = find_as_of(ctx.text[amount.start : clause_end], ctx.reference) or (
            find_as_of(ctx.text[clause_start : amount.start], ctx.reference)
        )
    return ctx.candidate(fact_type, amount.start, fields)


_COMPARISON = re.compile(
    r"\b(?:compared|versus|vs\.?|from|than|against|a year (?:earlier|ago))\b", re.I
)
# A comparison after a figure dates the figure compared with, never this one ("950 BTC, up
# 35% from April's 705 BTC"; "1,084 BTC, a 42% decrease compared to the previous month").
_COMPARED_AFTER = re.compile(
    r"\b(?:compared|versus|vs\.?|than|(?:up|down|rise|increase|decrease|decline|drop|gain|jump|"
    r"higher|lower|more|less)\b[^,;.]{0,25}?\bfrom)\b",
    re.I,
)


def _period_for(ctx: SentenceContext, amount: Quantity, amounts: list[Quantity]) -> str | None:
    """The period of a flow: the nearest one up to the next amount (a later amount's period is
    its own: "560 BTC, compared with 420 BTC in September 2024"); else one stated later for
    amounts joined without a comparison ("mined 412 BTC and sold 390 BTC in July"); else the
    document's."""
    following = [a for a in amounts if a.start > amount.start]
    limit = following[0].start if following else len(ctx.text)
    compared = _COMPARED_AFTER.search(ctx.text, amount.end, limit)
    period = find_period(
        ctx.text[: compared.start() if compared else limit], amount.start, ctx.reference
    )
    if period:
        return period
    for later in following:
        if _COMPARISON.search(ctx.text[amount.end : later.start]):
            break
        ahead = [a.start for a in amounts if a.start > later.start]
        period = find_period(
            ctx.text[: ahead[0] if ahead else len(ctx.text)], later.start, ctx.reference
        )
        if period:
            return period
    return ctx.carried_period


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


_CUT_UNIT = re.compile(rf"(?<![\w.,]){NUMBER}\s+(?:B|BT|Bi|Bit|Bitc|Bitco|Bitcoi)$")
_CUT_REACH = 80  # the amount and its cut unit end the text: searched only in its last characters


def cut_amount(text: str) -> Quantity | None:
    """ "Cleanspark sold 210 B" where the text stops: the unit cut short is still bitcoin."""
    text = text.rstrip()
    match = _CUT_UNIT.search(text, max(0, len(text) - _CUT_REACH))
    if match is None:
        return None
    number = match.group(0).split()[0]
    return Quantity("btc", parse_number(number), match.start(), match.end(), False, match.group(0))


def _cut_number(ctx: SentenceContext, number: re.Match[str]) -> bool:
    """ "holdings now stand at 1" where the text stops: the number may be cut short too."""
    return ctx.cut and not ctx.text[number.end() :].strip()


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
            if not _is_date_part(ctx.text, m)
            and not ctx.in_mention(m.start())
            and not _cut_number(ctx, m)
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
            rf"^[^.;]{{0,40}}?\b(?:from|versus|vs\.?|compared (?:with|to))\s+(?:only\s+|just\s+)?({NUMBER})"
            r"(?![\w%.,$]|\s*(?:%|percent|BTC|bitcoin|[EPTG]H|MW|ETH|million|billion|miners))",
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
        if _not_allowed(ann, trigger.label, trigger.token, trigger.last):
            continue
        fact_type = FACT_OF[trigger.label]
        period = find_period(ctx.text, match.start(), ctx.reference) or ctx.carried_period
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


_COINS_AFTER_DOLLARS = re.compile(
    r"^\s*(?:worth\s+)?(?:of|in)\s+(?:its\s+|the\s+|their\s+|our\s+)?(?:bitcoins?|BTC)\b", re.I
)
_MONEY_KEY = {"SOLD": "proceeds_usd", "PURCHASED": "cost_usd"}


# the noun form only when the text says the deal was done (a headline's "$765M bitcoin
# purchase" restates the purchase the body gives in full)
_COMPLETED_BEFORE = re.compile(
    r"\b(?:completed|made|closed|executed|finali[sz]ed)\s+(?:a|an|its|another|the)\b[^.;]{0,30}$",
    re.I,
)
_COINS_BEFORE_NOUN = re.compile(r"^\)?\s*(?:worth\s+of\s+)?(?:bitcoins?|BTC|Bitcoins?)\s+$")


def _dollars_of(ctx: SentenceContext, trigger: Trigger) -> Quantity | None:
    """The dollars a sale or purchase of coins is stated in: after the verb ("bought $250
    million in bitcoin") or before the noun ("completed a ¥500 million ($3.4 million) bitcoin
    purchase")."""
    for usd in ctx.of_kind("usd"):
        if usd.per_unit or usd.currency != "USD":
            continue
        if 0 < usd.start - trigger.end <= 12 and _COINS_AFTER_DOLLARS.match(ctx.text[usd.end :]):
            return usd
        if (
            0 < trigger.start - usd.end <= 14
            and _COINS_BEFORE_NOUN.match(ctx.text[usd.end : trigger.start])
            and _COMPLETED_BEFORE.search(ctx.text[max(0, usd.start - 60) : usd.start])
        ):
            return usd
    return None


def _dollar_flows(ctx: SentenceContext, ann: Annotated) -> list[Candidate]:
    """ "sold $180 million of its bitcoin", "bought $250 million in bitcoin": a sale or
    purchase stated only in dollars has no BTC amount but is a fact."""
    found = []
    for trigger in ann.of("SOLD", "PURCHASED"):
        usd = _dollars_of(ctx, trigger)
        if usd is None:
            continue
        # plans, groups and totals are read from the start of the money phrase
        first = min(trigger.token, ann.token_at(usd.start))
        if _not_allowed(ann, trigger.label, first, trigger.last):
            continue
        fields: dict[str, object] = {
            "value": None,
            "unit": "BTC",
            "approximate": usd.approximate,
            _MONEY_KEY[trigger.label]: usd.clean_value,
            "average_price_usd": None,
        }
        if trigger.label == "SOLD":
            fields["period"] = find_period(ctx.text, usd.end, ctx.reference) or ctx.carried_period
        candidate = ctx.candidate(FACT_OF[trigger.label], trigger.start, fields, confidence=0.7)
        if candidate:
            found.append(candidate)
    return found


_RANKED_NUMBER = re.compile(
    rf"^\s+(?:\w+\s+){{0,2}}?(?:with|on|at)\s+(?:about\s+|roughly\s+|some\s+)?({NUMBER})"
    r"(?![\w%]|[.,]\d|\s*(?:%|percent|BTC|bitcoin|million|billion))"
)


def _ranked_bare_numbers(
    ctx: SentenceContext, ann: Annotated, amounts: list[Quantity], found: list[Candidate]
) -> list[Candidate]:
    """ "Marathon comes second with 26,842, with Galaxy next on 15,449 BTC": in a ranking the
    unit and the meaning carry over to a bare figure."""
    ranks = ann.of("RANK")
    topic = ctx.topic if ranks and amounts else None
    if topic is None:
        return []
    taken = {c.fields.get("value") for c in found}
    extra = []
    for rank in ranks:
        match = _RANKED_NUMBER.match(ctx.text[rank.end :])
        if match is None:
            continue
        start = rank.end + match.start(1)
        value = clean_amount(parse_number(match.group(1)))
        if value in taken or any(a.start <= start < a.end for a in amounts):
            continue
        fields = unitless_fields(FACT_OF[topic], value, None)
        candidate = ctx.candidate(FACT_OF[topic], start, fields, confidence=0.6)
        if candidate:
            extra.append(candidate)
    return extra
