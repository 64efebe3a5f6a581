"""`disclosures discover` end to end against a loopback stand-in for EDGAR: every filer's 8-K /
6-K from the latest-filings feed and the daily form index, a mix of bitcoin filings and unrelated
ones (the real Buckle and Oracle 8-Ks), real feed, index-page and submissions shapes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser.cli import app
from parser.config import EdgarConfig, load_config, parse_config
from parser.fetch import edgar, make_client
from parser.fetch.discover import Discoverer, DiscoveryReport
from parser.pipeline import load_and_extract
from parser.rules import load_rules
from tests.http_fixtures import (
    CORPUS,
    EDGAR,
    FeedEntry,
    FixtureServer,
    assert_rate_kept,
    index_page,
    latest_feed,
    record_limiter,
    serve,
)

AGENT = "Disclosure Parser Tests tests@example.com"
RATE = 40.0
pytestmark = pytest.mark.skipif(not EDGAR.is_dir(), reason="../shared/edgar is not here")

# (form, name, cik, accession, filed, [(description, document, type, file served)])
FILINGS = [
    ("8-K", "Riot Platforms, Inc.", "1167419", "0001167419-25-000123", "2025-10-03",
     [("8-K", "riot-20251003.htm", "8-K", EDGAR / "filings" / "oracle-8-K.htm"),
      ("PRESS RELEASE", "riot-ex99_1.htm", "EX-99.1",
       CORPUS / "riot-8k-exhibit-production" / "raw.htm")]),
    ("8-K", "BUCKLE INC", "885245", "0000885245-24-000043", "2024-11-22",
     [("8-K", "bke-20241122.htm", "8-K", EDGAR / "filings" / "buckle-8-K.htm"),
      ("EX-99.1", "bke20241122-8kexhibit.htm", "EX-99.1",
       EDGAR / "filings" / "buckle-8-K-ex99-1.htm")]),
    ("8-K", "ORACLE CORP", "1341439", "0000950170-24-127543", "2024-11-15",
     [("8-K", "orcl-20241114.htm", "8-K", EDGAR / "filings" / "oracle-8-K.htm"),
      ("R1.htm", "R1.htm", "XML", EDGAR / "filings" / "oracle-8-K.htm")]),
    ("8-K", "MICROSTRATEGY Inc", "1050446", "0000950170-25-016735", "2025-02-10",
     [("8-K", "mstr-20250210.htm", "8-K", CORPUS / "strategy-8k-purchase" / "raw.html")]),
    ("6-K", "Bitdeer Technologies Group", "1899123", "0001213900-25-094518", "2025-10-06",
     [("6-K", "ea0259001-6k_bitdeer.htm", "6-K", EDGAR / "filings" / "oracle-8-K.htm"),
      ("EXHIBIT 99.1", "ea025900101ex99-1_bitdeer.htm", "EX-99.1",
       CORPUS / "bitdeer-6k-exhibit" / "raw.html")]),
    ("8-K", "Hut 8 Corp.", "1964789", "0001964789-25-000050", "2025-10-02",
     [("EX-99.1", "ex99.htm", "EX-99.1", CORPUS / "hut8-strategic-reserve" / "raw.html")]),
]  # fmt: skip
SUBMISSIONS = {"1167419": "CIK0001167419.json", "1050446": "CIK0001050446.json"}


def folder(cik: str, accession: str) -> str:
    return f"/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}"


def daily_index(lines: list[tuple[str, str, str, str, str]]) -> bytes:
    """EDGAR's daily form index layout: a header, a dashed rule, fixed-width columns."""
    head = (
        "Description:           Daily Index of EDGAR Dissemination Feed by Form Type\n"
        "Last Data Received:    November 22, 2024\nComments:              webmaster@sec.gov\n"
        "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n \n \n"
        f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name\n"
        + "-" * 141
        + "\n"
    )
    rows = "".join(
        f"{form:<12}{name:<62}{cik:<12}{filed.replace('-', ''):<12}"
        f"edgar/data/{cik}/{accession}.txt\n"
        for form, name, cik, accession, filed in lines
    )
    return (head + rows).encode("latin-1")


@pytest.fixture
def stand_in() -> Iterator[FixtureServer]:
    for server in serve():
        entries: dict[str, list[FeedEntry]] = {"8-K": [], "6-K": []}
        for form, name, cik, accession, filed, docs in FILINGS:
            entries[form].append(
                FeedEntry(form, name, cik, accession, filed, f"{filed}T16:05:00-04:00")
            )
            base = folder(cik, accession)
            rows = [(d, doc, t) for d, doc, t, _ in docs]
            server.real(f"{base}/{accession}-index.htm", index_page(cik, accession, rows))
            for _, doc, _, file in docs:
                server.real(f"{base}/{doc}", file)
            data = {"cik": cik, "name": name, "tickers": [], "filings": {"recent": {}}}
            server.real(f"/submissions/CIK{int(cik):010d}.json", json.dumps(data).encode())
        for cik, file in SUBMISSIONS.items():  # the real ones where we have them
            server.real(f"/submissions/CIK{int(cik):010d}.json", EDGAR / "submissions" / file)
        feed_path = edgar.latest_feed_url(EdgarConfig(archives_url=""), "{form}")
        for form, listed in entries.items():
            server.real(feed_path.replace("{form}", form), latest_feed(*listed))
        yield server


