"""The native messaging host, run for real and fed as a browser feeds it, including hostile input."""

import json
import os
import signal
import stat
import time

import pytest

from guard.browser import app_link, limits
from guard.browser.state import StateReader
from tests.browser.support.host import CHROMIUM_ORIGIN, HostProcess


def tab(tab_id=7, **fields):
    base = {"id": tab_id, "window": 1, "url": "https://meet.google.com/abc-defg-hij", "title": "Meet – abc-defg-hij",
            "active": True, "audible": False, "providers": ["google-meet"]}
    return {**base, **fields}


def tab_ids(state):
    return [entry["tab"]["id"] for entry in state["tabs"]]


@pytest.fixture
def host():
    process = HostProcess(CHROMIUM_ORIGIN)
    yield process
    if process.process.poll() is None:
        process.close()


def test_the_host_keeps_the_browsers_meeting_tabs_in_a_private_file(host, app_home):
    host.send({"type": "hello", "version": "0.1.0", "browser": "chromium"})
    reply = host.reply()
    # the app's link key, so the extension's pseudonym of a name in a link is the app's own (common.js setLinkKey)
    assert reply["type"] == "hello" and reply["linkKey"] == (app_home / "data" / "link-key").read_text().strip()
    host.send({"type": "state", "tabs": [tab(7), tab(8, url="https://zoom.us/wc/81234567890/join?pwd=SECRET",
                                                  title="Zoom Meeting", active=False, audible=True,
                                                  providers=["zoom"])]})
    state = host.wait_state(lambda s: tab_ids(s) == [7, 8])
    assert state["tabs"][1]["tab"]["url"] == "https://zoom.us/wc/81234567890/join?pwd=…"
    (path,) = host.state_files()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert "SECRET" not in path.read_text()

    host.send({"type": "notice", "tab": 7, "providers": ["google-meet"], "text": "Gemini is taking notes"})
    host.send({"type": "participant", "tab": 7, "text": "Fireflies.ai Notetaker"})
    host.send({"type": "notice", "tab": 99, "text": "a notice for a tab the host does not know"})
    state = host.wait_state(lambda s: s["tabs"][0]["participants"])
    assert [n["text"] for n in state["tabs"][0]["notices"]] == ["Gemini is taking notes"]
    assert [p["text"] for p in state["tabs"][0]["participants"]] == ["Fireflies.ai Notetaker"]

    host.send({"type": "tab", "event": "closed", "tab": {"id": 8}})
    host.wait_state(lambda s: tab_ids(s) == [7])
    assert host.close() == 0
    assert host.state_files() == [], "the file goes with the host"
    seen = json.loads((app_home / "data" / "browser" / "seen.json").read_text())
    assert "chromium" in seen


@pytest.mark.parametrize("caller", [
    ("chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/",),
    ("/home/u/.mozilla/native-messaging-hosts/io.github.meetingprivacyguard.browser_host.json", "evil@example.org"),
    (),
])
def test_an_extension_that_is_not_ours_is_refused(caller):
    process = HostProcess(*caller)
    process.send({"type": "state", "tabs": [tab()]})
    assert process.close() == 2
    assert "refusing" in process.stderr() or not caller
    assert process.state_files() == []


def test_chrome_on_windows_adds_the_parent_window_and_is_still_accepted():
    process = HostProcess(CHROMIUM_ORIGIN, "--parent-window=0")
    process.send({"type": "state", "tabs": [tab(2)]})
    process.wait_state(lambda s: tab_ids(s) == [2])
    assert process.close() == 0


def test_firefox_with_our_add_on_id_is_accepted():
    process = HostProcess("/x/io.github.meetingprivacyguard.browser_host.json", "browser@meetingprivacyguard.github.io")
    process.send({"type": "state", "tabs": [tab(3)]})
    process.wait_state(lambda s: tab_ids(s) == [3])
    assert process.close() == 0


def test_bad_input_is_refused_and_the_host_keeps_running(host):
    host.send_raw(b"\x05\x00\x00\x00nope!")  # not JSON
    host.send({"type": "boom"})
    host.send({"type": "tab", "event": "opened", "tab": tab(title=123)})
    host.send({"type": "tab", "event": "opened", "tab": tab(title="x" * 100_000)})  # over 64 KB: refused unread
    body = b'{"type":"state","tabs":[]' + b" " * (limits.MESSAGE_BYTES * 3) + b"}"
    host.send_raw(len(body).to_bytes(4, "little") + body)
    hostile = "<script>alert(1)</script>Meet – a\nb\x1b]0;pwned\x07\u202e" + "W" * 30_000
    host.send({"type": "tab", "event": "opened", "tab": tab(9, title=hostile)})
    state = host.wait_state(lambda s: tab_ids(s) == [9])
    title = state["tabs"][0]["tab"]["title"]
    assert title.startswith("alert(1) Meet – a b ]0;pwned") and len(title) <= limits.TITLE
    assert not any(ch in title for ch in "<>\n\x1b\x07\u202e")
    assert host.process.poll() is None
    host.send({"type": "tab", "event": "closed", "tab": {"id": 9}})
    host.wait_state(lambda s: tab_ids(s) == [])


