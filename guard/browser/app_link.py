"""Telling the running app "look at the browser tabs now", over its single-instance socket.

The tray app listens on a QLocalServer (ui/single_instance.py) named after the user's config
folder: a Unix socket in the temporary folder on Linux and macOS, a named pipe on Windows. The
host writes one line, ``browser-changed``, and does not wait for more than a moment: when the
app is not running nothing is lost, because the state file is what the app reads when it
starts (the file is the queue). No Qt here: the host is a plain Python process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import stat
import sys
from pathlib import Path

log = logging.getLogger(__name__)

BROWSER_CHANGED = "browser-changed"
TIMEOUT_SECONDS = 0.25


def server_name(config_dir: Path) -> str:
    """The app's single-instance server name (must stay equal to ui.single_instance.server_name)."""
    digest = hashlib.sha256(str(Path(config_dir).resolve()).encode()).hexdigest()[:16]
    return f"meeting-privacy-guard-{digest}"


def socket_path(name: str) -> Path:
    """Where QLocalServer puts a Unix socket for ``name``: Qt's temporary folder ($TMPDIR or /tmp)."""
    return Path(os.environ.get("TMPDIR") or "/tmp") / name


def notify(config_dir: Path, command: str = BROWSER_CHANGED) -> bool:
    """Send ``command`` to the running app; False when no app listens (or it did not answer in time)."""
    name = server_name(config_dir)
    line = f"{command}\n".encode()
    try:
        if sys.platform.startswith("win"):
            with open(rf"\\.\pipe\{name}", "r+b", buffering=0) as pipe:
                pipe.write(line)
            return True
        path = socket_path(name)
        info = os.lstat(path)
        if info.st_uid != os.getuid() or not stat.S_ISSOCK(info.st_mode):  # another user's, in the shared /tmp
            log.warning("The app's socket %s belongs to another user; not telling it", path)
            return False
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(TIMEOUT_SECONDS)
            client.connect(str(path))
            client.sendall(line)
            return client.recv(8).startswith(b"ok")
    except OSError:
        return False
