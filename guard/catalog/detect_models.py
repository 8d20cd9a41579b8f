"""The catalog's detection tables (``[detect]`` in a provider's file): process names, window and
tab titles, meeting URLs and bots' display names, per OS and for the web. Every pattern is
checked here to compile with RE2 (linear-time matching) and to stay cheap enough to match on
every title. Provider files are read by guard.catalog.models; matching is guard.detect.matching.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from guard.catalog.model_base import MAX_NOTE, MODEL, FieldError, Source
from guard.patterns import PatternError, compile_pattern, normalize_text

OsName = Literal["linux", "windows", "macos"]


# RE2's program size of one detection pattern (guard.patterns.Pattern.cost); the shipped ones are at most
# 222. RE2 is linear in the text, but each character costs in proportion to this when its DFA gives up.
PATTERN_COST_LIMIT = 400
# A lobby selector is a plain CSS selector the extension hands to querySelector: classes, ids and attribute
# tests only (no combinators, no pseudo-classes), so a catalog file cannot make it costly or surprising.
MAX_SELECTOR = 120
# Lobby words (a fallback where no source names an element): per page language, a short phrase the screen
# shows as the whole text of one element.
LOBBY_LANGUAGE = re.compile(r"[a-z]{2,3}")
MAX_LOBBY_TEXT = 80
MAX_LOBBY_TEXTS = 8
LOBBY_SELECTOR = re.compile(r'(?:[.#][A-Za-z_][A-Za-z0-9_-]*|\[[A-Za-z_][A-Za-z0-9_-]*(?:="[A-Za-z0-9_.-]*")?\])'
                            r'{1,6}')


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """Every pattern must compile with RE2 (linear-time matching); the error names the pattern and
    says why, e.g. that lookarounds and backreferences cannot be used, or that it is too costly."""
    for index, pattern in enumerate(patterns):
        try:
            cost = compile_pattern(pattern).cost
        except PatternError as error:
            raise FieldError((index,), str(error)) from None
        if cost > PATTERN_COST_LIMIT:
            raise FieldError((index,), f"pattern {pattern[:80]!r} is too costly to match on every title (RE2 "
                             f"program size {cost}; at most {PATTERN_COST_LIMIT}): counted repeats such as "
                             "'.{0,200}' multiply the work; write a shorter, more specific pattern")
    return patterns


def pattern_cost(detect: Detect) -> int:
    """What matching all of ``detect``'s patterns costs per character of text (sum of RE2 program sizes)."""
    lists = [detect.participant_names, detect.web.url_patterns, detect.web.any_host_url_patterns,
             detect.web.url_excludes, detect.web.meeting_window_titles, detect.web.device_window_titles]
    for platform in (detect.linux, detect.windows, detect.macos):
        lists += [platform.window_titles, platform.meeting_window_titles]
    return sum(compile_pattern(pattern).cost for patterns in lists for pattern in patterns)


class PlatformDetect(BaseModel):
    """Detection data for one OS. Process names as the OS reports them; titles are RE2 patterns
    matched against the normalised title (see :func:`guard.patterns.normalize_text`).

    ``processes`` say the app is running; ``meeting_processes`` exist only while a meeting is
    on; ``meeting_window_titles`` match a meeting window and must not match the home screen.
    ``bundle_ids`` (macOS) are the apps' bundle identifiers, which the OS reports for running
    apps whatever the executable is called.
    """

    model_config = MODEL
    processes: tuple[str, ...] = ()
    meeting_processes: tuple[str, ...] = ()
    window_titles: tuple[str, ...] = ()
    meeting_window_titles: tuple[str, ...] = ()
    bundle_ids: tuple[str, ...] = ()

    _patterns = field_validator("window_titles", "meeting_window_titles")(_check_patterns)


