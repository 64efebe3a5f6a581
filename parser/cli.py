"""The `disclosures` command line: each command parses its options, calls the library
(`parser.pipeline`, the store, the fetchers), prints (`parser.render`) and sets the exit code."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from parser.errors import ConfigError, ParserError, RuleError
from parser.history import HASHRATE_STATUSES, METRICS
from parser.output import Extraction, dumps, json_schema, write_atomic
from parser.query import DATE_FORMAT, FilterError, check_choice, check_type, parse_day
from parser.types import Problem

if TYPE_CHECKING:  # the extractor loads spaCy: imported only by the commands that extract
    from parser.extract import Extractor
    from parser.store import Store

app = typer.Typer(
    help="Extract sourced facts from Bitcoin miner and treasury-company announcements.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain click help: no `<bool>` placeholders on flags
)

FORMATS = ("jsonl", "json", "table", "csv")
LIST_FORMATS = ("table", "csv", "json", "jsonl")
DB_OPTION = typer.Option("--db", help="SQLite store.")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75


def _checked(check: Callable[[str], str]) -> Callable[[str], str]:
    """A typer parser that turns a `FilterError` into a usage error (exit 2)."""

    def parse(text: str) -> str:
        try:
            return check(text)
        except FilterError as exc:
            raise typer.BadParameter(str(exc)) from exc

    return parse


def _choice(choices: tuple[str, ...], *names: str, help: str) -> Any:
    """An option that takes one of `choices`; anything else is a usage error naming them."""
    return typer.Option(
        *names, metavar="|".join(choices), help=help,
        parser=_checked(lambda value: check_choice(names[0], value, choices)),
    )  # fmt: skip


FORMAT = _choice(LIST_FORMATS, "--format", "-f", help="Output format.")
SINCE = typer.Option(
    "--since", metavar=DATE_FORMAT.replace(" or ", "|"), parser=_checked(parse_day),
    help=f"From this date ({DATE_FORMAT}; a month means its first day).",
)  # fmt: skip
UNTIL = typer.Option(
    "--until", metavar=DATE_FORMAT.replace(" or ", "|"),
    parser=_checked(lambda text: parse_day(text, end=True)),
    help=f"Up to this date ({DATE_FORMAT}; a month means its last day).",
)  # fmt: skip


def _show_version(value: bool) -> None:
    if value:
        from parser import __version__

        typer.echo(f"disclosures {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Extract sourced facts from Bitcoin miner and treasury-company announcements."""


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for stdin.")],
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="|".join(FORMATS), help="Output format.")
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Also write one JSON file per document here."),
    ] = None,
    include_text: Annotated[
        bool, typer.Option("--include-text", help="Put each document's text in the output.")
    ] = False,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="Use this rules folder instead of the bundled one."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Extract in this many processes (same order).")
    ] = 1,
) -> None:
    """Extract facts from documents; a broken document is reported and skipped (exit 1)."""
    if format not in FORMATS:
        _usage_error(f"--format must be one of {', '.join(FORMATS)}, not {format!r}")
    if workers < 1 or (workers > 1 and rules is not None):
        _usage_error("--workers takes a number from 1, and works with the bundled rules only")
    extractor = _extractor(rules) if workers == 1 else None  # workers build their own
    results: list[Extraction] = []
    written: set[str] = set()
    failures = facts = documents = 0
    started = time.monotonic()
    with _progress(paths) as advance:
        for source, extraction in _extract_all(paths, extractor, workers):
            for problem in extraction.errors:
                typer.echo(f"error: {problem.message} [{problem.code}]", err=True)
            if output is not None:
                _write_document(output, source, extraction, include_text, written)
            failures += bool(extraction.errors)
            facts += len(extraction.facts)
            documents += 1
            advance()
            if format == "jsonl":
                typer.echo(dumps(extraction.to_dict(include_text)))
            else:
                results.append(extraction)
    if format == "json":
        typer.echo(
            json.dumps([r.to_dict(include_text) for r in results], ensure_ascii=False, indent=2)
        )
    elif format == "csv":
        from parser.render import print_rows

        print_rows([row for r in results for row in r.to_records()], "csv")
    elif format == "table":
        from parser.render import print_table

        print_table(results)
    rate = documents / max(time.monotonic() - started, 1e-6)
    typer.echo(
        f"extract: {documents} document(s), {facts} fact(s), {failures} failed, {rate:.1f} docs/s",
        err=True,
    )
    if output is not None:
        typer.echo(f"wrote JSON files to {output}", err=True)
    raise typer.Exit(1 if failures else 0)


