"""The EDGAR fetcher against real EDGAR files (../shared/edgar/, read in place) served from a
loopback server, with the cases real EDGAR has: an older submissions page that is missing, a
503, a filing without index page, an 8-K without EX-99, an after-hours feed entry."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parser.config import EdgarConfig, parse_config
from parser.fetch import Fetcher, FetchReport, edgar, make_client
from parser.fetch.http import HttpClient
from parser.load import load_bytes
from parser.rules import load_rules
from parser.store import Store
from tests.http_fixtures import (
    EDGAR,
    FixtureServer,
    Scripted,
    after_hours_feed,
    index_page,
    serve,
)

AGENT = "Disclosure Parser Tests tests@example.com"
pytestmark = pytest.mark.skipif(not EDGAR.is_dir(), reason="../shared/edgar is not here")
DATCHAT = ("1648960", "0001213900-24-004875")  # EX-1.1, EX-5.1 and three EX-99 in the folder
APPLE = ("320193", "0001140361-25-000228")  # only the 8-K (and R1.htm, schemas ...)


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    yield from serve()


def folder(cik: str, accession: str) -> str:
    return f"/Archives/edgar/data/{cik}/{accession.replace('-', '')}"


def submissions(cik: str, name: str, rows: list[dict[str, str]]) -> bytes:
    """A submissions JSON in the real columnar shape (the real file's column set)."""
    real = json.loads((EDGAR / "submissions" / "CIK0001167419.json").read_text())
    columns = list(real["filings"]["recent"])
    recent = {c: [row.get(c, "") for row in rows] for c in columns}
    data = {"cik": cik, "name": name, "tickers": [], "filings": {"recent": recent, "files": []}}
    return json.dumps(data).encode()


def filing_row(accession: str, date: str, primary: str) -> dict[str, str]:
    return {"accessionNumber": accession, "filingDate": date, "form": "8-K",
            "primaryDocument": primary, "primaryDocDescription": "8-K"}  # fmt: skip


def config(server: FixtureServer, companies: list[dict[str, Any]], **edgar_: object) -> Any:
    data = {
        "edgar": {"user_agent": AGENT, "forms": ["8-K"], "data_url": server.base,
                  "archives_url": server.base, "rate_limit": 50, "latest_feed": False, **edgar_},
        "http": {"timeout": 5, "retries": 0, "backoff": 0.01, "allow_private_networks": True},
        "company": companies,
    }  # fmt: skip
    return parse_config(data, load_rules())


def fetch(server: FixtureServer, store_path: Path, companies: list[dict[str, Any]],
          **edgar_: object) -> FetchReport:  # fmt: skip
    with Store(store_path) as store:
        fetcher = Fetcher(config(server, companies, **edgar_), store)
        try:
            return fetcher.run(since="2024-01-01")
        finally:
            fetcher.client.close()


def serve_datchat(server: FixtureServer) -> None:
    """The real DatChat folder listing, no index page; its EX-99s answered with a real
    press-release exhibit (the Buckle one), every other file with 404."""
    cik, accession = DATCHAT
    row = filing_row(accession, "2024-01-19", "ea191807-8k_datchat.htm")
    server.real(f"/submissions/CIK{int(cik):010d}.json", submissions(cik, "DatChat, Inc.", [row]))
    base = folder(cik, accession)
    server.real(f"{base}/index.json", EDGAR / "listings" / f"{accession}-index.json")
    for n in (1, 2, 3):
        server.real(
            f"{base}/ea191807ex99-{n}_datchat.htm", EDGAR / "filings" / "buckle-8-K-ex99-1.htm"
        )


DATCHAT_COMPANY = {"name": "DatChat, Inc.", "cik": DATCHAT[0]}


def test_listing_without_index_page_takes_only_the_press_releases(
    server: FixtureServer, tmp_path: Path
) -> None:
    serve_datchat(server)
    report = fetch(server, tmp_path / "s.sqlite", [DATCHAT_COMPANY])
    base = folder(*DATCHAT)
    asked = [p.removeprefix(base + "/") for p in server.paths() if p.startswith(base)]
    assert asked == [
        f"{DATCHAT[1]}-index.htm",  # 404: the folder listing is next
        "index.json",
        "ea191807ex99-1_datchat.htm",
        "ea191807ex99-2_datchat.htm",
        "ea191807ex99-3_datchat.htm",
    ]
    # Same bytes three times: stored once; no R1.htm, EX-1.1, EX-5.1, schema or graphic.
    assert len(report.documents) == 1 and report.duplicates == 2 and report.problems == []


def test_exhibit_503_leaves_the_filing_pending_until_it_is_stored(
    server: FixtureServer, tmp_path: Path
) -> None:
    serve_datchat(server)
    exhibit = f"{folder(*DATCHAT)}/ea191807ex99-2_datchat.htm"
    server.script(exhibit, Scripted(503, b"busy"))
    store = tmp_path / "s.sqlite"
    first = fetch(server, store, [DATCHAT_COMPANY])
    assert len(first.problems) == 1
    assert exhibit in first.problems[0].message and "HTTP 503" in first.problems[0].message
    assert "attempt 1 of 5" in first.problems[0].message
    server.requests.clear()
    second = fetch(server, store, [DATCHAT_COMPANY])  # the submissions JSON says nothing new
    assert second.problems == []
    assert exhibit in server.paths()  # retried; the exhibit stored the first time is a duplicate
    assert second.duplicates + len(second.documents) >= 1
    server.requests.clear()
    third = fetch(server, store, [DATCHAT_COMPANY])
    assert not any(p.startswith(folder(*DATCHAT)) for p in server.paths())  # done for good
    assert third.problems == []


def test_retry_budget_per_filing(server: FixtureServer, tmp_path: Path) -> None:
    serve_datchat(server)
    exhibit = f"{folder(*DATCHAT)}/ea191807ex99-3_datchat.htm"
    server.script(exhibit, *[Scripted(429, b"slow down", {"Retry-After": "0"})] * 5)
    store = tmp_path / "s.sqlite"
    first = fetch(server, store, [DATCHAT_COMPANY], attempts_per_filing=2)
    assert "attempt 1 of 2" in first.problems[0].message
    second = fetch(server, store, [DATCHAT_COMPANY], attempts_per_filing=2)
    assert "gave up after 2 attempt(s)" in second.problems[0].message
    server.requests.clear()
    third = fetch(server, store, [DATCHAT_COMPANY], attempts_per_filing=2)
    assert exhibit not in server.paths() and third.problems == []


def test_missing_exhibit_is_permanent(server: FixtureServer, tmp_path: Path) -> None:
    serve_datchat(server)
    exhibit = f"{folder(*DATCHAT)}/ea191807ex99-1_datchat.htm"
    server.script(exhibit, Scripted(404, b"gone"))
    store = tmp_path / "s.sqlite"
    first = fetch(server, store, [DATCHAT_COMPANY])
    assert len(first.problems) == 1 and "HTTP 404" in first.problems[0].message
    server.requests.clear()
    fetch(server, store, [DATCHAT_COMPANY])
    assert exhibit not in server.paths()  # a 404 does not keep the filing pending


def test_8k_without_ex99_is_read_from_its_body(server: FixtureServer, tmp_path: Path) -> None:
    cik, accession = APPLE
    row = filing_row(accession, "2025-01-03", "ef20040370_8k.htm")
    server.real(f"/submissions/CIK{int(cik):010d}.json", submissions(cik, "Apple Inc.", [row]))
    base = folder(cik, accession)
    server.real(f"{base}/index.json", EDGAR / "listings" / f"{accession}-index.json")
    server.real(f"{base}/ef20040370_8k.htm", EDGAR / "filings" / "oracle-8-K.htm")
    report = fetch(server, tmp_path / "s.sqlite", [{"name": "Apple Inc.", "cik": cik}])
    assert [d.url.removeprefix(server.base + base + "/") for d in report.documents] == [
        "ef20040370_8k.htm"
    ]
    fetched = report.documents[0]
    document = load_bytes(fetched.raw, fetched.url)  # fetching hands over the raw bytes
    assert document.text.startswith("Item 5.07")  # the cover page is gone
    assert document.issuer == "Oracle Corporation"
    assert not any(p.endswith(("R1.htm", ".xsd", ".xml", ".zip")) for p in server.paths())


def test_missing_older_submissions_page_keeps_the_recent_filings(server: FixtureServer) -> None:
    # Riot's real JSON lists one older page (filings 2002-2012), which answers 404 here.
    server.script("/submissions/CIK0001167419-submissions-001.json", Scripted(404, b"Not Found"))
    body = (EDGAR / "submissions" / "CIK0001167419.json").read_bytes()
    settings = EdgarConfig(user_agent=AGENT, forms=("8-K",), data_url=server.base)
    with HttpClient(user_agent=AGENT, retries=0, allow_private_networks=True) as client:
        listing = edgar.company_filings(client, settings, "1167419", "2012-01-01", body)
    assert len(listing.filings) > 100
    assert "0001558370-25-009894" in {f.accession for f in listing.filings}
    assert [e.status for e in listing.failed_pages] == [404]
    assert listing.failed_pages[0].url.endswith("/submissions/CIK0001167419-submissions-001.json")


def test_fetcher_names_the_missing_page_and_goes_on(server: FixtureServer, tmp_path: Path) -> None:
    page = "/submissions/CIK0001167419-submissions-001.json"
    server.script(page, Scripted(404, b"Not Found"))
    report = fetch(server, tmp_path / "s.sqlite", [{"ticker": "RIOT"}])
    assert [p.message.rsplit(": ", 1)[-1] for p in report.problems] == ["HTTP 404"]
    assert page in report.problems[0].message
    assert "CIK0001167419.json" not in report.problems[0].message
    assert any(d.accession == "0001167419-25-000123" for d in report.documents)


def test_after_hours_entry_takes_the_filed_date() -> None:
    # Riot's real submissions JSON: accepted 2025-06-16T23:16:19Z (19:16 Eastern), filed the 17th.
    real = json.loads((EDGAR / "submissions" / "CIK0001167419.json").read_text())["filings"]
    row = real["recent"]["accessionNumber"].index("0001558370-25-008673")
    assert real["recent"]["acceptanceDateTime"][row].startswith("2025-06-16T23")
    assert real["recent"]["filingDate"][row] == "2025-06-17"
    feed = after_hours_feed("1167419", "Riot Platforms, Inc.", "0001558370-25-008673",
                            "2025-06-16T19:16:19-04:00", "2025-06-17")  # fmt: skip
    (filing,) = edgar.latest_filings(feed, "8-K", {"1167419"})
    assert filing.filing_date == "2025-06-17" and filing.form == "8-K"


def test_fetched_after_hours_filing_carries_the_filed_date(
    server: FixtureServer, tmp_path: Path
) -> None:
    accession = "0001558370-25-008673"
    feed = after_hours_feed("1167419", "Riot Platforms, Inc.", accession,
                            "2025-06-16T19:16:19-04:00", "2025-06-17")  # fmt: skip
    server.real(edgar.latest_feed_url(EdgarConfig(archives_url=""), "8-K"), feed)
    base = folder("1167419", accession)
    rows = [("8-K", "riot-20250610x8k.htm", "8-K"), ("PRESS RELEASE", "ex99-1.htm", "EX-99.1")]
    server.real(f"{base}/{accession}-index.htm", index_page("1167419", accession, rows))
    server.real(f"{base}/ex99-1.htm", EDGAR / "filings" / "buckle-8-K-ex99-1.htm")
    report = fetch(server, tmp_path / "s.sqlite", [{"ticker": "RIOT"}], latest_feed=True)
    (fetched,) = [d for d in report.documents if d.accession == accession]
    assert fetched.filing_date == "2025-06-17" and fetched.url.endswith("/ex99-1.htm")


def test_real_feed_entries_and_index_page() -> None:
    feed = (EDGAR / "feeds" / "getcurrent-2024-05-17.atom").read_bytes()
    found = edgar.latest_filings(feed, "4", {"1304492"})  # Anterix, the (Issuer) of two Form 4s
    assert [(f.accession, f.filing_date) for f in found] == [
        ("0001304492-24-000054", "2024-05-17"),
        ("0001304492-24-000053", "2024-05-17"),
    ]
    page = (EDGAR / "index-pages" / "form4-filing-index.htm").read_bytes()
    rows = edgar._index_table(page, "https://www.sec.gov/")
    assert [(url.rsplit("/", 1)[-1], kind) for url, kind, _ in rows] == [
        ("form4.xml", "4"), ("form4.xml", "4"), ("0001062993-24-010733.txt", ""),
    ]  # fmt: skip


def test_company_feed_has_the_cik_in_its_company_info() -> None:
    # A company's own Atom feed (action=getcompany): entries titled "8-K  - Current report".
    feed = (EDGAR / "feeds" / "getcurrent-b.atom").read_bytes()
    found = edgar.latest_filings(feed, "8-K", {"1889983"})
    assert len(found) == 11 and {f.form for f in found} == {"8-K"}
    first = found[0]
    assert (first.cik, first.accession, first.filing_date) == (
        "1889983", "0001213900-25-006497", "2025-01-24",
    )  # fmt: skip
    assert first.name == "Keen Vision Acquisition Corp."
    assert edgar.latest_filings(feed, "8-K", {"1167419"}) == []


def test_both_sec_hosts_share_one_rate_limit(server: FixtureServer) -> None:
    port = server.base.rsplit(":", 1)[1]
    settings = parse_config(
        {"edgar": {"user_agent": AGENT, "rate_limit": 10, "data_url": f"http://localhost:{port}",
                   "archives_url": f"http://127.0.0.1:{port}"},
         "http": {"allow_private_networks": True}}, load_rules())  # fmt: skip
    client = make_client(settings)
    started = time.monotonic()
    with client:
        for n in range(6):
            host = settings.edgar.data_url if n % 2 else settings.edgar.archives_url
            client.get(f"{host}/pages/hut8-reserve.html")
    # 6 requests alternating between the two hosts: 5 intervals of the one 10/s budget.
    assert time.monotonic() - started >= 5 / 10 * 0.95
