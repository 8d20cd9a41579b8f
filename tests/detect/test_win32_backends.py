"""Windows backends (EnumWindows, ConsentStore) with only the OS call layer faked."""

import pytest

from guard.detect.media.win32_consent import CONSENT_STORE, ConsentStoreUsage
from guard.detect.observation import ProbeUnavailable
from guard.detect.platform import Backends
from guard.detect.sockets import UdpSockets
from guard.detect.windows.win32 import Win32WindowLister
from guard.events import Signal
from tests.detect.world import (
    client_copy,
    collect_until,
    has,
    new_monitor,
    of_kind,
    provider_toml,
    unique,
    write_catalog,
)


class FakeUser32:
    """Stands in for user32.dll: hwnd → (visible, title, pid), and the window in the foreground."""

    def __init__(self, windows, foreground=0):
        self.windows = windows
        self.foreground = foreground

    def foreground_window(self):
        return self.foreground

    def top_level_windows(self):
        return list(self.windows)

    def is_visible(self, hwnd):
        return self.windows[hwnd][0]

    def title(self, hwnd):
        return self.windows[hwnd][1]

    def owner_pid(self, hwnd):
        return self.windows[hwnd][2]


class FailingUser32(FakeUser32):
    def top_level_windows(self):
        raise OSError(5, "Access is denied")


class FakeRegistry:
    """Stands in for HKEY_CURRENT_USER: key path → {value name: int}; missing keys raise like winreg."""

    def __init__(self, keys):
        self.keys = keys

    def subkeys(self, path):
        prefix = path + "\\"
        if path not in self.keys and not any(key.startswith(prefix) for key in self.keys):
            raise FileNotFoundError(2, "The system cannot find the file specified", path)
        return sorted({key[len(prefix):].split("\\", 1)[0] for key in self.keys if key.startswith(prefix)})

    def qword(self, path, name):
        if path not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified", path)
        return self.keys[path].get(name)


MIC = CONSENT_STORE + "\\microphone"
CAM = CONSENT_STORE + "\\webcam"


def test_enum_windows_lists_visible_titled_windows_with_their_pids():
    lister = Win32WindowLister(FakeUser32({
        0x10: (True, "Zoom Meeting", 1200), 0x20: (False, "Hidden helper", 1200),
        0x30: (True, "", 1300), 0x40: (True, "Weekly sync | Microsoft Teams", 1400),
    }))
    assert [(w.title, w.pid, w.window_id) for w in lister.windows()] == [
        ("Zoom Meeting", 1200, 0x10), ("Weekly sync | Microsoft Teams", 1400, 0x40)]


def test_the_foreground_window_is_the_one_marked_active():
    lister = Win32WindowLister(FakeUser32({0x10: (True, "Zoom Meeting - Google Chrome", 1200),
                                           0x40: (True, "Weekly sync | Microsoft Teams", 1400)}, foreground=0x10))
    assert [(w.window_id, w.active) for w in lister.windows()] == [(0x10, True), (0x40, False)]
    lister = Win32WindowLister(FakeUser32({0x10: (True, "Zoom Meeting - Google Chrome", 1200)}))
    assert [w.active for w in lister.windows()] == [False], "no window in the foreground"


def test_enum_windows_failure_is_unavailable_with_the_reason():
    with pytest.raises(ProbeUnavailable, match="EnumWindows failed"):
        Win32WindowLister(FailingUser32({})).windows()


def test_consent_store_reports_apps_using_the_microphone_now():
    registry = FakeRegistry({
        MIC + r"\NonPackaged\C:#Program Files#Zoom#bin#Zoom.exe": {"LastUsedTimeStart": 133500000000000000,
                                                                   "LastUsedTimeStop": 0},
        MIC + r"\NonPackaged\C:#Tools#recorder.exe": {"LastUsedTimeStart": 133400000000000000,
                                                      "LastUsedTimeStop": 133400000100000000},
        MIC + r"\MSTeams_8wekyb3d8bbwe": {"LastUsedTimeStart": 133500000000000000, "LastUsedTimeStop": 0},
        MIC + r"\Microsoft.WindowsSoundRecorder_8wekyb3d8bbwe": {"LastUsedTimeStart": 0, "LastUsedTimeStop": 0},
    })
    uses = ConsentStoreUsage("microphone", registry).users({})
    assert sorted(use.app for use in uses) == ["MSTeams_8wekyb3d8bbwe", "Zoom.exe"]
    zoom = next(use for use in uses if use.app == "Zoom.exe")
    assert zoom.pid is None and r"C:\Program Files\Zoom\bin\Zoom.exe" in zoom.detail and "microphone" in zoom.detail


def test_consent_store_without_the_key_is_unavailable():
    with pytest.raises(ProbeUnavailable, match="no camera usage record"):
        ConsentStoreUsage("webcam", FakeRegistry({})).users({})


def test_windows_pipeline_attributes_consent_store_use_to_the_running_client(tmp_path, processes):
    """The real monitor on this machine's processes, with Windows' OS layers faked: a client
    named in the ConsentStore as using the microphone now is in a meeting."""
    name = unique("zoom")
    catalog = write_catalog(tmp_path / "catalog", {"zoom": provider_toml("zoom", "Zoom", extra=(
        f"[detect.windows]\nprocesses = ['{name}.exe']\nmeeting_window_titles = ['^Zoom Meeting$']\n"))})
    registry = FakeRegistry({
        MIC + rf"\NonPackaged\C:#Program Files#Zoom#bin#{name}.exe": {"LastUsedTimeStart": 1, "LastUsedTimeStop": 0},
        CAM + r"\NonPackaged\C:#Other#app.exe": {"LastUsedTimeStart": 1, "LastUsedTimeStop": 0},
    })
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    user32 = FakeUser32({0x10: (True, "Zoom Meeting", client.pid)})
    backends = Backends(Win32WindowLister(user32), ConsentStoreUsage("microphone", registry),
                        ConsentStoreUsage("webcam", registry), UdpSockets())
    monitor = new_monitor(catalog, probes=backends, os_name="windows")
    events = collect_until(monitor, has("meeting-started", "zoom"))
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    signals = {(e.signal, e.pid) for e in meeting.event.evidence}
    assert (Signal.WINDOW_TITLE, client.pid) in signals
    assert (Signal.MICROPHONE, None) in signals
    assert not any(e.signal == Signal.CAMERA for e in meeting.event.evidence), "another app's camera use"
