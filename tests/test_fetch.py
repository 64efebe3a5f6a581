"""Fetchers end to end against a local server shaped like EDGAR, IR feeds and newswires."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser import extract
from parser.archive import safe_file_name, write_fetched
from parser.cli import app
from parser.config import parse_config
from parser.errors import ConfigError, FetchError
from parser.fetch import Fetched, Fetcher
from parser.fetch.http import HttpClient, Validators
from parser.load import load_bytes
from parser.rules import load_rules
from parser.store import Store
from tests.http_fixtures import FixtureServer, Scripted, assert_rate_kept, record_limiter, serve

AGENT = "Disclosure Parser Tests tests@example.com"
RATE = 20.0


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    yield from serve()


def sources(server: FixtureServer, **edgar: object) -> dict[str, object]:
    return {
        "edgar": {
            "user_agent": AGENT,
            "forms": ["8-K"],
            "data_url": server.base,
            "archives_url": server.base,
            "rate_limit": RATE,
            **edgar,
        },
        "http": {"timeout": 5, "retries": 1, "backoff": 0.01, "allow_private_networks": True},
        "company": [
            {"ticker": "RIOT"},
            {
                "ticker": "CLSK",
                "edgar": False,
                "feeds": [f"{server.base}/feeds/cleanspark-rss.xml"],
            },
            {"ticker": "HUT", "edgar": False, "feeds": [f"{server.base}/feeds/hut8-atom.xml"]},
            {"ticker": "HIVE", "edgar": False, "pages": [f"{server.base}/pages/hive-letter.pdf"]},
        ],
    }


def run_fetch(server: FixtureServer, tmp_path: Path, data: dict[str, object] | None = None):
    config = parse_config(data or sources(server), load_rules())
    with Store(tmp_path / "store.sqlite") as store:
        fetcher = Fetcher(config, store, sink=lambda f: write_fetched(tmp_path / "docs", f))
        try:
            return fetcher.run(since="2024-11-01")
        finally:
            fetcher.client.close()


def test_first_run_collects_every_source_once(server: FixtureServer, tmp_path: Path) -> None:
    report = run_fetch(server, tmp_path)
    assert report.problems == []
    urls = sorted(f.url.replace(server.base, "") for f in report.documents)
    assert urls == [
        "/Archives/edgar/data/1167419/000116741924000050/ex991.htm",
        "/Archives/edgar/data/1167419/000116741925000099/pressrelease-august2025.htm",
        "/Archives/edgar/data/1167419/000116741925000123/riot-ex99_1.htm",
        "/Archives/edgar/data/1167419/000116741925000130/ex99.htm",
        "/pages/cleanspark-october.html",
        "/pages/hive-letter.pdf",
        "/pages/hut8-reserve.html",
    ]
    # The syndicated copy of Riot's exhibit is the same bytes: recognised, not emitted twice.
    assert report.duplicates == 1
    exhibit = next(f for f in report.documents if f.url.endswith("riot-ex99_1.htm"))
    assert (exhibit.form, exhibit.filing_date, exhibit.accession) == (
        "8-K",
        "2025-10-03",
        "0001167419-25-000123",
    )
    assert exhibit.company == "Riot Platforms, Inc." and exhibit.ticker == "RIOT"
    # The 10-Q is not a watched form, the -index.htm/-index-headers files are not documents, and
    # a filing with a press release is not also read through its 8-K body.
    assert not any("riot-20250630" in p or "index-headers" in p for p in server.paths())
    assert not any(p.endswith(("riot-20250903.htm", "riot-20251003.htm")) for p in server.paths())


def test_fetching_hands_over_raw_bytes_without_loading(
    server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fetching neither loads nor extracts: with every loader gone it still brings each
    document, raw, into the store (its extraction loads it later)."""
    from parser import load

    monkeypatch.setattr(load, "LOADERS", {})
    report = run_fetch(server, tmp_path)
    assert report.problems == [] and len(report.documents) == 7
    with Store(tmp_path / "store.sqlite") as store:
        for fetched in report.documents:
            assert store.raw(fetched.sha256) == (fetched.raw, fetched.url)
            assert store.document(fetched.sha256).text == ""  # not loaded yet


