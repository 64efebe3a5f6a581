"""SEC EDGAR: a company's filings from the submissions API, their press-release exhibits from
the filing index, and the "latest filings" Atom feed (the submissions JSON can lag by hours).

Endpoint shapes followed (SEC's public documentation):
- `{data_url}/submissions/CIK##########.json` -> `filings.recent` (parallel arrays:
  accessionNumber, filingDate, form, primaryDocument, ...) and `filings.files` (older pages
  `CIK##########-submissions-001.json` with the same arrays at top level, and filingFrom/To).
- `{archives_url}/Archives/edgar/data/<cik>/<accession-no-dashes>/<accession>-index.htm`: the
  "Document Format Files" table (Seq, Description, Document, Type, Size); `index.json` lists
  the folder's files (`directory.item[].name`).
- `{archives_url}/cgi-bin/browse-edgar?action=getcurrent&type=8-K&...&output=atom`: entries
  titled "8-K - Name (0001234567) (Filer)", id "urn:tag:sec.gov,2008:accession-number=...".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin

import feedparser
from bs4 import BeautifulSoup
from bs4.element import Tag

from parser.config import EdgarConfig
from parser.errors import FetchError
from parser.fetch.http import HttpClient
from parser.load.edgar import Listed, choose

_FEED_TITLE_CIK = re.compile(r"\((\d{10})\)")
_ACCESSION_IN_ID = re.compile(r"accession-number=(\d{10}-\d{2}-\d{6})")
_FILED = re.compile(r"Filed:\s*(?:</b>)?\s*(\d{4}-\d{2}-\d{2})")
PERMANENT_STATUSES = (404, 410)


@dataclass(frozen=True)
class Filing:
    cik: str
    accession: str
    form: str
    filing_date: str
    primary_document: str | None = None
    name: str | None = None  # the filer's name, as a feed or daily index gives it


@dataclass(frozen=True)
class Exhibit:
    url: str
    doc_type: str
    description: str


def folder_url(config: EdgarConfig, filing: Filing) -> str:
    return f"{config.archives_url}/Archives/edgar/data/{int(filing.cik)}/{filing.accession.replace('-', '')}"


def index_url(config: EdgarConfig, filing: Filing) -> str:
    return f"{folder_url(config, filing)}/{filing.accession}-index.htm"


def submissions_url(config: EdgarConfig, cik: str) -> str:
    return f"{config.data_url}/submissions/CIK{int(cik):010d}.json"


@dataclass
class Listing:
    """A company's filings, and the older submissions pages that could not be had (their
    filings are missing, the others are not)."""

    filings: list[Filing]
    failed_pages: list[FetchError]


def company_filings(
    client: HttpClient, config: EdgarConfig, cik: str, since: str | None, body: bytes
) -> Listing:
    """The company's filings of the configured forms filed on or after `since`, from the
    submissions JSON `body` (and the older pages it lists, when `since` reaches them)."""
    data = _parse_json(submissions_url(config, cik), body)
    filings_data = data.get("filings") or {}
    if not isinstance(filings_data, dict):
        raise FetchError(submissions_url(config, cik), "no 'filings' object")
    rows = _rows(cik, filings_data.get("recent") or {})
    failed = []
    for page in filings_data.get("files") or []:
        if since and str(page.get("filingTo", "")) < since:
            continue
        try:
            rows += _rows(cik, _json(client, f"{config.data_url}/submissions/{page['name']}"))
        except FetchError as exc:
            failed.append(exc)
    forms = set(config.forms)
    kept = [r for r in rows if r.form in forms and (not since or r.filing_date >= since)]
    return Listing(kept, failed)


def _rows(cik: str, arrays: dict[str, Any]) -> list[Filing]:
    accessions = arrays.get("accessionNumber") or []
    forms = arrays.get("form") or []
    dates = arrays.get("filingDate") or []
    primary = arrays.get("primaryDocument") or [None] * len(accessions)
    return [
        Filing(cik, accession, form, date, document or None)
        for accession, form, date, document in zip(accessions, forms, dates, primary, strict=False)
    ]


def _json(client: HttpClient, url: str) -> dict[str, Any]:
    return _parse_json(url, client.get(url).body)


def _parse_json(url: str, body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise FetchError(url, f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise FetchError(url, "expected a JSON object")
    return data


def filing_documents(client: HttpClient, config: EdgarConfig, filing: Filing) -> list[Exhibit]:
    """The documents carrying the filing's announcement (see `parser.load.edgar.choose`):
    from the filing's index page, else its folder listing, else its primary document. Only a
    missing page (404/410) moves on to the next route; any other failure is raised, so the
    filing stays pending."""
    index = index_url(config, filing)
    body = _optional(client, index)
    if body is not None:
        rows = _index_table(body, index)
        chosen = choose([Listed(_name(url), kind, text) for url, kind, text in rows], filing.form)
        by_name = {_name(url): url for url, _, _ in rows}
        return [Exhibit(by_name[d.name], d.type, d.description) for d in chosen]
    folder = folder_url(config, filing)
    body = _optional(client, f"{folder}/index.json")
    if body is not None:
        names = _folder_names(_parse_json(f"{folder}/index.json", body))
        chosen = choose(
            [Listed(n) for n in names], filing.form, _in(filing.primary_document, names)
        )
        return [Exhibit(f"{folder}/{d.name}", d.type, "listed") for d in chosen]
    if filing.primary_document:
        return [Exhibit(f"{folder}/{filing.primary_document}", filing.form, "primary document")]
    return []


def is_permanent(exc: FetchError) -> bool:
    return exc.status in PERMANENT_STATUSES


def _optional(client: HttpClient, url: str) -> bytes | None:
    try:
        return client.get(url).body
    except FetchError as exc:
        if is_permanent(exc):
            return None
        raise


def _in(name: str | None, names: list[str]) -> str | None:
    return name if name and name in names else None


def _name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _index_table(body: bytes, base: str) -> list[tuple[str, str, str]]:
    """(url, type, description) of each row of the "Document Format Files" table."""
    soup = BeautifulSoup(body, "lxml")
    found = []
    for row in soup.find_all("tr"):
        if not isinstance(row, Tag):
            continue
        cells = row.find_all("td")
        link = row.find("a", href=True)
        if len(cells) < 4 or not isinstance(link, Tag):
            continue
        href = str(link["href"]).replace("/ix?doc=", "")
        texts = [cell.get_text(" ", strip=True) for cell in cells]
        found.append((urljoin(base, href), texts[3], texts[1]))
    return found


def _folder_names(data: dict[str, Any]) -> list[str]:
    items = (data.get("directory") or {}).get("item") or []
    return [str(item.get("name", "")) for item in items if isinstance(item, dict)]


def latest_feed_url(config: EdgarConfig, form: str) -> str:
    return (
        f"{config.archives_url}/cgi-bin/browse-edgar?action=getcurrent&type={form}"
        "&company=&dateb=&owner=include&start=0&count=100&output=atom"
    )


def latest_filings(body: bytes, form: str, ciks: set[str] | None = None) -> list[Filing]:
    """One EDGAR Atom feed's filings, once each (a filing has an entry per filer, issuer,
    reporting owner ...): the watched companies' ones, or all when `ciks` is None. Reads the
    latest-filings feed ("8-K - Name (0001234567) (Filer)") and a company's own feed
    (`action=getcompany`: "8-K - Current report", the CIK in its `<company-info>`)."""
    found: dict[str, Filing] = {}
    watched = {f"{int(cik):010d}" for cik in ciks} if ciks is not None else None
    parsed = feedparser.parse(body)
    company = (str(parsed.feed.get("cik") or ""), str(parsed.feed.get("conformed-name") or ""))
    for entry in parsed.entries:
        title = str(entry.get("title", ""))
        cik, name = _entry_filer(title, company)
        accession = _ACCESSION_IN_ID.search(entry.get("id", ""))
        if not cik or not accession or accession.group(1) in found:
            continue
        if watched is not None and cik not in watched:
            continue
        if watched is None and "(Reporting)" in title:
            continue  # an insider's entry; the company's own follows
        term = str(next((t.get("term") for t in entry.get("tags", []) if t.get("term")), form))
        if term != form and not term.startswith(form + "/"):
            continue  # a company's feed lists all its forms
        found[accession.group(1)] = Filing(
            str(int(cik)), accession.group(1), term, _filed(entry), name=name or None
        )
    return list(found.values())


def _entry_filer(title: str, company: tuple[str, str]) -> tuple[str, str]:
    """(CIK as 10 digits, name) of an entry: from its title, else the company feed's."""
    match = _FEED_TITLE_CIK.search(title)
    if match:
        return match.group(1), title[title.find(" - ") + 3 : match.start()].strip()
    cik, name = company
    return (f"{int(cik):010d}", name) if cik.isdigit() else ("", "")


