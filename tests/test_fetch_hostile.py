"""Hostile servers and hostile feeds, on the loopback interface only: addresses that are not
public (loopback, private, link-local, ...) refused for every request, redirect and feed link,
the DNS answer that was checked being the one connected to; redirects to other schemes; the
overall deadline; short bodies; entity declarations anywhere in a feed."""

from __future__ import annotations

import gzip
import ipaddress
import itertools
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import trustme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parser.config import SEC_ARCHIVES_URL, SEC_DATA_URL, parse_config
from parser.errors import FetchError
from parser.fetch import Fetcher, make_client
from parser.fetch.feeds import parse_feed
from parser.fetch.http import HttpClient, RateLimiter, Response, address_refusal
from parser.rules import load_rules
from parser.store import Store
from tests.http_fixtures import (
    FIXTURES,
    FixtureServer,
    Scripted,
    assert_rate_kept,
    record_limiter,
    serve,
)

AGENT = "Disclosure Parser Tests tests@example.com"
NAME = "ir.example.test"  # a made-up host name; the tests answer its DNS lookups
PUBLIC = "93.184.215.14"  # a public address the tests' resolver gives it; never dialled
PAGE = "/pages/hut8-reserve.html"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    yield from serve()


@dataclass
class Network:
    """DNS and TCP as the client sees them: `answers` for host names (each lookup takes the
    next answer, the last one repeating: a rebinding resolver), and every connection attempt
    recorded; one to `PUBLIC` is carried to the loopback server instead."""

    answers: dict[str, list[list[str]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    dialled: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    net = Network()
    real_lookup, real_connect = socket.getaddrinfo, socket.create_connection

    def lookup(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in net.answers:  # an address or localhost; no DNS query ever leaves
            if not _local(host):
                raise socket.gaierror(socket.EAI_NONAME, f"the tests' DNS has no {host}")
            return real_lookup(host, port, *args, **kwargs)
        net.lookups.append(host)
        queue = net.answers[host]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answer]

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        net.dialled.append(address)
        host, port = address
        if host not in (PUBLIC, "127.0.0.1"):  # never beyond this machine, whatever happens
            raise ConnectionRefusedError(f"the tests' network has no {host}")
        return real_connect(("127.0.0.1", port), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(socket, "create_connection", connect)
    return net


def _local(host: Any) -> bool:
    try:
        ipaddress.ip_address(str(host))
    except ValueError:
        return host in ("localhost", None)
    return True


def public_url(server: FixtureServer, path: str) -> str:
    """`path` on the loopback server, reached through a public-looking host name."""
    return f"http://{NAME}:{server.base.rsplit(':', 1)[1]}{path}"


def client(**kwargs: Any) -> HttpClient:
    return HttpClient(user_agent=AGENT, **{"timeout": 5.0, "retries": 2, "backoff": 0.01, **kwargs})


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.20", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "special"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fd12:3456::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("8.8.8.8", None),
        ("93.184.215.14", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_which_addresses_are_refused(address: str, reason: str | None) -> None:
    assert address_refusal(address) == reason


def test_loopback_is_refused_unless_private_networks_are_allowed(server: FixtureServer) -> None:
    url = server.base + PAGE
    with client() as http, pytest.raises(FetchError) as refused:
        http.get(url)
    assert refused.value.code == "fetch.private_address"
    assert str(refused.value).startswith(url + ": refused: 127.0.0.1 is a loopback address")
    assert "allow_private_networks" in str(refused.value)
    assert server.requests == [] and http.requests_made == 1  # refused at once, not retried
    with client(allow_private_networks=True) as http:
        assert http.get(url).status == 200


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254 is a link-local"),
        ("http://[::ffff:127.0.0.1]:9/", "::ffff:127.0.0.1 is a loopback"),
        ("http://[::1]:9/", "::1 is a loopback"),
        ("https://10.0.0.8/", "10.0.0.8 is a private"),
        ("http://0.0.0.0:9/", "0.0.0.0 is the unspecified address"),
    ],
)
def test_addresses_are_refused_before_connecting(network: Network, url: str, reason: str) -> None:
    with client() as http, pytest.raises(FetchError, match=reason) as refused:
        http.get(url)
    assert refused.value.code == "fetch.private_address" and refused.value.url == url
    assert network.dialled == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(network: Network) -> None:
    network.answers[NAME] = [[PUBLIC, "10.0.0.7"]]
    with client() as http, pytest.raises(FetchError) as refused:
        http.get(f"http://{NAME}/news.xml")
    assert "ir.example.test resolves to 10.0.0.7, a private address" in str(refused.value)
    assert network.dialled == []


def test_a_resolver_that_does_not_answer_fails_at_the_deadline(
    network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookup = socket.getaddrinfo

    def hung(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return lookup(host, *args, **kwargs)
        time.sleep(20)
        raise socket.gaierror(socket.EAI_AGAIN, "no answer")  # never a real lookup

    monkeypatch.setattr(socket, "getaddrinfo", hung)
    started = time.monotonic()
    with client(deadline=1.0) as http, pytest.raises(FetchError) as late:
        http.get(f"http://{NAME}/news.xml")
    assert late.value.code == "fetch.deadline" and "1 s deadline" in str(late.value)
    assert time.monotonic() - started < 15 and network.dialled == []


def test_redirects_are_paced_like_requests(
    server: FixtureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings = record_limiter(monkeypatch)
    for n in range(3):  # three chains of five redirects each, on one host
        chain = [f"/r{n}", *(f"/r{n}/{k}" for k in range(4)), PAGE]
        for here, there in itertools.pairwise(chain):
            server.script(here, Scripted(302, headers={"Location": there}))
    host = urlsplit(server.base).netloc
    with client(allow_private_networks=True, limiter=RateLimiter({host: 40.0})) as http:
        for n in range(3):
            assert http.get(f"{server.base}/r{n}").final_url == server.base + PAGE
        assert http.requests_made == len(server.requests) == 18
    assert_rate_kept(readings, server, 40.0)


def test_the_connection_goes_to_the_address_that_was_checked(
    server: FixtureServer, network: Network
) -> None:
    # A rebinding resolver: public for the first lookup, loopback for every later one.
    network.answers[NAME] = [[PUBLIC], ["127.0.0.1"]]
    port = int(server.base.rsplit(":", 1)[1])
    with client() as http:
        response = http.get(public_url(server, PAGE))
    assert response.status == 200 and b"Hut 8" in response.body
    assert network.lookups == [NAME] and network.dialled == [(PUBLIC, port)]
    assert server.requests[0].headers["Host"] == f"{NAME}:{port}"  # the name, not the address


@pytest.mark.parametrize(("certified", "works"), [(NAME, True), ("other.example.test", False)])
def test_tls_to_the_checked_address_verifies_the_name(
    network: Network, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, certified: str, works: bool
) -> None:
    # The socket goes to the checked address; SNI and the certificate check use the name.
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(certified).configure_cert(context)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    with FixtureServer() as server:
        server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
        network.answers[NAME] = [[PUBLIC], ["127.0.0.1"]]
        url = public_url(server, PAGE).replace("http:", "https:")
        with client(retries=0) as http:
            if works:
                assert b"Hut 8" in http.get(url).body
            else:
                with pytest.raises(FetchError, match="Hostname mismatch"):
                    http.get(url)
    assert names == [NAME] and network.lookups == [NAME]
    assert [host for host, _ in network.dialled] == [PUBLIC]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/pages/hut8-reserve.html",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://localhost:{port}/",
    ],
)
def test_redirects_to_private_addresses_are_refused(
    server: FixtureServer, network: Network, target: str
) -> None:
    network.answers[NAME] = [[PUBLIC]]
    location = target.format(port=server.base.rsplit(":", 1)[1])
    server.script("/hop", Scripted(302, headers={"Location": location}))
    url = public_url(server, "/hop")
    with client() as http, pytest.raises(FetchError) as refused:
        http.get(url)
    assert refused.value.code == "fetch.private_address" and refused.value.url == url
    assert f"redirected to {location}: refused: " in str(refused.value)
    assert server.paths() == ["/hop"]


def test_feed_links_to_private_addresses_are_refused(
    server: FixtureServer, network: Network, tmp_path: Path
) -> None:
    network.answers[NAME] = [[PUBLIC]]
    links = [
        f"{server.base}{PAGE}",
        "http://169.254.169.254/latest/meta-data/",
        public_url(server, PAGE),
    ]
    items = "".join(f"<item><title>News</title><link>{link}</link></item>" for link in links)
    server.real(
        "/feeds/news.xml", f"<rss><channel><title>IR</title>{items}</channel></rss>".encode()
    )
    data = {
        "http": {"retries": 0},
        "company": [{"ticker": "HUT", "edgar": False, "feeds": [public_url(server, "/feeds/news.xml")]}],
    }  # fmt: skip
    with Store(tmp_path / "store.sqlite") as store:
        fetcher = Fetcher(parse_config(data, load_rules()), store)
        with fetcher.client:
            report = fetcher.run(since="2024-01-01")
    assert [f.url for f in report.documents] == [public_url(server, PAGE)]
    assert [p.code for p in report.problems] == ["fetch.private_address"] * 2
    assert links[0] in report.problems[0].message and links[1] in report.problems[1].message
    port = server.base.rsplit(":", 1)[1]
    assert {r.headers["Host"] for r in server.requests} == {f"{NAME}:{port}"}


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://example.com/release.pdf", "gopher://example.com/1"]
)
def test_redirects_to_other_schemes_fail_at_once(server: FixtureServer, location: str) -> None:
    server.script("/away", *[Scripted(302, headers={"Location": location})] * 3)
    with client(allow_private_networks=True) as http, pytest.raises(FetchError) as refused:
        http.get(f"{server.base}/away")
    assert refused.value.code == "fetch.bad_redirect"
    assert f"redirected to {location}: refused: only http and https" in str(refused.value)
    assert server.paths() == ["/away"]  # not retried as if the connection had failed


@pytest.mark.parametrize(
    "answer",
    [
        Scripted(200, b"x" * 400, {"Content-Type": "text/html"}, trickle=0.05),  # 20 s of body
        Scripted(200, b"late", {"Content-Type": "text/html"}, delay=20),  # headers after 20 s
    ],
)
def test_a_request_fails_at_its_deadline(server: FixtureServer, answer: Scripted) -> None:
    server.script("/slow", answer)
    started = time.monotonic()
    http = client(timeout=30.0, deadline=1.0, allow_private_networks=True)
    with http, pytest.raises(FetchError, match="within the 1 s deadline") as late:
        http.get(f"{server.base}/slow")
    assert late.value.code == "fetch.deadline"
    assert 1.0 <= time.monotonic() - started < 15  # each read is quick; the whole is not
    assert server.paths() == ["/slow"]  # a trickling server is not given another try


def test_a_redirects_body_is_never_read(server: FixtureServer) -> None:
    # httpx reads a redirect's body whole (no byte cap) before following it: 20 s here.
    moved = Scripted(302, b"x" * 400, {"Location": PAGE}, trickle=0.05)
    server.script("/moved", moved)
    started = time.monotonic()
    with client(allow_private_networks=True) as http:
        response = http.get(f"{server.base}/moved")
    assert time.monotonic() - started < 10  # two quick requests, not 20 s of a body
    assert response.final_url == server.base + PAGE and b"Hut 8" in response.body
    assert server.paths() == ["/moved", PAGE]


def test_deadline_and_private_networks_come_from_the_config() -> None:
    assert parse_config({}, load_rules()).http.deadline == 60
    with make_client(parse_config({}, load_rules())) as http:
        assert (http.deadline, http.allow_private_networks) == (60, False)
    data = {"http": {"deadline": 2.5, "allow_private_networks": True}}
    with make_client(parse_config(data, load_rules())) as http:
        assert (http.deadline, http.allow_private_networks) == (2.5, True)


def test_the_real_sec_hosts_are_the_defaults() -> None:
    edgar = parse_config({}, load_rules()).edgar
    assert (edgar.data_url, edgar.archives_url) == (SEC_DATA_URL, SEC_ARCHIVES_URL)
    assert (SEC_DATA_URL, SEC_ARCHIVES_URL) == ("https://data.sec.gov", "https://www.sec.gov")


RELEASE = (FIXTURES / "pages" / "hut8-reserve.html").read_bytes()
PACKED = gzip.compress(RELEASE)


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (Scripted(200, RELEASE[:300], {"Content-Length": str(len(RELEASE))}), "complete message"),
        (
            Scripted(
                200,
                RELEASE[:300],
                {"Content-Length": str(len(RELEASE)), "Transfer-Encoding": "chunked"},
            ),
            f"body ends after 300 of the {len(RELEASE)} bytes its Content-Length announces",
        ),
        (Scripted(200, PACKED[:200], {"Content-Encoding": "gzip"}), "gzip body is cut short"),
    ],
)
def test_a_short_body_is_an_error_and_not_stored(
    server: FixtureServer, tmp_path: Path, answer: Scripted, problem: str
) -> None:
    answer.headers["Content-Type"] = "text/html"
    server.script(PAGE, answer)
    data = {"http": {"retries": 0, "allow_private_networks": True}, "pages": [server.base + PAGE]}
    with Store(tmp_path / "store.sqlite") as store:
        fetcher = Fetcher(parse_config(data, load_rules()), store)
        with fetcher.client:
            report = fetcher.run()
        assert report.documents == [] and not store.fetched(server.base + PAGE)
    assert len(report.problems) == 1 and problem in report.problems[0].message
    assert PAGE in report.problems[0].message


