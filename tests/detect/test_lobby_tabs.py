"""A web meeting app's lobby, as the browser extension sees it (guard/detect/browser_tabs.py), with the
shipped catalog and the state files a real host writes.

Jitsi Meet and LiveKit Meet show their pre-join screen at the meeting's own link and under its own title,
with the camera preview on: neither the link, the title nor the devices tell it from the call. The
extension finds the element the app's source renders only there (the catalog's ``lobby_selectors``) and
says so; such a tab is the app open, not a meeting, until the participant joins.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import psutil
import pytest

from guard.browser.messages import State, TabChanged, TabInfo
from guard.browser.state import BrowserState, remove, save
from guard.catalog import load_catalog
from guard.detect.browser_tabs import LOBBY_WAIT, BrowserTabs
from guard.detect.candidates import Candidate
from guard.detect.matching import DetectionRules
from guard.detect.sessions import SessionState, advance, set_aside
from guard.detect.window_titles import WindowTitles
from guard.detect.windows import WindowInfo
from guard.events import MeetingEnded, MeetingStarted, Signal

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
BROWSER_PID = 4242
CHROMIUM = {BROWSER_PID: Candidate(BROWSER_PID, "chromium", (), True, 1.0)}
RULES = DetectionRules.from_catalog(load_catalog(), "linux")
ROOMS = {
    "jitsi-meet": ("https://meet.jit.si/WeeklyStandup", "WeeklyStandup | Jitsi Meet"),
    "livekit-meet": ("https://meet.livekit.io/rooms/et5r-y80t",
                     "LiveKit Meet | Conference app build with LiveKit open source"),
}


def _host(folder, *tabs: TabInfo) -> BrowserState:
    state = BrowserState(browser="chromium", browser_pid=BROWSER_PID, host_pid=os.getpid(),
                         host_started=psutil.Process().create_time(), connected_at=NOW, updated_at=NOW)
    state.apply(State(type="state", tabs=tabs), NOW)
    save(folder, state)
    return state


def _tab(provider: str, lobby: bool) -> TabInfo:
    url, title = ROOMS[provider]
    return TabInfo(id=1, window=1, url=url, title=title, active=True, lobby=lobby, providers=(provider,),
                   microphone=True, camera=True)


def test_the_shipped_catalog_names_the_lobby_screens_from_the_apps_source():
    by_id = {provider.id: provider for provider in load_catalog()}
    assert by_id["jitsi-meet"].detect.web.lobby_selectors == (".premeeting-screen",)
    assert by_id["livekit-meet"].detect.web.lobby_selectors == (".lk-prejoin",)
    for provider_id in ROOMS:
        assert any("premeeting-screen" in source.title or "lk-prejoin" in source.title
                   for source in by_id[provider_id].detect.sources), provider_id


@pytest.mark.parametrize("provider", sorted(ROOMS))
def test_a_tab_showing_its_lobby_is_the_app_open_and_no_meeting(tmp_path, provider):
    probe = BrowserTabs(tmp_path)
    _host(tmp_path, _tab(provider, lobby=True))
    (obs,) = [obs for obs in probe.observations(RULES, NOW) if obs.signal == Signal.BROWSER_TAB]
    assert (obs.provider_id, obs.meeting, obs.closed) == (provider, False, False)
    assert "lobby" in obs.detail and "uses the camera" in obs.detail, obs.detail
    state, events = advance(SessionState(), [obs], NOW)
    assert state.meetings_in_progress == () and not any(isinstance(event, MeetingStarted) for event in events)
    (app,) = state.running_apps
    assert app.provider_id == provider and "lobby" in app.evidence[0].detail


def test_the_lobbys_title_in_a_browser_window_is_set_aside_not_confirmed(tmp_path):
    probe = BrowserTabs(tmp_path)
    _host(tmp_path, _tab("jitsi-meet", lobby=True))
    probe.observations(RULES, NOW)
    (obs,) = WindowTitles(RULES).observations([WindowInfo("WeeklyStandup | Jitsi Meet - Chromium", BROWSER_PID, 7)],
                                              CHROMIUM, NOW, fronts=probe.fronts)
    assert obs.provider_id == "jitsi-meet" and not obs.meeting and set_aside(obs)
    assert "the browser extension shows it in its lobby" in obs.detail, obs.detail


def test_joining_starts_the_meeting_and_going_back_to_the_lobby_ends_it(tmp_path):
    probe = BrowserTabs(tmp_path)
    host = _host(tmp_path, _tab("jitsi-meet", lobby=True))
    state, _ = advance(SessionState(), probe.observations(RULES, NOW), NOW)
    assert state.meetings_in_progress == ()

    joined = NOW + timedelta(seconds=5)
    host.apply(TabChanged(type="tab", event="updated", tab=_tab("jitsi-meet", lobby=False)), joined)
    save(tmp_path, host)
    state, events = advance(state, probe.observations(RULES, joined), joined)
    (meeting,) = state.meetings_in_progress
    assert meeting.provider_id == "jitsi-meet" and any(isinstance(event, MeetingStarted) for event in events)

    left = joined + timedelta(seconds=5)
    host.apply(TabChanged(type="tab", event="updated", tab=_tab("jitsi-meet", lobby=True)), left)
    save(tmp_path, host)
    state, events = advance(state, probe.observations(RULES, left), left)
    assert state.meetings_in_progress == () and any(isinstance(event, MeetingEnded) for event in events)


def _unsaid(provider: str) -> TabInfo:
    url, title = ROOMS[provider]
    return TabInfo(id=1, window=1, url=url, title=title, active=True, providers=(provider,))


def test_a_new_tab_whose_page_has_not_said_whether_it_shows_its_lobby_waits_then_counts(tmp_path):
    """The page loads before its content script looks: a tick then must not start a meeting that the lobby
    ends a moment later. An extension too old to tell never says: after LOBBY_WAIT the tab counts as before."""
    probe = BrowserTabs(tmp_path)
    _host(tmp_path, _unsaid("jitsi-meet"))
    (obs,) = [obs for obs in probe.observations(RULES, NOW) if obs.signal == Signal.BROWSER_TAB]
    assert not obs.meeting and "not yet known whether it shows the lobby" in obs.detail, obs.detail
    state, _ = advance(SessionState(), [obs], NOW)
    assert state.meetings_in_progress == ()
    later = NOW + LOBBY_WAIT + timedelta(seconds=1)
    (obs,) = [obs for obs in probe.observations(RULES, later) if obs.signal == Signal.BROWSER_TAB]
    assert obs.meeting and "lobby" not in obs.detail


def test_a_service_without_a_lobby_screen_counts_at_once():
    assert "whereby" not in RULES.lobby_screens and "jitsi-meet" in RULES.lobby_screens


def test_a_lobby_flag_on_a_service_with_no_lobby_screen_never_hides_its_meeting_hostile(tmp_path):
    """The extension looks for a lobby only on services whose catalog names one; a flag on any
    other (a tampered or buggy sender) must not turn a meeting into "the app open"."""
    probe = BrowserTabs(tmp_path)
    assert "whereby" not in RULES.lobby_screens
    tab = TabInfo(id=1, window=1, url="https://whereby.com/team-standup", title="team-standup | Whereby",
                  active=True, lobby=True, providers=("whereby",), microphone=True, camera=True)
    _host(tmp_path, tab)
    observed = [obs for obs in probe.observations(RULES, NOW) if obs.signal == Signal.BROWSER_TAB]
    assert observed and all("lobby" not in obs.detail for obs in observed), [obs.detail for obs in observed]
    assert any(obs.meeting for obs in observed), [obs.detail for obs in observed]


def _restarted_host(folder, browser_pid: int, at: datetime, *tabs: TabInfo) -> BrowserState:
    state = BrowserState(browser="chromium", browser_pid=browser_pid, host_pid=os.getpid(),
                         host_started=psutil.Process().create_time(), connected_at=at, updated_at=at)
    state.apply(State(type="state", tabs=tabs), at)
    save(folder, state)
    return state


# Audit 15: the restarted background's first tab list says nothing of lobbies (it asks the pages again), so its host
# listed the held meeting tab as a new tab whose page has not said yet: not a meeting, and the hold closed it.
def test_a_meeting_tab_listed_again_after_a_background_restart_stays_its_meeting_until_its_page_says(tmp_path):
    """The extension's background restarts (its host goes with it, the browser runs on): the new background lists the
    tabs at once and only then asks their pages whether they show their lobby. Until the page answers, the meeting
    tab is still held: its meeting neither ends nor starts again. A page that answers 'lobby' closes it."""
    browser = os.getpid()  # a process that runs, as the browser does
    probe = BrowserTabs(tmp_path)
    first = _restarted_host(tmp_path, browser, NOW, _tab("jitsi-meet", lobby=False))
    state, events = advance(SessionState(), probe.observations(RULES, NOW), NOW)
    (meeting,) = state.meetings_in_progress

    went = NOW + timedelta(seconds=2)
    remove(tmp_path, first)  # the host exits with the background script and removes its file
    state, events = advance(state, probe.observations(RULES, went), went)
    assert [m.id for m in state.meetings_in_progress] == [meeting.id]

    back = went + timedelta(seconds=1)
    host = _restarted_host(tmp_path, browser, back, _unsaid("jitsi-meet"))
    observed = probe.observations(RULES, back)
    assert not any(obs.closed for obs in observed), observed
    state, events = advance(state, observed, back)
    assert [m.id for m in state.meetings_in_progress] == [meeting.id], events
    assert events == [], "no meeting ends or starts, and no app opens in a lobby beside it"

    said = back + timedelta(seconds=1)
    host.apply(TabChanged(type="tab", event="updated", tab=_tab("jitsi-meet", lobby=False)), said)
    save(tmp_path, host)
    state, events = advance(state, probe.observations(RULES, said), said)
    assert [m.id for m in state.meetings_in_progress] == [meeting.id] and events == [], events

    remove(tmp_path, host)
    again = said + timedelta(seconds=1)
    state, events = advance(state, probe.observations(RULES, again), again)
    lobby = again + timedelta(seconds=1)
    host = _restarted_host(tmp_path, browser, lobby, _unsaid("jitsi-meet"))
    state, events = advance(state, probe.observations(RULES, lobby), lobby)
    assert [m.id for m in state.meetings_in_progress] == [meeting.id], events
    answered = lobby + timedelta(seconds=1)
    host.apply(TabChanged(type="tab", event="updated", tab=_tab("jitsi-meet", lobby=True)), answered)
    save(tmp_path, host)
    state, events = advance(state, probe.observations(RULES, answered), answered)
    assert state.meetings_in_progress == () and any(isinstance(event, MeetingEnded) for event in events), events
