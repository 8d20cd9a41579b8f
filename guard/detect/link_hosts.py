"""Which link patterns a link can match at all, from its host: the prefilter in front of them.

Each shipped ``^https://`` link pattern comes with the hosts it can match (``*.zoom.us`` for any
subdomain), read from the pattern itself as the browser extension's host permissions are, once, by
``python -m guard.browser.generate`` (resources/detect/link_hosts.json; a test fails when it is stale).
A link's host is its run of host characters after ``https://``, in lower case: a pattern that matches
the link matched that run as one of its hosts, so the prefilter never hides a match. Patterns of other
schemes (``zoommtg:``, ``msteams:``), those for servers of their operators' own
(``any_host_url_patterns``) and a user catalog's own patterns run on every link. So a link to
``meet.google.com`` is not run through Zoom's or Teams' patterns, and one link costs the patterns
of its host family instead of all of them (:func:`link_cost`). A dict look-up per host label.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache

from guard.paths import resources_dir

_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_SCHEME = "https://"


@lru_cache(maxsize=1)
def shipped_gates() -> dict[str, tuple[str, ...]]:
    """The hosts of each shipped link pattern (resources/detect/link_hosts.json); empty when unreadable,
    which only makes every pattern run on every link."""
    try:
        data = json.loads((resources_dir() / "detect" / "link_hosts.json").read_text(encoding="utf-8"))
        return {str(source): tuple(str(host) for host in hosts) for source, hosts in data["patterns"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def link_host(url: str) -> str | None:
    """The host an ``https://`` link names, in lower case (its run of host characters after the
    scheme); None for any other link."""
    if not url.startswith(_SCHEME):
        return None
    end = len(_SCHEME)
    while end < len(url) and url[end] in _HOST_CHARS:
        end += 1
    return url[len(_SCHEME):end].lower()


class LinkHosts:
    """Keys (link patterns' sources) by the hosts they can match; a key never added is not gated."""

    def __init__(self) -> None:
        self._exact: dict[str, set[str]] = {}
        self._below: dict[str, set[str]] = {}  # "*.zoom.us": any host below zoom.us
        self.gated: set[str] = set()

    def add(self, key: str, hosts: Iterable[str]) -> None:
        self.gated.add(key)
        for host in hosts:
            if host.startswith("*."):
                self._below.setdefault(host[2:], set()).add(key)
            else:
                self._exact.setdefault(host, set()).add(key)

    def keys(self, host: str | None) -> frozenset[str]:
        """The gated keys whose hosts include ``host`` (exactly, or below a ``*.`` host)."""
        if not host:
            return frozenset()
        found = set(self._exact.get(host, ()))
        suffix = host.partition(".")[2]
        while suffix:
            found |= self._below.get(suffix, set())
            suffix = suffix.partition(".")[2]
        return frozenset(found)

    def families(self) -> list[str]:
        """A host for each place a gated key is on (a ``*.`` host stands for one below it)."""
        return sorted({*self._exact, *(f"x.{host}" for host in self._below)})


def link_cost(patterns: Iterable[tuple[str, str, int]], excludes: Mapping[str, int], hosts: LinkHosts) -> int:
    """What one link costs at worst, in RE2 program size: the ungated patterns, plus the gated patterns
    of the costliest host, each provider with its ``url_excludes`` (they run once one of its patterns
    matched). ``patterns``: (provider id, source, cost); ``excludes``: each provider's exclusions' cost."""
    listed = list(patterns)
    ungated = {provider for provider, source, _cost in listed if source not in hosts.gated}
    always = sum(cost for _provider, source, cost in listed if source not in hosts.gated)
    always += sum(excludes.get(provider, 0) for provider in ungated)

    def on(host: str) -> int:
        keys = hosts.keys(host)
        here = [(provider, cost) for provider, source, cost in listed if source in keys]
        return sum(cost for _provider, cost in here) + sum(
            excludes.get(provider, 0) for provider in {p for p, _cost in here} - ungated)

    return always + max((on(host) for host in hosts.families()), default=0)