def test_a_gzip_body_is_decoded_within_the_cap(server: FixtureServer) -> None:
    server.script(PAGE, Scripted(200, PACKED, {"Content-Encoding": "gzip"}))
    server.script(
        "/bomb", Scripted(200, gzip.compress(b"\0" * 10**7), {"Content-Encoding": "gzip"})
    )
    with client(allow_private_networks=True, max_bytes=10**6) as http:
        assert http.get(server.base + PAGE).body == RELEASE
        with pytest.raises(FetchError, match="over the 1000000 byte cap"):
            http.get(server.base + "/bomb")


def feed(body: bytes) -> Response:
    return Response("https://ir.example.com/rss", "https://ir.example.com/rss", 200, body,
                    "application/rss+xml", None, None)  # fmt: skip


ITEM = b"<item><title>Production update</title><link>https://ir.example.com/a</link></item>"
ENTITY = b'<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'

UTF16_FEED = (
    b'<?xml version="1.0" encoding="utf-16"?>' + ENTITY + b"<rss><channel>" + ITEM
    + b"<title>&lol2;</title></channel></rss>"
).decode().encode("utf-16")  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        # declared after the first 64 kB, in a well-formed and in a malformed feed
        b"<rss><channel>" + ITEM * 2000 + b"</channel></rss>\n" + ENTITY,
        b"<rss><channel>" + ITEM * 2000 + b"<oops></channel></rss>" + ENTITY + b"<p>&lol2;</p>",
        # in UTF-16, where a byte search for "<!ENTITY" finds nothing
        UTF16_FEED,
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://169.254.169.254/">'
        b"%ext;]><rss><channel>" + ITEM + b"</channel></rss>",
    ],
)
def test_feeds_declaring_entities_anywhere_are_refused(body: bytes) -> None:
    with pytest.raises(FetchError, match="declares XML entities"):
        parse_feed(feed(body))


