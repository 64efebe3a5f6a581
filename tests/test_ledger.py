"""The ledger check: gaps apart from disagreements, tolerance from the figures' precision,
flows without a period set aside, every checked period shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser.cli import app
from parser.history import LedgerCheck, half_unit, ledger_gaps
from parser.store import Store
from tests.analyst_docs import DOCS, build_store

runner = CliRunner()

LEDGER_DOCS = {
    **DOCS,
    "beta-01.txt": "Beta Hash Ltd. (NASDAQ: BTAH) held 20,000 BTC as of January 31, 2025.",
    "beta-02.txt": (
        "Beta Hash Ltd. (NASDAQ: BTAH) mined 450 BTC in February 2025. Beta Hash sold 450 BTC "
        "in February 2025. Beta Hash held approximately 20,100 BTC as of February 28, 2025."
    ),
    "gamma-01.txt": "Gamma Digital Inc. (NASDAQ: GMMA) held 500 BTC as of January 31, 2025.",
    "gamma-sale.txt": (
        "Gamma Digital Reports Treasury Sale\n\nFebruary 14, 2025 -- Gamma Digital Inc. "
        "(NASDAQ: GMMA) sold 40 BTC to fund operations."
    ),
    "gamma-02.txt": "Gamma Digital Inc. (NASDAQ: GMMA) held 460 BTC as of February 28, 2025.",
    "delta-01.txt": "Delta Mining Corp. (NASDAQ: DLTM) held 1,000 BTC as of January 31, 2025.",
    "delta-02.txt": (
        "In February 2025, Delta Mining Corp. (NASDAQ: DLTM) produced 10.5 BTC.\n"
        "Delta Mining Corp. held 1,010.6 BTC as of February 28, 2025."
    ),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("ledger"), LEDGER_DOCS)


@pytest.fixture(scope="module")
def check(db: Path) -> LedgerCheck:
    with Store(db) as store:
        return store.ledger_check()


def test_precision_of_stated_figures() -> None:
    assert half_unit(19_287) == 0.5
    assert half_unit(512.35) == pytest.approx(0.005)
    assert half_unit(19_300, approximate=True) == 50
    assert half_unit(19_287, approximate=True) == 0.5


def test_a_missing_month_is_a_gap_not_a_disagreement(check: LedgerCheck) -> None:
    [acme] = [p for p in check.periods if p.company == "Acme Hash"]
    assert (acme.start, acme.end, acme.status) == ("2025-02-28", "2025-04-30", "gap")
    assert acme.missing == (
        "no btc_produced figure for 2025-03: cannot check",
        "no btc_sold figure for 2025-03, 2025-04: cannot check",
    )
    assert acme not in check.disagreements


def test_tolerance_comes_from_the_figures_not_a_percentage(check: LedgerCheck) -> None:
    [beta] = [p for p in check.periods if p.company == "Beta Hash"]
    # 20,000 + 450 - 450 vs ~20,100: 0.5 % would hide it; the rounding of ~20,100 is ±50
    assert beta.difference == 100 and beta.tolerance == pytest.approx(51.5)
    assert beta.status == "disagrees"
    [delta] = [p for p in check.periods if p.company == "Delta Mining"]
    assert delta.difference == pytest.approx(0.1) and delta.status == "agrees"


def test_a_sale_without_a_period_is_set_aside_and_listed(check: LedgerCheck) -> None:
    [gamma] = [p for p in check.periods if p.company == "Gamma Digital"]
    assert gamma.sold == 0 and gamma.status == "gap"
    assert "btc_sold of 40 BTC without a period" in gamma.missing[0]
    assert [(f.company, f.value) for f in check.set_aside] == [("Gamma Digital", 40)]


def test_every_checked_period_is_shown(db: Path, check: LedgerCheck) -> None:
    result = runner.invoke(app, ["check", "--db", str(db), "--format", "json"])
    assert result.exit_code == 1  # Beta disagrees
    rows = json.loads(result.stdout)
    statuses = [(r["company"], r["status"]) for r in rows]
    assert statuses == [(p.company, p.status) for p in check.periods] + [
        ("Gamma Digital", "set aside")
    ]
    assert "4 period(s) checked: 1 agree, 1 disagree, 2 cannot be checked" in result.stderr
    table = runner.invoke(app, ["check", "--db", str(db)], env={"COLUMNS": "160"}).stdout
    assert "no btc_produced figure for 2025-03: cannot check" in table
    assert "Set aside" in table and "gamma-sale.txt" in table
    for company in ("Acme Hash", "Beta Hash", "Gamma Digital", "Delta Mining"):
        assert company in table


def test_a_fixed_tolerance_can_still_be_given(db: Path) -> None:
    with Store(db) as store:
        assert [p.company for p in ledger_gaps(store, tolerance=200)] == []
        assert [p.company for p in store.ledger_gaps(tolerance=0.01)] == [
            "Beta Hash",
            "Delta Mining",
        ]
