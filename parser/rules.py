"""Load and check the vocabulary in `rules/`: company registry, titles, hedges, patterns.

Rules are found inside the installed package (`parser/rules`, where the wheel puts them), else in
the source checkout's top-level `rules/`; `DISCLOSURES_RULES` or an explicit path overrides both.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parser.errors import RuleError
from parser.types import Company

PATTERN_FAMILIES = ("btc", "hashrate", "people")
TABLE_FACTS = ("btc_sold", "btc_holdings", "btc_produced")
TABLE_STATUSES = ("average", "energized", "operational", "installed")
_TABLE_LISTS = ("proceeds", "excluded", "excluded_sections", "period_end")
# spacy.blank("en") has no tagger or parser, so only lexical token attributes can match.
_LEXICAL_ATTRS = {
    "ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "LIKE_NUM", "LIKE_URL",
    "LIKE_EMAIL", "SHAPE", "OP", "IS_SENT_START", "PREFIX", "SUFFIX",
}  # fmt: skip


@dataclass(frozen=True)
class Officer:
    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Titles:
    officers: tuple[Officer, ...]
    interim: tuple[str, ...]
    not_officer_prefixes: tuple[str, ...]
    board_roles: tuple[str, ...]
    staff_roles: tuple[str, ...]
    honorifics: tuple[str, ...]


@dataclass(frozen=True)
class PeopleWords:
    """Words the executive-change reader needs besides its patterns (rules/people/words.yaml)."""

    surnames: frozenset[str]  # not-name words that can end a name ("Tong He")
    past_markers: tuple[str, ...]  # "previously", "formerly": the title after is a former one
    attempts: tuple[str, ...]  # "sought to", "a proposal to": the change did not happen
    plans: tuple[str, ...]  # "plans to": not yet, unless a person plans to leave


@dataclass(frozen=True)
class TableVocabulary:
    """rules/tables/vocabulary.yaml: what a metrics-table row counts, read from its label."""

    bitcoin: tuple[str, ...]
    hashrate: tuple[str, ...]
    facts: tuple[tuple[str, tuple[str, ...]], ...]  # fact type -> label words, in order
    statuses: tuple[tuple[str, tuple[str, ...]], ...]  # hashrate status -> label words
    proceeds: tuple[str, ...]
    excluded: tuple[str, ...]
    excluded_sections: tuple[str, ...]
    period_end: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    directory: Path
    version: str
    companies: tuple[Company, ...]
    titles: Titles
    hedges: tuple[str, ...]
    patterns: dict[str, tuple[tuple[str, list[dict[str, Any]]], ...]]
    not_names: frozenset[str]
    people: PeopleWords
    vocabulary: dict[str, tuple[str, ...]]
    tables: TableVocabulary


def default_rules_dir() -> Path:
    override = os.environ.get("DISCLOSURES_RULES")
    if override:
        return Path(override)
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "rules"


@cache
def load_rules(directory: Path | None = None) -> Rules:
    root = directory or default_rules_dir()
    if not (root / "companies.yaml").is_file():
        raise RuleError(str(root), None, "no companies.yaml here: not a rules directory")
    return Rules(
        directory=root,
        version=_version(root),
        companies=_companies(root / "companies.yaml"),
        titles=_titles(root / "titles.yaml"),
        hedges=tuple(str(h) for h in read_yaml(root / "hedges.yaml")["hedges"]),
        patterns={
            family: _patterns(root / family / "patterns.jsonl") for family in PATTERN_FAMILIES
        },
        not_names=frozenset(str(w) for w in read_yaml(root / "people" / "not_names.yaml")["words"]),
        people=_people_words(root / "people" / "words.yaml"),
        vocabulary=_vocabulary(root / "vocabulary.yaml"),
        tables=_table_vocabulary(root / "tables" / "vocabulary.yaml"),
    )


def _table_vocabulary(path: Path) -> TableVocabulary:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise RuleError(str(path), None, "expected a mapping")
    subjects = _named_lists(path, data, "subjects", ("bitcoin", "hashrate"))
    facts = _named_lists(path, data, "facts", TABLE_FACTS)
    statuses = _named_lists(path, data, "statuses", TABLE_STATUSES)
    lists = {key: _words(path, data.get(key), key) for key in _TABLE_LISTS}
    return TableVocabulary(
        bitcoin=subjects["bitcoin"],
        hashrate=subjects["hashrate"],
        facts=tuple(facts.items()),
        statuses=tuple(statuses.items()),
        **lists,
    )


def _named_lists(
    path: Path, data: dict[str, Any], key: str, allowed: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """`key:` maps names from `allowed` (each at most once, in the file's order) to words."""
    section = data.get(key)
    if not isinstance(section, dict) or not section:
        raise RuleError(str(path), None, f"'{key}' must map names to lists of words")
    unknown = set(section) - set(allowed)
    if unknown:
        raise RuleError(str(path), None, f"unknown {key} {sorted(unknown)}; known: {allowed}")
    return {str(name): _words(path, words, f"{key}.{name}") for name, words in section.items()}


def _words(path: Path, words: object, key: str) -> tuple[str, ...]:
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        raise RuleError(str(path), None, f"'{key}' must be a non-empty list of words")
    return tuple(words)


def _vocabulary(path: Path) -> dict[str, tuple[str, ...]]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise RuleError(str(path), None, "expected named lists of words")
    return {str(key): tuple(str(word) for word in words) for key, words in data.items()}


def _people_words(path: Path) -> PeopleWords:
    data = read_yaml(path)
    keys = ("surnames", "past_markers", "attempts", "plans")
    if not isinstance(data, dict) or set(data) != set(keys):
        raise RuleError(str(path), None, f"expected exactly the lists {', '.join(keys)}")
    for key in keys:
        words = data[key]
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise RuleError(str(path), None, f"'{key}' must be a non-empty list of words")
    return PeopleWords(
        surnames=frozenset(data["surnames"]),
        past_markers=tuple(data["past_markers"]),
        attempts=tuple(data["attempts"]),
        plans=tuple(data["plans"]),
    )


def _version(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".jsonl"):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def read_yaml(path: Path) -> Any:
    """A YAML file's content; `RuleError` naming the file (and line) when it cannot be read."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise RuleError(str(path), None, f"cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise RuleError(str(path), None if line is None else line + 1, str(exc)) from exc


def _companies(path: Path) -> tuple[Company, ...]:
    entries = read_yaml(path)
    if not isinstance(entries, list):
        raise RuleError(str(path), None, "expected a list of companies")
    companies = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise RuleError(str(path), None, f"entry {index} has no name")
        companies.append(
            Company(
                canonical=str(entry["name"]),
                ticker=str(entry["ticker"]) if entry.get("ticker") else None,
                cik=str(entry["cik"]) if entry.get("cik") else None,
                aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                feeds=tuple(str(f) for f in entry.get("feeds") or ()),
                ambiguous=tuple(str(a) for a in entry.get("ambiguous") or ()),
            )
        )
    return tuple(companies)


def _titles(path: Path) -> Titles:
    data = read_yaml(path)
    try:
        officers = tuple(
            Officer(str(o["name"]), tuple(str(f) for f in o["forms"])) for o in data["officers"]
        )
        return Titles(
            officers=officers,
            interim=tuple(data["interim"]),
            not_officer_prefixes=tuple(data["not_officer_prefixes"]),
            board_roles=tuple(data["board_roles"]),
            staff_roles=tuple(data["staff_roles"]),
            honorifics=tuple(data["honorifics"]),
        )
    except (KeyError, TypeError) as exc:
        raise RuleError(str(path), None, f"malformed titles file ({exc})") from exc


def _patterns(path: Path) -> tuple[tuple[str, list[dict[str, Any]]], ...]:
    """Read spaCy Matcher patterns, one JSON object per line, rejecting non-lexical attributes."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RuleError(str(path), None, f"cannot read ({exc.strerror})") from exc
    patterns = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleError(str(path), number, f"invalid JSON ({exc.msg})") from exc
        label, pattern = entry.get("label"), entry.get("pattern")
        if not isinstance(label, str) or not isinstance(pattern, list) or not pattern:
            raise RuleError(str(path), number, "needs a string 'label' and a non-empty 'pattern'")
        for token in pattern:
            unknown = set(token) - _LEXICAL_ATTRS if isinstance(token, dict) else {"?"}
            if unknown:
                raise RuleError(
                    str(path), number, f"attribute(s) {sorted(unknown)} need a trained pipeline"
                )
        patterns.append((label, pattern))
    return tuple(patterns)
