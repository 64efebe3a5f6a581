"""Command bodies that need more than a few lines; they print, the library does not."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import typer
from rich.console import Console

from parser.config import load_config
from parser.errors import ConfigError, ParserError
from parser.fetch import Fetcher, write_fetched
from parser.rules import load_rules
from parser.store import Store


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
