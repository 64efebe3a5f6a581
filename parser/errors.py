"""Typed errors. Library code raises these; the pipeline turns them into `Problem`s."""

from __future__ import annotations


class ParserError(Exception):
    """Base of every error this package raises on purpose. `code` is stable for tests."""

    code = "parser.error"


class LoadError(ParserError):
    """A document could not be read or decoded."""

    def __init__(self, source: str, problem: str, code: str = "load.failed") -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
        self.code = code


class RuleError(ParserError):
    """A rules file is malformed; names the file and line."""

    code = "rules.invalid"

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line


class FetchError(ParserError):
    """A URL could not be fetched: names the URL, and the HTTP status when there was one."""

    code = "fetch.failed"

    def __init__(self, url: str, problem: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.status = status
        self.code = "fetch.http_status" if status else "fetch.failed"


class ConfigError(ParserError):
    """A sources file or option is wrong; the message says how to fix it."""

    code = "config.invalid"
