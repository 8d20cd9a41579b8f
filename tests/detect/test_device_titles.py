"""A self-hosted service's call window in a browser (guard/detect/device_titles.py), with plain values.

Mattermost's Calls plugin titles its pop-out "Call - <channel>" on the team's own server, which the
browser extension cannot see, and any page could carry that title. It counts only while the browser
holds the microphone or camera and no other web meeting seen in that browser explains it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from guard.catalog import load_catalog
from guard.detect.device_titles import DeviceWindow, corroborated
from guard.detect.matching import DetectionRules
from guard.events import Signal

AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
RULES = DetectionRules.from_catalog(load_catalog(), "linux")
POP_OUT = DeviceWindow("mattermost", 100, 100, "chromium", "Call - Town Square - Chromium", "4194305")


def test_the_shipped_catalog_knows_mattermosts_pop_out_in_every_browser():
    assert RULES.match_device_window("Call - Town Square - Chromium", "chromium") == ["mattermost"]
    assert RULES.match_device_window("Call - Jane Doe \u2014 Mozilla Firefox", "firefox") == ["mattermost"]
    assert RULES.match_device_window("Call - Town Square - Google Chrome", "chrome") == ["mattermost"]
    assert RULES.match_device_window("Town Square - Community Mattermost - Chromium", "chromium") == []
    assert RULES.match_browser_window("Call - Town Square - Chromium", "chromium") == [], \
        "not a meeting title on its own"


def test_a_call_window_counts_while_its_browser_holds_the_microphone():
    (obs,) = corroborated([POP_OUT], holding={100}, explained={}, at=AT)
    assert (obs.provider_id, obs.signal, obs.pid, obs.meeting, obs.confirmed) == (
        "mattermost", Signal.WINDOW_TITLE, 100, True, False)
    assert obs.title == "Call - Town Square - Chromium" and obs.window == "4194305"
    assert "uses the microphone or camera" in obs.detail and "unconfirmed" in obs.detail


def test_a_page_titled_call_is_no_meeting_while_the_browser_holds_no_device():
    assert corroborated([POP_OUT], holding=set(), explained={}, at=AT) == []
    assert corroborated([POP_OUT], holding={200}, explained={}, at=AT) == [], "another browser's microphone"


def test_a_microphone_another_web_meeting_explains_does_not_count_for_it():
    assert corroborated([POP_OUT], holding={100}, explained={100: {"google-meet"}}, at=AT) == []
    assert corroborated([POP_OUT], holding={100}, explained={100: {"mattermost"}}, at=AT), \
        "its own call, held last pass, is no other meeting"
    assert corroborated([POP_OUT], holding={100}, explained={200: {"google-meet"}}, at=AT), \
        "a meeting in another browser explains nothing here"


def test_one_window_gives_one_observation():
    assert len(corroborated([POP_OUT, POP_OUT], holding={100}, explained={}, at=AT)) == 1


def test_a_window_whose_title_already_counts_is_not_counted_twice():
    """A Jitsi room the extension confirmed (meet.jit.si) is a meeting by its title already: holding the
    microphone adds no second, unconfirmed title to it."""
    room = DeviceWindow("jitsi-meet", 100, 100, "chromium", "Standup | Jitsi Meet - Chromium", "4194306")
    assert corroborated([room], holding={100}, explained={}, at=AT, counted={("jitsi-meet", "4194306")}) == []
    assert corroborated([room], holding={100}, explained={}, at=AT, counted={("jitsi-meet", "99")})


def test_a_jitsi_window_is_no_call_while_the_extension_shows_its_lobby_in_that_browser():
    """Jitsi's pre-join screen holds the camera for its preview under the room's own title: a lobby the
    extension sees in the same browser explains the devices, so the title does not count as a call."""
    room = DeviceWindow("jitsi-meet", 100, 100, "chromium", "Standup | Jitsi Meet - Chromium", "4194306")
    assert corroborated([room], holding={100}, explained={100: {"jitsi-meet"}}, at=AT,
                        lobbies={100: {"jitsi-meet"}}) == []
    assert corroborated([room], holding={100}, explained={200: {"jitsi-meet"}}, at=AT,
                        lobbies={200: {"jitsi-meet"}}), "a lobby in another browser explains nothing here"
    assert corroborated([POP_OUT], holding={100}, explained={100: {"jitsi-meet"}}, at=AT,
                        lobbies={100: {"jitsi-meet"}}) == [], "the lobby's camera is no Mattermost call"