def settings(server: FixtureServer, watched: list[dict[str, object]]) -> dict[str, object]:
    return {
        "edgar": {"user_agent": AGENT, "forms": ["8-K", "6-K"], "data_url": server.base,
                  "archives_url": server.base, "rate_limit": RATE},
        "http": {"timeout": 5, "retries": 0, "allow_private_networks": True},
        "company": watched,
    }  # fmt: skip


def discover(server: FixtureServer, since: str | None = None, today: date | None = None) -> DiscoveryReport:  # fmt: skip
    config = parse_config(settings(server, [{"ticker": "HUT"}]), load_rules())
    with make_client(config) as client:
        return Discoverer(config, client, load_and_extract).run(since, today)


def test_discover_proposes_the_bitcoin_filers_only(
    stand_in: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings = record_limiter(monkeypatch)
    report = discover(stand_in)
    assert report.problems == []
    found = {(p.cik, p.name, p.ticker, p.filing.form) for p in report.proposals}
    assert found == {
        ("1167419", "Riot Platforms, Inc.", "RIOT", "8-K"),  # name and ticker: submissions JSON
        ("1050446", "MICROSTRATEGY Inc", "MSTR", "8-K"),  # no EX-99: the 8-K body
        ("1899123", "Bitdeer Technologies Group", None, "6-K"),
    }
    # The real Buckle and Oracle 8-Ks were read and rejected; Hut 8 is watched: not even read.
    assert report.rejected == 2 and report.filings == 5
    assert not any(
        p.startswith(folder("1964789", "0001964789-25-000050")) for p in stand_in.paths()
    )
    assert not any(p.endswith("R1.htm") for p in stand_in.paths())
    for proposal in report.proposals:
        assert proposal.facts and all(f.evidence and f.evidence[0].text for f in proposal.facts)
        assert {f.type for f in proposal.facts} <= {"btc_produced", "btc_sold", "btc_purchased",
                                                     "btc_holdings", "hashrate"}  # fmt: skip
    strategy = next(p for p in report.proposals if p.cik == "1050446")
    assert strategy.url.endswith("/mstr-20250210.htm")
    assert any(f.fields.get("value") == 7633 for f in strategy.facts)
    # Politely: SEC's User-Agent on every request, one shared rate limit.
    assert {r.headers.get("User-Agent") for r in stand_in.requests} == {AGENT}
    assert_rate_kept(readings, stand_in, RATE)


def test_backfill_walks_the_daily_form_index(stand_in: FixtureServer) -> None:
    daily = "/Archives/edgar/daily-index/2024/QTR4/form.{}.idx"
    stand_in.real(daily.format("20241122"), daily_index([
        ("4", "Heacock Thomas B", "1234567", "0001234567-24-000001", "2024-11-22"),
        ("8-K", "BUCKLE INC", "885245", "0000885245-24-000043", "2024-11-22"),
        ("10-Q", "Riot Platforms, Inc.", "1167419", "0001167419-24-000111", "2024-11-22"),
        ("8-K", "MICROSTRATEGY Inc", "1050446", "0000950170-25-016735", "2024-11-22"),
    ]))  # fmt: skip
    report = discover(stand_in, since="2024-11-22", today=date(2024, 11, 25))
    asked = [p for p in stand_in.paths() if "daily-index" in p]
    # Friday and Monday; no index on the weekend, and Monday's (not there yet: 404) is skipped.
    assert asked == [daily.format("20241122"), daily.format("20241125")]
    assert report.problems == []
    assert not any("000116741924000111" in p for p in stand_in.paths())  # a 10-Q
    assert {p.cik for p in report.proposals} == {"1167419", "1050446", "1899123"}


def test_cli_discover_writes_the_entries(stand_in: FixtureServer, tmp_path: Path) -> None:
    data = settings(stand_in, [])
    lines = ["[edgar]", *(f"{k} = {json.dumps(v)}" for k, v in data["edgar"].items()),  # type: ignore[attr-defined]
             "[http]", "timeout = 5", "retries = 0", "allow_private_networks = true", "", "[[company]]", 'ticker = "HUT"']  # fmt: skip
    sources = tmp_path / "sources.toml"
    sources.write_text("\n".join(lines))
    before = sources.read_text()
    shown = CliRunner().invoke(app, ["discover", "--config", str(sources)])
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.count("[[company]]") == 3 and 'cik = "1167419"' in shown.stdout
    assert "3 new companies" in shown.stderr and sources.read_text() == before
    written = CliRunner().invoke(app, ["discover", "--config", str(sources), "--write"])
    assert written.exit_code == 0, written.stderr
    assert sources.read_text().startswith(before)
    config = load_config(sources, load_rules())
    assert [(c.name, c.cik, c.ticker) for c in config.companies[1:]] == [
        ("MICROSTRATEGY Inc", "1050446", "MSTR"),
        ("Riot Platforms, Inc.", "1167419", "RIOT"),
        ("Bitdeer Technologies Group", "1899123", None),
    ]
    assert "# discovered in 8-K 0000950170-25-016735" in sources.read_text()
    again = CliRunner().invoke(app, ["discover", "--config", str(sources)])
    assert again.exit_code == 0 and "[[company]]" not in again.stdout  # all watched now
    assert "0 new companies" in again.stderr