def daily_index_url(config: EdgarConfig, day: date) -> str:
    quarter = (day.month - 1) // 3 + 1
    return (
        f"{config.archives_url}/Archives/edgar/daily-index/{day.year}/QTR{quarter}/"
        f"form.{day:%Y%m%d}.idx"
    )


_INDEX_LINE = re.compile(
    r"^(?P<form>\S.*?)\s{2,}(?P<name>\S.*?)\s+(?P<cik>\d{1,10})\s+(?P<date>\d{8}|\d{4}-\d{2}-\d{2})"
    r"\s+(?P<file>edgar/data/\S+)\s*$"
)
_ACCESSION_IN_FILE = re.compile(r"(\d{10}-\d{2}-\d{6})\.txt$")


def daily_filings(body: bytes, forms: set[str]) -> list[Filing]:
    """The filings of these forms in one EDGAR daily form index (`form.YYYYMMDD.idx`: a text
    header, a dashed rule, then one fixed-width line per filing: form type, company name,
    CIK, date filed, file name)."""
    text = body.decode("latin-1")
    rule = re.search(r"^-{20,}\s*$", text, re.M)
    found: dict[str, Filing] = {}
    for line in text[rule.end() if rule else 0 :].splitlines():
        match = _INDEX_LINE.match(line)
        accession = _ACCESSION_IN_FILE.search(match.group("file")) if match else None
        if not match or not accession or match.group("form").strip() not in forms:
            continue
        day = match.group("date").replace("-", "")
        found.setdefault(accession.group(1), Filing(
            str(int(match.group("cik"))), accession.group(1), match.group("form").strip(),
            f"{day[:4]}-{day[4:6]}-{day[6:]}", name=match.group("name").strip(),
        ))  # fmt: skip
    return list(found.values())


def _filed(entry: Any) -> str:
    """The filing date: the summary's "Filed:" date. `updated` is the acceptance time, and an
    8-K accepted after 17:30 Eastern is filed the next business day."""
    found = _FILED.search(str(entry.get("summary", "")))
    return found.group(1) if found else str(entry.get("updated", ""))[:10]
