"""The accessibility tests' world: a real Qt client (a11y_client.py) run under a chosen process
name, with Qt's accessibility forced on, and driven through its commands file."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.detect.world import Processes
from tests.support.desktop import DesktopSession

HERE = Path(__file__).resolve().parent
TITLE = "A11y Test Meeting"
# A test provider's recording feature with the notice words Teams shows (resources/catalog/teams.toml),
# and a note-taker bot named as Fireflies names its bot (resources/catalog/fireflies.toml).
FEATURE = """
[[ai_features]]
id = "recording"
name = "Recording"
description = "Test feature: the meeting is recorded."
enabled_by = ["host"]
participant_notice = "A recording banner."
participant_options = ["leave"]
[[ai_features.sources]]
url = "https://example.org/test-recording"
checked = 2026-12-01
[[ai_features.notices]]
text = "Recording has started."
language = "en"
place = "banner"
[[ai_features.notices.sources]]
url = "https://example.org/test-recording"
checked = 2026-12-01
"""
BOT_PROVIDER = """id = "a11ybot"
name = "Test note-taker"
vendor = "Test vendor"
kind = "notetaker"
homepage = "https://example.org/a11ybot"
[detect]
participant_names = ['(?i)^Fireflies(\\.ai)? Notetaker\\b']
"""


class QtClient:
    """One running a11y_client.py under a given process name, driven through its commands file."""

    def __init__(self, processes: Processes, folder: Path, name: str, env: dict[str, str], title: str = TITLE):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        program = folder / name  # Linux names a script's process after the script's file name
        program.write_text(f"#!{sys.executable}\n" + (HERE / "a11y_client.py").read_text(encoding="utf-8"),
                           encoding="utf-8")
        program.chmod(0o755)
        self.process = processes.start([str(program), title, str(folder)], env=env)
        self.sent = 0
        wait_for(lambda: (folder / "ready").exists() or self.process.poll() is not None, 30)
        assert (folder / "ready").exists(), "the Qt client did not start"

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, command: str) -> None:
        with (self.folder / "commands").open("a", encoding="utf-8") as commands:
            commands.write(command + "\n")
        self.sent += 1
        wait_for(lambda: (self.folder / f"done-{self.sent}").exists(), 60)
        assert (self.folder / f"done-{self.sent}").exists(), f"the Qt client did not do {command[:40]!r}"


def wait_for(done: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)


def qt_env(desktop: DesktopSession) -> dict[str, str]:
    """The session's environment with Qt on X11 and its AT-SPI bridge forced on (as a user would
    start a client to make it readable; docs/accessibility.md)."""
    env = desktop.child_env()
    env.update(QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1")
    return env
