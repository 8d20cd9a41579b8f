"""Screenshots of the browser companion for the README, taken on a real X server:

    python -m tests.browser.screenshots docs/screenshots

Starts a private desktop (Xvfb + trayer + dunst), the local meeting site, real Chromium with the
extension loaded and the host registered (as tests/browser does), opens a Google Meet tab in the
running browser, and reads the screen back with ImageMagick's ``import``. Writes
browser-meeting-tab.png (the tab, with the app's view of it: ``meeting-guard scan`` in a terminal
window beside it), browser-extension.png (the extension's page in chrome://extensions: what it
may read, and its fixed ID), browser-ai-notice.png (a Jitsi Meet room announcing a recording in
jitsi-meet's own words, and the real tray app's notification about it, drawn by dunst) and
browser-preferences.png (the settings window's browser-extension section, per browser, as Qt
renders it on that display).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from guard.browser import ids  # noqa: E402
from guard.browser.generate import extension_dir  # noqa: E402
from tests.browser.support.browsers import Chromium, wait_for  # noqa: E402
from tests.browser.support.pulse import pulse_server  # noqa: E402
from tests.browser.support.site import TITLES, MeetingSite, Page  # noqa: E402
from tests.support.cli import run_main  # noqa: E402
from tests.support.desktop import DesktopSession  # noqa: E402
from tests.ui.screenshots import shoot, window_geometry  # noqa: E402

MEET = "https://meet.google.com/abc-defg-hij"
# A plain window showing a text file in a monospace font (what a terminal would show), on the right.
TEXT_WINDOW = """
import sys
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(["meeting-guard scan"])
view = QPlainTextEdit(open(sys.argv[1], encoding="utf-8").read())
view.setReadOnly(True)
view.setFont(QFont("DejaVu Sans Mono", 8))
view.setWindowTitle("meeting-guard scan")
view.setGeometry(600, 330, 670, 460)
view.setStyleSheet("background: #1e1e1e; color: #e0e0e0;")
view.show()
app.exec()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    out: Path = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="mpg-browser-shots-"))
    desktop = DesktopSession.start()
    os.environ.update(desktop.env)
    try:
        with pulse_server(work / "pulse") as pulse, MeetingSite(work / "site") as site:
            home = work / "home"
            home.mkdir()
            env = desktop.child_env(dict(os.environ))
            env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), MEETING_GUARD_HOME=str(work / "mpg"),
                       PULSE_SERVER=pulse)
            os.environ.update({k: env[k] for k in ("HOME", "XDG_CONFIG_HOME", "MEETING_GUARD_HOME")},
                              QT_QPA_PLATFORM="xcb")  # the tray app, in this process, as this user
            assert run_main("browser", "install", "--browser", "chromium", env=env).returncode == 0
            site.pages[("meet.google.com", "/abc-defg-hij")] = Page(
                TITLES["google-meet"][0], participants=("Ada Lovelace", "Grace Hopper", "Fireflies.ai Notetaker"),
                body="<p style='font:20px sans-serif'>A meeting page served by the test site under its real address."
                     "</p>")
            browser = Chromium(home, env, extension_dir(), site.port)
            try:
                browser.open(MEET)
                scan = ""
                for _ in range(40):
                    result = run_main("scan", env=env)
                    scan = result.stdout
                    if "Google Meet" in scan and "Fireflies" in scan:
                        break
                    time.sleep(0.5)
                terminal = work / "scan.txt"
                terminal.write_text("$ meeting-guard scan\n" + scan)
                viewer = subprocess.Popen([sys.executable, "-c", TEXT_WINDOW, str(terminal)],
                                          env={**env, "QT_QPA_PLATFORM": "xcb"})
                wait_for(lambda: window_geometry("meeting-guard scan") is not None, 30, 0.2, "the text window")
                time.sleep(1)
                shoot("root", out / "browser-meeting-tab.png", (0, 0, 1280, 800))
                viewer.terminate()
                viewer.wait(10)
                browser._get(f"/json/new?chrome://extensions/?id={ids.CHROMIUM_EXTENSION_ID}", method="PUT")
                wait_for(lambda: any("chrome://extensions" in t["url"] for t in browser.targets()), 30)
                time.sleep(2)
                geometry = window_geometry("Extensions - Chromium") or (0, 0, 1100, 700)
                shoot("root", out / "browser-extension.png", geometry)
                browser.close(MEET)
                notification = ai_notice_shot(browser, site, work, out / "browser-ai-notice.png")
                print(json.dumps({"written": ["browser-meeting-tab.png", "browser-extension.png",
                                              "browser-ai-notice.png", "browser-preferences.png"],
                                  "scan": scan.splitlines()[:12], "notification": notification}, indent=1))
            finally:
                browser.stop()
    finally:
        desktop.stop()
        shutil.rmtree(work, ignore_errors=True)