class WebDetect(BaseModel):
    """Meetings in a browser: URL patterns and tab-title patterns (RE2). Tab titles are matched
    after the browser's own suffix (" - Google Chrome", " — Mozilla Firefox") is taken off.

    ``hosts`` are the host names meeting pages are served from (``*.`` for any subdomain),
    for the browser extension's host permissions; every ``url_patterns`` match is on one of
    them, except app links (``zoommtg:``, ``msteams:``), which only appear on command lines.
    ``link_only_hosts`` are short links and redirectors (``g.co``) whose links ``url_patterns``
    match but which never show a meeting page: link detection (command lines, calendars, text)
    finds their links, and the extension asks for no access to them.
    ``any_host_url_patterns`` are meeting links on servers of their operators' own, under any host name
    (a BigBlueButton server's ``/bigbluebutton/api/join?...&checksum=``): link detection (command lines,
    calendars, text) finds them on every link, the extension cannot (it asks for no access to any host),
    so only a form the software itself writes and no ordinary page has belongs here.
    ``url_excludes`` name pages on a meeting host that a room pattern would also match
    (``whereby.com/pricing``): RE2 has no lookahead, so exclusions are patterns of their own.
    ``device_window_titles`` are tab titles of a call window on servers of their own (self-hosted, so the
    extension cannot see them) that any page could also carry (Mattermost's "Call - <channel>"): such a
    window counts as a meeting only while its browser holds the microphone or camera and no other web
    meeting seen in that browser explains it (guard/detect/device_titles.py).
    ``links_need_media``: the provider's meeting links have the form of its chat pages too (a Discord
    voice channel and a text channel are both ``discord.com/channels/<server>/<channel>``), so a tab or a
    link of it counts as a meeting only while the provider holds the microphone or camera.
    ``lobby_selectors`` are CSS selectors of the element the app's own source renders only on its pre-join
    or lobby screen, under the meeting's own link and title (Jitsi's ``.premeeting-screen``): while the
    browser extension finds one in a meeting tab, that tab is the app open in its lobby, not a meeting.
    ``lobby_texts``, per page language (the primary subtag of the page's ``<html lang>``), are the words a
    lobby screen shows as the whole text of one element, for a screen no source names an element of
    (Meet's "Asking to be let in"): a fallback used only on a page that declares that language.
    """

    model_config = MODEL
    hosts: tuple[str, ...] = ()
    link_only_hosts: tuple[str, ...] = ()
    url_patterns: tuple[str, ...] = ()
    any_host_url_patterns: tuple[str, ...] = ()
    url_excludes: tuple[str, ...] = ()
    meeting_window_titles: tuple[str, ...] = ()
    device_window_titles: tuple[str, ...] = ()
    links_need_media: bool = False
    lobby_selectors: tuple[str, ...] = ()
    lobby_texts: dict[str, tuple[str, ...]] = {}

    _patterns = field_validator("url_patterns", "any_host_url_patterns", "url_excludes", "meeting_window_titles",
                                "device_window_titles")(_check_patterns)

    def is_meeting_url(self, url: str) -> bool:
        """A url_pattern matches and no url_exclude does (e.g. whereby.com/<room> but not whereby.com/pricing)."""
        return (any(compile_pattern(p).search(url) for p in (*self.url_patterns, *self.any_host_url_patterns))
                and not any(compile_pattern(p).search(url) for p in self.url_excludes))

    @field_validator("hosts", "link_only_hosts")
    @classmethod
    def _hosts_are_plain(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        for host in hosts:
            bare = host.removeprefix("*.")
            plain = all(ch.isascii() and (ch.isalnum() or ch in "-.") for ch in bare)
            if not bare or not plain or bare != bare.lower():
                raise ValueError(f"host {host!r} must be a lowercase host name, optionally starting with '*.'")
        return hosts

    @field_validator("lobby_selectors")
    @classmethod
    def _selectors_are_plain(cls, selectors: tuple[str, ...]) -> tuple[str, ...]:
        for index, selector in enumerate(selectors):
            if len(selector) > MAX_SELECTOR or not LOBBY_SELECTOR.fullmatch(selector):
                raise FieldError((index,), f"selector {selector[:80]!r} must be a class ('.name'), an id ('#name') "
                                 "or an attribute ('[name=\"value\"]') selector, or several joined, of at most "
                                 f"{MAX_SELECTOR} characters")
        return selectors

    @field_validator("lobby_texts")
    @classmethod
    def _lobby_texts_are_short(cls, texts: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for language, phrases in texts.items():
            if not LOBBY_LANGUAGE.fullmatch(language):
                raise FieldError((language,), f"language {language[:20]!r} must be a primary language subtag "
                                 "of two or three lowercase letters, such as 'en'")
            if not 1 <= len(phrases) <= MAX_LOBBY_TEXTS:
                raise FieldError((language,), f"give one to {MAX_LOBBY_TEXTS} phrases")
            for index, phrase in enumerate(phrases):
                if not 3 <= len(phrase.strip()) <= MAX_LOBBY_TEXT:
                    raise FieldError((language, index), f"phrase {phrase[:80]!r} must be 3 to {MAX_LOBBY_TEXT} "
                                     "characters")
        return texts

    @model_validator(mode="after")
    def _link_only_hosts_show_no_page(self) -> WebDetect:
        both = sorted(set(self.hosts) & set(self.link_only_hosts))
        if both:
            raise ValueError(f"{', '.join(both)}: a host is either in 'hosts' (meeting pages) or in "
                             "'link_only_hosts' (links only), not both")
        return self


class Detect(BaseModel):
    """How to tell the client is running and in a meeting, with where that was learnt.

    ``participant_names`` are RE2 patterns (searched; write ``(?i)`` for case-insensitive) for
    the display name a bot note-taker has in a meeting's participant list, e.g. the name
    Fireflies gives its bot. They describe what other participants see, not a local process.
    """

    model_config = MODEL
    linux: PlatformDetect = PlatformDetect()
    windows: PlatformDetect = PlatformDetect()
    macos: PlatformDetect = PlatformDetect()
    web: WebDetect = WebDetect()
    participant_names: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    verified: bool = False
    note: str | None = Field(default=None, max_length=MAX_NOTE)

    _patterns = field_validator("participant_names")(_check_patterns)

    def matches_participant(self, display_name: str) -> bool:
        """Whether a participant-list display name is this provider's bot."""
        name = normalize_text(display_name)
        return any(compile_pattern(pattern).search(name) for pattern in self.participant_names)

    def for_os(self, os_name: OsName) -> PlatformDetect:
        platform: PlatformDetect = getattr(self, os_name)
        return platform