@app.command()
def fetch(
    config: Annotated[Path, typer.Option("--config", "-c", help="Sources file (TOML).")],
    company: Annotated[
        list[str] | None, typer.Option("--company", help="Only this ticker (repeatable).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Filings and entries from this date (YYYY-MM-DD).")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for raw documents.")
    ] = Path("out/fetched"),
    db: Annotated[
        Path | None,
        typer.Option("--db", help="SQLite store (default: <output>/disclosures.sqlite)."),
    ] = None,
) -> None:
    """Fetch new announcements of the watched companies (EDGAR, feeds, pages); incremental."""
    from parser import pipeline
    from parser.config import load_config
    from parser.rules import load_rules
    from parser.store import Store

    if since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
        _usage_error(f"--since takes a date like 2025-01-31, not {since!r}")
    try:
        sources = load_config(config, load_rules())
        store = Store(db or output / "disclosures.sqlite")
    except ParserError as exc:
        _usage_error(str(exc))
    with store, _status("fetching") as status:
        try:
            report = pipeline.fetch(store, sources, output, since, company or [], status)
        except ConfigError as exc:
            _usage_error(str(exc))
    _print_problems(report.problems)
    typer.echo(f"fetch: {report.summary()} -> {output}", err=True)
    raise typer.Exit(1 if report.problems else 0)


@app.command()
def discover(
    config: Annotated[Path, typer.Option("--config", "-c", help="Sources file (TOML).")],
    since: Annotated[
        str | None,
        typer.Option("--since", help="Also walk EDGAR's daily indexes from this date (backfill)."),
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Append the new [[company]] entries to the file.")
    ] = False,
) -> None:
    """Find companies with bitcoin facts in every filer's 8-K / 6-K that the sources file does
    not watch yet, and propose a [[company]] entry for each."""
    from parser.config import append_entries, load_config
    from parser.fetch import make_client
    from parser.fetch.discover import Discoverer
    from parser.pipeline import load_and_extract
    from parser.rules import load_rules

    if since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", since):
        _usage_error(f"--since takes a date like 2025-01-31, not {since!r}")
    try:
        sources = load_config(config, load_rules())
        with make_client(sources) as client:
            report = Discoverer(sources, client, load_and_extract).run(since)
    except ConfigError as exc:
        _usage_error(str(exc))
    _print_problems(report.problems)
    if write and report.proposals:
        append_entries(config, [p.to_toml() for p in report.proposals])
        typer.echo(f"discover: {report.summary()}; appended to {config}", err=True)
    else:
        entries = "\n".join(p.to_toml() for p in report.proposals)
        if entries:
            typer.echo(entries, nl=False)
        typer.echo(f"discover: {report.summary()}", err=True)
    raise typer.Exit(1 if report.problems else 0)


