"""The fetcher against a real HTTP(S) server on 127.0.0.1: limits, failures, conditional requests."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path

import pytest
import requests
import urllib3

from guard import __version__
from guard.terms.errors import FetchFailure, TermsFetchError
from guard.terms.fetch import Fetcher, FetchPolicy, HostPacer, _is_offline
from tests.terms.support.proxy import ForwardingProxy
from tests.terms.support.server import Route, TermsServer, closed_port, page

HTML = "<html><body><main><p>Terms text.</p></main></body></html>"


class Sleeps:
    """Records requested sleeps (and really sleeps briefly so servers keep their pace)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher(**policy: object) -> tuple[Fetcher, Sleeps]:
    sleeps = Sleeps()
    base = dict(allow_insecure_localhost=True, host_pace_seconds=0.0, backoff_seconds=0.01, retries=2,
                connect_timeout=2.0, read_timeout=2.0, total_deadline=5.0)
    base.update(policy)
    return Fetcher(FetchPolicy(**base), sleep=sleeps, network_enabled=True), sleeps  # type: ignore[arg-type]


def failure(call) -> TermsFetchError:  # type: ignore[no-untyped-def]
    with pytest.raises(TermsFetchError) as caught:
        call()
    return caught.value


def test_page_is_fetched_with_an_honest_user_agent() -> None:
    with TermsServer() as server:
        server.routes["/terms"] = page(HTML)
        outcome = fetcher()[0].fetch(server.url("/terms"))
        assert outcome.html == HTML
        assert outcome.meta.status == 200
        agent = server.seen[0].headers["user-agent"]
        assert agent.startswith(f"MeetingPrivacyGuard/{__version__} (") and "terms watcher" in agent


def test_plain_http_to_another_host_is_refused_without_a_request() -> None:
    fetch, _ = fetcher()
    error = failure(lambda: fetch.fetch("http://example.com/terms"))
    assert error.kind is FetchFailure.INSECURE_URL
    assert "http://example.com/terms" in str(error) and "HTTPS" in str(error)


def test_plain_http_to_localhost_needs_the_test_setting() -> None:
    with TermsServer() as server:
        server.routes["/terms"] = page(HTML)
        fetch, _ = fetcher(allow_insecure_localhost=False)
        assert failure(lambda: fetch.fetch(server.url("/terms"))).kind is FetchFailure.INSECURE_URL
        assert server.hits("/terms") == 0


def test_404_is_reported_and_not_retried() -> None:
    with TermsServer() as server:
        server.routes["/gone"] = Route(body=b"<html>gone</html>", status=404)
        error = failure(lambda: fetcher()[0].fetch(server.url("/gone")))
        assert error.kind is FetchFailure.CLIENT_ERROR and error.status == 404
        assert "404" in str(error) and server.url("/gone") in str(error)
        assert server.hits("/gone") == 1


def test_500_is_retried_with_back_off_then_reported() -> None:
    with TermsServer() as server:
        server.routes["/broken"] = Route(body=b"oops", status=500)
        fetch, sleeps = fetcher(retries=2, backoff_seconds=0.01)
        error = failure(lambda: fetch.fetch(server.url("/broken")))
        assert error.kind is FetchFailure.SERVER_ERROR and error.status == 500
        assert server.hits("/broken") == 3
        assert sleeps.calls == [0.01, 0.02]
        assert error.attempts == 3


def test_server_that_never_sends_the_body_times_out() -> None:
    with TermsServer() as server:
        server.routes["/stall"] = Route(body=HTML.encode(), stall=3.0)
        error = failure(lambda: fetcher(read_timeout=0.5, retries=0)[0].fetch(server.url("/stall")))
        assert error.kind is FetchFailure.TIMEOUT


def test_slow_drip_is_cut_off_by_the_total_deadline() -> None:
    body = ("<html><body>" + "x" * 400 + "</body></html>").encode()
    with TermsServer() as server:
        # One byte every 50 ms: the read timeout (2 s) never fires, the 1 s deadline does.
        server.routes["/drip"] = Route(body=body, drip_interval=0.05)
        error = failure(lambda: fetcher(total_deadline=1.0, retries=0)[0].fetch(server.url("/drip")))
        assert error.kind is FetchFailure.TIMEOUT


