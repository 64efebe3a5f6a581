from __future__ import annotations

import os
from pathlib import Path

import pytest

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
