"""Fetch one public terms page, politely and within hard limits.

HTTPS only (see :mod:`guard.terms.urlpolicy`), connect and read timeouts plus a total deadline
(a server that drips a byte at a time cannot hold us), a size cap enforced while streaming,
at most a few redirects (each hop re-checked), conditional requests, an honest User-Agent, a
minimum pause between requests to one host, and retries with back-off for timeouts, 5xx and
connection errors. Every failure is raised as a :class:`TermsFetchError` value; the caller
records it. No threads: the UI calls this from its own worker thread.

Proxies: the user's proxy settings are honoured (``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY``
with ``NO_PROXY``, and the system settings where the OS has them), so the watcher works behind a
proxy; everything else requests would take from the environment (``.netrc`` credentials, CA
bundle overrides) is still ignored.
"""

from __future__ import annotations

import codecs
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.utils import get_environ_proxies

from guard import __version__
from guard.terms.errors import FetchFailure, TermsFetchError
from guard.terms.models import HttpMeta
from guard.terms.urlpolicy import check_url

log = logging.getLogger(__name__)

USER_AGENT = f"MeetingPrivacyGuard/{__version__} (terms watcher; personal desktop app, checks public terms pages)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
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


class HostPacer:
    """Remembers when each host was last asked and waits so requests keep a minimum gap."""

    def __init__(self, gap_seconds: float, sleep: Callable[[float], None], clock: Callable[[], float]) -> None:
        self.gap = gap_seconds
        self._sleep = sleep
        self._clock = clock
        self._last: dict[str, float] = {}

    def wait_for(self, host: str) -> float:
        """Sleep as long as needed before asking ``host`` again; returns the seconds waited."""
        waited = 0.0
        last = self._last.get(host)
        if last is not None and self.gap > 0:
            waited = max(0.0, self.gap - (self._clock() - last))
            if waited > 0:
                self._sleep(waited)
        self._last[host] = self._clock()
        return waited


class Fetcher:
    """Fetches pages under a :class:`FetchPolicy`. ``sleep``/``clock`` are injectable for tests."""

    def __init__(self, policy: FetchPolicy | None = None, *, network_enabled: bool = True,
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or FetchPolicy()
        self.network_enabled = network_enabled
        self.session = session or requests.Session()
        # no .netrc credentials sent behind the user's back; proxies are applied per URL (proxies_for)
        self.session.trust_env = False
        self._sleep = sleep
        self._clock = clock
        self.pacer = HostPacer(self.policy.host_pace_seconds, sleep, clock)

    def proxies_for(self, url: str) -> dict[str, str]:
        """The proxies the user's settings name for ``url`` ({} when none applies or NO_PROXY excludes it)."""
        found = get_environ_proxies(url)
        return {scheme: proxy for scheme, proxy in found.items() if scheme in ("http", "https", "all") and proxy}

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchOutcome:
        """Fetch ``url`` (with retries). Raises :class:`TermsFetchError` with ``attempts`` set."""
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
                outcome = self._fetch_once(url, etag, last_modified)
                return FetchOutcome(outcome.url, outcome.html, outcome.meta, outcome.bytes, attempt)
            except TermsFetchError as error:
                error.attempts = attempt
                if not error.retryable or attempt > self.policy.retries:
                    raise
                delay = self.policy.backoff_seconds * (2 ** (attempt - 1))
                log.info("Fetch of %s failed (%s); retrying in %.1f s", url, error.kind, delay)
                self._sleep(delay)

    # -- one attempt -------------------------------------------------------------------------

    def _fetch_once(self, url: str, etag: str | None, last_modified: str | None) -> FetchOutcome:
        policy = self.policy
        deadline = self._clock() + policy.total_deadline
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9",
                   "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        current = url
        while True:
            check_url(current, policy.allow_insecure_localhost)
            self.pacer.wait_for(urlsplit(current).hostname or "")
            response = self._request(current, headers, deadline)
            try:
                if response.status_code in REDIRECT_CODES and response.headers.get("Location"):
                    target = urljoin(current, response.headers["Location"])
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
                    current = target
                    continue
                return self._read(url, current, response, deadline)
            finally:
                response.close()

    def _request(self, url: str, headers: dict[str, str], deadline: float) -> requests.Response:
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise self._timeout(url)
        timeout = (min(self.policy.connect_timeout, remaining), min(self.policy.read_timeout, remaining))
        proxies = self.proxies_for(url)
        try:
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
            raise TermsFetchError(
                FetchFailure.CONNECTION, url,
                f"Could not connect to {url} ({_short(error)}). Check your internet connection; "
                "the next scheduled check will try again.") from None
        except requests.exceptions.RequestException as error:
            raise TermsFetchError(FetchFailure.INVALID_URL, url, f"Could not fetch {url}: {_short(error)}.") from None

    def _read(self, url: str, final_url: str, response: requests.Response, deadline: float) -> FetchOutcome:
        status = response.status_code
        meta = HttpMeta(status=status, etag=response.headers.get("ETag"),
                        last_modified=response.headers.get("Last-Modified"),
                        content_type=response.headers.get("Content-Type"), final_url=final_url)
        if status == 304:
            return FetchOutcome(url, None, meta, 0, 1)
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
        if content_type and content_type not in HTML_TYPES:
            raise TermsFetchError(
                FetchFailure.NOT_HTML, url,
                f"{url} is not a web page (it is {content_type}); only HTML terms pages can be watched.", status)
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise self._too_big(url, int(declared), status)
        body = self._read_body(url, response, deadline, status)
        if not content_type and not _looks_like_html(body):
            raise TermsFetchError(FetchFailure.NOT_HTML, url,
                                  f"{url} did not say what it is and does not look like a web page.", status)
        return FetchOutcome(url, _decode(body, meta.content_type), meta, len(body), 1)

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


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or b"<head" in head


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _decode(body: bytes, content_type: str | None) -> str:
    """Decode with the declared charset, else a ``<meta charset>``, else UTF-8 (never fails)."""
    candidates: list[str] = []
    match = re.search(r"charset=([\w\-]+)", content_type or "", re.IGNORECASE)
    if match:
        candidates.append(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        return body.decode(name, errors="replace")
    return body.decode("utf-8", errors="replace")
