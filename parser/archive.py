"""The folder of fetched documents (`fetch -o DIR`, `run`'s `documents/`): each raw document
under a safe name, and a line per document in `manifest.jsonl`."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from parser.fetch import Fetched
from parser.output import write_atomic_bytes

_EXTENSIONS = {"application/pdf": ".pdf", "text/html": ".html", "text/plain": ".txt"}


def write_fetched(folder: Path, fetched: Fetched) -> Path:
    """Write the raw document under a safe name and add its manifest line (once)."""
    path = folder / safe_file_name(fetched)
    if not path.exists():
        write_atomic_bytes(path, fetched.raw)
        line = {
            "source": fetched.url,
            "company": fetched.company,
            "ticker": fetched.ticker,
            "form": fetched.form,
            "filing_date": fetched.filing_date,
            "accession": fetched.accession,
            "media_type": fetched.media_type,
            "sha256": fetched.sha256,
            "path": path.name,
        }
        _append_line(folder / "manifest.jsonl", json.dumps(line, ensure_ascii=False))
    return path


def safe_file_name(fetched: Fetched) -> str:
    """`<date>_<ticker>_<slug>_<sha12><ext>` (the slug from the URL's last part): only
    [A-Za-z0-9._-], bounded length, whatever the URL says (no `..`, no slashes, no control
    characters)."""
    name = fetched.url.rstrip("/").rsplit("/", 1)[-1]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60] or "document"
    parts = [fetched.filing_date or "", (fetched.ticker or "").lower(), slug, fetched.sha256[:12]]
    stem = "_".join(re.sub(r"[^A-Za-z0-9-]", "", p) for p in parts if p)
    return stem + _EXTENSIONS.get(fetched.media_type, ".bin")


def _append_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
