"""Table tests: every row of rules/<family>/examples.yaml is one case."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import yaml

from parser import extract
from parser.pipeline import explain
from parser.types import Fact
from tests.conftest import RULES

# rules/prose/examples.yaml: at least this many texts for every family of prose error.
_PROSE_FAMILIES = {"company", "multi", "notfact", "status", "period", "words"}
_PROSE_MINIMUM = 10


def _load(path: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def _rows() -> list[Any]:
    rows = []
    for path in sorted(RULES.glob("*/examples.yaml")):
        for index, row in enumerate(_load(path)):
            rows.append(pytest.param(row, id=f"{path.parent.name}-{row.get('family', '')}{index}"))
    return rows


def _as_dict(fact: Fact) -> dict[str, Any]:
    return {"type": fact.type, "company": fact.company, **fact.fields}


def _agrees(got: dict[str, Any], field: str, value: Any) -> bool:
    if field != "company":
        return bool(got.get(field) == value)
    company = got["company"]
    return bool(value == company.name or company.canonical.startswith(value))


def _matches(got: dict[str, Any], want: dict[str, Any]) -> bool:
    return all(_agrees(got, field, value) for field, value in want.items())


def _describe(facts: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['type']} {f.get('value', f.get('person'))} {f['company'].name} "
        + " ".join(f"{k}={f[k]}" for k in ("status", "period", "as_of") if f.get(k))
        for f in facts
    ]


@pytest.mark.parametrize("row", _rows())
def test_example(row: dict[str, Any]) -> None:
    result = extract(row["text"])
    facts = [_as_dict(f) for f in result.facts]
    unmatched = list(facts)
    for want in row["expect"]:
        got = next((f for f in unmatched if _matches(f, want)), None)
        assert got is not None, f"no fact {want} among {_describe(facts)}"
        unmatched.remove(got)
    assert unmatched == [], f"unexpected facts {_describe(unmatched)}"
    reasons = {(r.figure, r.reason) for r in explain(row["text"])} if "rejected" in row else set()
    for rejected in row.get("rejected", []):
        assert (rejected["figure"], rejected["reason"]) in reasons, sorted(reasons)


def test_every_prose_family_has_enough_texts() -> None:
    counts = Counter(row["family"] for row in _load(RULES / "prose" / "examples.yaml"))
    assert set(counts) == _PROSE_FAMILIES
    assert min(counts.values()) >= _PROSE_MINIMUM, counts


# rules/people/examples.yaml: the kinds of text its written sentences imitate (`style`).
_PEOPLE_STYLES = {"wire", "news", "8-K", "headline", "roundup"}


def test_people_examples_cover_every_kind_of_text() -> None:
    """The executive-change table holds sentences of every style it claims, facts and no-facts."""
    rows = [row for row in _load(RULES / "people" / "examples.yaml") if "style" in row]
    styles = Counter(row["style"] for row in rows)
    assert set(styles) == _PEOPLE_STYLES
    assert min(styles.values()) >= 3
    assert len(rows) >= 80
    assert sum(1 for row in rows if not row["expect"]) >= 20
