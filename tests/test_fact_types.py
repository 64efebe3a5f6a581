"""Fact types are declared once (rules/facts.yaml): the output fields, the JSON Schema, the
store's columns, the flat records, the metrics and the report's labels all follow it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parser.errors import RuleError
from parser.fact_types import fact_types, load_fact_types
from parser.output import FIELDS, json_schema
from parser.records import RECORD_COLUMNS
from tests.conftest import ROOT, RULES

# A new type with a field no other type has, declared in a copy of the rules.
NEW_TYPE = """
  btc_lent:
    label: lent
    measure: flow
    unit: BTC
    fields: {value: amount, unit: unit, counterparty: name_or_null, period: period,
             approximate: flag}
    highlight: {background: "#eeeeee", colour: "#333333", line: dotted}
"""


def test_outputs_follow_the_declarations() -> None:
    declared = fact_types()
    assert list(FIELDS) == list(declared)
    schemas = {
        item["properties"]["type"]["const"]: item
        for item in json_schema()["properties"]["facts"]["items"]["oneOf"]
    }
    for name, fact_type in declared.items():
        assert FIELDS[name] == fact_type.field_names
        assert set(schemas[name]["required"]) == {
            "type", "company", "evidence", "confidence", *fact_type.field_names,
        }  # fmt: skip
        if fact_type.unit:
            assert schemas[name]["properties"]["unit"] == {"const": fact_type.unit}
        assert set(fact_type.field_names) <= set(RECORD_COLUMNS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("unit: unit, as_of: day", "unit: unit, as_of: moment"), "unknown kind 'moment'"),
        (("label: holdings\n", "label: 7\n"), "btc_holdings: a type's name and label"),
        (("label: sold\n", 'label: "so\'ld"\n'), "btc_sold: a type's name and label"),
        (("line: wavy", "line: zigzag"), "hashrate.highlight.line"),
        (
            ("as_of: day, approximate: flag}", "as_of: day, approximate: name}"),
            "one field name is one store column",
        ),
        (("as_of: day, approximate", "As-Of: day, approximate"), "lower_snake_case"),
        (("    unit: EH/s\n", ""), "hashrate: a `unit` field needs a unit"),
    ],
)
def test_a_bad_declaration_is_refused_naming_the_entry(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = (RULES / "facts.yaml").read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "facts.yaml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(RuleError, match=r"facts\.yaml") as info:
        load_fact_types(path)
    assert message in str(info.value)


def test_a_new_type_is_one_declaration(tmp_path: Path) -> None:
    """Declared, a new type has its output fields, schema, store column, record column,
    metric and report label, with no code changed; its facts go through store and export."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    with (rules / "facts.yaml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_TYPE)
    script = """
import json, sys
from pathlib import Path
from parser.output import Extraction, FIELDS, validate
from parser.records import RECORD_COLUMNS
from parser.history import METRICS
from parser.report.model import TYPE_LABELS
from parser.store import Store
from parser.types import CompanyRef, Document, Evidence, Fact
from parser import pipeline

text = "Acme Mining lent 40 BTC to Example Desk in May 2025."
document = Document(id="a" * 64, source="lent.txt", media_type="text/plain", text=text)
fact = Fact("btc_lent", CompanyRef("Acme Mining", "Acme Mining", None),
            {"value": 40, "unit": "BTC", "counterparty": "Example Desk", "period": "2025-05",
              "approximate": False}, (Evidence(0, len(text), text),))
extraction = Extraction(document, (fact,))
validate(extraction.to_dict())
store = Store(Path(sys.argv[1]))
with store.transaction():
    store.save_document(document, text.encode())
    store.save_extraction(extraction, "test")
stored = store.facts(type="btc_lent")
path = pipeline.export(store, Path(sys.argv[2]))
print(json.dumps({"fields": FIELDS["btc_lent"], "record": "counterparty" in RECORD_COLUMNS,
                  "metric": METRICS.get("lent"), "label": TYPE_LABELS["btc_lent"],
                  "stored": stored[0].counterparty, "exported": path is not None,
                  "view": store.db.execute(
                      "SELECT counterparty FROM current_facts WHERE type = 'btc_lent'").fetchall(),
                  "monthly": store.db.execute("SELECT metric, month, value FROM monthly").fetchall()}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "s.sqlite"), str(tmp_path / "out")],
        capture_output=True, text=True, cwd=ROOT, env={"DISCLOSURES_RULES": str(rules), "PATH": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "fields": ["value", "unit", "counterparty", "period", "approximate"],
        "record": True, "metric": "btc_lent", "label": "lent", "stored": "Example Desk",
        "exported": True, "view": [["Example Desk"]], "monthly": [["lent", "2025-05", 40.0]],
    }  # fmt: skip
