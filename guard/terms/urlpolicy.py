"""Which URLs the watcher may fetch, and at which addresses.

HTTPS only. Plain HTTP is allowed to 127.0.0.1 alone, and only when the test-only setting
``[terms] allow_insecure_localhost`` is on. A host name must resolve to public (global)
addresses only, for the first URL and for every redirect, which is followed only to the same
site and port. The test setting also admits 127.0.0.1 as an address, so the tests' servers on
this machine can stand in for providers' sites under their real names.

The fetcher resolves each name once, checks every address here, and then connects only to
the addresses checked (:mod:`guard.terms.pinning`): a DNS server that answers a public address
to the check and 127.0.0.1 or 10.x to the connection (DNS rebinding) reaches nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from urllib.parse import SplitResult, urlsplit

from guard.net.pinning import system_addresses as system_addresses  # the one resolver; importable from here
from guard.terms.errors import FetchFailure, TermsFetchError

LOCALHOST = "127.0.0.1"
# Gives a host name's addresses (raises OSError when it cannot); tests pass their own.
Resolver = Callable[[str], Sequence[str]]


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


def check_redirect_target(origin: str, target: str, allow_insecure_localhost: bool = False) -> None:
    """Raise :class:`TermsFetchError` unless a redirect from ``origin`` to ``target`` is a URL the
    watcher may fetch on the same site and port (issue 16.14: a terms page must not send the
    watcher to another server, or to another service on the same machine). Its addresses are
    checked when it is resolved (:func:`check_addresses`)."""
    check_url(target, allow_insecure_localhost)
    before, after = urlsplit(origin), urlsplit(target)
    old_host, new_host = before.hostname or "", after.hostname or ""
    if site_of(new_host) != site_of(old_host) or _port(before) != _port(after):
        raise TermsFetchError(
            FetchFailure.REDIRECT_REFUSED, origin,
            f"{origin} redirects to {target}, which is not the same site ({site_of(old_host)}, port "
            f"{_port(before)}); the redirect was not followed. Check the document's URL.")


def check_redirect(origin: str, target: str, allow_insecure_localhost: bool = False,
                   resolve: Resolver | None = None) -> tuple[str, ...]:
    """:func:`check_redirect_target`, then the target's addresses (``resolve``, the system
    resolver by default) through :func:`check_addresses`; returns the addresses checked."""
    check_redirect_target(origin, target, allow_insecure_localhost)
    host = urlsplit(target).hostname or ""
    try:
        found = list((resolve or system_addresses)(host))
    except OSError as error:
        raise TermsFetchError(FetchFailure.OFFLINE, origin,
                              f"{origin} redirects to {target}, whose name could not be resolved ({error}).") from None
    return check_addresses(target, found, allow_insecure_localhost, origin=origin)


def allowed_address(address: str, allow_insecure_localhost: bool = False) -> bool:
    """Whether the watcher may connect to ``address``: a global address, not one that embeds a
    private IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4); 127.0.0.1 too under the
    test setting."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0].strip("[]"))
    except ValueError:
        return False
    if allow_insecure_localhost and ip == _LOOPBACK:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return False  # a local-use translation prefix (RFC 8215): the IPv4 inside it is anyone's
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and (ip in _NAT64 or ip in _IPV4_COMPATIBLE):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:  # the IPv4 address inside decides (Python versions disagree on these)
            return embedded.is_global
    return ip.is_global


def check_addresses(url: str, addresses: Sequence[str], allow_insecure_localhost: bool = False, *,
                    origin: str | None = None) -> tuple[str, ...]:
    """The addresses ``url``'s host resolved to, each checked by :func:`allowed_address`, in
    their order; raise :class:`TermsFetchError` if any is not allowed or there are none.
    ``origin``: the page that redirected to ``url`` (the message then says so)."""
    host = urlsplit(url).hostname or url
    if not addresses:
        raise TermsFetchError(FetchFailure.OFFLINE, origin or url,
                              f"{host} has no address; nothing was fetched. Check the document's URL.")
    for address in addresses:
        if allowed_address(address, allow_insecure_localhost):
            continue
        if origin is not None:
            raise TermsFetchError(
                FetchFailure.REDIRECT_REFUSED, origin,
                f"{origin} redirects to {url}, whose address {address} is not public; the redirect was not "
                "followed.")
        raise TermsFetchError(
            FetchFailure.ADDRESS_REFUSED, url,
            f"Refused to fetch {url}: {host} resolves to {address}, which is not a public address (a terms page "
            "is on the public web; a name answering a local or private address may be a DNS attack). Check "
            "the document's URL and this computer's DNS settings.")
    return tuple(dict.fromkeys(address.split("%")[0].strip("[]") for address in addresses))


def literal_address(host: str) -> str | None:
    """``host`` as an IP address when it is one (brackets dropped), else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


_LOOPBACK = ipaddress.ip_address(LOCALHOST)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
