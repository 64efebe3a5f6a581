"""`make bench`: throughput, loading, PDF, memory, cron no-op and parallel speed-up, each against
a baseline measured in the same run. Prints a table; writes bench/results.json and
bench/RESULTS.md.

    python bench/run.py            # full run (a few minutes on 2 cores)
    python bench/run.py --quick    # smoke run on small sizes (used by the test suite)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parser.extract import Extractor  # noqa: E402
from parser.load import load_bytes, load_path  # noqa: E402
from parser.pipeline import default_extractor, extract_document, extract_many  # noqa: E402
from parser.run import run_pipeline  # noqa: E402
from parser.store import Store  # noqa: E402
from parser.types import Document  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev" / "docs"


def corpus_raws() -> list[tuple[bytes, str]]:
    files = sorted(p for p in (ROOT / "corpus").rglob("raw.*") if p.suffix != ".pdf")
    files += sorted(DEV.glob("*.txt")) if DEV.is_dir() else []
    return [(f.read_bytes(), f.name) for f in files]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def throughput(count: int) -> dict[str, float]:
    """Extraction over `count` documents vs spaCy merely tokenizing the same texts."""
    documents = [load_bytes(raw, name) for raw, name in corpus_raws()]
    texts = [documents[i % len(documents)] for i in range(count)]
    megabytes = sum(len(d.text.encode()) for d in texts) / 1e6
    extractor = default_extractor()
    nlp = spacy.blank("en")
    started = time.perf_counter()
    for _ in nlp.pipe(d.text for d in texts):
        pass
    tokenize = time.perf_counter() - started
    extract = _time_extraction(texts, extractor)
    return {
        "documents": count,
        "extract_docs_per_s": count / extract,
        "extract_mb_per_s": megabytes / extract,
        "tokenize_docs_per_s": count / tokenize,
        "speed_vs_tokenizing": tokenize / extract,
    }


def _time_extraction(documents: list[Document], extractor: Extractor) -> float:
    """Seconds to extract every document (loading excluded)."""
    started = time.perf_counter()
    for document in documents:
        extract_document(document, extractor)
    return time.perf_counter() - started


def html_loading(count: int) -> dict[str, float]:
    raws = [r for r, name in corpus_raws() if r.lstrip()[:1] == b"<"]
    batch = [raws[i % len(raws)] for i in range(count)]
    extractor = default_extractor()
    started = time.perf_counter()
    documents = [load_bytes(raw, "bench.html") for raw in batch]
    load = time.perf_counter() - started
    extract = _time_extraction(documents, extractor)
    return {
        "documents": count,
        "load_docs_per_s": count / load,
        "load_share": load / (load + extract),
    }


def pdf_pages(pages: int, folder: Path) -> dict[str, float]:
    path = folder / "letter.pdf"
    _write_letter(path, pages)
    raw = path.read_bytes()
    import pdfplumber
    import pypdfium2 as pdfium

    load_path(ROOT / "corpus" / "hive-shareholder-letter-pdf" / "raw.pdf")  # warm up imports
    started = time.perf_counter()
    document = load_bytes(raw, str(path))
    ours = time.perf_counter() - started
    started = time.perf_counter()
    pdf = pdfium.PdfDocument(raw)
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()
    text_only = time.perf_counter() - started
    started = time.perf_counter()
    with pdfplumber.open(str(path)) as plumber:
        for page in plumber.pages:
            page.extract_text()
            page.extract_tables()
    plumber_only = time.perf_counter() - started
    return {
        "pages": pages,
        "loader_pages_per_s": pages / ours,
        "pdfium_text_pages_per_s": pages / text_only,
        "pdfplumber_pages_per_s": pages / plumber_only,
        "loader_vs_pdfplumber": plumber_only / ours,
        "pages_in_document": len(document.pages),
    }


def _write_letter(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=LETTER)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 10)
        y = 740
        for line in range(45):
            pdf.drawString(
                54,
                y,
                f"Page {number}, line {line}: during the month the company mined 512 bitcoin and",
            )
            y -= 14
        if number % 4 == 0:  # every fourth page carries a ruled production table
            for row, cells in enumerate([["Metric", "Q3", "Q2"], ["Bitcoin mined", "865", "742"]]):
                for column, cell in enumerate(cells):
                    pdf.rect(54 + column * 120, 80 - row * 18, 120, 18)
                    pdf.drawString(58 + column * 120, 85 - row * 18, cell)
        pdf.showPage()
    pdf.save()


def _write_folder(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    raws = corpus_raws()
    for index in range(count):
        raw, name = raws[index % len(raws)]
        marker = (
            f"\n\nCopy {index}.\n".encode()
            if not raw.lstrip().startswith(b"<")
            else f"<!-- {index} -->".encode()
        )
        (folder / f"{index:05d}-{name}").write_bytes(raw + marker)
    return folder


def memory(count: int, folder: Path) -> dict[str, float]:
    source = _write_folder(folder / "stream", count)
    checkpoints: dict[str, float] = {"start_mb": rss_mb()}
    for index, _ in enumerate(extract_many([source]), start=1):
        if index == min(1000, count // 10 or 1):
            checkpoints["rss_mb_at_10pct"] = rss_mb()
    checkpoints["rss_mb_at_end"] = rss_mb()
    checkpoints["documents"] = count
    return checkpoints


def cron_noop(sizes: list[int], folder: Path) -> dict[str, float]:
    source = folder / "cron"
    out = folder / "cron-out"
    results: dict[str, float] = {}
    extractor = default_extractor()
    written = 0
    with Store(out / "store.sqlite") as store:
        for size in sizes:
            raws = corpus_raws()
            source.mkdir(exist_ok=True)
            for index in range(written, size):
                raw, name = raws[index % len(raws)]
                (source / f"{index:05d}-{name}").write_bytes(raw + f"\n\nCopy {index}.\n".encode())
            written = size
            run_pipeline(store, extractor, out, folder=source)
            started = time.perf_counter()
            report = run_pipeline(store, extractor, out, folder=source)
            results[f"noop_seconds_at_{size}"] = time.perf_counter() - started
            assert report.extracted == 0 and report.unchanged == size
    return results


def parallel(count: int, folder: Path) -> dict[str, float]:
    source = _write_folder(folder / "parallel", count)
    command = [sys.executable, "-m", "parser", "extract", str(source)]
    timings = {}
    for workers in (1, 2):
        started = time.perf_counter()
        subprocess.run(
            [*command, "--workers", str(workers)], check=True, stdout=subprocess.DEVNULL, cwd=ROOT
        )
        timings[workers] = time.perf_counter() - started
    return {
        "documents": count,
        "seconds_1_worker": timings[1],
        "seconds_2_workers": timings[2],
        "speedup_2_workers": timings[1] / timings[2],
    }


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    options.add_argument("--out", type=Path, default=ROOT / "bench", help="where results go")
    args = options.parse_args()
    quick = args.quick
    machine = f"{platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, spaCy {spacy.__version__}"
    folder = Path(tempfile.mkdtemp(prefix="disclosures-bench-"))
    try:
        results = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine,
            "throughput": throughput(40 if quick else 2000),
            "html_loading": html_loading(20 if quick else 500),
            "pdf": pdf_pages(4 if quick else 20, folder),
            "memory": memory(40 if quick else 10000, folder),
            "cron_noop": cron_noop([20, 40] if quick else [2500, 5000, 10000], folder),
            "parallel": parallel(20 if quick else 2000, folder),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    table = render(results)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    if not quick:
        (args.out / "RESULTS.md").write_text(table + "\n")


def render(results: dict[str, object]) -> str:
    lines = [f"# Benchmarks — {results['date']}", "", f"Machine: {results['machine']}", "",
             "| measure | value |", "|---|---|"]  # fmt: skip
    for section, values in results.items():
        if isinstance(values, dict):
            for key, value in values.items():
                shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
                lines.append(f"| {section}.{key} | {shown} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