def test_server_dripping_its_headers_is_cut_off_at_the_deadline() -> None:
    """Issue 16.12: the headers alone would take minutes at one byte per 50 ms, and every byte
    arrives well within the read timeout; the total deadline still ends the request."""
    with TermsServer() as server:
        server.routes["/headers"] = Route(drip_headers=0.05)
        error = failure(lambda: fetcher(total_deadline=1.0, read_timeout=5.0, retries=0)[0].fetch(
            server.url("/headers")))
        assert error.kind is FetchFailure.TIMEOUT and "1 s in all" in str(error)
        assert server.finished == []  # the request was given up long before the server was done


def test_redirect_to_another_port_of_the_same_machine_is_refused() -> None:
    """Issue 16.14: a page must not send the watcher to another service on the same host."""
    with TermsServer() as server, TermsServer() as other:
        other.routes["/admin"] = page(HTML)
        server.routes["/terms"] = Route(status=302, location=other.url("/admin"))
        error = failure(lambda: fetcher()[0].fetch(server.url("/terms")))
        assert error.kind is FetchFailure.REDIRECT_REFUSED and other.url("/admin") in str(error)
        assert other.seen == [] and error.attempts == 1


def answering(code: int, words: str) -> Fetcher:
    """A fetcher whose system resolver answers every name with the ``getaddrinfo`` error ``code``."""
    def resolve(host: str) -> list[str]:
        raise socket.gaierror(code, words)
    return Fetcher(fetcher(retries=3)[0].policy, network_enabled=True, resolve=resolve)


def test_no_name_server_is_offline_without_retries() -> None:
    offline = answering(socket.EAI_AGAIN, "Temporary failure in name resolution")
    error = failure(lambda: offline.fetch("https://terms.example.org/terms"))
    assert error.kind is FetchFailure.OFFLINE and error.attempts == 1
    assert "offline" in str(error)


def test_a_name_the_name_server_does_not_know_is_that_site_alone_without_retries() -> None:
    """A site gone, or blocked by the network's filter: not 'this computer is offline'."""
    unknown = answering(socket.EAI_NONAME, "Name or service not known")
    error = failure(lambda: unknown.fetch("https://terms.example.org/terms"))
    assert error.kind is FetchFailure.NAME_NOT_FOUND and error.attempts == 1
    assert "terms.example.org was not found by the name server" in str(error) and "offline" not in str(error)


def test_redirect_loop_is_detected() -> None:
    with TermsServer() as server:
        server.routes["/a"] = Route(status=302, location="/b")
        server.routes["/b"] = Route(status=301, location="/a")
        error = failure(lambda: fetcher()[0].fetch(server.url("/a")))
        assert error.kind is FetchFailure.REDIRECT_LOOP
        assert "/a" in str(error) and "/b" in str(error)


def test_more_than_five_redirects_are_refused() -> None:
    with TermsServer() as server:
        for hop in range(7):
            server.routes[f"/r{hop}"] = Route(status=302, location=f"/r{hop + 1}")
        server.routes["/r7"] = page(HTML)
        error = failure(lambda: fetcher()[0].fetch(server.url("/r0")))
        assert error.kind is FetchFailure.TOO_MANY_REDIRECTS
        assert server.hits("/r6") == 0


def test_five_redirects_are_followed() -> None:
    with TermsServer() as server:
        for hop in range(5):
            server.routes[f"/r{hop}"] = Route(status=307, location=f"/r{hop + 1}")
        server.routes["/r5"] = page(HTML)
        outcome = fetcher()[0].fetch(server.url("/r0"))
        assert outcome.html == HTML and outcome.meta.final_url == server.url("/r5")


def test_each_redirect_hop_is_checked_against_the_https_rule() -> None:
    with TermsServer() as server:
        server.routes["/moved"] = Route(status=301, location="http://example.com/terms")
        error = failure(lambda: fetcher()[0].fetch(server.url("/moved")))
        assert error.kind is FetchFailure.INSECURE_URL and "example.com" in str(error)


