"""One HTTP client for every source: timeouts, size cap, redirects, retries, conditional GET,
and a per-host rate limit (SEC's fair-access rule is 10 requests per second per process)."""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from parser.errors import FetchError

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
MAX_REDIRECTS = 5
RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Validators:
    """What a previous fetch of a URL returned, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Response:
    url: str  # as asked
    final_url: str  # after redirects
    status: int  # 200, or 304 when unchanged
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class RateLimiter:
    """At most `per_second` requests per host, across threads, spaced evenly. Hosts mapped to
    one `shared` budget (SEC's data.sec.gov and www.sec.gov) count against it together."""

    def __init__(
        self,
        per_second: dict[str, float] | None = None,
        default: float = 0,
        shared: dict[str, str] | None = None,
    ) -> None:
        self._interval = {host: 1.0 / rate for host, rate in (per_second or {}).items() if rate}
        self._default = 1.0 / default if default else 0.0
        self._budget = shared or {}
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, clock: Callable[[], float] = time.monotonic) -> None:
        interval = self._interval.get(host, self._default)
        if not interval:
            return
        budget = self._budget.get(host, host)
        with self._lock:
            now = clock()
            slot = max(now, self._next.get(budget, now))
            self._next[budget] = slot + interval
        if slot > now:
            time.sleep(slot - now)


@dataclass
class HttpClient:
    user_agent: str
    timeout: float = 20.0
    max_bytes: int = DEFAULT_MAX_BYTES
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 60.0
    limiter: RateLimiter = field(default_factory=RateLimiter)
    requests_made: int = 0

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, validators: Validators | None = None) -> Response:
        """GET with retries; raise `FetchError` naming the URL when it cannot be had."""
        _check_scheme(url)
        headers = _conditional_headers(validators)
        for attempt in range(self.retries + 1):
            try:
                response = self._once(url, headers)
            except _Retryable as retry:
                if attempt == self.retries:
                    raise FetchError(url, retry.message, retry.status) from None
                time.sleep(self._delay(attempt, retry.retry_after))
                continue
            return response
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        self.limiter.wait(urlsplit(url).netloc)
        self.requests_made += 1
        try:
            with self._client.stream("GET", url, headers=headers) as reply:
                _check_scheme(str(reply.url))
                if reply.status_code in RETRY_STATUSES:
                    raise _Retryable(
                        f"HTTP {reply.status_code}", reply.status_code, _retry_after(reply)
                    )
                if reply.status_code == 304:
                    return _response(url, reply, b"")
                if reply.status_code >= 400:
                    raise FetchError(url, f"HTTP {reply.status_code}", reply.status_code)
                return _response(url, reply, self._read(url, reply))
        except httpx.TooManyRedirects as exc:
            raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from exc
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({exc})") from exc

    def _read(self, url: str, reply: httpx.Response) -> bytes:
        declared = reply.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(url, f"body of {declared} bytes is over the {self.max_bytes} byte cap")
        chunks, size = [], 0
        for chunk in reply.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"body is over the {self.max_bytes} byte cap")
            chunks.append(chunk)
        return b"".join(chunks)

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        jitter = 0.5 + random.random()
        return float(self.backoff * (2**attempt) * jitter)


class _Retryable(Exception):
    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def _check_scheme(url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(url, "only http and https URLs are fetched")


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _retry_after(reply: httpx.Response) -> float | None:
    value = reply.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    when = email.utils.parsedate_to_datetime(value)
    return max(0.0, when.timestamp() - time.time()) if when else None


def _response(url: str, reply: httpx.Response, body: bytes) -> Response:
    return Response(
        url=url,
        final_url=str(reply.url),
        status=reply.status_code,
        body=body,
        content_type=reply.headers.get("Content-Type", "").split(";")[0].strip().lower(),
        etag=reply.headers.get("ETag"),
        last_modified=reply.headers.get("Last-Modified"),
    )
