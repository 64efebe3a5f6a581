"""Local folders as a source: the supported documents under a folder (recursively, sorted) and
their raw bytes; `extract PATH`, `run --folder` and a sources file's `folders` all read them here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from parser.types import Problem

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".text"}


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the supported documents inside folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def read_folder(folder: Path) -> Iterator[tuple[Path, bytes] | Problem]:
    """Each supported file's path and raw bytes; a file that cannot be read is its `Problem`
    (`load.io`) and the walk goes on."""
    for path in expand_paths([folder]):
        try:
            yield path, path.read_bytes()
        except OSError as exc:
            yield Problem("load.io", "load", f"{path}: cannot read ({exc.strerror or exc})")
