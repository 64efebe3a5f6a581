"""disclosure-parser: Bitcoin miner and treasury-company announcements -> sourced facts.

>>> from parser import extract
>>> result = extract("Acme Mining produced 450 BTC in May 2025.")
"""

from __future__ import annotations

from parser.errors import LoadError, ParserError, RuleError
from parser.load import load_bytes, load_path
from parser.pipeline import extract, extract_many
from parser.types import CompanyRef, Document, Evidence, Extraction, Fact, Problem

__version__ = "0.1.0"

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
    "__version__",
    "extract",
    "extract_many",
    "load_bytes",
    "load_path",
]