@app.command()
def run(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="Sources file (TOML); else a folder.")
    ] = None,
    folder: Annotated[
        Path, typer.Option("--folder", help="Folder to process without a config.")
    ] = Path("corpus"),
    db: Annotated[
        Path | None,
        typer.Option("--db", help="SQLite store (default <output>/disclosures.sqlite)."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where exports go.")] = Path("out"),
    since: Annotated[
        str | None, typer.Option("--since", help="Fetch from this date (YYYY-MM-DD).")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only errors and the summary line.")
    ] = False,
) -> None:
    """Fetch new documents (or scan a folder), extract, store and export; safe under cron.

    Exit codes: 0 ok, 1 some sources or documents failed, 2 usage or configuration error,
    75 another run holds the lock."""
    from parser import pipeline
    from parser.config import load_config
    from parser.rules import load_rules

    database = db or output / "disclosures.sqlite"
    try:
        sources = load_config(config, load_rules()) if config else None
    except ConfigError as exc:
        _usage_error(str(exc))
    if sources is None and not folder.is_dir():
        _usage_error(f"{folder} is not a folder; give one, or --config")
    log = _logger(quiet)
    try:
        with (
            _locked(database),
            _status("starting", quiet) as status,
            _open_store(database) as store,
        ):
            report = pipeline.run(
                store,
                pipeline.default_extractor(),
                output,
                folder=None if sources else folder,
                config=sources,
                since=since,
                log=log,
                progress=status,
            )
    except ConfigError as exc:
        _usage_error(str(exc))
    for problem in report.problems:
        log(f"error: {problem.message} [{problem.code}]")
    typer.echo(f"run: {report.summary()}; store {database}", err=True)
    raise typer.Exit(EXIT_FAILED if report.problems else EXIT_OK)


@app.command()
def reextract(
    db: Annotated[Path, typer.Option("--db", help="SQLite store.")] = Path(
        "out/disclosures.sqlite"
    ),
    output: Annotated[Path, typer.Option("--output", "-o", help="Where exports go.")] = Path("out"),
    all_documents: Annotated[bool, typer.Option("--all", help="Every stored document.")] = False,
    since: Annotated[
        str | None, typer.Option("--since", help="Documents first seen from this date.")
    ] = None,
) -> None:
    """Extract stored documents again after the rules changed (by default those extracted with
    older rules), without fetching."""
    from parser import pipeline

    with _locked(db), _open_store(db) as store:
        report = pipeline.reextract(
            store, pipeline.default_extractor(), output, all_documents, since
        )
    typer.echo(f"reextract: {report.summary()}", err=True)
    raise typer.Exit(EXIT_FAILED if report.problems else EXIT_OK)


@app.command()
def facts(
    company: Annotated[str | None, typer.Option("--company", help="Ticker or name.")] = None,
    type: Annotated[
        str | None,
        typer.Option("--type", parser=_checked(check_type), help="Fact type, e.g. btc_produced."),
    ] = None,
    since: Annotated[str | None, SINCE] = None,
    until: Annotated[str | None, UNTIL] = None,
    format: Annotated[str, FORMAT] = "table",
    db: Annotated[Path, DB_OPTION] = Path("out/disclosures.sqlite"),
) -> None:
    """Query the stored facts."""
    from parser.render import print_facts

    _require_db(db)
    with _open_store(db) as store:
        name = _company(store, company)
        print_facts(store.facts(name, type, since, until), format)


@app.command()
def timeseries(
    company: Annotated[str, typer.Option("--company", help="Ticker or name.")],
    metric: Annotated[str, _choice(tuple(METRICS), "--metric", help="What to list.")] = "holdings",
    format: Annotated[str, FORMAT] = "table",
    db: Annotated[Path, DB_OPTION] = Path("out/disclosures.sqlite"),
) -> None:
    """One row per period for a company's metric; the latest document wins."""
    from parser.render import print_series

    _require_db(db)
    with _open_store(db) as store:
        name = _company(store, company)
        print_series(store.timeseries(name or company, metric), metric, format)


@app.command()
def check(
    company: Annotated[str | None, typer.Option("--company", help="Ticker or name.")] = None,
    tolerance: Annotated[
        float | None,
        typer.Option(
            "--tolerance", help="Fixed slack in BTC (default: the rounding of the figures)."
        ),
    ] = None,
    format: Annotated[str, FORMAT] = "table",
    db: Annotated[Path, DB_OPTION] = Path("out/disclosures.sqlite"),
) -> None:
    """Ledger check: holdings(t) should equal holdings(t-1) + produced + purchased - sold.

    Every period between two disclosed holdings is listed: it agrees, disagrees (exit 1), or
    cannot be checked (a monthly figure is missing, a flow has no period)."""
    from parser.render import print_check

    _require_db(db)
    with _open_store(db) as store:
        result = store.ledger_check(_company(store, company), tolerance)
    print_check(result, format)
    typer.echo(f"check: {result.summary()}", err=True)
    raise typer.Exit(1 if result.disagreements else 0)


@app.command()
def table(
    metric: Annotated[str, _choice(tuple(METRICS), "--metric", help="What to tabulate.")],
    by: Annotated[str, _choice(("month", "quarter"), "--by", help="Period columns.")] = "month",
    status: Annotated[
        str | None,
        _choice(HASHRATE_STATUSES, "--status", help="Hashrate status (default: the preferred)."),
    ] = None,
    format: Annotated[str, FORMAT] = "table",
    db: Annotated[Path, DB_OPTION] = Path("out/disclosures.sqlite"),
) -> None:
    """Company × period table: one row per company, one column per month or quarter; `~` marks
    approximate figures, a period without a figure is empty."""
    from parser.render import print_period_table

    if status and metric != "hashrate":
        _usage_error("--status applies to --metric hashrate only")
    _require_db(db)
    with _open_store(db) as store:
        print_period_table(store.table(metric, by, status), format)


def _company(store: Store, name: str | None) -> str | None:
    """The canonical name of `--company`, or a usage error naming the closest companies."""
    if name is None:
        return None
    try:
        return store.resolve_company(name)
    except FilterError as exc:
        _usage_error(f"--company: {exc}")


def _require_db(db: Path) -> None:
    if not db.is_file():
        _usage_error(f"no store at {db}; run `disclosures run` first or pass --db")


@app.command()
def report(
    db: Annotated[Path, typer.Option("--db", help="SQLite store.")] = Path(
        "out/disclosures.sqlite"
    ),
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the report.")] = Path(
        "out/report"
    ),
) -> None:
    """Build the evidence report (static HTML with charts) from the store."""
    from parser.report import build_report

    _require_db(db)
    with _open_store(db) as store:
        index = build_report(store, output)
    typer.echo(f"report: {index.resolve()}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output format (disclosure-facts/1)."""
    typer.echo(json.dumps(json_schema(), indent=2))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="gold.jsonl with hand-labelled facts.")],
    docs: Annotated[Path, typer.Argument(help="Folder holding the documents gold.jsonl names.")],
    only: Annotated[
        str | None, typer.Option("--only", help="Document numbers, e.g. 000-019,030,042-048.")
    ] = None,
    show_misses: Annotated[
        bool, typer.Option("--misses", help="List every miss and extra.")
    ] = False,
) -> None:
    """Print precision, recall and F1 per fact type against labelled documents."""
    from parser.evaluate import evaluate as run_evaluation

    if not gold.is_file() or not docs.is_dir():
        _usage_error(f"need a gold file and a documents folder; got {gold} and {docs}")
    selection = _select(gold, only) if only else None
    report = run_evaluation(gold, docs, selection)
    typer.echo(report.table())
    if show_misses:
        typer.echo("\n".join(report.misses))
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)


