"""Golden documents: every corpus/<slug>/raw.* must give exactly its expected.json.

`pytest --update-golden` rewrites expected.json from the current output; review the git diff
before committing it. A document listed in KNOWN_FAILURES must still fail (strict xfail), so a
fix that makes it pass is noticed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parser import extract
from parser.output import validate
from tests.conftest import CORPUS

# slug -> what the extractor still gets wrong (expected.json holds the right answer).
KNOWN_FAILURES: dict[str, str] = {}


def _documents() -> list[Any]:
    params = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        raw = next(folder.glob("raw.*"))
        marks = []
        if folder.name in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(reason=KNOWN_FAILURES[folder.name], strict=True))
        params.append(pytest.param(raw, id=folder.name, marks=marks))
    return params


def golden_view(raw: Path) -> dict[str, Any]:
    """The output with the machine-dependent source path replaced by the corpus-relative one."""
    payload = extract(raw).to_dict()
    validate(payload)
    payload["document"]["source"] = raw.relative_to(CORPUS).as_posix()
    return payload


@pytest.mark.parametrize("raw", _documents())
def test_golden_document(raw: Path, request: pytest.FixtureRequest) -> None:
    expected_path = raw.parent / "expected.json"
    actual = golden_view(raw)
    if request.config.getoption("--update-golden") and raw.parent.name not in KNOWN_FAILURES:
        expected_path.write_text(
            json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert _facts(actual) == _facts(expected)
    assert actual == expected


def _facts(payload: dict[str, Any]) -> list[str]:
    """A readable one-line-per-fact summary, so a failing diff shows what changed."""
    lines = []
    for fact in payload["facts"]:
        fields = {
            k: v for k, v in fact.items() if k not in ("evidence", "company", "type", "confidence")
        }
        lines.append(
            f"{fact['type']} {fact['company']['canonical']} {json.dumps(fields, sort_keys=True)}"
        )
    return sorted(lines)


def test_corpus_is_large_enough() -> None:
    slugs = [p for p in CORPUS.iterdir() if p.is_dir()]
    assert len(slugs) >= 20
    kinds = {next(p.glob("raw.*")).suffix for p in slugs}
    assert {".html", ".pdf", ".txt"} <= kinds | {".htm"}
