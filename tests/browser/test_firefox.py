"""Real Firefox ESR with the extension: meeting tabs opened in the running browser reach the app.

One Firefox for the module: a fresh profile with the extension installed unsigned (allowed on
ESR by ``xpinstall.signatures.required``) from the very zip packed for addons.mozilla.org
(packaging/extension/build_extension.py), the host registered with ``meeting-guard browser
install``, HTTPS to the real meeting hostnames tunnelled to the local site, the site's test CA
trusted in the profile.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from guard.browser import ids
from guard.detect.browser_tabs import BrowserTabs
from guard.detect.redaction import redact_url
from guard.events import Signal
from tests.browser.conftest import Lobby, firefox_world, observe
from tests.browser.support.browsers import FIREFOX, wait_for
from tests.browser.support.site import LOCAL, TITLES, Page

pytestmark = pytest.mark.desktop

JITSI = "https://meet.jit.si/TeamStandup"


@pytest.fixture(scope="module")
def world(tmp_path_factory, desktop, site, pulse):
    # Firefox suspends an idle event page (30 s by default; 3 s here, so a test can see it not happen).
    with firefox_world(tmp_path_factory.mktemp("firefox"), desktop, site, pulse,
                       prefs={"extensions.background.idle.timeout": 3000}) as running:
        yield running


def test_a_meeting_opened_in_the_running_browser_reaches_the_app(world):
    world.site.pages[("meet.jit.si", "/TeamStandup")] = Page(TITLES["jitsi-meet"][0])
    probe = BrowserTabs(world.state_folder)
    world.browser.open(JITSI + "?jwt=SECRET")
    # Jitsi's page can show a lobby: it counts once its content script has said it does not.
    entry = world.wait_tab(JITSI + "?jwt=…", lambda e: e["tab"]["title"] == "TeamStandup | Jitsi Meet"
                           and e["tab"]["lobby"] is False)
    assert entry["tab"]["active"] is True and entry["tab"]["providers"] == ["jitsi-meet"]
    assert entry["tab"]["microphone"] is False, "Firefox says whether the page holds the microphone"
    (state,) = world.states()
    assert state["browser"] == "firefox" and state["browser_pid"] == world.browser.pid
    assert "SECRET" not in json.dumps(world.states())

    (tab,) = [o for o in observe(probe) if o.signal == Signal.BROWSER_TAB]
    assert (tab.provider_id, tab.active, tab.closed) == ("jitsi-meet", True, False)
    assert tab.tab == f"firefox/{entry['tab']['id']}"

    status = {b["id"]: b for b in json.loads(world.cli("browser", "status", "--json").stdout)["browsers"]}
    assert status["firefox"]["state"] == "extension connected"
    (meeting,) = world.scan_meetings("jitsi-meet")
    assert meeting["tab"] == tab.tab and meeting["title"] == "TeamStandup | Jitsi Meet"

    world.browser.close(JITSI + "?jwt=SECRET")
    wait_for(lambda: world.tab_state(JITSI + "?jwt=…") is None, what="the closed tab to leave the state")
    (closed,) = observe(probe)
    assert closed.closed and closed.tab == tab.tab


def test_a_background_tab_holding_the_microphone_stays_a_meeting(world):
    script = "navigator.mediaDevices.getUserMedia({audio: true}).then(s => { window.stream = s; });"
    world.site.pages[("meet.google.com", "/mic-abcd-efg")] = Page("Meet – mic-abcd-efg", script=script)
    url = "https://meet.google.com/mic-abcd-efg"
    world.browser.open(url)
    world.wait_tab(url, lambda e: e["tab"]["microphone"] and e["tab"].get("lobby") is False)
    world.browser.new_blank_tab()
    entry = world.wait_tab(url, lambda e: not e["tab"]["active"])
    assert entry["tab"]["microphone"] is True
    (tab,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.provider_id == "google-meet"]
    assert tab.active is False and tab.audible is True and "uses the microphone" in tab.detail
    (meeting,) = world.scan_meetings("google-meet")
    assert meeting["tab"] == tab.tab, "a background tab holding the microphone is a meeting in progress"
    world.browser.close(url)


def test_a_bigbluebutton_listen_only_tab_playing_sound_is_a_meeting_without_microphone_or_camera(world):
    """BigBlueButton joined with 'Listen only' (the client's leave-audio button, data-test 'leaveListenOnly') on
    public.senfcall.de: Firefox tells the extension the page holds neither microphone nor camera and plays sound;
    the client's page (titled '<client> - <meeting> - <view>', its sessionToken cut out of the link sent) is a
    meeting, in the background too while it plays."""
    url = "https://public.senfcall.de/html5client/join?sessionToken=fx8m3t2w"
    sent = redact_url(url)
    world.site.pages[("public.senfcall.de", "/html5client/join")] = Page(
        "BigBlueButton - Algebra I - Default presentation view", sound=True,
        body='<button data-test="leaveListenOnly" aria-label="Leave audio">listen</button>')
    world.browser.open(url)
    world.wait_tab(sent, lambda e: e["tab"]["audible"], timeout=30)
    world.browser.new_blank_tab()
    entry = world.wait_tab(sent, lambda e: not e["tab"]["active"])
    assert (entry["tab"]["audible"], entry["tab"]["microphone"], entry["tab"]["camera"]) == (True, False, False)
    (tab,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.provider_id == "bigbluebutton"]
    assert "(in the background, plays sound)" in tab.detail, tab.detail
    (meeting,) = world.scan_meetings("bigbluebutton")
    assert meeting["tab"] == tab.tab, "listening only, in the background, is a meeting in progress"
    world.browser.close(url)
    wait_for(lambda: world.tab_state(sent) is None, what="the closed tab to leave the state")


# Lobbies whose preview holds the microphone: Firefox tells the extension so, and still no meeting is counted.
LOBBIES = [
    # Jitsi's pre-join or lobby screen ('.premeeting-screen', the catalog's lobby selector) at the room's link and
    # under its title.
    pytest.param(Lobby("jitsi-meet", "https://meet.jit.si/KnockKnock", "KnockKnock | Jitsi Meet",
                       '<div class="premeeting-screen lobby-screen"><h1>Asking to join</h1></div>',
                       "document.querySelector('.premeeting-screen').remove();", microphone=True), id="jitsi"),
    # Teams' web app waits in the meeting's lobby after 'Join now' ('Someone will let you in soon', its cancel button
    # data-tid 'prejoin-cancel-button', one of the catalog's lobby selectors) at the meeting's link.
    pytest.param(Lobby("teams", "https://teams.microsoft.com/l/meetup-join/19:meeting_FxLobby@thread.v2/0",
                       "Microsoft Teams", '<div id="lobby"><p>Someone will let you in soon</p>'
                       '<button data-tid="prejoin-cancel-button">Cancel</button></div>',
                       "document.getElementById('lobby').remove();", microphone=True), id="teams"),
    # Zoom's web client shows its preview at the join link (its join button has the class 'preview-join-button', the
    # catalog's lobby selector).
    pytest.param(Lobby("zoom", "https://app.zoom.us/wc/84512937106/join", "Zoom",
                       '<div id="preview"><input id="input-for-name"><button class="zm-btn preview-join-button">Join'
                       '</button></div>', "document.getElementById('preview').remove();", microphone=True),
                 id="zoom-preview"),
    # After 'Join' in a meeting with a waiting room, Zoom's web client holds the participant at the join link on its
    # on-hold view (class 'meeting-on-hold' in Zoom's Meeting SDK web client, a catalog lobby selector).
    pytest.param(Lobby("zoom", "https://app.zoom.us/wc/93384561027/join", "Zoom",
                       '<div id="hold" class="meeting-on-hold"><p>Please wait, the meeting host will let you in soon.'
                       '</p><button>Leave</button></div>', "document.getElementById('hold').remove();",
                       microphone=True), id="zoom-waiting-room"),
    # Meet's waiting screen after 'Ask to join' ('Asking to be let in...', the catalog's English lobby words, on a
    # page that declares English).
    pytest.param(Lobby("google-meet", "https://meet.google.com/fxw-aitn-owb", "Meet \u2013 fxw-aitn-owb",
                       '<div id="waiting"><div>Asking to be let in\u2026</div><button>Return to home screen</button>'
                       '</div>', "document.getElementById('waiting').remove();", microphone=True),
                 id="meet-asking-to-be-let-in"),
]


@pytest.mark.parametrize("lobby", LOBBIES)
def test_a_lobby_holding_the_microphone_is_no_meeting_until_the_participant_is_let_in(world, lobby):
    """The packed extension says lobby, Firefox says the page holds the microphone (the lobby's preview), and the
    app counts no meeting; once let in, the same tab is a meeting."""
    world.lobby_until_admitted(lobby)


def test_a_bot_joining_the_participant_list_is_reported(world):
    world.site.pages[("meet.jit.si", "/BotRoom")] = Page("BotRoom | Jitsi Meet", bot_after_ms=800,
                                                       bot="Fathom AI Notetaker")
    url = "https://meet.jit.si/BotRoom"
    world.browser.open(url)
    entry = world.wait_tab(url, lambda e: e["participants"])
    assert [p["text"] for p in entry["participants"]] == ["Fathom AI Notetaker"]
    bots = [o for o in observe(BrowserTabs(world.state_folder)) if o.signal == Signal.PARTICIPANT]
    assert [(o.provider_id, o.participant) for o in bots] == [("fathom", "Fathom AI Notetaker")]
    (seen,) = [e for e in world.scan_events("notetaker-seen") if e["where"] == "in-meeting"]
    assert (seen["provider_id"], seen["where"], seen["participant"]) == ("fathom", "in-meeting",
                                                                         "Fathom AI Notetaker"), seen
    world.browser.close(url)


def test_a_recording_notice_shown_after_a_while_is_reported(world):
    """Jitsi Meet's own words for a recording that starts (the shipped catalog's, cited by commit)."""
    world.site.pages[("meet.jit.si", "/NoticeRoom")] = Page("NoticeRoom | Jitsi Meet", notice_after_ms=1000,
                                                          notice="Grace Hopper started the recording",
                                                          notice_aside="Invited by Katherine Johnson")
    url = "https://meet.jit.si/NoticeRoom"
    world.browser.open(url)
    entry = world.wait_tab(url, lambda e: e["notices"])
    assert [n["text"] for n in entry["notices"]] == ["Grace Hopper started the recording"], "nothing else of the dialog"
    (notice,) = [o for o in observe(BrowserTabs(world.state_folder)) if o.signal == Signal.AI_NOTICE]
    assert (notice.provider_id, notice.feature_id) == ("jitsi-meet", "recording-and-subtitles")
    (event,) = [e for e in world.scan_events("ai-feature-noticed") if e["provider_id"] == "jitsi-meet"]
    assert (event["provider_id"], event["feature_id"]) == ("jitsi-meet", "recording-and-subtitles")
    assert "Grace Hopper started the recording" in event["notice"], event
    world.browser.close(url)


def test_a_chat_line_with_the_notices_words_raises_no_notice_hostile(world):
    """In Jitsi Meet, Mallory types 'Mallory started the recording' in the chat (Jitsi's chat conversation and
    messages, shown in live and status regions); only Jitsi's own recording notice is a notice."""
    chat = ('<div id=chatconversation aria-live=polite><div class=chatmessage><div class=display-name>Mallory</div>'
            '<div class=usermessage>Mallory started the recording. Kidding</div></div></div>'
            '<div role=status><div class=chat-message-group><div class=usermessage>Eve started the recording'
            '</div></div><span>1 new message</span></div>')
    line = '<div class=chatmessage><div class=usermessage>Oscar started the recording, really</div></div>'
    world.chat_lines_are_no_notice("https://meet.jit.si/ChatRoom", "ChatRoom | Jitsi Meet", chat, line,
                                   "Grace Hopper started the recording")


def test_a_restart_of_the_extensions_background_leaves_the_meeting_tab_open(world):
    """Firefox stops the extension's background (event) page, as it does an idle one: the meeting tab is held, not
    closed, until the restarted page's host lists it again (World.background_restart_keeps_the_tab)."""
    world.background_restart_keeps_the_tab(
        "jitsi-meet", "https://meet.jit.si/RestartRoom", "RestartRoom | Jitsi Meet",
        lambda: world.browser.marionette.chrome(
            "WebExtensionPolicy.getByID(arguments[0]).extension.terminateBackground({disableResetIdleForTest: true});",
            ids.GECKO_ID))


def test_the_extension_redacts_links_exactly_as_the_app_does(world):
    world.redaction_in_the_page("meet.jit.si")


def test_of_a_notice_dialog_only_the_matching_sentences_and_phrase_ids_leave_the_page(world):
    world.notice_excerpts_in_the_page("meet.jit.si")


def test_an_idle_extension_stays_connected_while_a_meeting_tab_is_open(world):
    """An event page that Firefox suspended would close the host, and the meeting would seem to end."""
    world.site.pages[("meet.jit.si", "/QuietRoom")] = Page("QuietRoom | Jitsi Meet")
    url = "https://meet.jit.si/QuietRoom"
    world.browser.open(url)
    world.wait_tab(url)
    (before,) = world.states()
    time.sleep(8)  # well past the 3 s idle timeout, with nothing happening in the browser
    (after,) = world.states()
    assert after["host_pid"] == before["host_pid"] and world.tab_state(url) is not None
    world.browser.close(url)


def test_without_the_extension_a_foreground_meeting_is_found_from_the_window_title(world):
    """The browser probe off (as without the extension): Firefox's window title ('… — Mozilla Firefox',
    with its em dash) still shows the meeting in the foreground tab."""
    meeting = world.meeting_seen_by_title_alone("meet.jit.si", "/WindowTitleRoom", "WindowTitleRoom | Jitsi Meet",
                                                "jitsi-meet")
    assert any("Mozilla Firefox" in e["detail"] for e in meeting["evidence"]), meeting["evidence"]


def test_a_page_titled_like_a_meeting_is_no_meeting_once_the_extension_reports(world):
    """A page on 127.0.0.1 titled as a Meet meeting: with the extension connected, no meeting."""
    world.spoofed_title_is_no_meeting(f"https://{LOCAL}/spoof/meet", "Meet \u2013 spo-ofed-tab", "google-meet")


def test_a_meeting_tab_s_window_title_is_confirmed_by_the_extension(world):
    url = "https://meet.jit.si/ConfirmedRoom"
    world.site.pages[("meet.jit.si", "/ConfirmedRoom")] = Page("ConfirmedRoom | Jitsi Meet")
    world.browser.open(url)
    world.browser.activate(url)
    world.wait_tab(url, lambda e: e["tab"]["active"])
    try:
        meeting = world.meeting_by_title("jitsi-meet", "ConfirmedRoom | Jitsi Meet")
        titles = [e for e in meeting["evidence"] if e["signal"] == "window-title"]
        assert titles and all(e["confirmed"] is True for e in titles), meeting["evidence"]
    finally:
        world.browser.close(url)


def test_a_meeting_title_in_a_private_window_stays_unconfirmed_not_refuted(world):
    """The extension does not run in private windows, so a meeting there cannot be confirmed by it: with the
    extension connected, the window's meeting title still counts, marked unconfirmed."""
    url = "https://meet.jit.si/PrivateRoom"
    world.site.pages[("meet.jit.si", "/PrivateRoom")] = Page("PrivateRoom | Jitsi Meet")
    wait_for(lambda: any(state.get("synced") for state in world.states()), what="the extension's tab list")
    subprocess.run([FIREFOX, "--profile", str(world.browser.profile), "--private-window", url], env=world.env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60, check=True)
    try:
        meeting = world.meeting_by_title("jitsi-meet", "PrivateRoom | Jitsi Meet")
        (seen,) = [e for e in meeting["evidence"] if e["signal"] == "window-title"]
        assert seen["confirmed"] is False and "Private Browsing" in seen["detail"], seen
        assert seen["detail"].endswith("(unconfirmed: a private window, which the browser extension does not see)")
        assert world.tab_state(url) is None, "the extension saw nothing of the private window"
        # The extension counts the windows it sees (not the private one); a private window, known by its
        # title, is not taken for a window it missed: a spoofed title in the normal window stays refuted.
        assert [state.get("windows") for state in world.states()] == [1]
        world.spoofed_title_is_no_meeting(f"https://{LOCAL}:{world.site.port}/spoof/beside-private",
                                          TITLES["zoom"][0], "zoom")
    finally:
        world.browser.marionette.chrome(
            'for (const w of Services.wm.getEnumerator("navigator:browser")) {'
            ' if (PrivateBrowsingUtils.isWindowPrivate(w)) w.close(); }')
