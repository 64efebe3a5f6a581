"""The evidence report: page model, escaping of untrusted text, and a real headless Chromium."""

from __future__ import annotations

import csv
import itertools
import math
import os
import re
import shutil
from html import escape
from pathlib import Path

import pytest

from parser import pipeline
from parser.load import load_bytes
from parser.pipeline import default_extractor, extract_document
from parser.report import build_report
from parser.report.charts import ChartPoint, Series, line_chart
from parser.report.html import document_page
from parser.report.model import (
    FactView,
    company_rows,
    comparison,
    coverage,
    document_pages,
    segments,
)
from parser.store import Store
from tests.analyst_docs import DOCS
from tests.conftest import CORPUS

HOSTILE = (
    "<html><head><title>Acme <script>alert(1)</script></title></head><body>"
    "<p>Acme Hash Corp. (NASDAQ: ACMH) mined 100 BTC in May 2025. "
    "&lt;img src=x onerror=alert(2)&gt; &lt;script&gt;alert(3)&lt;/script&gt;</p></body></html>"
)


ZETA_URL = "https://investors.example.com/news/zeta-may-2025"
ZETA_MAY = "Zeta Mining Inc. (NYSE: ZETM) mined 180 BTC in May 2025.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Store]:
    root = tmp_path_factory.mktemp("report")
    docs = root / "docs"
    docs.mkdir()
    for slug in (
        "riot-8k-exhibit-production",
        "hive-shareholder-letter-pdf",
        "argo-interim-ceo-role-change",
    ):
        raw = next((CORPUS / slug).glob("raw.*"))
        shutil.copy(raw, docs / f"{slug}{raw.suffix}")
    (docs / "hostile.html").write_text(HOSTILE)
    (docs / "zeta-q1.txt").write_text(DOCS["zeta-q1.txt"])
    store = Store(root / "store.sqlite")
    pipeline.run(store, default_extractor(), root / "out", folder=docs)
    fetched = load_bytes(ZETA_MAY.encode(), ZETA_URL)  # as if fetched: the source is a URL
    store.save_document(fetched, ZETA_MAY.encode())
    store.save_extraction(extract_document(fetched, default_extractor()), "test")
    build_report(store, root / "report")
    return root / "report", store


def test_segments_cover_the_text_and_know_their_facts() -> None:
    facts = (
        FactView(0, "btc_produced", "A", "1 BTC", "", False, 0.8, (), ((0, 10),)),
        FactView(1, "hashrate", "A", "1 EH/s", "", False, 0.8, (), ((5, 20), (30, 35))),
    )
    pieces = segments("x" * 40, facts)
    assert "".join(p.text for p in pieces) == "x" * 40
    assert [(len(p.text), p.facts) for p in pieces] == [
        (5, (0,)), (5, (0, 1)), (10, (1,)), (10, ()), (5, (1,)), (5, ()),
    ]  # fmt: skip


def test_index_has_one_row_per_company_with_ledger_status(built: tuple[Path, Store]) -> None:
    _, store = built
    rows, pages = company_rows(store)
    assert [r.company for r in rows] == [
        "Acme Hash", "Argo Blockchain plc", "HIVE Digital Technologies Ltd.",
        "Riot Platforms, Inc.", "Zeta Mining",
    ]  # fmt: skip
    riot = next(r for r in rows if r.company.startswith("Riot"))
    assert riot.holdings.text == "19,287 BTC (2025-09-30)" and riot.ledger == "✔"
    assert riot.hashrate.text == "36.5 EH/s (installed)" and riot.kind == "miner"
    argo = next(p for p in pages if p.company.startswith("Argo"))
    assert [(kind, person) for _, kind, person, _, _ in argo.people] == [
        ("appointment", "Jim MacCallum"), ("appointment", "Justin Nolan"),
        ("departure", "Justin Nolan"), ("departure", "Raghav Chopra"),
    ]  # fmt: skip


def test_index_is_grouped_sortable_and_flags_stale_figures(built: tuple[Path, Store]) -> None:
    report, store = built
    rows, _ = company_rows(store)
    stale = {r.company: r.stale for r in rows}
    assert stale["Argo Blockchain plc"] and not stale["HIVE Digital Technologies Ltd."]
    html = (report / "index.html").read_text()
    assert html.index("<h2>Miners</h2>") < html.index("Riot Platforms, Inc.")
    assert "(None)" not in html and "raw.txt</a>" not in html and 'data-sort="1"' in html
    assert 'data-label="Holdings"' in html  # phone width: each row becomes a labelled card


