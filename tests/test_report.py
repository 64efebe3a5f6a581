"""The evidence report: page model, escaping of untrusted text, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from parser.pipeline import default_extractor
from parser.report import build_report
from parser.report.html import document_page
from parser.report.model import FactView, company_rows, document_pages, segments
from parser.run import run_pipeline
from parser.store import Store
from tests.conftest import CORPUS

HOSTILE = (
    "<html><head><title>Acme <script>alert(1)</script></title></head><body>"
    "<p>Acme Hash Corp. (NASDAQ: ACMH) mined 100 BTC in May 2025. "
    "&lt;img src=x onerror=alert(2)&gt; &lt;script&gt;alert(3)&lt;/script&gt;</p></body></html>"
)


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
    store = Store(root / "store.sqlite")
    run_pipeline(store, default_extractor(), root / "out", folder=docs)
    build_report(store, root / "report")
    return root / "report", store


def test_segments_cover_the_text_and_know_their_facts() -> None:
    facts = (
        FactView(0, "btc_produced", "1 BTC", "", False, 0.8, (), ((0, 10),)),
        FactView(1, "hashrate", "1 EH/s", "", False, 0.8, (), ((5, 20), (30, 35))),
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
        "Acme Hash", "Argo Blockchain plc", "HIVE Digital Technologies Ltd.", "Riot Platforms, Inc.",
    ]  # fmt: skip
    riot = next(r for r in rows if r.company.startswith("Riot"))
    assert riot.holdings == "19,287 BTC (2025-09-30)" and riot.ledger == "✔"
    assert riot.hashrate == "36.5 EH/s installed"
    argo = next(p for p in pages if p.company.startswith("Argo"))
    assert [(kind, person) for _, kind, person, _, _ in argo.people] == [
        ("appointment", "Jim MacCallum"), ("appointment", "Justin Nolan"),
        ("departure", "Justin Nolan"), ("departure", "Raghav Chopra"),
    ]  # fmt: skip


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
    report, _ = built
    for page in report.rglob("*.html"):
        html = page.read_text()
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in html
        assert '<link rel="stylesheet"' not in html and "<script src" not in html


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
        assert len(driver.find_elements(By.CSS_SELECTOR, "table tr")) == 5
        driver.find_element(By.LINK_TEXT, "Riot Platforms, Inc.").click()
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) == 3
        for chart in charts:
            assert chart.size["height"] > 100
            assert chart.find_elements(By.CSS_SELECTOR, ".point")
        driver.save_screenshot(str(tmp_path / "company.png"))
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
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == []
    finally:
        driver.quit()
