"""Library ergonomics: paths of every kind, one flat record shape, DataFrames, the extract
progress and summary, and the Datasette-ready store."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser import Store, extract
from parser.cli import app
from parser.records import RECORD_COLUMNS
from tests.analyst_docs import DOCS, build_store
from tests.conftest import CORPUS

runner = CliRunner()
SEMLER = CORPUS / "semler-purchase-markdown" / "raw.md"


class PathLikeOnly:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


def test_extract_takes_any_path_like() -> None:
    by_path = extract(SEMLER)
    assert by_path.facts
    assert extract(PathLikeOnly(SEMLER)).to_dict() == by_path.to_dict()


def test_a_str_naming_a_file_warns_and_points_to_path() -> None:
    with pytest.warns(UserWarning, match=r"Path\("):
        result = extract(str(SEMLER))
    assert result.facts == ()  # the file name itself is the text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert extract("Zeta Mining Inc. (NYSE: ZETM) mined 150 BTC in January 2025.").facts


def test_store_takes_str_and_path(tmp_path: Path) -> None:
    with Store(str(tmp_path / "a.sqlite")) as store:
        assert store.path == tmp_path / "a.sqlite" and store.facts() == []


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("records"))


def test_one_flat_record_shape_everywhere(db: Path) -> None:
    path = db.parent / "docs" / "acme-2025-02.txt"
    records = extract(path).to_records()
    assert records and all(list(r) == list(RECORD_COLUMNS) for r in records)
    with Store(db) as store:
        stored = store.records(company="ACMH", until="2025-03")
    assert stored == records
    result = runner.invoke(app, ["extract", str(path), "--format", "csv"])
    assert list(csv.DictReader(io.StringIO(result.stdout))) == [
        {k: "" if v is None else str(v) for k, v in r.items()} for r in records
    ]
    result = runner.invoke(app, ["facts", "--db", str(db), "--company", "ACMH", "--until",
                                 "2025-03", "--format", "csv"])  # fmt: skip
    assert result.stdout.splitlines()[0] == ",".join(RECORD_COLUMNS)


def test_dataframes(db: Path) -> None:
    pytest.importorskip("pandas")
    frame = extract(db.parent / "docs" / "zeta-q1.txt").to_dataframe()
    assert list(frame.columns) == list(RECORD_COLUMNS)
    assert frame["value"].tolist() == [150, 160, 170]
    with Store(db) as store:
        assert len(store.to_dataframe(type="btc_produced")) == 5


def test_extract_prints_a_summary_line(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 nothing")
    result = runner.invoke(app, ["extract", str(SEMLER), str(tmp_path / "broken.pdf")])
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("extract: 2 document(s), 2 fact(s), 1 failed, ")
    assert summary.endswith(" docs/s")


def test_extract_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    for name, text in DOCS.items():
        (tmp_path / name).write_text(text)
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "parser", "extract", str(tmp_path)], stdout=subprocess.PIPE,
        stderr=follower, timeout=120,
    )  # fmt: skip
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"extracting" in shown and b"100%" in shown
    assert b"extracting" not in done.stdout
    piped = runner.invoke(app, ["extract", str(tmp_path)])
    assert "extracting" not in piped.stderr and "%" not in piped.stderr


def test_datasette_ready_store(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    result = runner.invoke(app, ["run", "--folder", str(docs), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    metadata = json.loads((tmp_path / "out" / "metadata.json").read_text())
    tables = metadata["databases"]["disclosures"]["tables"]
    assert {"current_facts", "monthly"} <= set(tables)
    db = sqlite3.connect(tmp_path / "out" / "disclosures.sqlite")
    evidence = db.execute(
        "SELECT evidence_text, source FROM current_facts WHERE company = 'Zeta Mining'"
        " AND period = '2025-02'"
    ).fetchone()
    assert evidence[0] == "Zeta Mining Inc. mined 160 BTC in February 2025."
    assert evidence[1].endswith("zeta-q1.txt")
    monthly = db.execute(
        "SELECT company, metric, month, value, approximate FROM monthly"
        " WHERE metric IN ('produced', 'holdings') ORDER BY company, metric, month"
    ).fetchall()
    assert monthly == [
        ("Acme Hash", "holdings", "2025-02", 1200, 0), ("Acme Hash", "holdings", "2025-04", 1850, 0),
        ("Acme Hash", "produced", "2025-02", 300, 0), ("Acme Hash", "produced", "2025-04", 320, 1),
        ("Zeta Mining", "produced", "2025-01", 150, 0), ("Zeta Mining", "produced", "2025-02", 160, 0),
        ("Zeta Mining", "produced", "2025-03", 170, 0),
    ]  # fmt: skip
    (count,) = db.execute("SELECT count(*) FROM current_facts").fetchone()
    with Store(tmp_path / "out" / "disclosures.sqlite") as store:
        assert count == len(store.facts())
