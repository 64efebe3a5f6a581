"""Facts from table rows: a row label names the measure, each cell is one period's value."""

from __future__ import annotations

import re

from parser.extract.btc import FACT_OF, unitless_fields
from parser.extract.context import Candidate
from parser.extract.hashrate import PLAUSIBLE_EHS, STATUS_OF
from parser.extract.lexicon import Lexicon
from parser.extract.matching import Annotator
from parser.extract.periods import Reference
from parser.extract.tables import Row, cell_value, table_rows
from parser.normalize import clean_amount, hashrate_to_ehs, period_end
from parser.types import CompanyRef

_BTC_LABEL = re.compile(r"\b(?:BTC|bitcoins?)\b", re.I)
_HASH_LABEL = re.compile(r"hash\s?rate", re.I)
_HASH_UNIT = re.compile(r"\b([EPT])H/s\b", re.I)


def table_candidates(
    text: str,
    reference: Reference,
    company: CompanyRef | None,
    annotator: Annotator,
    lexicon: Lexicon,
) -> list[Candidate]:
    if company is None:
        return []
    found: list[Candidate] = []
    for row in table_rows(text, reference, lexicon.table_not_a_count):
        if _BTC_LABEL.search(row.label):
            found += _btc_row(row, company, annotator)
        elif _HASH_LABEL.search(row.label):
            found += _hash_row(row, company, annotator)
    return found


def _btc_row(row: Row, company: CompanyRef, annotator: Annotator) -> list[Candidate]:
    ann = annotator.annotate(row.label).family("btc")
    if ann.of("CUSTOMER", "PLAN", "EQUIVALENT", "KPI", "REWARD"):
        return []
    labels = [t.label for t in ann.of(*FACT_OF)]
    if not labels:
        return []
    fact_type = FACT_OF[labels[0]]
    candidates = []
    for cell in row.cells:
        fields = unitless_fields(fact_type, cell_value(cell), cell.period)
        if fact_type == "btc_holdings":
            fields["as_of"] = period_end(cell.period)
        candidates.append(Candidate(fact_type, company, fields, row.start, row.end, 0.7))
    return candidates


def _hash_row(row: Row, company: CompanyRef, annotator: Annotator) -> list[Candidate]:
    unit = _HASH_UNIT.search(row.label)
    ann = annotator.annotate(row.label).family("hashrate")
    if unit is None or ann.of("NETWORK", "OTHER_COIN"):
        return []
    statuses = [STATUS_OF[t.label] for t in ann.of(*STATUS_OF)]
    status = "average" if "average" in statuses else (statuses[0] if statuses else "unspecified")
    candidates = []
    for cell in row.cells:
        value = hashrate_to_ehs(cell.value, unit.group(1))
        if not PLAUSIBLE_EHS[0] <= value <= PLAUSIBLE_EHS[1]:
            continue
        fields = {
            "value": clean_amount(value),
            "unit": "EH/s",
            "status": status,
            "approximate": False,
            "as_of": period_end(cell.period),
        }
        candidates.append(Candidate("hashrate", company, fields, row.start, row.end, 0.7))
    return candidates
