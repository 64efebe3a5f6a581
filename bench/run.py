"""`make bench`: extraction speed against spaCy-blank tokenizing (the dev mix, and a realistic
stream where 9 of 10 documents are unrelated 8-K / press-release text), HTML and PDF loading,
the 2-worker speed-up, memory and the cron no-op.

The timed measures run interleaved: every round runs each of them once (in a rotated order), so
a burst of load from other processes falls on all of them alike; each figure is the median over
the rounds, and every ratio is taken inside one round before the median. The load average is
recorded with each round. Results go to bench/results.json and bench/RESULTS.md with the machine
they ran on.

    python bench/run.py              # full run (a few minutes on 2 cores)
    python bench/run.py --rounds 5   # more rounds
    python bench/run.py --quick      # smoke run on small sizes (used by the test suite)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from importlib import metadata
from pathlib import Path

import spacy
from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.unrelated import unrelated_texts  # noqa: E402
from parser import pipeline  # noqa: E402
from parser.load import load_bytes  # noqa: E402
from parser.pipeline import default_extractor, extract_document, extract_many  # noqa: E402
from parser.store import Store  # noqa: E402
from parser.types import Document  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev" / "docs"
FILINGS = ROOT.parent / "shared" / "edgar" / "filings"
UNRELATED_SHARE = 9  # of every 10 documents in the realistic stream

# Targets from issue 16; each is (results key, minimum).
TARGETS = {
    "extraction vs tokenizing (dev mix)": ("throughput.speed_vs_tokenizing", 1.0),
    "realistic stream vs tokenizing": ("stream.speed_vs_tokenizing", 3.0),
    "HTML loading, docs/s": ("html_loading.load_docs_per_s", 1000.0),
    "HTML loading, docs per CPU second": ("html_loading.load_docs_per_cpu_s", 1000.0),
    "PDF loader, pages/s (table-heavy)": ("pdf.loader_pages_per_s", 100.0),
    "PDF loader, pages per CPU second": ("pdf.loader_pages_per_cpu_s", 100.0),
    "2 workers vs 1": ("parallel.speedup_2_workers", 1.7),
    "2 workers vs 1, from CPU seconds": ("parallel.speedup_2_workers_on_idle_cores", 1.7),
}


@dataclass(frozen=True)
class Sizes:
    throughput: int
    stream: int
    html: int
    pdf_pages: int
    parallel: int
    memory: int
    cron: tuple[int, ...]


FULL = Sizes(600, 600, 300, 50, 2000, 1000, (250, 500, 1000))
QUICK = Sizes(40, 40, 20, 4, 20, 40, (20, 40))


@dataclass
class Inputs:
    """Everything the measures read, prepared once before the rounds."""

    dense: list[Document]
    stream_raws: list[tuple[bytes, str]]
    stream: list[Document]
    html_raws: list[bytes]
    pdf_raw: bytes
    pdf_path: Path
    parallel_folder: Path
    parallel_count: int
    pair_order: int = 0


def corpus_raws() -> list[tuple[bytes, str]]:
    files = sorted(p for p in (ROOT / "corpus").rglob("raw.*") if p.suffix != ".pdf")
    files += sorted(DEV.glob("*.txt")) if DEV.is_dir() else []
    return [(f.read_bytes(), f.name) for f in files]


def stream_raws(count: int) -> list[tuple[bytes, str]]:
    """One fact-dense corpus document in ten; the rest unrelated: a real EDGAR filing in every
    sixth unrelated slot, texts written by `bench.unrelated` in the others."""
    dense = corpus_raws()
    filings = sorted(FILINGS.glob("*")) if FILINGS.is_dir() else []
    real = [(f.read_bytes(), f.name) for f in filings if f.is_file()]
    written = [(t.encode(), f"unrelated-{i}.txt") for i, t in enumerate(unrelated_texts(200))]
    raws: list[tuple[bytes, str]] = []
    unrelated = 0
    for index in range(count):
        if index % 10 >= UNRELATED_SHARE:
            raws.append(dense[(index // 10) % len(dense)])
            continue
        use_real = real and unrelated % 6 == 0
        raws.append(real[unrelated // 6 % len(real)] if use_real else written[unrelated % 200])
        unrelated += 1
    return raws


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@cache
def _blank() -> Language:
    return spacy.blank("en")


def _tokenize_all(texts: list[str]) -> None:
    for _ in _blank().pipe(texts):
        pass


def _extract_all(documents: list[Document]) -> None:
    extractor = default_extractor()
    for document in documents:
        extract_document(document, extractor)


def _versus_tokenizing(documents: list[Document]) -> dict[str, float]:
    texts = [d.text for d in documents]
    tokenize = _seconds(lambda: _tokenize_all(texts))
    extract = _seconds(lambda: _extract_all(documents))
    count = len(documents)
    return {
        "documents": count,
        "extract_docs_per_s": count / extract,
        "extract_mb_per_s": sum(len(t.encode()) for t in texts) / 1e6 / extract,
        "tokenize_docs_per_s": count / tokenize,
        "speed_vs_tokenizing": tokenize / extract,
    }


def throughput(inputs: Inputs) -> dict[str, float]:
    """Extraction over the fact-dense corpus and dev texts vs spaCy merely tokenizing them."""
    return _versus_tokenizing(inputs.dense)


def stream(inputs: Inputs) -> dict[str, float]:
    """The realistic stream: extraction vs tokenizing, and loading plus extraction."""
    results = _versus_tokenizing(inputs.stream)
    extractor = default_extractor()
    load_extract = _seconds(
        lambda: [
            extract_document(load_bytes(raw, name), extractor) for raw, name in inputs.stream_raws
        ]
    )
    results["load_extract_docs_per_s"] = len(inputs.stream_raws) / load_extract
    return results


def html_loading(inputs: Inputs) -> dict[str, float]:
    """The HTML loader vs lxml merely parsing the same pages (the floor for any loader)."""
    import lxml.html

    batch = inputs.html_raws
    parse = _seconds(lambda: [lxml.html.document_fromstring(raw) for raw in batch])
    cpu = time.process_time()
    load = _seconds(lambda: [load_bytes(raw, "bench.html") for raw in batch])
    cpu = time.process_time() - cpu
    return {
        "documents": len(batch),
        "load_docs_per_s": len(batch) / load,
        "load_docs_per_cpu_s": len(batch) / cpu,
        "lxml_parse_docs_per_s": len(batch) / parse,
        "load_vs_lxml_parse": parse / load,
    }


def pdf(inputs: Inputs) -> dict[str, float]:
    """The PDF loader vs pypdfium2 text alone and pdfplumber over whole pages."""
    import pdfplumber
    import pypdfium2 as pdfium

    def pdfium_text() -> None:
        document = pdfium.PdfDocument(inputs.pdf_raw)
        for page in document:
            page.get_textpage().get_text_range()
        document.close()

    def plumber_pages() -> None:
        with pdfplumber.open(str(inputs.pdf_path)) as plumber:
            for page in plumber.pages:
                page.extract_text()
                page.extract_tables()

    loaded: list[Document] = []
    cpu = time.process_time()
    ours = _seconds(lambda: loaded.append(load_bytes(inputs.pdf_raw, str(inputs.pdf_path))))
    cpu = time.process_time() - cpu
    text_only = _seconds(pdfium_text)
    plumber = _seconds(plumber_pages)
    pages = len(loaded[0].pages)
    return {
        "pages": pages,
        "table_pages": pages // 2,
        "loader_pages_per_s": pages / ours,
        "loader_pages_per_cpu_s": pages / cpu,
        "pdfium_text_pages_per_s": pages / text_only,
        "pdfplumber_pages_per_s": pages / plumber,
        "loader_vs_pdfplumber": plumber / ours,
        "loader_vs_pdfium_text": text_only / ours,
    }


# `disclosures ...` that prints its own CPU seconds and its workers' as JSON on stderr at exit.
_CPU_REPORTING_CLI = """
import atexit, json, resource, sys
def report():
    own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    sys.stderr.write(json.dumps([own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime]) + "\\n")
