"""A real HTTP server on 127.0.0.1 serving fixtures shaped like EDGAR, IR feeds and newswire
pages, with scripted misbehaviour (429, 500, slow answers, redirect loops, huge bodies)."""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from parser.fetch.http import RateLimiter

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).parent.parent / "corpus"
EDGAR = Path(__file__).resolve().parent.parent.parent / "shared" / "edgar"  # real files
# Pages served straight from the corpus; the Riot exhibit is also syndicated as a web page, so
# the same bytes reach a fetch by two routes.
ALIASES = {
    "/pages/cleanspark-october.html": CORPUS / "cleanspark-ir-monthly-update" / "raw.html",
    "/pages/riot-september.html": CORPUS / "riot-8k-exhibit-production" / "raw.htm",
    "/pages/hive-letter.pdf": CORPUS / "hive-shareholder-letter-pdf" / "raw.pdf",
    "/Archives/edgar/data/1167419/000116741925000123/riot-ex99_1.htm": (
        CORPUS / "riot-8k-exhibit-production" / "raw.htm"
    ),
}
TYPES = {
    ".json": "application/json",
    ".htm": "text/html; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".pdf": "application/pdf",
}
LAST_MODIFIED = "Fri, 03 Oct 2025 12:00:00 GMT"


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time


@dataclass
class Request:
    at: float
    path: str
    headers: dict[str, str]


class FixtureServer:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.scripts: dict[str, list[Scripted]] = {}
        self.files: dict[str, Path | bytes] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, path: str, *responses: Scripted) -> None:
        """Answer `path` with these responses in turn, then with the fixture (if any)."""
        self.scripts[path] = list(responses)

    def real(self, path: str, file: Path | bytes) -> None:
        """Serve a real EDGAR file (read in place), or these bytes, at `path` (with an ETag)."""
        self.files[path] = file

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(Request(time.monotonic(), handler.path, dict(handler.headers)))
            scripted = self.scripts.get(handler.path)
            response = scripted.pop(0) if scripted else None
        if response is None:
            response = self._fixture(handler.path)
        if response.delay:
            time.sleep(response.delay)
        etag = response.headers.get("ETag")
        if etag and handler.headers.get("If-None-Match") == etag and response.status == 200:
            response = Scripted(304, b"", {"ETag": etag})
        try:
            handler.send_response(response.status)
            for name, value in response.headers.items():
                handler.send_header(name, value)
            chunked = response.headers.get("Transfer-Encoding") == "chunked"
            if "Content-Length" not in response.headers and not chunked:
                handler.send_header("Content-Length", str(len(response.body)))
            handler.end_headers()
            if chunked:  # no length announced: the client must count as it reads
                for start in range(0, len(response.body), 1024):
                    piece = response.body[start : start + 1024]
                    handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                handler.wfile.write(b"0\r\n\r\n")
            elif response.trickle:
                for byte in response.body:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                    time.sleep(response.trickle)
            else:
                handler.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _fixture(self, raw_path: str) -> Scripted:
        url = urlsplit(raw_path)
        served = self.files.get(raw_path) or self.files.get(url.path)
        if isinstance(served, bytes):
            return _ok(served, Path(url.path).suffix)
        if served is not None:
            file = served
        elif url.path in ALIASES:
            file = ALIASES[url.path]
        elif url.path == "/cgi-bin/browse-edgar":
            form = parse_qs(url.query).get("type", ["8-K"])[0]
            file = FIXTURES / "edgar" / f"current-{form}.atom"
        elif url.path.startswith(("/submissions/", "/Archives/")):
            file = FIXTURES / "edgar" / url.path.lstrip("/")
        else:
            file = FIXTURES / url.path.lstrip("/")
        if not file.is_file() or ".." in url.path:
            return Scripted(
                404, b"<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
            )
        body = file.read_bytes()
        if file.suffix != ".pdf":
            body = body.replace(b"{base}", self.base.encode())
        return _ok(body, file.suffix)


def _ok(body: bytes, suffix: str) -> Scripted:
    headers = {
        "Content-Type": TYPES.get(suffix, "application/octet-stream"),
        "ETag": '"' + hashlib.sha256(body).hexdigest()[:16] + '"',
        "Last-Modified": LAST_MODIFIED,
    }
    return Scripted(200, body, headers)