def test_company_pages_chart_every_series_with_a_table_and_links(built: tuple[Path, Store]) -> None:
    report, _ = built
    html = (report / "companies" / "zeta-mining.html").read_text()
    assert html.count('<svg class="chart"') == 1
    assert 'aria-label="Zeta Mining: bitcoin produced and sold per month"' in html
    assert '<table class="data">' in html.split('<svg class="chart"')[1]  # the data under it
    for month, value in (("2025-01", "150"), ("2025-03", "170"), ("2025-05", "180")):
        assert f'<td class="when">{month}</td><td>produced</td><td class="num">{value}</td>' in html
    assert f'<a href="{ZETA_URL}">original</a>' in html
    assert html.count('xlink:href="../documents/') == 4  # every point opens its document
    assert ">sold<" not in html  # no legend or rows for a series without data


def test_charts_use_1_2_5_ticks_and_draw_gaps_as_gaps() -> None:
    chart = line_chart("Holdings", "BTC", [
        Series("held", [ChartPoint("2025-01-31", 14_988), ChartPoint("2025-02-28", 11_241),
                        ChartPoint("2025-04-30", 7_494)]),
        Series("nothing"),
    ])  # fmt: skip
    assert 'aria-label="Holdings"' in chart and ">Holdings</text>" in chart
    ticks = sorted(
        float(t.replace(",", ""))
        for t in re.findall(r'id="ytick_\d+">.*?>([\d,]+)</text>', chart, re.S)
    )
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 5)
    assert "14,988" not in chart and "11,241" not in chart
    line = re.search(
        r'<g id="line2d_\d+">\s*<path d="([^"]+)"[^>]*style="fill: none; stroke: #1f5fa8', chart
    )
    assert line and line.group(1).count("M") == 2  # January-February joined, April apart
    assert "nothing" not in chart


def test_comparison_and_coverage(built: tuple[Path, Store]) -> None:
    report, store = built
    charts, table = comparison(store)
    assert charts[0].title == "Bitcoin produced per month, every company"
    assert {s.name for s in charts[0].series} >= {"Riot Platforms, Inc.", "Zeta Mining"}
    downloaded = list(csv.reader((report / "produced-by-month.csv").open()))
    assert downloaded[0] == ["company", *table.periods]
    zeta = next(row for row in downloaded if row[0] == "Zeta Mining")
    by_month = dict(zip(downloaded[0], zeta, strict=True))
    assert [by_month[m] for m in ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05")] == [
        "150", "160", "170", "", "180",
    ]  # fmt: skip
    produced = next(view for view in coverage(store) if view.metric == "produced")
    months = next(m for company, _, m in produced.rows if company == "Zeta Mining")
    assert [m for m, disclosed in months.items() if not disclosed] == ["2025-04"]
    assert 'href="produced-by-month.csv" download' in (report / "comparison.html").read_text()


def test_document_pages_name_each_facts_company_and_the_original(
    built: tuple[Path, Store],
) -> None:
    _, store = built
    pages = document_pages(store)
    zeta = next(p for p in pages if p.source == ZETA_URL)
    html = document_page(zeta)
    assert f'<a href="{ZETA_URL}">original</a>' in html
    assert '<span class="company">Zeta Mining</span>' in html
    roundup = next(p for p in pages if p.source.endswith(".htm"))
    assert all(
        f'<span class="company">{escape(f.company)}</span>' in document_page(roundup)
        for f in roundup.facts
    )


def test_pdf_facts_show_their_page(built: tuple[Path, Store]) -> None:
    _, store = built
    letter = next(p for p in document_pages(store) if p.source.endswith(".pdf"))
    held = next(f for f in letter.facts if f.type == "btc_holdings" and f.value == "512 BTC")
    assert held.pages == (1, 2)
    assert "page 1, 2" in document_page(letter)


