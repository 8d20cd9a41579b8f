"""Window titles on X11: real windows under the test Xvfb, with and without an EWMH window manager."""

import os
import shutil
import subprocess
import time

import pytest

from guard.detect.observation import ProbeUnavailable
from guard.detect.platform import default_backends
from guard.detect.windows.linux_x11 import X11WindowLister
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
    x11_window,
)

pytestmark = pytest.mark.desktop


@pytest.fixture
def name():
    return unique("zoom")


@pytest.fixture
def catalog(tmp_path, name):
    return write_catalog(tmp_path / "catalog", {
        "zoom": provider_toml("zoom", "Zoom Workplace", processes=[name], window_titles=["^Zoom Workplace$"],
                              meeting_window_titles=["^Zoom Meeting( \\d+-Minutes)?$"]),
    })


def test_a_client_meeting_window_starts_a_meeting_with_the_title_as_evidence(tmp_path, processes, catalog, name,
                                                                             desktop):
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    monitor = new_monitor(catalog)
    assert of_kind(collect_until(monitor, has("app-started", "zoom")), "meeting-started") == []
    window = x11_window(processes, "Zoom Meeting", client.pid, env=desktop.child_env(), ready_file=tmp_path / "mapped")
    events = collect_until(monitor, has("meeting-started", "zoom"))
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    (evidence,) = meeting.event.evidence
    assert evidence.signal == Signal.WINDOW_TITLE and evidence.pid == client.pid
    assert "'Zoom Meeting'" in evidence.detail
    assert meeting.event.meeting_title == "Zoom Meeting"

    processes.stop(window)
    events = collect_until(monitor, has("meeting-ended", "zoom"))
    (ended,) = of_kind(events, "meeting-ended", "zoom")
    assert ended.event.meeting_title == "Zoom Meeting" and ended.event.started_at == meeting.event.at
    assert of_kind(events, "app-stopped") == [], "the client still runs"


def test_the_client_home_window_is_no_meeting(tmp_path, processes, catalog, name, desktop):
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    x11_window(processes, "Zoom Workplace", client.pid, env=desktop.child_env(), ready_file=tmp_path / "mapped")
    monitor = new_monitor(catalog)
    events = collect_until(monitor, lambda _events: False, timeout=1.5)
    (started,) = of_kind(events, "app-started", "zoom")
    assert {e.signal for e in started.event.evidence} == {Signal.PROCESS, Signal.WINDOW_TITLE}
    assert of_kind(events, "meeting-started") == []


def test_a_meeting_window_without_an_owner_pid_counts_while_the_client_runs(tmp_path, processes, catalog, name,
                                                                            desktop):
    processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    x11_window(processes, "Zoom Meeting 40-Minutes", None, env=desktop.child_env(), ready_file=tmp_path / "mapped")
    monitor = new_monitor(catalog)
    events = collect_until(monitor, has("meeting-started", "zoom"))
    (meeting,) = of_kind(events, "meeting-started", "zoom")
    assert [(e.signal, e.pid) for e in meeting.event.evidence] == [(Signal.WINDOW_TITLE, None)]


def test_the_lister_reads_titles_and_pids_without_a_window_manager(tmp_path, processes, desktop):
    x11_window(processes, "Plain window ✓", 424242, env=desktop.child_env(), ready_file=tmp_path / "mapped")
    lister = X11WindowLister(env=desktop.child_env())
    try:
        found = [(w.title, w.pid) for w in lister.windows()]
    finally:
        lister.close()
    assert ("Plain window ✓", 424242) in found
    assert lister.last_source == "tree"


