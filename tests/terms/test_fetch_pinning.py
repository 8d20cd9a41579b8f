"""The fetcher connects only to the addresses it checked (issue 15; DNS rebinding), with real
servers on 127.0.0.1 / 127.0.0.2, a real TLS certificate from a test CA for the real host
names, a hostile name server in place of the system resolver, and a firewall that keeps every
connect on this machine."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from guard.terms.archive_source import GitHubArchive
from guard.terms.errors import FetchFailure, TermsFetchError
from guard.terms.fetch import Fetcher, FetchPolicy
from tests.browser.support.certs import make_certs
from tests.browser.support.tunnel import Tunnel
from tests.terms.support.network import RebindingDNS, loopback_only
from tests.terms.support.proxy import ForwardingProxy
from tests.terms.support.server import Route, TermsServer, page

HTML = "<html><body><main><p>Terms text.</p></main></body></html>"
INTERNAL = "<html><body><p>Internal admin page: secrets.</p></body></html>"
PUBLIC = "93.184.216.34"  # a global address; the firewall keeps the connect on this machine
NAMES = ["terms.example", "a.terms.example", "b.terms.example", "api.terms.example", "xn--bcher-kva.terms.example"]


@dataclass(frozen=True)
class LocalCA:
    ca_file: Path  # the test CA's certificate (PEM), the only one the fetcher trusts
    server: tuple[Path, Path]  # certificate chain and key for NAMES


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    folder = tmp_path_factory.mktemp("test-ca")
    certs = make_certs(folder, NAMES)
    ca = x509.load_der_x509_certificate(base64.b64decode(certs.ca_der_b64))
    ca_file = folder / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return LocalCA(ca_file, (certs.cert_file, certs.key_file))


def fetcher(tls: LocalCA, resolve: object = None, **policy: object) -> Fetcher:
    base: dict[str, object] = dict(allow_insecure_localhost=True, host_pace_seconds=0.0, retries=0,
                                   connect_timeout=2.0, read_timeout=2.0, total_deadline=5.0)
    base.update(policy)
    session = requests.Session()
    session.verify = str(tls.ca_file)
    return Fetcher(FetchPolicy(**base), session=session, sleep=lambda seconds: None,  # type: ignore[arg-type]
                   resolve=resolve, network_enabled=True)  # type: ignore[arg-type]


def failure(call) -> TermsFetchError:  # type: ignore[no-untyped-def]
    with pytest.raises(TermsFetchError) as caught:
        call()
    return caught.value


def answers(mapping: dict[str, Sequence[str]]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def resolve(host: str) -> Sequence[str]:
        asked.append(host)
        if host not in mapping:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return mapping[host]
    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


# -- DNS rebinding ------------------------------------------------------------------------------

def test_a_name_rebound_to_127_0_0_1_after_the_check_is_never_contacted(
        tls: LocalCA, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name server answers a public address to the check and 127.0.0.1 afterwards. The
    fetcher asks once and connects to the public address it checked (refused here by the
    firewall); the service on 127.0.0.1, which has a valid certificate for the name, hears
    nothing."""
    with TermsServer(certificate=tls.server) as internal:
        internal.routes["/terms"] = page(INTERNAL)
        dns = RebindingDNS({"terms.example": [PUBLIC]}, {"terms.example": ["127.0.0.1"]})
        monkeypatch.setattr(socket, "getaddrinfo", dns)
        fetch = fetcher(tls, allow_insecure_localhost=False)
        with loopback_only() as wall:
            error = failure(lambda: fetch.fetch(internal.url("/terms", host="terms.example")))
        assert internal.connections == 0 and internal.seen == []
        assert wall.blocked == [(PUBLIC, internal.port)]
        assert dns.asked == {"terms.example": 1}
        assert error.kind is FetchFailure.CONNECTION


