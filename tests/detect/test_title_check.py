"""A browser window's meeting title, checked against what the browser extension shows in front
(guard/detect/title_check.py, guard/detect/window_titles.py), with plain values and the state files a
real host writes.

Any page can set its title to "Zoom Meeting" or "Meet – abc-defg-hij", and its browser window then
carries it. With the extension connected, such a window is no meeting unless the extension's active tab
of that browser is a meeting tab so titled; without it, the title still counts, marked unconfirmed.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import psutil
import pytest

from guard.browser.messages import State, TabChanged, TabInfo, Windows
from guard.browser.state import BrowserState, save
from guard.detect.browser_tabs import BrowserTabs
from guard.detect.candidates import Candidate
from guard.detect.matching import DetectionRules
from guard.detect.sessions import SessionState, advance
from guard.detect.title_check import FrontTabs, shown_titles
from guard.detect.window_titles import WindowTitles
from guard.detect.windows import WindowInfo
from guard.events import Signal
from tests.detect.world import provider_toml, write_catalog

NOW = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
BROWSER_PID = 4242
CHROMIUM = {BROWSER_PID: Candidate(BROWSER_PID, "chromium", (), True, 1.0)}
ZOOM_TAB = "https://app.zoom.us/wc/81234567890/join"
MEET_TAB = "https://meet.google.com/abc-defg-hij"


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalog")
    return DetectionRules.from_catalog(write_catalog(folder, {
        "zoom": provider_toml("zoom", "Zoom", "meeting-client", processes=["zoom"],
                              window_titles=[r"^Zoom Workplace$"],
                              url_patterns=[r"^https://(?:[a-z0-9-]+\.)?zoom\.us/wc/\d{9,11}/join"],
                              web_titles=[r"^Zoom Meeting$"]),
        "google-meet": provider_toml("google-meet", "Google Meet", "browser-meeting",
                                     url_patterns=[r"^https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}"],
                                     web_titles=[r"^Meet - [a-z]{3}-[a-z]{4}-[a-z]{3}$"]),
    }), "linux")


def window(title: str, window_id: int = 7) -> WindowInfo:
    return WindowInfo(title, BROWSER_PID, window_id)


def fronts(*tabs: tuple[str, list[str]], pid: int = BROWSER_PID) -> FrontTabs:
    return FrontTabs({pid: shown_titles(tabs)}, {})


def test_without_the_extension_a_meeting_title_counts_but_is_marked_unconfirmed(rules):
    (obs,) = WindowTitles(rules).observations([window("Zoom Meeting - Chromium")], CHROMIUM, NOW, fronts=None)
    assert (obs.provider_id, obs.meeting, obs.confirmed) == ("zoom", True, False)
    assert obs.detail == ("chromium (pid 4242) shows a meeting titled 'Zoom Meeting - Chromium' "
                          "(unconfirmed: no browser extension connected)")
    assert obs.evidence().confirmed is False
    _state, events = advance(SessionState(), [obs], NOW)
    (started,) = [e for e in events if e.kind == "meeting-started"]
    assert started.meeting.evidence[0].confirmed is False, "the meeting's evidence says it is weaker"
    # Another browser's extension says nothing about this one: still unconfirmed, still a meeting.
    (other,) = WindowTitles(rules).observations([window("Zoom Meeting - Chromium")], CHROMIUM, NOW,
                                                fronts=fronts(pid=999))
    assert (other.meeting, other.confirmed) == (True, False)


def test_a_page_titled_like_a_meeting_is_no_meeting_once_the_extension_shows_another_tab(rules):
    """The extension is connected for this browser and its windows' active tabs are no meeting (nothing in
    front, or a real meeting titled otherwise): the window is neither a meeting nor Zoom running."""
    for shown in (fronts(), fronts(("Meet – abc-defg-hij", ["google-meet"]))):
        (obs,) = WindowTitles(rules).observations([window("Zoom Meeting - Chromium")], CHROMIUM, NOW, fronts=shown)
        assert (obs.signal, obs.provider_id, obs.meeting, obs.confirmed, obs.title) == (
            Signal.WINDOW_TITLE, "zoom", False, False, None)
        assert obs.detail == ("chromium (pid 4242) shows a page titled 'Zoom Meeting - Chromium': no meeting, "
                              "title not confirmed by the browser extension")
        state, events = advance(SessionState(), [obs], NOW)
        assert events == [] and state.running_apps == () and state.meetings_in_progress == ()


def test_a_title_the_extension_shows_in_front_is_a_confirmed_meeting(rules):
    shown = fronts(("Zoom Meeting", ["zoom"]), ("Meet – abc-defg-hij", ["google-meet"]))
    found = WindowTitles(rules).observations(
        [window("Zoom Meeting - Chromium", 1), window("Meet \u2013 abc-defg-hij - Chromium", 2)], CHROMIUM, NOW,
        fronts=shown, root=lambda pid: pid)
    assert [(o.provider_id, o.meeting, o.confirmed) for o in found] == [("zoom", True, True),
                                                                      ("google-meet", True, True)]
    assert found[0].detail == "chromium (pid 4242) shows a meeting titled 'Zoom Meeting - Chromium'"


def test_the_same_title_for_another_provider_is_not_confirmed(rules):
    """A meeting tab of one service titled like another's meeting confirms only its own service."""
    (obs,) = WindowTitles(rules).observations([window("Zoom Meeting - Chromium")], CHROMIUM, NOW,
                                              fronts=fronts(("Zoom Meeting", ["google-meet"])))
    assert (obs.meeting, obs.confirmed) == (False, False)


