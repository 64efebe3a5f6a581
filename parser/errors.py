"""Typed errors. Library code raises these; the pipeline turns them into `Problem`s."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from parser.types import Problem


class ParserError(Exception):
    """Base of every error this package raises on purpose. `code` is stable for tests."""

    code = "parser.error"
    stage = "extract"

    def as_problem(self) -> Problem:
        """The error as a document's `Problem` (code, stage, message)."""
        return Problem(self.code, self.stage, str(self))


class LoadError(ParserError):
    """A document could not be read or decoded."""

    stage = "load"

    def __init__(self, source: str, problem: str, code: str = "load.failed") -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
        self.code = code


class RuleError(ParserError):
    """A rules file is malformed; names the file and line."""

    code = "rules.invalid"
    stage = "rules"

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line


class FetchError(ParserError):
    """A URL could not be fetched: names the URL, and the HTTP status when there was one.
    `code`: `fetch.http_status`, `fetch.private_address` (a loopback, private, link-local ...
    address refused), `fetch.bad_redirect` (to a scheme other than http(s)), `fetch.deadline`
    (the whole request took too long), else `fetch.failed`."""

    code = "fetch.failed"
    stage = "fetch"

    def __init__(
        self, url: str, problem: str, status: int | None = None, code: str | None = None
    ) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.status = status
        self.code = code or ("fetch.http_status" if status else "fetch.failed")


class ConfigError(ParserError):
    """A sources file or option is wrong; the message says how to fix it."""

    code = "config.invalid"
    stage = "config"


class InternalError(ParserError):
    """An unexpected failure (a bug, or a library tripping over hostile input) while handling
    one document: `<stage>.internal`, naming the document and the original exception."""

    def __init__(self, source: str, stage: str, exc: BaseException) -> None:
        super().__init__(f"{source}: {type(exc).__name__}: {exc}")
        self.source = source
        self.stage = stage
        self.code = f"{stage}.internal"


@contextmanager
def guard(source: str, stage: str) -> Iterator[None]:
    """Let the project's errors through; turn any other exception into an `InternalError`."""
    try:
        yield
    except ParserError:
        raise
    except Exception as exc:
        raise InternalError(source, stage, exc) from exc
