from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so CI passes or fails on the code, not on
# the draw; `HYPOTHESIS_PROFILE=explore make test` draws fresh examples to look for new failures
# (a failing one then becomes a table row of its own).
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
CORPUS = ROOT / "corpus"
SHARED_DEV = Path(
    os.environ.get("DISCLOSURES_DEV_CORPUS", ROOT.parent / "shared" / "corpus" / "dev")
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite corpus/*/expected.json from the current output (review the diff).",
    )
