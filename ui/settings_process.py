"""The settings window in a process of its own: ``python -m ui.settings_process SERVER DIRS... [--tab T]``.

Started by the tray app (:class:`ui.settings_host.ProcessSettingsHost`), which listens on the
local socket ``SERVER``; the window opens the app's data itself through the same door
(:class:`guard.services.Services`) and exits when it is closed, so what it loaded (about 40 MB:
the window's modules and widgets, the ledger's crypto and keyring, the terms store) goes back to
the system instead of staying in the tray app for days. Messages: :mod:`ui.settings_link`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QApplication

from guard import APP_NAME, APP_RDNS_ID
from ui.settings_link import TO_WINDOW, LinkError, decode, encode, unpack

if TYPE_CHECKING:
    from guard.services import Services
    from ui.jobs import JobRunner
    from ui.settings.window import SettingsWindow

log = logging.getLogger(__name__)

_CONNECT_MS = 5000


class WindowLink(QObject):
    """The window's end of the link: carries the tray's requests to the window and back."""

    def __init__(self, server: str, window: SettingsWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.socket = QLocalSocket(self)
        self.socket.readyRead.connect(self._read)
        self.socket.disconnected.connect(self._tray_gone)
        self.socket.connectToServer(server)
        if not self.socket.waitForConnected(_CONNECT_MS):
            log.warning("The tray app's link %s did not answer: %s", server, self.socket.errorString())
        window.settings_changed.connect(
            lambda settings: self.send("settings-saved", settings=settings.model_dump()))
        window.check_terms_requested.connect(lambda provider_id: self.send("check-terms", provider=provider_id))
        window.closed.connect(self._closed)

    def send(self, op: str, **fields: object) -> None:
        if self.socket.state() == QLocalSocket.LocalSocketState.ConnectedState:
            self.socket.write(encode(op, **fields))
            self.socket.flush()

    def _read(self) -> None:
        while self.socket.canReadLine():
            line = bytes(self.socket.readLine().data())
            try:
                self.handle(decode(line, TO_WINDOW))
            except LinkError as error:
                log.warning("Ignored a message from the tray app: %s", error)

    def handle(self, message: dict[str, object]) -> None:
        token = message.get("token")
        if isinstance(token, str) and token:  # Wayland: the click's xdg-activation token lets the window take the focus
            os.environ["XDG_ACTIVATION_TOKEN"] = token[:512]
        try:
            self._handle(message)
        finally:
            os.environ.pop("XDG_ACTIVATION_TOKEN", None)  # one click, one use

    def _handle(self, message: dict[str, object]) -> None:
        op, window = message["op"], self.window
        if op == "show":
            tab = message.get("tab")
            window.present(tab if isinstance(tab, str) and tab else None)
            self.send("ready", tab=window.current_tab())
        elif op == "terms-change":
            window.show_terms_change(str(message.get("provider", "")), str(message.get("document", "")))
            window.present()
            self.send("ready", tab=window.current_tab())
        elif op == "snapshot":
            try:
                window.set_snapshot(unpack(message.get("data")))
            except LinkError as error:
                log.warning("Ignored a snapshot from the tray app: %s", error)
        elif op == "ledger-updated":
            window.ledger_updated()
        elif op == "terms-updated":
            window.terms_updated()
        elif op == "close":
            window.close_now()
        elif op == "tray-shown":  # only the tray app sees its icon; the Overview says it is shown
            from ui.tray.presence import tray_presence

            if not tray_presence().shown:
                log.info("The tray app's icon is shown")
                tray_presence().mark_shown()

    def _closed(self) -> None:
        self.send("closed")
        self.socket.waitForBytesWritten(1000)
        QTimer.singleShot(0, QApplication.quit)

    def _tray_gone(self) -> None:
        """The tray app quit: the window has nobody to report to; it closes (its state is saved)."""
        if self.window.isVisible():
            log.info("The tray app closed the link; closing the settings window")
            self.window.close_now()
        else:
            QApplication.quit()


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ui.settings_process")
    parser.add_argument("server")
    parser.add_argument("config_dir", type=Path)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("cache_dir", type=Path)
    parser.add_argument("log_dir", type=Path)
    parser.add_argument("--tab", default="")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Show the settings window until it is closed; 0 then, 1 when the app's data cannot be opened."""
    from guard.services import AppPaths, Services, log_to_app_file
    from ui.jobs import JobRunner
    from ui.language import apply_language
    from ui.memory import limit_arenas

    args = _arguments(sys.argv[1:] if argv is None else argv)
    paths = AppPaths(args.config_dir, args.data_dir, args.cache_dir, args.log_dir)
    log_to_app_file(paths, "settings")  # the tray app's log file, lines marked "[settings PID]"
    log.info("Settings window process started")
    limit_arenas()
    app = QApplication.instance() or QApplication(["meeting-guard"])  # one WM_CLASS with the tray app
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_RDNS_ID)
    app.setQuitOnLastWindowClosed(False)  # the link quits once the tray app was told
    try:
        services = Services(paths)
    except Exception as error:  # noqa: BLE001 - said to the user through the tray app's log; exit code 1
        log.error("The app's data could not be opened: %s", error)
        return 1
    apply_language(services.settings.general.language)
    jobs = JobRunner()
    window = _window(services, jobs)
    link = WindowLink(args.server, window)
    link.handle({"op": "show", "tab": args.tab})
    code = app.exec()
    window.shutdown()
    jobs.submit(services.close)  # blocking: not on the GUI thread
    jobs.shutdown(5000)
    return int(code)


def _window(services: Services, jobs: JobRunner) -> SettingsWindow:
    from ui.settings.window import SettingsWindow

    window = SettingsWindow(services, jobs)
    window.setWindowIcon(_icon())
    return window


def _icon():  # type: ignore[no-untyped-def]
    from ui.tray.icons import app_icon

    return app_icon()


if __name__ == "__main__":
    sys.exit(main())