def test_an_external_dtd_is_allowed_but_never_fetched(tmp_path: Path) -> None:
    dtd = tmp_path / "rss.dtd"
    dtd.write_text('<!ENTITY secret "read from the DTD">')
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">\n<rss version="0.91">'
        "<channel><title>IR</title><item><title>&secret;</title>"
        "<link>https://ir.example.com/a</link></item></channel></rss>"
    ).encode()
    entries = parse_feed(feed(body))
    assert [e.link for e in entries] == ["https://ir.example.com/a"]
    assert "read from the DTD" not in (entries[0].title or "")


@pytest.mark.parametrize(
    ("prolog", "refused"),
    [(b"\n" * 200_000, False), (b" \n" * 100_000, False), (b"<!DOCTYPE rss\n" * 50_000, True)],
)
def test_a_hostile_prolog_takes_linear_time(prolog: bytes, refused: bool) -> None:
    # feedparser's DOCTYPE pattern is quadratic over a prolog like these (minutes before).
    body = prolog + b"<rss><channel>" + ITEM + b"</channel></rss>"
    started = time.monotonic()
    if refused:
        with pytest.raises(FetchError, match="more than one DOCTYPE"):
            parse_feed(feed(body))
    else:
        assert [e.link for e in parse_feed(feed(body))] == ["https://ir.example.com/a"]
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(
    "declaration", [b'<?xml version="1.0" encoding="\xe4\xfc"?>', b"<?xml encoding='utf\x008'?>"]
)
def test_a_garbled_encoding_declaration_is_a_malformed_feed(declaration: bytes) -> None:
    with pytest.raises(FetchError, match="malformed feed"):
        parse_feed(feed(declaration + b"<rss><channel>" + ITEM + b"</channel></rss>"))


SEEDS = [
    (FIXTURES / "feeds" / name).read_bytes() for name in ("hut8-atom.xml", "cleanspark-rss.xml")
]
PIECES = [
    b"<!DOCTYPE",
    b"<!ENTITY",
    b"<?xml encoding='utf-16'?>",
    b"\xff\xfe",
    b"\x00",
    b"]]>",
    b"&#0;",
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 60),
            st.sampled_from([b"", *PIECES]) | st.binary(max_size=8),
        ),
        max_size=12,
    ),
)
def test_any_mangled_feed_fails_only_with_a_fetch_error(
    seed: bytes, edits: list[tuple[float, int, bytes]]
) -> None:
    body = bytearray(seed)
    for where, cut, insert in edits:  # cut some bytes somewhere and put others in their place
        start = int(where * len(body))
        body[start : start + cut] = insert
    try:
        entries = parse_feed(feed(bytes(body)))
    except FetchError:
        return
    assert all(isinstance(e.link, str) and e.link for e in entries)
