"""Screenshots for the README, taken from the real app on a real X server:

    python -m tests.ui.screenshots docs/screenshots

Starts a private desktop (Xvfb + trayer + dunst), a fake Zoom client (a copy of ``sleep``
named ``zoom``, as the shipped catalog's process name) with a window titled "Zoom Meeting",
and the tray app in this process with the shipped catalog. Detection, the notification and
the dialog are the real ones; the screen is read back with ImageMagick's ``import``.
Writes tray-menu.png, notification.png, consent-dialog.png and tray-icons.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.desktop import DesktopSession  # noqa: E402


def shoot(window: str, out: Path, crop: tuple[int, int, int, int] | None = None) -> Path:
    """Save what X shows for ``window`` ("root" or an id), cropped to (x, y, width, height)."""
    args = ["import", "-window", window]
    if crop is not None:
        x, y, width, height = crop
        args += ["-crop", f"{width}x{height}+{x}+{y}", "+repage"]
    subprocess.run([*args, str(out)], check=True, env=dict(os.environ), timeout=30)
    return out


def window_geometry(name: str) -> tuple[int, int, int, int] | None:
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True, env=dict(os.environ)).stdout
    for line in tree.splitlines():
        if f'"{name}"' in line and "+" in line:
            size = line.split(")")[-1].split()[0]  # WxH+X+Y
            width, rest = size.split("x", 1)
            height, x, y = rest.replace("-", "+-").split("+")[:3]
            return int(x), int(y), int(width), int(height)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    work = Path(tempfile.mkdtemp(prefix="mpg-shots-"))
    desktop = DesktopSession.start()
    os.environ.update(desktop.env)
    os.environ.update(QT_QPA_PLATFORM="xcb", MEETING_GUARD_HOME=str(work / "home"))
    (work / "home" / "config").mkdir(parents=True)
    (work / "home" / "config" / "settings.toml").write_text("[detection]\ninterval_seconds = 0.5\n"
                                                           "[terms]\nnetwork_enabled = false\n")
    started: list[subprocess.Popen] = []
    try:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtWidgets import QApplication

        from guard.paths import app_paths
        from guard.presentation.status import TrayState
        from tests.ui.icon_sheet import render_sheet
        from ui.shell import Shell

        app = QApplication(["meeting-guard"])
        app.setApplicationName("Meeting Privacy Guard")

        def pump(seconds: float) -> None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.02)

        def pump_until(predicate, timeout: float = 30.0) -> None:
            deadline = time.monotonic() + timeout
            while not predicate():
                if time.monotonic() > deadline:
                    raise SystemExit("screenshots: timed out waiting for the app")
                pump(0.05)

        shell = Shell(app_paths().ensure())
        shell.start()
        pump_until(lambda: shell.services is not None and shell.tray.embedded)

        (work / "bin").mkdir()
        client = work / "bin" / "zoom"
        shutil.copy2("/bin/sleep", client)
        zoom = subprocess.Popen([str(client), "600"], start_new_session=True)
        started.append(zoom)
        started.append(subprocess.Popen([sys.executable, str(ROOT / "tests/detect/x11_window.py"), "Zoom Meeting",
                                         str(zoom.pid), str(work / "mapped")], env=desktop.child_env()))
        pump_until(lambda: shell.status is not None and shell.status.state == TrayState.AI_MEETING)
        subprocess.run(["xdotool", "search", "--name", "^Zoom Meeting$", "windowmove", "%@", "900", "560"],
                       env=dict(os.environ))  # the fake meeting window: out of the way of the menu
        pump_until(lambda: any(k.startswith("meeting:") for k in shell.notices))
        pump(1.5)  # dunst draws the popup

        # 1. The notification, as dunst shows it (top right, under the tray).
        popup = window_geometry("Dunst")
        screen_width = 1280
        if popup is not None:
            x, y, width, height = popup
            left = min(x - 20, screen_width - 380)
            shoot("root", out / "notification.png", (left, 0, screen_width - left, y + height + 20))

        # 2. The consent dialog, opened from the notification's action.
        subprocess.run(["dunstctl", "action", "0"], env=dict(os.environ), check=True)
        pump_until(lambda: bool(shell.dialogs))
        dialog = shell.dialogs[-1]
        dialog.decision_buttons["refused"].click()
        dialog.purposes.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.note.setPlainText("Asked the host to turn the summary off.")
        dialog.move(40, 40)
        pump(1.0)
        shoot(hex(int(dialog.winId())), out / "consent-dialog.png")
        dialog.reject()
        subprocess.run(["dunstctl", "close-all"], env=dict(os.environ))
        pump(0.5)

        # 3. The tray menu with the meeting's submenu open.
        geometry = shell.tray.icon.geometry()
        menu = shell.tray.menu
        menu.popup(QPoint(geometry.right() - menu.sizeHint().width(), geometry.bottom() + 2))
        pump(0.5)
        meeting_action = next(a for a in menu.actions() if a.menu() is not None)
        menu.setActiveAction(meeting_action)
        meeting_action.menu().popup(QPoint(menu.x() - meeting_action.menu().sizeHint().width(),
                                           menu.y() + menu.actionGeometry(meeting_action).y()))
        pump(0.5)
        submenu = meeting_action.menu()
        shown = [m for m in (menu, submenu) if m.isVisible()]
        left = max(0, min(m.x() for m in shown) - 10)
        bottom = max(m.y() + m.height() for m in shown) + 10
        shoot("root", out / "tray-menu.png", (left, 0, screen_width - left, bottom))
        menu.hide()

        render_sheet(out / "tray-icons.png", zoom=4)
        assert shell.shutdown()
        for path in sorted(out.glob("*.png")):
            print(path)
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=10)
        desktop.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