def test_the_browsers_main_process_stands_for_its_windows(rules):
    """A window owned by a browser's helper process is checked against its instance's main process."""
    helper = {**CHROMIUM, 5000: Candidate(5000, "chromium", (), True, 2.0)}
    (obs,) = WindowTitles(rules).observations([WindowInfo("Zoom Meeting - Chromium", 5000, 3)], helper, NOW,
                                              fronts=fronts(), root=lambda pid: BROWSER_PID)
    assert (obs.meeting, obs.confirmed) == (False, False)


def test_a_title_the_host_cut_is_matched_by_what_is_left():
    """The host keeps 300 characters of a tab's title, ending in an ellipsis; the window has it whole."""
    from guard.browser.text import neutral_text

    long_title = "Meet - abc-defg-hij" + " x" * 200
    shown = fronts((neutral_text(long_title, 300), ["google-meet"])).by_pid[BROWSER_PID]
    assert shown.confirms("google-meet", [long_title])
    assert not shown.confirms("google-meet", ["Meet - abc-defg-hik" + " x" * 200])


def test_desktop_clients_windows_are_unchanged(rules):
    """A client's own window (not a browser) is neither confirmed nor refuted by the extension."""
    client = {77: Candidate(77, "zoom", tuple(rules.match_process("zoom")), False, 1.0)}
    (obs,) = WindowTitles(rules).observations([WindowInfo("Zoom Workplace", 77, 9)], client, NOW, fronts=fronts())
    assert (obs.provider_id, obs.meeting, obs.confirmed) == ("zoom", False, None)
    state, _events = advance(SessionState(), [obs], NOW)
    assert [app.provider_id for app in state.running_apps] == ["zoom"], "a client's own window shows it runs"


def _host_state(folder, browser_pid, *messages):
    state = BrowserState(browser="chromium", browser_pid=browser_pid, host_pid=os.getpid(),
                         host_started=psutil.Process().create_time(), connected_at=NOW, updated_at=NOW)
    for message in messages:
        state.apply(message, NOW)
    save(folder, state)
    return state


