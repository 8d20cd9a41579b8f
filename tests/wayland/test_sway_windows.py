"""Window titles on sway, read through its IPC socket by the app's own client, against real
Wayland and Xwayland windows in a headless sway session; and ``scan --json`` on that session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from guard.detect.observation import ProbeUnavailable
from guard.detect.platform import linux_window_lister
from guard.detect.windows.linux_x11 import X11WindowLister
from guard.detect.windows.sway_ipc import SwayWindowLister, socket_path
from guard.detect.windows.wayland import WaylandWindowLister
from tests.support.processes import wait_until
from tests.wayland.clients import foot, qt_window, views, wait_for_view

pytestmark = pytest.mark.desktop


def test_the_sway_lister_reads_native_wayland_titles_with_their_pids(sway, processes):
    terminal = foot(processes, sway, "Zoom Meeting ✓ – weekly")
    lister = SwayWindowLister(env=sway.child_env())
    try:
        found = {(w.title, w.pid, w.app_id) for w in lister.windows()}
        again = {(w.title, w.pid) for w in lister.windows()}  # the same connection, a second request
    finally:
        lister.close()
    assert ("Zoom Meeting ✓ – weekly", terminal.pid, "meeting-test") in found
    assert ("Zoom Meeting ✓ – weekly", terminal.pid) in again
    oracle = {(view["name"], view["pid"]) for view in views(sway)}
    assert {(title, pid) for title, pid, _app in found} == oracle


def test_the_sway_lister_says_which_window_has_the_focus(sway, processes):
    """The window with the focus (sway's own ``focused``) is the one a spoofed browser title can be checked
    against the extension's word on the focus (guard/detect/window_titles.py)."""
    foot(processes, sway, "Focus test one")
    foot(processes, sway, "Focus test two")
    lister = SwayWindowLister(env=sway.child_env())
    try:
        def agreed() -> bool:
            mine = {w.title for w in lister.windows() if w.active}
            oracle = {view["name"] for view in views(sway) if view.get("focused") is True}
            return bool(mine) and mine == oracle
        assert wait_until(agreed, timeout=20), [(w.title, w.active) for w in lister.windows()]
        assert len([w for w in lister.windows() if w.active]) == 1
    finally:
        lister.close()


def test_xwayland_windows_are_in_sways_list_with_their_pids(sway, processes):
    window = qt_window(processes, sway, "Teams meeting on X11", platform="xcb")
    view = wait_for_view(sway, "Teams meeting on X11")
    assert view["shell"] == "xwayland"
    lister = linux_window_lister(sway.child_env())
    try:
        assert isinstance(lister, WaylandWindowLister) and isinstance(lister.primary, SwayWindowLister)
        found = [(w.title, w.pid) for w in lister.windows()]
    finally:
        lister.close()
    assert found.count(("Teams meeting on X11", window.pid)) == 1


def test_without_sways_socket_x11_apps_are_still_read_through_xwayland(sway, processes):
    window = qt_window(processes, sway, "Webex meeting via Xwayland", platform="xcb")
    wait_for_view(sway, "Webex meeting via Xwayland")
    native = foot(processes, sway, "Native only")
    env = dict(sway.child_env(), SWAYSOCK=str(sway.root / "no-such.sock"))
    env.pop("I3SOCK")
    lister = linux_window_lister(env)
    try:
        found = [(w.title, w.pid) for w in lister.windows()]
    finally:
        lister.close()
    assert ("Webex meeting via Xwayland", window.pid) in found
    assert ("Native only", native.pid) not in found, "native Wayland windows need sway's IPC"
    assert "cannot reach sway's IPC socket" in lister.last_problem


def test_the_socket_is_found_where_sway_makes_it_when_the_environment_lacks_it(sway):
    env = {key: value for key, value in sway.child_env().items() if key not in ("SWAYSOCK", "I3SOCK")}
    sway_uid = os.stat(sway.env["SWAYSOCK"]).st_uid
    assert socket_path(env, uid=sway_uid) == sway.env["SWAYSOCK"]
    assert socket_path(dict(env, XDG_RUNTIME_DIR=str(sway.root)), uid=sway_uid) is None


def test_a_socket_that_speaks_something_else_is_unavailable_not_an_error(tmp_path):
    import socket
    import threading

    path = tmp_path / "not-sway.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)

    def answer() -> None:
        conn, _ = server.accept()
        conn.recv(64)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        conn.close()

    threading.Thread(target=answer, daemon=True).start()
    lister = SwayWindowLister(env={"SWAYSOCK": str(path)})
    with pytest.raises(ProbeUnavailable, match="does not speak sway's IPC"):
        lister.windows()
    server.close()
    with pytest.raises(ProbeUnavailable, match="cannot reach sway's IPC socket"):
        lister.windows()


def test_x11_lister_alone_still_refuses_a_wayland_session_but_reads_xwayland_when_asked(sway, processes, desktop):
    qt_window(processes, sway, "Only X11 here", platform="xcb")
    wait_for_view(sway, "Only X11 here")
    with pytest.raises(ProbeUnavailable, match="Wayland"):
        X11WindowLister(env=sway.child_env()).windows()
    lister = X11WindowLister(env=sway.child_env(), xwayland=True)
    try:
        assert wait_until(lambda: "Only X11 here" in [w.title for w in lister.windows()])
        # Another X server in the same process (the X11 test desktop, whose extensions number their
        # events differently): both connections go on working (python-xlib shares its tables).
        other = X11WindowLister(env=desktop.child_env())
        try:
            other.windows()
            assert "Only X11 here" in [w.title for w in lister.windows()]
        finally:
            other.close()
    finally:
        lister.close()


def test_scan_json_reports_the_native_wayland_meeting_window_with_its_pid(sway, processes, tmp_path):
    client = foot(processes, sway, "Zoom Meeting", name="zoom", folder=tmp_path / "bin")
    result = subprocess.run([sys.executable, "-m", "guard", "scan", "--json"], env=sway.child_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    meetings = [m for m in report["meetings"] if m["provider_id"] == "zoom"]
    assert meetings, report
    evidence = [e for m in meetings for e in m["evidence"] if e["signal"] == "window-title"]
    assert any(e["pid"] == client.pid and "'Zoom Meeting'" in e["detail"] for e in evidence), evidence
    assert any(m["title"] == "Zoom Meeting" for m in meetings)
    (windows,) = [p for p in report["probes"] if p["name"] == "windows"]
    assert windows["state"] == "ok" and windows["backend"].startswith("sway-ipc"), windows
    # Per signal, what works on this desktop: sway's IPC for titles, waybar's tray, mako's notifications.
    desktop = report["desktop"]
    assert desktop["summary"] == "sway (Wayland; X11 apps through Xwayland)", desktop
    capabilities = {c["signal"]: c for c in desktop["capabilities"]}
    assert {"windows", "processes", "microphone", "camera", "sockets", "browser-tabs", "tray",
            "notifications"} <= set(capabilities)
    assert capabilities["windows"]["works"] is True and "sway's IPC" in capabilities["windows"]["detail"]
    assert capabilities["tray"]["works"] is True and "status notifier" in capabilities["tray"]["detail"]
    assert capabilities["notifications"]["works"] is True
    assert all(c["works"] is not False or c["detail"] for c in capabilities.values()), capabilities


def test_a_chromium_window_on_wayland_is_read_with_the_browsers_pid_and_scan_sees_the_meet_tab(sway, processes,
                                                                                                 tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed (run .ci/install --test)")
    page = tmp_path / "meet.html"
    page.write_text("<!doctype html><title>Meet - abc-defg-hij</title><p>A stand-in for a Meet room.</p>")
    browser = processes.start([
        chromium, "--ozone-platform=wayland", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", page.as_uri(),
    ], env=sway.child_env())
    view = wait_for_view(sway, "Meet - abc-defg-hij - Chromium", timeout=90)
    assert view["shell"] == "xdg_shell" and view["pid"] == browser.pid, view  # native Wayland, not Xwayland
    lister = SwayWindowLister(env=sway.child_env())
    try:
        assert ("Meet - abc-defg-hij - Chromium", browser.pid) in {(w.title, w.pid) for w in lister.windows()}
    finally:
        lister.close()
    result = subprocess.run([sys.executable, "-m", "guard", "scan", "--json"], env=sway.child_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    meetings = [m for m in json.loads(result.stdout)["meetings"] if m["provider_id"] == "google-meet"]
    evidence = [e for m in meetings for e in m["evidence"] if e["signal"] == "window-title"]
    assert any(e["pid"] == browser.pid for e in evidence), meetings


def test_a_socket_another_user_put_where_sway_makes_its_own_is_never_read_hostile(tmp_path):
    """Without XDG_RUNTIME_DIR (a session without systemd's login manager) sway, and the app looking
    for it, use /tmp, which every user can write: another user's socket named for this user and a
    running process was taken for sway's, and whatever it answered were this user's windows (a
    meeting that is not there; none of the real ones). Only this user's socket is read."""
    import socket

    if os.getuid() != 0:
        pytest.skip("giving a socket to another user needs root")
    shared = tmp_path / "shared"  # stands for /tmp: the tests never touch the real one
    shared.mkdir()
    shared.chmod(0o1777)
    planted = shared / f"sway-ipc.{os.getuid()}.1.sock"  # pid 1 runs
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(planted))
    try:
        os.chown(planted, 65534, 65534)
        assert socket_path({"XDG_RUNTIME_DIR": str(shared)}) is None, "another user's socket taken for sway's"
        os.chown(planted, os.getuid(), os.getgid())
        assert socket_path({"XDG_RUNTIME_DIR": str(shared)}) == str(planted), "this user's own socket is found"
        regular = shared / f"sway-ipc.{os.getuid()}.{os.getpid()}.sock"
        regular.write_text("")
        assert socket_path({"XDG_RUNTIME_DIR": str(shared)}) == str(planted), "a file that is not a socket is not"
    finally:
        server.close()