def test_a_flood_is_rate_limited_and_followed_by_a_full_resync(host):
    host.send({"type": "hello"})
    assert host.reply()["type"] == "hello"
    bodies = [json.dumps({"type": "tab", "event": "updated", "tab": tab(i % 50, title=f"Meet – flood {i}")}).encode()
              for i in range(3000)]
    burst = b"".join(len(body).to_bytes(4, "little") + body for body in bodies)
    host.send_raw(burst)
    assert host.reply(timeout=20) == {"type": "resync"}, "after dropping messages the host asks for a full list"
    host.send({"type": "state", "tabs": [tab(1)]})
    host.wait_state(lambda s: tab_ids(s) == [1])
    assert host.process.poll() is None


def test_a_length_no_browser_sends_ends_the_connection_cleanly(host):
    host.send({"type": "state", "tabs": [tab(4)]})
    host.wait_state(lambda s: tab_ids(s) == [4])
    host.send_raw((2**31).to_bytes(4, "little"))
    assert host.process.wait(10) == 0
    assert host.state_files() == []


def test_a_stale_file_from_a_killed_host_is_ignored_and_cleared(host):
    host.send({"type": "state", "tabs": [tab(5)]})
    host.wait_state(lambda s: tab_ids(s) == [5])
    os.kill(host.process.pid, signal.SIGKILL)
    host.process.wait(10)
    (path,) = host.state_files()
    assert StateReader(host.folder).read() == []
    assert not path.exists()


def test_the_host_tells_the_running_app_to_look(host, app_home, qtbot):
    from ui.single_instance import InstanceServer, server_name

    assert server_name(app_home / "config") == app_link.server_name(app_home / "config")
    server = InstanceServer(server_name(app_home / "config"))
    try:
        assert server.listening
        with qtbot.waitSignal(server.command_received, timeout=10_000) as received:
            host.send({"type": "state", "tabs": [tab(6)]})
        assert received.args == [app_link.BROWSER_CHANGED]
        assert host.close() == 0  # its last word: the tabs are gone
        qtbot.wait(300)  # let the host's connections finish while the server still exists
    finally:
        server.close()
        server.deleteLater()  # destroyed by Qt, in its own time, not by Python's garbage collector
        qtbot.wait(50)


def test_a_last_seen_file_nested_too_deeply_is_replaced_not_fatal(app_home, cli):
    """Audit round two: 30,000 nested arrays in seen.json (60 kB, under its 64 kB read) made the
    host die with RecursionError before its first message (the extension lost its link) and
    'meeting-guard browser status' print a traceback."""
    seen_file = app_home / "data" / "browser" / "seen.json"
    seen_file.parent.mkdir(parents=True)
    seen_file.write_text("[" * 30_000 + "]" * 30_000, encoding="utf-8")
    status = cli("browser", "status")
    assert "Traceback" not in status.stderr and "RecursionError" not in status.stderr
    process = HostProcess(CHROMIUM_ORIGIN)
    process.send({"type": "hello", "version": "0.1.0", "browser": "chromium"})
    assert process.reply()["type"] == "hello"
    assert process.close() == 0
    assert "chromium" in json.loads(seen_file.read_text())


def test_look_alike_notices_do_not_crowd_out_another_features_notice_hostile(host):
    """A page (or someone in its chat) shows a dozen texts holding one feature's catalog words; then the
    provider's notice for another feature. The host keeps 10 notices a tab, but one that names a catalog
    phrase none kept so far still gets in (it was dropped: the first 10 look-alikes filled the tab)."""
    host.send({"type": "state", "tabs": [tab(7)]})
    host.wait_state(lambda s: tab_ids(s) == [7])
    for n in range(12):
        host.send({"type": "notice", "tab": 7, "providers": ["google-meet"], "text": f"Gemini is taking notes {n}",
                   "phrases": ["google-meet/take-notes-for-me/0"]})
    host.send({"type": "notice", "tab": 7, "providers": ["google-meet"], "text": "Recording has started",
               "phrases": ["google-meet/recording/0"]})
    host.send({"type": "notice", "tab": 7, "providers": ["google-meet"], "text": "Gemini is taking notes again",
               "phrases": ["google-meet/take-notes-for-me/0", "google-meet/recording/0"]})
    state = host.wait_state(lambda s: any(n["text"] == "Recording has started" for n in s["tabs"][0]["notices"]))
    texts = [n["text"] for n in state["tabs"][0]["notices"]]
    assert texts == [f"Gemini is taking notes {n}" for n in range(limits.NOTICES_PER_TAB)] + ["Recording has started"]
    (read,) = StateReader(host.folder).read()  # the file reads back through its schema
    assert len(read.tabs[0].notices) == limits.NOTICES_PER_TAB + 1
    assert host.close() == 0


