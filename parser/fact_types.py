"""The fact types as `rules/facts.yaml` declares them, checked when loaded. Output fields, the
JSON Schema's per-type part, the store's columns, the flat records' columns, the metrics and
the report's labels and highlights are all derived from these declarations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from parser.errors import RuleError
from parser.rules import default_rules_dir, read_yaml

COLUMN_TYPES = ("REAL", "INTEGER", "TEXT")
MEASURES = ("flow", "stock")
LINES = ("solid", "double", "dashed", "dotted", "wavy")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")  # names that become SQL columns and literals


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    column: str  # its store column's SQL type: REAL (amounts), INTEGER (flags) or TEXT
    schema: dict[str, Any]

    @property
    def is_flag(self) -> bool:
        return self.column == "INTEGER"

    @property
    def is_amount(self) -> bool:
        return self.column == "REAL"


@dataclass(frozen=True)
class Highlight:
    background: str
    colour: str
    line: str  # the underline style: solid, double, dashed, dotted or wavy


@dataclass(frozen=True)
class FactType:
    name: str
    label: str
    measure: str | None  # "flow" (per period), "stock" (at a date) or None (an event)
    unit: str | None
    fields: tuple[Field, ...]
    highlight: Highlight

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@cache
def fact_types() -> dict[str, FactType]:
    """Every declared fact type (the rules folder's `facts.yaml`), by name, in order."""
    return load_fact_types(default_rules_dir() / "facts.yaml")


def load_fact_types(path: Path) -> dict[str, FactType]:
    """The fact types a declaration file gives; `RuleError` naming the file and the entry."""
    data = read_yaml(path)
    where = str(path)
    kinds = _mapping(where, data, "kinds")
    declared = {
        name: _fact_type(where, name, _mapping(where, body), kinds)
        for name, body in _mapping(where, data, "types").items()
    }
    _check_columns(where, declared)
    return declared


def metrics() -> dict[str, str]:
    """Metric name (`holdings`, `produced`, ...) -> fact type, for the types with a measure."""
    return {t.label: t.name for t in fact_types().values() if t.measure}


def stock_types() -> tuple[str, ...]:
    """The types whose figure stands at a date (holdings, hashrate), not for a period."""
    return tuple(t.name for t in fact_types().values() if t.measure == "stock")


def columns() -> tuple[Field, ...]:
    """One field per name over every type, in first-declared order: the store's and the flat
    records' field columns."""
    seen: dict[str, Field] = {}
    for fact_type in fact_types().values():
        for field in fact_type.fields:
            seen.setdefault(field.name, field)
    return tuple(seen.values())


def type_schema(fact_type: FactType, common: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one type's facts: the `common` properties (company, evidence,
    confidence) and its own fields, every one required."""
    properties: dict[str, Any] = {"type": {"const": fact_type.name}, **common}
    for field in fact_type.fields:
        properties[field.name] = (
            {"const": fact_type.unit} if field.kind == "unit" else dict(field.schema)
        )
    return {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


def _fact_type(where: str, name: str, body: dict[str, Any], kinds: dict[str, Any]) -> FactType:
    fields = tuple(
        _field(where, f"{name}.{field}", field, kind, kinds)
        for field, kind in _mapping(where, body, "fields").items()
    )
    if not _IDENTIFIER.fullmatch(name) or not _IDENTIFIER.fullmatch(str(body.get("label"))):
        raise RuleError(where, None, f"{name}: a type's name and label are lower_snake_case")
    measure = body.get("measure")
    if measure is not None and measure not in MEASURES:
        raise RuleError(where, None, f"{name}.measure: one of {', '.join(MEASURES)}")
    if ("unit" in (f.name for f in fields)) != bool(body.get("unit")):
        raise RuleError(where, None, f"{name}: a `unit` field needs a unit, and a unit the field")
    highlight = _mapping(where, body, "highlight")
    if highlight.get("line") not in LINES:
        raise RuleError(where, None, f"{name}.highlight.line: one of {', '.join(LINES)}")
    return FactType(
        name=name,
        label=_text(where, body, "label", name),
        measure=measure,
        unit=body.get("unit"),
        fields=fields,
        highlight=Highlight(
            _text(where, highlight, "background", name),
            _text(where, highlight, "colour", name),
            str(highlight["line"]),
        ),
    )


def _field(where: str, label: str, name: str, kind: str, kinds: dict[str, Any]) -> Field:
    if not _IDENTIFIER.fullmatch(name):
        raise RuleError(where, None, f"{label}: a field name is lower_snake_case (a column)")
    if kind not in kinds:
        raise RuleError(where, None, f"{label}: unknown kind {kind!r}; kinds: {', '.join(kinds)}")
    spec = _mapping(where, kinds[kind])
    if spec.get("column") not in COLUMN_TYPES:
        raise RuleError(where, None, f"kind {kind}: column one of {', '.join(COLUMN_TYPES)}")
    schema = spec.get("schema", {})
    if not isinstance(schema, dict) or (kind != "unit" and not schema):
        raise RuleError(where, None, f"kind {kind}: needs a JSON Schema mapping")
    return Field(name, kind, str(spec["column"]), schema)


def _check_columns(where: str, declared: dict[str, FactType]) -> None:
    """A field name is one store column: every type must give it the same column type."""
    seen: dict[str, str] = {}
    for fact_type in declared.values():
        for field in fact_type.fields:
            if seen.setdefault(field.name, field.column) != field.column:
                raise RuleError(
                    where, None, f"{fact_type.name}.{field.name}: {field.column}, elsewhere "
                    f"{seen[field.name]} (one field name is one store column)"
                )  # fmt: skip


def _mapping(where: str, data: Any, key: str | None = None) -> dict[str, Any]:
    value = data.get(key) if key is not None and isinstance(data, dict) else data
    if not isinstance(value, dict) or not value:
        raise RuleError(where, None, f"{key or 'entry'}: expected a non-empty mapping")
    return value


def _text(where: str, data: dict[str, Any], key: str, owner: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise RuleError(where, None, f"{owner}.{key}: expected a non-empty string")
    return value
