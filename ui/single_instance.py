"""One app per user: a second start hands its request to the running one and exits.

The running app listens on a QLocalServer (a Unix socket or a Windows named pipe) whose
name is derived from the user's config folder; a later start connects, sends a command
line such as ``show-settings``, waits for ``ok`` and exits 0.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import sys
from pathlib import Path

from PySide6.QtCore import QDir, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

SHOW_SETTINGS = "show-settings"
BROWSER_CHANGED = "browser-changed"  # the browser extension's host: meeting tabs changed (guard/browser/app_link.py)
_TIMEOUT_MS = 2000


def server_name(config_dir: Path) -> str:
    digest = hashlib.sha256(str(Path(config_dir).resolve()).encode()).hexdigest()[:16]
    return f"meeting-privacy-guard-{digest}"


def _someone_elses(name: str) -> bool:
    """Whether the Unix socket for ``name`` (in the shared temporary folder, where another user can
    make it first) belongs to another user: then it is not this user's app, whatever it answers."""
    if sys.platform.startswith("win"):
        return False
    try:
        info = os.lstat(Path(QDir.tempPath()) / name)
    except OSError:
        return False  # no socket: nobody to hand off to (connecting says so)
    return info.st_uid != os.getuid() or not stat.S_ISSOCK(info.st_mode)


def hand_off(name: str, command: str = SHOW_SETTINGS) -> bool:
    """Send ``command`` to a running instance; True when it answered. Never to a socket of another
    user's: a squatter answering "ok" would keep this user's app from starting."""
    if _someone_elses(name):
        log.warning("The single-instance socket %s belongs to another user; not handing over to it", name)
        return False
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(_TIMEOUT_MS):
        return False
    socket.write(f"{command}\n".encode())
    socket.flush()
    answered = socket.waitForReadyRead(_TIMEOUT_MS) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return answered


class InstanceServer(QObject):
    """Listens for later starts and re-emits their commands."""

    command_received = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        if not self._server.listen(name):
            # A socket left by a crashed instance: nobody answered hand_off, so take it over.
            QLocalServer.removeServer(name)
            if not self._server.listen(name):
                log.warning("Single-instance server %s could not listen: %s", name, self._server.errorString())

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        command = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()[:64]
        if command != BROWSER_CHANGED:  # the browser host says this often; not worth a log line each time
            log.info("Another start asked: %s", command)
        socket.write(b"ok\n")
        socket.flush()
        self.command_received.emit(command)