@dataclass(frozen=True)
class FeedEntry:
    form: str
    name: str
    cik: str
    accession: str
    filed: str  # the summary's "Filed:" date
    accepted: str  # `updated`: the acceptance time, Eastern with its offset


def latest_feed(*entries: FeedEntry) -> bytes:
    """The real latest-filings feed with these entries first, in its real markup."""
    real = (EDGAR / "feeds" / "getcurrent-2024-05-17.atom").read_bytes()
    added = "".join(_feed_entry(e) for e in entries).encode()
    return real.replace(b"<entry>", added + b"<entry>", 1)


def _feed_entry(e: FeedEntry) -> str:
    folder = f"{int(e.cik)}/{e.accession.replace('-', '')}"
    return f"""<entry>
<title>{e.form} - {e.name} ({int(e.cik):010d}) (Filer)</title>
<link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/{folder}/{e.accession}-index.htm"/>
<summary type="html">
&lt;b&gt;Filed:&lt;/b&gt; {e.filed} &lt;b&gt;AccNo:&lt;/b&gt; {e.accession} &lt;b&gt;Size:&lt;/b&gt; 207 KB
</summary>
<updated>{e.accepted}</updated>
<category scheme="https://www.sec.gov/" label="form type" term="{e.form}"/>
<id>urn:tag:sec.gov,2008:accession-number={e.accession}</id>
</entry>
"""


def after_hours_feed(cik: str, name: str, accession: str, accepted: str, filed: str) -> bytes:
    """The real feed with one more 8-K entry: accepted after hours (`updated`) and so filed
    (the summary's `Filed:`) the next day."""
    return latest_feed(FeedEntry("8-K", name, cik, accession, filed, accepted))


def index_page(cik: str, accession: str, rows: list[tuple[str, str, str]]) -> bytes:
    """The real "Filing Detail" page markup (`-index.htm`) listing these (description,
    document, type) rows, plus its "Complete submission text file" row."""
    real = (EDGAR / "index-pages" / "form4-filing-index.htm").read_text(encoding="utf-8")
    folder = f"/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}"
    head, rest = real.split("</th>\n         </tr>\n", 1)
    tail = rest[rest.index("      </table>") :]
    cells = [(str(n), d, f"{folder}/{doc}", doc, t) for n, (d, doc, t) in enumerate(rows, 1)]
    cells.append(("&nbsp;", "Complete submission text file", f"{folder}/{accession}.txt",
                  f"{accession}.txt", "&nbsp;"))  # fmt: skip
    body = "".join(
        f"""         <tr>
            <td scope="row">{seq}</td>
            <td scope="row">{description}</td>
            <td scope="row"><a href="{href}">{name}</a></td>
            <td scope="row">{kind}</td>
            <td scope="row">1000</td>
         </tr>
"""
        for seq, description, href, name, kind in cells
    )
    page = head + "</th>\n         </tr>\n" + body + tail
    return page.replace("0001062993-24-010733", accession).encode("utf-8")


def serve() -> Iterator[FixtureServer]:
    with FixtureServer() as server:
        yield server


def record_limiter(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every clock reading the rate limiter takes (one per request it lets through), in the
    order it took them."""
    readings: list[float] = []
    wait = RateLimiter.wait

    def recorded(self: RateLimiter, host: str, clock: Callable[[], float] = time.monotonic) -> None:
        def reading() -> float:
            readings.append(clock())
            return readings[-1]

        wait(self, host, reading)

    monkeypatch.setattr(RateLimiter, "wait", recorded)
    return readings


def assert_rate_kept(readings: list[float], server: FixtureServer, rate: float) -> None:
    """The schedule a limiter of `rate` requests per second must keep, from its own clock
    readings: the k-th request may not start before max(its reading, the previous slot +
    1/rate). A request the server saw before its slot has caught the limiter out; load only
    ever makes requests later, so it cannot fail this (a bound on the gaps between arrivals,
    which load can shrink, could). All requests share one budget."""
    arrivals = sorted(r.at for r in server.requests)
    assert len(arrivals) == len(readings) > 10
    slots = list(itertools.accumulate(readings, lambda slot, now: max(now, slot + 1 / rate)))
    assert all(at >= slot - 1e-6 for at, slot in zip(arrivals, slots, strict=True))
