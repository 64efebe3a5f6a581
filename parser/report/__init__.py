"""`disclosures report`: static pages that show every fact in its source and each company over
time, built from the store. Plain files: open `index.html` from disk, no server, no network."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from parser.output import write_atomic
from parser.report.html import (
    company_page,
    comparison_page,
    coverage_page,
    document_page,
    index_page,
)
from parser.report.model import company_rows, comparison, coverage, document_href, document_pages
from parser.store import Store

COMPARISON_CSV = "produced-by-month.csv"


def build_report(store: Store, out_dir: Path) -> Path:
    """Write the report into `out_dir`; returns the path of its index page."""
    rows, companies = company_rows(store)
    for page in companies:
        write_atomic(out_dir / "companies" / f"{page.slug}.html", company_page(page))
    for document in document_pages(store):
        write_atomic(out_dir / document_href(document.sha), document_page(document))
    charts, table = comparison(store)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["company", *table.periods])
    writer.writerows(table.text_rows(grouped=False))
    write_atomic(out_dir / COMPARISON_CSV, buffer.getvalue())
    write_atomic(out_dir / "comparison.html", comparison_page(charts, table, COMPARISON_CSV))
    write_atomic(out_dir / "coverage.html", coverage_page(coverage(store)))
    index = out_dir / "index.html"
    write_atomic(index, index_page(rows))
    return index


__all__ = ["build_report"]
