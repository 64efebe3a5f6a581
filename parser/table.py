"""Terminal table of extracted facts (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from parser.types import Extraction, Fact


def print_table(results: list[Extraction]) -> None:
    table = Table(show_lines=False, header_style="bold")
    for column in ("document", "type", "company", "value", "details", "evidence"):
        table.add_column(column, overflow="fold")
    for extraction in results:
        name = extraction.document.source.rsplit("/", 2)[-2:]
        for fact in extraction.facts:
            table.add_row(
                "/".join(name),
                fact.type,
                fact.company.name,
                _value(fact),
                _details(fact),
                _snippet(fact),
            )
    Console(width=200).print(table)


def _value(fact: Fact) -> str:
    if "person" in fact.fields:
        return str(fact.fields["person"])
    value = fact.fields.get("value")
    unit = fact.fields.get("unit", "")
    prefix = "~" if fact.fields.get("approximate") else ""
    return f"{prefix}{value:,} {unit}" if isinstance(value, int | float) else "—"


def _details(fact: Fact) -> str:
    skip = {"value", "unit", "person", "approximate"}
    return ", ".join(
        f"{k}={v}" for k, v in fact.fields.items() if k not in skip and v not in (None, False)
    )


def _snippet(fact: Fact, width: int = 70) -> str:
    text = " ".join(fact.evidence[0].text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
