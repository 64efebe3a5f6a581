"""disclosure-parser: Bitcoin miner and treasury-company announcements -> sourced facts.

>>> from parser import extract
>>> result = extract("Acme Mining produced 450 BTC in May 2025.")

The extraction entry points load spaCy, so they are imported on first use: commands and
programs that only query a store start without it.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from parser.errors import LoadError, ParserError, RuleError
from parser.output import Extraction
from parser.types import CompanyRef, Document, Evidence, Fact, Problem

if TYPE_CHECKING:
    from parser.load import load_bytes, load_path
    from parser.pipeline import extract, extract_many
    from parser.store import Store

__version__ = "0.1.0"

_LAZY = {
    "extract": "parser.pipeline",
    "extract_many": "parser.pipeline",
    "load_bytes": "parser.load",
    "load_path": "parser.load",
    "Store": "parser.store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'parser' has no attribute {name!r}")


class _Package(ModuleType):
    """Importing the subpackage `parser.extract` must not replace the function `extract`."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "CompanyRef",
    "Document",
    "Evidence",
    "Extraction",
    "Fact",
    "LoadError",
    "ParserError",
    "Problem",
    "RuleError",
    "Store",
    "__version__",
    "extract",
    "extract_many",
    "load_bytes",
    "load_path",
]
