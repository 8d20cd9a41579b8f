"""The catalog's detection data, compiled for one OS into fast look-ups. Pure: values in, values out.

Process names compare case-insensitively and without a trailing ``.exe``. Linux cuts process
names (``comm``) to 15 characters, so a 15-character name that starts a longer catalog name
is a *maybe*: the process probe confirms it from the executable or ``argv[0]``.

Every pattern runs through :mod:`guard.patterns` (RE2, linear time, texts cut to a bounded
length); window titles are normalised first (dashes, odd spaces, invisible characters).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from guard.detect.browsers import Browser, BrowserTable, load_browsers, page_titles, private_window, tab_window
from guard.detect.link_forms import canonical, link_forms
from guard.detect.link_hosts import LinkHosts, link_host, shipped_gates
from guard.detect.redaction import redact_url as redact_url  # re-exported: the rules are shared with the extension
from guard.patterns import (TEXT_LIMIT, URL_LIMIT, Pattern, PatternSet, bounded, checked_pattern, find_urls,
                            normalize_text)

if TYPE_CHECKING:  # the catalog's pydantic models load only where a whole catalog is validated
    from guard.catalog.loader import Catalog
    from guard.catalog.models import OsName, Provider

LINUX_COMM_LENGTH = 15
URLS_PER_COMMAND_LINE = 32  # links looked at per process: a command line is not a web page
TITLE_CACHE = 4096  # window titles whose matches are remembered (titles rarely change; matching is the cost)


def normalize_name(name: str) -> str:
    """``Zoom.EXE`` → ``zoom``: the form process names are compared in."""
    name = name.strip().casefold()
    return name.removesuffix(".exe")


@cache
def browser_names(os_name: OsName) -> frozenset[str]:
    """Process names of web browsers on ``os_name`` (resources/detect/browsers.toml)."""
    return frozenset(load_browsers().by_process(os_name))


# A browser given a link without its scheme ("zoom.us/j/123", as calendars and chats show links) loads it
# as https://zoom.us/j/123: a whole argument that is a host name with a dot, then a path.
_BARE_LINK = checked_pattern(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
                             r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+/[^\s\"'<>`\\]*$")


def bare_link(arg: str) -> str | None:
    """``https://<arg>`` when ``arg`` is a link without its scheme (``meet.google.com/abc-defg-hij``), which
    a browser loads as that; None for options, paths (``/home/...``, ``docs/x.y``) and anything else."""
    if len(arg) > URL_LIMIT or "/" not in arg or "." not in arg or arg[0] in "-./~":
        return None
    return f"https://{arg}" if _BARE_LINK.search(arg) else None


def urls_in_args(args: tuple[str, ...]) -> list[str]:
    """The links on a command line (``scheme://...`` or ``scheme:/...``, whole arguments or inside
    ``--opt=VALUE``, a whole argument without its scheme, see :func:`bare_link`, and Lync's
    ``conf:sip:...`` as a whole argument), at most
    :data:`URLS_PER_COMMAND_LINE`, found in linear time. Each comes with
    the cleaner forms it stands for (:func:`guard.detect.link_forms.link_forms`: HTML escapes and
    trailing punctuation gone, Safe Links and other redirects unwrapped), cleanest first, so the
    form a pattern matches first is the meeting link itself rather than its wrapper; then each
    form as the browser loads it (:func:`~guard.detect.link_forms.canonical`), so that
    ``https://Dell.zoom.us/...`` and ``http://meet.google.com/...`` are found too."""
    found: dict[str, None] = {}
    for arg in args:
        if ":/" in arg:
            urls = find_urls(arg)
        elif arg[:9].lower() == "conf:sip:":  # Lync's join link, a conference's SIP address: no "//"
            urls = [arg[:URL_LIMIT]]
        else:
            bare = bare_link(arg)
            if bare is None:
                continue
            urls = [bare]
        for url in urls:
            forms = link_forms(url)[::-1]
            for form in (*forms, *(canonical(form) for form in forms)):  # as written first, as loaded after
                found[form] = None
            if len(found) >= URLS_PER_COMMAND_LINE:
                return list(found)[:URLS_PER_COMMAND_LINE]
    return list(found)


