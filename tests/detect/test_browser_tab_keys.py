"""A meeting tab's identity (``tab:<browser>/<id>``) stays the same while other browser hosts come and go.

Audit 13: the label was ``chromium`` while one Chromium host ran and ``chromium#<pid>`` once a second one did
(another profile's browser, or the same browser's host restarted with its extension's background script, the
old one not gone yet), so every meeting tab of the first changed identity: the probe reported it closed, its
meeting ended at once and started again, and its AI notices were asked about again."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import psutil
import pytest

from guard.browser.messages import State, TabInfo
from guard.browser.state import BrowserState, save
from guard.catalog import load_catalog
from guard.detect.browser_tabs import BrowserTabs
from guard.detect.matching import DetectionRules
from guard.detect.sessions import SessionState, advance
from guard.events import MeetingEnded, MeetingStarted, Signal

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
RULES = DetectionRules.from_catalog(load_catalog(), "linux")
MEET = TabInfo(id=7, window=1, url="https://meet.google.com/abc-defg-hij", title="Meet - abc-defg-hij", active=True,
               lobby=False, providers=("google-meet",))


@pytest.fixture
def other_host():
    """A second host process (a state file is read only while the host that wrote it runs)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"])
    yield process
    process.kill()
    process.wait()


def _host(folder, browser_pid: int, host: psutil.Process, *tabs: TabInfo) -> None:
    state = BrowserState(browser="chromium", browser_pid=browser_pid, host_pid=host.pid,
                         host_started=host.create_time(), connected_at=NOW, updated_at=NOW)
    state.apply(State(type="state", tabs=tabs), NOW)
    save(folder, state)


@pytest.mark.parametrize("second", ["another browser instance", "the same browser's new host"])
def test_a_meeting_tab_keeps_its_identity_when_another_host_connects(tmp_path, other_host, second):
    probe = BrowserTabs(tmp_path)
    _host(tmp_path, 4242, psutil.Process(), MEET)
    state, first = advance(SessionState(), probe.observations(RULES, NOW), NOW)
    (started,) = [e for e in first if isinstance(e, MeetingStarted)]
    assert started.meeting.tab == "chromium/7"
    _host(tmp_path, 5151 if second == "another browser instance" else 4242, psutil.Process(other_host.pid))
    for tick in range(1, 4):
        observations = probe.observations(RULES, NOW)
        tabs = [obs for obs in observations if obs.signal == Signal.BROWSER_TAB]
        assert [(obs.tab, obs.closed) for obs in tabs] == [("chromium/7", False)], tick
        state, events = advance(state, observations, NOW)
        assert not [e for e in events if isinstance(e, (MeetingEnded, MeetingStarted))], tick
    assert os.path.isdir(tmp_path)


# Audit 15: the label was dropped as soon as its host went, though its browser ran on and its tabs were held.
def test_another_browser_connecting_while_a_tab_is_held_takes_none_of_its_identity(tmp_path, other_host):
    """A browser's extension restarts its background (its host goes, the browser runs on, its meeting tab is held);
    meanwhile another browser instance connects with a tab of the same id in another meeting. That tab is another
    meeting, never the held one: the held meeting's decision must not land on it. When the first browser's new host
    lists its tab again, it is the same meeting as before."""
    first = psutil.Process()  # runs, as the first browser does
    probe = BrowserTabs(tmp_path)
    _host(tmp_path, first.pid, first, MEET)
    state, events = advance(SessionState(), probe.observations(RULES, NOW), NOW)
    (held,) = state.meetings_in_progress
    assert held.tab == "chromium/7"
    for path in tmp_path.iterdir():
        path.unlink()  # the first browser's host exits with its background script
    state, events = advance(state, probe.observations(RULES, NOW), NOW)
    assert [m.id for m in state.meetings_in_progress] == [held.id]

    other = TabInfo(id=7, window=1, url="https://meet.google.com/xyz-wxyz-xyz", title="Meet - xyz-wxyz-xyz",
                    active=True, lobby=False, providers=("google-meet",))
    second = psutil.Process(other_host.pid)
    _host(tmp_path, second.pid, second, other)
    observations = probe.observations(RULES, NOW)
    tabs = {obs.url: obs.tab for obs in observations if obs.signal == Signal.BROWSER_TAB}
    assert tabs[other.url] != "chromium/7", tabs
    state, events = advance(state, observations, NOW)
    assert not [e for e in events if isinstance(e, MeetingEnded)], events
    assert held.id in [m.id for m in state.meetings_in_progress]

    _host(tmp_path, first.pid, first, MEET)  # the restarted background's host lists the tab again
    observations = probe.observations(RULES, NOW)
    assert {obs.url: obs.tab for obs in observations if obs.signal == Signal.BROWSER_TAB}[MEET.url] == "chromium/7"
    state, events = advance(state, observations, NOW)
    assert not [e for e in events if isinstance(e, MeetingEnded)], events
    assert sorted(m.tab for m in state.meetings_in_progress) == sorted(["chromium/7", tabs[other.url]])
