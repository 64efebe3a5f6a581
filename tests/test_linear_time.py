"""Hostile input cannot hold a run: every pattern run on untrusted text is linear, and so are
the HTML walk and the extraction of texts far beyond the usual size."""

from __future__ import annotations

import importlib
import pkgutil
import re
import time

import pytest

import parser
from parser import extract
from parser.errors import LoadError
from parser.load import load_bytes
from parser.load.html import load_html
from parser.pipeline import default_extractor

MEGABYTE = 1_000_000
# Runs that make overlapping or nested quantifiers backtrack: long runs of spaces and line
# breaks, of thousands groups, of words, of abbreviations; each also with a non-matching end.
UNITS = (" ", "\n", "\n \n", "123,", "123, ", "1, ", "1.", "Aa ", "a.", "Mr. ", "$1", "1 EH/s ")
LONG_UNITS = (" ", "123, ", "Aa ")  # the megabyte runs (the 4 kB ones already catch the rest)


def _patterns() -> dict[str, re.Pattern[str]]:
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


PATTERNS = _patterns()


def _cpu_seconds(pattern: re.Pattern[str], text: str) -> float:
    started = time.process_time()  # CPU time: other processes on the machine do not count
    for _ in pattern.finditer(text):
        pass
    return time.process_time() - started


def test_the_patterns_are_found() -> None:
    assert len(PATTERNS) > 60
    assert "parser.extract.quantities._BTC_AFTER" in PATTERNS
    assert any(name.startswith("extractor.") for name in PATTERNS)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_a_megabyte_of_adversarial_text(name: str) -> None:
    pattern = PATTERNS[name]
    for unit in UNITS:
        for tail in ("", "!"):
            small = (unit * (4096 // len(unit)))[:4096] + tail
            # A quadratic pattern would take hours on a megabyte: fail fast on 4 kB first.
            assert _cpu_seconds(pattern, small) < 0.05, f"{name} on {unit!r}{tail}: superlinear"
    for unit in LONG_UNITS:
        text = (unit * (MEGABYTE // len(unit)))[:MEGABYTE] + "!"
        assert _cpu_seconds(pattern, text) < 1.0, f"{name} on a megabyte of {unit!r}"


def test_thousands_groups_in_amounts_are_read_once() -> None:
    """64 kB of `123,123,…` took 31 s in the dollar pattern; a megabyte now takes well under 1."""
    text = "Acme Mining, Inc. sold bitcoin for $" + "123," * (MEGABYTE // 4) + " in May 2025."
    started = time.process_time()
    extract(text)
    assert time.process_time() - started < 10


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
