"""The HTML loader's output on every page the tests can read is what it was before the loader
moved its work onto the lxml tree (recorded by tests/tools/html_before.py)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from tests.tools.html_before import FIXTURE, SHARED_EDGAR, digest, record

BEFORE: dict[str, dict[str, str | None]] = json.loads(FIXTURE.read_text())


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_loaded_page_is_unchanged(name: str) -> None:
    shared = name.startswith("shared/edgar/")
    path = SHARED_EDGAR / name.removeprefix("shared/edgar/") if shared else ROOT / name
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    fields = record(path)
    expected = BEFORE[name]
    if shared:
        assert digest(fields) == expected["sha256"]
    else:
        assert fields == expected


def test_every_page_is_recorded() -> None:
    from tests.tools.html_before import project_pages

    assert {p.relative_to(ROOT).as_posix() for p in project_pages()} <= set(BEFORE)
    assert sum(name.startswith("shared/") for name in BEFORE) >= 5
