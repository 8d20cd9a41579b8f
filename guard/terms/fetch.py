"""Fetch one public terms page (or an archive's version of one), politely and within hard limits.

HTTPS only (see :mod:`guard.terms.urlpolicy`), connect and read timeouts plus one total deadline
from connect to the last byte, headers included (:mod:`guard.terms.deadline`: a server that
drips its headers or its body a byte at a time is cut off), a size cap enforced while
streaming, at most a few redirects, each only to the same site's public addresses, conditional
requests, an honest User-Agent, a minimum pause between requests to one host, and retries with
back-off for timeouts, 5xx and refused connections. No retries when the computer is offline
(no name resolution, no route): that is reported at once as ``offline``. Every failure is raised
as a :class:`TermsFetchError` value; the caller records it. The UI calls this from its worker
thread; the only threads started here are the deadline's timer and, per name looked up, a
resolver thread (so a DNS server that never answers costs at most the connect timeout).

Addresses: each request's host name is resolved once, every address is checked (public
addresses only) and the connection goes to those addresses and no others
(:mod:`guard.terms.pinning`), for the first URL and for every redirect, so DNS rebinding cannot
turn a checked name into 127.0.0.1 or the local network between the check and the connect.

Proxies: the user's proxy settings are honoured (``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY``
with ``NO_PROXY``, and the system settings where the OS has them), so the watcher works behind a
proxy; everything else requests would take from the environment (``.netrc`` credentials, CA
bundle overrides) is still ignored. Through a proxy, the connection is pinned to the proxy's
own address (resolved once; the user chose it, so it may be local); the proxy, not this app,
resolves the page's host name, so only a literal address in the URL is checked then.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.utils import get_environ_proxies, prepend_scheme_if_needed, select_proxy

from guard import __version__
from guard.terms.charset import decode_page, looks_like_html
from guard.terms.deadline import DeadlineAdapter, deadline
from guard.terms.errors import FetchFailure, TermsFetchError
from guard.terms.models import HttpMeta
from guard.terms.pacing import HostPacer
from guard.terms.pinning import connect_host, pinned, resolve_once
from guard.terms.urlpolicy import (
    Resolver,
    check_addresses,
    check_redirect_target,
    check_url,
    literal_address,
    system_addresses,
)

log = logging.getLogger(__name__)

USER_AGENT = f"MeetingPrivacyGuard/{__version__} (terms watcher; personal desktop app, checks public terms pages)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
JSON_TYPES = ("application/json",)
TEXT_TYPES = ("text/plain", "text/markdown")
# A connection that failed because this computer has no network: the name lookup failed, or no route to the network
# or host (errno, and Windows' own codes). Read from the error's type and errno along its causes, never its text,
# which holds the URL's path (a page named "/NameResolutionError" whose server refuses is not offline).
_OFFLINE_ERRNOS = frozenset(code for code in (getattr(errno, name, None) for name in (
    "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "WSAENETUNREACH", "WSAEHOSTUNREACH", "WSAENETDOWN")) if code is not None)
_CAUSES = 16  # links of an error's chain looked at


def _is_offline(error: BaseException) -> bool:
    """Whether ``error`` (or one of its causes) is a failed name lookup or no route to the network."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending and len(seen) < _CAUSES:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (socket.gaierror, urllib3.exceptions.NameResolutionError)):
            return True
        if isinstance(current, OSError) and current.errno in _OFFLINE_ERRNOS:
            return True
        linked = [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
        pending.extend(link for link in linked if isinstance(link, BaseException))
    return False


# The name server answered that the name has no address (EAI_NONAME, EAI_NODATA): that host only, unlike a
# name server that cannot be reached (EAI_AGAIN) or no route, which mean this computer is offline (or, for one
# host alone, that its own name server or route is broken: guard.terms.watcher tells the two apart).
_NO_SUCH_NAME = frozenset(code for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
                          if code is not None)
REDIRECT_CODES = (301, 302, 303, 307, 308)
_CHUNK = 16 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """The limits every fetch obeys. Defaults suit a daily check of a handful of pages."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_deadline: float = 60.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    host_pace_seconds: float = 5.0
    retries: int = 2
    backoff_seconds: float = 2.0
    allow_insecure_localhost: bool = False


@dataclass(frozen=True)
class FetchOutcome:
    """A successful fetch. ``html`` is None when the server answered 304 Not Modified."""

    url: str
    html: str | None
    meta: HttpMeta
    bytes: int
    attempts: int

    @property
    def not_modified(self) -> bool:
        return self.html is None

    @property
    def text(self) -> str | None:
        """The body as text, whatever its type (``html`` names it for pages)."""
        return self.html


class Fetcher:
    """Fetches pages under a :class:`FetchPolicy`. ``sleep``/``clock`` are injectable for tests;
    so is ``resolve``, which gives a host name's addresses (the system resolver by default)."""

    def __init__(self, policy: FetchPolicy | None = None, *, network_enabled: bool,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, resolve: Resolver | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.network_enabled = network_enabled
        self.session = session or requests.Session()
        # no .netrc credentials sent behind the user's back; proxies are applied per URL (proxies_for)
        self.session.trust_env = False
        adapter = DeadlineAdapter(max_retries=0)
        # every request goes through the deadline's pinned connections: no other adapter a given
        # session carries (one mounted for a longer prefix would win) is kept
        for prefix in list(self.session.adapters):
            self.session.adapters.pop(prefix).close()
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self._sleep = sleep
        self._clock = clock
        self._resolve_name = resolve or system_addresses
        self.pacer = HostPacer(self.policy.host_pace_seconds, sleep, clock)

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxies the user's settings name for ``url`` ({} when none applies or NO_PROXY excludes it)."""
        found = get_environ_proxies(url)
        return {scheme: proxy for scheme, proxy in found.items() if scheme in ("http", "https", "all") and proxy}

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: tuple[str, ...] = HTML_TYPES, pace: float | None = None) -> FetchOutcome:
        """Fetch ``url`` (with retries). Raises :class:`TermsFetchError` with ``attempts`` set.

        ``accept``: the content types wanted (HTML pages by default; JSON or plain text for an
        archive). ``pace``: the gap between requests to this host, when not the policy's."""
        if not self.network_enabled:
            error = TermsFetchError(
                FetchFailure.NETWORK_DISABLED, url,
                f"Not fetched {url}: network access is switched off ([terms] network_enabled = false). "
                "Terms shown are the last stored or shipped versions.")
            error.attempts = 0
            raise error
        attempt = 0
        while True:
            attempt += 1
            try:
                outcome = self._fetch_once(url, etag, last_modified, accept, pace)
                return FetchOutcome(outcome.url, outcome.html, outcome.meta, outcome.bytes, attempt)
            except TermsFetchError as error:
                error.attempts = attempt
                if not error.retryable or attempt > self.policy.retries:
                    raise
                delay = self.policy.backoff_seconds * (2 ** (attempt - 1))
                log.info("Fetch of %s failed (%s); retrying in %.1f s", url, error.kind, delay)
                self._sleep(delay)

    # -- one attempt -------------------------------------------------------------------------

    def _fetch_once(self, url: str, etag: str | None, last_modified: str | None, accept: tuple[str, ...],
                    pace: float | None) -> FetchOutcome:
        policy = self.policy
        check_url(url, policy.allow_insecure_localhost)
        wanted = ",".join(accept) if accept != HTML_TYPES else "text/html,application/xhtml+xml;q=0.9"
        headers = {"User-Agent": USER_AGENT, "Accept": wanted, "Accept-Encoding": "gzip, deflate",
                   "Connection": "close"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.pacer.wait_for(urlsplit(url).hostname or "", pace)
        ends = self._clock() + policy.total_deadline
        with deadline(policy.total_deadline) as watch:
            try:
                return self._follow(url, headers, ends, accept)
            except TermsFetchError as error:
                if watch.expired and error.kind is not FetchFailure.TIMEOUT:
                    raise self._timeout(url) from None  # the deadline cut the connection
                raise

    def _follow(self, url: str, headers: dict[str, str], deadline: float, accept: tuple[str, ...]) -> FetchOutcome:
        policy = self.policy
        seen = [url]
        current = url
        origin: str | None = None  # the page that redirected to ``current``
        while True:
            response = self._request(current, headers, deadline, origin)
            try:
                if response.status_code in REDIRECT_CODES and response.headers.get("Location"):
                    target = urljoin(current, response.headers["Location"])
                    # the target's addresses are checked when it is resolved, in _request
                    check_redirect_target(current, target, policy.allow_insecure_localhost)
                    if target in seen:
                        raise TermsFetchError(
                            FetchFailure.REDIRECT_LOOP, url,
                            f"{url} redirects in a loop ({' -> '.join(seen + [target])}); the page cannot be "
                            "fetched. Check the document's URL.", response.status_code)
                    if len(seen) > policy.max_redirects:
                        raise TermsFetchError(
                            FetchFailure.TOO_MANY_REDIRECTS, url,
                            f"{url} redirected more than {policy.max_redirects} times (last to {target}); "
                            "the page was not fetched. Check the document's URL.", response.status_code)
                    seen.append(target)
                    origin, current = current, target
                    continue
                return self._read(url, current, response, deadline, accept)
            finally:
                response.close()
                self._drop_connections()

    def _drop_connections(self) -> None:
        """No connection is reused: each request opens its own under its own deadline."""
        for adapter in self.session.adapters.values():
            adapter.close()

    def _request(self, url: str, headers: dict[str, str], deadline: float,
                 origin: str | None = None) -> requests.Response:
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise self._timeout(url)
        timeout = (min(self.policy.connect_timeout, remaining), min(self.policy.read_timeout, remaining))
        proxies = self.proxies_for(url)
        routes = self._routes(url, proxies, deadline, origin)
        try:
            with pinned(routes):
                return self.session.get(url, headers=headers, timeout=timeout, stream=True, allow_redirects=False,
                                        proxies=proxies)
        except requests.exceptions.ProxyError as error:
            proxy = proxies.get(urlsplit(url).scheme) or proxies.get("all") or "the configured proxy"
            raise TermsFetchError(
                FetchFailure.CONNECTION, url,
                f"Could not fetch {url} through the proxy {_without_credentials(proxy)} ({_short(error)}). Check "
                "the proxy settings (HTTPS_PROXY / HTTP_PROXY / NO_PROXY).") from None
        except requests.exceptions.SSLError as error:
            raise TermsFetchError(
                FetchFailure.TLS, url,
                f"Could not fetch {url}: the secure connection failed ({_short(error)}). The site's certificate "
                "may be invalid, or something on the network is intercepting HTTPS.") from None
        except requests.exceptions.Timeout:
            raise self._timeout(url) from None
        except (requests.exceptions.ConnectionError, urllib3.exceptions.HTTPError) as error:
            if not proxies and _is_offline(error):
                raise TermsFetchError(
                    FetchFailure.OFFLINE, url,
                    f"Could not reach {urlsplit(url).hostname} ({_short(error)}): there is no route to it, or this "
                    "computer is offline. Nothing was fetched; the next check will try again.") from None
            raise TermsFetchError(
                FetchFailure.CONNECTION, url,
                f"Could not connect to {url} ({_short(error)}). Check your internet connection; "
                "the next scheduled check will try again.") from None
        except requests.exceptions.RequestException as error:
            raise TermsFetchError(FetchFailure.INVALID_URL, url, f"Could not fetch {url}: {_short(error)}.") from None

    def _routes(self, url: str, proxies: dict[str, str], deadline: float,
                origin: str | None) -> dict[str, tuple[str, ...]]:
        """Where this request may connect: the page's host at its checked addresses, or, through
        a proxy, the proxy at its addresses. Each name is resolved once, here."""
        allow = self.policy.allow_insecure_localhost
        host = self._connect_host(url)
        proxy = select_proxy(url, proxies)
        if proxy is None:
            return {host: check_addresses(url, self._lookup(url, host, deadline), allow, origin=origin)}
        literal = literal_address(host)
        if literal is not None:  # the proxy resolves names; an address written in the URL is checked here
            check_addresses(url, [literal], allow, origin=origin)
        proxy_url = prepend_scheme_if_needed(proxy, "http")
        proxy_host = self._connect_host(proxy_url)
        return {proxy_host: tuple(self._lookup(url, proxy_host, deadline, proxy_url))}

    @staticmethod
    def _connect_host(url: str) -> str:
        try:
            return connect_host(url)
        except ValueError as error:
            raise TermsFetchError(FetchFailure.INVALID_URL, url, f"Could not fetch {url}: {_short(error)}.") from None

    def resolves(self, host: str) -> bool:
        """Whether the name server answers for the name ``host`` now (waited for at most the connect timeout): a
        check tells an offline computer from sites whose own name servers fail by a name answered before."""
        if literal_address(host) is not None:
            return False  # an address asks no name server
        try:
            resolve_once(host, self._resolve_name, self.policy.connect_timeout)
        except (OSError, ValueError):
            return False
        return True

    def _lookup(self, url: str, host: str, deadline: float, proxy: str | None = None) -> list[str]:
        """``host``'s addresses, looked up once and waited for at most the connect timeout; a
        failure is told as offline (or, for the proxy's name, as a proxy problem)."""
        literal = literal_address(host)
        if literal is not None:
            return [literal]
        wait = max(0.0, min(self.policy.connect_timeout, deadline - self._clock()))
        try:
            return resolve_once(host, self._resolve_name, wait)
        except (OSError, ValueError) as error:  # ValueError: UnicodeError, a label empty or too long
            found = error
        if isinstance(found, ValueError):
            raise TermsFetchError(FetchFailure.INVALID_URL, url,
                                  f"{url} has a host name that cannot be looked up ({_short(found)}).")
        if proxy is not None:
            raise TermsFetchError(
                FetchFailure.CONNECTION, url,
                f"Could not fetch {url} through the proxy {_without_credentials(proxy)} (its name {host} could not "
                f"be resolved: {_short(found)}). Check the proxy settings (HTTPS_PROXY / HTTP_PROXY / NO_PROXY).")
        if isinstance(found, socket.gaierror) and found.errno in _NO_SUCH_NAME:
            raise TermsFetchError(
                FetchFailure.NAME_NOT_FOUND, url,
                f"{host} was not found by the name server ({_short(found)}): the site may be gone, or blocked on this "
                "network. Nothing was fetched from it; the other documents are still checked, and the next check "
                "tries again.")
        raise TermsFetchError(
            FetchFailure.OFFLINE, url,
            f"Could not reach {host} ({_short(found)}): its name server did not answer, or this computer is offline. "
            "Nothing was fetched; the next check will try again.")

    def _read(self, url: str, final_url: str, response: requests.Response, deadline: float,
              accept: tuple[str, ...] = HTML_TYPES) -> FetchOutcome:
        status = response.status_code
        meta = HttpMeta(status=status, etag=response.headers.get("ETag"),
                        last_modified=response.headers.get("Last-Modified"),
                        content_type=response.headers.get("Content-Type"), final_url=final_url)
        if status == 304:
            return FetchOutcome(url, None, meta, 0, 1)
        if status in (403, 429) and response.headers.get("X-RateLimit-Remaining") == "0" or status == 429:
            reset = response.headers.get("X-RateLimit-Reset") or response.headers.get("Retry-After") or "later"
            raise TermsFetchError(
                FetchFailure.RATE_LIMITED, url,
                f"{urlsplit(url).hostname} asks to wait before more requests (HTTP {status}; try again after "
                f"{reset}); nothing more is asked of it in this check.", status)
        if 400 <= status < 500:
            raise TermsFetchError(
                FetchFailure.CLIENT_ERROR, url,
                f"{url} answered HTTP {status} {response.reason or ''}".rstrip()
                + ". The page may have moved; check the document's URL in the catalog.", status)
        if status >= 500:
            raise TermsFetchError(
                FetchFailure.SERVER_ERROR, url,
                f"{url} answered HTTP {status} {response.reason or ''}".rstrip()
                + " (a problem on the provider's side); the next check will try again.", status)
        if status != 200:
            raise TermsFetchError(FetchFailure.CLIENT_ERROR, url,
                                  f"{url} answered HTTP {status}, which is not a page the watcher can read.", status)
        content_type = (meta.content_type or "").split(";")[0].strip().lower()
        html = accept == HTML_TYPES
        if content_type and content_type not in accept:
            if html:
                raise TermsFetchError(
                    FetchFailure.NOT_HTML, url,
                    f"{url} is not a web page (it is {content_type}); only HTML terms pages can be watched.", status)
            raise TermsFetchError(FetchFailure.NOT_TEXT, url,
                                  f"{url} answered {content_type}, not {' or '.join(accept)}.", status)
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise self._too_big(url, int(declared), status)
        body = self._read_body(url, response, deadline, status)
        if html and not content_type and not looks_like_html(body):
            raise TermsFetchError(FetchFailure.NOT_HTML, url,
                                  f"{url} did not say what it is and does not look like a web page.", status)
        return FetchOutcome(url, decode_page(body, meta.content_type), meta, len(body), 1)

    def _read_body(self, url: str, response: requests.Response, deadline: float, status: int) -> bytes:
        raw = response.raw
        read = getattr(raw, "read1", None) or raw.read  # read1 returns as soon as any bytes arrive
        chunks: list[bytes] = []
        total = 0
        try:
            while True:
                if self._clock() > deadline:
                    raise self._timeout(url)
                chunk = read(_CHUNK, decode_content=True)
                if not chunk:
                    break
                total += len(chunk)
                if total > self.policy.max_bytes:
                    raise self._too_big(url, total, status)
                chunks.append(chunk)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise self._timeout(url) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError, OSError) as error:
            raise TermsFetchError(FetchFailure.CONNECTION, url,
                                  f"The connection to {url} broke while reading the page ({_short(error)}).",
                                  status) from None
        return b"".join(chunks)

    def _timeout(self, url: str) -> TermsFetchError:
        return TermsFetchError(
            FetchFailure.TIMEOUT, url,
            f"{url} did not answer in time (limit {self.policy.total_deadline:g} s in all, "
            f"{self.policy.read_timeout:g} s without data); the next check will try again.")

    def _too_big(self, url: str, size: int, status: int) -> TermsFetchError:
        return TermsFetchError(
            FetchFailure.TOO_BIG, url,
            f"{url} is larger than {self.policy.max_bytes // (1024 * 1024)} MB (at least {size} bytes); a terms "
            "page is never that big, so it was not read. Check the document's URL.", status)


def _short(error: BaseException) -> str:
    text = str(error)
    reason = re.search(r"\[Errno -?\d+\] [^'\")]+|Connection refused|certificate verify failed[^'\")]*", text)
    return reason.group(0) if reason else (text[:160] or type(error).__name__)


def _without_credentials(proxy: str) -> str:
    """A proxy URL safe to show and log: any user:password@ part is dropped."""
    parts = urlsplit(proxy)
    if parts.username is None and parts.password is None:
        return proxy
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host).geturl()
