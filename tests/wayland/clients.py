"""Real Wayland (and Xwayland) clients for the tests: foot terminals and Qt windows with the
titles a meeting client shows, started in a test session and found in sway's tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.detect.world import Processes, client_copy
from tests.support.processes import wait_until
from tests.support.wayland import WaylandSession


def views(session: WaylandSession) -> list[dict]:
    """Every view in sway's tree, as ``swaymsg -t get_tree`` shows it (the independent oracle)."""
    found: list[dict] = []
    stack = [session.swaymsg("-t", "get_tree")]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "shell" in node:
                found.append(node)
            stack += node.get("nodes", []) + node.get("floating_nodes", [])
    return found


def wait_for_view(session: WaylandSession, title: str, timeout: float = 30,
                  context: Callable[[], str] = lambda: "") -> dict:
    """The view titled ``title``; on failure the message adds ``context()`` (e.g. the app's log)."""
    found: list[dict] = []

    def shown() -> bool:
        found[:] = [view for view in views(session) if view.get("name") == title]
        return bool(found)

    assert wait_until(shown, timeout=timeout, interval=0.2), f"no window titled {title!r} in sway's tree\n{context()}"
    return found[0]


def foot(processes: Processes, session: WaylandSession, title: str, *, name: str | None = None,
         folder: Path | None = None) -> subprocess.Popen:
    """A foot terminal titled ``title`` (a native Wayland window); ``name``: run a copy of foot so
    named, as a meeting client's process would be."""
    program = shutil.which("foot") or "foot"
    if name is not None:
        assert folder is not None
        program = str(client_copy(folder, name, program))
    process = processes.start([program, "--title", title, "--app-id", "meeting-test", "sleep", "600"],
                              env=session.child_env())
    wait_for_view(session, title)
    return process


def qt_window(processes: Processes, session: WaylandSession, title: str, platform: str = "wayland") -> subprocess.Popen:
    """A Qt window titled ``title``: native Wayland, or an X11 window on Xwayland (``platform="xcb"``)."""
    env = dict(session.child_env(), QT_QPA_PLATFORM=platform)
    script = ("import sys\nfrom PySide6.QtWidgets import QApplication, QWidget\napp = QApplication(sys.argv)\n"
              "w = QWidget(); w.setWindowTitle(sys.argv[1]); w.resize(320, 200); w.show()\napp.exec()\n")
    return processes.start([sys.executable, "-c", script, title], env=env)
