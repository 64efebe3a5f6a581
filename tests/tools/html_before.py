"""Write tests/fixtures/html_before.json: what the HTML loader gives for every HTML page the
tests can read (the corpus and test fixtures in full; the shared EDGAR files as a SHA-256 of the
record, since their text is not copied into the project). Run it only to record a deliberate
change of the loader's output: `python tests/tools/html_before.py`."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from parser.load import load_path  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "html_before.json"
SHARED_EDGAR = ROOT.parent / "shared" / "edgar"


def project_pages() -> list[Path]:
    found = [*(ROOT / "corpus").glob("*/raw.htm*"), *(ROOT / "tests" / "fixtures").rglob("*.htm*")]
    return sorted(found)


def shared_pages() -> list[Path]:
    folders = ("filings", "index-pages")
    return sorted(p for f in folders for p in (SHARED_EDGAR / f).glob("*") if p.is_file())


def record(path: Path) -> dict[str, str | None]:
    document = load_path(path)
    return {
        "title": document.title,
        "published": document.published,
        "issuer": document.issuer,
        "text": document.text,
    }


def digest(fields: dict[str, str | None]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def main() -> None:
    pages: dict[str, object] = {}
    for path in project_pages():
        pages[path.relative_to(ROOT).as_posix()] = record(path)
    for path in shared_pages():
        pages["shared/edgar/" + path.relative_to(SHARED_EDGAR).as_posix()] = {
            "sha256": digest(record(path))
        }
    FIXTURE.write_text(json.dumps(pages, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(pages)} pages to {FIXTURE}")


if __name__ == "__main__":
    main()
