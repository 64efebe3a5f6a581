"""One bad document never stops a batch: whatever breaks while loading, extracting, storing or
fetching one document becomes that document's error, and the documents after it go on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser import extract, extract_many, pipeline
from parser.cli import app
from parser.errors import InternalError, ParserError
from parser.extract import Extractor
from parser.pipeline import default_extractor
from parser.rules import load_rules
from parser.store import Store
from tests.conftest import CORPUS, RULES

runner = CliRunner()
POISON = "poison-pill"  # documents holding this word trip the planted bug
GOOD = ("riot-8k-exhibit-production", "semler-purchase-markdown")


@pytest.fixture
def planted_bug(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A bug deep in extraction (an IndexError) that only some documents trigger."""
    original = Extractor.run

    def run(self: Extractor, document, *args):  # type: ignore[no-untyped-def]
        if POISON in document.text:
            return [][1]
        return original(self, document, *args)

    monkeypatch.setattr(Extractor, "run", run)
    yield


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a-poisoned.txt").write_text(f"Acme Mining mined 12 BTC in May. {POISON}\n")
    for slug in GOOD:
        raw = next((CORPUS / slug).glob("raw.*"))
        shutil.copy(raw, docs / f"b-{slug}{raw.suffix}")
    return docs


def test_extract_raises_only_the_projects_errors(planted_bug: None) -> None:
    with pytest.raises(InternalError) as info:
        extract(f"Riot mined 400 BTC. {POISON}")
    assert isinstance(info.value, ParserError)
    assert info.value.code == "extract.internal"
    assert "<text>: IndexError: list index out of range" in str(info.value)


def test_a_loader_crash_is_a_load_error_of_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from parser import load

    def broken(raw: bytes, source: str, doc_id: str) -> None:
        raise ValueError("zip() argument 2 is shorter than argument 1")

    monkeypatch.setitem(load.LOADERS, "text/plain", broken)
    with pytest.raises(InternalError) as info:
        extract(Path(CORPUS / "semler-purchase-markdown" / "raw.md"))
    assert info.value.code == "load.internal" and info.value.stage == "load"
    assert "raw.md: ValueError: zip()" in str(info.value)


def test_extract_many_goes_on_past_a_crash(planted_bug: None, folder: Path) -> None:
    results = list(extract_many([folder]))
    assert [r.errors[0].code if r.errors else None for r in results] == [
        "extract.internal",
        None,
        None,
    ]
    assert "a-poisoned.txt: IndexError" in results[0].errors[0].message
    assert all(r.facts for r in results[1:])


def test_cli_extract_reports_the_crash_and_exits_1(planted_bug: None, folder: Path) -> None:
    result = runner.invoke(app, ["extract", str(folder)])
    assert result.exit_code == 1
    assert "a-poisoned.txt: IndexError: list index out of range [extract.internal]" in (
        result.stderr
    )
    assert len(result.stdout.splitlines()) == 3 and "Traceback" not in result.output


