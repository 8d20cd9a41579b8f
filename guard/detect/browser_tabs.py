"""The browser extension's probe: meeting tabs, in-meeting AI notices and note-taker bots, as observations.

The extension's native messaging hosts keep each browser's meeting tabs in small files
(guard/browser/state.py); this probe reads them (only when they changed) and turns them into
observations the session machine understands:

* ``BROWSER_TAB`` for each tab whose link (or title) the catalog's web patterns call a meeting,
  matched here again with the engine's own RE2 patterns whatever the extension claimed; with the
  tab's identity (``"<browser>/<tab id>"``), whether it is in the foreground (``active``) and
  whether it plays sound or, where the browser says so, holds the microphone or camera (``audible``);
  a tab whose page shows its pre-join or lobby screen (the extension found one of the catalog's
  ``lobby_selectors``, under the meeting's own link and title) is said to be a lobby and has no
  ``meeting``: the app is open, and no meeting starts from it (nor from the camera its preview holds); so
  is a new tab of such a service whose page has not said yet whether it shows its lobby (the page loads),
  for up to :data:`LOBBY_WAIT`: after that (an extension that does not tell) it counts as before;
* a ``BROWSER_TAB`` with ``closed`` once for a meeting tab that is gone (closed, navigated away
  from the meeting, or its browser quit), so its meeting ends at once; but when only its host went while
  its browser runs (the extension's background script restarted: Chromium stops an idle service worker,
  and the host exits with the pipe and removes its file), the tab is still open: it is held, as last seen,
  until a host of that browser says again (then it is closed only if that host no longer lists it, or lists it as a
  tab whose page has not said yet whether it shows its lobby: held until it says), for up to :data:`REATTACH_WAIT`
  (an extension switched off never comes back);
* ``AI_NOTICE`` for a notice the page showed, with the catalog feature whose words it contains;
* ``PARTICIPANT`` for a display name that is a note-taker bot's (the bot's provider, in that tab).

A host whose process is gone leaves a stale file, which is ignored and removed.

After each read, :attr:`BrowserTabs.fronts` says what each browser whose extension is connected shows
in front (its windows' active meeting tabs), so a window title can be checked against it
(guard/detect/title_check.py): a page elsewhere titled "Zoom Meeting" is no meeting.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from guard.browser.paths import has_state_files, state_dir
from guard.detect.link_hosts import link_host
from guard.detect.observation import Observation
from guard.detect.title_check import NO_EXTENSION, FrontTabs, Shown, any_focused, shown_titles, total_windows
from guard.events import Signal
from guard.i18n import N_, Text

if TYPE_CHECKING:  # the state files' schemas (pydantic) load only once a host has written one
    from guard.browser.state import StateFile, StateReader, TabEntry
    from guard.detect.matching import DetectionRules

log = logging.getLogger(__name__)

# How long a new tab of a service that can show a lobby waits for its page to say whether it does: the
# content script tells once the page has loaded (document_idle); an extension too old to tell never does.
LOBBY_WAIT = timedelta(seconds=20)
# How long a meeting tab whose host went, while its browser still runs, is held for a new host of that browser.
REATTACH_WAIT = timedelta(seconds=30)


class BrowserTabs:
    """Reads the hosts' state files; remembers last tick's meeting tabs to report the ones that went."""

    name = "browser-extension"

    def __init__(self, folder: Path | None = None, environ: Mapping[str, str] | None = None) -> None:
        self.folder = folder if folder is not None else state_dir(environ)
        self._reader: StateReader | None = None
        self._last: dict[tuple[str, str], Observation] = {}
        self._matched = _Matches()
        self._labels: dict[tuple[str, int], str] = {}  # (browser, instance) -> its tabs' label, kept while it runs
        self._held: dict[tuple[str, str], tuple[Observation, datetime]] = {}  # gone with their host: since when
        self.fronts: FrontTabs = NO_EXTENSION  # as of the last read

    def observations(self, rules: DetectionRules, at: datetime) -> list[Observation]:
        states: list[StateFile] = []
        if self._reader is not None or has_state_files(self.folder):
            if self._reader is None:
                from guard.browser.state import StateReader

                self._reader = StateReader(self.folder)
            states = self._reader.read()
        from guard.browser.browsers import by_id

        matched = self._matched.using(rules)
        labels = self._labels_of(states)
        found: list[Observation] = []
        current: dict[tuple[str, str], Observation] = {}
        unsaid: dict[tuple[str, str], Observation] = {}  # listed, its page not yet said whether it shows its lobby
        for state, label in zip(states, labels, strict=True):
            browser = by_id(state.browser)
            shown = browser.name if browser is not None else state.browser
            servers = _granted(rules, state)
            for entry in state.tabs:
                tab = f"{label}/{entry.tab.id}"
                providers = matched.providers(entry, servers)
                for provider_id in providers:
                    lobby = _lobby(rules, provider_id, entry, at)
                    obs = _tab_observation(provider_id, state, entry, tab, shown, at, lobby)
                    if lobby == "pending":
                        unsaid[(provider_id, tab)] = obs
                    if obs.meeting:  # a meeting tab that went back to its lobby has left the meeting
                        current[(provider_id, tab)] = obs
                    found.append(obs)
                    found += _notices(matched, provider_id, entry, tab, shown, state.browser_pid, at)
                if providers:
                    found += _participants(matched, entry, tab, shown, state.browser_pid, at)
        gone = {key: (before, at) for key, before in self._last.items() if key not in current}
        gone.update({key: held for key, held in self._held.items() if key not in current and key not in gone})
        hosted = {state.browser_pid for state in states}
        held, self._held = self._held, {}
        for key, (before, since) in gone.items():
            # A restarted background lists its tabs before it asks their pages about their lobby again: a held
            # tab listed so is still held until its page says (for at most LOBBY_WAIT more).
            relisted = key in held and key in unsaid and at - since < REATTACH_WAIT + LOBBY_WAIT
            if relisted or before.pid is not None and before.pid not in hosted and at - since < REATTACH_WAIT \
                    and _running(before.pid):
                if relisted:  # the held meeting stands for it: not also the app open in a lobby
                    found.remove(unsaid[key])
                self._held[key] = (before, since)  # its host went with the background script, not the tab
                found.append(replace(before, seen_at=at))
                continue
            found.append(Observation(
                before.provider_id, Signal.BROWSER_TAB, before.pid,
                f"the meeting tab '{before.title or before.url}' was closed or left", at,
                meeting=True, title=before.title, url=before.url, tab=before.tab, closed=True))
        self._last = current
        self.fronts = _fronts(states, matched, rules, at)
        return found

    def _labels_of(self, states: list[StateFile]) -> list[str]:
        """Each state's label for its tabs (``chromium``, ``chromium#<pid>``), the same for as long as its browser
        instance runs: a tab's identity must not change when another host connects or goes (another profile's
        browser; the same browser's host restarted with the extension's background script, the old one not gone
        yet, which shares its tab ids). The first instance of a browser seen is plain, the others by pid. A label is
        kept while its browser runs though no host of it is connected (its background script restarting, its tabs
        held): another instance connecting meanwhile must not take it, and with it the held tabs' identities."""
        instances = [(state.browser, state.browser_pid if state.browser_pid is not None else -state.host_pid)
                     for state in states]
        self._labels = {key: label for key, label in self._labels.items()
                        if key in instances or key[1] > 0 and _running(key[1])}
        for browser, instance in instances:
            if (browser, instance) not in self._labels:
                taken = set(self._labels.values())
                self._labels[(browser, instance)] = browser if browser not in taken else f"{browser}#{abs(instance)}"
        return [self._labels[key] for key in instances]

    def close(self) -> None:
        """Nothing held open (the files are read and closed each time)."""


