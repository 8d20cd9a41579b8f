"""Screenshots of the browser companion for the README, taken on a real X server:

    python -m tests.browser.screenshots docs/screenshots

Starts a private desktop (Xvfb + trayer + dunst), the local meeting site, real Chromium with the
extension loaded and the host registered (as tests/browser does), opens a Google Meet tab in the
running browser, and reads the screen back with ImageMagick's ``import``. Writes
browser-meeting-tab.png (the tab, with the app's view of it: ``meeting-guard scan`` in a terminal
window beside it) and browser-extension.png (the extension's page in chrome://extensions: what it
may read, and its fixed ID).
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
                print(json.dumps({"written": ["browser-meeting-tab.png", "browser-extension.png"],
                                  "scan": scan.splitlines()[:12]}, indent=1))
            finally:
                browser.stop()
    finally:
        desktop.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