NOTICE_STYLE = ("<style>body{font:16px sans-serif} [role=dialog]{position:fixed;left:120px;top:200px;width:420px;"
                "padding:18px 24px;background:#fff;border-radius:8px;box-shadow:0 4px 24px #0006}"
                "[role=dialog] button{float:right;padding:6px 16px}</style>")


def ai_notice_shot(browser: Chromium, site: MeetingSite, work: Path, target: Path) -> dict[str, str]:
    """The real tray app in this process (told by the host over its socket), a Jitsi room that announces a
    recording a moment after it opens, and the screen once dunst shows the app's notification."""
    from PySide6.QtWidgets import QApplication

    from guard.paths import app_paths
    from ui.shell import Shell
    from ui.single_instance import InstanceServer, server_name

    app = QApplication.instance() or QApplication(["meeting-guard"])

    def pump_until(test: Any, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not test():
            if time.monotonic() > deadline:
                raise SystemExit("screenshots: timed out waiting for the app")
            app.processEvents()
            time.sleep(0.02)

    paths = app_paths().ensure()
    paths.settings_file.write_text("[detection]\ninterval_seconds = 2\n[terms]\nnetwork_enabled = false\n")
    shell = Shell(paths)
    server = InstanceServer(server_name(paths.config_dir))
    server.command_received.connect(shell.handle_command)
    shell.start()
    try:
        pump_until(lambda: shell.services is not None and shell.tray.embedded)
        site.pages[("meet.jit.si", "/TeamStandup")] = Page(
            TITLES["jitsi-meet"][0], notice_after_ms=2500, notice="Ada Lovelace started the recording",
            body=NOTICE_STYLE + "<p>A Jitsi Meet room served by the test site under its real address.</p>")
        browser.open("https://meet.jit.si/TeamStandup")
        pump_until(lambda: any(key.startswith("ai:") for key in shell.notices))
        deadline = time.monotonic() + 2  # dunst draws the popups
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        shoot("root", target, (0, 0, 1280, 720))
        notice = next(n for key, n in shell.notices.items() if key.startswith("ai:"))
        subprocess.run(["dunstctl", "close-all"], env=dict(os.environ), check=False)

        # The settings window's Preferences: the browser-extension section, per browser found.
        shell.show_settings("preferences")
        pump_until(lambda: shell.settings_host.window is not None)
        window = shell.settings_host.window
        assert window is not None
        panel = window.preferences.browsers
        pump_until(lambda: "chromium" in panel.states and "connected" in panel.states["chromium"].text())
        window.setGeometry(10, 10, 1200, 740)
        window.raise_()
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.02)
        # Qt's own rendering of the section (the page scrolls sideways when its paths are long, which
        # would cut the buttons off a screen grab)
        panel.grab().save(str(target.with_name("browser-preferences.png")))
        return {"title": notice.title, "body": notice.body,
                "preferences": "; ".join(f"{k}: {v.text()}" for k, v in panel.states.items())}
    finally:
        server.close()
        shell.shutdown()


if __name__ == "__main__":
    main()