atexit.register(report)
sys.argv[0] = "disclosures"
from parser.cli import app
app(prog_name="disclosures")
"""


def parallel(inputs: Inputs) -> dict[str, float]:
    """`disclosures extract FOLDER` with 1 and with 2 workers (process start included), the
    first of the two alternating by round. Besides wall time, each run's CPU seconds (its own
    and its workers'): on 2 idle cores the 2-worker run would take the larger of half its CPU
    and its parent's CPU, the load-independent estimate of the speed-up."""
    command = [sys.executable, "-c", _CPU_REPORTING_CLI, "extract", str(inputs.parallel_folder)]
    seconds: dict[int, float] = {}
    cpu: dict[int, tuple[float, float]] = {}

    def run(workers: int) -> None:
        done = subprocess.run(
            [*command, "--workers", str(workers)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, text=True,
        )  # fmt: skip
        own, kids = json.loads(done.stderr.strip().splitlines()[-1])
        cpu[workers] = (own, kids)

    for workers in (1, 2) if inputs.pair_order % 2 == 0 else (2, 1):  # first one changes by round
        seconds[workers] = _seconds(partial(run, workers))
    inputs.pair_order += 1
    one, two = seconds[1], seconds[2]
    parent, workers_cpu = cpu[2]
    return {
        "documents": inputs.parallel_count,
        "seconds_1_worker": one,
        "seconds_2_workers": two,
        "speedup_2_workers": one / two,
        "cpu_seconds_1_worker": sum(cpu[1]),
        "cpu_seconds_2_workers_parent": parent,
        "cpu_seconds_2_workers_workers": workers_cpu,
        "speedup_2_workers_on_idle_cores": sum(cpu[1]) / max((parent + workers_cpu) / 2, parent),
    }


MEASURES: dict[str, Callable[[Inputs], dict[str, float]]] = {
    "throughput": throughput,
    "stream": stream,
    "html_loading": html_loading,
    "pdf": pdf,
    "parallel": parallel,
}


def _write_letter(path: Path, pages: int) -> None:
    """A letter whose every second page carries a ruled production table of figures, the other
    pages running text with numbers (which must not be read as tables)."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=LETTER)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 10)
        lines = 24 if number % 2 == 0 else 45
        y = 740
        for line in range(lines):
            pdf.drawString(
                54,
                y,
                f"Page {number}, line {line}: during the month the company mined 512 bitcoin and",
            )
            y -= 14
        if number % 2 == 0:
            _draw_table(pdf, number, top=y - 20)
        pdf.showPage()
    pdf.save()


def _draw_table(pdf: object, number: int, top: float) -> None:
    rows = [["Metric", "Q3 2025", "Q2 2025", "Q3 2024"]] + [
        [
            label,
            f"{(number * 37 + i * 11) % 900 + 100:,}",
            f"{(number * 23 + i) % 900 + 80:,}",
            f"{(number * 13 + i * 7) % 800 + 50:,}",
        ]
        for i, label in enumerate(
            [
                "Bitcoin mined",
                "Bitcoin held",
                "Hashrate (EH/s)",
                "Miners online",
                "Fleet (J/TH)",
                "Power (MW)",
                "Revenue ($k)",
                "Cost per coin ($k)",
            ]
        )
    ]
    for row, cells in enumerate(rows):
        for column, cell in enumerate(cells):
            x, y = 54 + column * 120, top - row * 18
            pdf.rect(x, y, 120, 18)  # type: ignore[attr-defined]
            pdf.drawString(x + 4, y + 5, cell)  # type: ignore[attr-defined]


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


def prepare(sizes: Sizes, folder: Path) -> Inputs:
    dense_raws = corpus_raws()
    dense_docs = [load_bytes(raw, name) for raw, name in dense_raws]
    raws = stream_raws(sizes.stream)
    html = [r for r, _ in dense_raws if r.lstrip()[:1] == b"<"]
    pdf_path = folder / "letter.pdf"
    _write_letter(pdf_path, sizes.pdf_pages)
    default_extractor()  # built once, outside every timing
    _blank()
    return Inputs(
        dense=[dense_docs[i % len(dense_docs)] for i in range(sizes.throughput)],
        stream_raws=raws,
        stream=[load_bytes(raw, name) for raw, name in raws],
        html_raws=[html[i % len(html)] for i in range(sizes.html)],
        pdf_raw=pdf_path.read_bytes(),
        pdf_path=pdf_path,
        parallel_folder=_write_folder(folder / "parallel", sizes.parallel),
        parallel_count=sizes.parallel,
    )


def memory(count: int, folder: Path) -> dict[str, float]:
    source = _write_folder(folder / "stream", count)
    checkpoints: dict[str, float] = {"start_mb": rss_mb()}
    for index, _ in enumerate(extract_many([source]), start=1):
        if index == min(1000, count // 10 or 1):
            checkpoints["rss_mb_at_10pct"] = rss_mb()
    checkpoints["rss_mb_at_end"] = rss_mb()
    checkpoints["documents"] = count
    return checkpoints


def cron_noop(sizes: tuple[int, ...], folder: Path) -> dict[str, float]:
    source = folder / "cron"
    out = folder / "cron-out"
    results: dict[str, float] = {}
    extractor = default_extractor()
    written = 0
    raws = corpus_raws()
    with Store(out / "store.sqlite") as store:
        for size in sizes:
            source.mkdir(exist_ok=True)
            for index in range(written, size):
                raw, name = raws[index % len(raws)]
                (source / f"{index:05d}-{name}").write_bytes(raw + f"\n\nCopy {index}.\n".encode())
            written = size
            pipeline.run(store, extractor, out, folder=source)
            started = time.perf_counter()
            report = pipeline.run(store, extractor, out, folder=source)
            results[f"noop_seconds_at_{size}"] = time.perf_counter() - started
            assert report.extracted == 0 and report.unchanged == size
    return results


def run_rounds(
    inputs: Inputs, rounds: int
) -> tuple[dict[str, list[dict[str, float]]], list[float]]:
    """Each round runs every measure once, starting one further along the list each time."""
    names = list(MEASURES)
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    loads: list[float] = []
    for round_number in range(rounds):
        order = names[round_number % len(names) :] + names[: round_number % len(names)]
        for name in order:
            samples[name].append(MEASURES[name](inputs))
        loads.append(os.getloadavg()[0])
        print(f"round {round_number + 1}/{rounds} done, load average {loads[-1]:.2f}", flush=True)
    return samples, loads


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def machine() -> dict[str, object]:
    cpu = "unknown"
    for line in (
        Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").is_file() else []
    ):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    if Path("/proc/meminfo").is_file():
        memory_kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
    libraries = ("spacy", "beautifulsoup4", "lxml", "pdfplumber", "pypdfium2")
    return {
        "host": platform.node(),
        "cpu": cpu,
        "cpus": os.cpu_count() or 0,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "libraries": {name: metadata.version(name) for name in libraries},
    }


def targets(results: dict[str, dict[str, float]]) -> list[dict[str, object]]:
    checks = []
    for label, (key, minimum) in TARGETS.items():
        section, field = key.split(".")
        value = results[section][field]
        checks.append(
            {"target": label, "minimum": minimum, "measured": value, "met": value >= minimum}
        )
    return checks


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    options.add_argument("--rounds", type=int, default=None, help="rounds (default 3, quick 1)")
    options.add_argument("--out", type=Path, default=ROOT / "bench", help="where results go")
    args = options.parse_args()
    sizes = QUICK if args.quick else FULL
    rounds = args.rounds or (1 if args.quick else 3)
    folder = Path(tempfile.mkdtemp(prefix="disclosures-bench-"))
    load_start = os.getloadavg()
    started = time.perf_counter()
    try:
        inputs = prepare(sizes, folder)
        samples, loads = run_rounds(inputs, rounds)
        measured: dict[str, dict[str, float]] = {k: medians(v) for k, v in samples.items()}
        measured["memory"] = memory(sizes.memory, folder)
        measured["cron_noop"] = cron_noop(sizes.cron, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "rounds": rounds,
        "seconds": round(time.perf_counter() - started, 1),
        "load_average": {
            "start_1_5_15_min": list(load_start),
            "after_each_round_1_min": loads,
            "end_1_5_15_min": list(os.getloadavg()),
        },
        **measured,
        "targets": targets(measured),
        "rounds_raw": samples,
    }
    table = render(results)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    if not args.quick:
        (args.out / "RESULTS.md").write_text(table + "\n")


def render(results: dict[str, object]) -> str:
    info = results["machine"]
    assert isinstance(info, dict)
    libraries = ", ".join(f"{k} {v}" for k, v in info["libraries"].items())
    load = results["load_average"]
    assert isinstance(load, dict)
    lines = [
        f"# Benchmarks — {results['date']}",
        "",
        f"Machine: {info['host']}: {info['cpu']}, {info['cpus']} CPU(s), {info['memory_gb']} GB, "
        f"{info['system']}, Python {info['python']}; {libraries}",
        "",
        f"Medians of {results['rounds']} interleaved rounds ({results['seconds']} s in all). "
        f"Load average (1/5/15 min) at start {_loads(load['start_1_5_15_min'])}, after each round "
        f"{_loads(load['after_each_round_1_min'])}, at end {_loads(load['end_1_5_15_min'])} — "
        "absolute figures shrink under load, ratios measured inside one round much less.",
        "",
        "| target | minimum | measured | met |",
        "|---|---|---|---|",
    ]
    checks = results["targets"]
    assert isinstance(checks, list)
    for check in checks:
        met = "yes" if check["met"] else "no"
        lines.append(
            f"| {check['target']} | {check['minimum']:,} | {check['measured']:,.2f} | {met} |"
        )
    lines += ["", "| measure | value |", "|---|---|"]
    for section, values in results.items():
        if isinstance(values, dict) and section not in ("machine", "load_average", "rounds_raw"):
            for key, value in values.items():
                shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
                lines.append(f"| {section}.{key} | {shown} |")
    return "\n".join(lines)


def _loads(values: object) -> str:
    assert isinstance(values, list)
    return " / ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