def test_the_probe_reads_what_each_connected_browser_shows_in_front(tmp_path, rules):
    """From the host's state file: a browser counts as connected once the extension sent its full tab
    list; its active meeting tabs (by the app's own patterns) are what it shows in front."""
    probe = BrowserTabs(tmp_path)
    state = _host_state(tmp_path, BROWSER_PID)
    probe.observations(rules, NOW)
    assert probe.fronts.shown_by([BROWSER_PID], ["chromium"]) is None, "connected, but no tab list yet"

    front = TabInfo(id=1, window=1, url=ZOOM_TAB, title="Zoom Meeting", active=True, providers=("zoom",))
    behind = TabInfo(id=2, window=1, url=MEET_TAB, title="Meet – abc-defg-hij", active=False,
                     providers=("google-meet",))
    state.apply(State(type="state", tabs=(front, behind)), NOW)
    save(tmp_path, state)
    probe.observations(rules, NOW)
    shown = probe.fronts.shown_by([BROWSER_PID], ["chromium"])
    assert shown is not None and shown.confirms("zoom", ["Zoom Meeting"])
    assert not shown.confirms("google-meet", ["Meet - abc-defg-hij"]), "a background tab is not in front"

    # A tab the app's own patterns do not call Zoom's meeting (another service's page titled like one,
    # whatever the extension claimed) confirms nothing.
    elsewhere = TabInfo(id=1, window=1, url="https://app.slack.com/client/T1/C2", title="Zoom Meeting",
                        active=True, providers=("slack",))
    state.apply(TabChanged(type="tab", event="updated", tab=elsewhere), NOW)
    save(tmp_path, state)
    probe.observations(rules, NOW)
    now_front = probe.fronts.shown_by([BROWSER_PID], [])
    assert now_front is not None and not now_front.confirms("zoom", ["Zoom Meeting"])


def test_a_host_that_found_no_browser_process_speaks_for_its_browser_by_name(tmp_path, rules):
    probe = BrowserTabs(tmp_path)
    _host_state(tmp_path, None, State(type="state", tabs=()))
    probe.observations(rules, NOW)
    assert probe.fronts.shown_by([BROWSER_PID], ["chromium"]) is not None
    assert probe.fronts.shown_by([BROWSER_PID], ["firefox"]) is None


def test_a_state_file_claiming_to_be_synced_is_read_strictly(tmp_path, rules):
    """The file is read through the same strict schema as ever: ``"synced": "yes"`` is no boolean, and the
    file is ignored (no extension connected) rather than trusted."""
    state = _host_state(tmp_path, BROWSER_PID, State(type="state", tabs=()))
    (path,) = tmp_path.glob("*.json")
    path.write_text(path.read_text().replace('"synced":true', '"synced":"yes"'))
    probe = BrowserTabs(tmp_path)
    probe.observations(rules, NOW)
    assert probe.fronts.shown_by([BROWSER_PID], ["chromium"]) is None
    assert state.synced


def test_a_firefox_private_window_is_left_unconfirmed_not_refuted(rules):
    """The extension does not run in private windows, so it cannot confirm a meeting there; Firefox marks
    them in the title (browsers.toml's private_title_suffixes) and such a title still counts, weaker."""
    firefox = {BROWSER_PID: Candidate(BROWSER_PID, "firefox-esr", (), True, 1.0)}
    titles = WindowTitles(rules)
    private, normal = titles.observations(
        [window("Meet \u2013 abc-defg-hij \u2014 Mozilla Firefox Private Browsing", 1),
         window("Meet \u2013 abc-defg-hij \u2014 Mozilla Firefox", 2)], firefox, NOW, fronts=fronts())
    assert (private.meeting, private.confirmed) == (True, False)
    assert private.detail.endswith("(unconfirmed: a private window, which the browser extension does not see)")
    assert (normal.meeting, normal.confirmed) == (False, False), "a normal window the extension sees is checked"


