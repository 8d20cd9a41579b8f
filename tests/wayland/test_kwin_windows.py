"""Window titles on KDE Plasma's compositor: a real KWin (``kwin_wayland --virtual``, headless)
with its scripting interface on a private session bus, and real Wayland windows in it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from guard.detect.observation import ProbeUnavailable
from guard.detect.platform import linux_window_lister
from guard.detect.windows.kwin_script import KWIN, SCRIPTING, SCRIPTING_PATH, KWinWindowLister
from guard.detect.windows.session_bus import call, open_session_bus
from guard.detect.windows.wayland import WaylandWindowLister
from tests.support.processes import wait_until
from tests.support.wayland import WaylandSession, WaylandUnavailable
from tests.wayland.clients import qt_window

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def kwin() -> Iterator[WaylandSession]:
    try:
        session = WaylandSession.start("kwin")
    except WaylandUnavailable as error:
        if os.environ.get("MPG_REQUIRE_DESKTOP") == "1":
            pytest.fail(f"KWin did not start: {error}")
        pytest.skip(f"no KWin: {error}")
    yield session
    session.stop()


def titles(lister: KWinWindowLister | WaylandWindowLister) -> set[tuple[str, int | None]]:
    return {(w.title, w.pid) for w in lister.windows()}


def test_a_kwin_script_reports_each_windows_caption_and_pid(kwin, processes):
    window = qt_window(processes, kwin, "Microsoft Teams meeting | Weekly — ✓")
    lister = KWinWindowLister(env=kwin.child_env())
    try:
        assert wait_until(lambda: ("Microsoft Teams meeting | Weekly — ✓", window.pid) in titles(lister), timeout=30)
        for _ in range(3):  # each call loads, runs and unloads a script: none is left behind
            assert ("Microsoft Teams meeting | Weekly — ✓", window.pid) in titles(lister)
    finally:
        lister.close()
    conn = open_session_bus(kwin.child_env())
    try:
        for n in range(1, 6):
            (loaded,) = call(conn, KWIN, SCRIPTING_PATH, SCRIPTING, "isScriptLoaded", "s",
                             (f"meeting-guard-windows-{os.getpid()}-{n}",))
            assert loaded is False
    finally:
        conn.close()


def test_a_kwin_script_says_which_window_has_the_focus(kwin, processes):
    """One window has KWin's focus (which one depends on its focus-stealing prevention): the script reports
    that one active, and no other."""
    qt_window(processes, kwin, "Focus test one")
    qt_window(processes, kwin, "Focus test two")
    lister = KWinWindowLister(env=kwin.child_env())
    try:
        def active() -> list[str]:
            return [w.title for w in lister.windows() if w.active]
        assert wait_until(lambda: len(active()) == 1 and active()[0].startswith("Focus test"), timeout=30), [
            (w.title, w.active) for w in lister.windows()]
    finally:
        lister.close()


def test_the_platform_picks_kwin_on_plasma_wayland(kwin, processes):
    window = qt_window(processes, kwin, "Zoom Meeting")
    lister = linux_window_lister(kwin.child_env())
    try:
        assert isinstance(lister, WaylandWindowLister) and isinstance(lister.primary, KWinWindowLister)
        assert wait_until(lambda: ("Zoom Meeting", window.pid) in titles(lister), timeout=30)
    finally:
        lister.close()


def test_without_kwin_on_the_bus_the_probe_says_so(kwin, tmp_path):
    import subprocess

    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           text=True)
    try:
        address = bus.stdout.readline().strip() if bus.stdout else ""
        lister = KWinWindowLister(env=dict(kwin.child_env(), DBUS_SESSION_BUS_ADDRESS=address))
        with pytest.raises(ProbeUnavailable, match="KWin is not on the session bus"):
            lister.windows()
        lister.close()
    finally:
        bus.terminate()
        bus.wait(timeout=10)
