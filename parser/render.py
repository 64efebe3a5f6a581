"""How the command line shows results on a terminal: rich tables sized to its width, CSV, a
JSON array or JSON lines. Only `parser.cli` uses this module."""

from __future__ import annotations

import csv
import json
import sys
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from parser.normalize import clean_amount

if TYPE_CHECKING:
    from parser.compare import PeriodTable
    from parser.history import LedgerCheck, Point
    from parser.output import Extraction
    from parser.records import StoredFact
    from parser.types import Fact


def print_facts(facts: list[StoredFact], format: str) -> None:
    if format == "csv":
        print_rows([fact.to_record() for fact in facts], format)
        return
    if format != "table":
        print_rows([fact.to_dict() for fact in facts], format)
        return
    table = Table(header_style="bold")
    for column in ("date", "company", "type", "value", "detail", "source"):
        table.add_column(column, overflow="fold", no_wrap=column in ("date", "company"))
    for fact in facts:
        value = fact.person if fact.person else f"{fact.value:,} {fact.unit or ''}".strip()
        detail = ", ".join(
            f"{k}={v}"
            for k, v in (("title", fact.title), ("status", fact.status), ("period", fact.period))
            if v
        )
        source = fact.source.rsplit("/", 1)[-1]
        table.add_row(fact.fact_date or "", fact.company, fact.type, value, detail, source)
    Console().print(table)


def print_series(points: list[Point], metric: str, format: str) -> None:
    rows = [
        {"period": p.period, "value": clean_amount(p.value), "status": p.status, "source": p.source,
         "document": p.document}
        for p in points
    ]  # fmt: skip
    if metric != "hashrate":
        for row in rows:
            del row["status"]
    print_rows(rows, format, title=metric)


def print_check(check: LedgerCheck, format: str) -> None:
    """Every checked period, then the facts set aside for want of a period."""
    if format != "table":
        rows = [
            {"company": p.company, "from": p.start, "to": p.end, "opening": p.opening,
             "produced": p.produced, "purchased": p.purchased, "sold": p.sold,
             "expected": p.expected, "closing": p.closing, "difference": p.difference,
             "tolerance": round(p.tolerance, 8), "status": p.status, "why": "; ".join(p.missing),
             "documents": " ".join(p.documents)}
            for p in check.periods
        ] + [
            {"company": f.company, "from": None, "to": f.fact_date, "opening": None,
             "produced": None, "purchased": None, "sold": None, "expected": None,
             "closing": None, "difference": None, "tolerance": None, "status": "set aside",
             "why": f"{f.type} of {f.value:g} BTC without a period", "documents": f.source}
            for f in check.set_aside
        ]  # fmt: skip
        print_rows(rows, format)
        return
    table = Table(title="Ledger check (BTC)", header_style="bold")
    for column in ("company", "period", "held", "+produced", "+bought", "−sold", "off by", "±"):
        table.add_column(
            column,
            overflow="fold",
            justify="left" if column in ("company", "period", "held") else "right",
        )
    table.add_column("status")
    for p in check.periods:
        colour = {"agrees": "green", "disagrees": "red"}.get(p.status, "yellow")
        table.add_row(
            p.company, f"{p.start} → {p.end}", f"{_cell(p.opening)} → {_cell(p.closing)}",
            _cell(p.produced), _cell(p.purchased), _cell(p.sold), f"{p.difference:+,g}",
            _cell(round(p.tolerance, 3)), f"[{colour}]{p.status}[/{colour}]",
        )  # fmt: skip
    console = Console()
    console.print(table)
    for p in check.periods:
        for reason in p.missing:
            console.print(f"{p.company} {p.start} → {p.end}: {reason}", highlight=False)
    if check.set_aside:
        console.print("Set aside (no period, so in no month):", style="bold")
        for f in check.set_aside:
            console.print(f"  {f.company}: {f.type} {f.value:g} BTC — {f.source}", highlight=False)


def print_period_table(table: PeriodTable, format: str) -> None:
    """One row per company, one column per period; `~` marks approximate figures."""
    if format == "json":
        typer.echo(json.dumps(table.to_dict(), ensure_ascii=False, indent=2))
    elif format == "jsonl":
        for company in table.to_dict()["companies"]:
            typer.echo(json.dumps(company, ensure_ascii=False))
    elif format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["company", *table.periods])
        writer.writerows(table.text_rows(grouped=False))
    else:
        _print_grid(table)


def _print_grid(table: PeriodTable) -> None:
    """The latest periods that fit the terminal; the caption says how many were left out."""
    console = Console()
    rows = table.text_rows()
    name_width = min(max([len("company"), *(len(row[0]) for row in rows)]), 30)
    cell_width = max([7, *(len(cell) for row in rows for cell in row[1:])]) + 3
    fits = max(1, (console.width - name_width - 4) // cell_width)
    shown = len(table.periods) if fits >= len(table.periods) else fits
    skipped = len(table.periods) - shown
    caption = f"{skipped} earlier period(s) left out: widen the terminal or use --format csv"
    grid = Table(
        title=f"{table.metric} by {table.by} (~ approximate)",
        caption=caption if skipped else None,
        header_style="bold",
    )
    grid.add_column("company", min_width=min(name_width, 30), overflow="fold")
    for period in table.periods[skipped:]:
        grid.add_column(period, justify="right", no_wrap=True)
    for row in rows:
        grid.add_row(row[0], *row[1 + skipped :])
    console.print(grid)


def print_rows(rows: list[dict[str, Any]], format: str, title: str | None = None) -> None:
    """Rows as a terminal-width table, CSV, a JSON array or JSON lines."""
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif format == "jsonl":
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
    elif format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(title=title, header_style="bold")
        for column in rows[0] if rows else ():
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if v is None else _cell(v) for v in row.values()))
        Console().print(table)


def _cell(value: Any) -> str:
    return f"{value:,g}" if isinstance(value, float) else str(value)


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
