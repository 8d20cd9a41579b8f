"""Screenshots for the README, taken from the real app under a real Wayland compositor:

    python -m tests.wayland.screenshots docs/screenshots

Starts headless sway (as an unprivileged user when run as root) with waybar and mako, a fake
Zoom client (a copy of foot named ``zoom``, the shipped catalog's process name) whose native
Wayland window is titled "Zoom Meeting", and ``meeting-guard`` itself on Qt's Wayland plugin
with the shipped catalog. The window titles come through sway's IPC; the screen is read back
with grim. Writes sway-desktop.png, sway-tray.png, sway-consent-dialog.png, sway-overview.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.detect.windows.session_bus import call, open_session_bus  # noqa: E402
from tests.detect.world import client_copy  # noqa: E402
from tests.support.processes import start_app, stop  # noqa: E402
from tests.support.wayland import WaylandSession  # noqa: E402
from tests.wayland.test_sway_app import CONSENT_TITLE, SETTINGS_TITLE, _item_of, _labels  # noqa: E402

WAIT = 90.0


def wait(predicate: Callable[[], object], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        time.sleep(0.2)


def crop(source: Path, out: Path, geometry: str, zoom: int = 1) -> Path:
    """ImageMagick: ``geometry`` (WxH+X+Y) of ``source``, scaled ``zoom`` times without smoothing."""
    args = ["convert", str(source), "-crop", geometry, "+repage"]
    if zoom != 1:
        args += ["-filter", "point", "-resize", f"{zoom * 100}%"]
    subprocess.run([*args, str(out)], check=True, timeout=60)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mpg-wayland-shots-"))
    session = WaylandSession.start("sway")
    env = dict(session.child_env(), MEETING_GUARD_HOME=str(work / "home"))
    (work / "home" / "config").mkdir(parents=True)
    (work / "home" / "config" / "settings.toml").write_text("[general]\nwelcome_shown = true\n"
                                                           "[detection]\ninterval_seconds = 0.5\n"
                                                           "[terms]\nnetwork_enabled = false\n")
    log = work / "home" / "logs" / "meeting-guard.log"
    started: list[subprocess.Popen] = []
    app = None
    try:
        app = start_app(env=env)
        wait(lambda: log.exists() and "Tray icon shown" in log.read_text(), "the tray icon")
        zoom = client_copy(work / "bin", "zoom", shutil.which("foot") or "foot")
        started.append(subprocess.Popen([str(zoom), "--title", "Zoom Meeting", "--app-id", "us.zoom.Zoom",
                                         "sh", "-c", "echo 'A stand-in for the Zoom client: a terminal named zoom';"
                                         " sleep 600"], env=session.child_env(), start_new_session=True))
        wait(lambda: any(n["summary"].startswith("Zoom meeting detected") for n in session.notifications()),
             "the meeting notification")
        time.sleep(1.5)  # mako and waybar draw
        desktop = session.screenshot(out / "sway-desktop.png")
        crop(desktop, out / "sway-tray.png", "360x28+920+0", zoom=2)

        (notification,) = [n for n in session.notifications() if n["summary"].startswith("Zoom meeting detected")]
        session.invoke(notification["id"], "open")
        wait(lambda: session.focused_title() == CONSENT_TITLE, "the consent dialog")
        session.dismiss_notifications()
        session.type_keys("-M", "alt", "r", "-m", "alt")  # "I refused", as a user would choose it
        time.sleep(1.0)
        session.screenshot(out / "sway-consent-dialog.png")
        session.type_keys("-k", "Escape")
        wait(lambda: session.focused_title() != CONSENT_TITLE, "the consent dialog to close")

        conn = open_session_bus(session.env)
        try:
            service, path = _item_of(conn, app.pid) or ("", "")
            (menu,) = call(conn, service, path, "org.freedesktop.DBus.Properties", "Get", "ss",
                           ("org.kde.StatusNotifierItem", "Menu"))
            _revision, layout = call(conn, service, menu[1], "com.canonical.dbusmenu", "GetLayout", "iias",
                                     (0, -1, []))
            call(conn, service, menu[1], "com.canonical.dbusmenu", "Event", "isvu",
                 (dict(_labels(layout))["Open settings"], "clicked", ("i", 0), 0))
        finally:
            conn.close()
        wait(lambda: session.focused_title() == SETTINGS_TITLE, "the settings window")
        time.sleep(4.0)  # the overview reads the desktop, the ledger and the terms store
        session.screenshot(out / "sway-overview.png")
        for shot in sorted(out.glob("sway-*.png")):
            print(shot)
    finally:
        if app is not None:
            stop(app)
        for process in started:
            process.terminate()
            process.wait(timeout=10)
        session.stop()
        shutil.rmtree(work, ignore_errors=True)
        os.environ.pop("MEETING_GUARD_HOME", None)


if __name__ == "__main__":
    main()
