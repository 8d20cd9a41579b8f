"""Whether a browser window's meeting title is what the browser extension says that browser shows.

Any web page can title itself "Zoom Meeting" or "Meet – abc-defg-hij", and its browser window then
carries that title. Where the extension is connected for a browser (its host has had the full tab
list since it connected: ``StateFile.synced``), a meeting title in one of that browser's windows counts
only when the active tab of one of its windows is a meeting tab of the same provider, titled the
same; otherwise the window is no meeting ("title not confirmed by the browser extension"). Where no
extension is connected, the title still counts, marked unconfirmed (weaker evidence). So does a title
in a browser that shows more tab windows than the extension says it sees (:attr:`Shown.windows`): an
incognito window, or one of a profile without the extension, may hold a real meeting it cannot see.

Pure: plain values in and out (:class:`guard.detect.browser_tabs.BrowserTabs` makes the
:class:`FrontTabs`, :class:`guard.detect.window_titles.WindowTitles` asks them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from guard.browser.limits import TITLE
from guard.detect.identity import normalise_title

ELLIPSIS = "…"  # what the host puts at the end of a title it cut to TITLE characters (guard.browser.text)


class Shown(NamedTuple):
    """The meeting tabs in front in one browser's windows: normalised title → providers, and the
    titles the host cut (kept as normalised prefixes)."""

    titles: Mapping[str, frozenset[str]]
    cut: tuple[tuple[str, frozenset[str]], ...] = ()
    windows: int | None = None  # how many windows the extension sees (None: it did not say)
    focused: bool | None = None  # whether the focused window is one the extension sees (None: it did not say)
    lobbies: tuple[tuple[str, frozenset[str]], ...] = ()  # active tabs showing their lobby: normalised title, providers

    def in_lobby(self, provider_id: str, pages: Iterable[str]) -> bool:
        """Whether one of ``pages`` is an active tab of ``provider_id`` that shows its lobby (the title it
        shares with the meeting is then no meeting: the evidence says lobby)."""
        keys = {normalise_title(page) for page in pages}
        return any(provider_id in providers and key in keys for key, providers in self.lobbies)

    def sees_all(self, listed: int) -> bool:
        """Whether the extension sees every one of the ``listed`` tab windows of this browser on screen
        (not when it did not say how many it sees: then a title it does not show is refuted, as before)."""
        return self.windows is None or listed <= self.windows

    def confirms(self, provider_id: str, pages: Iterable[str]) -> bool:
        """Whether one of ``pages`` (a window's title, the browser's suffix cut off) is an active meeting
        tab of ``provider_id``."""
        for page in pages:
            key = normalise_title(page)
            if provider_id in self.titles.get(key, ()):
                return True
            if any(provider_id in providers and key.startswith(prefix) for prefix, providers in self.cut):
                return True
        return False


def shown_titles(tabs: Iterable[tuple[str, Iterable[str]]], windows: int | None = None,
                 focused: bool | None = None, lobbies: Iterable[tuple[str, Iterable[str]]] = ()) -> Shown:
    """:class:`Shown` from the (title, providers) of the active meeting tabs of one browser, how many
    windows its extension sees, and whether the focused window is one of them."""
    titles: dict[str, frozenset[str]] = {}
    cut: list[tuple[str, frozenset[str]]] = []
    for title, providers in tabs:
        if title.endswith(ELLIPSIS) and len(title) >= TITLE - 1:  # (the cut drops a space before it)
            prefix = normalise_title(title[:-1])
            if prefix:
                cut.append((prefix, frozenset(providers)))
            continue
        key = normalise_title(title)
        if key:
            titles[key] = titles.get(key, frozenset()) | frozenset(providers)
    in_lobby = tuple((key, frozenset(providers)) for title, providers in lobbies if (key := normalise_title(title)))
    return Shown(titles, tuple(cut), windows, focused, in_lobby)


def any_focused(flags: Iterable[bool | None]) -> bool | None:
    """Whether one of several extensions (profiles of one browser) sees the focused window; None when none said."""
    said = [flag for flag in flags if flag is not None]
    return any(said) if said else None


def total_windows(counts: Iterable[int | None]) -> int | None:
    """The windows several extensions (profiles of one browser) see together; None when one did not say."""
    total = 0
    for count in counts:
        if count is None:
            return None
        total += count
    return total


class FrontTabs(NamedTuple):
    """What the extension says each connected browser shows in front: by the browser's process id, or by
    its id (guard/browser/browsers.py) when its host could not find the browser's process."""

    by_pid: Mapping[int, Shown]
    by_browser: Mapping[str, Shown]

    def shown_by(self, pids: Iterable[int | None], browser_ids: Iterable[str]) -> Shown | None:
        """What the browser owning a window (its process and the instance's root process, and the browser
        ids its process name may be) shows in front; None when no extension is connected for it."""
        found = [self.by_pid[pid] for pid in dict.fromkeys(pids) if pid is not None and pid in self.by_pid]
        if not found:
            found = [self.by_browser[name] for name in dict.fromkeys(browser_ids) if name in self.by_browser]
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        titles: dict[str, frozenset[str]] = {}
        for shown in found:
            for key, providers in shown.titles.items():
                titles[key] = titles.get(key, frozenset()) | providers
        return Shown(titles, tuple(item for shown in found for item in shown.cut),
                     total_windows(shown.windows for shown in found), any_focused(shown.focused for shown in found))


NO_EXTENSION = FrontTabs({}, {})
