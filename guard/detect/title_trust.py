"""When a browser window's title names no meeting: the extension sees that provider's tabs and has none.

Any web page can title itself "Meet – abc-defg-hij", and the browser window then carries that
title. Without the extension the title is all there is, so it counts. With the extension
connected for that browser (its native host runs: guard/browser/state.py), the extension reports
every tab on the hosts of the packaged manifest's host permissions. If all of a provider's meeting
hosts are among them and the extension reports no tab of that provider in that browser, the title
is a page's title and evidence of nothing.

"All of a provider's meeting hosts" comes from the catalog (``[detect.web] hosts`` and the hosts its
link patterns can match, as guard/browser/generate.py reads them), so a user catalog file adding a
self-hosted server's host, which the packaged extension cannot see, keeps that provider's titles.
A provider whose software anyone can run under any host name (``self_hostable``, e.g. Jitsi Meet)
is never covered. Anything unreadable (the manifest, a pattern) counts as not covered: a title
kept is a meeting perhaps reported, a title dropped a meeting perhaps missed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guard.detect.observation import Observation
from guard.paths import resources_dir

if TYPE_CHECKING:
    from guard.browser.hosts import HostRule
    from guard.detect.matching import DetectionRules

log = logging.getLogger(__name__)


def manifest_path() -> Path:
    return resources_dir() / "extension" / "manifest.json"


@cache
def packaged_host_rules(path: Path | None = None) -> tuple[HostRule, ...]:
    """The packaged extension's host permissions (``https://*.zoom.us/*``) as host rules; none when
    the manifest cannot be read (then no provider is covered and every title counts)."""
    from guard.browser.hosts import HostRule

    path = path or manifest_path()
    try:
        patterns = json.loads(path.read_text(encoding="utf-8"))["host_permissions"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("Cannot read the extension's host permissions from %s (%s): browser window titles "
                    "are used whatever the extension reports", path, type(error).__name__)
        return ()
    rules = []
    for pattern in patterns if isinstance(patterns, list) else ():
        scheme, sep, rest = str(pattern).partition("://")
        host = rest.removesuffix("/*")
        if not sep or not host or "/" in host or scheme not in ("https", "*"):
            continue  # not a plain host pattern: it covers nothing here
        rules.append(HostRule(host.removeprefix("*."), host.startswith("*."), scheme))
    return tuple(rules)


def _covers(granted: HostRule, needed: HostRule) -> bool:
    """Whether the permission ``granted`` lets the extension see every page ``needed`` names."""
    if needed.scheme == "*" and granted.scheme != "*":
        return False
    if needed.host == granted.host:
        return granted.subdomains or not needed.subdomains
    return granted.subdomains and needed.host.endswith("." + granted.host)


def provider_covered(web: Mapping[str, Any], granted: Iterable[HostRule]) -> bool:
    """Whether the extension sees every page a provider's meetings can be on: not self-hostable,
    some meeting host known, and each of its hosts within a granted permission."""
    from guard.browser.hosts import HostPatternError, HostRule, host_rules

    if web.get("self_hostable", False) is not False:  # anything but a plain false: as if true
        return False
    granted = tuple(granted)
    try:
        needed = [HostRule(str(h).removeprefix("*."), str(h).startswith("*."), "https") for h in web.get("hosts", ())]
        needed += [rule for pattern in web.get("url_patterns", ()) for rule in host_rules(str(pattern))]
    except HostPatternError as error:
        log.debug("A meeting-link pattern's host cannot be read (%s): its provider's titles count", error)
        return False
    return bool(needed) and all(any(_covers(g, n) for g in granted) for n in needed)


def covered_providers(rules: DetectionRules, granted: Iterable[HostRule] | None = None) -> frozenset[str]:
    """Providers with tab-title patterns whose every meeting page the packaged extension sees."""
    granted = tuple(packaged_host_rules() if granted is None else granted)
    return frozenset(provider_id for provider_id, web in rules.titled_web.items() if provider_covered(web, granted))


def title_is_evidence(provider_id: str, browser: int, connected: frozenset[int], covered: frozenset[str],
                      reported: frozenset[tuple[int, str]]) -> bool:
    """A browser window's title naming ``provider_id``'s meeting counts, unless the extension is
    connected for that browser (instance ``browser``), sees all of the provider's meeting hosts, and
    reports no tab of that provider in it (``reported``: (browser instance, provider) pairs)."""
    return not (browser in connected and provider_id in covered and (browser, provider_id) not in reported)


class TitleTrust:
    """Drops the browser window titles the connected extension contradicts, for one detector."""

    def __init__(self, rules: DetectionRules) -> None:
        self.rules = rules
        self._covered: frozenset[str] | None = None  # worked out on first need (reads the manifest)

    def covered(self) -> frozenset[str]:
        if self._covered is None:
            self._covered = covered_providers(self.rules)
        return self._covered

    def kept(self, found: list[Observation], browser_of: Callable[[int], int | None], connected: frozenset[int],
             reported: frozenset[tuple[int, str]]) -> list[Observation]:
        """``found`` without the browser window titles that are evidence of nothing. ``browser_of``
        gives a window owner's browser instance (None: not a browser); ``connected``: the instances
        whose extension is connected; ``reported``: (instance, provider) of the extension's tabs."""
        if not connected or not found:
            return found
        kept = []
        for obs in found:
            browser = browser_of(obs.pid) if obs.pid is not None and obs.meeting else None
            if browser is not None and not title_is_evidence(obs.provider_id, browser, connected, self.covered(),
                                                             reported):
                log.debug("Not a meeting: browser %s's window title names %s, whose tabs the connected extension "
                          "sees, and it reports none (%s)", browser, obs.provider_id, obs.detail)
                continue
            kept.append(obs)
        return kept
