"""A text far beyond the usual size, and how fast and in how much memory it is extracted.

    python bench/large_text.py [MEGABYTES]   # default 25: peak RSS (ru_maxrss) and MB/s

The text is a stream as a cron over all 8-Ks meets it, in one document: nine unrelated
filings and press releases (bench/unrelated.py) for each fact-bearing corpus document. The
measure runs in a fresh process, so its peak RSS is this extraction's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.unrelated import unrelated_texts  # noqa: E402
from parser import extract  # noqa: E402
from parser.load import load_path  # noqa: E402

UNRELATED_PER_DOCUMENT = 9


def large_text(size: int) -> str:
    """`size` characters of the stream: corpus documents between unrelated ones."""
    corpus = [load_path(path).text for path in sorted((ROOT / "corpus").glob("*/raw.*"))]
    parts: list[str] = []
    for index, text in enumerate(unrelated_texts(len(corpus) * UNRELATED_PER_DOCUMENT)):
        parts.append(text)
        if index % UNRELATED_PER_DOCUMENT == UNRELATED_PER_DOCUMENT - 1:
            parts.append(corpus[index // UNRELATED_PER_DOCUMENT])
    unit = "\n\n".join(parts)
    return "".join([unit] * (size // len(unit)) + [unit[: size % len(unit)]])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(megabytes: float) -> dict[str, float]:
    extract("Acme Mining mined 5 BTC in May 2025.")  # spaCy and the rules loaded, once
    text = large_text(int(megabytes * 1_000_000))
    before = peak_mb()  # the text in hand: what the extraction itself adds is measured
    started = time.process_time()
    result = extract(text)
    seconds = time.process_time() - started
    return {
        "megabytes": megabytes,
        "facts": len(result.facts),
        "cpu_seconds": round(seconds, 1),
        "mb_per_cpu_second": round(megabytes / seconds, 2),
        "rss_before_mb": round(before),
        "rss_peak_mb": round(peak_mb()),
        "peak_over_text": round((peak_mb() - before) / megabytes, 1),
    }


if __name__ == "__main__":
    print(json.dumps(measure(float(sys.argv[1]) if len(sys.argv) > 1 else 25.0)))