def _running(pid: int) -> bool:
    """Whether process ``pid`` (a browser's) still runs."""
    import psutil

    return bool(psutil.pid_exists(pid))


class _Matches:
    """What the patterns said about a tab's link and title, a notice or a name, remembered: the same
    tabs are read every tick, and matching 50 links against every provider's patterns is the cost."""

    LIMIT = 4096

    def __init__(self) -> None:
        self.rules: DetectionRules | None = None
        self._tabs: dict[tuple[str, str, str], list[str]] = {}
        self._notices: dict[tuple[str, str], list[str]] = {}
        self._names: dict[str, list[str]] = {}

    def using(self, rules: DetectionRules) -> _Matches:
        if rules is not self.rules or len(self._tabs) + len(self._notices) + len(self._names) > self.LIMIT:
            self.rules = rules
            self._tabs, self._notices, self._names = {}, {}, {}
        return self

    def providers(self, entry: TabEntry, servers: Mapping[str, frozenset[str]] | None = None) -> list[str]:
        host = link_host(entry.tab.url) or ""
        granted = (servers or {}).get(host, frozenset())
        key = (entry.tab.url, entry.tab.title, ",".join(sorted(granted)))
        found = self._tabs.get(key)
        if found is None:
            assert self.rules is not None
            found = self._tabs[key] = meeting_providers(self.rules, entry, granted)
        return found

    def notice_features(self, provider_id: str, shown: str) -> list[str]:
        key = (provider_id, shown)
        found = self._notices.get(key)
        if found is None:
            assert self.rules is not None
            found = self._notices[key] = self.rules.notice_features(provider_id, shown)
        return found

    def participant_providers(self, name: str) -> list[str]:
        found = self._names.get(name)
        if found is None:
            assert self.rules is not None
            found = self._names[name] = self.rules.participant_providers(name)
        return found


