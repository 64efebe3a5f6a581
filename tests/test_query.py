"""Query commands an analyst relies on: checked filters, formats, and a start-up without spaCy."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser import pipeline
from parser.cli import app
from parser.pipeline import default_extractor
from parser.query import FilterError, parse_day
from parser.store import Store
from tests.conftest import CORPUS

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("query")
    with Store(root / "store.sqlite") as store:
        pipeline.run(store, default_extractor(), root / "out", folder=CORPUS)
    return str(root / "store.sqlite")


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def facts_json(db: str, *args: str) -> list[dict[str, object]]:
    code, out, err = invoke("facts", "--db", db, "--format", "json", *args)
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


@pytest.mark.parametrize("bad", ["01/06/2025", "yesterday", "2025-13-45", "2025-02-30", "2025-7"])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_malformed_dates_are_refused_with_the_format(db: str, option: str, bad: str) -> None:
    code, out, err = invoke("facts", "--db", db, option, bad)
    assert code == 2 and out == ""
    assert "YYYY-MM-DD or YYYY-MM" in err and bad in err


def test_dates_filter_as_dates_and_months_cover_the_whole_month(db: str) -> None:
    every = facts_json(db)
    dates = sorted(str(f["fact_date"]) for f in every if f["fact_date"])
    assert dates[0] < "2025-06-01" < dates[-1]  # the corpus spans the boundary
    later = facts_json(db, "--since", "2025-06-01")
    assert later and len(later) < len(every)
    assert all(str(f["fact_date"]) >= "2025-06-01" for f in later)
    assert facts_json(db, "--since", "2025-06") == later
    june = facts_json(db, "--since", "2025-06", "--until", "2025-06")
    assert june and {str(f["fact_date"])[:7] for f in june} == {"2025-06"}
    assert any(str(f["fact_date"]).endswith("-30") for f in june)


def test_the_library_refuses_bad_dates_too(db: str) -> None:
    with Store(db) as store, pytest.raises(FilterError, match="YYYY-MM-DD"):
        store.facts(since="01/06/2025")
    assert parse_day("2024-02", end=True) == "2024-02-29"
    assert parse_day("2025-07") == "2025-07-01"


def test_unknown_type_is_refused_with_the_closest_type(db: str) -> None:
    code, _, err = invoke("facts", "--db", db, "--type", "btc_prod")
    assert code == 2 and "btc_produced" in err
    assert [f["type"] for f in facts_json(db, "--type", "btc_sold")] == ["btc_sold"] * len(
        facts_json(db, "--type", "btc_sold")
    )


def test_unknown_company_is_refused_with_the_closest_names(db: str) -> None:
    code, out, err = invoke("facts", "--db", db, "--company", "NOPE")
    assert code == 2 and out == "" and "NOPE" in err
    code, _, err = invoke("facts", "--db", db, "--company", "Riot Platfroms")
    assert code == 2 and "Riot Platforms, Inc." in err
    code, _, err = invoke("timeseries", "--db", db, "--company", "Clenspark")
    assert code == 2 and "CleanSpark, Inc." in err
    by_ticker = facts_json(db, "--company", "riot")
    assert by_ticker and {f["company"] for f in by_ticker} == {"Riot Platforms, Inc."}


@pytest.mark.parametrize(
    ("command", "shown"), [(["facts"], "company"), (["timeseries", "--company", "RIOT"], "period")]
)
def test_list_commands_take_every_format(db: str, command: list[str], shown: str) -> None:
    outputs = {
        fmt: invoke(*command, "--db", db, "--format", fmt)
        for fmt in ("table", "csv", "json", "jsonl")
    }
    assert all(code == 0 for code, _, _ in outputs.values())
    rows = json.loads(outputs["json"][1])
    assert rows and [json.loads(line) for line in outputs["jsonl"][1].splitlines()] == rows
    table = list(csv.DictReader(io.StringIO(outputs["csv"][1])))
    assert len(table) == len(rows) and "source" in table[0]
    assert all(str(row[shown]) in outputs["table"][1] for row in rows)
    code, _, err = invoke(*command, "--db", db, "--format", "xml")
    assert code == 2 and "table, csv, json, jsonl" in err


def test_tables_fit_the_terminal(db: str) -> None:
    result = runner.invoke(app, ["facts", "--db", db], env={"COLUMNS": "72"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 72


def test_help_shows_the_date_format_and_no_placeholders() -> None:
    text = invoke("facts", "--help")[1] + invoke("run", "--help")[1]
    assert "YYYY-MM-DD" in text and "<bool>" not in text


STARTUP = """
import sys
from typer.main import get_command
from parser.cli import app
try:
    get_command(app).main(sys.argv[1:], prog_name="disclosures", standalone_mode=False)
except SystemExit:
    pass
print("SPACY" if "spacy" in sys.modules else "NO-SPACY")
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["facts"], ["timeseries", "--company", "RIOT"], ["check"], ["report", "-o", "R"]],
)
def test_commands_that_do_not_extract_never_import_spacy(
    db: str, args: list[str], tmp_path: Path
) -> None:
    if args != ["--help"]:
        args = [*args, "--db", db]
    done = subprocess.run(
        [sys.executable, "-c", STARTUP, *args], capture_output=True, text=True, cwd=tmp_path,
        timeout=120,
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "NO-SPACY", done.stderr[-2000:]


def test_extract_still_loads_the_extractor(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Zeta Mining Corp. (NASDAQ: ZETA) mined 45 BTC in May 2025.")
    done = subprocess.run(
        [sys.executable, "-c", STARTUP, "extract", str(tmp_path / "a.txt")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "SPACY"
    assert json.loads(done.stdout.splitlines()[0])["facts"][0]["value"] == 45