def test_declared_size_over_the_cap_is_not_read() -> None:
    with TermsServer() as server:
        server.routes["/big"] = Route(body=b"<html>" + b"a" * 6000 + b"</html>")
        error = failure(lambda: fetcher(max_bytes=5000)[0].fetch(server.url("/big")))
        assert error.kind is FetchFailure.TOO_BIG


def test_streamed_size_over_the_cap_is_aborted() -> None:
    with TermsServer() as server:
        server.routes["/big"] = Route(body=b"<html>" + b"a" * 60_000 + b"</html>", send_length=False)
        error = failure(lambda: fetcher(max_bytes=20_000)[0].fetch(server.url("/big")))
        assert error.kind is FetchFailure.TOO_BIG


# A page compressed 1000:1 (300 MB of text in 300 kB of gzip or deflate), fetched in a process of its own that
# prints its peak memory: the cap counts decompressed bytes, and decompressing must stop near it too.
_BOMB = """
import json, os, resource, sys, zlib
from tests.terms.support.server import Route, TermsServer
from guard.terms.errors import TermsFetchError
from guard.terms.fetch import Fetcher, FetchPolicy
encoding, wbits = sys.argv[1], {"gzip": 31, "deflate": 15}[sys.argv[1]]
packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
megabyte = b"<p>" + b"a" * (1024 * 1024 - 3)
body = packer.compress(b"<html><body>") + b"".join(packer.compress(megabyte) for _ in range(300)) + packer.flush()
del megabyte
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with TermsServer() as server:
    server.routes["/terms"] = Route(body=body, extra_headers={"Content-Encoding": encoding})
    fetcher = Fetcher(FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0),
                      network_enabled=True)
    try:
        fetcher.fetch(server.url("/terms"))
        kind = "fetched"
    except TermsFetchError as error:
        kind = str(error.kind)
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"kind": kind, "compressed": len(body), "grown_kb": grown}))
"""


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_page_that_inflates_past_the_cap_is_cut_off_without_inflating_it(encoding: str) -> None:
    """Audit 13: a decompression bomb (Content-Encoding gzip or deflate, 1000:1) is refused as too big, and
    the fetch's memory stays near the 5 MB cap: it never holds the 300 MB the page inflates to."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _BOMB, encoding], capture_output=True, text=True, timeout=300,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root),
                                         "MEETING_GUARD_TEST_ALLOW_INSECURE_LOCALHOST": "1"})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["compressed"] < 1024 * 1024 and found["kind"] == "too-big"
    assert found["grown_kb"] < 64 * 1024, f"the fetch grew by {found['grown_kb']} kB: the page was inflated whole"


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png"])
def test_non_html_is_refused(content_type: str) -> None:
    with TermsServer() as server:
        server.routes["/file"] = Route(body=b"%PDF-1.4 binary", content_type=content_type)
        error = failure(lambda: fetcher()[0].fetch(server.url("/file")))
        assert error.kind is FetchFailure.NOT_HTML and content_type in str(error)


def test_etag_makes_the_next_request_conditional() -> None:
    with TermsServer() as server:
        server.routes["/terms"] = page(HTML, etag='"v1"')
        fetch, _ = fetcher()
        first = fetch.fetch(server.url("/terms"))
        assert first.meta.etag == '"v1"'
        second = fetch.fetch(server.url("/terms"), etag=first.meta.etag)
        assert second.not_modified and second.meta.status == 304
        assert server.seen[1].headers["if-none-match"] == '"v1"'


def test_last_modified_makes_the_next_request_conditional() -> None:
    stamp = "Fri, 11 Aug 2023 10:00:00 GMT"
    with TermsServer() as server:
        server.routes["/terms"] = page(HTML, last_modified=stamp)
        fetch, _ = fetcher()
        second = fetch.fetch(server.url("/terms"), last_modified=fetch.fetch(server.url("/terms")).meta.last_modified)
        assert second.not_modified
        assert server.seen[1].headers["if-modified-since"] == stamp


def test_requests_to_one_host_keep_their_pace() -> None:
    with TermsServer() as server:
        server.routes["/a"] = page(HTML)
        server.routes["/b"] = page(HTML)
        clock = [100.0]
        sleeps: list[float] = []
        fetch = Fetcher(FetchPolicy(allow_insecure_localhost=True, host_pace_seconds=5.0),
                        sleep=sleeps.append, clock=lambda: clock[0], network_enabled=True)
        fetch.fetch(server.url("/a"))
        clock[0] += 1.5
        fetch.fetch(server.url("/b"))
        assert sleeps == [pytest.approx(3.5)]


def test_pace_is_per_host() -> None:
    clock = [0.0]
    sleeps: list[float] = []
    pacer = HostPacer(5.0, sleeps.append, lambda: clock[0])
    pacer.wait_for("a.example")
    pacer.wait_for("b.example")
    assert sleeps == []
    pacer.wait_for("a.example")
    assert sleeps == [5.0]


def test_untrusted_certificate_is_a_tls_error(tmp_path: Path) -> None:
    with TermsServer(tls=True, cert_dir=tmp_path) as server:
        server.routes["/terms"] = page(HTML)
        error = failure(lambda: fetcher(retries=0)[0].fetch(server.url("/terms")))
        assert error.kind is FetchFailure.TLS
        assert server.url("/terms") in str(error)


def test_connection_refused_is_retried_then_reported() -> None:
    fetch, sleeps = fetcher(retries=1)
    with closed_port() as port:
        url = f"https://127.0.0.1:{port}/terms"
        error = failure(lambda: fetch.fetch(url))
    assert error.kind is FetchFailure.CONNECTION and url in str(error)
    assert len(sleeps.calls) == 1


def test_a_refused_connection_to_a_path_named_like_a_network_error_is_no_offline_hostile() -> None:
    """Audit 13: a page (or a redirect) whose path reads like an offline error, then a refused connection: the
    site is unreachable, this computer is not offline (the error's text, which holds the path, read as offline)."""
    fetch, _ = fetcher(retries=0)
    with closed_port() as port:
        url = f"https://127.0.0.1:{port}/NameResolutionError/Network%20is%20unreachable/getaddrinfo%20failed"
        error = failure(lambda: fetch.fetch(url))
    assert error.kind is FetchFailure.CONNECTION, error


def test_no_route_or_a_failed_lookup_among_the_causes_is_offline() -> None:
    """What requests raises when there is no route (urllib3's error caused by the socket's) reads as offline by its
    errno, and a failed name lookup by its type; a refused connection does not."""
    def raised(cause: OSError) -> requests.exceptions.ConnectionError:
        try:
            try:
                raise cause
            except OSError as error:
                raise urllib3.exceptions.NewConnectionError(None, "Failed to establish a new connection") from error
        except urllib3.exceptions.NewConnectionError as error:
            return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/x", error))
    assert _is_offline(raised(OSError(errno.ENETUNREACH, "Network is unreachable")))
    assert _is_offline(raised(socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")))
    assert not _is_offline(raised(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")))


def test_network_switched_off_makes_no_request() -> None:
    with TermsServer() as server:
        server.routes["/terms"] = page(HTML)
        fetch = Fetcher(FetchPolicy(allow_insecure_localhost=True), network_enabled=False)
        error = failure(lambda: fetch.fetch(server.url("/terms")))
        assert error.kind is FetchFailure.NETWORK_DISABLED and "network_enabled" in str(error)
        assert server.seen == []


def test_charset_from_the_header_is_used() -> None:
    text = "<html><body><p>Données personnelles</p></body></html>"
    with TermsServer() as server:
        server.routes["/fr"] = Route(body=text.encode("latin-1"), content_type="text/html; charset=iso-8859-1")
        assert fetcher()[0].fetch(server.url("/fr")).html == text


@pytest.mark.parametrize("declared", ["text/html; charset=rot13", "text/html; charset=zlib", "text/html; charset=idna",
                                      "text/html; charset=unicode_escape", "text/html; charset=utf-7", "text/html"])
def test_a_charset_browsers_do_not_know_is_ignored_as_a_browser_would(declared: str) -> None:
    """Audit round two: 'charset=rot13' (or zlib, base64, idna) raised LookupError/UnicodeError,
    so the page went unwatched; 'unicode_escape' turned the page's literal text '\\u202e' into a
    bidi override and 'utf-7' rewrote '+AG4-': the watcher read words no browser shows."""
    text = "<html><body><p>Données: we do not record \\u202e +AG4- meetings.</p></body></html>"
    meta = "" if declared != "text/html" else '<meta charset="unicode_escape">'
    with TermsServer() as server:
        server.routes["/t"] = Route(body=(meta + text).encode("utf-8"), content_type=declared)
        assert fetcher()[0].fetch(server.url("/t")).html == meta + text


# -- proxies and credentials from the environment ----------------------------------------------

@pytest.fixture
def clean_proxy_env(no_proxy_settings: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variables set (tests/terms/conftest.py); the test sets its own."""
    return no_proxy_settings


def test_http_proxy_from_the_environment_carries_the_request(clean_proxy_env: pytest.MonkeyPatch) -> None:
    with TermsServer() as server, ForwardingProxy() as proxy:
        server.routes["/terms"] = page(HTML)
        clean_proxy_env.setenv("HTTP_PROXY", proxy.url)
        outcome = fetcher()[0].fetch(server.url("/terms"))
        assert outcome.html == HTML
        (forwarded,) = proxy.forwarded
        assert forwarded.target == server.url("/terms")
        assert forwarded.headers["user-agent"].startswith("MeetingPrivacyGuard/")
        assert server.hits("/terms") == 1


def test_no_proxy_sends_the_request_directly(clean_proxy_env: pytest.MonkeyPatch) -> None:
    with TermsServer() as server, ForwardingProxy() as proxy:
        server.routes["/terms"] = page(HTML)
        clean_proxy_env.setenv("http_proxy", proxy.url)
        clean_proxy_env.setenv("no_proxy", "127.0.0.1")
        assert fetcher()[0].fetch(server.url("/terms")).html == HTML
        assert proxy.forwarded == [] and server.hits("/terms") == 1


def test_proxies_for_follows_https_proxy_and_no_proxy(clean_proxy_env: pytest.MonkeyPatch) -> None:
    fetch = fetcher()[0]
    url = "https://www.microsoft.com/en-gb/servicesagreement/"
    assert fetch.proxies_for(url) == {}
    clean_proxy_env.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    assert fetch.proxies_for(url) == {"https": "http://proxy.corp.example:3128"}
    clean_proxy_env.setenv("NO_PROXY", "microsoft.com,.internal")
    assert fetch.proxies_for(url) == {}
    assert fetch.proxies_for("https://policies.google.com/terms") == {"https": "http://proxy.corp.example:3128"}


def test_unreachable_proxy_is_reported_without_its_password(clean_proxy_env: pytest.MonkeyPatch) -> None:
    with closed_port() as port, closed_port() as site:
        clean_proxy_env.setenv("HTTP_PROXY", f"http://alice:s3cret@127.0.0.1:{port}")
        error = failure(lambda: fetcher(retries=0)[0].fetch(f"http://127.0.0.1:{site}/terms"))
    assert error.kind is FetchFailure.CONNECTION
    assert f"through the proxy http://127.0.0.1:{port}" in str(error) and "HTTPS_PROXY" in str(error)
    assert "s3cret" not in str(error) and "alice" not in str(error)


def test_netrc_credentials_are_never_sent(clean_proxy_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password s3cret\n", encoding="utf-8")
    netrc.chmod(0o600)
    clean_proxy_env.setenv("NETRC", str(netrc))
    with TermsServer() as server:
        server.routes["/terms"] = page(HTML)
        assert fetcher()[0].fetch(server.url("/terms")).html == HTML
        assert "authorization" not in server.seen[0].headers
