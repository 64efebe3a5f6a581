"""Small monthly updates written for the analyst-facing tests (tables, ledger, report)."""

from __future__ import annotations

from pathlib import Path

from parser import pipeline
from parser.pipeline import default_extractor
from parser.store import Store

DOCS = {
    "acme-2025-02.txt": (
        "Acme Hash Corp. Reports February 2025 Results\n\n"
        "March 3, 2025 -- Acme Hash Corp. (NASDAQ: ACMH) produced 300 BTC in February 2025. The Company sold "
        "100 BTC in February 2025. As of February 28, 2025, the Company held 1,200 BTC. "
        "As of February 28, 2025, operational hashrate was 20.5 EH/s.\n"
    ),
    "acme-2025-04.md": (
        "# ACMH April update\n\nAcme Hash Corp. (NASDAQ: ACMH) mined approximately 320 BTC in "
        "April 2025.\n\nThe Company held 1,850 BTC as of April 30, 2025.\n"
    ),
    "zeta-q1.txt": (
        "Zeta Mining Inc. (NYSE: ZETM) mined 150 BTC in January 2025.\n"
        "Zeta Mining Inc. mined 160 BTC in February 2025.\n"
        "Zeta Mining Inc. mined 170 BTC in March 2025.\n"
    ),
}


def build_store(root: Path, docs: dict[str, str] = DOCS) -> Path:
    folder = root / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text)
    with Store(root / "store.sqlite") as store:
        pipeline.run(store, default_extractor(), root / "out", folder=folder)
    return root / "store.sqlite"
