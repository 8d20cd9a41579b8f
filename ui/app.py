"""Start the tray app: one instance per user; the tray icon first, everything else after.

Start-up order keeps the icon quick to appear: Qt and the tray icon, then (in the detection
thread) the catalog, stores and monitor; the ledger opens only when a decision is saved.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from guard import APP_NAME, APP_RDNS_ID, __version__
from guard.presentation.i18n import _
from ui.settings_host import SETTINGS_TITLE
from ui.single_instance import SHOW_SETTINGS, InstanceServer, hand_off, server_name
from ui.tray.icons import app_icon

if TYPE_CHECKING:
    from guard.services import AppPaths

log = logging.getLogger(__name__)

__all__ = ["SETTINGS_TITLE", "run_app"]


def run_app(paths: AppPaths, tell: Callable[[str], None] | None = None) -> int:
    """Run the tray app until Quit (or SIGTERM); a second start hands over to the first and returns 0.

    ``tell`` shows the user a one-line message (the command line writes it to stderr)."""
    from ui.memory import limit_arenas

    limit_arenas()  # before Qt and the job runner start their threads
    app = QApplication.instance() or QApplication(["meeting-guard"])  # argv[0] names the X11 WM_CLASS
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_RDNS_ID)  # Wayland and task managers match windows to the .desktop file
    app.setQuitOnLastWindowClosed(False)
    from ui.language import apply_language

    apply_language()  # the system's language; the settings' choice follows once they are read
    name = server_name(paths.config_dir)
    if hand_off(name, SHOW_SETTINGS):
        said = _("{app} is already running; handed over to it (it shows its settings window).").format(app=APP_NAME)
        log.info("%s", said)
        if tell is not None:
            tell(said)
        return 0
    paths.ensure()
    app.setWindowIcon(app_icon())
    from ui.shell import Shell

    shell = Shell(paths, settings_process=True)
    server = InstanceServer(name)
    server.command_received.connect(shell.handle_command)
    shell.start()
    _quit_on_signals(app)
    log.info("%s %s started", APP_NAME, __version__)
    code = app.exec()
    log.info("Stopping")
    clean = shell.shutdown()
    server.close()
    if not clean:
        # A terms fetch is still in flight (it can take up to its deadline); its thread cannot
        # be stopped from outside, and Qt aborts when a running QThread is destroyed.
        log.warning("Exiting without waiting for the terms check")
        logging.shutdown()
        os._exit(code)
    log.info("%s stopped", APP_NAME)
    return code


def _quit_on_signals(app: QApplication) -> None:
    """Quit cleanly on SIGINT/SIGTERM (logout, Ctrl+C); a timer lets Python see the signal."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
