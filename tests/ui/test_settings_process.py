"""The settings window in its own process (ui/settings_remote.py, ui/settings_process.py): the tray
app starts it, shows the tab asked for, hears back settings saved and "check terms now", and the
process ends when the window closes, so the window's memory goes back to the system. Real
processes, a real local socket, the real window."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import psutil
import pytest

from guard.services import Services
from tests.ui.conftest import blocking_ok
from ui.jobs import JobRunner
from ui.settings_process import WindowLink
from ui.settings_link import WINDOW_FLAG
from ui.settings_remote import ProcessSettingsHost, settings_command

ENTRY_SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "meeting_guard.py"


@pytest.fixture
def host(qtbot, world):
    """Hosts made here are deleted on the GUI thread at the end (a parentless QObject left to
    Python's garbage collector may be deleted on a worker thread, under Qt's feet)."""
    made: list[ProcessSettingsHost] = []

    def make(**options) -> ProcessSettingsHost:
        jobs = JobRunner()
        made.append(ProcessSettingsHost(jobs, world.paths, **options))
        jobs.setParent(made[-1])
        return made[-1]

    yield make
    for one in made:
        one.close()
        if one.window is not None:
            one.window.hide()
        one.deleteLater()
    qtbot.wait(50)


def test_the_window_runs_in_a_process_of_its_own_and_ends_when_closed(qtbot, host, world):
    settings = host()
    with qtbot.waitSignal(settings.shown, timeout=60000) as shown:
        settings.show("history")
    assert shown.args == ["history"]
    assert settings.window is None  # nothing of the window in the tray app
    child = psutil.Process(settings.process.processId())
    assert child.pid != os.getpid() and child.is_running()
    assert "ui.settings_process" in child.cmdline()
    logged = world.paths.log_file.read_text(encoding="utf-8")  # the app's log file, not the tray's stderr
    assert any(f"[settings {child.pid}]" in line and line.endswith("Settings window process started")
               for line in logged.splitlines())

    with qtbot.waitSignal(settings.shown, timeout=20000) as shown:  # a second request goes to the same window
        settings.show_terms_change("zoom", "terms")
    assert shown.args == ["terms"] and settings.process.processId() == child.pid

    with qtbot.waitSignal(settings.ended, timeout=20000) as ended:
        settings.close_window()
    assert ended.args == [0] and not settings.running
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE

    with qtbot.waitSignal(settings.shown, timeout=60000) as shown:  # and it opens again, in a new process
        settings.show()
    assert shown.args == ["terms"]  # the tab used last (the window saved its state when closed)
    again = psutil.Process(settings.process.processId())
    settings.close()  # the tray app quits: the window's process ends with it
    assert not settings.running
    assert not again.is_running() or again.status() == psutil.STATUS_ZOMBIE


def test_a_frozen_app_starts_the_window_through_its_own_launcher(qtbot, host, world):
    """A bundle has no ``python -m``: the tray app starts its own executable with the launcher's hidden
    --settings-window. Here the launcher is the entry script (packaging/meeting_guard.py) under this
    Python: the same command line as frozen, through the same dispatch, to the real window."""
    settings = host(command=functools.partial(settings_command, frozen_launcher=[sys.executable, str(ENTRY_SCRIPT)]))
    with qtbot.waitSignal(settings.shown, timeout=60000) as shown:
        settings.show("providers")
    assert shown.args == ["providers"] and settings.window is None  # not the in-process fallback
    child = psutil.Process(settings.process.processId())
    assert child.cmdline()[1:4] == [str(ENTRY_SCRIPT), WINDOW_FLAG, settings.server_name]
    with qtbot.waitSignal(settings.ended, timeout=20000) as ended:
        settings.close_window()
    assert ended.args == [0] and not settings.running


@pytest.mark.parametrize("command", [[sys.executable + "-missing", "-c", "pass"],  # cannot start
                                     [sys.executable, "-c", "raise SystemExit(3)"]],  # dies before its window
                         ids=["not-started", "died"])
def test_without_a_child_process_the_window_opens_in_the_tray_app(qtbot, host, world, command):
    settings = host(command=lambda *_args: command)
    with blocking_ok():
        settings.set_services(Services(world.paths))
    settings.show("preferences")
    qtbot.waitUntil(lambda: settings.window is not None and settings.window.isVisible(), timeout=20000)
    assert settings.window.current_tab() == "preferences"


def test_the_windows_requests_reach_the_tray_app_over_the_link(qtbot, host, world):
    """The window's end (WindowLink) talks to the tray's end over the real socket; the window is
    built here so the test can press its buttons, while a real process holds the tray's end open."""
    from ui.settings.window import SettingsWindow

    settings = host(command=lambda *_args: [sys.executable, "-c", "import time; time.sleep(60)"])
    settings.show("overview")
    qtbot.waitUntil(lambda: settings.running, timeout=10000)
    with blocking_ok():
        services = Services(world.paths)
        _events, snapshot = services.detect()
    window = SettingsWindow(services)  # its own job runner, deleted with it
    qtbot.addWidget(window)
    settings.set_snapshot(snapshot)  # sent once the window connects
    link = WindowLink(settings.server_name, window)
    qtbot.waitUntil(lambda: window.overview.snapshot is not None, timeout=10000)
    assert window.overview.snapshot == snapshot

    with qtbot.waitSignal(settings.check_terms_requested, timeout=10000) as asked:
        window.check_terms_requested.emit("zoom")
    assert asked.args == ["zoom"]
    quiet = services.settings.model_copy(update={"notifications": services.settings.notifications.model_copy(
        update={"meeting_started": False})})
    with qtbot.waitSignal(settings.settings_saved, timeout=10000) as saved:
        window.settings_changed.emit(quiet)
    assert saved.args == [quiet]

    with qtbot.waitSignal(settings.shown, timeout=10000) as shown:
        settings.show("providers")
    assert shown.args == ["providers"] and window.current_tab() == "providers"
    link.socket.abort()
    window.close()


