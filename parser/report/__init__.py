"""`disclosures report`: static pages that show every fact in its source and each company over
time, built from the store. Plain files: open `index.html` from disk, no server, no network."""

from __future__ import annotations

from pathlib import Path

from parser.output import write_atomic
from parser.report.html import company_page, document_page, index_page
from parser.report.model import company_rows, document_href, document_pages
from parser.store import Store


def build_report(store: Store, out_dir: Path) -> Path:
    """Write the report into `out_dir`; returns the path of its index page."""
    rows, companies = company_rows(store)
    for page in companies:
        write_atomic(out_dir / "companies" / f"{page.slug}.html", company_page(page))
    for document in document_pages(store):
        write_atomic(out_dir / document_href(document.sha), document_page(document))
    index = out_dir / "index.html"
    write_atomic(index, index_page(rows))
    return index


__all__ = ["build_report"]