@pytest.fixture
def window_manager(desktop):
    if shutil.which("openbox") is None:
        pytest.skip("openbox is not installed (run .ci/install --test)")
    wm = subprocess.Popen(["openbox", "--sm-disable"], env=desktop.child_env(),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lister = X11WindowLister(env=desktop.child_env())
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            lister.windows()
            if lister.last_source == "ewmh":
                break
            time.sleep(0.1)
        assert lister.last_source == "ewmh", "openbox did not publish _NET_CLIENT_LIST"
        yield lister
    finally:
        lister.close()
        wm.terminate()
        wm.wait(timeout=10)


def test_the_lister_uses_the_ewmh_client_list_under_a_window_manager(tmp_path, processes, desktop, window_manager):
    x11_window(processes, "Managed window", 434343, env=desktop.child_env(), ready_file=tmp_path / "mapped")
    deadline = time.monotonic() + 10
    found: list = []
    while time.monotonic() < deadline and ("Managed window", 434343) not in found:
        found = [(w.title, w.pid) for w in window_manager.windows()]
        time.sleep(0.1)
    assert ("Managed window", 434343) in found
    assert window_manager.last_source == "ewmh"


@pytest.mark.parametrize("env, reason", [
    ({}, "DISPLAY is not set"),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "Wayland"),
])
def test_without_x11_the_window_probe_says_why_and_detection_goes_on(tmp_path, processes, catalog, name, env, reason):
    with pytest.raises(ProbeUnavailable, match=reason):
        X11WindowLister(env=env).windows()
    backends = default_backends("linux")
    backends.windows = X11WindowLister(env=env)
    client = processes.start([str(client_copy(tmp_path / "bin", name)), "300"])
    monitor = new_monitor(catalog, probes=backends)
    events = collect_until(monitor, has("app-started", "zoom"))
    assert of_kind(events, "app-started", "zoom")[0].event.evidence[0].pid == client.pid
    (windows,) = [p for p in monitor.snapshot().probes if p.name == "windows"]
    assert str(windows.state) == "unavailable" and reason in windows.reason


def test_an_unreachable_display_is_unavailable_not_an_error():
    lister = X11WindowLister(env={"DISPLAY": ":4999"})
    with pytest.raises(ProbeUnavailable, match="cannot open the X display :4999"):
        lister.windows()
    assert os.environ.get("DISPLAY") != ":4999"


def test_a_stale_client_list_left_by_an_exited_window_manager_is_ignored(tmp_path, processes, desktop):
    if shutil.which("openbox") is None:
        pytest.skip("openbox is not installed (run .ci/install --test)")
    wm = subprocess.Popen(["openbox", "--sm-disable"], env=desktop.child_env(),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lister = X11WindowLister(env=desktop.child_env())
    try:
        deadline = time.monotonic() + 15
        while lister.last_source != "ewmh" and time.monotonic() < deadline:
            lister.windows()
            time.sleep(0.1)
        assert lister.last_source == "ewmh"
    finally:
        wm.terminate()
        wm.wait(timeout=10)
    try:
        x11_window(processes, "After the window manager", 454545, env=desktop.child_env(),
                   ready_file=tmp_path / "mapped")
        found = [(w.title, w.pid) for w in lister.windows()]
        assert lister.last_source == "tree"
        assert ("After the window manager", 454545) in found
    finally:
        lister.close()


def test_a_new_window_that_reuses_a_closed_windows_id_is_read_afresh(tmp_path, processes, desktop):
    """Quit a client, start it again: the X server hands the new client the freed id range, so its first
    window has the closed window's id. The lister was idle meanwhile (no client ran), kept the old owner
    and title, and the tray app never saw the meeting that `scan` found."""
    lister = X11WindowLister(env=desktop.child_env())
    try:
        first = x11_window(processes, "Zoom Meeting", 111111, env=desktop.child_env(), ready_file=tmp_path / "a")
        (old,) = [w for w in lister.windows() if w.pid == 111111]
        processes.stop(first)  # the lister is not asked while no client runs
        x11_window(processes, "Zoom Meeting", 222222, env=desktop.child_env(), ready_file=tmp_path / "b")
        deadline = time.monotonic() + 10
        found: list = []
        while time.monotonic() < deadline and not any(w.pid == 222222 for w in found):
            found = lister.windows()
            time.sleep(0.1)
        assert [(w.title, w.pid) for w in found if w.title == "Zoom Meeting"] == [("Zoom Meeting", 222222)]
        assert any(w.window_id == old.window_id for w in found), "the X server did not reuse the id here"
    finally:
        lister.close()
