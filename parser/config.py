"""The sources file (TOML): which companies to watch and where their announcements appear.

[edgar]
user_agent = "Example Research ops@example.com"   # SEC requires a name and a contact
forms = ["8-K", "6-K"]
[[company]]
ticker = "CANG"                                    # resolved through rules/companies.yaml
feeds = ["https://example.com/rss/news-releases.xml"]
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from parser.errors import ConfigError
from parser.rules import Rules
from parser.types import Limits

SEC_DATA_URL = "https://data.sec.gov"
SEC_ARCHIVES_URL = "https://www.sec.gov"
DEFAULT_FORMS = ("8-K", "8-K/A", "6-K", "6-K/A")
USER_AGENT_ENV = "DISCLOSURES_USER_AGENT"


@dataclass(frozen=True)
class EdgarConfig:
    user_agent: str | None = None
    forms: tuple[str, ...] = DEFAULT_FORMS
    data_url: str = SEC_DATA_URL
    archives_url: str = SEC_ARCHIVES_URL
    rate_limit: float = 10.0
    latest_feed: bool = True
    attempts_per_filing: int = 5  # runs that may try a filing whose documents failed transiently

    def require_user_agent(self) -> str:
        """SEC's fair-access rules: refuse to call EDGAR without a declared contact."""
        agent = (self.user_agent or "").strip()
        if not re.search(r"(?<!\S)[^\s@]+@[^\s@]+\.[^\s@]+", agent):
            raise ConfigError(
                "EDGAR needs a User-Agent naming you and a contact e-mail (SEC fair-access "
                'rules). Set [edgar] user_agent = "Your Org you@example.com" in the sources '
                f"file, or the {USER_AGENT_ENV} environment variable."
            )
        return agent


@dataclass(frozen=True)
class HttpConfig:
    timeout: float = 20.0
    max_bytes: int = 25 * 1024 * 1024
    retries: int = 3
    backoff: float = 1.0
    deadline: float = 60.0  # seconds for a whole request, however slowly the body trickles in
    allow_private_networks: bool = False  # loopback, private, link-local ... (tests need it)


@dataclass(frozen=True)
class WatchedCompany:
    name: str
    ticker: str | None = None
    cik: str | None = None
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourcesConfig:
    edgar: EdgarConfig = field(default_factory=EdgarConfig)
    http: HttpConfig = field(default_factory=HttpConfig)
    limits: Limits = field(default_factory=Limits)
    companies: tuple[WatchedCompany, ...] = ()
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()


def load_config(path: Path, rules: Rules) -> SourcesConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return parse_config(data, rules, str(path))


def parse_config(data: dict[str, Any], rules: Rules, where: str = "<config>") -> SourcesConfig:
    validate(data, where)
    edgar = dict(data.get("edgar") or {})
    edgar.setdefault("user_agent", os.environ.get(USER_AGENT_ENV))
    if "forms" in edgar:
        edgar["forms"] = tuple(edgar["forms"])
    companies = tuple(_company(entry, rules, where) for entry in data.get("company") or [])
    return SourcesConfig(
        edgar=EdgarConfig(**edgar),
        http=HttpConfig(**(data.get("http") or {})),
        limits=Limits(**(data.get("limits") or {})),
        companies=companies,
        feeds=tuple(data.get("feeds") or ()),
        pages=tuple(data.get("pages") or ()),
        folders=tuple(data.get("folders") or ()),
    )


def _company(entry: dict[str, Any], rules: Rules, where: str) -> WatchedCompany:
    ticker = entry.get("ticker")
    known = next((c for c in rules.companies if ticker and c.ticker == ticker), None)
    if ticker and known is None and not entry.get("name"):
        raise ConfigError(f"{where}: ticker {ticker!r} is not in the registry; give name and cik")
    name = entry.get("name") or (known.canonical if known else None)
    if not name:
        raise ConfigError(f"{where}: every [[company]] needs a ticker or a name")
    cik = entry.get("cik") or (known.cik if known else None)
    if entry.get("edgar") is False:  # watch only the company's feeds and pages
        cik = None
    return WatchedCompany(
        name=str(name),
        ticker=ticker,
        cik=str(int(cik)) if cik else None,
        feeds=tuple(entry.get("feeds") or (known.feeds if known else ())),
        pages=tuple(entry.get("pages") or ()),
    )