def _granted(rules: DetectionRules, state: StateFile) -> dict[str, frozenset[str]]:
    """The servers the user added in that browser's extension (host → services), of the catalog's self-hosted
    services only: a server named for any other service is no site of it."""
    granted: dict[str, frozenset[str]] = {}
    for server in state.servers:
        if server.provider in rules.self_hosted:
            granted[server.host] = granted.get(server.host, frozenset()) | {server.provider}
    return granted


def meeting_providers(rules: DetectionRules, entry: TabEntry, granted: frozenset[str] = frozenset()) -> list[str]:
    """Providers whose meeting-link patterns match the tab's link, else whose tab-title patterns match,
    of the providers whose site the tab is on: a page elsewhere titled like a meeting (a Slack message
    from someone named "Meet – abc-defg-hij") is not that service's meeting. A self-hosted service's site
    is its declared hosts and the servers the user added for it in the extension (``granted``: the services
    added for the tab's host), whatever the extension claims: a room on such a server is known by its title."""
    by_url = [provider_id for provider_id, _url in rules.match_urls((entry.tab.url,))]
    if by_url:
        return list(dict.fromkeys(by_url))
    host = link_host(entry.tab.url) or ""
    on_site = {provider_id for provider_id in entry.tab.providers
               if provider_id not in rules.self_hosted or provider_id in granted
               or rules.on_web_host(provider_id, host)}
    return list(dict.fromkeys(match.provider_id for match in rules.match_browser_window(entry.tab.title)
                              if match.provider_id in on_site))


def _lobby(rules: DetectionRules, provider_id: str, entry: TabEntry, at: datetime) -> str | None:
    """``"lobby"`` when the tab's page said it shows its lobby, ``"pending"`` while a new tab of a service that
    can show one has not said yet, else None. Only for a service whose catalog names its lobby
    screen: the flag cannot hide a meeting of any other (the extension looks for no lobby there)."""
    if entry.tab.lobby and provider_id in rules.lobby_screens:
        return "lobby"
    if entry.tab.lobby is None and provider_id in rules.lobby_screens and at - entry.opened_at < LOBBY_WAIT:
        return "pending"
    return None


