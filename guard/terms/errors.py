"""The terms watcher's error family. Every message names the URL, file or field at fault and
what the user can do; none of them is fatal to the app."""

from __future__ import annotations

from enum import StrEnum

from guard.errors import GuardError, StorageFaultError


class TermsError(GuardError):
    """Base of every terms-watcher error."""


class FetchFailure(StrEnum):
    """Why a fetch failed; stored in the fetch log and shown by ``terms log``."""

    NETWORK_DISABLED = "network-disabled"
    INSECURE_URL = "insecure-url"
    INVALID_URL = "invalid-url"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    TLS = "tls"
    CLIENT_ERROR = "http-4xx"
    SERVER_ERROR = "http-5xx"
    TOO_BIG = "too-big"
    NOT_HTML = "not-html"
    REDIRECT_LOOP = "redirect-loop"
    REDIRECT_REFUSED = "redirect-refused"
    ADDRESS_REFUSED = "address-refused"  # the host resolved to a private or local address
    OFFLINE = "offline"  # no name resolution, or no route to the network
    NAME_NOT_FOUND = "name-not-found"  # the name server says the host has no address: a gone or blocked site
    RATE_LIMITED = "rate-limited"  # the archive's server asked us to come back later
    NOT_TEXT = "not-text"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    EMPTY = "empty-extract"


# Failures worth another attempt a little later within the same check.
RETRYABLE = frozenset({FetchFailure.TIMEOUT, FetchFailure.CONNECTION, FetchFailure.SERVER_ERROR})


class TermsFetchError(TermsError):
    """One failed fetch, as a value: kind, URL, HTTP status (if any) and a readable message."""

    def __init__(self, kind: FetchFailure, url: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.status = status
        self.attempts = 1  # set by the fetcher once retries are done

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE


class TermsStoreError(TermsError):
    """The local store of terms versions cannot give what was asked: a version the command line
    named that is not there (the user's input), or a :class:`TermsStorageFault`."""

    fault: str | None = None


class TermsStorageFault(TermsStoreError, StorageFaultError):
    """The store's own files cannot be read or written: a full disk, a read-only folder, a
    missing permission, a lock, an index damaged beyond setting aside, a stored text gone or
    damaged. Not the user's input, so the command line exits 3 (STORAGE), not 2. ``fault`` says
    which kind (a :class:`guard.storage_errors.StorageFault`), when one was told."""


class DeclarationError(TermsError):
    """An Open Terms Archive declaration file cannot be used."""
