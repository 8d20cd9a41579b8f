"""macOS backends (CGWindowList, CoreAudio process objects) with only the OS call layer faked."""

import pytest

from guard.detect.media.macos_coreaudio import (
    PROCESS_IS_RUNNING_INPUT,
    PROCESS_OBJECT_LIST,
    PROCESS_PID,
    CoreAudioMicrophone,
)
from guard.detect.observation import ProbeUnavailable
from guard.detect.platform import default_backends
from guard.detect.windows.macos import MacWindowLister


class FakeWindowList:
    def __init__(self, entries):
        self.entries = entries

    def window_list(self):
        return self.entries


class FakeCoreAudio:
    """Audio process objects: object id → (pid, running input)."""

    def __init__(self, processes, supported=True):
        self.processes = processes
        self.supported = supported

    def process_objects(self):
        if not self.supported:
            raise OSError(2003332927, "kAudioHardwarePropertyProcessObjectList is not supported")
        return list(self.processes)

    def pid(self, process_object):
        return self.processes[process_object][0]

    def is_running_input(self, process_object):
        return self.processes[process_object][1]


def test_cg_window_list_gives_titled_normal_windows_with_owner_pids():
    lister = MacWindowLister(FakeWindowList([
        {"kCGWindowOwnerPID": 501, "kCGWindowOwnerName": "zoom.us", "kCGWindowName": "Zoom Meeting",
         "kCGWindowLayer": 0, "kCGWindowNumber": 71},
        {"kCGWindowOwnerPID": 88, "kCGWindowOwnerName": "Dock", "kCGWindowName": "Dock", "kCGWindowLayer": 20},
        {"kCGWindowOwnerPID": 502, "kCGWindowOwnerName": "Safari", "kCGWindowName": "", "kCGWindowLayer": 0},
    ]), own_pid=1)
    assert [(w.title, w.pid, w.window_id) for w in lister.windows()] == [("Zoom Meeting", 501, 71)]


def test_without_screen_recording_permission_titles_are_unavailable_with_the_reason():
    lister = MacWindowLister(FakeWindowList([
        {"kCGWindowOwnerPID": 501, "kCGWindowOwnerName": "zoom.us", "kCGWindowLayer": 0},
        {"kCGWindowOwnerPID": 1, "kCGWindowOwnerName": "Meeting Guard", "kCGWindowName": "Settings",
         "kCGWindowLayer": 0},
    ]), own_pid=1)
    with pytest.raises(ProbeUnavailable, match="Screen Recording"):
        lister.windows()


def test_coreaudio_reports_processes_capturing_input():
    probe = CoreAudioMicrophone(FakeCoreAudio({10: (501, True), 11: (777, False), 12: (900, True)}))
    uses = probe.users({501: "zoom.us"})
    assert [(u.pid, u.app) for u in uses] == [(501, "zoom.us"), (900, "")]
    assert "zoom.us (pid 501) is capturing audio input" in uses[0].detail


def test_older_macos_without_process_objects_is_unavailable():
    with pytest.raises(ProbeUnavailable, match="cannot tell which process uses the microphone"):
        CoreAudioMicrophone(FakeCoreAudio({}, supported=False)).users({})


def test_selectors_are_the_documented_four_char_codes():
    assert PROCESS_OBJECT_LIST == int.from_bytes(b"prs#", "big")
    assert PROCESS_PID == int.from_bytes(b"ppid", "big")
    assert PROCESS_IS_RUNNING_INPUT == int.from_bytes(b"piri", "big")


def test_macos_has_no_camera_backend_and_says_why():
    camera = default_backends("macos").camera
    with pytest.raises(ProbeUnavailable, match="no public API"):
        camera.users({})


def test_macos_browser_windows_carry_no_suffix_so_none_is_counted_and_an_incognito_meeting_is_refuted():
    """The documented gap (docs/architecture.md, title check): on macOS a browser window's title is the page's
    title alone, so no window is known as a tab window the extension should see, the browser never shows more
    windows than the extension counts, and a meeting title the extension does not show (an incognito window's)
    is refuted, not left unconfirmed. Only the CGWindowList call is faked; macOS itself does not run here."""
    from datetime import UTC, datetime

    from guard.catalog import load_catalog
    from guard.detect.candidates import Candidate
    from guard.detect.matching import DetectionRules
    from guard.detect.title_check import FrontTabs, shown_titles
    from guard.detect.window_titles import WindowTitles

    chrome = 612
    lister = MacWindowLister(FakeWindowList([
        {"kCGWindowOwnerPID": chrome, "kCGWindowOwnerName": "Google Chrome", "kCGWindowName": "Zoom Meeting",
         "kCGWindowLayer": 0, "kCGWindowNumber": 81},
        {"kCGWindowOwnerPID": chrome, "kCGWindowOwnerName": "Google Chrome", "kCGWindowName": "New Tab",
         "kCGWindowLayer": 0, "kCGWindowNumber": 82},
    ]), own_pid=1)
    windows = lister.windows()
    rules = DetectionRules.from_catalog(load_catalog(), "macos")
    assert not any(rules.browser_tab_window(w.title, "Google Chrome") for w in windows), "no suffix to count by"
    candidates = {chrome: Candidate(chrome, "Google Chrome", (), True, 1.0)}
    sees_one = FrontTabs({chrome: shown_titles((), 1, False)}, {})
    (obs,) = WindowTitles(rules).observations(windows, candidates, datetime(2026, 12, 2, tzinfo=UTC), fronts=sees_one)
    assert (obs.provider_id, obs.meeting, obs.confirmed) == ("zoom", False, False)
    assert obs.detail.endswith("no meeting, title not confirmed by the browser extension")