def _extract_all(
    paths: list[str], extractor: Extractor | None, workers: int
) -> Iterator[tuple[str, Extraction]]:
    """Each document's extraction as soon as it is done, in input order."""
    from parser.fetch.folders import expand_paths
    from parser.pipeline import extract_many, extract_raw, failed

    for raw in paths:
        if raw == "-":
            yield "<stdin>", extract_raw(sys.stdin.buffer.read(), "<stdin>", extractor)
            continue
        path = Path(raw)
        if not path.exists():
            problem = Problem("load.not_found", "load", f"{raw}: no such file or folder")
            yield raw, failed(raw, problem)
            continue
        files = list(expand_paths([path]))
        names = [_relative_name(path, file) for file in files]
        yield from zip(names, extract_many(files, extractor, workers), strict=True)


@contextmanager
def _progress(paths: list[str]) -> Iterator[Callable[[], None]]:
    """A progress bar on a terminal (stderr); elsewhere nothing."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    from parser.fetch.folders import expand_paths

    total = sum(
        len(list(expand_paths([Path(raw)]))) if raw != "-" and Path(raw).exists() else 1
        for raw in paths
    )
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=total)
        yield lambda: bar.advance(task)


def _extractor(rules: Path | None) -> Extractor:
    from parser.pipeline import extractor_for
    from parser.rules import load_rules

    try:
        return extractor_for(load_rules(rules) if rules else None)
    except RuleError as exc:
        _usage_error(f"bad rules: {exc}")


def _relative_name(root: Path, file: Path) -> str:
    if root.is_dir():
        return file.relative_to(root).as_posix()
    return file.name


def _write_document(
    folder: Path, source: str, extraction: Extraction, include_text: bool, used: set[str]
) -> None:
    """One pretty JSON file per document; two inputs with the same name (`a/x.txt`, `b/x.txt`)
    never overwrite each other."""
    name = (
        re.sub(r"[^A-Za-z0-9._-]+", "_", source.replace("/", "__")).strip("._")[:150] or "document"
    )
    if source == "<stdin>":
        name = f"stdin-{extraction.document.id[:12] or 'unreadable'}"
    while name in used:
        name = f"{name}-{len(used)}"
    used.add(name)
    write_atomic(folder / f"{name}.json", dumps(extraction.to_dict(include_text), pretty=True))


def _select(gold: Path, only: str) -> set[str]:
    """`000-019,030,042-048` -> the names of those documents in `gold`."""
    ranges = []
    for part in only.split(","):
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part.strip())
        if not match:
            _usage_error(f"--only takes ranges like 000-019,030, not {only!r}")
        ranges.append((int(match.group(1)), int(match.group(2) or match.group(1))))
    names = [json.loads(line)["doc"] for line in gold.read_text().splitlines() if line.strip()]
    return {
        n for n in names if n[:3].isdigit() and any(lo <= int(n[:3]) <= hi for lo, hi in ranges)
    }


def _usage_error(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@contextmanager
def _locked(database: Path) -> Iterator[None]:
    """The store's run lock, or exit 75 when another run holds it (2 when the database is
    named like its lock)."""
    from parser.lock import Locked, lock_path, run_lock

    try:
        lock = lock_path(database)
    except ConfigError as exc:
        _usage_error(str(exc))
    try:
        with run_lock(lock):
            yield
    except Locked as exc:
        typer.echo(f"error: {exc}; exiting", err=True)
        raise typer.Exit(EXIT_LOCKED) from exc


def _open_store(db: Path) -> Store:
    """Open the store or exit 2 with the reason (a corrupt file is never silently reset)."""
    from parser.store import Store

    try:
        return Store(db)
    except ParserError as exc:
        _usage_error(str(exc))


@contextmanager
def _status(start: str, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """A running status line on a terminal (stderr); elsewhere, or when quiet, nothing."""
    if quiet or not sys.stderr.isatty():
        yield lambda line: None
        return
    from rich.console import Console

    with Console(stderr=True).status(start) as status:
        yield lambda line: status.update(line)


def _logger(quiet: bool) -> Callable[[str], None]:
    def log(line: str) -> None:
        if not quiet or line.startswith("error"):
            stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            typer.echo(f"{stamp} {line}", err=True)

    return log


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        typer.echo(f"error: {problem.message} [{problem.code}]", err=True)
