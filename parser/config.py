"""The sources file (TOML): which companies to watch and where their announcements appear.

[edgar]
user_agent = "Example Research ops@example.com"   # SEC requires a name and a contact
forms = ["8-K", "6-K"]
[[company]]
ticker = "CANG"                                    # resolved through rules/companies.yaml
feeds = ["https://example.com/rss/news-releases.xml"]
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parser.errors import ConfigError
from parser.rules import Rules

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
        if not re.search(r"\S+@\S+\.\S+", agent):
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
    edgar = dict(data.get("edgar") or {})
    edgar.setdefault("user_agent", os.environ.get(USER_AGENT_ENV))
    if "forms" in edgar:
        edgar["forms"] = tuple(str(f) for f in edgar["forms"])
    try:
        edgar_config = EdgarConfig(**edgar)
        http_config = HttpConfig(**(data.get("http") or {}))
    except TypeError as exc:
        raise ConfigError(f"{where}: unknown setting ({exc})") from exc
    companies = tuple(_company(entry, rules, where) for entry in data.get("company") or [])
    return SourcesConfig(
        edgar=edgar_config,
        http=http_config,
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