def test_manifest_and_files(server: FixtureServer, tmp_path: Path) -> None:
    report = run_fetch(server, tmp_path)
    lines = [json.loads(x) for x in (tmp_path / "docs" / "manifest.jsonl").read_text().splitlines()]
    assert len(lines) == len(report.documents)
    for line in lines:
        raw = (tmp_path / "docs" / line["path"]).read_bytes()
        assert load_bytes(raw).id == line["sha256"]
        assert set(line) == {
            "source",
            "company",
            "ticker",
            "form",
            "filing_date",
            "accession",
            "media_type",
            "sha256",
            "path",
        }
    pdf = next(line for line in lines if line["media_type"] == "application/pdf")
    assert pdf["path"].endswith(".pdf") and pdf["ticker"] == "HIVE"


def test_fetched_documents_extract(server: FixtureServer, tmp_path: Path) -> None:
    report = run_fetch(server, tmp_path)
    facts = {
        (f.type, f.fields.get("value") or f.fields.get("person"))
        for fetched in report.documents
        for f in extract(fetched.raw).facts
    }
    assert ("btc_produced", 445) in facts  # Riot exhibit, via EDGAR
    assert ("btc_produced", 612) in facts  # CleanSpark page, via RSS
    assert ("btc_purchased", 990) in facts  # Hut 8 page, via Atom
    assert ("btc_holdings", 512) in facts  # HIVE PDF letter
    assert ("executive_appointment", "Jason Chung") in facts  # 8-K from the latest-filings feed


def test_second_run_downloads_nothing_unchanged(server: FixtureServer, tmp_path: Path) -> None:
    first = run_fetch(server, tmp_path)
    server.requests.clear()
    second = run_fetch(server, tmp_path)
    assert second.documents == [] and second.problems == []
    assert second.requests == len(server.requests) == 5  # submissions, latest feed, 2 feeds, 1 page
    assert second.unchanged == 5
    assert all(r.headers.get("If-None-Match") for r in server.requests)
    assert first.requests > second.requests
    print(f"\nrequests: first run {first.requests}, second run {second.requests}")