def test_the_host_keeps_how_many_windows_the_extension_sees_and_refuses_anything_else(host):
    """The count comes with the tab list and on its own when a window opens or closes; a count that is no
    small integer is refused and the last good one kept (guard/detect/title_check.py compares it with the
    browser's windows on screen)."""
    host.send({"type": "state", "tabs": [tab(7)], "windows": 2})
    assert host.wait_state(lambda s: s.get("windows") == 2 and tab_ids(s) == [7])["synced"] is True
    host.send({"type": "windows", "count": 3})
    host.wait_state(lambda s: s.get("windows") == 3)
    for bad in ("4", -1, True, 10**9, 2.5, None):
        host.send({"type": "windows", "count": bad})
    host.send({"type": "tab", "event": "closed", "tab": {"id": 7}})  # a later good message is still taken
    state = host.wait_state(lambda s: tab_ids(s) == [])
    assert state["windows"] == 3
    assert host.close() == 0


def test_a_title_with_half_a_surrogate_pair_does_not_hide_the_browsers_meeting_tabs(host):
    """Audit 7: Firefox's JSON.stringify writes a lone surrogate as an escape (a page can title itself
    with one, and the extension cutting a long title can split an emoji), and the host's JSON parser
    refused the whole message: one such tab in the full list hid every meeting tab of the browser."""
    host.send({"type": "hello", "version": "0.1.0", "browser": "firefox"})
    host.reply()
    body = json.dumps({"type": "state", "tabs": [tab(7), tab(8, title="Meet – standup \U0001F600"[:-1] + "\ud83d")]})
    assert "\\ud83d" in body and "\\ude00" not in body  # as Firefox writes it
    host.send_raw(len(body.encode()).to_bytes(4, "little") + body.encode())
    state = host.wait_state(lambda s: tab_ids(s) == [7, 8])
    assert state["tabs"][1]["tab"]["title"] == "Meet – standup \ufffd"
    host.send_raw(frame_of(r'{"type":"tab","event":"updated","tab":{"id":8,"window":1,"url":"https://meet.google.com/'
                           r'abc-defg-hij","title":"a \\ud800 b \ud83d\ude00","providers":["google-meet"]}}'))
    state = host.wait_state(lambda s: s["tabs"][1]["tab"]["title"] != "Meet – standup \ufffd")
    assert state["tabs"][1]["tab"]["title"] == "a \\ud800 b \U0001F600", "escaped backslashes and pairs are kept"


def frame_of(text: str) -> bytes:
    body = text.encode()
    return len(body).to_bytes(4, "little") + body


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file another user's takes root")
def test_a_state_file_of_another_user_is_never_read_as_the_browsers_tabs_hostile(host):
    """Audit 7: the app read every state file in the hosts' folder; one another local user put there
    (the runtime folder in a shared place, such as XDG_RUNTIME_DIR=/tmp) names that user's own live
    process, so it passed for a browser's meeting tabs. Only this user's files are read."""
    import shutil

    host.send({"type": "state", "tabs": [tab(7)]})
    host.wait_state(lambda s: tab_ids(s) == [7])
    (ours,) = host.state_files()
    theirs = ours.with_name("firefox-1.json")
    shutil.copy(ours, theirs)
    os.chown(theirs, 65534, 65534)
    states = StateReader(ours.parent).read()
    assert [state.browser for state in states] == ["chromium"], "one file: ours"
    os.chown(theirs, os.getuid(), os.getgid())
    assert len(StateReader(ours.parent).read()) == 2, "the same file of ours is read"


@pytest.mark.parametrize("kind", ["another user's", "a link"])
def test_the_state_folder_of_another_user_or_a_link_gets_no_file_and_is_named_hostile(app_home, tmp_path, kind):
    """A state folder planted by someone else (XDG_RUNTIME_DIR in a shared place): whoever owns it
    could read the browser's meeting tabs there or swap the file; the host writes nothing into it."""
    import shutil

    from guard.browser.paths import state_dir

    folder = state_dir()
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o777)
    if kind == "a link":
        folder.symlink_to(elsewhere)
    else:
        if os.getuid() != 0:
            pytest.skip("making a folder another user's needs root")
        folder.mkdir(mode=0o777)
        os.chown(folder, 65534, 65534)
    host = HostProcess(CHROMIUM_ORIGIN)
    try:
        host.send({"type": "hello", "version": "0.1.0", "browser": "chromium"})
        assert host.reply()["type"] == "hello"
        host.send({"type": "state", "tabs": [tab(7)]})
        time.sleep(1)  # handled by then; a write would have happened
    finally:
        assert host.close() == 0
    assert list(elsewhere.iterdir()) == [] and list(folder.glob("*.json")) == [], "a state file was written there"
    said = host.stderr()
    assert f"{folder} is {'a link' if kind == 'a link' else 'owned by another user'}" in said, said
    assert "Nothing was written" in said


