"""A text far beyond the usual size (and past spaCy's one-million-character limit: sentences
are processed one by one): the extraction adds at most ten times the text to the peak RSS of a
fresh process, plus a constant. Speed is reported by bench/large_text.py, not asserted here."""

from __future__ import annotations

import json
import subprocess
import sys

import spacy

from tests.conftest import ROOT

MEGABYTES = 3
CONSTANT_MB = 30  # allocator slack: freed memory an RSS peak still counts


def test_a_large_text_stays_within_ten_times_its_size_in_memory() -> None:
    assert spacy.blank("en").max_length < MEGABYTES * 1_000_000
    run = subprocess.run(
        [sys.executable, "bench/large_text.py", str(MEGABYTES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    measured = json.loads(run.stdout)
    assert measured["facts"] > 100
    assert measured["rss_peak_mb"] - measured["rss_before_mb"] <= 10 * MEGABYTES + CONSTANT_MB
