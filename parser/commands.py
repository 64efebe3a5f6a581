"""Command bodies that need more than a few lines; they print, the library does not."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from parser.errors import ConfigError, ParserError
from parser.normalize import clean_amount
from parser.store import Store, StoredFact

if TYPE_CHECKING:
    from parser.compare import PeriodTable
    from parser.history import LedgerCheck, Point


def run_fetch(
    config_path: Path, tickers: list[str], since: str | None, output: Path, db: Path | None
) -> int:
    """Exit code: 0 all sources fetched, 1 some failed, 2 configuration error."""
    from parser.config import load_config
    from parser.fetch import Fetcher, write_fetched
    from parser.rules import load_rules

    try:
        config = load_config(config_path, load_rules())
        store = Store(db or output / "disclosures.sqlite")
    except (ConfigError, ParserError) as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    console = Console(stderr=True)
    status = console.status("fetching") if sys.stderr.isatty() else nullcontext()
    with store, status as spinner:
        fetcher = Fetcher(
            config,
            store,
            on_source=(lambda s: spinner.update(f"fetching {s}")) if spinner else None,
            sink=lambda fetched: write_fetched(output, fetched),
        )
        try:
            report = fetcher.run(since, tickers)
        except ConfigError as exc:
            typer.echo(f"error: {exc}", err=True)
            return 2
        finally:
            fetcher.client.close()
    for problem in report.problems:
        typer.echo(f"error: {problem.message} [{problem.code}]", err=True)
    typer.echo(f"fetch: {report.summary()} -> {output}", err=True)
    return 1 if report.problems else 0


def run_discover(config_path: Path, since: str | None, write: bool) -> int:
    """Print (or, with `write`, append to the sources file) a `[[company]]` entry for each new
    company with bitcoin facts in the 8-K / 6-K stream. Exit code: 0 ok, 1 some filings or
    listings failed, 2 configuration error."""
    from parser.config import load_config
    from parser.fetch import make_client
    from parser.fetch.discover import Discoverer, load_and_extract, proposals_appended
    from parser.rules import load_rules

    try:
        config = load_config(config_path, load_rules())
        with make_client(config) as client:
            report = Discoverer(config, client, load_and_extract).run(since)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    for problem in report.problems:
        typer.echo(f"error: {problem.message} [{problem.code}]", err=True)
    entries = "\n".join(p.to_toml() for p in report.proposals)
    if write and report.proposals:
        proposals_appended(config_path, report.proposals)
        typer.echo(f"discover: {report.summary()}; appended to {config_path}", err=True)
    else:
        if entries:
            typer.echo(entries, nl=False)
        typer.echo(f"discover: {report.summary()}", err=True)
    return 1 if report.problems else 0


def open_store(db: Path) -> Store:
    """Open the store or exit 2 with the reason (a corrupt file is never silently reset)."""
    try:
        return Store(db)
    except ParserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def run_run(
    config_path: Path | None,
    folder: Path,
    db: Path | None,
    output: Path,
    since: str | None,
    quiet: bool,
) -> int:
    from parser.config import load_config
    from parser.pipeline import default_extractor
    from parser.rules import load_rules
    from parser.run import (
        EXIT_FAILED,
        EXIT_LOCKED,
        EXIT_OK,
        EXIT_USAGE,
        Locked,
        lock_path,
        run_lock,
        run_pipeline,
    )

    database = db or output / "disclosures.sqlite"
    try:
        config = load_config(config_path, load_rules()) if config_path else None
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    if config is None and not folder.is_dir():
        typer.echo(f"error: {folder} is not a folder; give one, or --config", err=True)
        return EXIT_USAGE
    log = _logger(quiet)
    terminal = sys.stderr.isatty() and not quiet
    status = Console(stderr=True).status("starting") if terminal else nullcontext()
    try:
        with run_lock(lock_path(database)), status as spinner:
            store = open_store(database)
            with store:
                report = run_pipeline(
                    store,
                    default_extractor(),
                    output,
                    folder=None if config else folder,
                    config=config,
                    since=since,
                    log=log,
                    progress=spinner.update if spinner else lambda line: None,
                )
                store.write_datasette_metadata()
    except Locked as exc:
        typer.echo(f"error: {exc}; exiting", err=True)
        return EXIT_LOCKED
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    for problem in report.problems:
        log(f"error: {problem.message} [{problem.code}]")
    typer.echo(f"run: {report.summary()}; store {database}", err=True)
    return EXIT_FAILED if report.problems else EXIT_OK


def run_reextract(db: Path, output: Path, everything: bool, since: str | None) -> int:
    from parser.pipeline import default_extractor
    from parser.run import EXIT_LOCKED, EXIT_USAGE, Locked, lock_path, reextract, run_lock

    try:
        with run_lock(lock_path(db)), open_store(db) as store:
            report = reextract(store, default_extractor(), output, everything, since)
    except Locked as exc:
        typer.echo(f"error: {exc}; exiting", err=True)
        return EXIT_LOCKED
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    typer.echo(f"reextract: {report.summary()}", err=True)
    return 1 if report.problems else 0


def _logger(quiet: bool) -> Callable[[str], None]:
    def log(line: str) -> None:
        if not quiet or line.startswith("error"):
            stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            typer.echo(f"{stamp} {line}", err=True)

    return log


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
