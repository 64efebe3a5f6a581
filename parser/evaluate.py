"""Precision, recall and F1 of extraction against hand-labelled gold facts.

A predicted fact matches a gold fact of the same type and company when the values agree within
0.5% (both null counts as agreement; a sale with no BTC amount is compared on its proceeds), and
people facts match on the person's surname. Each gold fact matches at most once.

Matched facts are then checked on their attributes (hashrate status, period, as_of, title): the
table's last lines say how often each is right, and `misses` lists the wrong ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parser.extract.companies import CompanyFinder
from parser.output import FACT_TYPES
from parser.pipeline import extract_path
from parser.rules import load_rules
from parser.types import Fact

TOLERANCE = 0.005
_LEGAL_SUFFIXES = {
    "inc",
    "corp",
    "corporation",
    "ltd",
    "limited",
    "plc",
    "llc",
    "co",
    "sa",
    "ag",
    "se",
}
_GOLD_VALUE_KEY = {"hashrate": "ehs"}
# Attributes compared on matched facts: gold key -> our field.
_ATTRIBUTES = {"status": "status", "period": "period", "as_of": "as_of", "title": "title"}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    by_type: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in FACT_TYPES})
    misses: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # attribute -> [right, checked] over matched facts
    attributes: dict[str, list[int]] = field(
        default_factory=lambda: {name: [0, 0] for name in _ATTRIBUTES}
    )

    @property
    def overall(self) -> Score:
        total = Score()
        for score in self.by_type.values():
            total.tp, total.fp, total.fn = (
                total.tp + score.tp,
                total.fp + score.fp,
                total.fn + score.fn,
            )
        return total

    def table(self) -> str:
        lines = [f"{'type':<24}{'gold':>6}{'pred':>6}{'tp':>5}{'P':>8}{'R':>8}{'F1':>8}"]
        for name, s in [*self.by_type.items(), ("overall (micro)", self.overall)]:
            lines.append(
                f"{name:<24}{s.tp + s.fn:>6}{s.tp + s.fp:>6}{s.tp:>5}"
                f"{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
            )
        for name, (right, checked) in self.attributes.items():
            if checked:
                lines.append(f"{name + ' right':<24}{right:>6}/{checked:<5}{right / checked:>8.3f}")
        return "\n".join(lines)


def evaluate(gold_path: Path, docs_dir: Path, only: set[str] | None = None) -> Report:
    """Score every document of `gold_path` (or the `only` subset) found in `docs_dir`."""
    rules = load_rules()
    finder = CompanyFinder(rules.companies, rules.not_names)
    report = Report()
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if only is not None and entry["doc"] not in only:
            continue
        extraction = extract_path(docs_dir / entry["doc"])
        report.errors += [p.message for p in extraction.errors]
        _score_document(entry, list(extraction.facts), finder, report)
    return report


def _score_document(
    entry: dict[str, Any], predicted: list[Fact], finder: CompanyFinder, report: Report
) -> None:
    remaining = list(predicted)
    for gold in entry["facts"]:
        score = report.by_type[gold["type"]]
        match = next((p for p in remaining if _matches(p, gold, finder)), None)
        if match is None:
            score.fn += 1
            report.misses.append(f"{entry['doc']}: missed {_describe_gold(gold)}")
        else:
            score.tp += 1
            remaining.remove(match)
            _check_attributes(entry["doc"], gold, match, report)
    for fact in remaining:
        report.by_type[fact.type].fp += 1
        report.misses.append(f"{entry['doc']}: extra {_describe_fact(fact)}")


def _check_attributes(doc: str, gold: dict[str, Any], fact: Fact, report: Report) -> None:
    for key, ours in _ATTRIBUTES.items():
        if key not in gold:
            continue
        tally = report.attributes[key]
        tally[1] += 1
        if _same_attribute(key, gold[key], fact.fields.get(ours)):
            tally[0] += 1
        else:
            report.misses.append(
                f"{doc}: wrong {key} {fact.fields.get(ours)!r} (gold {gold[key]!r}) "
                f"for {_describe_gold(gold)}"
            )


def _same_attribute(key: str, gold: object, ours: object) -> bool:
    if key == "title":
        return str(gold or "").strip().lower() == str(ours or "").strip().lower()
    return gold == ours


def _canonical(name: str, finder: CompanyFinder) -> str:
    mentions = finder.mentions(name)
    return mentions[0].ref.canonical if mentions else name.strip().lower()


def _matches(fact: Fact, gold: dict[str, Any], finder: CompanyFinder) -> bool:
    if fact.type != gold["type"]:
        return False
    gold_company = _canonical(gold["company"], finder)
    ours = {fact.company.canonical, _plain(fact.company.canonical), _plain(fact.company.name)}
    if gold_company not in ours and _plain(gold["company"]) not in ours:
        return False
    if "person" in gold:
        return _surname(gold["person"]) == _surname(str(fact.fields.get("person", "")))
    gold_value = gold.get(_GOLD_VALUE_KEY.get(gold["type"], "btc"))
    value = fact.fields.get("value")
    if gold_value is None or value is None:
        if gold_value is not value:
            return False
        return _close(fact.fields.get("proceeds_usd"), gold.get("proceeds_usd"))
    return _close(value, gold_value)


def _plain(name: str) -> str:
    """ "Acme Hash Corp." -> "acme hash": names compared without legal suffixes."""
    words = re.sub(r"[^\w\s]", " ", name.lower()).split()
    while words and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def _close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    x, y = float(a), float(b)  # type: ignore[arg-type]
    return abs(x - y) <= TOLERANCE * max(abs(x), abs(y))


def _surname(name: str) -> str:
    return name.split()[-1].lower() if name.strip() else ""


def _describe_gold(gold: dict[str, Any]) -> str:
    return json.dumps(gold, ensure_ascii=False)


def _describe_fact(fact: Fact) -> str:
    shown = {
        k: v
        for k, v in fact.fields.items()
        if k in ("value", "person", "title", "status", "period")
    }
    return f"{fact.type} {fact.company.name}: {json.dumps(shown, ensure_ascii=False)} <- {fact.evidence[0].text[:120]!r}"
