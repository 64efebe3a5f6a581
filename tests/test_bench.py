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
    sections = {"throughput", "stream", "html_loading", "pdf", "memory", "cron_noop", "parallel"}
    assert set(results) >= sections | {"machine", "load_average", "targets"}
    assert results["pdf"]["pages"] == 4
    assert results["throughput"]["extract_docs_per_s"] > 0
    assert results["stream"]["documents"] == 40 and results["stream"]["speed_vs_tokenizing"] > 0
    assert results["machine"]["cpus"] >= 1 and results["load_average"]["after_each_round_1_min"]
    assert {t["target"] for t in results["targets"]} >= {"2 workers vs 1", "HTML loading, docs/s"}


def test_stream_is_nine_unrelated_documents_in_ten() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.run import corpus_raws, stream_raws

    dense = {raw for raw, _ in corpus_raws()}
    stream = stream_raws(200)
    assert sum(raw in dense for raw, _ in stream) == 20
    assert len({raw for raw, _ in stream}) > 100  # unrelated texts are not one text repeated
