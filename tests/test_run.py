"""`disclosures run` and the store: idempotence, versions, the lock, kill -9, queries, ledger."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser import pipeline
from parser.cli import EXIT_LOCKED, app
from parser.extract import Extractor
from parser.history import ledger_gaps, timeseries
from parser.lock import lock_path, run_lock
from parser.output import validate
from parser.pipeline import default_extractor, extract_path
from parser.rules import load_rules
from parser.store import Store
from tests.conftest import CORPUS, RULES

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for slug in ("riot-8k-exhibit-production", "bitfarms-mixed-ledger", "semler-purchase-markdown"):
        raw = next((CORPUS / slug).glob("raw.*"))
        shutil.copy(raw, folder / f"{slug}{raw.suffix}")
    return folder


def test_second_run_is_a_no_op(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = invoke("run", "--folder", str(docs), "-o", str(out))
    assert code == 0, err
    assert "3 new document(s)" in err and "3 extracted" in err
    export = out / "facts.json"
    stamp = export.stat().st_mtime_ns
    code, _, err = invoke("run", "--folder", str(docs), "-o", str(out))
    assert code == 0
    assert "nothing new: 3 document(s) unchanged, nothing extracted, nothing written" in err
    assert export.stat().st_mtime_ns == stamp
    with Store(out / "disclosures.sqlite") as store:
        assert store.db.execute("SELECT count(*) FROM extractions").fetchone()[0] == 3


def test_changed_document_supersedes_its_old_facts(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("run", "--folder", str(docs), "-o", str(out))
    release = docs / "semler-purchase-markdown.md"
    release.write_text(release.read_text().replace("237 BTC", "238 BTC"))
    code, _, err = invoke("run", "--folder", str(docs), "-o", str(out))
    assert code == 0 and "1 new document(s)" in err
    with Store(out / "disclosures.sqlite") as store:
        purchases = store.facts(type="btc_purchased", company="SMLR")
        assert [f.value for f in purchases] == [238]
        assert (
            store.db.execute(
                "SELECT count(*) FROM documents WHERE superseded_by IS NOT NULL"
            ).fetchone()[0]
            == 1
        )
    exported = json.loads((out / "facts.json").read_text())
    semler = [
        f["value"]
        for document in exported
        for f in document["facts"]
        if f["type"] == "btc_purchased" and f["company"]["ticker"] == "SMLR"
    ]
    assert semler == [238]
    assert len(exported) == 3  # the superseded version is not exported


def test_the_export_is_the_output_contract(docs: Path, tmp_path: Path) -> None:
    """`facts.json` lists the current documents as `extract` prints them, schema-valid; an
    unreadable document is there with its error."""
    (docs / "broken.pdf").write_bytes(b"%PDF-1.7 truncated garbage")
    out = tmp_path / "out"
    assert invoke("run", "--folder", str(docs), "-o", str(out))[0] == 1
    exported = json.loads((out / "facts.json").read_text())
    for document in exported:
        validate(document)
    by_source = {d["document"]["source"]: d for d in exported}
    assert set(by_source) == {str(path) for path in docs.iterdir()}
    broken = docs / "broken.pdf"
    for path in sorted(set(docs.iterdir()) - {broken}):
        assert by_source[str(path)] == extract_path(path).to_dict()
    failed = by_source[str(broken)]
    assert [e["code"] for e in failed["errors"]] == ["load.pdf_broken"] and not failed["facts"]
    assert failed["document"]["id"] == hashlib.sha256(broken.read_bytes()).hexdigest()
    assert sum(len(d["facts"]) for d in exported) > 10


def test_a_second_run_exits_75_while_the_first_holds_the_lock(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with run_lock((out / "disclosures.sqlite").with_suffix(".lock")):
        started = time.monotonic()
        code, _, err = invoke("run", "--folder", str(docs), "-o", str(out))
    assert code == EXIT_LOCKED
    assert "another disclosures run holds the lock" in err
    assert time.monotonic() - started < 5
    assert invoke("run", "--folder", str(docs), "-o", str(out))[0] == 0


@pytest.mark.parametrize("command", ["run", "reextract"])
def test_a_database_named_like_its_lock_is_refused_untouched(
    docs: Path, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "out"
    assert invoke("run", "--folder", str(docs), "-o", str(out))[0] == 0
    database = out / "disclosures.lock"
    (out / "disclosures.sqlite").rename(database)
    before = database.read_bytes()
    extra = ["--folder", str(docs)] if command == "run" else []
    code, _, err = invoke(command, *extra, "--db", str(database), "-o", str(out))
    assert code == 2, err
    assert "cannot be named like its lock file" in err and "Traceback" not in err
    assert database.read_bytes() == before
    with Store(database) as store:
        assert store.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 3


def test_a_symlinked_database_path_takes_the_same_lock(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", "--folder", str(docs), "-o", str(out))[0] == 0
    link = tmp_path / "elsewhere" / "alias.sqlite"
    link.parent.mkdir()
    link.symlink_to(out / "disclosures.sqlite")
    assert lock_path(link) == lock_path(out / "disclosures.sqlite")
    with run_lock(lock_path(out / "disclosures.sqlite")):
        code, _, err = invoke("run", "--folder", str(docs), "--db", str(link), "-o", str(out))
        assert code == EXIT_LOCKED, err
        code, _, err = invoke("reextract", "--all", "--db", str(link), "-o", str(out))
        assert code == EXIT_LOCKED, err


def test_two_concurrent_processes(docs: Path, tmp_path: Path) -> None:
    many = _replicate(docs, tmp_path / "many", 40)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "parser", "run", "--folder", str(many), "-o", str(out), "-q"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    _wait_until_locked(out / "disclosures.lock", first)
    second = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.wait(timeout=120) == 0
    assert second.returncode in (0, EXIT_LOCKED)
    if second.returncode == EXIT_LOCKED:
        assert "holds the lock" in second.stderr
    _assert_consistent(out, expected_documents=120)


def _wait_until_locked(lock: Path, process: subprocess.Popen[str]) -> None:
    """Until `process` holds the run lock (it writes its PID there once it has it) or has
    ended: a fixed sleep loses the race on a loaded machine, where it may not have started."""
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(process.pid):
            return
        time.sleep(0.02)


@pytest.mark.parametrize("delay", [0.8, 1.4, 2.0, 2.6])
def test_kill_9_then_rerun_loses_and_duplicates_nothing(
    docs: Path, tmp_path: Path, delay: float
) -> None:
    many = _replicate(docs, tmp_path / "many", 40)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "parser", "run", "--folder", str(many), "-o", str(out), "-q"]
    victim = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if victim.poll() is None:
        os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    _assert_consistent(out, expected_documents=120)


def _replicate(docs: Path, target: Path, copies: int) -> Path:
    """`copies` distinct versions of each document (a numbered line makes each one unique)."""
    target.mkdir()
    for source in sorted(docs.iterdir()):
        raw = source.read_bytes()
        for number in range(copies):
            marker = (
                f"\n<!-- copy {number} -->\n"
                if source.suffix in (".htm", ".html")
                else f"\n\nCopy {number}.\n"
            )
            (target / f"{source.stem}-{number:03d}{source.suffix}").write_bytes(
                raw + marker.encode()
            )
    return target


def _assert_consistent(out: Path, expected_documents: int) -> None:
    db = sqlite3.connect(out / "disclosures.sqlite")
    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    current = db.execute("SELECT count(*) FROM extractions WHERE current = 1").fetchone()[0]
    orphans = db.execute(
        "SELECT count(*) FROM facts WHERE extraction NOT IN (SELECT id FROM extractions)"
    ).fetchone()[0]
    per_document = db.execute(
        "SELECT max(n) FROM (SELECT count(*) n FROM extractions WHERE current = 1 GROUP BY document)"
    ).fetchone()[0]
    facts = db.execute(
        "SELECT count(*) FROM facts WHERE extraction IN (SELECT id FROM extractions WHERE current = 1)"
    ).fetchone()[0]
    db.close()
    assert documents == current == expected_documents
    assert per_document == 1 and orphans == 0
    exported = json.loads((out / "facts.json").read_text())
    assert sum(len(document["facts"]) for document in exported) == facts
    with Store(out / "disclosures.sqlite") as store:
        assert store.meta("export_state") == store.state()


def test_corrupt_database_is_an_error_not_a_reset(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    db = out / "disclosures.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    code, _, err = invoke("run", "--folder", str(docs), "-o", str(out))
    assert code == 2
    assert "disclosures.sqlite" in err and "not a usable SQLite database" in err
    assert db.read_bytes() == b"this is not a database" * 100


def test_facts_query_formats(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("run", "--folder", str(docs), "-o", str(out))
    db = str(out / "disclosures.sqlite")
    code, text, _ = invoke(
        "facts", "--db", db, "--company", "RIOT", "--type", "btc_produced", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(row["value"], row["period"]) for row in rows] == [
        ("477", "2025-08"),
        ("445", "2025-09"),
    ]
    assert "Bitcoin Produced | 445 | 477" in rows[0]["evidence_text"].split(" … ")  # every span
    code, text, _ = invoke(
        "facts", "--db", db, "--since", "2025-09-01", "--until", "2025-09-30", "--format", "json"
    )
    rows = json.loads(text)
    assert rows and all("2025-09-01" <= row["fact_date"] <= "2025-09-30" for row in rows)
    assert {row["company"] for row in rows} == {"Riot Platforms, Inc.", "Bitfarms Ltd."}
    code, text, _ = invoke("facts", "--db", db, "--company", "SMLR", "--format", "jsonl")
    assert [json.loads(line)["type"] for line in text.splitlines()] == [
        "btc_purchased",
        "btc_holdings",
    ]
    code, text, _ = invoke("facts", "--db", db, "--format", "table")
    assert code == 0 and "Riot Platforms, Inc." in text
    code, text, _ = invoke(
        "timeseries", "--db", db, "--company", "RIOT", "--metric", "holdings", "--format", "csv"
    )
    assert [(row["period"], row["value"]) for row in csv.DictReader(io.StringIO(text))] == [
        ("2025-08-31", "19239"),
        ("2025-09-30", "19287"),
    ]


def test_queries_need_an_existing_store(tmp_path: Path) -> None:
    code, _, err = invoke("facts", "--db", str(tmp_path / "none.sqlite"))
    assert code == 2 and "disclosures run" in err
    assert not (tmp_path / "none.sqlite").exists()


HISTORY = {
    "2025-01.txt": "Acme Hash Corp. (NASDAQ: ACMH) held 1,000 BTC as of January 31, 2025.",
    "2025-02.txt": (
        "Acme Hash Corp. (NASDAQ: ACMH) produced 300 BTC in February 2025 and sold 100 BTC in "
        "February 2025. Acme held 1,200 BTC as of February 28, 2025."
    ),
    "2025-03.txt": (
        "Acme Hash Corp. (NASDAQ: ACMH) produced 310 BTC in March 2025 and sold 50 BTC in March "
        "2025. Acme held 1,700 BTC as of March 31, 2025."
    ),
}


def test_ledger_check_on_a_synthetic_history(tmp_path: Path) -> None:
    folder = tmp_path / "history"
    folder.mkdir()
    for name, text in HISTORY.items():
        (folder / name).write_text(text)
    with Store(tmp_path / "store.sqlite") as store:
        pipeline.run(store, default_extractor(), tmp_path / "out", folder=folder)
        assert [(p.period, p.value) for p in timeseries(store, "ACMH", "holdings")] == [
            ("2025-01-31", 1000), ("2025-02-28", 1200), ("2025-03-31", 1700),
        ]  # fmt: skip
        gaps = ledger_gaps(store, "ACMH")
        assert store.ledger_gaps("ACMH") == gaps
        assert store.timeseries("ACMH", "produced") == timeseries(store, "ACMH", "produced")
    assert len(gaps) == 1  # February adds up (1000 + 300 - 100); March does not (1200 + 310 - 50)
    gap = gaps[0]
    assert (gap.start, gap.end, gap.expected, gap.difference) == (
        "2025-02-28",
        "2025-03-31",
        1460,
        240,
    )
    assert gap.documents == (str(folder / "2025-02.txt"), str(folder / "2025-03.txt"))
    code, text, _ = invoke("check", "--db", str(tmp_path / "store.sqlite"), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert code == 1 and [(r["status"], r["difference"]) for r in rows] == [
        ("agrees", "0.0"),
        ("disagrees", "240.0"),
    ]


def test_reextract_after_a_rules_change(docs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Store(tmp_path / "store.sqlite") as store:
        pipeline.run(store, default_extractor(), out, folder=docs)
        assert (
            pipeline.reextract(
                store, default_extractor(), out, everything=False, since=None
            ).extracted
            == 0
        )
        changed = tmp_path / "rules"
        shutil.copytree(RULES, changed)
        (changed / "hedges.yaml").write_text(
            (changed / "hedges.yaml").read_text() + "  - well over\n"
        )
        report = pipeline.reextract(
            store, Extractor(load_rules(changed)), out, everything=False, since=None
        )
        assert report.extracted == 3 and report.export == out / "facts.json"
        versions = {
            row[0]
            for row in store.db.execute("SELECT rules_version FROM extractions WHERE current = 1")
        }
        assert versions == {load_rules(changed).version}
        assert pipeline.export(store, out) is None


def test_run_with_sources_fetches_extracts_and_remembers_sources(tmp_path: Path) -> None:
    from parser.config import parse_config
    from tests.http_fixtures import FixtureServer

    with FixtureServer() as server:
        config = parse_config(
            {
                "edgar": {
                    "user_agent": "Tests tests@example.com",
                    "forms": ["8-K"],
                    "data_url": server.base,
                    "archives_url": server.base,
                    "rate_limit": 50,
                },
                "http": {"retries": 0, "allow_private_networks": True},
                "company": [
                    {"ticker": "RIOT"},
                    {
                        "ticker": "HUT",
                        "edgar": False,
                        "feeds": [f"{server.base}/feeds/hut8-atom.xml"],
                    },
                ],
            },
            load_rules(),
        )
        with Store(tmp_path / "store.sqlite") as store:
            first = pipeline.run(
                store, default_extractor(), tmp_path / "out", config=config, since="2024-11-01"
            )
            second = pipeline.run(
                store, default_extractor(), tmp_path / "out", config=config, since="2024-11-01"
            )
            sources = store.db.execute("SELECT url, kind FROM sources ORDER BY kind").fetchall()
            purchases = store.facts(type="btc_purchased")
    # 4 EDGAR press releases (an 8-K body is read only when its filing has no press release)
    # and the Hut 8 feed's page.
    assert first.new_documents == 5 and first.extracted == 5 and not first.problems
    assert (second.new_documents, second.extracted, second.export) == (0, 0, None)
    assert sources == [
        ("edgar:cik:1167419", "edgar"),
        (f"{server.base}/feeds/hut8-atom.xml", "feed"),
    ]
    assert [(f.company, f.value) for f in purchases] == [("Hut 8 Corp.", 990)]


def test_the_store_keeps_the_text_evidence_indexes(tmp_path: Path) -> None:
    """Each document's text and page map are stored with its extraction; evidence offsets
    index that text, and the report is built from it without loading a document again."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for slug in ("hive-shareholder-letter-pdf", "semler-purchase-markdown"):
        raw = next((CORPUS / slug).glob("raw.*"))
        shutil.copy(raw, folder / f"{slug}{raw.suffix}")
    out = tmp_path / "out"
    assert invoke("run", "--folder", str(folder), "-o", str(out))[0] == 0
    with Store(out / "disclosures.sqlite") as store:
        facts = store.facts()
        assert facts
        for fact in facts:
            document = store.document(fact.document)
            for span in fact.evidence:
                assert document.text[span["start"] : span["end"]] == span["text"]
                assert span["page"] == document.page_at(span["start"])
        pdf = store.document(next(f.document for f in facts if f.source.endswith(".pdf")))
        assert pdf.media_type == "application/pdf" and len(pdf.pages) > 1
    from parser import load

    empty: dict[str, object] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "LOADERS", empty)  # any loading now fails
        code, _, err = invoke("report", "--db", str(out / "disclosures.sqlite"), "-o", str(out))
    assert code == 0, err
    semler = next(f.document for f in facts if f.ticker == "SMLR")
    page = (out / "documents" / f"{semler[:16]}.html").read_text()
    assert "237 BTC" in page and "<mark" in page
