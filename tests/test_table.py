"""`disclosures table` and `Store.table`: company × period tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser.cli import app
from parser.query import FilterError
from parser.store import Store
from tests.analyst_docs import build_store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("table"))


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def test_one_row_per_company_one_column_per_month(db: Path) -> None:
    code, out, err = invoke("table", "--metric", "produced", "--db", str(db), "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["company", "2025-01", "2025-02", "2025-03", "2025-04"]
    assert rows[1:] == [
        ["Acme Hash", "", "300", "", "~320"],  # March missing stays empty; April approximate
        ["Zeta Mining", "150", "160", "170", ""],
    ]


def test_quarters_sum_complete_months_only(db: Path) -> None:
    with Store(db) as store:
        table = store.table("produced", by="quarter")
    assert table.periods == ("2025-Q1",)
    assert table.to_records() == [{"company": "Zeta Mining", "2025-Q1": 480}]


def test_stocks_take_the_latest_figure_of_the_period(db: Path) -> None:
    code, out, _ = invoke("table", "--metric", "holdings", "--db", str(db), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["periods"] == ["2025-02", "2025-04"]
    acme = payload["companies"][0]
    assert acme["company"] == "Acme Hash"
    assert {p: v["value"] for p, v in acme["values"].items()} == {"2025-02": 1200, "2025-04": 1850}
    assert acme["values"]["2025-04"]["sources"][0].endswith("acme-2025-04.md")


def test_hashrate_by_status(db: Path) -> None:
    code, out, _ = invoke(
        "table", "--metric", "hashrate", "--status", "operational", "--db", str(db),
        "--format", "csv",
    )  # fmt: skip
    assert code == 0
    assert list(csv.reader(io.StringIO(out)))[1] == ["Acme Hash", "20.5"]
    code, out, _ = invoke("table", "--metric", "hashrate", "--status", "target", "--db", str(db))
    assert code == 0 and "Acme" not in out
    code, _, err = invoke("table", "--metric", "hashrate", "--status", "fast", "--db", str(db))
    assert code == 2 and "operational" in err


def test_terminal_table_marks_approximate_and_fits(db: Path) -> None:
    result = runner.invoke(
        app, ["table", "--metric", "produced", "--db", str(db)], env={"COLUMNS": "50"}
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 50
    assert "~320" in result.stdout and "2025-04" in result.stdout  # the latest periods are kept
    assert "left out" in result.stdout


def test_the_library_checks_its_arguments(db: Path) -> None:
    with Store(str(db)) as store, pytest.raises(FilterError, match="holdings"):
        store.table("holding")


def test_table_dataframe(db: Path) -> None:
    pytest.importorskip("pandas")
    with Store(db) as store:
        frame = store.table("produced").to_dataframe()
    assert frame.loc["Zeta Mining", "2025-03"] == 170
    assert list(frame.columns) == ["2025-01", "2025-02", "2025-03", "2025-04"]
