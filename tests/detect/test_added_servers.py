"""Servers the user adds in the browser extension's options page (a self-hosted Jitsi Meet or BigBlueButton), as
the app reads them (guard/detect/browser_tabs.py), with the shipped catalog and the state files a real host writes.

The extension tells the host the servers the user granted it (``servers`` in its state message): a tab on such a
host is that service's, known by its title there as on meet.jit.si; a tab the extension claims for a self-hosted
service on any other host is none of its, and so is a server named for a service that is not a self-hosted one.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import psutil

from guard.browser.messages import Server, State, TabInfo, read_servers
from guard.browser.state import BrowserState, save
from guard.catalog import load_catalog
from guard.detect.browser_tabs import BrowserTabs
from guard.detect.candidates import Candidate
from guard.detect.matching import DetectionRules
from guard.detect.sessions import SessionState, advance
from guard.detect.window_titles import WindowTitles
from guard.detect.windows import WindowInfo

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
BROWSER_PID = 4242
CHROMIUM = {BROWSER_PID: Candidate(BROWSER_PID, "chromium", (), True, 1.0)}
RULES = DetectionRules.from_catalog(load_catalog(), "linux")
JITSI = ("https://jitsi.example.test/WeeklyStandup", "WeeklyStandup | Jitsi Meet")  # Conference.tsx's title
# BigBlueButton's HTML5 client, joined "Listen only": '<client title> - <meeting name> - <view>', no microphone
BBB = ("https://bbb.example.test/html5client/join?sessionToken=…",
       "BigBlueButton - Physics 101 - Default presentation view")


def _host(folder, servers: list[dict[str, str]], *tabs: TabInfo) -> None:
    state = BrowserState(browser="chromium", browser_pid=BROWSER_PID, host_pid=os.getpid(),
                         host_started=psutil.Process().create_time(), connected_at=NOW, updated_at=NOW)
    state.apply(State(type="state", tabs=tabs, servers=read_servers(servers)), NOW)
    save(folder, state)


def _tab(room: tuple[str, str], provider: str, tab_id: int = 1, **fields: object) -> TabInfo:
    return TabInfo.model_validate({"id": tab_id, "window": 1, "url": room[0], "title": room[1], "active": True,
                                   "providers": (provider,), **fields})


def _meetings(folder) -> list[str]:
    state, _events = advance(SessionState(), BrowserTabs(folder).observations(RULES, NOW), NOW)
    return sorted(meeting.provider_id for meeting in state.meetings_in_progress)


def test_the_self_hosted_services_are_the_catalogs():
    assert {"jitsi-meet", "bigbluebutton"} <= RULES.self_hosted
    assert "zoom" not in RULES.self_hosted and "google-meet" not in RULES.self_hosted


def test_a_room_on_a_server_the_user_added_is_that_services_meeting(tmp_path):
    _host(tmp_path, [{"host": "jitsi.example.test", "provider": "jitsi-meet"},
                     {"host": "bbb.example.test", "provider": "bigbluebutton"}],
          _tab(JITSI, "jitsi-meet", 1, lobby=False), _tab(BBB, "bigbluebutton", 2, window=2))
    assert _meetings(tmp_path) == ["bigbluebutton", "jitsi-meet"], "a listen-only BigBlueButton tab is a meeting too"


def test_a_tab_claimed_for_a_self_hosted_service_on_a_server_not_added_is_none_of_its_hostile(tmp_path):
    # an extension (changed, or older) claiming a host nobody granted; the same page on a server added for another
    # service; a server named for a service that is not a self-hosted one
    _host(tmp_path, [{"host": "bbb.example.test", "provider": "jitsi-meet"},
                     {"host": "zoom.example.test", "provider": "zoom"}],
          _tab(JITSI, "jitsi-meet", 1, lobby=False), _tab(BBB, "bigbluebutton", 2),
          _tab(("https://zoom.example.test/wc/1/join", "Zoom Meeting"), "zoom", 3))
    assert _meetings(tmp_path) == []


def test_the_window_of_a_room_on_an_added_server_is_confirmed_by_the_extension(tmp_path):
    _host(tmp_path, [{"host": "jitsi.example.test", "provider": "jitsi-meet"}], _tab(JITSI, "jitsi-meet", lobby=False))
    probe = BrowserTabs(tmp_path)
    probe.observations(RULES, NOW)
    titles = WindowTitles(RULES)
    (obs,) = titles.observations([WindowInfo("WeeklyStandup | Jitsi Meet - Chromium", BROWSER_PID, 7)], CHROMIUM,
                                 NOW, probe.fronts)
    assert obs.meeting and obs.confirmed is True, obs.detail


def test_a_server_list_is_read_leniently_one_bad_entry_never_costs_the_others():
    servers = read_servers([{"host": "jitsi.example.test", "provider": "jitsi-meet"}, {"host": "*.example.test",
                            "provider": "jitsi-meet"}, {"host": "jitsi.example.test", "provider": "bigbluebutton"}])
    assert servers.kept == (Server(host="jitsi.example.test", provider="jitsi-meet"),) and servers.refused == 2
    assert read_servers({"host": "jitsi.example.test"}).refused == 1