def test_untrusted_text_is_escaped(built: tuple[Path, Store]) -> None:
    report, store = built
    page = next(p for p in document_pages(store) if p.source.endswith("hostile.html"))
    html = document_page(page)
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;script&gt;alert(3)" in html
    index = (report / "index.html").read_text()
    assert "<script>alert" not in index


def test_every_page_is_self_contained(built: tuple[Path, Store]) -> None:
    """Nothing is loaded from the network: no remote script, style, image, font or frame; the
    only absolute URLs are XML namespaces and links a reader clicks to open the original."""
    report, _ = built
    for page in report.rglob("*.html"):
        html = page.read_text()
        assert not re.search(r"(?:src|srcset|data)\s*=\s*[\"']?(?:https?:)?//", html)
        assert '<link rel="stylesheet"' not in html and "<script src" not in html
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import", html)
        remote = re.findall(r"https?://[^\s\"'<>]+", html)
        namespaces = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
        assert all(u in namespaces or f'href="{u}"' in html for u in remote), remote


def _chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.mark.skipif(
    _chromium() is None and not os.environ.get("CI"),
    reason="Chromium and chromedriver are not installed (.ci/run installs them)",
)
def test_report_in_headless_chromium(built: tuple[Path, Store], tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    found = _chromium()
    assert found is not None, "CI must have Chromium and chromedriver"
    options = webdriver.ChromeOptions()
    options.binary_location = found[0]
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
                 "--window-size=1200,1400"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(found[1]), options=options)
    report, store = built
    try:
        driver.get((report / "index.html").as_uri())
        driver.save_screenshot(str(tmp_path / "index.png"))
        assert len(driver.find_elements(By.CSS_SELECTOR, "table.cards tr")) == 5 + 1  # + headers
        holdings = driver.find_element(By.CSS_SELECTOR, 'th[data-sort="1"]')
        holdings.click()  # sorts by the number, largest first
        first = driver.find_element(By.CSS_SELECTOR, "table.cards tr:nth-child(2) td a")
        assert first.text == "Riot Platforms, Inc."
        driver.set_window_size(390, 1200)  # a phone: rows become cards, nothing cut off
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390
        driver.set_window_size(1200, 1400)
        driver.find_element(By.LINK_TEXT, "Riot Platforms, Inc.").click()
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) == 3
        for chart in charts:
            assert chart.size["height"] > 100
            assert chart.find_elements(By.CSS_SELECTOR, "a")  # every point links its document
        assert len(driver.find_elements(By.CSS_SELECTOR, "table.data")) == 3 + 1  # + ledger
        driver.save_screenshot(str(tmp_path / "company.png"))
        driver.find_element(By.LINK_TEXT, "Comparison").click()
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) == 2 and all(c.size["width"] > 300 for c in charts)
        assert "Zeta Mining" in driver.find_element(By.CSS_SELECTOR, "table.data").text
        csv_link = driver.find_element(By.PARTIAL_LINK_TEXT, "Download as CSV")
        assert csv_link.get_attribute("href").endswith("produced-by-month.csv")
        driver.save_screenshot(str(tmp_path / "comparison.png"))
        driver.find_element(By.LINK_TEXT, "Coverage").click()
        missing = driver.find_elements(By.CSS_SELECTOR, 'table.cov[data-metric="produced"] td.no')
        assert len(missing) >= 1 and missing[0].is_displayed()
        page = next(p for p in document_pages(store) if p.source.endswith(".htm"))
        driver.get((report / "documents" / f"{page.sha[:16]}.html").as_uri())
        marked = {
            m.get_attribute("data-fact")
            for m in driver.find_elements(By.CSS_SELECTOR, "mark[data-fact]")
        }
        assert (
            len(marked)
            == len(page.facts)
            == len(driver.find_elements(By.CSS_SELECTOR, ".facts li"))
        )
        driver.find_elements(By.CSS_SELECTOR, ".facts button")[-1].click()
        driver.save_screenshot(str(tmp_path / "document.png"))
        assert driver.find_elements(By.CSS_SELECTOR, "mark.flash")
        if os.environ.get("DISCLOSURES_SCREENSHOTS"):
            for shot in tmp_path.glob("*.png"):
                shutil.copy(shot, Path(os.environ["DISCLOSURES_SCREENSHOTS"]) / shot.name)
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
    finally:
        driver.quit()
