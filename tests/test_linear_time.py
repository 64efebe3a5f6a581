"""Hostile input cannot hold a run: every pattern run on untrusted text is linear, and so are
the HTML walk and the extraction of texts far beyond the usual size."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import parser
from parser import extract
from parser.errors import LoadError
from parser.extract.table_model import read_tables
from parser.load import load_bytes
from parser.load.html import load_html
from parser.pipeline import default_extractor

MEGABYTE = 1_000_000
# Runs that make overlapping or nested quantifiers backtrack: runs of spaces and line breaks, of
# thousands groups, of words, abbreviations, initials, table cells, footnote marks.
UNITS = (
    *(" ", "\n", "\t", "\n \n", " \n", "\n\n"),
    *("123,", "123, ", "1, ", "1,", "1 ", "1.", "$1", "1 EH/s ", "(1)"),
    *("Aa ", "A ", "a ", "a.", "a-", "Mr. ", "Inc. ", ". ", ", ", "-", "| ", "1 |", "*", "(a)"),
    *("May ", "Q1 "),
)
SMALL = 4096


def _runs(length: int) -> list[str]:
    """A run of each unit, `length` characters long and ended by a character none of them has."""
    return [(unit * (length // len(unit) + 1))[: length - 1] + "!" for unit in UNITS]


# One megabyte: a run of each unit. A quadratic pattern needs well over a second on one run.
ADVERSARIAL = "".join(_runs(MEGABYTE // len(UNITS)))
RUN_STARTS = range(0, len(ADVERSARIAL), MEGABYTE // len(UNITS))

# Patterns that are not searched across a text, tested the way the code applies them.
ANCHORED = {  # matched once at a place the code found, never at every position
    "parser.extract.table_model._LABEL": "the label at a table row's start, where `_skip` stopped",
    "parser.extract.people._THEN_FROM": "right after a title, at most 60 characters on",
}
WINDOWED = {  # searched only within a slice this many characters long
    "parser.extract.quantities._LISTED_BEFORE": 60,
    "parser.extract.btc._CUT_UNIT": 80,
}


def _module_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern of the package, and those the extractor builds from the rules."""
    found: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(parser.__path__, "parser."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found[f"{info.name}.{name}"] = value
    pending = [("extractor", vars(default_extractor()))]
    while pending:
        prefix, attributes = pending.pop()
        for name, value in attributes.items():
            if isinstance(value, re.Pattern):
                found[f"{prefix}.{name}"] = value
            elif type(value).__module__.startswith("parser.") and hasattr(value, "__dict__"):
                pending.append((f"{prefix}.{name}", vars(value)))
    return found


_RE_CALLS = {"search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _inline_patterns() -> dict[str, tuple[str, re.Pattern[str]]]:
    """The literal patterns written inside functions (`re.search(r"...", text)`), each with the
    call that applies it."""
    found: dict[str, tuple[str, re.Pattern[str]]] = {}
    root = Path(parser.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _RE_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            flags = 0
            for arg in [*node.args[1:], *(k.value for k in node.keywords if k.arg == "flags")]:
                if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name):
                    flags |= getattr(re, arg.attr) if arg.value.id == "re" else 0
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            found[where] = (node.func.attr, re.compile(node.args[0].value, flags))
    return found


MODULE_PATTERNS = _module_patterns()
INLINE_PATTERNS = _inline_patterns()


def _searched(pattern: re.Pattern[str]) -> Callable[[str], None]:
    def apply(text: str) -> None:
        for _ in pattern.finditer(text):
            pass

    return apply


def _anchored(pattern: re.Pattern[str], starts: range | None = None) -> Callable[[str], None]:
    def apply(text: str) -> None:
        for start in starts if starts and len(text) > SMALL + 1 else (0,):
            pattern.match(text, start)

    return apply


def _windowed(pattern: re.Pattern[str], size: int) -> Callable[[str], None]:
    def apply(text: str) -> None:
        for end in range(1, len(text) + 1, size // 2):
            pattern.search(text[max(0, end - size) : end])

    return apply


def _application(name: str) -> Callable[[str], None]:
    if name in INLINE_PATTERNS:
        call, pattern = INLINE_PATTERNS[name]
        return _anchored(pattern) if call in ("match", "fullmatch") else _searched(pattern)
    pattern = MODULE_PATTERNS[name]
    if name in ANCHORED:
        return _anchored(pattern, RUN_STARTS)
    if name in WINDOWED:
        return _windowed(pattern, WINDOWED[name])
    return _searched(pattern)


def _cpu_seconds(apply: Callable[[str], None], text: str) -> float:
    started = time.process_time()  # CPU time: other processes on the machine do not count
    apply(text)
    return time.process_time() - started


def test_the_patterns_are_found() -> None:
    assert len(MODULE_PATTERNS) > 150 and len(INLINE_PATTERNS) > 50
    assert "parser.extract.quantities._BTC_AFTER" in MODULE_PATTERNS
    assert any(name.startswith("extractor.") for name in MODULE_PATTERNS)
    assert any(call == "fullmatch" for call, _ in INLINE_PATTERNS.values())
    assert set(ANCHORED) | set(WINDOWED) <= set(MODULE_PATTERNS)


@pytest.mark.parametrize("name", sorted(MODULE_PATTERNS) + sorted(INLINE_PATTERNS))
def test_pattern_is_linear_on_a_megabyte_of_adversarial_text(name: str) -> None:
    apply = _application(name)
    for run in _runs(SMALL):
        for text in (run, run[:-1]):
            # A cubic pattern would take hours on the megabyte: fail fast on 4 kB first.
            assert _cpu_seconds(apply, text) < 0.05, f"{name} on {text[:12]!r}…: superlinear"
    assert _cpu_seconds(apply, ADVERSARIAL) < 1.0, f"{name} on a megabyte of adversarial runs"


@pytest.mark.parametrize("unit", ["Aa ", "1 ", " ", "| ", "(1) ", "Mr. "])
def test_a_table_followed_by_a_megabyte_of_runs_is_read_in_linear_time(unit: str) -> None:
    """The row reader applies the anchored patterns at every row: still linear as a whole."""
    header = "Metric | January 2025 | February 2025\nBitcoin mined | 705 | 698\n"
    text = header + (unit * (MEGABYTE // len(unit))) + "!"
    started = time.process_time()
    tables = read_tables(text)
    assert time.process_time() - started < 2.0
    assert tables and tables[0].rows[0].label == "Bitcoin mined"


def test_thousands_groups_in_amounts_are_read_once() -> None:
    """64 kB of `123,123,…` took 31 s in the dollar pattern; a megabyte now takes well under 1."""
    text = "Acme Mining, Inc. sold bitcoin for $" + "123," * (MEGABYTE // 4) + " in May 2025."
    started = time.process_time()
    extract(text)
    assert time.process_time() - started < 10


def test_a_megabyte_of_blank_lines_splits_in_linear_time() -> None:
    text = "Acme Mining mined 5 BTC in May 2025." + "\n" * MEGABYTE + "It held 9 BTC."
    started = time.process_time()
    result = extract(text)
    assert time.process_time() - started < 10
    assert sorted(f.fields["value"] for f in result.facts) == [5, 9]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("<div>", "</div>"),
        ("<b>", "</b>"),
        ("<time>", "</time>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<article><header>", "</header></article>"),
    ],
)
def test_deeply_nested_html_is_refused_quickly(opening: str, closing: str) -> None:
    """100,000 nested elements: a named error in well under a second, never a RecursionError
    or an endless walk (the parser's depth limit is reported, not silently cut)."""
    depth = 100_000
    raw = f"<html><body>{opening * depth}Acme mined 5 BTC.{closing * depth}</body></html>"
    started = time.process_time()
    with pytest.raises(LoadError) as info:
        load_bytes(raw.encode(), "nested.html")
    assert info.value.code == "load.too_large" and "256" in str(info.value)
    assert time.process_time() - started < 10


def test_html_nested_within_the_limit_is_read() -> None:
    raw = "<html><body>" + "<div><b>" * 100 + "Acme mined 5 BTC." + "</b></div>" * 100
    assert load_bytes(raw.encode(), "nested.html").text.strip() == "Acme mined 5 BTC."


def test_nested_tables_render_row_by_row() -> None:
    raw = (
        b"<table><tr><td>Bitcoin mined</td><td>705</td></tr>"
        b"<tr><td><table><tr><td>inner</td><td>1</td></tr></table></td><td>2</td></tr></table>"
    )
    text = load_html(raw, "t.html", "id").text
    assert "Bitcoin mined | 705" in text
    assert "inner | 1 | 2" in text
