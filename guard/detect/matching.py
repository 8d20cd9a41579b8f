"""The catalog's detection data, compiled for one OS into fast look-ups. Pure: values in, values out.

Process names compare case-insensitively and without a trailing ``.exe``. Linux cuts process
names (``comm``) to 15 characters, so a 15-character name that starts a longer catalog name
is a *maybe*: the process probe confirms it from the executable or ``argv[0]``.

Every pattern runs through :mod:`guard.patterns` (RE2, linear time, texts cut to a bounded
length); window titles are normalised first (dashes, odd spaces, invisible characters).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache

from guard.catalog.loader import Catalog
from guard.catalog.models import OsName, ProviderKind
from guard.catalog.notices import normalise as normalise_notice
from guard.detect.redaction import redact_url  # noqa: F401 - re-exported: the rules are shared with the extension
from guard.paths import resources_dir
from guard.patterns import (
    Pattern,
    PatternSet,
    compile_pattern,
    find_urls,
    normalize_text,
)

LINUX_COMM_LENGTH = 15
URLS_PER_COMMAND_LINE = 32  # links looked at per process: a command line is not a web page


def normalize_name(name: str) -> str:
    """``Zoom.EXE`` → ``zoom``: the form process names are compared in."""
    name = name.strip().casefold()
    return name.removesuffix(".exe")


@cache
def browser_names(os_name: OsName) -> frozenset[str]:
    """Process names of web browsers on ``os_name`` (resources/detect/browsers.toml)."""
    data = tomllib.loads((resources_dir() / "detect" / "browsers.toml").read_text(encoding="utf-8"))
    return frozenset(normalize_name(name) for name in data.get(os_name, {}).get("processes", ()))


def urls_in_args(args: tuple[str, ...]) -> list[str]:
    """The links on a command line (``scheme://...`` or ``scheme:/...``, whole arguments or inside
    ``--opt=VALUE``), at most :data:`URLS_PER_COMMAND_LINE`, found in linear time."""
    found: dict[str, None] = {}
    for arg in args:
        if ":/" not in arg:
            continue
        for url in find_urls(arg):
            found[url] = None
            if len(found) >= URLS_PER_COMMAND_LINE:
                return list(found)
    return list(found)


def _letters(name: str) -> str:
    return "".join(ch for ch in normalize_name(name) if ch.isascii() and ch.isalnum())


@dataclass(frozen=True)
class ProcessMatch:
    provider_id: str
    meeting_only: bool


@dataclass(frozen=True)
class TitleMatch:
    provider_id: str
    meeting: bool
    pattern: str


@dataclass
class DetectionRules:
    """Look-ups built from the catalog for one OS."""

    os_name: OsName
    processes: dict[str, list[ProcessMatch]] = field(default_factory=dict)
    browsers: frozenset[str] = frozenset()
    notetakers: frozenset[str] = frozenset()
    url_patterns: PatternSet[str] = field(default_factory=PatternSet)
    web_titles: PatternSet[str] = field(default_factory=PatternSet)
    app_titles: dict[str, list[Pattern]] = field(default_factory=dict)
    meeting_titles: dict[str, list[Pattern]] = field(default_factory=dict)
    url_excludes: dict[str, list[Pattern]] = field(default_factory=dict)
    participants: PatternSet[str] = field(default_factory=PatternSet)  # note-taker bots' display names
    notices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # provider: (feature, normalised words)
    _truncated: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, catalog: Catalog, os_name: OsName, browsers: frozenset[str] | None = None) -> DetectionRules:
        rules = cls(os_name=os_name, browsers=browser_names(os_name) if browsers is None else browsers)
        rules.notetakers = frozenset(p.id for p in catalog if p.kind == ProviderKind.NOTETAKER)
        for provider in catalog:
            platform = getattr(provider.detect, os_name)
            for names, meeting_only in ((platform.processes, False), (platform.meeting_processes, True)):
                for name in names:
                    key = normalize_name(name)
                    rules.processes.setdefault(key, []).append(ProcessMatch(provider.id, meeting_only))
                    if len(key) > LINUX_COMM_LENGTH:
                        rules._truncated.setdefault(key[:LINUX_COMM_LENGTH], []).append(key)
            rules.app_titles[provider.id] = [compile_pattern(p) for p in platform.window_titles]
            rules.meeting_titles[provider.id] = [compile_pattern(p) for p in platform.meeting_window_titles]
            for pattern in provider.detect.web.url_patterns:
                rules.url_patterns.add(provider.id, pattern)
            for pattern in provider.detect.web.meeting_window_titles:
                rules.web_titles.add(provider.id, pattern)
            rules.url_excludes[provider.id] = [compile_pattern(p) for p in provider.detect.web.url_excludes]
            for pattern in provider.detect.participant_names:
                rules.participants.add(provider.id, pattern)
            rules.notices[provider.id] = [(feature.id, normalise_notice(notice.text))
                                          for feature in provider.ai_features for notice in feature.notices]
        return rules

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
        for provider_id, pattern in self.url_patterns:
            if providers is not None and provider_id not in providers:
                continue
            excludes = self.url_excludes.get(provider_id, ())
            url = next((text for text in candidates
                        if pattern.search(text) and not any(x.search(text) for x in excludes)), None)
            if url is not None and (provider_id, url) not in found:
                found.append((provider_id, url))
        return found

    def match_app_window(self, provider_id: str, title: str) -> TitleMatch | None:
        """A window of the provider's own process: a meeting window, its home window, or neither."""
        title = normalize_text(title)
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
        """Features of ``provider_id`` whose in-meeting notice words ``shown`` contains (plain substring
        test on normalised text, as :mod:`guard.catalog.notices` does)."""
        words = self.notices.get(provider_id)
        if not words:
            return []
        text = normalise_notice(shown)
        return list(dict.fromkeys(feature for feature, notice in words if notice in text))

    def match_browser_window(self, title: str) -> list[TitleMatch]:
        """A browser window (or tab title) that shows a web meeting."""
        title = normalize_text(title)
        return [TitleMatch(provider_id, True, pattern.source)
                for provider_id, pattern in self.web_titles.matches(title)]
