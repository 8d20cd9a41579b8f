"""Start the tray app: one instance per user, a tray icon, a settings window on demand."""

from __future__ import annotations

import logging
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel, QMenu, QSystemTrayIcon

from guard import APP_NAME, __version__
from guard.paths import AppPaths, resources_dir
from guard.settings import SettingsStore
from ui.single_instance import SHOW_SETTINGS, InstanceServer, hand_off, server_name

log = logging.getLogger(__name__)

SETTINGS_TITLE = f"{APP_NAME} Settings"


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "meeting-privacy-guard.svg"))


class Shell:
    """Owns the app's top-level objects for one run."""

    def __init__(self, paths: AppPaths) -> None:
        self.paths = paths
        self.settings = SettingsStore(paths.settings_file).load_and_repair()
        self.settings_window = QMainWindow()
        self.settings_window.setWindowTitle(SETTINGS_TITLE)
        self.settings_window.setCentralWidget(QLabel(f"{APP_NAME} {__version__}"))
        self.tray = QSystemTrayIcon(app_icon())
        self.tray.setToolTip(f"{APP_NAME}: idle")
        menu = QMenu()
        menu.addAction("Open settings", self.show_settings)
        menu.addSeparator()
        menu.addAction("Quit", QApplication.quit)
        self.tray.setContextMenu(menu)
        self._menu = menu

    def start(self) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
        else:
            log.warning("No system tray on this desktop; showing the settings window instead.")
            self.show_settings()

    def handle_command(self, command: str) -> None:
        if command == SHOW_SETTINGS:
            self.show_settings()

    def show_settings(self) -> None:
        log.info("Showing the settings window")
        self.settings_window.show()
        self.settings_window.raise_()
        self.settings_window.activateWindow()


def run_app(paths: AppPaths) -> int:
    """Run the tray app until Quit; a second start hands over to the first and returns 0."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)
    name = server_name(paths.config_dir)
    if hand_off(name, SHOW_SETTINGS):
        log.info("%s is already running; asked it to show its settings window.", APP_NAME)
        return 0
    paths.ensure()
    app.setWindowIcon(app_icon())
    shell = Shell(paths)
    server = InstanceServer(name)
    server.command_received.connect(shell.handle_command)
    shell.start()
    _quit_on_signals(app)
    log.info("%s %s started", APP_NAME, __version__)
    code = app.exec()
    server.close()
    return code


def _quit_on_signals(app: QApplication) -> None:
    """Quit cleanly on SIGINT/SIGTERM (logout, Ctrl+C); a timer lets Python see the signal."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