def test_a_state_folder_of_ours_open_to_others_is_made_private_before_the_file_is_written(host):
    from guard.browser.paths import state_dir

    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    host.send({"type": "hello", "version": "0.1.0", "browser": "chromium"})
    host.send({"type": "state", "tabs": [tab(7)]})
    host.wait_state(lambda s: tab_ids(s) == [7])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_state_folder_in_a_shared_sticky_folder_is_used_and_the_shared_folder_left_as_it_is(tmp_path):
    """Like a folder made straight in /tmp: the shared folder is everyone's (mode 1777). Made
    0700 once, by the check above, it locked every other program and user out of /tmp."""
    from guard.browser.paths import private_state_folder

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    folder = shared / "browser"
    private_state_folder(folder)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777, "the shared folder's mode was changed"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    folder.chmod(0o777)  # ours, open to others: made private, the shared folder still untouched
    private_state_folder(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777


def test_the_host_keeps_the_servers_the_user_added_in_the_extension(host):
    added = [{"host": "jitsi.example.test", "provider": "jitsi-meet"},
             {"host": "bbb.example.test", "provider": "bigbluebutton"}]
    host.send({"type": "hello", "version": "0.1.0", "browser": "chromium", "servers": added[:1]})
    assert host.reply()["type"] == "hello"
    state = host.wait_state(lambda s: s["servers"] == added[:1])
    assert state["servers_refused"] == 0
    host.send({"type": "state", "tabs": [tab(3)], "servers": added})
    state = host.wait_state(lambda s: s["servers"] == added and tab_ids(s) == [3])
    host.send({"type": "state", "tabs": [tab(3)], "servers": []})  # the user removed them in the browser
    host.wait_state(lambda s: s["servers"] == [])


def test_a_flood_of_servers_or_bad_names_is_cut_and_said_and_the_tabs_kept_hostile(host):
    bad = [{"host": "*.example.test", "provider": "jitsi-meet"}, {"host": "meet.example.test:8443", "provider": "x"},
           {"host": "127.0.0.1", "provider": "jitsi-meet"}, {"host": "EXAMPLE.test", "provider": "jitsi-meet"},
           {"host": "a\u202eb.test", "provider": "jitsi-meet"}, {"host": "x" * 300 + ".test", "provider": "jitsi-meet"},
           {"host": "ok.example.test", "provider": "Not An Id"}, "ok.example.test", None, ["a", "b"],
           {"host": "dup.example.test", "provider": "jitsi-meet"},
           {"host": "dup.example.test", "provider": "jitsi-meet"}]
    flood = [{"host": f"s{n}.example.test", "provider": "bigbluebutton"} for n in range(1000)]  # what fits in 64 KB
    host.send({"type": "state", "tabs": [tab(5)], "servers": bad + flood})
    state = host.wait_state(lambda s: tab_ids(s) == [5])
    kept = [server["host"] for server in state["servers"]]
    assert kept == ["dup.example.test"] + [f"s{n}.example.test" for n in range(limits.SERVERS - 1)]
    assert state["servers_refused"] == len(bad) - 1 + len(flood) - (limits.SERVERS - 1)
    host.send({"type": "state", "tabs": [tab(5)], "servers": "every host"})
    state = host.wait_state(lambda s: s["servers_refused"] == 1)
    assert state["servers"] == [] and tab_ids(state) == [5]
    assert host.close() == 0
    said = host.stderr()
    assert "the extension named 1012 servers; kept 50, refused 962" in said
    assert f"over the cap of {limits.SERVERS}" in said


def test_ten_thousand_servers_in_one_state_message_are_cut_to_the_cap_hostile():
    from guard.browser.messages import parse

    flood = [{"host": f"s{n}.example.test", "provider": "jitsi-meet"} for n in range(10_000)]
    message = parse(json.dumps({"type": "state", "tabs": [tab(1)], "servers": flood}).encode())
    assert len(message.servers.kept) == limits.SERVERS and message.servers.refused == 10_000 - limits.SERVERS
    assert [info.id for info in message.tabs] == [1]
