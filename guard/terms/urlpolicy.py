"""Which URLs the watcher may fetch: HTTPS only. Plain HTTP is allowed to 127.0.0.1 alone, and
only when the test-only setting ``[terms] allow_insecure_localhost`` is on."""

from __future__ import annotations

from urllib.parse import urlsplit

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
