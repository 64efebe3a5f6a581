"""Discovery: bitcoin companies nobody watches yet, found in the whole 8-K / 6-K stream.

The latest-filings feed (every filer's 8-K and 6-K) and, for a backfill, EDGAR's daily form
indexes list the filings; each filing's announcement is fetched (one document, through the
shared SEC rate limit) and extracted, and a filer with at least one bitcoin fact is proposed
as a `[[company]]` entry for the sources file, with its name, CIK and ticker from the
submissions JSON and its first facts as evidence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from parser.config import SourcesConfig
from parser.errors import FetchError, ParserError
from parser.fetch import edgar
from parser.fetch.http import HttpClient
from parser.load.edgar import company_name
from parser.types import Fact, Problem

BITCOIN_FACTS = ("btc_produced", "btc_sold", "btc_purchased", "btc_holdings", "hashrate")
_SHOWN_FACTS = 3


@dataclass(frozen=True)
class Proposal:
    """A company to add to the sources file, with the facts that qualified it."""

    name: str
    cik: str
    ticker: str | None
    filing: edgar.Filing
    url: str
    facts: tuple[Fact, ...]

    def to_toml(self) -> str:
        """The `[[company]]` entry, its evidence as comments above it."""
        lines = [
            f"# discovered in {self.filing.form} {self.filing.accession} filed "
            f"{self.filing.filing_date}: {self.url}"
        ]
        for fact in self.facts:
            quote = " ".join(fact.evidence[0].text.split())[:200] if fact.evidence else ""
            value = fact.fields.get("value")
            lines.append(f"#   {fact.type} {value}: {quote}")
        lines += ["[[company]]", f"name = {json.dumps(self.name)}", f'cik = "{self.cik}"']
        if self.ticker:
            lines.append(f"ticker = {json.dumps(self.ticker)}")
        return "\n".join(lines) + "\n"


@dataclass
class DiscoveryReport:
    proposals: list[Proposal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    filings: int = 0  # filings looked at
    rejected: int = 0  # filings read that hold no bitcoin fact

    def summary(self) -> str:
        return (
            f"{len(self.proposals)} new compan{'y' if len(self.proposals) == 1 else 'ies'} from "
            f"{self.filings} filing(s) ({self.rejected} without bitcoin facts), "
            f"{len(self.problems)} failure(s)"
        )


Extract = Callable[[bytes, str], list[Fact]]


class Discoverer:
    def __init__(self, config: SourcesConfig, client: HttpClient, extract: Extract) -> None:
        self.config = config
        self.client = client
        self.extract = extract
        self.report = DiscoveryReport()
        self._known = {c.cik for c in config.companies if c.cik}

    def run(self, since: str | None = None, today: date | None = None) -> DiscoveryReport:
        """Walk the latest-filings feeds (and the daily indexes from `since` to `today`)."""
        self.config.edgar.require_user_agent()
        filings: dict[str, edgar.Filing] = {}
        for filing in self._listed(since, today or date.today()):
            filings.setdefault(filing.accession, filing)
        for filing in sorted(filings.values(), key=lambda f: (f.filing_date, f.accession)):
            if filing.cik in self._known:
                continue  # watched already, or proposed from an earlier filing of this run
            self.report.filings += 1
            self._consider(filing)
        return self.report

    def _listed(self, since: str | None, today: date) -> Iterator[edgar.Filing]:
        forms = set(self.config.edgar.forms)
        for form in self.config.edgar.forms:
            url = edgar.latest_feed_url(self.config.edgar, form)
            body = self._get(url)
            if body is not None:
                yield from (f for f in edgar.latest_filings(body, form) if f.form in forms)
        for day in _business_days(since, today):
            body = self._get(edgar.daily_index_url(self.config.edgar, day), missing_ok=True)
            if body is not None:
                yield from edgar.daily_filings(body, forms)

    def _consider(self, filing: edgar.Filing) -> None:
        try:
            documents = edgar.filing_documents(self.client, self.config.edgar, filing)
            for document in documents[:1]:  # the announcement; politeness over completeness
                raw = self.client.get(document.url).body
                facts = [f for f in self.extract(raw, document.url) if f.type in BITCOIN_FACTS]
                if not facts:
                    self.report.rejected += 1
                    return
                self._propose(filing, document.url, facts)
        except ParserError as exc:
            self.report.problems.append(Problem(exc.code, "discover", f"{filing.accession}: {exc}"))

    def _propose(self, filing: edgar.Filing, url: str, facts: list[Fact]) -> None:
        name, ticker = self._filer(filing)
        self._known.add(filing.cik)
        self.report.proposals.append(
            Proposal(name, filing.cik, ticker, filing, url, tuple(facts[:_SHOWN_FACTS]))
        )

    def _filer(self, filing: edgar.Filing) -> tuple[str, str | None]:
        """Name and ticker from the submissions JSON; the listing's name when it fails."""
        url = edgar.submissions_url(self.config.edgar, filing.cik)
        try:
            data = json.loads(self.client.get(url).body)
        except (FetchError, ValueError) as exc:
            self.report.problems.append(Problem("fetch.failed", "discover", f"{url}: {exc}"))
            return company_name(filing.name or f"CIK {filing.cik}"), None
        tickers = [t for t in data.get("tickers") or [] if isinstance(t, str) and t]
        name = str(data.get("name") or filing.name or f"CIK {filing.cik}")
        return company_name(name), tickers[0] if tickers else None

    def _get(self, url: str, missing_ok: bool = False) -> bytes | None:
        try:
            return self.client.get(url).body
        except FetchError as exc:
            if not (missing_ok and edgar.is_permanent(exc)):  # no index on a holiday
                self.report.problems.append(Problem(exc.code, "discover", str(exc)))
            return None


def _business_days(since: str | None, today: date) -> Iterator[date]:
    if not since:
        return
    day = date.fromisoformat(since)
    while day <= today:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)
