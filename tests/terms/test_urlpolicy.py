"""Which addresses the watcher may fetch: HTTPS, or plain HTTP to 127.0.0.1 under the test setting."""

from __future__ import annotations

import pytest

from guard.terms.errors import FetchFailure, TermsFetchError
from guard.terms.urlpolicy import allowed_address, check_addresses, check_redirect, check_url, site_of


@pytest.mark.parametrize("url", ["https://zoom.us/terms", "https://127.0.0.1:8443/x", "HTTPS://Example.com/"])
def test_https_is_allowed(url: str) -> None:
    check_url(url)


@pytest.mark.parametrize(("url", "kind"), [
    ("http://example.com/terms", FetchFailure.INSECURE_URL),
    ("http://localhost:8000/terms", FetchFailure.INSECURE_URL),
    ("http://127.0.0.2/terms", FetchFailure.INSECURE_URL),
    ("ftp://example.com/terms.txt", FetchFailure.INVALID_URL),
    ("file:///etc/passwd", FetchFailure.INVALID_URL),
    ("https://user:secret@example.com/terms", FetchFailure.INVALID_URL),
    ("https://example.com:99999/terms", FetchFailure.INVALID_URL),
    ("not a url", FetchFailure.INVALID_URL),
])
def test_other_addresses_are_refused_with_a_reason(url: str, kind: FetchFailure) -> None:
    with pytest.raises(TermsFetchError) as caught:
        check_url(url, allow_insecure_localhost=True)
    assert caught.value.kind is kind and url in str(caught.value)


def test_plain_http_to_127_0_0_1_only_with_the_test_setting() -> None:
    check_url("http://127.0.0.1:8000/terms", allow_insecure_localhost=True)
    with pytest.raises(TermsFetchError):
        check_url("http://127.0.0.1:8000/terms")


@pytest.mark.parametrize(("host", "site"), [("explore.zoom.us", "zoom.us"), ("zoom.us", "zoom.us"),
                                            ("www.bbc.co.uk", "bbc.co.uk"), ("127.0.0.1", "127.0.0.1")])
def test_site_is_the_registrable_name(host: str, site: str) -> None:
    assert site_of(host) == site


def public(host: str) -> list[str]:
    return ["170.114.52.2"]


def test_redirect_within_the_site_to_a_public_address_is_followed() -> None:
    check_redirect("https://zoom.us/terms", "https://explore.zoom.us/en/terms/", resolve=public)


@pytest.mark.parametrize(("target", "resolved"), [
    ("https://evil.example/terms", ["93.184.216.34"]),  # another site
    ("https://zoom.us:8443/terms", ["170.114.52.2"]),  # another port
    ("https://intranet.zoom.us/terms", ["10.0.0.7"]),  # the same site's name for a private address
    ("https://zoom.us.local.zoom.us/x", ["127.0.0.1"]),  # loopback
    ("https://[::1]/terms", ["::1"]),
])
def test_redirect_elsewhere_is_refused_with_a_reason(target: str, resolved: list[str]) -> None:
    with pytest.raises(TermsFetchError) as caught:
        check_redirect("https://zoom.us/terms", target, resolve=lambda host: resolved)
    assert caught.value.kind is FetchFailure.REDIRECT_REFUSED and target in str(caught.value)


@pytest.mark.parametrize("address", ["170.114.52.2", "2606:4700::6810:84e5", "::ffff:170.114.52.2",
                                     "2002:aa72:3402::1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert allowed_address(address)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.0.0.2", "10.0.0.7", "172.16.3.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "::1", "fe80::1%eth0", "fd00::7", "::",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::127.0.0.1",  # IPv4-compatible (deprecated) loopback, which ipaddress calls global
    "64:ff9b::a00:7",  # NAT64 of 10.0.0.7, which ipaddress calls global
    "64:ff9b:1::1",  # a local-use NAT64 prefix
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1, which ipaddress calls global
    "not an address",
])
def test_local_private_and_disguised_addresses_are_refused(address: str) -> None:
    assert not allowed_address(address)


def test_the_test_setting_admits_127_0_0_1_and_nothing_else_local() -> None:
    assert allowed_address("127.0.0.1", allow_insecure_localhost=True)
    assert not allowed_address("127.0.0.2", allow_insecure_localhost=True)
    assert not allowed_address("10.0.0.7", allow_insecure_localhost=True)


def test_every_address_of_a_name_must_be_public() -> None:
    assert check_addresses("https://zoom.us/terms", ["170.114.52.2", "2606:4700::1"]) == (
        "170.114.52.2", "2606:4700::1")
    with pytest.raises(TermsFetchError) as caught:
        check_addresses("https://zoom.us/terms", ["170.114.52.2", "10.0.0.7"])
    assert caught.value.kind is FetchFailure.ADDRESS_REFUSED
    assert "zoom.us resolves to 10.0.0.7" in str(caught.value) and "DNS" in str(caught.value)


def test_a_redirect_returns_the_addresses_it_checked_and_resolves_once() -> None:
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        return ["170.114.52.2"]
    assert check_redirect("https://zoom.us/terms", "https://explore.zoom.us/terms", resolve=resolve) == (
        "170.114.52.2",)
    assert asked == ["explore.zoom.us"]
