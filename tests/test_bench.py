"""A smoke run of the benchmark script on small sizes (the real run is `make bench`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_bench_quick_run_writes_results(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert "throughput.extract_docs_per_s" in done.stdout
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results) >= {"throughput", "html_loading", "pdf", "memory", "cron_noop", "parallel"}
    assert results["pdf"]["pages_in_document"] == 4
    assert results["throughput"]["extract_docs_per_s"] > 0