def _fronts(states: list[StateFile], matched: _Matches, rules: DetectionRules, at: datetime) -> FrontTabs:
    """What each browser whose extension has sent its full tab list shows in front: the titles of its
    windows' active tabs that are meetings (by the app's own patterns), with their providers."""
    tabs_by_pid: dict[int, list[tuple[str, list[str]]]] = {}
    tabs_by_browser: dict[str, list[tuple[str, list[str]]]] = {}
    lobbies_by_pid: dict[int, list[tuple[str, list[str]]]] = {}  # active tabs showing their lobby
    lobbies_by_browser: dict[str, list[tuple[str, list[str]]]] = {}
    windows_by_pid: dict[int, list[int | None]] = {}  # each connected profile's count of windows it sees
    windows_by_browser: dict[str, list[int | None]] = {}
    focus_by_pid: dict[int, list[bool | None]] = {}  # each profile's word on whether it sees the focused window
    focus_by_browser: dict[str, list[bool | None]] = {}
    for state in states:
        if not state.synced:
            continue  # connected, but its tab list has not come yet: nothing to check a title against
        if state.browser_pid is not None:
            shown = tabs_by_pid.setdefault(state.browser_pid, [])
            lobbies = lobbies_by_pid.setdefault(state.browser_pid, [])
            windows_by_pid.setdefault(state.browser_pid, []).append(state.windows)
            focus_by_pid.setdefault(state.browser_pid, []).append(state.focused)
        else:
            shown = tabs_by_browser.setdefault(state.browser, [])
            lobbies = lobbies_by_browser.setdefault(state.browser, [])
            windows_by_browser.setdefault(state.browser, []).append(state.windows)
            focus_by_browser.setdefault(state.browser, []).append(state.focused)
        servers = _granted(rules, state)
        shown += [(entry.tab.title, providers) for entry in state.tabs  # a lobby confirms no meeting title
                  if entry.tab.active and entry.tab.title and (providers := matched.providers(entry, servers))
                  and not any(_lobby(rules, provider, entry, at) for provider in providers)]
        lobbies += [(entry.tab.title, providers) for entry in state.tabs
                    if entry.tab.active and entry.tab.title and entry.tab.lobby
                    and (providers := matched.providers(entry, servers))]
    by_pid: dict[int, Shown] = {pid: shown_titles(tabs, total_windows(windows_by_pid[pid]),
                                                  any_focused(focus_by_pid[pid]), lobbies_by_pid[pid])
                                for pid, tabs in tabs_by_pid.items()}
    by_browser: dict[str, Shown] = {name: shown_titles(tabs, total_windows(windows_by_browser[name]),
                                                       any_focused(focus_by_browser[name]), lobbies_by_browser[name])
                                    for name, tabs in tabs_by_browser.items()}
    return FrontTabs(by_pid, by_browser)


def _tab_observation(provider_id: str, state: StateFile, entry: TabEntry, tab: str, shown: str,
                     at: datetime, lobby: str | None = None) -> Observation:
    info = entry.tab
    state_said = Text.of(N_("in the foreground") if info.active else N_("in the background"))
    for what, on in ((N_("plays sound"), info.audible), (N_("uses the microphone"), info.microphone),
                     (N_("uses the camera"), info.camera)):
        if on:
            state_said = Text.of(N_("{first}, {then}"), first=state_said, then=Text.of(what))
    if lobby is not None:
        state_said = Text.of(N_("{first}, {then}"), first=state_said,
                             then=Text.of(N_("in the lobby, not yet in the meeting") if lobby == "lobby"
                                          else N_("loading, not yet known whether it shows the lobby")))
    said = Text.of(N_("{browser} tab '{title}' ({state})"), browser=shown, title=info.title or info.url,
                   state=state_said)
    return Observation(provider_id, Signal.BROWSER_TAB, state.browser_pid, str(said), at, said=said,
                       meeting=lobby is None,
                       title=info.title or None, url=info.url, tab=tab, active=info.active,
                       audible=bool(info.audible or info.microphone or info.camera))


def _notices(rules: _Matches, provider_id: str, entry: TabEntry, tab: str, shown: str, pid: int | None,
             at: datetime) -> list[Observation]:
    found = []
    for seen in entry.notices:
        features: list[str | None] = [*rules.notice_features(provider_id, seen.text)] or [None]
        for feature_id in features:
            said = Text.of(N_("the meeting page in {browser} showed: '{notice}'"), browser=shown, notice=seen.text)
            found.append(Observation(provider_id, Signal.AI_NOTICE, pid, str(said), seen.at, said=said,
                                     title=entry.tab.title or None, url=entry.tab.url, tab=tab,
                                     feature_id=feature_id, notice=seen.text))
    return found


def _participants(rules: _Matches, entry: TabEntry, tab: str, shown: str, pid: int | None,
                  at: datetime) -> list[Observation]:
    found = []
    for seen in entry.participants:
        for bot_provider in rules.participant_providers(seen.text):
            said = Text.of(N_("'{name}' is among the participants in {browser} tab '{title}'"), name=seen.text,
                           browser=shown, title=entry.tab.title or entry.tab.url)
            found.append(Observation(bot_provider, Signal.PARTICIPANT, pid, str(said), seen.at, said=said,
                                     title=entry.tab.title or None, url=entry.tab.url, tab=tab,
                                     participant=seen.text))
    return found
