"""Which URLs the watcher may fetch: HTTPS only. Plain HTTP is allowed to 127.0.0.1 alone, and
only when the test-only setting ``[terms] allow_insecure_localhost`` is on. A redirect is
followed only to the same site, on the same port, at public addresses."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

from guard.terms.errors import FetchFailure, TermsFetchError

LOCALHOST = "127.0.0.1"


def check_url(url: str, allow_insecure_localhost: bool = False) -> None:
    """Raise :class:`TermsFetchError` unless ``url`` may be fetched under the rule above."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as error:
        raise TermsFetchError(FetchFailure.INVALID_URL, url, f"{url} is not a valid URL ({error}).") from None
    if not host:
        raise TermsFetchError(FetchFailure.INVALID_URL, url,
                              f"{url} is not a valid web address (no host); check the document's URL.")
    if parts.username or parts.password:
        raise TermsFetchError(FetchFailure.INVALID_URL, url,
                              f"{url} contains a user name or password; terms pages are public, remove them.")
    scheme = parts.scheme.lower()
    if scheme == "https":
        return
    if scheme == "http" and allow_insecure_localhost and host == LOCALHOST:
        return
    if scheme == "http":
        raise TermsFetchError(
            FetchFailure.INSECURE_URL, url,
            f"Refused to fetch {url}: plain HTTP can be altered on the way; only HTTPS addresses are "
            "fetched. Use the https:// address of this page.",
        )
    raise TermsFetchError(FetchFailure.INVALID_URL, url,
                          f"Refused to fetch {url}: only https:// web addresses can be watched.")


# Second-level labels under a country code that are registries, not sites ("bbc.co.uk" is the site).
_REGISTRY_LABELS = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ltd", "plc", "ne", "or", "go"})


def site_of(host: str) -> str:
    """The site a host belongs to: its registrable name ("explore.zoom.us" → "zoom.us"); an IP
    address is its own site."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _REGISTRY_LABELS:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme.lower() == "https" else 80)


def check_redirect(origin: str, target: str, allow_insecure_localhost: bool = False,
                   resolve: Callable[[str], list[str]] | None = None) -> None:
    """Raise :class:`TermsFetchError` unless a redirect from ``origin`` to ``target`` stays on the
    same site, on the same port, at public addresses (issue 16.14: a terms page must not send
    the watcher to another server, to another service on the same machine, or into the local
    network). ``resolve`` gives a host's addresses (the system resolver by default)."""
    check_url(target, allow_insecure_localhost)
    before, after = urlsplit(origin), urlsplit(target)
    old_host, new_host = before.hostname or "", after.hostname or ""
    if site_of(new_host) != site_of(old_host) or _port(before) != _port(after):
        raise TermsFetchError(
            FetchFailure.REDIRECT_REFUSED, origin,
            f"{origin} redirects to {target}, which is not the same site ({site_of(old_host)}, port "
            f"{_port(before)}); the redirect was not followed. Check the document's URL.")
    if allow_insecure_localhost and new_host == LOCALHOST == old_host:
        return  # the test servers
    for address in (resolve or _addresses)(new_host):
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise TermsFetchError(
                FetchFailure.REDIRECT_REFUSED, origin,
                f"{origin} redirects to {target}, whose address {address} is not public; the redirect was not "
                "followed.")


def _addresses(host: str) -> list[str]:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return [host.strip("[]")]
    except ValueError:
        pass
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except OSError:
        return []  # the request itself will fail and say why
