"""Rules are data, checked when loaded: errors name the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parser import RuleError
from parser.rules import load_rules
from tests.conftest import RULES


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"label": "SOLD", "pattern": [{"POS": "VERB"}]}', "need a trained pipeline"),
        ('{"label": "SOLD", "pattern": [{"LEMMA": "sell"}]}', "need a trained pipeline"),
        ('{"label": "SOLD", "pattern": []}', "non-empty 'pattern'"),
        ("{not json", "invalid JSON"),
    ],
)
def test_bad_pattern_line_is_named(tmp_path: Path, line: str, message: str) -> None:
    rules = _copy_rules(tmp_path)
    patterns = rules / "btc" / "patterns.jsonl"
    count = len(patterns.read_text().splitlines())
    patterns.write_text(patterns.read_text() + line + "\n")
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    assert f"patterns.jsonl:{count + 1}" in str(info.value)
    assert message in str(info.value)


def test_broken_yaml_is_named(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    (rules / "titles.yaml").write_text("officers: [unclosed\n")
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    assert "titles.yaml" in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("surnames: [He]\npast_markers: [previously]\n", "exactly the lists"),
        (
            "surnames: []\npast_markers: [x]\nattempts: [sought to]\nplans: [plans to]\n",
            "'surnames'",
        ),
        (
            "surnames: [He]\npast_markers: x\nattempts: [sought to]\nplans: [plans to]\n",
            "'past_markers'",
        ),
        ("surnames: [He]\npast_markers: [x]\nattempts: [sought to]\nplans: []\n", "'plans'"),
    ],
)
def test_people_words_are_checked(tmp_path: Path, text: str, message: str) -> None:
    rules = _copy_rules(tmp_path)
    (rules / "people" / "words.yaml").write_text(text)
    with pytest.raises(RuleError) as info:
        load_rules(rules)
    assert "words.yaml" in str(info.value)
    assert message in str(info.value)


def test_staff_roles_are_required(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    titles = rules / "titles.yaml"
    lines = [ln for ln in titles.read_text().splitlines() if not ln.startswith("staff_roles")]
    titles.write_text("\n".join(lines) + "\n")
    with pytest.raises(RuleError, match="malformed titles file"):
        load_rules(rules)


def test_rules_version_changes_with_the_rules(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    before = load_rules(rules).version
    (rules / "hedges.yaml").write_text((rules / "hedges.yaml").read_text() + "  - well over\n")
    load_rules.cache_clear()
    assert load_rules(rules).version != before


def test_every_company_has_a_name_and_aliases() -> None:
    for company in load_rules().companies:
        assert company.canonical
        assert company.cik is None or company.cik.isdigit()
