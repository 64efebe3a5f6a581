"""Command bodies that need more than a few lines; they print, the library does not."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from parser.config import load_config
from parser.errors import ConfigError, ParserError
from parser.fetch import Fetcher, write_fetched
from parser.rules import load_rules
from parser.store import Store, StoredFact


def run_fetch(
    config_path: Path, tickers: list[str], since: str | None, output: Path, db: Path | None
) -> int:
    """Exit code: 0 all sources fetched, 1 some failed, 2 configuration error."""
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
    from parser.pipeline import default_extractor
    from parser.run import (
        EXIT_FAILED,
        EXIT_LOCKED,
        EXIT_OK,
        EXIT_USAGE,
        Locked,
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
        with run_lock(database.with_suffix(".lock")), status as spinner:
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
    from parser.run import EXIT_LOCKED, Locked, reextract, run_lock

    try:
        with run_lock(db.with_suffix(".lock")), open_store(db) as store:
            report = reextract(store, default_extractor(), output, everything, since)
    except Locked as exc:
        typer.echo(f"error: {exc}; exiting", err=True)
        return EXIT_LOCKED
    typer.echo(f"reextract: {report.summary()}", err=True)
    return 1 if report.problems else 0


def _logger(quiet: bool) -> Callable[[str], None]:
    def log(line: str) -> None:
        if not quiet or line.startswith("error"):
            stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            typer.echo(f"{stamp} {line}", err=True)

    return log


def print_facts(facts: list[StoredFact], format: str) -> None:
    rows = [fact.to_dict() for fact in facts]
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif format == "jsonl":
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
    elif format == "csv":
        columns = [c for c in rows[0] if c != "evidence"] + ["evidence_text"] if rows else []
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {**row, "evidence_text": row["evidence"][0]["text"] if row["evidence"] else ""}
            )
    else:
        table = Table(header_style="bold")
        for column in ("date", "company", "type", "value", "detail", "source"):
            table.add_column(column, overflow="fold")
        for fact in facts:
            value = fact.person if fact.person else f"{fact.value:,} {fact.unit or ''}".strip()
            detail = ", ".join(
                f"{k}={v}"
                for k, v in (
                    ("title", fact.title),
                    ("status", fact.status),
                    ("period", fact.period),
                )
                if v
            )
            table.add_row(fact.fact_date or "", fact.company, fact.type, value, detail, fact.source)
        Console(width=200).print(table)