def test_a_redirect_target_rebound_after_its_check_is_never_contacted(
        tls: LocalCA, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same through a redirect: a.terms.example (this machine, under the test setting)
    sends the watcher to b.terms.example, whose name answers a public address to the check and
    127.0.0.2, where another service listens on the same port, afterwards."""
    with TermsServer(certificate=tls.server) as site:
        with TermsServer(certificate=tls.server, host="127.0.0.2", port=site.port) as internal:
            internal.routes["/terms"] = page(INTERNAL)
            site.routes["/terms"] = Route(status=301, location=internal.url("/terms", host="b.terms.example"))
            dns = RebindingDNS({"a.terms.example": ["127.0.0.1"], "b.terms.example": [PUBLIC]},
                               {"a.terms.example": ["127.0.0.1"], "b.terms.example": ["127.0.0.2"]})
            monkeypatch.setattr(socket, "getaddrinfo", dns)
            with loopback_only() as wall:
                error = failure(lambda: fetcher(tls).fetch(site.url("/terms", host="a.terms.example")))
            assert site.hits("/terms") == 1
            assert internal.connections == 0 and internal.seen == []
            assert wall.blocked == [(PUBLIC, site.port)]
            assert dns.asked == {"a.terms.example": 1, "b.terms.example": 1}
            assert error.kind is FetchFailure.CONNECTION


def test_the_archive_reads_go_through_the_same_pin(tls: LocalCA, monkeypatch: pytest.MonkeyPatch) -> None:
    """The public archive is read with the same fetcher: a rebinding answer for the archive's
    API host reaches nothing on this machine either."""
    with TermsServer(certificate=tls.server) as internal:
        dns = RebindingDNS({"api.terms.example": [PUBLIC]}, {"api.terms.example": ["127.0.0.1"]})
        monkeypatch.setattr(socket, "getaddrinfo", dns)
        api = f"https://api.terms.example:{internal.port}"
        archive = GitHubArchive("OpenTermsArchive/contrib-versions", fetcher(tls, allow_insecure_localhost=False),
                                api=api, raw=api, pace=0.0)
        with loopback_only() as wall:
            error = failure(lambda: archive.commits("Zoom/Terms of Service.md"))
        assert internal.connections == 0 and wall.blocked == [(PUBLIC, internal.port)]
        assert error.kind is FetchFailure.CONNECTION and dns.asked == {"api.terms.example": 1}


@pytest.mark.parametrize("resolved", [["10.0.0.7"], ["169.254.169.254"], [PUBLIC, "127.0.0.1"], ["127.0.0.1"],
                                      ["::ffff:192.168.1.1"], ["64:ff9b::7f00:1"]])
def test_a_name_answering_a_private_address_is_refused_before_any_connect(tls: LocalCA, resolved: list[str]) -> None:
    with TermsServer(certificate=tls.server) as server:
        server.routes["/terms"] = page(HTML)
        resolve = answers({"terms.example": resolved})
        url = server.url("/terms", host="terms.example")
        with loopback_only() as wall:
            error = failure(lambda: fetcher(tls, resolve, allow_insecure_localhost=False).fetch(url))
        assert error.kind is FetchFailure.ADDRESS_REFUSED and error.attempts == 1
        assert url in str(error) and "not a public address" in str(error)
        assert server.connections == 0 and wall.blocked == []


def test_an_address_written_in_the_url_is_checked_too(tls: LocalCA) -> None:
    with loopback_only() as wall:
        error = failure(lambda: fetcher(tls, allow_insecure_localhost=False).fetch("https://10.0.0.7/terms"))
    assert error.kind is FetchFailure.ADDRESS_REFUSED and "10.0.0.7" in str(error)
    assert wall.blocked == []


# -- TLS still checks the name ------------------------------------------------------------------

def test_https_to_a_pinned_address_verifies_the_certificate_for_the_host_name(tls: LocalCA) -> None:
    """The socket goes to the checked address, but TLS is still about the name: the server is
    asked for terms.example (SNI), the page is fetched with that Host, and a name the
    certificate does not carry fails verification although the address is the same."""
    with TermsServer(certificate=tls.server) as server:
        server.routes["/terms"] = page(HTML)
        resolve = answers({"terms.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
        fetch = fetcher(tls, resolve)
        outcome = fetch.fetch(server.url("/terms", host="terms.example"))
        assert outcome.html == HTML
        assert server.server_names == ["terms.example"]
        assert server.seen[0].headers["host"] == f"terms.example:{server.port}"
        error = failure(lambda: fetch.fetch(server.url("/terms", host="other.example")))
        assert error.kind is FetchFailure.TLS and "certificate" in str(error)
        assert server.server_names == ["terms.example", "other.example"] and server.hits("/terms") == 1
        assert resolve.asked == ["terms.example", "other.example"]


@pytest.mark.parametrize(("written", "looked_up"), [("bücher.terms.example", "xn--bcher-kva.terms.example"),
                                                    ("Terms.Example.", "terms.example.")],
                         ids=["unicode", "capitals-and-final-dot"])
def test_a_name_is_pinned_as_the_connection_spells_it(tls: LocalCA, written: str, looked_up: str) -> None:
    """An internationalised name is looked up and pinned in its ASCII form, the form the
    connection and the certificate use; a final dot or capitals change nothing."""
    with TermsServer(certificate=tls.server) as server:
        server.routes["/terms"] = page(HTML)
        resolve = answers({looked_up: ["127.0.0.1"]})
        assert fetcher(tls, resolve).fetch(server.url("/terms", host=written)).html == HTML
        assert resolve.asked == [looked_up] and server.server_names == [looked_up.rstrip(".")]


# -- proxies and silent name servers ------------------------------------------------------------

def test_through_a_proxy_the_connection_is_pinned_to_the_proxy(
        tls: LocalCA, no_proxy_settings: pytest.MonkeyPatch) -> None:
    with TermsServer() as server, ForwardingProxy() as proxy:
        server.routes["/terms"] = page(HTML)
        no_proxy_settings.setenv("HTTP_PROXY", proxy.url.replace("127.0.0.1", "proxy.corp.example"))
        resolve = answers({"proxy.corp.example": ["127.0.0.1"]})
        assert fetcher(tls, resolve).fetch(server.url("/terms")).html == HTML
        assert resolve.asked == ["proxy.corp.example"]
        assert [forwarded.target for forwarded in proxy.forwarded] == [server.url("/terms")]


def test_https_through_a_proxy_tunnel_is_pinned_to_the_proxy_and_verified_for_the_name(
        tls: LocalCA, no_proxy_settings: pytest.MonkeyPatch) -> None:
    """The usual corporate set-up: HTTPS_PROXY names the proxy, which is asked to CONNECT to
    terms.example:443 and resolves that name itself. The app looks up only the proxy's name,
    connects to that address, and verifies the page's certificate for terms.example inside the
    tunnel."""
    with TermsServer(certificate=tls.server) as server, Tunnel({"terms.example"}, server.port) as proxy:
        server.routes["/terms"] = page(HTML)
        no_proxy_settings.setenv("HTTPS_PROXY", f"http://proxy.corp.example:{proxy.port}")
        resolve = answers({"proxy.corp.example": ["127.0.0.1"]})
        outcome = fetcher(tls, resolve, allow_insecure_localhost=False).fetch("https://terms.example/terms")
        assert outcome.html == HTML and proxy.refused == []
        assert resolve.asked == ["proxy.corp.example"] and server.server_names == ["terms.example"]


def test_a_proxy_whose_name_does_not_resolve_is_named_in_the_error(
        tls: LocalCA, no_proxy_settings: pytest.MonkeyPatch) -> None:
    def nowhere(host: str) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    no_proxy_settings.setenv("HTTPS_PROXY", "http://alice:s3cret@proxy.corp.example:3128")
    error = failure(lambda: fetcher(tls, nowhere).fetch("https://terms.example/terms"))
    assert error.kind is FetchFailure.CONNECTION
    assert "through the proxy http://proxy.corp.example:3128" in str(error) and "s3cret" not in str(error)


def test_a_private_address_in_the_url_is_refused_before_the_proxy_is_asked(
        tls: LocalCA, no_proxy_settings: pytest.MonkeyPatch) -> None:
    with ForwardingProxy() as proxy:
        no_proxy_settings.setenv("HTTPS_PROXY", proxy.url)
        error = failure(lambda: fetcher(tls, allow_insecure_localhost=False).fetch("https://192.168.1.1/admin"))
        assert error.kind is FetchFailure.ADDRESS_REFUSED and proxy.forwarded == []


def test_a_name_server_that_never_answers_is_offline_after_the_connect_timeout(tls: LocalCA) -> None:
    release = threading.Event()

    def silent(host: str) -> Sequence[str]:
        release.wait(30)
        return [PUBLIC]
    try:
        with loopback_only() as wall:
            error = failure(lambda: fetcher(tls, silent, connect_timeout=0.3, retries=2).fetch(
                "https://terms.example/terms"))
    finally:
        release.set()
    assert error.kind is FetchFailure.OFFLINE and error.attempts == 1 and wall.blocked == []
    assert "terms.example" in str(error) and "within 0.3 s" in str(error)


def test_a_connection_nobody_checked_is_refused() -> None:
    """Fail closed: the watcher's connections cannot reach a host outside a checked request,
    even one on this machine."""
    from guard.terms.deadline import DeadlineAdapter

    with TermsServer() as server, requests.Session() as session:
        server.routes["/terms"] = page(HTML)
        session.mount("http://", DeadlineAdapter(max_retries=0))
        with pytest.raises(requests.exceptions.ConnectionError, match="no checked address for 127.0.0.1"):
            session.get(server.url("/terms"), timeout=2)
        assert server.connections == 0


def test_a_session_given_to_the_fetcher_keeps_no_adapter_of_its_own(
        tls: LocalCA, monkeypatch: pytest.MonkeyPatch) -> None:
    """An adapter mounted on the session for a longer prefix would carry requests past the pin
    (and look the name up again); the fetcher drops it, so the rebinding still reaches nothing."""
    with TermsServer(certificate=tls.server) as internal:
        internal.routes["/terms"] = page(INTERNAL)
        session = requests.Session()
        session.verify = str(tls.ca_file)
        session.mount("https://terms.example", requests.adapters.HTTPAdapter(max_retries=0))
        monkeypatch.setattr(socket, "getaddrinfo", RebindingDNS({"terms.example": [PUBLIC]},
                                                                {"terms.example": ["127.0.0.1"]}))
        fetch = Fetcher(FetchPolicy(host_pace_seconds=0.0, retries=0), session=session, network_enabled=True)
        with loopback_only() as wall:
            error = failure(lambda: fetch.fetch(internal.url("/terms", host="terms.example")))
        assert internal.connections == 0 and wall.blocked == [(PUBLIC, internal.port)]
        assert error.kind is FetchFailure.CONNECTION and set(session.adapters) == {"https://", "http://"}