def test_user_agent_on_every_request_and_rate_limit_holds(
    server: FixtureServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings = record_limiter(monkeypatch)
    run_fetch(server, tmp_path)
    assert {r.headers.get("User-Agent") for r in server.requests} == {AGENT}
    assert_rate_kept(readings, server, RATE)  # all on one host, so all under one limit


def test_edgar_refuses_to_run_without_a_contact(server: FixtureServer, tmp_path: Path) -> None:
    data = sources(server, user_agent="")
    with pytest.raises(ConfigError, match="user_agent"):
        run_fetch(server, tmp_path, data)
    assert server.requests == []


def test_cli_fetch(server: FixtureServer, tmp_path: Path) -> None:
    data = sources(server)
    lines = [
        "[edgar]",
        *(f"{k} = {json.dumps(v)}" for k, v in data["edgar"].items()),  # type: ignore[union-attr]
        "[http]",
        "timeout = 5\nretries = 1\nbackoff = 0.01\nallow_private_networks = true",
        "[[company]]",
        'ticker = "HUT"',
        "edgar = false",
        f'feeds = ["{server.base}/feeds/hut8-atom.xml", "{server.base}/feeds/malformed.xml"]',
    ]
    config = tmp_path / "sources.toml"
    config.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(
        app,
        ["fetch", "--config", str(config), "-o", str(tmp_path / "out"), "--since", "2024-11-01"],
    )
    assert result.exit_code == 1  # the malformed feed failed; the rest went on
    assert "malformed.xml" in result.stderr and "malformed feed" in result.stderr
    assert "1 new document(s)" in result.stderr
    assert len(list((tmp_path / "out").glob("*.html"))) == 1
    assert (tmp_path / "out" / "disclosures.sqlite").is_file()


def test_cli_fetch_without_contact_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "sources.toml"
    config.write_text('[[company]]\nticker = "RIOT"\n')
    result = CliRunner().invoke(
        app,
        ["fetch", "--config", str(config), "-o", str(tmp_path)],
        env={"DISCLOSURES_USER_AGENT": ""},
    )
    assert result.exit_code == 2
    assert "user_agent" in result.stderr


@pytest.mark.parametrize(
    ("feed", "message"),
    [
        ("/feeds/malformed.xml", "malformed feed"),
        ("/pages/cleanspark-october.html", "not a feed"),
        ("/feeds/entities.xml", "declares XML entities"),
        ("/feeds/missing.xml", "HTTP 404"),
    ],
)
def test_bad_feeds_are_reported_with_their_url(
    server: FixtureServer, tmp_path: Path, feed: str, message: str
) -> None:
    data = {
        "http": {"retries": 0, "allow_private_networks": True},
        "company": [
            {
                "ticker": "HUT",
                "edgar": False,
                "feeds": [f"{server.base}{feed}", f"{server.base}/feeds/hut8-atom.xml"],
            }
        ],
    }
    report = run_fetch(server, tmp_path, data)
    assert len(report.problems) == 1
    assert feed in report.problems[0].message and message in report.problems[0].message
    assert [f.url.rsplit("/", 1)[-1] for f in report.documents] == ["hut8-reserve.html"]


def client(**kwargs: object) -> HttpClient:
    defaults = {"timeout": 5.0, "retries": 2, "backoff": 0.01, "allow_private_networks": True}
    return HttpClient(user_agent=AGENT, **{**defaults, **kwargs})  # type: ignore[arg-type]


def test_429_honours_retry_after(server: FixtureServer) -> None:
    server.script("/pages/hut8-reserve.html", Scripted(429, b"slow down", {"Retry-After": "1"}))
    started = time.monotonic()
    with client() as http:
        response = http.get(f"{server.base}/pages/hut8-reserve.html")
    assert response.status == 200
    assert time.monotonic() - started >= 1.0
    assert server.paths() == ["/pages/hut8-reserve.html"] * 2


def test_500_then_success(server: FixtureServer) -> None:
    server.script("/pages/hut8-reserve.html", Scripted(500), Scripted(503))
    with client() as http:
        assert http.get(f"{server.base}/pages/hut8-reserve.html").status == 200
    assert len(server.requests) == 3


def test_persistent_500_gives_up_with_the_status(server: FixtureServer) -> None:
    server.script("/x", Scripted(500), Scripted(500), Scripted(500))
    with client() as http, pytest.raises(FetchError) as info:
        http.get(f"{server.base}/x")
    assert info.value.status == 500 and "/x" in str(info.value)


def test_timeout(server: FixtureServer) -> None:
    server.script("/slow", Scripted(200, b"late", delay=1.5), Scripted(200, b"late", delay=1.5))
    with client(timeout=0.3, retries=1) as http, pytest.raises(FetchError, match="timed out"):
        http.get(f"{server.base}/slow")


def test_redirect_loop(server: FixtureServer) -> None:
    server.script("/loop", *[Scripted(302, headers={"Location": "/loop"}) for _ in range(10)])
    with client() as http, pytest.raises(FetchError, match="redirects"):
        http.get(f"{server.base}/loop")


def test_redirect_to_another_scheme_is_refused(server: FixtureServer) -> None:
    server.script("/away", Scripted(302, headers={"Location": "ftp://example.com/file"}))
    with client() as http, pytest.raises(FetchError):
        http.get(f"{server.base}/away")


@pytest.mark.parametrize("headers", [{}, {"Transfer-Encoding": "chunked"}])
def test_oversized_body(server: FixtureServer, headers: dict[str, str]) -> None:
    server.script("/big", Scripted(200, b"x" * 5000, {"Content-Type": "text/html", **headers}))
    with client(max_bytes=1000) as http, pytest.raises(FetchError, match="byte cap"):
        http.get(f"{server.base}/big")


def test_conditional_get_gives_304(server: FixtureServer) -> None:
    with client() as http:
        first = http.get(f"{server.base}/pages/hut8-reserve.html")
        second = http.get(
            f"{server.base}/pages/hut8-reserve.html", Validators(first.etag, first.last_modified)
        )
    assert second.not_modified and second.body == b""
    assert server.requests[1].headers["If-None-Match"] == first.etag


def test_only_http_urls(server: FixtureServer) -> None:
    with client() as http, pytest.raises(FetchError, match="http"):
        http.get("file:///etc/passwd")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/../../etc/passwd",
        "https://example.com/a/../../etc/passwd/",
        "https://example.com/" + "A" * 5000,
        "https://example.com/" + "b" * 3000,
        "https://example.com/CON\x00\x1b[31m|<>:*?",
        "https://example.com/%2e%2e/%2fetc",
        "https://example.com/",
        "",
    ],
)
def test_file_names_are_safe_whatever_the_url(tmp_path: Path, url: str) -> None:
    raw = b"Riot mined 450 BTC."
    fetched = Fetched(
        raw=raw, url=url, sha256=load_bytes(raw).id, media_type="text/plain", ticker="../RIOT",
        filing_date="2025-10-03",
    )  # fmt: skip
    name = safe_file_name(fetched)
    assert "/" not in name and ".." not in name and "\x00" not in name
    assert len(name) <= 120 and name.endswith(".txt")
    path = write_fetched(tmp_path / "out", fetched)
    assert path.parent == tmp_path / "out" and path.read_bytes() == raw