# The schema: each table's keys and the kind of value each takes. The [edgar], [http] and
# [limits] keys are their dataclasses' fields, so a new setting is validated once declared.
_KINDS: dict[str, tuple[str, tuple[type, ...]]] = {
    "float": ("a number", (int, float)),
    "int": ("a whole number", (int,)),
    "bool": ("true or false", (bool,)),
    "str": ("a string", (str,)),
    "str | None": ("a string", (str,)),
    "float | None": ("a number", (int, float)),
    "int | None": ("a whole number", (int,)),
    "tuple[str, ...]": ("a list of strings", (list,)),
    "cik": ("a CIK (digits, as a string or a number)", (str, int)),
}
_COMPANY_KEYS = {
    "ticker": "str",
    "name": "str",
    "cik": "cik",
    "edgar": "bool",
    "feeds": "tuple[str, ...]",
    "pages": "tuple[str, ...]",
}
_LISTS = ("feeds", "pages", "folders")


def _table_keys(table: type) -> dict[str, str]:
    return {f.name: str(f.type) for f in fields(table)}


_TABLES: dict[str, dict[str, str]] = {
    "edgar": _table_keys(EdgarConfig),
    "http": _table_keys(HttpConfig),
    "limits": _table_keys(Limits),
}


def validate(data: dict[str, Any], where: str) -> None:
    """Refuse a sources file that does not follow the schema, naming the key and what it
    takes: an unknown table or key, a value of the wrong type."""
    for key, value in data.items():
        if key in _TABLES:
            _check_table(value, _TABLES[key], f"[{key}]", where)
        elif key == "company":
            if not isinstance(value, list):
                raise ConfigError(f"{where}: company: expected [[company]] tables")
            for number, entry in enumerate(value, start=1):
                _check_table(entry, _COMPANY_KEYS, f"[[company]] #{number}", where)
        elif key in _LISTS:
            _check_value(value, "tuple[str, ...]", key, where)
        else:
            allowed = [*_TABLES, "company", *_LISTS]
            raise ConfigError(
                f"{where}: unknown {_describe(key, value)}{_suggest(key, allowed)}; expected "
                "[edgar], [http], [limits], [[company]], feeds, pages or folders"
            )


def _describe(key: str, value: object) -> str:
    if isinstance(value, dict):
        return f"table [{key}]"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return f"table [[{key}]]"
    return f"key {key!r}"


def _suggest(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _check_table(table: object, keys: dict[str, str], name: str, where: str) -> None:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: {name} must be a table")
    for key, value in table.items():
        if key not in keys:
            raise ConfigError(
                f"{where}: {name} has no setting {key!r}{_suggest(key, list(keys))}; "
                f"expected one of {', '.join(keys)}"
            )
        _check_value(value, keys[key], f"{name} {key}", where)


def _check_value(value: object, kind: str, name: str, where: str) -> None:
    expected, types = _KINDS[kind]
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if ok and isinstance(value, list):
        ok = all(isinstance(item, str) for item in value)
    if ok and isinstance(value, (int, float)) and not isinstance(value, bool):
        ok = value >= 0
        expected = f"{expected} not below 0"
    if ok and kind == "cik":
        ok = str(value).isdigit()
    if not ok:
        raise ConfigError(f"{where}: {name} = {_toml(value)}: expected {expected}")


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def append_entries(path: Path, entries: list[str]) -> None:
    """Append TOML entries (`[[company]]` tables) to the sources file atomically (temp file +
    rename), after checking that the result still reads as TOML."""
    from parser.output import write_atomic

    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    text += "".join("\n" + entry for entry in entries)
    tomllib.loads(text)  # never write a file the next run cannot read
    write_atomic(path, text)