@pytest.mark.parametrize("suffix", [
    " \u2013 Mozilla Firefox Privater Modus",  # de
    " - Mozilla Firefox (Navigation priv\u00e9e)",  # fr
    " \u2014 Mozilla Firefox \u2014 tryb prywatny",  # pl
])
def test_a_private_window_in_another_language_is_left_unconfirmed_not_refuted(rules, suffix):
    """Firefox's localisation files put their own words after the brand in a private window's title
    (tests/detect/real_titles_l10n.toml); a meeting shown there is not refuted by the extension's silence."""
    firefox = {BROWSER_PID: Candidate(BROWSER_PID, "firefox", (), True, 1.0)}
    (private,) = WindowTitles(rules).observations([window("Meet \u2013 abc-defg-hij" + suffix, 1)], firefox, NOW,
                                                   fronts=fronts())
    assert (private.meeting, private.confirmed) == (True, False)
    assert private.detail.endswith("(unconfirmed: a private window, which the browser extension does not see)")


def test_a_page_that_writes_a_private_suffix_into_its_own_title_is_still_checked(rules):
    firefox = {BROWSER_PID: Candidate(BROWSER_PID, "firefox", (), True, 1.0)}
    (spoof,) = WindowTitles(rules).observations(
        [window("Meet - abc-defg-hij \u2014 Mozilla Firefox \u2014 Mozilla Firefox", 1)], firefox, NOW, fronts=fronts())
    assert (spoof.meeting, spoof.confirmed) == (False, False), "the browser's own suffix comes last: a normal window"


def seen(count: int | None, *tabs: tuple[str, list[str]]) -> FrontTabs:
    """The extension connected for the browser, seeing ``count`` of its windows (None: it did not say)."""
    return FrontTabs({BROWSER_PID: shown_titles(tabs, count)}, {})


UNSEEN = "(unconfirmed: the browser has windows the browser extension does not see, such as incognito ones)"


def test_a_meeting_in_a_window_the_extension_does_not_see_is_left_unconfirmed_not_refuted(rules):
    """Chromium titles an incognito window like a normal one ("Zoom Meeting - Chromium", checked with
    Chromium 156 under X11: same suffix, class and role), and the extension does not run there. When the
    browser shows more tab windows than the extension says it sees, a meeting title it does not show
    still counts, weaker; when it sees them all, the title is refuted as before."""
    windows = [window("Zoom Meeting - Chromium", 1), window("New Tab - Chromium", 2)]
    (hidden,) = WindowTitles(rules).observations(windows, CHROMIUM, NOW, fronts=seen(1))
    assert (hidden.provider_id, hidden.meeting, hidden.confirmed) == ("zoom", True, False)
    assert hidden.detail.endswith(UNSEEN)
    _state, events = advance(SessionState(), [hidden], NOW)
    assert [e.kind for e in events if e.kind == "meeting-started"] == ["meeting-started"]
    (spoof,) = WindowTitles(rules).observations(windows, CHROMIUM, NOW, fronts=seen(2))
    assert (spoof.meeting, spoof.confirmed) == (False, False), "every window seen: the spoof stays refuted"
    (shown,) = WindowTitles(rules).observations(windows, CHROMIUM, NOW,
                                                fronts=seen(1, ("Zoom Meeting", ["zoom"])))
    assert (shown.meeting, shown.confirmed) == (True, True), "a title the extension shows is confirmed"


def focus(count: int, focused: bool | None) -> FrontTabs:
    """The extension sees ``count`` windows and says whether the focused window is one of them."""
    return FrontTabs({BROWSER_PID: shown_titles((), count, focused)}, {})


def test_a_spoof_in_the_focused_window_the_extension_sees_is_refuted_though_an_incognito_window_is_open(rules):
    """With an incognito window open the browser shows more windows than the extension sees, so a meeting title
    it does not show could be in the incognito one. The window with the focus, while the extension says the
    focused window is one it sees, is no incognito window: a spoofed title there is refuted."""
    spoof, incognito = window("Zoom Meeting - Chromium", 1), window("New Tab - Chromium", 2)
    (obs,) = WindowTitles(rules).observations([spoof._replace(active=True), incognito], CHROMIUM, NOW,
                                              fronts=focus(1, True))
    assert (obs.meeting, obs.confirmed) == (False, False)
    assert obs.detail.endswith("not confirmed by the browser extension")
    (obs,) = WindowTitles(rules).observations([spoof._replace(active=True), incognito], CHROMIUM, NOW,
                                              fronts=focus(1, None))
    assert (obs.meeting, obs.confirmed) == (True, False), "an extension that did not say where the focus is"


