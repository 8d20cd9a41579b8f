"""Window titles on sway (and other compositors speaking its IPC) through the IPC socket.

Wayland gives no app the titles of other apps' windows; sway's IPC does, to any process of the
user: ``GET_TREE`` returns every container, and each view carries its title (``name``), its
owner's ``pid``, its ``app_id`` (native Wayland) or X11 ``window`` id (Xwayland) and ``shell``.
The protocol is i3's, spoken here directly (no ``swaymsg`` at run time): the six bytes
``i3-ipc``, the payload length and the message type as 32-bit integers in the host's byte order,
then the JSON payload; the reply has the same header.

Where the socket is: ``SWAYSOCK`` (set by sway for its children), else ``I3SOCK``, as
``swaymsg`` looks (sway's common/ipc-client.c, ``get_socketpath``, at
https://github.com/swaywm/sway/blob/6959a78a8f0d52f79ad7465135b3295307a5146a/common/ipc-client.c).
``swaymsg`` then asks ``sway --get-socketpath``, which only prints ``SWAYSOCK`` again; instead,
an app started without sway's environment (a user service, an autostart entry run by another
session manager) finds the socket where sway creates it: ``$XDG_RUNTIME_DIR/sway-ipc.<uid>.<pid>.sock``
(sway/ipc-server.c, ``ipc_user_sockaddr``, same commit; /tmp without XDG_RUNTIME_DIR), for a sway
process of this user's that still runs, and only a socket of this user's: in /tmp anyone can make one.

Bounded: one request per call, a reply of at most :data:`MAX_REPLY` bytes read within
:data:`TIMEOUT` seconds, at most :data:`MAX_NODES` containers walked, titles cut to
:data:`~guard.patterns.TEXT_LIMIT` characters.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from guard.detect.observation import ProbeUnavailable
from guard.detect.windows import WindowInfo
from guard.patterns import bounded

log = logging.getLogger(__name__)

MAGIC = b"i3-ipc"
HEADER = struct.Struct("=6sII")  # magic, payload length, message type; native byte order
GET_TREE = 4
MAX_REPLY = 8 * 1024 * 1024  # bytes of one tree (a desktop with 200 windows sends ~300 kB)
MAX_NODES = 20_000  # containers walked per call
MAX_DEPTH = 64
TIMEOUT = 2.0  # seconds for the whole exchange


def socket_path(env: Mapping[str, str], uid: int | None = None) -> str | None:
    """The sway IPC socket for this session, or None when there is none to be found."""
    for name in ("SWAYSOCK", "I3SOCK"):
        if env.get(name):
            return env[name]
    uid = os.getuid() if uid is None else uid
    folder = Path(env.get("XDG_RUNTIME_DIR") or "/tmp")
    found: list[tuple[float, str]] = []
    try:
        entries = list(folder.glob(f"sway-ipc.{uid}.*.sock"))[:64]
    except OSError:
        return None
    for entry in entries:
        pid = entry.name.split(".")[2]
        try:
            info = entry.lstat()
            # Without XDG_RUNTIME_DIR that is /tmp, where any user can put a socket named for this one:
            # only this user's socket, of a process of this user's, is sway's (what it answers are the windows).
            if not (stat.S_ISSOCK(info.st_mode) and info.st_uid == uid and pid.isdigit()
                    and os.stat(f"/proc/{pid}").st_uid == uid):
                continue
        except OSError:  # gone, or left behind by a sway that crashed
            continue
        found.append((info.st_mtime, str(entry)))
    return max(found)[1] if found else None


class SwayWindowLister:
    """Lists sway's views. Keeps one connection open between calls; reconnects after an error."""

    name = "sway-ipc"
    covers_xwayland = True  # Xwayland views are in sway's tree, with their pids

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._env = env if env is not None else os.environ
        self._socket: socket.socket | None = None
        self.path: str | None = None

    def windows(self) -> list[WindowInfo]:
        tree = self._get_tree()
        return list(_views(tree))

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _connect(self) -> socket.socket:
        if self._socket is not None:
            return self._socket
        path = socket_path(self._env)
        if path is None:
            raise ProbeUnavailable("sway's IPC socket was not found (SWAYSOCK is not set and no sway of this user "
                                   "runs); start the app from the sway session")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT)
        try:
            sock.connect(path)
        except OSError as error:
            sock.close()
            raise ProbeUnavailable(f"cannot reach sway's IPC socket {path}: {error.strerror or error}") from None
        self._socket, self.path = sock, path
        return sock

    def _get_tree(self) -> Any:
        sock = self._connect()
        try:
            sock.sendall(HEADER.pack(MAGIC, 0, GET_TREE))
            magic, length, kind = HEADER.unpack(_read(sock, HEADER.size))
            if magic != MAGIC or kind != GET_TREE:
                raise ProbeUnavailable(f"{self.path} does not speak sway's IPC (got {magic!r}, type {kind})")
            if length > MAX_REPLY:
                raise ProbeUnavailable(f"sway's window tree is {length:,} bytes, more than the "
                                       f"{MAX_REPLY:,} read; window titles are skipped")
            payload = _read(sock, length)
        except (OSError, ProbeUnavailable) as error:
            self.close()
            if isinstance(error, ProbeUnavailable):
                raise
            raise ProbeUnavailable(f"lost sway's IPC socket {self.path}: {error}") from None
        try:
            return json.loads(payload)
        except ValueError as error:
            self.close()
            raise ProbeUnavailable(f"sway's IPC sent a tree that is not JSON: {error}") from None


def _read(sock: socket.socket, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = sock.recv(min(left, 1 << 16))
        if not chunk:
            raise ConnectionError("sway closed the IPC connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _views(tree: Any) -> list[WindowInfo]:
    """Every view (a container with a ``shell``) in the tree, tiled, floating or in the scratchpad."""
    found: list[WindowInfo] = []
    stack: list[tuple[Any, int]] = [(tree, 0)]
    walked = 0
    while stack and walked < MAX_NODES:
        node, depth = stack.pop()
        walked += 1
        if not isinstance(node, dict):
            continue
        if "shell" in node:
            view = _view(node)
            if view is not None:
                found.append(view)
        if depth < MAX_DEPTH:
            for key in ("floating_nodes", "nodes"):
                children = node.get(key)
                if isinstance(children, list):
                    stack.extend((child, depth + 1) for child in reversed(children[:MAX_NODES]))
    if stack:
        log.debug("sway's tree has more than %d containers; the rest are skipped this time", MAX_NODES)
    return found


def _view(node: dict[str, Any]) -> WindowInfo | None:
    title = node.get("name")
    if not isinstance(title, str) or not title:
        return None
    pid = node.get("pid")
    con_id = node.get("id")
    app_id = node.get("app_id") if isinstance(node.get("app_id"), str) else None
    x11_class = (node.get("window_properties") or {}).get("class") if node.get("shell") == "xwayland" else None
    return WindowInfo(title=bounded(title), pid=pid if isinstance(pid, int) and pid > 0 else None,
                      window_id=con_id if isinstance(con_id, int) and con_id > 0 else 0,
                      app_id=bounded(app_id or (x11_class if isinstance(x11_class, str) else "") or "", 200),
                      active=node.get("focused") is True)