def test_modules_in_the_working_folder_never_run_in_the_window(qtbot, host, world, tmp_path, monkeypatch):
    """``python -m`` puts the working folder first on the module path: a json.py left where the
    user started the app (a download, a cloned repository) must not run in the window's process."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("json", "socket", "struct", "signal", "argparse"):
        (folder / f"{name}.py").write_text(f"open({str(folder / ('RAN-' + name))!r}, 'w').write('ran')\n"
                                           "raise SystemExit(3)\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    settings = host()
    with qtbot.waitSignal(settings.shown, timeout=60000) as shown:
        settings.show("history")
    assert shown.args == ["history"] and settings.window is None, "shown by its own process"
    assert sorted(path.name for path in folder.glob("RAN-*")) == []
    with qtbot.waitSignal(settings.ended, timeout=20000):
        settings.close_window()


def test_the_window_in_its_own_process_says_the_tray_icon_is_shown(qtbot, host, world, monkeypatch):
    """On a clean start under Xvfb with trayer, the icon sat on the panel while the window (now a process
    of its own, which cannot see the icon) said "Tray icon (not known)": the tray app tells it."""
    from ui.tray.presence import TrayPresence, tray_presence

    monkeypatch.setattr("ui.tray.presence._PRESENCE", TrayPresence())
    tray_presence().mark_shown()  # what the tray icon does once trayer gives it a place
    settings = host()
    with qtbot.waitSignal(settings.shown, timeout=60000):
        settings.show("overview")
    child = settings.process.processId()

    def told() -> bool:
        logged = world.paths.log_file.read_text(encoding="utf-8").splitlines()
        return any(f"[settings {child}]" in line and line.endswith("The tray app's icon is shown") for line in logged)

    qtbot.waitUntil(told, timeout=20000)
    with qtbot.waitSignal(settings.ended, timeout=20000):
        settings.close_window()


def test_the_overview_says_the_icon_is_shown_when_the_tray_app_says_so(qtbot, world, monkeypatch):
    """The window's end of the link: "tray-shown" from the tray app makes the Overview say the icon is shown."""
    from PySide6.QtNetwork import QLocalServer

    from ui.settings.window import SettingsWindow
    from ui.settings_link import encode
    from ui.tray.presence import TrayPresence

    monkeypatch.setattr("ui.tray.presence._PRESENCE", TrayPresence())
    server = QLocalServer()
    name = f"walk-tray-{os.getpid()}"
    QLocalServer.removeServer(name)
    assert server.listen(name)
    with blocking_ok():
        services = Services(world.paths)
    window = SettingsWindow(services)
    qtbot.addWidget(window)
    window.present("overview")
    overview = window.overview
    qtbot.waitUntil(lambda: overview.desktop is not None, timeout=30_000)
    assert "Tray icon (✓ works): shown" not in overview.browser.toPlainText()  # only the tray app sees its icon
    link = WindowLink(name, window)
    qtbot.waitUntil(server.hasPendingConnections, timeout=10000)
    tray_end = server.nextPendingConnection()
    tray_end.write(encode("tray-shown"))
    tray_end.flush()
    qtbot.waitUntil(lambda: "Tray icon (✓ works): shown" in overview.browser.toPlainText(), timeout=10000)
    link.socket.abort()
    server.close()
    window.close()
