"""Accuracy on the labelled dev set (../shared/corpus/dev), and the scorer itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser.evaluate import evaluate
from tests.conftest import SHARED_DEV

GOLD = SHARED_DEV / "gold.jsonl"
needs_dev_set = pytest.mark.skipif(
    not GOLD.is_file(), reason="../shared/corpus/dev is not beside the checkout"
)

# Floors at what the rules reach today (micro-F1); raise them when the rules improve.
FLOOR_TUNED = 0.98  # docs 000-019, used to write the rules
FLOOR_HELD_OUT = 0.88  # docs 020-029, never used to tune
FLOOR_ALL = 0.955
FLOOR_PEOPLE = 0.90  # docs 049-065, executive-change texts (six with no executive fact)
FLOOR_TABLES = 0.90  # docs 030-041, production updates whose metrics tables keep their layout
FLOOR_ROUNDUPS = 0.88  # docs 042-048, multi-company round-ups
FLOOR_WHOLE_SET = 0.93  # docs 000-065


def _docs(lo: int, hi: int) -> set[str]:
    names = [json.loads(line)["doc"] for line in GOLD.read_text().splitlines() if line.strip()]
    return {name for name in names if lo <= int(name[:3]) <= hi}


@needs_dev_set
@pytest.mark.parametrize(
    ("lo", "hi", "floor"),
    [
        (0, 19, FLOOR_TUNED),
        (20, 29, FLOOR_HELD_OUT),
        (0, 29, FLOOR_ALL),
        (30, 41, FLOOR_TABLES),
        (42, 48, FLOOR_ROUNDUPS),
        (49, 65, FLOOR_PEOPLE),
        (0, 65, FLOOR_WHOLE_SET),
    ],
)
def test_dev_set_accuracy_floor(lo: int, hi: int, floor: float) -> None:
    report = evaluate(GOLD, SHARED_DEV / "docs", _docs(lo, hi))
    print(f"\ndev docs {lo:03d}-{hi:03d}\n{report.table()}")
    assert report.errors == []
    assert report.overall.f1 >= floor


def test_scorer_matches_type_company_value_and_surname(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "Riot Platforms, Inc. mined 450 BTC in June 2025 and sold 400 BTC. "
        "The company named Jane Doe as Chief Financial Officer. Riot held 19,273 bitcoin."
    )
    gold = {
        "doc": "a.txt",
        "facts": [
            {"type": "btc_produced", "company": "Riot", "btc": 451, "period": "2025-06"},
            {
                "type": "btc_sold",
                "company": "Riot Platforms",
                "btc": 400,
                "proceeds_usd": None,
                "period": None,
            },
            {
                "type": "executive_appointment",
                "company": "Riot",
                "person": "J. Doe",
                "title": "CFO",
            },
            {"type": "hashrate", "company": "Riot", "ehs": 30, "status": "operational"},
        ],
    }
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n")
    report = evaluate(tmp_path / "gold.jsonl", tmp_path / "docs")
    assert (report.by_type["btc_produced"].tp, report.by_type["btc_sold"].tp) == (1, 1)  # 450 ~ 451
    assert report.by_type["executive_appointment"].tp == 1
    assert report.by_type["hashrate"].fn == 1
    assert report.by_type["btc_holdings"].fp == 1
    assert report.overall.precision == pytest.approx(3 / 4)
    assert report.overall.recall == pytest.approx(3 / 4)


def test_matched_facts_are_checked_on_status_and_period(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "Riot Platforms, Inc. mined 450 BTC in June 2025. Its operational hashrate was 30 EH/s."
    )
    gold = {
        "doc": "a.txt",
        "facts": [
            {"type": "btc_produced", "company": "Riot", "btc": 450, "period": "2025-05"},
            {"type": "hashrate", "company": "Riot", "ehs": 30, "status": "operational"},
        ],
    }
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n")
    report = evaluate(tmp_path / "gold.jsonl", tmp_path / "docs")
    assert report.attributes["status"] == [1, 1]
    assert report.attributes["period"] == [0, 1]
    assert any("wrong period '2025-06'" in line for line in report.misses)
    assert "period right" in report.table()


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        ("001-002", {"001_a.txt", "002_b.txt"}),
        ("000,003", {"000_x.txt", "003_c.txt"}),
        ("000, 002-003", {"000_x.txt", "002_b.txt", "003_c.txt"}),
    ],
)
def test_only_takes_lists_of_numbers_and_ranges(
    tmp_path: Path, only: str, expected: set[str]
) -> None:
    from parser.cli import _select

    names = ["000_x.txt", "001_a.txt", "002_b.txt", "003_c.txt"]
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps({"doc": n}) + "\n" for n in names))
    assert _select(tmp_path / "gold.jsonl", only) == expected
