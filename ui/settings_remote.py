"""The tray app's end of the settings window that runs in its own process.

Measured in the tray app (tests/bench/bench_tray.py, issue 18): opening every settings tab added
about 38 MB that stayed after the window was destroyed and its memory trimmed: 184 modules (the
window's, the ledger's crypto and keyring, the terms store, the HTTP client), Qt's widget code
paged in, and malloc arenas it left fragmented. The target (back within 10 % of the idle figure)
leaves no room for that, so the window runs in a child process (:mod:`ui.settings_process`)
that ends when it is closed. It opens the data itself through the same door; requests go both
ways over a user-only local socket (:mod:`ui.settings_link`). One window at a time: a request
while it runs is sent to it. If the process cannot start or dies before its window was shown,
the window opens in the tray app as before (:class:`ui.settings_host.SettingsHost`), so the
user always gets their settings.

Same surface as :class:`~ui.settings_host.SettingsHost` (the shell uses either).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ui.settings_link import TO_TRAY, WINDOW_FLAG, LinkError, decode, encode, pack
from ui.settings_host import SettingsHost, default_settings_window
from ui.single_instance import server_name
from ui.tray.presence import tray_presence

if TYPE_CHECKING:
    from guard.services import AppPaths, Services, Snapshot
    from ui.jobs import JobRunner
    from ui.settings.window import SettingsWindow

log = logging.getLogger(__name__)

_STOP_MS = 5000
TOKEN_LIMIT = 512  # characters of an activation token (short opaque strings)


def settings_command(server: str, paths: AppPaths, tab: str,
                     frozen_launcher: Sequence[str] | None = None) -> list[str] | None:
    """The command line that starts the window's process: ``python -m ui.settings_process ...``
    from a source install; in a frozen app, which has no ``python -m``, the app's own executable
    with the launcher's hidden :data:`~ui.settings_link.WINDOW_FLAG` (packaging/meeting_guard.py).
    ``frozen_launcher`` is how to run that launcher when it is not ``sys.executable`` (tests run
    the entry script under this Python, through the same code path)."""
    folders = [str(folder) for folder in paths]
    if frozen_launcher is None and getattr(sys, "frozen", False):
        frozen_launcher = [sys.executable]
    if frozen_launcher is not None:
        return [*frozen_launcher, WINDOW_FLAG, server, *folders, "--tab", tab]
    # -P: not the working folder first on its module path (a json.py left where the user started the
    # app would run in the window); the app's own code is found through PYTHONPATH (:func:`_code_path`).
    return [sys.executable, "-P", "-m", "ui.settings_process", server, *folders, "--tab", tab]


def _code_path() -> str:
    """PYTHONPATH for the window's process: the folder that holds ``ui`` (and ``guard``) first, so a
    source checkout started from its own folder still finds them with ``-P``."""
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    return os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))


def _activation_token() -> str:
    """The xdg-activation token of the notification click being handled (Wayland), if any: the
    window in the other process may take the focus with it (ui/notifications/freedesktop.py)."""
    return os.environ.get("XDG_ACTIVATION_TOKEN", "")[:TOKEN_LIMIT]


class ProcessSettingsHost(QObject):
    """``settings_saved(Settings)``, ``check_terms_requested(provider or "")`` as SettingsHost;
    ``shown(tab)`` each time the window process has shown what was asked; ``ended(exit code)``."""

    settings_saved = Signal(object)
    check_terms_requested = Signal(str)
    shown = Signal(str)  # the tab on show
    ended = Signal(int)

    def __init__(self, jobs: JobRunner, paths: AppPaths,
                 factory: Callable[[Services, JobRunner], SettingsWindow] = default_settings_window,
                 command: Callable[[str, AppPaths, str], list[str] | None] = settings_command,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._command = command
        self.server_name = f"{server_name(paths.config_dir)}-settings"
        self.process: QProcess | None = None
        self._socket: QLocalSocket | None = None
        self._outbox: list[bytes] = []  # said before the window connected
        self._ready = False  # the process showed its window at least once
        self._snapshot: Snapshot | None = None
        self._closing = False
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        # The window in this process, when a child cannot be had (it failed to start or died early).
        self.fallback = SettingsHost(jobs, factory, self)
        self.fallback.settings_saved.connect(self.settings_saved)
        self.fallback.check_terms_requested.connect(self.check_terms_requested)
        self._use_fallback = False
        tray_presence().changed.connect(self._tray_shown)

    @property
    def window(self) -> SettingsWindow | None:
        """The window when it runs in this process (the fallback), else None."""
        return self.fallback.window

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    # -- the shell's requests ---------------------------------------------------------------
    def set_services(self, services: Services) -> None:
        self.fallback.set_services(services)

    def show(self, tab: str | None = None) -> None:
        if self._use_fallback:
            self.fallback.show(tab)
            return
        if self.running:
            self._send(encode("show", tab=tab or "", token=_activation_token()))
        else:
            self._start(tab or "")  # a new process inherits the click's activation token with the environment

    def show_terms_change(self, provider_id: str, document_id: str) -> None:
        if self._use_fallback:
            self.fallback.show_terms_change(provider_id, document_id)
            return
        if not self.running:
            self._start("terms")
        self._send(encode("terms-change", provider=provider_id, document=document_id, token=_activation_token()))

    def set_snapshot(self, snapshot: Snapshot) -> None:
        self.fallback.set_snapshot(snapshot)
        self._snapshot = snapshot
        if self._socket is not None:
            self._send_snapshot()

    def ledger_updated(self) -> None:
        self.fallback.ledger_updated()
        if self._socket is not None:
            self._send(encode("ledger-updated"))

    def terms_updated(self) -> None:
        self.fallback.terms_updated()
        if self._socket is not None:
            self._send(encode("terms-updated"))

    def close_window(self) -> None:
        """Close the window as the user would (its process then ends)."""
        self.fallback.close_window()
        if self.running:
            self._send(encode("close"))

    def close(self) -> None:
        """The app quits: the window saves its state and its process ends (killed if it hangs)."""
        self._closing = True
        self.fallback.close()
        process = self.process
        if process is not None and self.running:
            self._send(encode("close"))
            if not process.waitForFinished(_STOP_MS):
                log.warning("The settings window's process did not stop; ending it")
                process.kill()
                process.waitForFinished(1000)
        self._server.close()

    # -- the process ------------------------------------------------------------------------
    def _start(self, tab: str) -> None:
        command = self._command(self.server_name, self._paths, tab)
        if command is None:
            self._fall_back("this build cannot start it", tab)  # i18n-ok: for the log
            return
        if not self._server.isListening() and not self._listen():
            self._fall_back(f"its link could not listen ({self._server.errorString()})", tab)  # i18n-ok: for the log
            return
        self._ready = False
        self._outbox.clear()
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedChannels)  # its log lines join ours
        environment = QProcessEnvironment.systemEnvironment()  # with the click's activation token
        environment.insert("PYTHONPATH", _code_path())
        process.setProcessEnvironment(environment)
        process.errorOccurred.connect(lambda error, p=process, t=tab: self._failed(p, error, t))
        process.finished.connect(lambda code, _status, p=process, t=tab: self._finished(p, code, t))
        self.process = process
        log.info("Starting the settings window's process (tab %s)", tab or "last used")
        process.start(command[0], command[1:])

    def _listen(self) -> bool:
        if self._server.listen(self.server_name):
            return True
        QLocalServer.removeServer(self.server_name)  # left by a crashed tray app: ours to take over
        return self._server.listen(self.server_name)

    def _failed(self, process: QProcess, error: QProcess.ProcessError, tab: str) -> None:
        if error == QProcess.ProcessError.FailedToStart and process is self.process:
            self.process = None
            self._fall_back(f"it could not start ({process.errorString()})", tab)  # i18n-ok: for the log

    def _finished(self, process: QProcess, code: int, tab: str) -> None:
        if process is not self.process:
            return
        self.process = None
        self._drop_socket()
        process.deleteLater()
        log.info("The settings window's process ended (exit code %s)", code)
        self.ended.emit(code)
        if not self._ready and not self._closing:
            self._fall_back(f"it stopped with exit code {code} before showing the window", tab)  # i18n-ok: for the log

    def _fall_back(self, why: str, tab: str) -> None:
        log.warning("The settings window opens in the tray app: %s", why)
        self._use_fallback = True
        # Not from inside QProcess's own signal (it may be emitted from within start()).
        QTimer.singleShot(0, self, lambda: self.fallback.show(tab or None))

    # -- the link ---------------------------------------------------------------------------
    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            if self._socket is not None or not self.running:  # one window; nobody else may talk here
                socket.abort()
                socket.deleteLater()
                continue
            self._socket = socket
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(self._drop_socket)
            if self._snapshot is not None:
                self._send_snapshot()
            if tray_presence().shown:
                self._send(encode("tray-shown"))
            outbox, self._outbox = self._outbox, []
            for line in outbox:
                self._send(line)

    def _read(self) -> None:
        socket = self._socket
        while socket is not None and socket.canReadLine():
            line = bytes(socket.readLine().data())
            try:
                message = decode(line, TO_TRAY)
            except LinkError as error:
                log.warning("Ignored a message from the settings window: %s", error)
                continue
            self._handle(message)

    def _handle(self, message: dict[str, object]) -> None:
        op = message["op"]
        if op == "ready":
            self._ready = True
            self.shown.emit(str(message.get("tab", ""))[:40])
        elif op == "settings-saved":
            from guard.services import Settings

            values = message.get("settings")
            try:
                if not isinstance(values, dict):
                    raise ValueError("not a table of settings")
                settings = Settings.model_validate(values)
            except (ValueError, TypeError) as error:
                log.warning("Ignored settings from the settings window: %s", error)
                return
            self.settings_saved.emit(settings)
        elif op == "check-terms":
            self.check_terms_requested.emit(str(message.get("provider", ""))[:200])
        elif op == "closed":
            log.info("The settings window was closed")

    def _send(self, line: bytes) -> None:
        if self._socket is None:
            self._outbox.append(line)
            return
        self._socket.write(line)
        self._socket.flush()

    def _tray_shown(self) -> None:
        """The tray host showed the icon after the window connected: its Overview says so too."""
        if self._socket is not None:
            self._send(encode("tray-shown"))

    def _send_snapshot(self) -> None:
        if self._snapshot is None:
            return
        try:
            self._send(encode("snapshot", data=pack(self._snapshot)))
        except Exception as error:  # noqa: BLE001 - the window's overview misses one pass; nothing else depends on it
            log.warning("The snapshot could not be sent to the settings window: %s", error)

    def _drop_socket(self) -> None:
        socket, self._socket = self._socket, None
        if socket is not None:
            socket.deleteLater()
