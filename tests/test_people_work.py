"""People work runs only where it can yield a fact: a document with no sentence passing the
people screen has no name looked for at all; sentences after the last screened one are not
remembered; the sentences before it still are (a later surname refers back to them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from parser.extract import Extractor
from parser.extract.names import NameFinder
from parser.rules import load_rules
from parser.types import Document


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_rules())


@pytest.fixture
def name_calls(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts the extractor's name finder is asked about, in order."""
    finder: NameFinder = extractor.people._names
    calls: list[str] = []
    original = finder.people

    def spy(text: str, *args: object, **kwargs: object) -> object:
        calls.append(text)
        return original(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(finder, "people", spy)
    yield calls


def _facts(extractor: Extractor, text: str) -> list[dict[str, object]]:
    facts, _ = extractor.run(
        Document(id="test", source="test.txt", media_type="text/plain", text=text)
    )
    return [{"type": f.type, **f.fields} for f in facts]


def test_a_document_without_people_words_looks_for_no_names(
    extractor: Extractor, name_calls: list[str]
) -> None:
    text = (
        "Northwind Digital Mining Reports August Production\n\n"
        "Northwind Digital Mining mined 312 BTC in August 2025 and held 4,120 BTC on August 31. "
        "Average operating hashrate rose to 18.4 EH/s across its Texas sites."
    )
    facts = _facts(extractor, text)
    assert name_calls == []
    assert {f["type"] for f in facts} == {"btc_produced", "btc_holdings", "hashrate"}


def test_sentences_after_the_last_people_sentence_are_not_remembered(
    extractor: Extractor, name_calls: list[str]
) -> None:
    text = (
        "Maria Okafor founded Lakeshore Hash in 2019. Lakeshore Hash named Okafor chief "
        "executive officer on May 2, 2025. Later that month Daniel Brightwater toured the "
        "Quebec facility. Sam Ito spoke at a mining conference in Miami."
    )
    facts = _facts(extractor, text)
    appointments = [f for f in facts if f["type"] == "executive_appointment"]
    # The founder's full name, met in a sentence with no change word, still names the CEO.
    assert [a["person"] for a in appointments] == ["Maria Okafor"]
    asked = " ".join(name_calls[1:])  # the first call reads the whole text for full names
    assert name_calls[0] == text
    assert "Maria Okafor founded" in asked and "named Okafor" in asked
    assert "Brightwater" not in asked and "Sam Ito" not in asked
