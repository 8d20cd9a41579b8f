"""Which addresses the watcher may fetch: HTTPS, or plain HTTP to 127.0.0.1 under the test setting."""

from __future__ import annotations

import pytest

from guard.terms.errors import FetchFailure, TermsFetchError
from guard.terms.urlpolicy import check_redirect, check_url, site_of


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