# Programs that run an app given as an argument, so the process is named after the runtime:
# Electron apps packaged against a shared Electron ("electron31 /usr/lib/element/app.asar"),
# Java, Node, Python, .NET/Mono programs, AppImage launchers. Their app is recognised from the
# command line instead (see :func:`wrapped_app_names`).
_WRAPPERS = frozenset({"electron", "node", "nodejs", "java", "javaw", "mono", "dotnet", "apprun", "python", "pypy"})
_APP_BUNDLES = frozenset({"app.asar", "app", "resources", "lib", "bin", "current"})


def is_wrapper(name: str) -> bool:
    """A runtime whose process name says nothing about the app it runs (``electron31``, ``python3.11``)."""
    key = normalize_name(name)
    return key in _WRAPPERS or key.rstrip("0123456789.-") in _WRAPPERS


def wrapped_app_names(cmdline: tuple[str, ...], exe_name: str = "") -> list[str]:
    """Names the app run by a runtime may go by: the first argument that is not an option, its file
    name with and without extension, and, for Electron's ``.../<app>/resources/app.asar``, the
    app's folder. ``["electron31", "/usr/lib/element/app.asar"]`` → ``["app.asar", "app", "element"]``."""
    names: list[str] = []
    for arg in cmdline[1:8]:
        if not arg or arg.startswith("-"):
            continue
        parts = [part for part in arg.replace("\\", "/").split("/") if part]
        if not parts:
            continue
        base = parts[-1]
        names += [base, base.rsplit(".", 1)[0]]
        folders = [part for part in reversed(parts[:-1]) if part.casefold() not in _APP_BUNDLES]
        if base.casefold() in _APP_BUNDLES or base.endswith(".asar"):
            names += folders[:1]
        break
    if exe_name and not is_wrapper(exe_name):
        names.append(exe_name)
    return list(dict.fromkeys(name for name in names if name))


def _letters(name: str) -> str:
    return "".join(ch for ch in normalize_name(name) if ch.isascii() and ch.isalnum())


def without_unread_count(title: str) -> str:
    """``(2) Chat | Microsoft Teams`` → ``Chat | Microsoft Teams``: web apps put their unread count
    in front of the title (teams-for-linux reads it with ``^\\((\\d+)\\)``), which says nothing
    about a meeting and would hide the title from a pattern anchored at its start. ``(99+)`` too."""
    if not title.startswith("(") or ") " not in title[:9]:
        return title
    count, _, rest = title[1:].partition(") ")
    return rest if count.rstrip("+").isdigit() and rest else title


# The small values below are NamedTuples, not frozen dataclasses: every ``scan`` defines them
# at start-up, where a frozen dataclass costs several times as much (its methods are compiled).
class ProcessMatch(NamedTuple):
    provider_id: str
    meeting_only: bool


class TitleMatch(NamedTuple):
    provider_id: str
    meeting: bool
    pattern: str


NOTETAKER_KIND = "notetaker"  # ProviderKind.NOTETAKER, without importing the catalog's models


class ProviderDetection(NamedTuple):
    """One provider's detection data as plain values: its ``detect`` table dumped to JSON types."""

    provider_id: str
    kind: str
    detect: Mapping[str, Any]


def detection_dict(provider: Provider) -> dict[str, Any]:
    """A provider's ``detect`` table as JSON values, with its in-meeting notice words under ``notices``
    (``[[feature id, words], ...]``: the browser extension's notices are matched against them)."""
    return {**provider.detect.model_dump(mode="json"),
            "notices": [[feature.id, notice.text] for feature in provider.ai_features for notice in feature.notices]}


def detection_data(catalog: Catalog) -> list[ProviderDetection]:
    """The catalog's detection data in the order the catalog lists its providers."""
    return [ProviderDetection(p.id, str(p.kind), detection_dict(p)) for p in catalog]