def test_a_window_known_as_seen_stays_so_once_the_focus_moves_on(rules):
    """Two passes with the focus on a window the extension says it sees settle that window as seen for as long as
    it exists (its profile cannot change); one pass only counts for that pass (the focus may have just moved)."""
    titles = WindowTitles(rules)
    spoof, other = window("Zoom Meeting - Chromium", 1), window("New Tab - Chromium", 2)
    for _ in range(2):
        titles.observations([spoof._replace(active=True), other], CHROMIUM, NOW, fronts=focus(1, True))
    (obs,) = titles.observations([spoof, other._replace(active=True)], CHROMIUM, NOW, fronts=focus(1, False))
    assert (obs.meeting, obs.confirmed) == (False, False), "focus on the incognito window now: the spoof stays refuted"
    once = WindowTitles(rules)
    once.observations([spoof._replace(active=True), other], CHROMIUM, NOW, fronts=focus(1, True))
    (obs,) = once.observations([spoof, other._replace(active=True)], CHROMIUM, NOW, fronts=focus(1, False))
    assert (obs.meeting, obs.confirmed) == (True, False) and obs.detail.endswith(UNSEEN)


def test_a_meeting_in_the_focused_incognito_window_still_counts_unconfirmed(rules):
    """The extension says no window it sees has the focus while the incognito window has it: that window's
    meeting title is left unconfirmed, not refuted, however long it keeps the focus."""
    titles = WindowTitles(rules)
    meeting, normal = window("Zoom Meeting - Chromium", 1), window("New Tab - Chromium", 2)
    for _ in range(3):
        (obs,) = titles.observations([meeting._replace(active=True), normal], CHROMIUM, NOW, fronts=focus(1, False))
        assert (obs.meeting, obs.confirmed) == (True, False) and obs.detail.endswith(UNSEEN)


def test_an_extension_that_did_not_say_what_it_sees_still_refutes(rules):
    windows = [window("Zoom Meeting - Chromium", 1), window("New Tab - Chromium", 2)]
    (obs,) = WindowTitles(rules).observations(windows, CHROMIUM, NOW, fronts=seen(None))
    assert (obs.meeting, obs.confirmed) == (False, False)


def test_a_window_without_the_browsers_suffix_does_not_make_a_spoof_count(rules):
    """A page's picture-in-picture window (no " - Chromium") or another process's window is no tab window
    the extension could have missed: a spoofed title stays refuted."""
    other = Candidate(999, "chromium", (), True, 1.0)
    windows = [window("Zoom Meeting - Chromium", 1), window("Picture in picture", 2),
               WindowInfo("New Tab - Chromium", 999, 3)]
    (spoof,) = WindowTitles(rules).observations(windows, {**CHROMIUM, 999: other}, NOW, fronts=seen(1))
    assert (spoof.meeting, spoof.confirmed) == (False, False)


def test_windows_of_one_instance_are_counted_by_its_main_process(rules):
    """Windows are counted per browser instance (the root of their processes), as the extension counts."""
    child = Candidate(4343, "chromium", (), True, 1.0)
    windows = [window("Zoom Meeting - Chromium", 1), WindowInfo("New Tab - Chromium", 4343, 2)]
    (hidden,) = WindowTitles(rules).observations(windows, {**CHROMIUM, 4343: child}, NOW, fronts=seen(1),
                                                  root=lambda pid: BROWSER_PID)
    assert (hidden.meeting, hidden.confirmed) == (True, False) and hidden.detail.endswith(UNSEEN)