def test_run_records_the_failure_and_goes_on(
    planted_bug: None, folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--folder", str(folder), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "a-poisoned.txt: IndexError" in result.stderr and "[extract.internal]" in result.stderr
    assert "3 new document(s)" in result.stderr and "2 extracted" in result.stderr
    with Store(out / "disclosures.sqlite") as store:
        failed = store.db.execute(
            "SELECT d.source, e.errors FROM extractions e JOIN documents d ON d.sha256 ="
            " e.document WHERE e.current = 1 AND e.errors IS NOT NULL"
        ).fetchall()
        assert len(failed) == 1 and failed[0][0].endswith("a-poisoned.txt")
        assert "IndexError" in failed[0][1]
        assert {f.ticker for f in store.facts()} >= {"RIOT", "SMLR"}
    # Recorded as failed, not pending: the next run with the same rules does not retry it.
    again = runner.invoke(app, ["run", "--folder", str(folder), "-o", str(out)])
    assert again.exit_code == 0 and "nothing new" in again.stderr


def test_a_failed_document_is_retried_when_the_rules_or_the_document_change(
    monkeypatch: pytest.MonkeyPatch, folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    original = Extractor.run
    monkeypatch.setattr(
        Extractor, "run", lambda self, d, *a: [][1] if POISON in d.text else original(self, d, *a)
    )
    with Store(tmp_path / "store.sqlite") as store:
        first = pipeline.run(store, default_extractor(), out, folder=folder)
        assert [p.code for p in first.problems] == ["extract.internal"]
        same = pipeline.run(store, default_extractor(), out, folder=folder)
        assert (same.extracted, same.problems) == (0, [])
        # The bug is fixed in a release that also changed the rules: the failure is retried.
        monkeypatch.setattr(Extractor, "run", original)
        changed = tmp_path / "rules"
        shutil.copytree(RULES, changed)
        (changed / "hedges.yaml").write_text(
            (changed / "hedges.yaml").read_text() + "  - well over\n"
        )
        fixed = pipeline.run(store, Extractor(load_rules(changed)), out, folder=folder)
        assert (fixed.extracted, fixed.problems) == (1, [])
        assert store.db.execute(
            "SELECT count(*) FROM extractions WHERE current = 1 AND errors IS NOT NULL"
        ).fetchone() == (0,)


def test_reextract_retries_a_failed_document(
    monkeypatch: pytest.MonkeyPatch, folder: Path, tmp_path: Path
) -> None:
    original = Extractor.run
    monkeypatch.setattr(
        Extractor, "run", lambda self, d, *a: [][1] if POISON in d.text else original(self, d, *a)
    )
    with Store(tmp_path / "store.sqlite") as store:
        pipeline.run(store, default_extractor(), tmp_path / "out", folder=folder)
        monkeypatch.setattr(Extractor, "run", original)
        report = pipeline.reextract(store, default_extractor(), tmp_path / "out", True, None)
        assert (report.extracted, report.problems) == (3, [])


def test_a_changed_document_is_retried(planted_bug: None, folder: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "store.sqlite") as store:
        pipeline.run(store, default_extractor(), tmp_path / "out", folder=folder)
        (folder / "a-poisoned.txt").write_text("Acme Mining mined 12 BTC in May.\n")
        report = pipeline.run(store, default_extractor(), tmp_path / "out", folder=folder)
        assert (report.new_documents, report.extracted, report.problems) == (1, 1, [])


def test_an_unreadable_document_is_recorded_not_rescanned(folder: Path, tmp_path: Path) -> None:
    (folder / "c-broken.pdf").write_bytes(b"%PDF-1.7 truncated garbage")
    with Store(tmp_path / "store.sqlite") as store:
        first = pipeline.run(store, default_extractor(), tmp_path / "out", folder=folder)
        assert [p.code for p in first.problems] == ["load.pdf_broken"]
        assert "c-broken.pdf" in first.problems[0].message
        second = pipeline.run(store, default_extractor(), tmp_path / "out", folder=folder)
        assert (second.unchanged, second.extracted, second.problems) == (4, 0, [])


def test_a_store_failure_fails_only_its_document(
    monkeypatch: pytest.MonkeyPatch, folder: Path, tmp_path: Path
) -> None:
    original = Store.save_extraction

    def save(self: Store, extraction, version):  # type: ignore[no-untyped-def]
        if "riot" in extraction.document.source and extraction.facts:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return original(self, extraction, version)

    monkeypatch.setattr(Store, "save_extraction", save)
    (folder / "a-poisoned.txt").unlink()
    with Store(tmp_path / "store.sqlite") as store:
        report = pipeline.run(store, default_extractor(), tmp_path / "out", folder=folder)
        assert [p.code for p in report.problems] == ["store.internal"]
        assert "OverflowError" in report.problems[0].message
        assert report.extracted == 1
        assert {f.ticker for f in store.facts()} == {"SMLR"}


def test_a_fetch_crash_fails_only_its_source(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from parser.config import parse_config
    from parser.fetch import Fetcher, feeds
    from tests.http_fixtures import FixtureServer

    original = feeds.parse_feed

    def parse(response):  # type: ignore[no-untyped-def]
        if "cleanspark" in response.url:
            raise KeyError("guid")
        return original(response)

    monkeypatch.setattr("parser.fetch.parse_feed", parse)
    with FixtureServer() as server, Store(tmp_path / "store.sqlite") as store:
        feed_urls = [
            f"{server.base}/feeds/cleanspark-rss.xml",
            f"{server.base}/feeds/hut8-atom.xml",
        ]
        config = parse_config(
            {
                "http": {"retries": 0, "allow_private_networks": True},
                "company": [{"ticker": "HUT", "edgar": False, "feeds": feed_urls}],
            },
            load_rules(),
        )
        fetcher = Fetcher(config, store)
        report = fetcher.run(since="2024-11-01")
        fetcher.client.close()
    assert [p.code for p in report.problems] == ["fetch.internal"]
    assert "cleanspark-rss.xml" in report.problems[0].message
    assert "KeyError" in report.problems[0].message
    assert [f.url.rsplit("/", 1)[-1] for f in report.documents] == ["hut8-reserve.html"]
