"""One HTTP client for every source: timeouts and an overall deadline, size cap, redirects
(http and https only), retries, conditional GET, a per-host rate limit (SEC's fair-access rule
is 10 requests per second per process), and no connection to a loopback, private, link-local,
multicast or reserved address unless the configuration allows private networks."""

from __future__ import annotations

import contextvars
import email.utils
import ipaddress
import random
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from parser.errors import FetchError

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_DEADLINE = 60.0
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
    """`deadline` bounds one request as a whole (connection, redirects, headers and body),
    however slowly the server trickles bytes in; `timeout` bounds each read. Only public
    addresses are connected to unless `allow_private_networks` (see `_CheckedBackend`)."""

    user_agent: str
    timeout: float = 20.0
    max_bytes: int = DEFAULT_MAX_BYTES
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 60.0
    limiter: RateLimiter = field(default_factory=RateLimiter)
    deadline: float = DEFAULT_DEADLINE
    allow_private_networks: bool = False
    requests_made: int = 0

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip"},
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            transport=_CheckedTransport(self.allow_private_networks),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, validators: Validators | None = None) -> Response:
        """GET with retries; raise `FetchError` naming the URL when it cannot be had. A refused
        address or redirect, or a request over its deadline, is not retried."""
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
        self._pace(url)
        attempt = _Attempt(url, time.monotonic() + self.deadline)
        token = _ATTEMPT.set(attempt)
        try:
            return self._follow(url, headers, attempt)
        except _Refused as refused:
            raise FetchError(url, attempt.describe(refused.problem), code=refused.code) from None
        except httpx.TimeoutException as exc:
            if attempt.expired():
                problem = f"not complete within the {self.deadline:g} s deadline"
                raise FetchError(url, attempt.describe(problem), code="fetch.deadline") from exc
            raise _Retryable(f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed ({exc})") from exc
        finally:
            _ATTEMPT.reset(token)

    def _follow(self, url: str, headers: dict[str, str], attempt: _Attempt) -> Response:
        """Redirects are followed here, not by httpx: a redirect's body is never read (httpx
        would read it whole, without the byte cap), and one to another scheme fails at once."""
        target = httpx.URL(url)
        for hop in range(MAX_REDIRECTS + 1):
            if hop:
                self._pace(str(target))  # a redirect is one more request to its host
            attempt.hops.append(str(target))
            with self._client.stream("GET", target, headers=headers) as reply:
                if not reply.has_redirect_location:
                    return self._answer(url, reply)
                target = _redirect_target(reply)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _pace(self, url: str) -> None:
        self.limiter.wait(urlsplit(url).netloc)
        self.requests_made += 1

    def _answer(self, url: str, reply: httpx.Response) -> Response:
        if reply.status_code in RETRY_STATUSES:
            raise _Retryable(f"HTTP {reply.status_code}", reply.status_code, _retry_after(reply))
        if reply.status_code == 304:
            return _response(url, reply, b"")
        if reply.status_code >= 400:
            raise FetchError(url, f"HTTP {reply.status_code}", reply.status_code)
        return _response(url, reply, self._read(url, reply))

    def _read(self, url: str, reply: httpx.Response) -> bytes:
        """The body, decoded, within the byte cap; one that ends before its Content-Length or
        a compressed stream that ends early is a failed (retried) transfer, never stored."""
        declared = _content_length(reply)
        if declared is not None and declared > self.max_bytes:
            raise FetchError(url, f"body of {declared} bytes is over the {self.max_bytes} byte cap")
        decoder = _Decoder(url, reply.headers.get("Content-Encoding", ""), self.max_bytes)
        for chunk in reply.iter_raw():
            decoder.feed(chunk)
        if declared is not None and reply.num_bytes_downloaded < declared:
            raise _Retryable(
                f"body ends after {reply.num_bytes_downloaded} of the {declared} bytes "
                "its Content-Length announces"
            )
        return decoder.finish()

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


class _Refused(Exception):
    """An address or a redirect not followed. Not an httpx error, so that httpx lets it through
    untouched when `_CheckedBackend` raises it from inside the connection pool."""

    def __init__(self, problem: str, code: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.code = code


@dataclass
class _Attempt:
    """The request under way in this thread (a context variable, read by every stream of
    `_CheckedBackend`): its deadline, and the URLs fetched so far."""

    url: str
    deadline: float
    hops: list[str] = field(default_factory=list)  # the URL asked for, then each redirect

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def describe(self, problem: str) -> str:
        return f"redirected to {self.hops[-1]}: {problem}" if len(self.hops) > 1 else problem

    def remaining(self, timeout: float | None, error: type[Exception]) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise error("the request's deadline has passed")
        return left if timeout is None else min(timeout, left)


_ATTEMPT: contextvars.ContextVar[_Attempt | None] = contextvars.ContextVar(
    "disclosures_http_attempt", default=None
)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    attempt = _ATTEMPT.get()
    return timeout if attempt is None else attempt.remaining(timeout, error)


def _redirect_target(reply: httpx.Response) -> httpx.URL:
    """Where a redirect points (relative to the URL that answered); only http(s)."""
    location = reply.headers["Location"]
    try:
        target = reply.url.join(location)
    except httpx.InvalidURL as exc:
        problem = f"refused: invalid redirect to {location!r} ({exc})"
        raise _Refused(problem, "fetch.bad_redirect") from None
    if target.scheme not in ("http", "https"):
        raise _Refused(
            f"redirected to {location}: refused: only http and https URLs are fetched",
            "fetch.bad_redirect",
        )
    return target


class _CheckedTransport(httpx.HTTPTransport):
    """httpx's own transport over a connection pool whose every TCP connection is opened by
    `_CheckedBackend`. (httpx takes no network backend as a parameter; its pool does.) With a
    transport given, httpx ignores proxy environment variables: a proxy would connect to hosts
    this client cannot check."""

    def __init__(self, allow_private_networks: bool) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=_CheckedBackend(allow_private_networks),
        )


class _CheckedBackend(httpcore.SyncBackend):
    """Opens every connection, of the first request and of each redirect hop, itself.

    The host is resolved once here, within the connect timeout and the request's deadline;
    every address it resolves to is checked (one private
    address among public ones refuses the host), and the socket is connected to those checked
    addresses, never to the name, so DNS cannot answer differently between the check and the
    connection (DNS rebinding). The URL is left alone: httpx still sends the name as Host and
    httpcore gives it to TLS for SNI and certificate checks. Checking here rather than before
    each request also covers redirects and keeps pooled connections honest: a connection
    exists only to an address that passed. Every stream is bounded by the request's deadline."""

    def __init__(self, allow_private_networks: bool) -> None:
        self.allow_private_networks = allow_private_networks

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, _bounded(timeout, httpcore.ConnectTimeout))
        if not self.allow_private_networks:
            _refuse_private(host, addresses)
        failure: Exception | None = None
        for address in addresses:
            wait = _bounded(timeout, httpcore.ConnectTimeout)
            try:
                stream = super().connect_tcp(address, port, wait, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return _DeadlineStream(stream)
        raise failure or httpcore.ConnectError(f"{host}: no address")


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


_PHRASES = {
    "unspecified": "the unspecified address",
    "loopback": "a loopback address",
    "link-local": "a link-local address",
    "multicast": "a multicast address",
    "private": "a private address",
    "reserved": "a reserved address",
    "special": "a special-purpose (not public) address",
}
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def address_refusal(address: str) -> str | None:
    """Why an IP address is not fetched from (`loopback`, `private`, `link-local`, ...), or
    None when it is a public one. An IPv6 address that carries an IPv4 one (IPv4-mapped
    `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) is judged by the IPv4 address."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("special", not ip.is_global),
    )
    return next((reason for reason, flag in checks if flag), None)


def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """Every address `host` resolves to, in the resolver's order. The lookup runs in a thread
    of its own, so a resolver that does not answer holds the request no longer than its
    connect timeout or deadline (the thread is left to finish by itself)."""
    try:
        ipaddress.ip_address(host)
        return [host]  # an address already
    except ValueError:
        pass
    answer: list[list[Any] | Exception] = []

    def lookup() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)

    thread = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(timeout)
    if not answer:
        raise httpcore.ConnectTimeout(f"resolving {host} took over {timeout:g} s")
    if isinstance(answer[0], Exception):
        raise httpcore.ConnectError(f"cannot resolve {host} ({answer[0]})") from answer[0]
    return list(dict.fromkeys(str(info[4][0]) for info in answer[0]))


def _refuse_private(host: str, addresses: list[str]) -> None:
    """`_Refused` unless every address is a public one."""
    for address in addresses:
        reason = address_refusal(address.split("%", 1)[0])  # an IPv6 zone index
        if reason is not None:
            where = f"{address} is" if host == address else f"{host} resolves to {address},"
            raise _Refused(
                f"refused: {where} {_PHRASES[reason]} (only public addresses are fetched "
                "unless [http] allow_private_networks = true)",
                "fetch.private_address",
            )


class _Decoder:
    """Content-Encoding undone as the body arrives (gzip, the one asked for), within the byte
    cap however well it compresses; a gzip stream that stops short is an error."""

    def __init__(self, url: str, encoding: str, max_bytes: int) -> None:
        encoding = encoding.strip().lower()
        if encoding not in ("", "identity", "gzip", "x-gzip"):
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}")
        self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS) if "gzip" in encoding else None
        self._url = url
        self._max = max_bytes
        self._chunks: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        if self._zlib is not None:
            try:
                data = self._zlib.decompress(data, self._max + 1 - self._size)
            except zlib.error as exc:
                raise FetchError(self._url, f"broken gzip body ({exc})") from exc
        self._size += len(data)
        if self._size > self._max or (self._zlib is not None and self._zlib.unconsumed_tail):
            raise FetchError(self._url, f"body is over the {self._max} byte cap")
        self._chunks.append(data)

    def finish(self) -> bytes:
        if self._zlib is not None and not self._zlib.eof:
            raise _Retryable("the gzip body is cut short")
        return b"".join(self._chunks)


def _check_scheme(url: str) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(url, "only http and https URLs are fetched")


def _content_length(reply: httpx.Response) -> int | None:
    declared = reply.headers.get("Content-Length", "").strip()
    return int(declared) if declared.isdigit() else None


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
