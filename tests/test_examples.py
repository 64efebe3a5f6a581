"""Table tests: every row of rules/<family>/examples.yaml is one case."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from parser import extract
from tests.conftest import RULES


def _rows() -> list[Any]:
    rows = []
    for path in sorted(RULES.glob("*/examples.yaml")):
        for index, row in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
            rows.append(pytest.param(row["text"], row["expect"], id=f"{path.parent.name}-{index}"))
    return rows


def _key(fact: dict[str, Any]) -> tuple[str, Any]:
    return fact["type"], fact.get("value", fact.get("person"))


@pytest.mark.parametrize(("text", "expected"), _rows())
def test_example(text: str, expected: list[dict[str, Any]]) -> None:
    facts = [{"type": f.type, **f.fields} for f in extract(text).facts]
    assert sorted(map(_key, facts), key=repr) == sorted(map(_key, expected), key=repr)
    for want in expected:
        got = next(f for f in facts if _key(f) == _key(want))
        for field, value in want.items():
            assert got.get(field) == value, (
                f"{field} of {_key(want)}: {got.get(field)!r} != {value!r}"
            )
