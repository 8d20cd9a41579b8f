"""Window titles matched against the catalog: a client's own titles, a browser's tab titles (its
suffix cut off), or, for a window that names no owner, the meeting titles of the clients
running. Titles are hostile: each is matched in linear time (RE2), again only when it changes,
and at most :data:`NEW_TITLES_PER_TICK` new ones per detection pass.

A browser window's meeting title is checked against what the browser extension says that browser
shows in front (guard/detect/title_check.py): confirmed, it counts; not confirmed while the extension
is connected, it is no meeting (any page can title itself "Zoom Meeting"); with no extension, it
counts as weaker, unconfirmed evidence, and so it does when the browser has more windows showing tabs
than the extension says it sees (an incognito window, another profile's)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from guard.detect.candidates import Candidate
from guard.detect.device_titles import DeviceWindow
from guard.detect.matching import DetectionRules
from guard.detect.observation import Observation
from guard.detect.title_check import FrontTabs, Shown
from guard.detect.windows import WindowInfo
from guard.events import Signal
from guard.i18n import N_, Text
from guard.patterns import bounded, normalize_text

# (title, owner name, matches, whether a browser's window shows a tab, providers whose call-window title it has)
_Known = tuple[str, str, tuple[tuple[str, bool, str], ...], bool, tuple[str, ...]]
_Key = tuple[int, int | None, str]  # a window: its id, its process, and its title when it has no id

SEEN_AFTER = 2  # passes a window must have the focus the extension says it sees before it is known as seen
NEW_TITLES_PER_TICK = 256  # window titles matched for the first time per tick (the rest wait a tick)
SHOWN_TITLE = 300  # characters of a window title kept in evidence and events


class WindowTitles:
    """Matches the windows of one detection pass, remembering each window's matches until its
    title or owner changes."""

    def __init__(self, rules: DetectionRules) -> None:
        self.rules = rules
        # window id → (title, owner name, matches, whether a browser's window shows a tab): a window is matched
        # again only when its title changes
        self._known: dict[tuple[int, int | None, str], _Known] = {}
        # browser tab window → passes in a row it had the focus while its extension said it sees the focused
        # window (SEEN_AFTER: known as a window the extension sees, for as long as it exists)
        self._agreed: dict[tuple[int, int | None, str], int] = {}
        self.title_matches = 0  # titles matched this pass (for tests and benchmarks)
        # this pass's browser windows titled as a self-hosted service's call window (guard/detect/device_titles.py)
        self.device_windows: list[DeviceWindow] = []

    def observations(self, windows: list[WindowInfo], candidates: Mapping[int, Candidate],
                     at: datetime, fronts: FrontTabs | None = None,
                     root: Callable[[int], int] | None = None) -> list[Observation]:
        """Window titles matched against the owner's patterns: a client's own titles, a browser's
        tab titles (its suffix cut off), or, for a window that names no owner, the meeting titles
        of the clients running. Each window is matched again only when its title or owner changes,
        and at most :data:`NEW_TITLES_PER_TICK` windows are matched per tick (the rest next tick).

        ``fronts``: what the browser extension says each connected browser shows in front (None: the
        extension's reports are not read); ``root``: a browser process's instance root (its main process)."""
        running = tuple(sorted({pid for c in candidates.values() for pid in c.provider_ids}))
        observations: list[Observation] = []
        listed: set[tuple[int, int | None, str]] = set()
        matched: list[tuple[WindowInfo, Candidate | None, _Known]] = []
        tab_windows: dict[int, int] | None = None  # counted when first needed (below)
        self.title_matches = 0
        self.device_windows = []
        for window in windows:
            owner = candidates.get(window.pid) if window.pid is not None else None
            if owner is None and window.pid is not None:
                continue  # a window of a process that is neither a client nor a browser
            key = (window.window_id, window.pid, "" if window.window_id else window.title)
            listed.add(key)
            role = owner.name if owner is not None else "\0" + ",".join(running)
            known = self._known.get(key)
            if known is None or known[0] != window.title or known[1] != role:
                if self.title_matches >= NEW_TITLES_PER_TICK:
                    continue
                self.title_matches += 1
                # A window showing a tab that the extension could see (a private window is known as such)
                tab = (owner is not None and owner.browser and self.rules.browser_tab_window(window.title, owner.name)
                       and not self.rules.private_browser_window(window.title, owner.name))
                calls = (tuple(self.rules.match_device_window(window.title, owner.name))
                         if owner is not None and owner.browser and not owner.matches else ())
                known = (window.title, role, self._match_window(window.title, owner, running), tab, calls)
                self._known[key] = known
            if known[2]:
                matched.append((window, owner, known))
            if known[4] and owner is not None and window.pid is not None:
                instance = root(window.pid) if root is not None else window.pid
                shown = bounded(normalize_text(window.title), SHOWN_TITLE)
                self.device_windows += [DeviceWindow(provider_id, instance, window.pid, owner.name, shown,
                                                     str(window.window_id) if window.window_id else None)
                                        for provider_id in known[4]]
        focused = self._focused_seen(windows, candidates, fronts, root)
        for window, owner, known in matched:
            shown = bounded(normalize_text(window.title), SHOWN_TITLE)
            front: Shown | None = None
            pages: list[str] = []
            private = unseen = False
            # A browser's page (a process that is also a catalog client shows that client's own windows)
            web = owner is not None and owner.browser and not owner.matches
            if web and owner is not None and window.pid is not None and fronts is not None:
                instance = root(window.pid) if root is not None else window.pid
                front = fronts.shown_by((window.pid, instance), self.rules.browser_ids(owner.name))
                private = front is not None and self.rules.private_browser_window(window.title, owner.name)
                # More of its windows on screen than the extension sees: this one may be incognito, or of a
                # profile without the extension, where a real meeting goes unreported.
                if front is not None and not private and front.windows is not None:
                    if tab_windows is None:
                        tab_windows = self._tab_windows(windows, root)
                    unseen = not front.sees_all(tab_windows.get(instance, 0))
                    key = (window.window_id, window.pid, "" if window.window_id else window.title)
                    if unseen and (key == focused or self._agreed.get(key, 0) >= SEEN_AFTER):
                        unseen = False  # it had the focus while the extension saw the focused window: not incognito
                front = None if private else front  # the extension does not run in private windows
                pages = self.rules.browser_pages(window.title, owner.name) if front is not None else []
            for provider_id, meeting, _pattern in known[2]:
                confirmed: bool | None = None
                if owner is None:
                    said = Text.of(N_("a window titled '{title}' (owner not given) while the app runs"), title=shown)
                elif web and private:
                    confirmed = False
                    said = Text.of(N_("{name} (pid {pid}) shows a meeting titled '{title}' (unconfirmed: a private "
                                      "window, which the browser extension does not see)"), name=owner.name,
                                   pid=str(window.pid), title=shown)
                elif web and unseen and front is not None and not front.confirms(provider_id, pages):
                    confirmed = False
                    said = Text.of(N_("{name} (pid {pid}) shows a meeting titled '{title}' (unconfirmed: the browser "
                                      "has windows the browser extension does not see, such as incognito ones)"),
                                   name=owner.name, pid=str(window.pid), title=shown)
                elif web and front is None:
                    confirmed = False
                    said = Text.of(N_("{name} (pid {pid}) shows a meeting titled '{title}' (unconfirmed: no "
                                      "browser extension connected)"), name=owner.name, pid=str(window.pid),
                                   title=shown)
                elif web and front is not None and not front.confirms(provider_id, pages) \
                        and front.in_lobby(provider_id, pages):
                    confirmed = meeting = False
                    said = Text.of(N_("{name} (pid {pid}) shows a page titled '{title}': no meeting, the browser "
                                      "extension shows it in its lobby"), name=owner.name, pid=str(window.pid),
                                   title=shown)
                elif web and front is not None and not front.confirms(provider_id, pages):
                    confirmed = meeting = False
                    said = Text.of(N_("{name} (pid {pid}) shows a page titled '{title}': no meeting, title not "
                                      "confirmed by the browser extension"), name=owner.name, pid=str(window.pid),
                                   title=shown)
                elif web:
                    confirmed = True
                    said = Text.of(N_("{name} (pid {pid}) shows a meeting titled '{title}'"), name=owner.name,
                                   pid=str(window.pid), title=shown)
                elif meeting:
                    said = Text.of(N_("{name} (pid {pid}) shows a meeting window titled '{title}'"), name=owner.name,
                                   pid=str(window.pid), title=shown)
                else:
                    said = Text.of(N_("{name} (pid {pid}) shows a window titled '{title}'"), name=owner.name,
                                   pid=str(window.pid), title=shown)
                observations.append(Observation(provider_id, Signal.WINDOW_TITLE, window.pid, str(said), at,
                                                said=said, confirmed=confirmed,
                                                meeting=meeting, title=shown if meeting else None,
                                                window=str(window.window_id) if window.window_id else None))
        for key in [key for key in self._known if key not in listed]:
            del self._known[key]
        for key in [key for key in self._agreed if key not in listed]:
            del self._agreed[key]
        return observations

    def _focused_seen(self, windows: list[WindowInfo], candidates: Mapping[int, Candidate],
                      fronts: FrontTabs | None, root: Callable[[int], int] | None) -> _Key | None:
        """The browser tab window with the focus when its extension says the focused window is one it sees
        (so not an incognito one); each such pass counts towards knowing that window as seen for good."""
        if fronts is None:
            return None
        for window in windows:
            if not window.active or window.pid is None:
                continue
            owner = candidates.get(window.pid)
            key = (window.window_id, window.pid, "" if window.window_id else window.title)
            known = self._known.get(key)
            if owner is None or not owner.browser or owner.matches or known is None or not known[3]:
                return None  # the focus is on another app's window, or on no tab window the extension could see
            instance = root(window.pid) if root is not None else window.pid
            front = fronts.shown_by((window.pid, instance), self.rules.browser_ids(owner.name))
            if front is None or front.focused is None:
                return None
            if not front.focused:
                if self._agreed.get(key, 0) < SEEN_AFTER:
                    self._agreed[key] = 0
                return None
            self._agreed[key] = min(self._agreed.get(key, 0) + 1, SEEN_AFTER)
            return key
        return None

    def _tab_windows(self, windows: list[WindowInfo], root: Callable[[int], int] | None) -> dict[int, int]:
        """Browser instance (root pid) → how many of its windows (as matched this pass) show a tab and are not
        private: the windows its extension should see. Counted only when a meeting title needs it."""
        counts: dict[int, int] = {}
        roots: dict[int, int] = {}
        for window in windows:
            if window.pid is None:
                continue
            known = self._known.get((window.window_id, window.pid, "" if window.window_id else window.title))
            if known is None or not known[3] or known[0] != window.title:
                continue
            instance = roots.get(window.pid)
            if instance is None:
                instance = roots[window.pid] = root(window.pid) if root is not None else window.pid
            counts[instance] = counts.get(instance, 0) + 1
        return counts

    def _match_window(self, title: str, owner: Candidate | None,
                      running: tuple[str, ...]) -> tuple[tuple[str, bool, str], ...]:
        """(provider_id, meeting, pattern) for one window title."""
        if owner is not None and owner.matches:
            found = [self.rules.match_app_window(provider_id, title) for provider_id in owner.provider_ids]
            return tuple((m.provider_id, m.meeting, m.pattern) for m in found if m is not None)
        if owner is not None and owner.browser:
            return tuple((m.provider_id, True, m.pattern) for m in self.rules.match_browser_window(title, owner.name))
        found = [self.rules.match_app_window(provider_id, title) for provider_id in running]
        return tuple((m.provider_id, True, m.pattern) for m in found if m is not None and m.meeting)
