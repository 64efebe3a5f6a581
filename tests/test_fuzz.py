"""Fuzzing: random bytes and corpus documents (PDF, HTML, text) mutated byte by byte, through
the loaders and `extract()`. A document may fail, but only with a named `LoadError`: an
`InternalError` (a crash inside the project or a library it calls) is a bug, and so is an input
that takes more than a few seconds; every fact's evidence must be the text it points at.

In the suite the profile is fixed and derandomized (the same examples every run, about a
minute in all). `make fuzz` runs the long campaign (`DISCLOSURES_FUZZ=campaign`, random, many
more examples, `DISCLOSURES_FUZZ_EXAMPLES` per test): each crasher is saved under
tests/fuzz_regressions/ and the campaign goes on; the suite replays every saved file.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parser import extract
from parser.errors import InternalError, LoadError
from parser.load import LOADERS, load_bytes
from tests.conftest import CORPUS

REGRESSIONS = Path(__file__).parent / "fuzz_regressions"
CAMPAIGN = os.environ.get("DISCLOSURES_FUZZ") == "campaign"
SLOW_SECONDS = 10.0  # CPU seconds one small document may take at most

settings.register_profile(
    "fuzz-suite",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz-campaign",
    database=None,
    deadline=None,
    max_examples=int(os.environ.get("DISCLOSURES_FUZZ_EXAMPLES", "5000")),
    suppress_health_check=list(HealthCheck),
)
PROFILE = settings.get_profile("fuzz-campaign" if CAMPAIGN else "fuzz-suite")


def _examples(count: int) -> settings:
    """The suite's bounded example count; the campaign's own."""
    return settings(PROFILE) if CAMPAIGN else settings(PROFILE, max_examples=count)


def _seeds(*suffixes: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted(CORPUS.glob("*/raw.*")) if p.suffix in suffixes]


PDF_SEEDS = _seeds(".pdf")
HTML_SEEDS = _seeds(".html", ".htm", ".xhtml")
TEXT_SEEDS = _seeds(".txt", ".md")
SNIPPETS = [
    b"%PDF-1.7",
    b"<html>",
    b"<table><tr><td>",
    b"</td>",
    b"\xef\xbb\xbf",
    b"\xfe\xff",
    b"\x00",
    b"BTC",
    b" 1,234,567 ",
    b"obj",
    b"endobj",
    b"stream",
    b"xref",
    b"<<",
    b">>",
    b"/Type /Page",
    b"\n\n",
    b"$",
    b"EH/s",
    b"<DOCUMENT>",
    b"<TYPE>EX-99.1",
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed document with a few mutations: bytes flipped, cut out, inserted, duplicated,
    a known token spliced in, or the end cut off."""
    raw = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(raw)))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "token", "truncate"]))
        if kind == "flip" and where < len(raw):
            raw[where] = draw(st.integers(0, 255))
        elif kind == "cut":
            del raw[where : where + draw(st.integers(1, 512))]
        elif kind == "insert":
            raw[where:where] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "repeat":
            raw[where:where] = raw[where : where + draw(st.integers(1, 256))] * draw(
                st.integers(2, 8)
            )
        elif kind == "token":
            raw[where:where] = draw(st.sampled_from(SNIPPETS))
        elif kind == "truncate":
            del raw[where:]
    return bytes(raw)


def check(raw: bytes, media_type: str | None = None) -> None:
    """The property: a named failure or a consistent extraction, in bounded time."""
    started = time.process_time()
    try:
        if media_type is None:
            _extract_consistently(raw)
        else:
            load_bytes(raw, "<fuzz>", media_type)
    except LoadError:
        pass
    except (InternalError, AssertionError) as exc:
        if not _saved(raw, _signature(exc)):
            raise
    seconds = time.process_time() - started
    if seconds > SLOW_SECONDS and not _saved(raw, "slow"):
        raise AssertionError(f"{seconds:.1f} CPU seconds on {len(raw):,} bytes")


def _extract_consistently(raw: bytes) -> None:
    result = extract(raw)
    text = result.document.text
    for fact in result.facts:
        for evidence in fact.evidence:
            assert 0 <= evidence.start <= evidence.end <= len(text)
            assert text[evidence.start : evidence.end] == evidence.text


_SIGNATURES: set[str] = set()


def _signature(exc: BaseException) -> str:
    """Where a failure comes from: the original exception's type and innermost frame."""
    cause = exc.__cause__ or exc
    frames = traceback.extract_tb(cause.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(cause).__name__} at {where}"


def _saved(raw: bytes, signature: str) -> bool:
    """In the campaign, keep the first input of each kind of failure under tests/ (the suite
    replays it) and go on searching; in the suite, report the failure."""
    if not CAMPAIGN:
        return False
    if signature not in _SIGNATURES:
        _SIGNATURES.add(signature)
        REGRESSIONS.mkdir(exist_ok=True)
        path = REGRESSIONS / f"{hashlib.sha256(raw).hexdigest()[:16]}.bin"
        path.write_bytes(raw)
        print(f"\nfuzz: {signature}: saved {path}", file=sys.stderr)
    return True


@_examples(150)
@given(mutated(PDF_SEEDS))
def test_mutated_pdfs_fail_only_with_named_errors(raw: bytes) -> None:
    check(raw)


@_examples(400)
@given(mutated(HTML_SEEDS))
def test_mutated_html_fails_only_with_named_errors(raw: bytes) -> None:
    check(raw)


@_examples(400)
@given(mutated(TEXT_SEEDS))
def test_mutated_text_fails_only_with_named_errors(raw: bytes) -> None:
    check(raw)


@_examples(500)
@given(st.binary(max_size=4096))
def test_random_bytes_fail_only_with_named_errors(raw: bytes) -> None:
    check(raw)


@_examples(500)
@given(st.binary(max_size=2048), st.sampled_from(sorted(LOADERS)))
def test_every_loader_on_random_bytes(raw: bytes, media_type: str) -> None:
    check(raw, media_type)


@_examples(300)
@given(st.text(max_size=2000))
def test_random_text_extracts(text: str) -> None:
    check(text.encode("utf-8"))


@pytest.mark.parametrize(
    "path", sorted(REGRESSIONS.glob("*.bin")) if REGRESSIONS.is_dir() else [], ids=lambda p: p.name
)
def test_saved_crashers_stay_fixed(path: Path) -> None:
    check(path.read_bytes())
