"""The run lock: one `run` or `reextract` at a time per store; a second one gets `Locked`."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from parser.errors import ConfigError, ParserError


class Locked(ParserError):
    code = "run.locked"


def lock_path(database: Path) -> Path:
    """The run lock of a database: next to its real file (a symlinked path takes the same
    lock), never the database itself (locking writes a PID into the file)."""
    real = database.resolve()
    lock = real.with_suffix(".lock")
    if lock.resolve() == real:
        raise ConfigError(
            f"{database}: the database cannot be named like its lock file {lock}; "
            "give it another suffix (e.g. .sqlite)"
        )
    return lock


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for the whole run; a second run gets `Locked` at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise Locked(f"another disclosures run holds the lock {path}") from exc
    try:
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
