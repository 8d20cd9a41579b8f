"""The Guard's GNOME Shell extension (experimental), as far as it can run here.

No GNOME Shell runs in these tests (Debian 12 ships GNOME 43, older than the extension's GNOME 45+
module format). What does run is real: the extension's own D-Bus object (the shipped
``windowTitles.js``) under gjs on a private session bus, owning ``org.gnome.Shell`` as the Shell
would, with a window list from the test standing in for Mutter's; the app's lister
(:mod:`guard.detect.windows.gnome_shell`) calls it over that bus; and ``meeting-guard desktop``
installs the files and reports what works on a GNOME Wayland desktop before and after.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from guard.desktop.gnome_extension import source_dir, target_dir
from guard.detect.observation import ProbeUnavailable
from guard.detect.windows.gnome_shell import EXTENSION_UUID, INTERFACE, PATH, READER_NAME, GnomeShellWindowLister
from guard.detect.windows.session_bus import BusError, call, open_session_bus

HERE = Path(__file__).resolve().parent
GJS = shutil.which("gjs")


@pytest.fixture(scope="module")
def bus() -> Iterator[dict[str, str]]:
    """A private session bus (no GNOME Shell on it until a test starts the harness)."""
    process = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                               stdout=subprocess.PIPE, text=True)
    address = process.stdout.readline().strip() if process.stdout else ""
    yield {"DBUS_SESSION_BUS_ADDRESS": address}
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def shell(bus, tmp_path) -> Iterator[Callable[[list[dict]], subprocess.Popen]]:
    """``shell(windows)`` starts the extension's object under gjs, serving ``windows``."""
    if GJS is None:
        pytest.fail("gjs is not installed (run .ci/install --test)")
    started: list[subprocess.Popen] = []

    def start(windows: list[dict]) -> subprocess.Popen:
        folder = tmp_path / "extension"
        folder.mkdir(exist_ok=True)
        shutil.copy(source_dir() / "windowTitles.js", folder / "windowTitles.js")
        shutil.copy(HERE / "gnome_shell_harness.js", folder / "harness.js")
        (folder / "windows.json").write_text(json.dumps(windows), encoding="utf-8")
        process = subprocess.Popen([GJS, "-m", str(folder / "harness.js"), str(folder / "windows.json")],
                                   env=dict(os.environ, **bus), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        started.append(process)
        assert process.stdout is not None and process.stdout.readline().strip() == "READY", process.stderr.read()
        return process

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


WINDOWS = [
    {"id": 11, "pid": 4242, "title": "Zoom Meeting"},
    {"id": 12, "pid": -1, "title": "Meet – abc-defg-hij – Chromium"},  # Mutter says -1 when it does not know
    {"id": 13, "pid": 4343, "title": ""},
]


def test_the_lister_reads_titles_and_pids_from_the_extension(shell, bus):
    shell(WINDOWS)
    lister = GnomeShellWindowLister(env=bus)
    try:
        found = [(w.title, w.pid, w.window_id) for w in lister.windows()]
    finally:
        lister.close()
    assert found == [("Zoom Meeting", 4242, 11), ("Meet – abc-defg-hij – Chromium", None, 12)]


def test_the_lister_marks_the_window_with_the_shells_focus_active(shell, bus):
    """The extension's Focused() names the window with the focus (global.display.focus_window in the Shell;
    the harness's window marked focused): only that window is active; with none focused, none is."""
    shell([dict(WINDOWS[0]), dict(WINDOWS[1], focused=True)])
    lister = GnomeShellWindowLister(env=bus)
    try:
        assert [(w.window_id, w.active) for w in lister.windows()] == [(11, False), (12, True)]
    finally:
        lister.close()


def test_no_window_is_active_when_the_shell_has_none_focused(shell, bus):
    shell(WINDOWS)
    lister = GnomeShellWindowLister(env=bus)
    try:
        assert [w.active for w in lister.windows()] == [False, False]
    finally:
        lister.close()


def test_only_a_holder_of_the_guards_reader_name_is_answered(shell, bus):
    shell(WINDOWS)
    stranger = open_session_bus(bus)
    try:
        with pytest.raises(BusError) as refused:
            call(stranger, "org.gnome.Shell", PATH, INTERFACE, "List")
        assert refused.value.name == "org.freedesktop.DBus.Error.AccessDenied"
        with pytest.raises(BusError) as refused:
            call(stranger, "org.gnome.Shell", PATH, INTERFACE, "Focused")
        assert refused.value.name == "org.freedesktop.DBus.Error.AccessDenied", "which window has the focus, too"
    finally:
        stranger.close()


def test_a_second_reader_queued_behind_the_tray_app_is_answered_too(shell, bus):
    shell(WINDOWS)
    tray, cli = GnomeShellWindowLister(env=bus), GnomeShellWindowLister(env=bus)
    try:
        assert [w.title for w in tray.windows()][0] == "Zoom Meeting"  # holds the name
        assert [w.title for w in cli.windows()][0] == "Zoom Meeting"  # queued for it
        owners = _queued_owners(bus)
        assert len(owners) == 2
    finally:
        tray.close()
        cli.close()


def test_hostile_window_lists_are_cut(shell, bus):
    long_title = "Zoom Meeting " + "x" * 20_000 + " end"
    shell([{"id": n, "pid": 1000 + n, "title": long_title if n == 0 else f"Window {n}"} for n in range(700)])
    lister = GnomeShellWindowLister(env=bus)
    try:
        windows = lister.windows()
    finally:
        lister.close()
    assert len(windows) == 500
    assert windows[0].title.startswith("Zoom Meeting") and windows[0].title.endswith(" end")
    assert len(windows[0].title) <= 4096


def test_without_the_extension_the_lister_says_how_to_install_it(bus):
    lister = GnomeShellWindowLister(env=bus)
    try:
        with pytest.raises(ProbeUnavailable, match="install-gnome-extension"):
            lister.windows()
    finally:
        lister.close()


def test_desktop_status_on_gnome_wayland_before_and_after_the_extension(shell, bus, tmp_path):
    env = dict(os.environ, **bus, XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="ubuntu:GNOME",
               WAYLAND_DISPLAY="wayland-0", DISPLAY=":99", XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("SWAYSOCK", None)
    before = _status(env)
    (titles,) = [c for c in before["capabilities"] if c["signal"] == "windows"]
    assert titles["works"] is False
    assert titles["detail"].startswith("unavailable on GNOME Wayland without the app's GNOME Shell extension")
    assert "X11 apps running through Xwayland are still read" in titles["detail"]
    assert "install-gnome-extension" in titles["enable"]

    installed = subprocess.run([sys.executable, "-m", "guard", "desktop", "install-gnome-extension", "--json"],
                               env=env, capture_output=True, text=True, timeout=60)
    assert installed.returncode == 0, installed.stderr
    result = json.loads(installed.stdout)
    folder = target_dir(env)
    assert result["path"] == str(folder) and folder.name == EXTENSION_UUID
    assert sorted(p.name for p in folder.iterdir()) == ["extension.js", "metadata.json", "windowTitles.js"]
    assert json.loads((folder / "metadata.json").read_text())["uuid"] == EXTENSION_UUID
    assert result["enabled"] is False and "log out and back in" in result["next_step"]
    (titles,) = [c for c in _status(env)["capabilities"] if c["signal"] == "windows"]
    assert titles["works"] is False and "installed but GNOME Shell has not loaded it" in titles["detail"]

    shell(WINDOWS)  # the Shell now runs the extension
    after = _status(env)
    assert after["services"]["gnome_extension"] == "active"
    (titles,) = [c for c in after["capabilities"] if c["signal"] == "windows"]
    assert titles["works"] is True and "GNOME Shell extension (experimental" in titles["detail"]

    removed = subprocess.run([sys.executable, "-m", "guard", "desktop", "uninstall-gnome-extension"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert removed.returncode == 0 and not folder.exists(), removed.stderr


def _status(env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-m", "guard", "desktop", "status", "--json"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _queued_owners(bus: dict[str, str]) -> list[str]:
    conn = open_session_bus(bus)
    try:
        (owners,) = call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                         "ListQueuedOwners", "s", (READER_NAME,))
        return list(owners)
    finally:
        conn.close()


def test_the_shipped_extension_declares_what_gnome_shell_requires():
    metadata = json.loads((source_dir() / "metadata.json").read_text())
    assert metadata["uuid"] == EXTENSION_UUID
    assert all(version.isdigit() and int(version) >= 45 for version in metadata["shell-version"])
    text = (source_dir() / "extension.js").read_text()
    assert "export default class" in text and "enable()" in text and "disable()" in text