@dataclass
class DetectionRules:
    """Look-ups built from the catalog for one OS."""

    os_name: OsName
    processes: dict[str, list[ProcessMatch]] = field(default_factory=dict)
    browsers: frozenset[str] = frozenset()
    notetakers: frozenset[str] = frozenset()
    media_gated: frozenset[str] = frozenset()  # providers whose tabs and links count only with microphone or camera
    lobby_screens: frozenset[str] = frozenset()  # providers whose pages can show a lobby the extension tells
    # services run on servers of their operators' own (any_host_url_patterns or device_window_titles): a user may add
    # such a server in the extension's options page, and a tab there is that service's only on a server so added
    self_hosted: frozenset[str] = frozenset()
    web_hosts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # provider → its declared web hosts (*.x)
    url_patterns: PatternSet[str] = field(default_factory=PatternSet)
    url_hosts: LinkHosts = field(default_factory=LinkHosts)  # the prefilter in front of url_patterns
    web_titles: PatternSet[str] = field(default_factory=PatternSet)
    device_titles: PatternSet[str] = field(default_factory=PatternSet)  # web titles needing the devices held
    app_titles: dict[str, list[Pattern]] = field(default_factory=dict)
    meeting_titles: dict[str, list[Pattern]] = field(default_factory=dict)
    url_excludes: dict[str, list[Pattern]] = field(default_factory=dict)
    browser_kinds: dict[str, tuple[Browser, ...]] = field(default_factory=dict)  # process name → browsers
    participants: PatternSet[str] = field(default_factory=PatternSet)  # note-taker bots' display names
    notices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # provider: (feature, words)
    _truncated: dict[str, list[str]] = field(default_factory=dict)
    _titles: OrderedDict[tuple[str, str], tuple[TitleMatch, ...]] = field(default_factory=OrderedDict)

    @classmethod
    def from_catalog(cls, catalog: Catalog, os_name: OsName, browsers: frozenset[str] | None = None) -> DetectionRules:
        return cls.from_data(detection_data(catalog), os_name, browsers)

    @classmethod
    def from_data(cls, providers: Iterable[ProviderDetection], os_name: OsName,
                  browsers: frozenset[str] | None = None, table: BrowserTable | None = None) -> DetectionRules:
        """Rules from :func:`detection_data` (or the same data read back from a catalog snapshot).

        The data comes from a validated catalog, so its patterns were checked then: each is
        compiled on its first match (a scan that finds no client compiles none). ``table``: the
        browser table (default: browsers.toml's, read now)."""
        kinds = (load_browsers() if table is None else table).by_process(os_name)
        rules = cls(os_name=os_name, browsers=frozenset(kinds) if browsers is None else browsers)
        rules.browser_kinds = kinds
        providers = list(providers)
        rules.notetakers = frozenset(p.provider_id for p in providers if p.kind == NOTETAKER_KIND)
        rules.media_gated = frozenset(p.provider_id for p in providers
                                      if p.detect.get("web", {}).get("links_need_media"))
        rules.lobby_screens = frozenset(p.provider_id for p in providers
                                        if p.detect.get("web", {}).get("lobby_selectors")
                                        or p.detect.get("web", {}).get("lobby_texts"))
        rules.self_hosted = frozenset(p.provider_id for p in providers
                                      if p.detect.get("web", {}).get("any_host_url_patterns")
                                      or p.detect.get("web", {}).get("device_window_titles"))
        gates = shipped_gates()
        for provider in providers:
            platform: Mapping[str, Any] = provider.detect.get(os_name, {})
            web: Mapping[str, Any] = provider.detect.get("web", {})
            for names, meeting_only in ((platform.get("processes", ()), False),
                                        (platform.get("meeting_processes", ()), True)):
                for name in names:
                    key = normalize_name(name)
                    rules.processes.setdefault(key, []).append(ProcessMatch(provider.provider_id, meeting_only))
                    if len(key) > LINUX_COMM_LENGTH:
                        rules._truncated.setdefault(key[:LINUX_COMM_LENGTH], []).append(key)
            rules.app_titles[provider.provider_id] = [checked_pattern(p) for p in platform.get("window_titles", ())]
            rules.meeting_titles[provider.provider_id] = [checked_pattern(p)
                                                          for p in platform.get("meeting_window_titles", ())]
            for pattern in (*web.get("url_patterns", ()), *web.get("any_host_url_patterns", ())):
                rules.url_patterns.add(provider.provider_id, pattern, checked=True)
                if pattern in gates:
                    rules.url_hosts.add(pattern, gates[pattern])
            for pattern in web.get("meeting_window_titles", ()):
                rules.web_titles.add(provider.provider_id, pattern, checked=True)
            for pattern in web.get("device_window_titles", ()):
                rules.device_titles.add(provider.provider_id, pattern, checked=True)
            rules.url_excludes[provider.provider_id] = [checked_pattern(p) for p in web.get("url_excludes", ())]
            if web.get("hosts"):
                rules.web_hosts[provider.provider_id] = tuple(str(host) for host in web.get("hosts", ()))
            for pattern in provider.detect.get("participant_names", ()):
                rules.participants.add(provider.provider_id, pattern, checked=True)
            notices = [(str(feature), str(words)) for feature, words in provider.detect.get("notices", ())]
            if notices:
                rules.notices[provider.provider_id] = notices
        return rules

    def on_web_host(self, provider_id: str, host: str) -> bool:
        """Whether ``host`` (lower case) is one of ``provider_id``'s declared web hosts (``*.x``: x's subdomains)."""
        for declared in self.web_hosts.get(provider_id, ()):
            bare = declared.removeprefix("*.")
            if host == bare or (declared.startswith("*.") and host.endswith("." + bare)):
                return True
        return False

    def match_process(self, name: str) -> list[ProcessMatch]:
        return self.processes.get(normalize_name(name), [])

    def match_app_name(self, app: str) -> list[ProcessMatch]:
        """Like :meth:`match_process`, and failing that by letters and digits only, for names an OS
        gives in another form (``MSTeams_8wekyb3d8bbwe`` for the process ``ms-teams.exe``)."""
        matches = self.match_process(app)
        if matches:
            return matches
        key = _letters(app.split("_", 1)[0])
        return [match for name, found in self.processes.items() if _letters(name) == key for match in found]

    def is_browser(self, name: str) -> bool:
        return normalize_name(name) in self.browsers

    def is_wrapper(self, name: str) -> bool:
        return is_wrapper(name)

    def maybe_truncated(self, name: str) -> bool:
        """A 15-character name that may be a longer client name cut by the kernel."""
        key = normalize_name(name)
        return len(key) == LINUX_COMM_LENGTH and key in self._truncated

    def match_urls(self, args: tuple[str, ...], providers: frozenset[str] | None = None) -> list[tuple[str, str]]:
        """``(provider_id, url)`` for each meeting link on a command line; ``providers`` limits who may match."""
        found: list[tuple[str, str]] = []
        candidates = urls_in_args(args)
        if not candidates:
            return found
        # The prefilter (guard.detect.link_hosts): a pattern that starts with its host runs only on the links
        # to one of its provider's hosts; the others on every link.
        hosts: dict[str | None, frozenset[str]] = {}
        gates = [hosts.setdefault(host, self.url_hosts.keys(host)) for host in map(link_host, candidates)]
        allowed = frozenset().union(*hosts.values())
        for provider_id, pattern in self.url_patterns:
            if providers is not None and provider_id not in providers:
                continue
            gated = pattern.source in self.url_hosts.gated
            if gated and pattern.source not in allowed:
                continue
            excludes = self.url_excludes.get(provider_id, ())
            url = next((text for text, gate in zip(candidates, gates, strict=True)
                        if (not gated or pattern.source in gate) and pattern.search(text)
                        and not any(x.search(text) for x in excludes)), None)
            if url is not None and (provider_id, url) not in found:
                found.append((provider_id, url))
        return found

    def match_app_window(self, provider_id: str, title: str) -> TitleMatch | None:
        """A window of the provider's own process: a meeting window, its home window, or neither."""
        title = without_unread_count(normalize_text(title))
        for pattern in self.meeting_titles.get(provider_id, ()):
            if pattern.search(title):
                return TitleMatch(provider_id, True, pattern.source)
        for pattern in self.app_titles.get(provider_id, ()):
            if pattern.search(title):
                return TitleMatch(provider_id, False, pattern.source)
        return None

    def participant_providers(self, display_name: str) -> list[str]:
        """Note-taker providers whose bot goes by ``display_name`` in a meeting's participant list."""
        return self.participants.keys_matching(normalize_text(display_name))

    def notice_features(self, provider_id: str, shown: str) -> list[str]:
        """Features of ``provider_id`` whose in-meeting notice words ``shown`` contains (the plain,
        normalised substring test of :mod:`guard.catalog.notices`)."""
        words = self.notices.get(provider_id)
        if not words:
            return []
        from guard.catalog.notices import normalise

        text = normalise(shown)
        return list(dict.fromkeys(feature for feature, notice in words if normalise(notice) in text))

    def browser_pages(self, title: str, browser: str | None = None) -> list[str]:
        """The tab titles a browser window's title may stand for: the browser's suffix cut off (every
        browser's without ``browser``, the owning process's name), and each without an unread count."""
        kinds = self.browser_kinds.get(normalize_name(browser)) if browser else None
        if kinds is None:
            kinds = tuple({b.id: b for found in self.browser_kinds.values() for b in found}.values())
        pages = page_titles(bounded(title, 4 * TEXT_LIMIT), kinds)
        return list(dict.fromkeys([*pages, *map(without_unread_count, pages)]))

    def private_browser_window(self, title: str, browser: str) -> bool:
        """Whether a window of this browser process is a private one (by its title's suffix), which the
        browser extension does not see."""
        return private_window(bounded(title, 4 * TEXT_LIMIT), self.browser_kinds.get(normalize_name(browser), ()))

    def browser_tab_window(self, title: str, browser: str) -> bool:
        """Whether a window of this browser process shows a tab (its title ends with the browser's suffix)."""
        return tab_window(bounded(title, 4 * TEXT_LIMIT), self.browser_kinds.get(normalize_name(browser), ()))

    def browser_ids(self, browser: str) -> tuple[str, ...]:
        """The ids (resources/detect/browsers.toml) a browser process of this name may be."""
        return tuple(kind.id for kind in self.browser_kinds.get(normalize_name(browser), ()))

    def match_browser_window(self, title: str, browser: str | None = None) -> list[TitleMatch]:
        """A browser window (or a tab's title) that shows a web meeting.

        ``browser`` is the owning process's name: its title suffixes (browsers.toml) are cut off
        before the providers' tab-title patterns are tried; without it, every browser's are.
        Results are remembered per (browser, title), so an unchanged window costs a look-up.
        """
        title = bounded(title, 4 * TEXT_LIMIT)  # titles come bounded; an outside caller's may not
        key = (normalize_name(browser) if browser else "", title)
        known = self._titles.get(key)
        if known is not None:
            self._titles.move_to_end(key)
            return list(known)
        found: dict[str, TitleMatch] = {}
        for page in self.browser_pages(title, browser):
            for provider_id, pattern in self.web_titles.matches(page):
                found.setdefault(provider_id, TitleMatch(provider_id, True, pattern.source))
        result = tuple(found.values())
        self._titles[key] = result
        if len(self._titles) > TITLE_CACHE:
            self._titles.popitem(last=False)
        return list(result)

    def match_device_window(self, title: str, browser: str | None = None) -> list[str]:
        """Providers whose ``device_window_titles`` a browser window's title (its suffix cut off) matches: a
        call window of a self-hosted service, a meeting only while its browser holds the microphone or camera
        (guard/detect/device_titles.py)."""
        if not self.device_titles:
            return []
        found: dict[str, None] = {}
        for page in self.browser_pages(bounded(title, 4 * TEXT_LIMIT), browser):
            for provider_id, _pattern in self.device_titles.matches(page):
                found[provider_id] = None
        return list(found)