def test_a_firefox_private_window_does_not_reopen_the_spoof_in_a_normal_one(rules):
    """Private windows are known by their title and left unconfirmed on their own; they do not count as
    windows the extension missed, so a spoofed title in a normal window beside one stays refuted."""
    firefox = {BROWSER_PID: Candidate(BROWSER_PID, "firefox-esr", (), True, 1.0)}
    private, normal = WindowTitles(rules).observations(
        [window("Meet \u2013 abc-defg-hij \u2014 Mozilla Firefox Private Browsing", 1),
         window("Meet \u2013 abc-defg-hij \u2014 Mozilla Firefox", 2)], firefox, NOW, fronts=seen(1))
    assert (private.meeting, private.confirmed) == (True, False)
    assert (normal.meeting, normal.confirmed) == (False, False)


def test_the_probe_adds_up_the_windows_each_profiles_extension_sees(tmp_path, rules):
    """Each profile with the extension has its own host and state file; their counts add up for the
    browser, and one that did not say makes the total unknown (the title is then refuted as before)."""
    first = _host_state(tmp_path, BROWSER_PID, State(type="state", tabs=(), windows=2))
    parent = psutil.Process().parent()
    assert parent is not None
    second = BrowserState(browser="chromium", browser_pid=BROWSER_PID, host_pid=parent.pid,
                          host_started=parent.create_time(), connected_at=NOW, updated_at=NOW)
    second.apply(State(type="state", tabs=(), windows=1), NOW)
    save(tmp_path, second)
    probe = BrowserTabs(tmp_path)
    probe.observations(rules, NOW)
    shown = probe.fronts.shown_by([BROWSER_PID], ["chromium"])
    assert shown is not None and shown.windows == 3
    assert shown.sees_all(3) and not shown.sees_all(4)
    assert first.apply(Windows(type="windows", count=5), NOW)
    assert not first.apply(Windows(type="windows", count=5), NOW), "the same count is no change"
    save(tmp_path, first)
    probe.observations(rules, NOW)
    shown = probe.fronts.shown_by([BROWSER_PID], ["chromium"])
    assert shown is not None and shown.windows == 6
    second.windows = None
    save(tmp_path, second)
    probe.observations(rules, NOW)
    shown = probe.fronts.shown_by([BROWSER_PID], ["chromium"])
    assert shown is not None and shown.windows is None and shown.sees_all(100)


@pytest.mark.parametrize("bad", ['"windows":"3"', '"windows":true', '"windows":-1', '"windows":1000000',
                                 '"windows":2.5'])
def test_a_state_file_with_a_window_count_that_is_no_small_integer_is_ignored(tmp_path, rules, bad):
    """The count is read as strictly as ``synced``: a file claiming anything else is not trusted."""
    _host_state(tmp_path, BROWSER_PID, State(type="state", tabs=(), windows=3))
    (path,) = tmp_path.glob("*.json")
    assert '"windows":3' in path.read_text()
    path.write_text(path.read_text().replace('"windows":3', bad))
    probe = BrowserTabs(tmp_path)
    probe.observations(rules, NOW)
    assert probe.fronts.shown_by([BROWSER_PID], ["chromium"]) is None


def test_the_probe_reads_whether_the_extension_sees_the_focused_window(tmp_path, rules):
    """The host keeps the extension's word on the focus from its state message and each windows message."""
    state = _host_state(tmp_path, BROWSER_PID, State(type="state", tabs=(), windows=2, focused=True))
    probe = BrowserTabs(tmp_path)
    probe.observations(rules, NOW)
    shown = probe.fronts.shown_by([BROWSER_PID], ["chromium"])
    assert shown is not None and shown.focused is True
    assert state.apply(Windows(type="windows", count=2, focused=False), NOW), "the focus moved: a change"
    assert not state.apply(Windows(type="windows", count=2, focused=False), NOW)
    save(tmp_path, state)
    probe.observations(rules, NOW)
    shown = probe.fronts.shown_by([BROWSER_PID], ["chromium"])
    assert shown is not None and shown.focused is False
